"""The recorder: keeps the run of a game being played and saves it after every reply."""

from __future__ import annotations

import threading
from collections.abc import Callable
import os
from pathlib import Path

import attrs

from .. import engine
from ..engine import State
from ..model import Scenario
from .record import CHAPTER, FULL, ChapterStart, Run, SaveError, Step, _now, position_of
from .saveformat import SaveText
from .store import save, save_new


def new_run(scenario: Scenario, state: State, mode: str = FULL, replay_of: str | None = None) -> Run:
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
    )


def _began(state: State) -> engine.Snapshot:
    """Where the state's chapter began; a state without one (made by hand) stands for itself."""
    if state.chapter_start is not None:
        return state.chapter_start
    return engine.Snapshot(state.chapter, tuple(state.meters), frozenset(state.flags), tuple(state.visits), frozenset(state.taken))


class Recorder:
    """Keeps the run of a game being played and saves it after every choice.

    Its three hooks are called by the plain player and the TUI's play screen (from a
    worker thread, hence the lock). A new run is first written at its first choice, so
    opening a scenario and leaving at once leaves no file behind. A failed write does
    not stop play: it is reported through `on_error` and kept in `problem`.
    """

    def __init__(
        self,
        scenario: Scenario,
        folder: str | os.PathLike,
        *,
        run: Run | None = None,
        mode: str = FULL,
        replay_of: str | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.folder = Path(folder)
        self.run: Run | None = run
        self.mode = mode if run is None else run.mode
        self.replay_of = replay_of
        self.on_error = on_error
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._text = SaveText()  # steps already serialised, so a save costs the same at any length

    @property
    def path(self) -> str | None:
        return self.run.path if self.run is not None else None

    def on_chapter(self, state: State) -> None:
        """A chapter starts: keep the snapshot it began from (a resumed position is not a start)."""
        if state.status in (engine.ENDED, engine.STUCK) and self.run is not None:
            self.on_move(state)  # the scenario ended on entering: nothing starts
            return
        with self._lock:
            if self.run is None:
                self.run = new_run(self.scenario, state, self.mode, self.replay_of)
            elif self.run.position == position_of(state) and self.run.steps:
                return  # resuming where the run stopped, in the middle of a chapter
            elif self.run.chapter_start(state.chapter) is not None:
                # The chapter is played again (the chapter end's "replay"): the run so far
                # is kept as saved, and the replay goes on as a new run that names it.
                origin = Path(self.run.path).name if self.run.path else self.run.replay_of
                self.run = new_run(self.scenario, state, self.mode, origin)
            elif self.run.mode == CHAPTER and self.run.chapters:
                self.run = attrs.evolve(self.run, mode=FULL)  # a lone chapter that went on to the next
                self.mode = FULL
            start = ChapterStart(state.chapter, len(self.run.steps) + 1, _began(state))
            self.run = attrs.evolve(self.run, chapters=self.run.chapters + (start,), position=position_of(state))
            self._save_if_started()

    def on_step(self, before: State, after: State, outcome: engine.Outcome, number: int) -> None:
        """A choice was taken: add the step and save."""
        with self._lock:
            if self.run is None:
                self.run = new_run(self.scenario, before, self.mode, self.replay_of)
            if not self.run.chapters:
                self.run = attrs.evolve(self.run, chapters=(ChapterStart(before.chapter, 1, _began(before)),))
            step = Step(
                number=len(self.run.steps) + 1,
                chapter=before.chapter,
                node=before.node,
                shown=number,
                index=outcome.choice.index,
                text=outcome.choice.text,
                style=outcome.style.id,
                style_label=outcome.style.label,
                tone=outcome.style.tone,
                before=tuple(before.meters),
                after=tuple(after.meters),
                passed=tuple(outcome.passed),
                status=after.status,
            )
            self.run = attrs.evolve(self.run, steps=self.run.steps + (step,), position=position_of(after))
            self._save_if_started()

    def on_move(self, state: State) -> None:
        """Play moved without a choice (the next chapter, an ending): keep the position."""
        with self._lock:
            if self.run is None:
                return
            if self.run.position == position_of(state):
                return
            self.run = attrs.evolve(self.run, position=position_of(state))
            self._save_if_started()

    def _save_if_started(self) -> None:
        assert self.run is not None
        if not self.run.steps:
            return
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
