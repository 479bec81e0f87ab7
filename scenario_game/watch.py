"""Live reload for authors (`scenario-game play FILE --watch`): notice that the file was
saved, and replay the run's choices on the new version as far as they still exist.

Pure core and a small polling thread; nothing here knows about a screen. A run is a
list of `Step`s (which reply was taken where); `replay` plays them again from the start
on the reloaded scenario, matching each reply by its text first (so moving or adding
replies does not break the replay) and then by its position (so editing a reply's words
does not either), and says where and why it stopped when a step no longer fits.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

import attrs

from . import engine
from .engine import Outcome, State
from .model import Scenario


@attrs.frozen
class Step:
    """One reply taken: in which chapter, at which node, which choice (index in file order) and its text."""

    chapter: str
    node: str
    index: int
    text: str


@attrs.frozen
class Replay:
    state: State  # where the replay stopped (the next reply is the player's)
    pairs: tuple[tuple[State, Outcome], ...]  # (state after, outcome) for each step replayed
    replayed: int  # how many steps were replayed
    total: int  # how many steps there were
    reason: str = ""  # why the replay stopped early ("" when every step was replayed)

    @property
    def complete(self) -> bool:
        return self.replayed == self.total


def steps_of(scenario: Scenario, moves: Iterable[tuple[State, Outcome]]) -> list[Step]:
    """The steps of a run from its (state after, outcome) pairs, as the play screen keeps them."""
    where: dict[int, tuple[str, str]] = {}
    for node in scenario.nodes.values():
        for choice in node.choices:
            where[id(choice)] = (node.chapter, node.id)
    steps = []
    for _, outcome in moves:
        chapter, node = where.get(id(outcome.choice), ("", ""))
        if not node:  # not a choice of this scenario's nodes (should not happen): compare by value
            for candidate in scenario.nodes.values():
                if outcome.choice in candidate.choices:
                    chapter, node = candidate.chapter, candidate.id
                    break
        steps.append(Step(chapter, node, outcome.choice.index, outcome.choice.text))
    return steps


def _pick(scenario: Scenario, state: State, step: Step):
    """The open choice at `state` that stands for `step`, or a reason why there is none."""
    offered = engine.open_choices(scenario, state)
    for choice in offered:
        if choice.text == step.text:
            return choice, ""
    for choice in offered:
        if choice.index == step.index:
            return choice, ""
    if not offered:
        return None, f"node {state.node!r} offers no reply now"
    return None, f"reply {step.index + 1} ({_short(step.text)!r}) is no longer offered at node {state.node!r}"


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def replay(scenario: Scenario, steps: Iterable[Step], chapter: str | None = None, single_chapter: bool = False) -> Replay:
    """Play `steps` again on `scenario` from its start (or from `chapter`'s start), as far
    as each one still fits: the same chapter and node, and a reply with the same text (or
    else the same position) offered there."""
    steps = list(steps)
    if chapter is not None and chapter not in {c.id for c in scenario.chapters}:
        chapter, single_chapter = None, False
        first_reason = "the chapter played no longer exists; started from the beginning"
    else:
        first_reason = ""
    state = engine.start(scenario, chapter)
    pairs: list[tuple[State, Outcome]] = []
    for number, step in enumerate(steps):
        if state.status == engine.CHAPTER_END and not single_chapter:
            state = engine.next_chapter(scenario, state)
        if state.status != engine.CHOOSING:
            why = {engine.ENDED: "the scenario ends before it", engine.CHAPTER_END: "the chapter ends before it"}.get(state.status, state.problem)
            return Replay(state, tuple(pairs), number, len(steps), first_reason or f"reply {number + 1} could not be replayed: {why}")
        if state.chapter != step.chapter or state.node != step.node:
            reason = f"reply {number + 1} was taken at node {step.node!r}, but play now reaches node {state.node!r}"
            return Replay(state, tuple(pairs), number, len(steps), first_reason or reason)
        choice, why = _pick(scenario, state, step)
        if choice is None:
            return Replay(state, tuple(pairs), number, len(steps), first_reason or why)
        state, outcome = engine.choose(scenario, state, choice)
        pairs.append((state, outcome))
    return Replay(state, tuple(pairs), len(steps), len(steps), first_reason)


def signature(path: str | os.PathLike) -> tuple | None:
    """What changes when a file is saved (modification time and size), or None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


class FileWatcher:
    """Polls a file's modification time and size in a daemon thread and calls
    `on_change()` (in that thread) each time they change. No dependency, no inotify:
    a scenario is one small file, and a poll every few tenths of a second is cheap."""

    def __init__(self, path: str | os.PathLike, on_change: Callable[[], None], interval: float = 0.3) -> None:
        self.path = path
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last = signature(path)

    def start(self) -> "FileWatcher":
        self._thread = threading.Thread(target=self._run, name="scenario-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def poll(self) -> bool:
        """One look at the file; True (after calling `on_change`) when it changed."""
        now = signature(self.path)
        if now == self.last:
            return False
        self.last = now
        if now is None:
            return False  # removed (an editor's save may briefly delete it): wait for it to come back
        self.on_change()
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:  # pragma: no cover - a failing callback must not end the watching
                pass
