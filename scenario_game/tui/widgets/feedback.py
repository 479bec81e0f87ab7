"""What a reply did, shown at once after it: style badge, meter changes, feedback, advice;
and, when the player wrote the reply in their own words, the coach's reading of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

if TYPE_CHECKING:  # the play screen can be drawn before the model is imported (firstscene.py)
    from ...engine import Outcome
    from ...model import Advice, Scenario
    from ...own_words import OwnWords
from ..render import badge, change_line, literal, tone_word
from ..theme import TONE_COLOUR, TONE_STYLE
from .transcript import scroll_story, story_bindings


def outcome_text(outcome: Outcome) -> Content:
    """The style badge, the feedback text, each meter change, and what the style means.
    The feedback comes right under the badge: it is what the player reads first, and it is
    in the first frame after the key even while the panel still has the replies' height."""
    style = outcome.style
    parts: list[Content] = [Content.assemble(badge(style), "  ", tone_word(style.tone))]
    if outcome.feedback:
        parts.append(literal(outcome.feedback))
    parts.append(Content(""))
    changed = outcome.changed
    if changed:
        parts.extend(change_line(change) for change in changed)
    else:
        parts.append(Content.styled("No meter moved.", "italic $foreground-muted"))
    if style.description:
        parts += [Content(""), literal(style.description, "italic $foreground-muted")]
    return Content("\n").join(parts)


FINDING_MARK = {"good": ("+", TONE_COLOUR["constructive"]), "part": ("+", TONE_COLOUR["constructive"]), "risk": ("-", TONE_COLOUR["destructive"])}


def reading_text(own: OwnWords, scenario: Scenario) -> Content:
    """The coach's reading of the player's words: the words themselves, the tone and the
    closest style, which I-statement parts are there, each finding with the exact words
    that drove it, and the tip. The player's words stay literal (never markup)."""
    reading = own.reading
    parts: list[Content] = [Content.assemble(("You wrote  ", "bold $accent"), literal(f"\u201c{own.text}\u201d", "italic"))]
    if reading.unsure:
        head = Content.assemble(("Coach  ", "bold"), ("can't tell", f"italic {TONE_COLOUR['neutral']}"))
    else:
        style = scenario.styles.get(reading.style)
        label = style.label if style is not None else reading.style
        head = Content.assemble(
            ("Coach  ", "bold"),
            (f" {label} ", TONE_STYLE.get(reading.tone, TONE_STYLE["neutral"])),
            "  ",
            tone_word(reading.tone),
        )
    parts += [head, literal(reading.summary, "italic $foreground-muted"), Content("")]
    marks = [
        Content.assemble(("\u2713 " if present else "\u2717 ", TONE_COLOUR["constructive"] if present else "$foreground-muted"), (name, "" if present else "$foreground-muted"))
        for name, present in (("your feeling", reading.parts.feeling), ("a specific moment", reading.parts.behaviour), ("a need or request", reading.parts.need))
    ]
    parts.append(Content.assemble(("I-statement  ", "bold"), Content("   ").join(marks)))
    if reading.findings:
        parts.append(Content.styled("What it noticed", "bold"))
    for finding in reading.findings:
        mark, colour = FINDING_MARK.get(finding.sign, ("\u00b7", "$foreground-muted")) if finding.weight else ("\u00b7", "$foreground-muted")
        words = Content(", ").join([literal(f"\u201c{word}\u201d", "bold") for word in finding.words])
        parts.append(Content.assemble((f" {mark} ", f"bold {colour}"), literal(finding.label, colour), "  ", words))
        parts.append(Content.assemble("   ", literal(finding.note, "$foreground-muted")))
    parts += [Content(""), literal(reading.tip, "italic")]
    return Content("\n").join(parts)


def as_if_text(own: OwnWords) -> Content:
    """The authored reply the story goes on with, named as such."""
    assert own.choice is not None
    from ...own_words import AS_IF

    return Content.assemble((AS_IF, "bold $primary"), "\n", (f"{own.number}. ", "bold $accent"), literal(own.choice.text))


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
        self._shown: object = None  # what the panel shows now; advice for older contents is dropped

    def compose(self) -> ComposeResult:
        yield Static(classes="feedback-body")
        yield ContinueLink(Content.assemble(("Continue", "bold"), ("  ⏎ Enter", "$foreground-muted")), classes="feedback-continue")

    def show_outcome(self, outcome: Outcome, own: OwnWords | None = None, scenario: Scenario | None = None) -> None:
        """Fill the panel with what `outcome` says; every string in it is literal. With `own`
        (the player wrote the reply), the coach's reading comes first, then the authored
        reply the story went on with, then what it did."""
        self.outcome = outcome
        body = outcome_text(outcome)
        advice = list(outcome.advice)
        if own is not None and scenario is not None:
            body = Content("\n").join([reading_text(own, scenario), Content(""), as_if_text(own), Content(""), body])
            advice = _coach_advice(own, scenario) + [a for a in advice if a not in _coach_advice(own, scenario)]
        self._fill(body, advice, continues=True)

    def show_reading(self, own: OwnWords, scenario: Scenario) -> None:
        """The coach's reading when it cannot tell which reply is closest: the replies stay
        on offer below the panel, and a line says to pick one."""
        from ...own_words import PICK

        self.outcome = None
        body = Content("\n").join(
            [
                Content.styled(PICK, "bold $primary"),
                Content.styled("Pick with a number, or ↑ ↓ and Enter; Esc forgets your words and lets you choose as usual.", "$foreground-muted"),
                Content(""),
                reading_text(own, scenario),
            ]
        )
        self._fill(body, _coach_advice(own, scenario), continues=False)

    def _fill(self, body: Content, advice: list[Advice], *, continues: bool) -> None:
        self._shown = object()
        self.query_one(".feedback-body", Static).update(body)
        self.query_one(".feedback-continue").display = continues
        for card in self.cards:
            card.display = False
        # The advice cards follow a frame later, so the first frame after the key is small.
        self.call_after_refresh(self._show_advice, self._shown, advice)
        self.scroll_home(animate=False)

    def _show_advice(self, shown: object, advice: list[Advice]) -> None:
        if shown is not self._shown:
            return
        while len(self.cards) < len(advice):
            card = Static(classes="advice-card")
            card.border_title = "Advice"
            self.cards.append(card)
            self.mount(card, before=self.query_one(".feedback-continue"))
        for card, item in zip(self.cards, advice):
            card.update(advice_text(item))
            card.display = True
        for card in self.cards[len(advice) :]:
            card.display = False

    def action_continue(self) -> None:
        self.post_message(self.Continue())

    def action_scroll_story(self, key: str) -> None:
        scroll_story(self.screen, key)



def _coach_advice(own: OwnWords, scenario: Scenario) -> list[Advice]:
    """The advice cards the coach's reading bears on (those the scenario knows)."""
    return [scenario.advice[aid] for aid in own.reading.advice if aid in scenario.advice]


class ContinueLink(Static):
    """A clickable "Continue" (a Static: lighter than a Button, so the play screen opens faster)."""

    def on_click(self, event) -> None:
        event.stop()
        self.post_message(FeedbackPanel.Continue())
