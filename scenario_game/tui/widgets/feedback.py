"""What a reply did, shown at once after it: style badge, meter changes, feedback, advice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from ...engine import Outcome
from ...model import Advice
from ..render import badge, change_line, literal, tone_word
from .transcript import scroll_story, story_bindings


def outcome_text(outcome: Outcome) -> Content:
    """The style badge and what it means, each meter change, and the feedback text."""
    style = outcome.style
    parts: list[Content] = [Content.assemble(badge(style), "  ", tone_word(style.tone))]
    if style.description:
        parts.append(literal(style.description, "italic $foreground-muted"))
    parts.append(Content(""))
    changed = outcome.changed
    if changed:
        parts.extend(change_line(change) for change in changed)
    else:
        parts.append(Content.styled("No meter moved.", "italic $foreground-muted"))
    if outcome.feedback:
        parts += [Content(""), literal(outcome.feedback)]
    return Content("\n").join(parts)


def advice_text(advice: Advice) -> Content:
    """An advice card's body: its title, the paraphrase, and the articles it comes from."""
    parts = [literal(advice.title, "bold"), literal(advice.text)]
    if advice.sources:
        label = "Source" if len(advice.sources) == 1 else "Sources"
        parts.append(Content.styled(label, "$foreground-muted"))
        parts.extend(Content.assemble("  ", literal(source, "italic $foreground-muted")) for source in advice.sources)
    return Content("\n").join(parts)


class FeedbackPanel(VerticalScroll, can_focus=True):
    """Shown in place of the choices until the player continues. Its widgets are made once
    and refilled, so showing it costs no mounting on the key press."""

    HELP_TITLE = "The feedback"  # its keys' heading in the help

    BINDINGS = [
        *story_bindings(),  # the panel itself scrolls with the arrow keys
        Binding("enter", "continue", "Continue"),
        Binding("space", "continue", "Continue", show=False),
        Binding("c", "continue", "Continue", show=False),
    ]

    class Continue(Message):
        """The player has read the feedback and wants to go on."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outcome: Outcome | None = None
        self.cards: list[Static] = []

    def compose(self) -> ComposeResult:
        yield Static(classes="feedback-body")
        yield ContinueLink(Content.assemble(("Continue", "bold"), ("  ⏎ Enter", "$foreground-muted")), classes="feedback-continue")

    def show_outcome(self, outcome: Outcome) -> None:
        """Fill the panel with what `outcome` says; every string in it is literal."""
        self.outcome = outcome
        self.query_one(".feedback-body", Static).update(outcome_text(outcome))
        for card in self.cards:
            card.display = False
        # The advice cards follow a frame later, so the first frame after the key is small.
        self.call_after_refresh(self._show_advice, outcome)
        self.scroll_home(animate=False)

    def _show_advice(self, outcome: Outcome) -> None:
        if outcome is not self.outcome:
            return
        while len(self.cards) < len(outcome.advice):
            card = Static(classes="advice-card")
            card.border_title = "Advice"
            self.cards.append(card)
            self.mount(card, before=self.query_one(".feedback-continue"))
        for card, advice in zip(self.cards, outcome.advice):
            card.update(advice_text(advice))
            card.display = True
        for card in self.cards[len(outcome.advice) :]:
            card.display = False

    def action_continue(self) -> None:
        self.post_message(self.Continue())

    def action_scroll_story(self, key: str) -> None:
        scroll_story(self.screen, key)



class ContinueLink(Static):
    """A clickable "Continue" (a Static: lighter than a Button, so the play screen opens faster)."""

    def on_click(self, event) -> None:
        event.stop()
        self.post_message(FeedbackPanel.Continue())
