"""Where play starts: a new run, a chapter replayed from a saved run's snapshot, or a
saved run going on where it stopped."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


from ..records import frozen
from .. import engine
from ..engine import State
from ..model import Scenario
from ..session import Observer, Session
from .listing import SAME, find_save, latest_unfinished, same_scenario, scenario_state
from .record import CHAPTER, FULL, Run, SaveError
from .saveformat import read_run

LATEST = ""  # `--resume` without a save: the latest unfinished run of the scenario


@frozen
class StartPlan:
    """Where play starts and how it is recorded: a new run, a replay, or a run going on."""

    state: State
    single_chapter: bool
    mode: str
    run: Run | None = None  # a run to go on with (its own save is updated)
    replay_of: str | None = None  # the save a new run's chapter was replayed from
    notes: tuple[str, ...] = ()  # sentences for the player
    chapter: str | None = None  # a new run's lone chapter
    snapshot: engine.Snapshot | None = None  # a chapter begun from what a saved run recorded
    seed: int | None = None  # the reply shuffle of the saved run this plan comes from
    from_run: bool = False  # the plan comes from a saved run, so its seed (even None) is kept

    def session(self, scenario: Scenario, *, seed: int | None = None, keep_words: bool | None = None, observers: Iterable[Observer] = ()) -> Session:
        """The play session this plan starts (call its `start()` once observers are added).
        `seed` shuffles a new run's replies; a saved run's own seed is kept. `keep_words`:
        whether the player's own words are kept (default: as the run going on had it, else yes)."""
        order = self.seed if self.from_run else seed
        keep = keep_words if keep_words is not None else self.run.keep_words if self.run is not None else True
        if self.run is not None:
            history = (self.run.chapters, self.run.steps, self.run.position)
            return Session(scenario, history=history, single_chapter=self.single_chapter, seed=order, keep_words=keep, observers=observers)
        if self.snapshot is not None:
            return Session(scenario, snapshot=self.snapshot, single_chapter=self.single_chapter, seed=order, keep_words=keep, observers=observers)
        return Session(scenario, chapter=self.chapter, single_chapter=self.single_chapter, seed=order, keep_words=keep, observers=observers)


def _chapter_ids(scenario: Scenario) -> list[str]:
    return [c.id for c in scenario.chapters]


def _open_save(name: str, folder: str | os.PathLike) -> Run:
    return read_run(find_save(name, folder))


def _check_belongs(run: Run, scenario: Scenario, scenario_file: str | os.PathLike) -> None:
    if not same_scenario(run, scenario_file, scenario.id):
        raise SaveError(
            f"{Path(run.path or '').name} is a run of {run.title!r} ({run.scenario_id}), not of {scenario.title!r} ({scenario.id})"
        )


def _position_problem(scenario: Scenario, run: Run) -> str | None:
    position = run.position
    if position.node not in scenario.nodes or position.chapter not in _chapter_ids(scenario):
        return f"its position (chapter {position.chapter!r}, node {position.node!r}) is not in the scenario"
    if {name for name, _ in position.meters} != {m.name for m in scenario.meters}:
        return "its meters are not the scenario's meters"
    return None


def plan_play(
    scenario: Scenario,
    folder: str | os.PathLike,
    *,
    scenario_file: str | os.PathLike | None = None,
    chapter: str | None = None,
    resume: str | None = None,
    from_run: str | None = None,
) -> StartPlan:
    """Decide where play starts: a new run, `from_run`'s snapshot of `chapter`, or where
    the run to `resume` stopped. Raises SaveError with a sentence when that cannot be."""
    scenario_file = scenario_file if scenario_file is not None else scenario.path
    if resume is not None:
        if chapter is not None or from_run is not None:
            raise SaveError("--resume goes on with a saved run; it cannot be combined with --chapter or --from-run")
        return _plan_resume(scenario, folder, scenario_file, resume)
    if from_run is not None:
        if chapter is None:
            raise SaveError("--from-run needs --chapter ID: the chapter to replay from that run")
        run = _open_save(from_run, folder)
        _check_belongs(run, scenario, scenario_file)
        start = run.chapter_start(chapter)
        if start is None:
            played = ", ".join(c.chapter for c in run.chapters) or "none"
            raise SaveError(f"{Path(run.path or from_run).name} never started chapter {chapter!r} (chapters it started: {played})")
        notes: tuple[str, ...] = ()
        if scenario_state(run) != SAME:
            notes = (f"note: {scenario.id} has changed since {Path(run.path or from_run).name} was saved; replaying with the meters, flags and visits it recorded",)
        state = engine.restart_chapter(scenario, start.snapshot)
        return StartPlan(state, True, CHAPTER, replay_of=Path(run.path or from_run).name, notes=notes, snapshot=start.snapshot, seed=run.seed, from_run=True)
    state = engine.start(scenario, chapter)
    return StartPlan(state, chapter is not None, CHAPTER if chapter is not None else FULL, chapter=chapter)


def _plan_resume(scenario: Scenario, folder, scenario_file, name: str) -> StartPlan:
    if name == LATEST:
        saved = latest_unfinished(folder, scenario_file, scenario.id)
        if saved is None:
            raise SaveError(f"no unfinished run of {scenario.title!r} in {folder}; play it without --resume to start one")
        run = saved.run
        assert run is not None
    else:
        run = _open_save(name, folder)
        _check_belongs(run, scenario, scenario_file)
    label = Path(run.path or name).name
    if run.finished:
        reached = next((e.title for e in scenario.endings if e.id == run.ending), run.ending)
        how = f"it reached the ending \u201c{reached}\u201d" if run.ending else f"it stopped at {run.position.status.replace('_', ' ')}"
        raise SaveError(f"{label} has nothing left to play: {how}; replay a chapter with --chapter ID --from-run {label}")
    if scenario_state(run) == SAME and _position_problem(scenario, run) is None:
        return StartPlan(run.resume_state(), run.mode == CHAPTER, run.mode, run=run, notes=(f"continuing {label}",), seed=run.seed, from_run=True)
    # The scenario changed: the saved position may not exist any more. Its chapter can
    # still be played again from the state the run recorded as that chapter began.
    chapter = run.position.chapter
    start = run.chapter_start(chapter)
    if start is None or chapter not in _chapter_ids(scenario):
        raise SaveError(
            f"{scenario.id} has changed since {label} was saved and its chapter {chapter!r} is no longer in it; "
            f"start again with: play FILE (chapters now: {', '.join(_chapter_ids(scenario))})"
        )
    note = (
        f"note: {scenario.id} has changed since {label} was saved, so the place it stopped may no longer exist. "
        f"Replaying the chapter \u201c{scenario.chapter(chapter).title}\u201d from its start, with the meters and flags the run had there, as a new run; {label} is kept unchanged."
    )
    state = engine.restart_chapter(scenario, start.snapshot)
    return StartPlan(state, run.mode == CHAPTER, run.mode, replay_of=label, notes=(note,), snapshot=start.snapshot, seed=run.seed, from_run=True)
