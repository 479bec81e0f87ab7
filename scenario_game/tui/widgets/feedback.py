"""What a reply did, shown at once after it: style badge, meter changes, feedback, advice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from ...engine import Outcome
from ..render import badge, change_line, literal, tone_word


class AdviceCard(Vertical):
    """One piece of advice: its title, the paraphrase, and the articles it comes from."""

    def __init__(self, title: str, text: str, sources: tuple[str, ...]) -> None:
        super().__init__(classes="advice-card")
        self.border_title = "Advice"
        self._title, self._text, self._sources = title, text, sources

    def compose(self) -> ComposeResult:
        yield Static(literal(self._title, "bold"), classes="advice-title")
        yield Static(literal(self._text), classes="advice-text")
        if self._sources:
            label = "Source" if len(self._sources) == 1 else "Sources"
            yield Static(Content.styled(label, "$foreground-muted"), classes="advice-source-label")
            yield Static(Content("\n").join([literal(s, "italic") for s in self._sources]), classes="advice-source")


class FeedbackPanel(VerticalScroll, can_focus=True):
    """Shown in place of the choices until the player continues."""

    BINDINGS = [
        Binding("enter", "continue", "Continue"),
        Binding("space", "continue", "Continue", show=False),
        Binding("c", "continue", "Continue", show=False),
    ]

    class Continue(Message):
        """The player has read the feedback and wants to go on."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outcome: Outcome | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="feedback-style")
        yield Static(classes="feedback-style-text")
        yield Static(classes="feedback-changes")
        yield Static(classes="feedback-text")
        yield Vertical(classes="feedback-advice")
        yield Button(Content("Continue  ⏎"), classes="feedback-continue", compact=True)

    def show_outcome(self, outcome: Outcome) -> None:
        """Fill the panel with what `outcome` says; every string in it is literal."""
        self.outcome = outcome
        style = outcome.style
        self.query_one(".feedback-style", Static).update(Content.assemble(badge(style), "  ", tone_word(style.tone)))
        description = self.query_one(".feedback-style-text", Static)
        description.update(literal(style.description))
        description.display = bool(style.description)
        changed = outcome.changed
        self.query_one(".feedback-changes", Static).update(
            Content("\n").join([change_line(c) for c in changed]) if changed else Content.styled("No meter moved.", "italic $foreground-muted")
        )
        feedback = self.query_one(".feedback-text", Static)
        feedback.update(literal(outcome.feedback))
        feedback.display = bool(outcome.feedback)
        cards = self.query_one(".feedback-advice", Vertical)
        cards.remove_children()
        cards.mount_all(AdviceCard(a.title, a.text, a.sources) for a in outcome.advice)
        cards.display = bool(outcome.advice)
        self.scroll_home(animate=False)

    def action_continue(self) -> None:
        self.post_message(self.Continue())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_continue()
