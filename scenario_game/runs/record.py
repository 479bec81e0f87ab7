"""The run record: one playthrough as saved, the session's history (chapter starts and
steps, see `scenario_game.session`) plus where it came from and where it stopped.

The position is an engine `State` (one state shape for the engine, the session and the
save), kept without the per-move fields (`passed`, `chapter_start`), see `position_of`.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..records import frozen
from .. import engine
from ..engine import State
from ..model import Scenario
from ..session import ChapterStart, Step

FULL = "full"  # the run plays the scenario on from its first (or resumed) chapter
CHAPTER = "chapter"  # the run plays one chapter alone (`--chapter`, a replay)
MODES = (FULL, CHAPTER)
STATUSES = (engine.CHOOSING, engine.CHAPTER_END, engine.ENDED, engine.STUCK)

__all__ = ["CHAPTER", "FULL", "MODES", "STATUSES", "ChapterStart", "Run", "SaveError", "Step", "position_of"]


class SaveError(Exception):
    """A save that cannot be read (the message is a sentence for the player) or written."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def position_of(state: State) -> State:
    """The state as a save keeps it: without the last move's nodes and the chapter's start."""
    if not state.passed and state.chapter_start is None:
        return state
    return attrs.evolve(state, passed=(), chapter_start=None)


@frozen
class Run:
    scenario_id: str
    title: str
    scenario_file: str
    digest: str
    created: dt.datetime
    updated: dt.datetime
    mode: str
    chapter_count: int  # chapters in the scenario when it was played
    chapters: tuple[ChapterStart, ...]
    steps: tuple[Step, ...]
    position: State  # where the run stopped (`position_of` the last state)
    replay_of: str | None = None  # the save a replayed chapter started from
    seed: int | None = None  # the reply shuffle's seed; None: replies shown in file order
    keep_words: bool = True  # False: the player asked that their own written words not be kept
    path: str | None = attrs.field(default=None, eq=False)  # where it was read from or saved to

    @property
    def ending(self) -> str | None:
        return self.position.ending if self.position.status == engine.ENDED else None

    @property
    def finished(self) -> bool:
        """Nothing more to play: an ending, a stuck scenario, or a lone chapter's end."""
        status = self.position.status
        if status in (engine.ENDED, engine.STUCK):
            return True
        return status == engine.CHAPTER_END and self.mode == CHAPTER

    def chapter_start(self, chapter: str) -> ChapterStart | None:
        for start in self.chapters:
            if start.chapter == chapter:
                return start
        return None

    def chapter_steps(self, chapter: str) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.chapter == chapter)

    def chapters_played(self) -> list[str]:
        """Chapter ids in the order the run first reached them."""
        seen: list[str] = []
        for chapter in [c.chapter for c in self.chapters] + [s.chapter for s in self.steps]:
            if chapter not in seen:
                seen.append(chapter)
        return seen

    def chapter_finished(self, chapter: str) -> bool:
        """Whether the run played `chapter` to its end (it went on past it, or stopped there)."""
        played = self.chapters_played()
        if chapter not in played:
            return False
        if self.position.chapter != chapter:
            return True
        return self.position.status in (engine.CHAPTER_END, engine.ENDED)

    def replay_from(self, scenario: Scenario, chapter: str) -> State:
        """A new state at `chapter`'s start exactly as this run began it."""
        start = self.chapter_start(chapter)
        if start is None:
            raise SaveError(f"this run never started chapter {chapter!r}")
        return engine.restart_chapter(scenario, start.snapshot)

    def resume_state(self) -> State:
        """The state where the run stopped, knowing where its chapter began."""
        start = None
        for candidate in self.chapters:
            if candidate.chapter == self.position.chapter:
                start = candidate.snapshot
        return attrs.evolve(self.position, passed=(self.position.node,), chapter_start=start)

    def explored(self) -> tuple[set[str], set[str]]:
        """Node ids entered and `node#index` choices taken in this run."""
        nodes: set[str] = set()
        choices: set[str] = set()
        for step in self.steps:
            nodes.add(step.node)
            nodes.update(step.passed)
            choices.add(step.choice_key)
        nodes.update(name for name, count in self.position.visits if count)
        return nodes, choices
