"""The scenario's ending: its title and text, where the meters finished, and the run in brief.
Dismisses with "again" (play from the start) or "back"."""

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
from ..render import literal
from ..widgets.footer import KeyFooter
from .base import SizeAware
from ..summary import advice_sections, tally_line, trajectories


class EndingScreen(SizeAware, Screen[str]):
    BINDINGS = [
        Binding("a", "pick('again')", "Play again"),
        Binding("b", "pick('back')", "Back"),
        Binding("escape", "pick('back')", "Back", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, scenario: Scenario, state: State, points: Sequence[dict[str, int]], outcomes: Sequence[Outcome]) -> None:
        super().__init__()
        self.scenario = scenario
        self.state = state
        self.points = list(points)
        self.outcomes = list(outcomes)  # every reply of the whole run, in order

    def compose(self) -> ComposeResult:
        ending = self.scenario.ending(self.state.ending)
        outcomes = self.outcomes
        with VerticalScroll(id="summary"):
            yield Static(Content.styled("The ending", "$foreground-muted"), classes="kicker")
            yield Static(literal(ending.title, "bold $primary"), classes="title")
            if ending.text:
                yield Static(literal(ending.text), id="ending-text")
            yield Static(Content.styled("Over the whole run", "bold"), classes="section")
            yield Static(
                trajectories(self.scenario, self.points),
                id="trajectories",
            )
            yield Static(tally_line(outcomes), id="tally")
            yield from advice_sections(outcomes)
        with Horizontal(id="actions"):
            yield Button(Content("Play again (a)"), id="again", variant="primary", compact=True)
            yield Button(Content("Back (b)"), id="back", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#again", Button).focus()

    def action_pick(self, pick: str) -> None:
        self.dismiss(pick)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)
