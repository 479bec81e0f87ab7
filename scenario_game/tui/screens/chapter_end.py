"""The summary after a chapter: how the meters moved, each reply and its style, the tally,
and the advice followed and missed. Dismisses with the player's pick: "next", "replay" or "back"."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from ...engine import Outcome, State
from ...model import Scenario
from ..messages import NEXT
from ..render import badge, literal
from ..summary import advice_sections, tally_line, trajectories
from ..widgets.footer import KeyFooter
from .base import SizeAware


class ChapterEndScreen(SizeAware, Screen[str]):
    BINDINGS = [
        Binding("n", "pick('next')", "Next"),
        Binding("r", "pick('replay')", "Replay chapter"),
        Binding("b", "pick('back')", "Back"),
        Binding("escape", "pick('back')", "Back", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(
        self,
        scenario: Scenario,
        chapter_id: str,
        points: Sequence[dict[str, int]],
        outcomes: Sequence[Outcome],
        end_state: State,
        offer_next: bool = True,
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.chapter_id = chapter_id
        self.points = list(points)
        self.outcomes = list(outcomes)  # every reply of the chapter, in order
        self.end_state = end_state
        self.offer_next = offer_next

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        index = scenario.chapter_index(self.chapter_id)
        chapter = scenario.chapter(self.chapter_id)
        last = index + 1 == len(scenario.chapters)
        with VerticalScroll(id="summary"):
            yield Static(Content.styled(f"End of chapter {index + 1} of {len(scenario.chapters)}", "$foreground-muted"), classes="kicker")
            yield Static(literal(chapter.title, "bold $primary"), classes="title")
            yield Static(Content.styled("How it moved", "bold"), classes="section")
            yield Static(
                trajectories(scenario, self.points),
                id="trajectories",
            )
            yield Static(Content.styled("Your replies", "bold"), classes="section")
            if self.outcomes:
                for number, outcome in enumerate(self.outcomes, 1):
                    with Horizontal(classes="reply-line"):
                        yield Static(Content.styled(f"{number}.", "bold"), classes="reply-number")
                        yield Static(Content.assemble(badge(outcome.style), "  ", literal(outcome.choice.text)), classes="reply-text")
            else:
                yield Static(Content.styled("No reply was needed in this chapter.", "italic $foreground-muted"))
            yield Static(tally_line(self.outcomes), id="tally")
            yield from advice_sections(self.outcomes)
        with Horizontal(id="actions"):
            if self.offer_next:
                label = "See the ending (n)" if last else "Next chapter (n)"
                yield Button(Content(label), id="next", variant="primary", compact=True)
            yield Button(Content("Replay chapter (r)"), id="replay", compact=True)
            yield Button(Content("Back (b)"), id="back", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#actions Button", Button).focus()

    def action_pick(self, pick: str) -> None:
        if pick == NEXT and not self.offer_next:
            return
        self.dismiss(pick)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_pick(event.button.id)
