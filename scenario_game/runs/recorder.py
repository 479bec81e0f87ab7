"""The recorder: a session observer that keeps the run being played and saves it after
every reply (one whole, atomic TOML file; see `store` and `saveformat`)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import attrs

from ..engine import Outcome, State
from ..model import Scenario
from ..session import ChapterStart, History, Step
from .record import CHAPTER, FULL, Run, SaveError, _now, position_of
from .saveformat import SaveText
from .store import save, save_new


def new_run(scenario: Scenario, state: State, mode: str = FULL, replay_of: str | None = None, seed: int | None = None, keep_words: bool = True) -> Run:
    now = _now()
    return Run(
        scenario_id=scenario.id,
        title=scenario.title,
        scenario_file=str(Path(scenario.path).resolve()),
        digest=scenario.digest,
        created=now,
        updated=now,
        mode=mode,
        chapter_count=len(scenario.chapters),
        chapters=(),
        steps=(),
        position=position_of(state),
        replay_of=replay_of,
        seed=seed,
        keep_words=keep_words,
    )


def _extends(longer: tuple, shorter: tuple) -> bool:
    """`longer` begins with the records of `shorter` (the same objects). Records are only
    ever appended, or dropped and replaced by new ones, so the last one shared tells."""
    return len(longer) >= len(shorter) and (not shorter or longer[len(shorter) - 1] is shorter[-1])


class Recorder:
    """Observes a play session and keeps its run as the session's history says it is.

    A new run is first written once a reply is taken in it, so opening a scenario and
    leaving at once leaves no file behind. When the session's history stops extending the
    run's (a chapter played again), the run so far stays as saved and play goes on as a
    new run that names it (`replay_of`) and keeps the history up to the replayed chapter.
    A failed write does not stop play: it is reported through `on_error` and kept in
    `problem`. The TUI calls it from a saving thread, hence the lock.
    """

    def __init__(
        self,
        scenario: Scenario,
        folder: str | os.PathLike,
        *,
        run: Run | None = None,
        mode: str | None = None,
        replay_of: str | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.folder = Path(folder)
        self.run: Run | None = run
        self.mode = run.mode if run is not None else mode
        self.replay_of = replay_of
        self.on_error = on_error
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._text = SaveText()  # steps already serialised, so a save costs the same at any length
        self._carried = len(run.steps) if run is not None else 0  # steps the run had before this play

    @property
    def path(self) -> str | None:
        return self.run.path if self.run is not None else None

    # --- the session's events -------------------------------------------------------

    def chapter_started(self, history: History, start: ChapterStart) -> None:
        self._follow(history)

    def step_taken(self, history: History, step: Step, outcome: Outcome) -> None:
        self._follow(history)

    def moved(self, history: History) -> None:
        self._follow(history)

    def ended(self, history: History) -> None:
        self._follow(history)

    # --- keeping the run ------------------------------------------------------------

    def _follow(self, history: History) -> None:
        with self._lock:
            run = self.run
            if run is None:
                mode = self.mode or (CHAPTER if history.single_chapter else FULL)
                run = new_run(self.scenario, history.state, mode, self.replay_of, history.seed, history.keep_words)
                self._carried = 0
            elif not (_extends(history.chapters, run.chapters) and _extends(history.steps, run.steps)):
                # A chapter is played again: the run so far is kept as saved, and play goes
                # on as a new run that names it, with the history up to that chapter.
                origin = Path(run.path).name if run.path else run.replay_of
                run = new_run(self.scenario, history.state, run.mode, origin, history.seed, history.keep_words)
                self._carried = len(history.steps)
            position = position_of(history.state)
            if run.chapters is history.chapters and run.steps is history.steps and run.position == position and run.keep_words == history.keep_words:
                return
            self.run = attrs.evolve(run, chapters=history.chapters, steps=history.steps, position=position, keep_words=history.keep_words)
            self._save_if_started()

    def _save_if_started(self) -> None:
        assert self.run is not None
        if len(self.run.steps) <= self._carried and self.run.path is None:
            return  # nothing played in this run yet
        self.run = attrs.evolve(self.run, updated=max(_now(), self.run.created))
        try:
            if self.run.path is None:
                self.run = save_new(self.run, self.folder, self._text.text)
            else:
                save(self.run, self._text.text(self.run))
        except (OSError, SaveError) as exc:
            message = f"the run could not be saved in {self.folder}: {getattr(exc, 'strerror', None) or exc}"
            first = self.problem is None
            self.problem = message
            if self.on_error is not None and first:
                self.on_error(message)
        else:
            self.problem = None
