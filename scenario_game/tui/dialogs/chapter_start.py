"""Start a chapter as a saved run had it, or from the scenario's starting meters?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ... import progress, runs
from ...model import Scenario
from ..render import literal
from .options import OptionsDialog


class ChapterStartScreen(OptionsDialog):
    """Asked when a chapter is picked that a saved run has played: start it as that run
    had it, or from the scenario's starting meters. Dismisses with "run", "fresh" or ""."""

    DEFAULT_CSS = """
    ChapterStartScreen { align: center middle; }
    ChapterStartScreen > Vertical {
        width: 76; height: auto; padding: 1 2;
        border: round $primary 60%; background: $surface;
    }
    ChapterStartScreen #start-question { margin-bottom: 1; }
    ChapterStartScreen OptionList { height: auto; max-height: 8; border: none; background: $surface; }
    """

    def __init__(self, scenario: Scenario, chapter: str, saved: runs.SavedRun) -> None:
        super().__init__()
        self.scenario, self.chapter, self.saved = scenario, chapter, saved

    def compose(self) -> ComposeResult:
        run = self.saved.run
        assert run is not None
        start = run.chapter_start(self.chapter)
        meters = ", ".join(f"{self.scenario_label(n)} {v}" for n, v in start.snapshot.meters) if start else ""
        when = progress.when(run.updated)  # as the saved runs are named elsewhere
        with Vertical():
            yield Static(
                Content.assemble(("Start ", "bold"), literal(self.scenario.chapter(self.chapter).title, "bold $primary"), ("?", "bold")),
                id="start-question",
            )
            yield OptionList(
                Option(Content.assemble(("Replay it as your run had it  ", "bold"), literal(f"({when}: {meters})", "$foreground-muted")), id="run"),
                Option(Content.assemble(("From the story's starting meters", "bold")), id="fresh"),
                id="start-options",
            )

    def scenario_label(self, name: str) -> str:
        for meter in self.scenario.meters:
            if meter.name == name:
                return meter.label
        return name
