"""The play session: the one play loop, in the spirit of ink's Story over its StoryState.

(The session object itself follows; these are the records of the run's history it keeps.)
"""

from __future__ import annotations

import attrs

from . import engine


@attrs.frozen
class ChapterStart:
    """The state as a chapter began (before its first node was entered, the engine's
    `Snapshot`), and the number of the first step played in it."""

    chapter: str
    first_step: int
    snapshot: engine.Snapshot


@attrs.frozen
class Step:
    """One reply taken: where, which (number shown and index in file order), and what it did."""

    number: int  # 1, 2, ... in the run
    chapter: str
    node: str
    shown: int  # the number the player saw, from 1
    index: int  # the choice's position in file order, from 0
    text: str
    style: str
    style_label: str
    tone: str
    before: tuple[tuple[str, int], ...]
    after: tuple[tuple[str, int], ...]
    passed: tuple[str, ...] = ()  # nodes entered by the move
    status: str = engine.CHOOSING  # play's status after the move
    written: str | None = None  # the player's own words, when they wrote the reply themselves

    @property
    def choice_key(self) -> str:
        return f"{self.node}#{self.index}"

    def meter_after(self, name: str) -> int:
        return dict(self.after)[name]
