"""Starting play in the TUI: a new run, a saved run going on, a chapter replayed as a run
had it. Saves are read in worker threads; the play screen opens through the app
(`app.play`), so nothing here imports a screen."""

from __future__ import annotations

from collections.abc import Callable

from .. import runs
from ..model import Scenario
from ..session import Observer
from .dialogs.chapter_start import ChapterStartScreen


def recorder_factory(saves_folder: str) -> Callable[[Scenario], runs.Recorder]:
    """What the app calls for each new run: a Recorder saving into `saves_folder`."""

    def make(scenario: Scenario) -> runs.Recorder:
        return runs.Recorder(scenario, saves_folder, on_error=_raise_save_error)

    return make


def _raise_save_error(message: str) -> None:
    raise runs.SaveError(message)  # the play screen's saving thread reports it as a notice


def _recorder_for(app, scenario: Scenario, plan: runs.StartPlan) -> Callable[[], Observer] | None:
    """The recorder of a run planned from a save (built on the saving thread), if the app saves runs."""
    if getattr(app, "recorder_factory", None) is None:
        return None
    folder = app.saves_folder

    def make() -> Observer:
        return runs.Recorder(scenario, folder, run=plan.run, mode=plan.mode, replay_of=plan.replay_of, on_error=_raise_save_error)

    return make


def continue_run(app, scenario: Scenario, saved: runs.SavedRun, on_fail=None) -> None:
    """Go on with `saved` in a new play screen, its chapter shown as played so far; if the
    scenario file changed since it was saved, replay its chapter from the start as a new
    run (and say so). `on_fail()` runs if it cannot be done."""

    def failed(message: str) -> None:
        app.notify(message, title="Cannot continue", severity="error", timeout=10)
        if on_fail is not None:
            on_fail()

    def ready(plan: runs.StartPlan) -> None:
        for note in plan.notes:
            if note.startswith("note:"):
                app.notify(note.removeprefix("note: "), title="Scenario changed", severity="warning", timeout=12)
        app.play(plan.session(scenario, seed=app.new_seed(), keep_words=app.keep_words), recorder=_recorder_for(app, scenario, plan), go_on=True)

    def work() -> None:
        try:
            plan = runs.plan_play(scenario, app.saves_folder, resume=saved.path)
        except runs.SaveError as error:
            app.call_from_thread(failed, str(error))
            return
        app.call_from_thread(ready, plan)

    app.run_worker(work, thread=True, exclusive=True, group="open-run")


def replay_chapter(app, scenario: Scenario, saved: runs.SavedRun, chapter: str) -> None:
    """Play `chapter` alone, from the state `saved` recorded as it began and with its reply
    order, as a new run."""

    def failed(message: str) -> None:
        app.notify(message, title="Cannot replay", severity="error", timeout=10)

    def ready(plan: runs.StartPlan) -> None:
        for note in plan.notes:
            app.notify(note.removeprefix("note: "), title="Scenario changed", severity="warning", timeout=12)
        app.play(plan.session(scenario, keep_words=app.keep_words), recorder=_recorder_for(app, scenario, plan))

    def work() -> None:
        try:
            plan = runs.plan_play(scenario, app.saves_folder, chapter=chapter, from_run=saved.path)
        except runs.SaveError as error:
            app.call_from_thread(failed, str(error))
            return
        app.call_from_thread(ready, plan)

    app.run_worker(work, thread=True, exclusive=True, group="open-run")


def start_chapter(screen, scenario: Scenario, chapter: str) -> None:
    """From the chapter list: if a saved run played `chapter`, offer to replay it as that
    run had it; otherwise (or if declined) start it from the scenario's start."""
    app = screen.app

    def fresh() -> None:
        app.push_screen(app.new_play_screen(scenario, chapter=chapter))

    def found(saved: runs.SavedRun | None) -> None:
        if saved is None:
            fresh()
            return

        def answered(answer: str | None) -> None:
            if answer == "run":
                replay_chapter(app, scenario, saved, chapter)
            elif answer == "fresh":
                fresh()

        app.push_screen(ChapterStartScreen(scenario, chapter, saved), answered)

    def look() -> None:
        match = next(
            (s for s in runs.scenario_runs(scenario, app.saves_folder) if s.run.chapter_start(chapter) is not None and not s.scenario_changed),
            None,
        )
        app.call_from_thread(found, match)

    screen.run_worker(look, thread=True, exclusive=True, group="chapter-start")


def resume_on_open(app, scenario: Scenario, name: str) -> None:
    """`play FILE --resume [SAVE]` in the TUI: find the run (in a worker) and go on with it."""

    def opened(saved: runs.SavedRun | None, problem: str | None) -> None:
        if saved is None:
            app.notify(problem or "No run to continue.", title="Cannot continue", severity="warning", timeout=10)
            app.push_screen(app.new_play_screen(scenario))
            return
        continue_run(app, scenario, saved, on_fail=lambda: app.push_screen(app.new_play_screen(scenario)))

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
