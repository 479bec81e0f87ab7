"""Why a scenario file cannot be played: the checker's lines, as they are."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..render import literal
from ..widgets.footer import KeyFooter
from .base import BaseScreen


class ProblemsScreen(BaseScreen):
    BINDINGS = [Binding("escape", "app.quit", "Quit")]

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__()
        self.path = path
        self.problems = problems

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="about"):
            yield Static(Content.styled("This scenario cannot be played", "bold $error"), classes="title")
            yield Static(literal(self.path, "$foreground-muted"))
            yield Static(Content("\n").join([literal(p) for p in self.problems]), id="problem-lines")
            yield Static(Content.styled("Fix the file and open it again. `scenario-game check FILE` lists the same problems.", "italic $foreground-muted"))
        yield KeyFooter()
