"""The compiled scenario: frozen, shared, and free of the TOML format (the loader maps it)."""

from __future__ import annotations

from collections.abc import Mapping


from .records import frozen
from .conditions import Condition

TONES = ("constructive", "destructive", "neutral")


@frozen
class Meter:
    name: str
    label: str
    start: int
    min: int = 0
    max: int = 100

    def clamp(self, value: int) -> int:
        return max(self.min, min(self.max, value))


@frozen
class Effect:
    """One change to one meter: `add` N, fair math `up`/`down` by N percent, or `set` to N."""

    meter: str
    kind: str  # "add" | "up" | "down" | "set"
    amount: int

    def apply(self, value: int, meter: Meter) -> int:
        if self.kind == "add":
            result = value + self.amount
        elif self.kind == "up":
            result = value + (meter.max - value) * self.amount // 100
        elif self.kind == "down":
            # v - (v - min) * N / 100 rounded up == v - floor((v - min) * N / 100)
            result = value - (value - meter.min) * self.amount // 100
        else:
            result = self.amount
        return meter.clamp(result)

    def describe(self) -> str:
        """The effect as an author wrote it: `+5`, `%-20`, `=40`."""
        if self.kind == "add":
            return f"{self.amount:+d}"
        if self.kind == "set":
            return f"={self.amount}"
        return f"%{'+' if self.kind == 'up' else '-'}{self.amount}"


@frozen
class Style:
    id: str
    label: str
    tone: str
    description: str = ""


@frozen
class Advice:
    id: str
    title: str
    text: str
    sources: tuple[str, ...] = ()


@frozen
class Choice:
    text: str
    style: str
    index: int  # position among the node's choices in file order, from 0
    line: int = 0
    advice: tuple[str, ...] = ()
    feedback: str = ""
    effects: tuple[Effect, ...] = ()
    set: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()
    condition: Condition | None = None
    once: bool = False
    goto: str | None = None
    end: bool = False
    ending: str | None = None


@frozen
class Route:
    goto: str
    condition: Condition | None = None
    line: int = 0


GOTO, END, ENDING = "goto", "end", "ending"  # the ways on a choice, a route or a node can lead


@frozen
class Exit:
    """One way on from a node: where one of its choices, one of its routes, or the node
    itself leads. `target` is the node (GOTO) or the ending (ENDING); None for END (the
    chapter ends, see `Scenario.next_chapter`)."""

    kind: str
    target: str | None = None
    choice: Choice | None = None
    route: Route | None = None


def _way(goto: str | None, ending: str | None) -> tuple[str, str | None]:
    if goto is not None:
        return GOTO, goto
    if ending is not None:
        return ENDING, ending
    return END, None


@frozen
class Node:
    id: str
    chapter: str
    text: str
    line: int = 0
    speaker: str | None = None
    mood: str | None = None
    effects: tuple[Effect, ...] = ()
    set: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    goto: str | None = None
    routes: tuple[Route, ...] = ()
    end: bool = False
    ending: str | None = None

    @property
    def kind(self) -> str:
        """How the node goes on: choices, goto, routes, end or ending (the one place that says it)."""
        if self.choices:
            return "choices"
        if self.goto is not None:
            return "goto"
        if self.routes:
            return "routes"
        if self.ending is not None:
            return "ending"
        return "end"

    def exits(self) -> tuple[Exit, ...]:
        """Every way on from this node, in file order: one per choice, one per route, or the
        node's own goto, ending or chapter end."""
        kind = self.kind
        if kind == "choices":
            return tuple(Exit(*_way(c.goto, c.ending), choice=c) for c in self.choices)
        if kind == "routes":
            return tuple(Exit(GOTO, r.goto, route=r) for r in self.routes)
        return (Exit(*_way(self.goto, self.ending)),)


@frozen
class Chapter:
    id: str
    title: str
    nodes: tuple[str, ...]
    line: int = 0
    summary: str = ""

    @property
    def start(self) -> str:
        return self.nodes[0]


@frozen
class Ending:
    id: str
    title: str
    text: str = ""
    condition: Condition | None = None
    line: int = 0
    best: bool = False  # the ending a story counts as its best (optional key `best = true`)


@frozen(eq=False)
class Scenario:
    path: str
    title: str
    meters: tuple[Meter, ...]
    styles: Mapping[str, Style]
    advice: Mapping[str, Advice]
    chapters: tuple[Chapter, ...]
    nodes: Mapping[str, Node]
    endings: tuple[Ending, ...]
    summary: str = ""
    partner: str | None = None
    digest: str = ""  # sha256 of the file's bytes, so a save can tell the file changed

    @property
    def id(self) -> str:
        """The scenario's id: its file name without the extension."""
        from pathlib import PurePath

        return PurePath(self.path).stem

    def meter(self, name: str) -> Meter:
        for meter in self.meters:
            if meter.name == name:
                return meter
        raise KeyError(name)

    def chapter(self, chapter_id: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                return chapter
        raise KeyError(chapter_id)

    def chapter_index(self, chapter_id: str) -> int:
        for index, chapter in enumerate(self.chapters):
            if chapter.id == chapter_id:
                return index
        raise KeyError(chapter_id)

    def next_chapter(self, chapter_id: str) -> Chapter | None:
        """The chapter played after `chapter_id` (file order), or None after the last: then
        the ending is chosen. The one place that says which chapter comes next."""
        index = self.chapter_index(chapter_id)
        return self.chapters[index + 1] if index + 1 < len(self.chapters) else None

    def ending(self, ending_id: str) -> Ending:
        for ending in self.endings:
            if ending.id == ending_id:
                return ending
        raise KeyError(ending_id)

    def style(self, style_id: str) -> Style:
        return self.styles[style_id]
