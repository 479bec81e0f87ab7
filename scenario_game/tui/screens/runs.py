"""A scenario's saved runs: continue one, replay one of its chapters, compare, chapter map;
and the library's line about them. Saves are read in worker threads; play starts through
`tui.starting`."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ... import runs
from ...model import Scenario
from ...progress import Names, cap, replies, run_name, scenario_progress
from ..dialogs.pick_chapter import PickChapterScreen
from ..render import literal
from ..starting import continue_run, replay_chapter
from ..widgets.footer import KeyFooter
from .base import BaseScreen

__all__ = ["RunsScreen", "describe", "library_progress"]


def describe(saved: runs.SavedRun, names: Names) -> tuple[str, str]:
    """A saved run as the player tells it apart: when and how it ended; then its details."""
    run = saved.run
    assert run is not None
    details = replies(run)
    if saved.scenario_state == runs.CHANGED:
        details += "  ·  the story has changed since"
    return cap(run_name(run, names)), details


class RunsScreen(BaseScreen):
    """A scenario's saved runs: continue one, replay one of its chapters, compare, map."""

    DEFAULT_CSS = """
    RunsScreen { align-horizontal: center; }
    RunsScreen #runs-title { height: auto; padding: 1 2 0 2; max-width: 120; }
    RunsScreen #runs-status { height: auto; padding: 0 2 1 2; color: $text-muted; max-width: 120; }
    RunsScreen #runs { height: 1fr; margin: 0 2 1 2; border: round $panel; max-width: 120; }
    RunsScreen #runs:focus { border: round $primary 60%; }
    """
    BINDINGS = [
        Binding("enter", "continue_run", "Continue", show=False),
        Binding("r", "replay", "Replay a chapter"),
        Binding("c", "compare", "Compare runs"),
        Binding("m", "map", "Chapter map"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.saved: list[runs.SavedRun] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Saved runs of ", "bold"), literal(self.scenario.title, "bold $primary")), id="runs-title")
        yield Static(Content("Reading saves …"), id="runs-status")
        yield OptionList(id="runs")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="runs")
    def load(self) -> None:
        found = runs.scenario_runs(self.scenario, self.app.saves_folder)
        self.app.call_from_thread(self.show_runs, found)

    def show_runs(self, found: list[runs.SavedRun]) -> None:
        self.saved = found
        status = self.query_one("#runs-status", Static)
        listing = self.query_one("#runs", OptionList)
        if not found:
            status.update(literal(f"No saved runs of this scenario in {self.app.saves_folder} yet."))
            listing.clear_options()
            return
        progress = scenario_progress(self.scenario, found).lines()
        status.update(
            Content("\n").join(
                [literal(line, "$accent") for line in progress]
                + [Content("Enter continues an unfinished run · r replays one of its chapters · c compares two runs · m maps a chapter")]
            )
        )
        names = Names.of(self.scenario)
        options = []
        for index, saved in enumerate(found):
            mark = ("▶ ", "bold $accent") if not saved.run.finished else ("  ", "")
            title, details = describe(saved, names)
            options.append(Option(Content.assemble(mark, literal(title, "bold"), "\n   ", literal(details, "$foreground-muted")), id=f"run-{index}"))
        listing.set_options(options)
        listing.highlighted = 0
        listing.focus()

    @property
    def current(self) -> runs.SavedRun | None:
        listing = self.query_one("#runs", OptionList)
        if listing.highlighted is None or not self.saved:
            return None
        return self.saved[listing.highlighted]

    @on(OptionList.OptionSelected, "#runs")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_continue_run()

    def action_continue_run(self) -> None:
        saved = self.current
        if saved is None:
            return
        if saved.run.finished:
            self.app.notify("This run is finished; press r to replay one of its chapters.", title="Nothing to continue")
            return
        continue_run(self.app, self.scenario, saved)

    def action_replay(self) -> None:
        saved = self.current
        if saved is None:
            return
        chapters = [c.chapter for c in saved.run.chapters if c.chapter in {ch.id for ch in self.scenario.chapters}]
        if not chapters:
            self.app.notify("This run started no chapter the story still has.", severity="warning")
            return

        def picked(chapter: str | None) -> None:
            if chapter:
                replay_chapter(self.app, self.scenario, saved, chapter)

        self.app.push_screen(PickChapterScreen(self.scenario, chapters), picked)

    def action_compare(self) -> None:
        self.app.show_compare(self.scenario)

    def action_map(self) -> None:
        self.app.show_chapter_map(self.scenario)


def library_progress(scenario: Scenario, folder: str) -> str | None:
    """For the library: finished runs, endings reached (x of N, by title), best meters and
    where the latest unfinished run stands (call from a worker thread)."""
    lines = scenario_progress(scenario, runs.scenario_runs(scenario, folder)).lines()
    return "\n".join(lines) if lines else None
