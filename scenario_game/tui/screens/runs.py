"""Saved runs in the TUI: the recorder the app gives every play screen, continuing an
unfinished run, replaying a chapter from a run's snapshot, and the list of a scenario's
runs (continue, replay, compare, chapter map). Saves are read in worker threads."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ... import engine, runs
from ...model import Scenario
from ...progress import Names, cap, outcome, replies, run_name, scenario_progress
from ..render import literal
from ..widgets.footer import KeyFooter
from .base import BaseScreen, SizeAware


def recorder_factory(saves_folder: str):
    """What the app calls for each new play screen: a Recorder saving into `saves_folder`."""

    def make(scenario: Scenario) -> runs.Recorder:
        return runs.Recorder(scenario, saves_folder, on_error=_raise_save_error)

    return make


def _raise_save_error(message: str) -> None:
    raise runs.SaveError(message)  # the play screen's recorder link reports it as a notice


def scenario_runs(scenario: Scenario, folder: str) -> list[runs.SavedRun]:
    """This scenario's readable runs, newest first (call from a worker thread); none when
    the saves folder cannot be listed."""
    try:
        listed = runs.list_runs(folder)
    except runs.SaveError:
        return []
    return [saved for saved in listed if saved.run is not None and runs.same_scenario(saved.run, scenario.path, scenario.id)]


def describe(saved: runs.SavedRun, names: Names) -> tuple[str, str]:
    """A saved run as the player tells it apart: when and how it ended; then its details."""
    run = saved.run
    assert run is not None
    details = replies(run)
    if saved.scenario_state == runs.CHANGED:
        details += "  ·  the story has changed since"
    return cap(run_name(run, names)), details


def push_continue(app, scenario: Scenario, saved: runs.SavedRun, on_fail=None) -> None:
    """Go on with `saved` in a new play screen; if the scenario file changed since it was
    saved, replay its chapter from the start as a new run (and say so). The save and the
    scenario file are read in a worker thread; `on_fail()` runs if it cannot be done."""
    from .play import PlayScreen

    folder = app.saves_folder
    recording = getattr(app, "recorder_factory", None) is not None

    def failed(message: str) -> None:
        app.notify(message, title="Cannot continue", severity="error", timeout=10)
        if on_fail is not None:
            on_fail()

    def ready(plan: runs.StartPlan, state) -> None:
        for note in plan.notes:
            if note.startswith("note:"):
                app.notify(note.removeprefix("note: "), title="Scenario changed", severity="warning", timeout=12)
        recorder = None
        if recording:
            recorder = runs.Recorder(scenario, folder, run=plan.run, mode=plan.mode, replay_of=plan.replay_of, on_error=_raise_save_error)
        app.push_screen(PlayScreen(scenario, state, recorder=recorder, single_chapter=plan.single_chapter))

    def work() -> None:
        try:
            plan = runs.plan_play(scenario, folder, resume=saved.path)
        except runs.SaveError as error:
            app.call_from_thread(failed, str(error))
            return
        state = plan.state
        if state.status == engine.CHAPTER_END and not plan.single_chapter:
            state = engine.next_chapter(scenario, state)  # the run stopped between chapters: go on to the next
        app.call_from_thread(ready, plan, state)

    app.run_worker(work, thread=True, exclusive=True, group="open-run")


def push_replay(app, scenario: Scenario, saved: runs.SavedRun, chapter: str) -> None:
    """Play `chapter` alone, from the state `saved` recorded as it began, as a new run."""
    from .play import PlayScreen

    folder = app.saves_folder
    recording = getattr(app, "recorder_factory", None) is not None

    def failed(message: str) -> None:
        app.notify(message, title="Cannot replay", severity="error", timeout=10)

    def ready(plan: runs.StartPlan) -> None:
        for note in plan.notes:
            app.notify(note.removeprefix("note: "), title="Scenario changed", severity="warning", timeout=12)
        recorder = None
        if recording:
            recorder = runs.Recorder(scenario, folder, mode=plan.mode, replay_of=plan.replay_of, on_error=_raise_save_error)
        app.push_screen(PlayScreen(scenario, plan.state, recorder=recorder, single_chapter=True))

    def work() -> None:
        try:
            plan = runs.plan_play(scenario, folder, chapter=chapter, from_run=saved.path)
        except runs.SaveError as error:
            app.call_from_thread(failed, str(error))
            return
        app.call_from_thread(ready, plan)

    app.run_worker(work, thread=True, exclusive=True, group="open-run")


class ChapterStartScreen(SizeAware, ModalScreen[str]):
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
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, scenario: Scenario, chapter: str, saved: runs.SavedRun) -> None:
        super().__init__()
        self.scenario, self.chapter, self.saved = scenario, chapter, saved

    def compose(self) -> ComposeResult:
        run = self.saved.run
        assert run is not None
        start = run.chapter_start(self.chapter)
        meters = " ".join(f"{self.scenario_label(n)} {v}" for n, v in start.snapshot.meters) if start else ""
        when = run.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        with Vertical():
            yield Static(
                Content.assemble(("Start ", "bold"), literal(self.scenario.chapter(self.chapter).title, "bold $primary"), ("?", "bold")),
                id="start-question",
            )
            yield OptionList(
                Option(Content.assemble(("Replay it as your run had it  ", "bold"), literal(f"({when}: {meters})", "$foreground-muted")), id="run"),
                Option(Content.assemble(("From the scenario's starting meters", "bold")), id="fresh"),
                id="start-options",
            )

    def scenario_label(self, name: str) -> str:
        for meter in self.scenario.meters:
            if meter.name == name:
                return meter.label
        return name

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss("")


def pick_chapter_start(screen, scenario: Scenario, chapter: str) -> None:
    """From the chapter list: if a saved run started `chapter`, offer to replay it from that
    run's snapshot; otherwise (or if declined) start it from the scenario's start."""
    app = screen.app

    def fresh() -> None:
        app.push_screen(app.new_play_screen(scenario, chapter=chapter))

    def found(saved: runs.SavedRun | None) -> None:
        if saved is None:
            fresh()
            return

        def answered(answer: str | None) -> None:
            if answer == "run":
                push_replay(app, scenario, saved, chapter)
            elif answer == "fresh":
                fresh()

        app.push_screen(ChapterStartScreen(scenario, chapter, saved), answered)

    def look() -> None:
        match = next(
            (s for s in scenario_runs(scenario, app.saves_folder) if s.run.chapter_start(chapter) is not None and not s.scenario_changed),
            None,
        )
        app.call_from_thread(found, match)

    screen.run_worker(look, thread=True, exclusive=True, group="chapter-start")


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
        found = scenario_runs(self.scenario, self.app.saves_folder)
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
        push_continue(self.app, self.scenario, saved)

    def action_replay(self) -> None:
        saved = self.current
        if saved is None:
            return
        chapters = [c.chapter for c in saved.run.chapters if c.chapter in {ch.id for ch in self.scenario.chapters}]
        if not chapters:
            self.app.notify("This run started no chapter the scenario still has.", severity="warning")
            return

        def picked(chapter: str | None) -> None:
            if chapter:
                push_replay(self.app, self.scenario, saved, chapter)

        self.app.push_screen(PickChapterScreen(self.scenario, chapters), picked)

    def action_compare(self) -> None:
        from .compare import ComparePickScreen

        self.app.push_screen(ComparePickScreen(self.scenario))

    def action_map(self) -> None:
        from .chapter_map import ChapterMapScreen

        self.app.push_screen(ChapterMapScreen(self.scenario))


class PickChapterScreen(SizeAware, ModalScreen[str]):
    """Pick one of `chapters` (ids); dismisses with the id, or "" when cancelled."""

    DEFAULT_CSS = """
    PickChapterScreen { align: center middle; }
    PickChapterScreen > Vertical { width: 70; height: auto; padding: 1 2; border: round $primary 60%; background: $surface; }
    PickChapterScreen OptionList { height: auto; max-height: 12; border: none; background: $surface; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, scenario: Scenario, chapters: list[str], question: str = "Replay which chapter?") -> None:
        super().__init__()
        self.scenario, self.chapters, self.question = scenario, chapters, question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question, "bold"))
            yield OptionList(
                *[
                    Option(
                        Content.assemble((f"{self.scenario.chapter_index(c) + 1}. ", "$foreground-muted"), literal(self.scenario.chapter(c).title)),
                        id=c,
                    )
                    for c in self.chapters
                ]
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss("")


def resume_on_open(app, scenario: Scenario, name: str) -> None:
    """`play FILE --resume [SAVE]` in the TUI: find the run (in a worker) and go on with it."""

    def opened(saved: runs.SavedRun | None, problem: str | None) -> None:
        if saved is None:
            app.notify(problem or "No run to continue.", title="Cannot continue", severity="warning", timeout=10)
            app.push_screen(app.new_play_screen(scenario))
            return
        push_continue(app, scenario, saved, on_fail=lambda: app.push_screen(app.new_play_screen(scenario)))

    def find() -> None:
        try:
            if name == runs.LATEST:
                saved = runs.latest_unfinished(app.saves_folder, scenario.path, scenario.id)
                problem = None if saved else f"No unfinished run of {scenario.title} in {app.saves_folder}; starting a new one."
            else:
                saved = runs.inspect(runs.find_save(name, app.saves_folder))
                problem = saved.problem
                if saved.run is None:
                    saved = None
        except runs.SaveError as error:
            saved, problem = None, str(error)
        app.call_from_thread(opened, saved, problem)

    app.run_worker(find, thread=True, exclusive=True, group="resume")


def library_progress(scenario: Scenario, folder: str) -> str | None:
    """For the library: finished runs, endings reached (x of N, by title), best meters and
    where the latest unfinished run stands (call from a worker thread)."""
    lines = scenario_progress(scenario, scenario_runs(scenario, folder)).lines()
    return "\n".join(lines) if lines else None


def latest_unfinished_option(scenario: Scenario, folder: str) -> runs.SavedRun | None:
    try:
        return runs.latest_unfinished(folder, scenario.path, scenario.id)
    except runs.SaveError:  # a saves folder that cannot be listed offers nothing to continue
        return None



def offer_continue(screen) -> None:
    """On the scenario page: if this scenario has an unfinished run, put "Continue" first in
    its list (the saves are read in a worker thread)."""
    app = screen.app

    def found(saved: runs.SavedRun | None) -> None:
        if not screen.is_mounted:
            return
        from .scenario import CONTINUE

        chapters = screen.query_one("#chapters", OptionList)
        if not hasattr(screen, "plain_options"):
            screen.plain_options = [option for option in chapters.options if option.id != CONTINUE]
        base = screen.plain_options
        had_offer = getattr(screen, "offered_run", None) is not None
        screen.offered_run = saved
        if saved is None:
            if had_offer:
                chapters.set_options([*base[:1], None, *base[1:]])
                chapters.highlighted = 0
            return
        when = saved.run.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        prompt = Content.assemble(
            ("▶ ", "bold $accent"),
            ("Continue your unfinished run", "bold"),
            "\n  ",
            literal(f"{outcome(saved.run, Names.of(screen.scenario))} · {replies(saved.run)} · saved {when}", "$foreground-muted"),
        )
        chapters.set_options([Option(prompt, id=CONTINUE), *base[:1], None, *base[1:]])
        chapters.highlighted = 0

    def look() -> None:
        app.call_from_thread(found, latest_unfinished_option(screen.scenario, app.saves_folder))

    screen.run_worker(look, thread=True, exclusive=True, group="offer-continue")


def continue_offered(screen) -> None:
    saved = getattr(screen, "offered_run", None)
    if saved is None:
        return
    push_continue(screen.app, screen.scenario, saved)
