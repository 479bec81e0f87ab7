"""The pure state machine: a frozen Scenario, a small immutable State, and steps that
return a new State with an Outcome. Nothing here does I/O or knows about a screen.

The play loop is three calls: `current_node` (what is on screen), `open_choices`
(which replies are offered) and `choose` (take one). At a chapter's end, `next_chapter`
moves on or picks the ending.

Inside, a scenario is compiled once into a `Program` (meters by index, conditions as
Python functions, visit counts kept only for the nodes some `visited()` asks about), and
a move works on plain local values; the frozen State is made once per move, at the
boundary. So a choice costs the same at step 10,000 as at step 1.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Iterable, Iterator, Mapping

import attrs

from .records import frozen
from . import conditions
from .model import Advice, Choice, Effect, Meter, Node, Scenario, Style

CHOOSING = "choosing"  # waiting for the player at a choices node
CHAPTER_END = "chapter_end"  # a chapter ended; `next_chapter` goes on
ENDED = "ended"  # the scenario reached `ending`
STUCK = "stuck"  # an authoring error: no choice open, or auto nodes loop forever

# Automatic nodes entered again in one move with the same meters and flags (only the
# visit counts differ) before play counts as stuck. A chain of distinct nodes, however
# long, never counts; a loop that can never change anything is stuck at once.
AUTO_STEP_LIMIT = 10_000


class EngineError(Exception):
    """A move the state does not allow (a choice not offered, a finished run)."""


class Visits:
    """How many times each node was entered: an immutable value that reads like a sorted
    tuple of (node id, count) pairs.

    Extending it by one entry costs O(1): the counts are worked out only when someone
    reads them (a save, a test), from the nearest ancestor that has them. Play itself
    never reads them; it keeps its own counts for the nodes conditions ask about."""

    __slots__ = ("_parent", "_node", "_counts", "_items")

    def __init__(self, counts: Iterable[tuple[str, int]] | Mapping[str, int] = ()) -> None:
        pairs = counts.items() if isinstance(counts, Mapping) else counts
        self._parent: Visits | None = None
        self._node: str | None = None
        self._counts: dict[str, int] | None = {name: int(count) for name, count in pairs}
        self._items: tuple[tuple[str, int], ...] | None = None

    def entered(self, node: str) -> Visits:
        """These counts with `node` entered once more."""
        child = Visits.__new__(Visits)
        child._parent, child._node, child._counts, child._items = self, node, None, None
        return child

    def counts(self) -> dict[str, int]:
        """The counts as a dict (shared: do not change it)."""
        counts = self._counts
        if counts is not None:
            return counts
        added: list[str] = []
        here = self
        while True:
            found = here._counts
            if found is not None:
                break
            parent = here._parent
            if parent is None:  # another thread has just worked it out
                found = here._counts
                break
            added.append(here._node)
            here = parent
        counts = dict(found)
        for node in added:
            counts[node] = counts.get(node, 0) + 1
        self._counts = counts
        self._parent = None  # the ancestors are no longer needed here
        return counts

    def get(self, node: str, default: int = 0) -> int:
        return self.counts().get(node, default)

    def _sorted(self) -> tuple[tuple[str, int], ...]:
        items = self._items
        if items is None:
            items = self._items = tuple(sorted(self.counts().items()))
        return items

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._sorted())

    def __len__(self) -> int:
        return len(self.counts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Visits):
            return other is self or self.counts() == other.counts()
        if isinstance(other, tuple):
            return self._sorted() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._sorted())

    def __repr__(self) -> str:
        return repr(self._sorted())

    def __reduce__(self):  # copied or pickled as its counts, never as the chain behind them
        return (Visits, (self._sorted(),))


def _as_visits(visits) -> Visits:
    return visits if isinstance(visits, Visits) else Visits(visits)


@frozen
class Snapshot:
    """The state as a chapter began, before its first node was entered: replaying the
    chapter from here gives exactly the same play as the first time."""

    chapter: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    visits: Visits = attrs.field(default=(), converter=_as_visits)  # given as (node, count) pairs or a mapping
    taken: frozenset[str] = frozenset()
    _core: tuple | None = attrs.field(default=None, init=False, eq=False, repr=False)


@frozen
class State:
    """Everything a run needs to go on; refers to nodes by id only."""

    node: str
    chapter: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    visits: Visits = attrs.field(default=(), converter=_as_visits)  # every node entered, with its count
    taken: frozenset[str] = frozenset()  # "node#index" of once-only choices already taken
    status: str = CHOOSING
    ending: str | None = None
    passed: tuple[str, ...] = ()  # nodes entered by the last move, in order
    problem: str = ""  # why play is STUCK
    chapter_start: Snapshot | None = None  # where the current chapter began
    # The engine's own form of meters and watched visits, when the engine made this state.
    _core: tuple | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def meter(self, name: str) -> int:
        for key, value in self.meters:
            if key == name:
                return value
        raise KeyError(name)

    @property
    def meter_values(self) -> dict[str, int]:
        return dict(self.meters)

    @property
    def visit_counts(self) -> dict[str, int]:
        return dict(self.visits.counts())

    @property
    def finished(self) -> bool:
        return self.status in (ENDED, STUCK)


@frozen
class MeterChange:
    name: str
    label: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before

    def describe(self) -> str:
        """`Trust 45 -> 56 (+11)`: the one place a meter change is put into words."""
        return f"{self.label} {self.before} -> {self.after} ({self.delta:+d})"


@frozen
class Outcome:
    """What taking a choice did, for the feedback panel and the run record."""

    choice: Choice
    style: Style
    changes: tuple[MeterChange, ...]  # every meter, in declaration order
    feedback: str
    advice: tuple[Advice, ...]
    passed: tuple[str, ...]

    @property
    def changed(self) -> tuple[MeterChange, ...]:
        return tuple(c for c in self.changes if c.delta)


# --- the compiled scenario ------------------------------------------------------------


class _Node:
    """A node as play needs it: effects by meter index, conditions as functions."""

    __slots__ = ("id", "chapter", "effects", "set", "unset", "changes_flags", "choices", "goto", "routes", "ending", "auto", "watch")


class _Choice:
    __slots__ = ("choice", "test", "once", "effects", "set", "unset", "changes_flags")


class Program:
    """A scenario compiled for play, once: meters by index, the nodes `visited()` asks
    about, and each node's conditions as functions (made the first time play enters it)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.meters: tuple[Meter, ...] = scenario.meters
        self.names = tuple(m.name for m in scenario.meters)
        self.index = {name: i for i, name in enumerate(self.names)}
        asked: set[str] = set()
        for node in scenario.nodes.values():
            for choice in node.choices:
                if choice.condition is not None:
                    asked |= choice.condition.visited_nodes
            for route in node.routes:
                if route.condition is not None:
                    asked |= route.condition.visited_nodes
        for ending in scenario.endings:
            if ending.condition is not None:
                asked |= ending.condition.visited_nodes
        self.watched = tuple(sorted(n for n in asked if n in scenario.nodes))
        self.watch_index = {node: i for i, node in enumerate(self.watched)}
        self.no_visits = (0,) * len(self.watched)
        self.nodes: dict[str, _Node] = {}
        self.endings = [(e.id, self.test(e.condition)) for e in scenario.endings]
        self.chapter_after = {c.id: scenario.next_chapter(c.id) for c in scenario.chapters}
        self.chapters = {c.id: c for c in scenario.chapters}

    def test(self, condition: conditions.Condition | None):
        """The condition as a function of (meter values, flags, watched visit counts)."""
        if condition is None:
            return None
        index, watch = self.index, self.watch_index
        return conditions.to_function(condition.tree, lambda name: _item("m", index[name]), lambda node: _item("v", watch[node]))

    def effects(self, effects: tuple[Effect, ...]) -> tuple:
        return tuple((self.index[e.meter], e, self.meters[self.index[e.meter]]) for e in effects)

    def node(self, node_id: str) -> _Node:
        compiled = self.nodes.get(node_id)
        if compiled is not None:
            return compiled
        node = self.scenario.nodes[node_id]
        compiled = _Node()
        compiled.id, compiled.chapter = node.id, node.chapter
        compiled.effects = self.effects(node.effects)
        compiled.set, compiled.unset = frozenset(node.set), frozenset(node.unset)
        compiled.changes_flags = bool(node.set or node.unset)
        choices = []
        for choice in node.choices:
            c = _Choice()
            c.choice, c.test = choice, self.test(choice.condition)
            c.once = f"{node.id}#{choice.index}" if choice.once else None
            c.effects = self.effects(choice.effects)
            c.set, c.unset = frozenset(choice.set), frozenset(choice.unset)
            c.changes_flags = bool(choice.set or choice.unset)
            choices.append(c)
        compiled.choices = tuple(choices)
        compiled.goto = node.goto
        compiled.routes = tuple((route.goto, self.test(route.condition)) for route in node.routes)
        compiled.ending = node.ending
        compiled.auto = not node.choices
        compiled.watch = self.watch_index.get(node.id, -1)
        self.nodes[node_id] = compiled
        return compiled

    # The engine's own form of a state: (meter values by index, watched visit counts).

    def core(self, holder: State | Snapshot) -> tuple:
        core = holder._core
        if core is None:  # a state made outside the engine (a save): read it once
            given = dict(holder.meters)
            values = tuple(int(given.get(m.name, m.start)) for m in self.meters)
            counts = holder.visits.counts()
            core = (values, tuple(counts.get(n, 0) for n in self.watched))
            object.__setattr__(holder, "_core", core)
        return core

    def pairs(self, values: tuple[int, ...]) -> tuple[tuple[str, int], ...]:
        return tuple(zip(self.names, values))

    def open(self, node: _Node, values, flags, watched, taken) -> list[_Choice]:
        return [c for c in node.choices if (c.once is None or c.once not in taken) and (c.test is None or c.test(values, flags, watched))]


def _item(sequence: str, index: int) -> ast.expr:
    """`sequence[index]` as a Python syntax tree (a meter or a watched visit count by index)."""
    return ast.Subscript(ast.Name(sequence, ast.Load()), ast.Constant(index), ast.Load())


_programs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_last: tuple = (None, None)  # the scenario asked about last and its program: most calls ask again


def program(scenario: Scenario) -> Program:
    """The scenario compiled for play (once per scenario object)."""
    global _last
    last = _last
    if last[0] is scenario:
        return last[1]
    found = _programs.get(scenario)
    if found is None:
        found = _programs[scenario] = Program(scenario)
    _last = (scenario, found)
    return found


def _apply(values: tuple[int, ...], effects: tuple) -> tuple[int, ...]:
    if not effects:
        return values
    changed = list(values)
    for i, effect, meter in effects:
        changed[i] = effect.apply(changed[i], meter)
    return tuple(changed)


def _flags(flags: frozenset[str], set_flags: Iterable[str], unset_flags: Iterable[str]) -> frozenset[str]:
    if not set_flags and not unset_flags:
        return flags
    return (flags | frozenset(set_flags)) - frozenset(unset_flags)


def _state(prog: Program, node: str, chapter: str, values, flags, visits, watched, taken, status, ending, passed, problem, start) -> State:
    state = State(node, chapter, prog.pairs(values), flags, visits, taken, status, ending, passed, problem, start)
    object.__setattr__(state, "_core", (values, watched))
    return state


# --- starting ----------------------------------------------------------------------


def initial_meters(scenario: Scenario) -> tuple[tuple[str, int], ...]:
    return tuple((m.name, m.start) for m in scenario.meters)


def start(scenario: Scenario, chapter: str | None = None) -> State:
    """A new run at the first chapter, or at `chapter` alone, from the starting meters and flags."""
    chapter_obj = scenario.chapters[0] if chapter is None else scenario.chapter(chapter)
    return start_chapter(scenario, chapter_obj.id, initial_meters(scenario))


def start_chapter(
    scenario: Scenario,
    chapter: str,
    meters: Iterable[tuple[str, int]] | Mapping[str, int],
    flags: Iterable[str] = (),
    visits: Iterable[tuple[str, int]] | Mapping[str, int] = (),
    taken: Iterable[str] = (),
) -> State:
    """Start `chapter` from a given snapshot (a run's state at a chapter's start)."""
    values = dict(meters.items() if isinstance(meters, Mapping) else meters)
    ordered = tuple((m.name, m.clamp(int(values.get(m.name, m.start)))) for m in scenario.meters)
    counts = dict(visits.items() if isinstance(visits, Mapping) else visits)
    snapshot = Snapshot(
        chapter=chapter,
        meters=ordered,
        flags=frozenset(flags),
        visits=Visits((k, int(v)) for k, v in counts.items() if k in scenario.nodes),
        taken=frozenset(taken),
    )
    return _begin(scenario, snapshot)


def restart_chapter(scenario: Scenario, snapshot: Snapshot) -> State:
    """Play a chapter again from the snapshot taken as it began (chapter replay)."""
    return start_chapter(scenario, snapshot.chapter, snapshot.meters, snapshot.flags, snapshot.visits, snapshot.taken)


def _begin(scenario: Scenario, snapshot: Snapshot) -> State:
    prog = program(scenario)
    values, watched = prog.core(snapshot)
    start_node = prog.chapters[snapshot.chapter].start if snapshot.chapter in prog.chapters else scenario.chapter(snapshot.chapter).start
    return _enter(prog, start_node, values, snapshot.flags, snapshot.visits, watched, snapshot.taken, [], snapshot)


# --- looking -----------------------------------------------------------------------


def current_node(scenario: Scenario, state: State) -> Node:
    return scenario.nodes[state.node]


def is_open(scenario: Scenario, state: State, node: Node, choice: Choice) -> bool:
    prog = program(scenario)
    values, watched = prog.core(state)
    for c in prog.node(node.id).choices:
        if c.choice is choice or c.choice == choice:
            return (c.once is None or c.once not in state.taken) and (c.test is None or bool(c.test(values, state.flags, watched)))
    return False


def open_choices(scenario: Scenario, state: State) -> list[Choice]:
    """The choices offered now, in file order (the player numbers them from 1)."""
    if state.status != CHOOSING:
        return []
    prog = program(scenario)
    values, watched = prog.core(state)
    return [c.choice for c in prog.open(prog.node(state.node), values, state.flags, watched, state.taken)]


# --- moving ------------------------------------------------------------------------


def apply_effects(scenario: Scenario, meters: tuple[tuple[str, int], ...], effects: Iterable[Effect]) -> tuple[tuple[str, int], ...]:
    """Effects applied to meters given as (name, value) pairs: each effect, then clamping
    to the meter's range (the arithmetic itself is `Effect.apply`, the one place)."""
    values = dict(meters)
    for effect in effects:
        meter: Meter = scenario.meter(effect.meter)
        values[effect.meter] = effect.apply(values[effect.meter], meter)
    return tuple((name, values[name]) for name, _ in meters)


def choose(scenario: Scenario, state: State, choice: Choice | int) -> tuple[State, Outcome]:
    """Take an offered choice (a Choice, or its index in file order) and move to the next stop."""
    if state.status != CHOOSING:
        raise EngineError(f"no choice can be taken now: play is at {state.status!r}")
    prog = program(scenario)
    node = prog.node(state.node)
    if isinstance(choice, int):
        if not 0 <= choice < len(node.choices):
            raise EngineError(f"node {node.id!r} has no choice {choice}")
        taken_choice = node.choices[choice]
    else:
        taken_choice = None
        for c in node.choices:
            if c.choice is choice:
                taken_choice = c
                break
        else:
            for c in node.choices:
                if c.choice == choice:
                    taken_choice = c
                    break
    values, watched = prog.core(state)
    flags, taken = state.flags, state.taken
    if (
        taken_choice is None
        or (taken_choice.once is not None and taken_choice.once in taken)
        or (taken_choice.test is not None and not taken_choice.test(values, flags, watched))
    ):
        raise EngineError(f"that choice is not offered at node {node.id!r}")
    picked = taken_choice.choice
    after = _apply(values, taken_choice.effects)
    if taken_choice.changes_flags:
        flags = _flags(flags, taken_choice.set, taken_choice.unset)
    if taken_choice.once is not None:
        taken = taken | {taken_choice.once}
    if picked.goto is not None:
        moved = _enter(prog, picked.goto, after, flags, state.visits, watched, taken, [], state.chapter_start)
    else:
        status = ENDED if picked.ending is not None else CHAPTER_END
        moved = _state(prog, state.node, state.chapter, after, flags, state.visits, watched, taken, status, picked.ending, (), "", state.chapter_start)
    final = moved._core[0]
    outcome = Outcome(
        choice=picked,
        style=scenario.styles[picked.style],
        changes=tuple(MeterChange(m.name, m.label, values[i], final[i]) for i, m in enumerate(prog.meters)),
        feedback=picked.feedback,
        advice=tuple(scenario.advice[a] for a in picked.advice),
        passed=moved.passed,
    )
    return moved, outcome


def meter_changes(scenario: Scenario, before, after) -> tuple[MeterChange, ...]:
    old, new = dict(before), dict(after)
    return tuple(MeterChange(m.name, m.label, old[m.name], new[m.name]) for m in scenario.meters)


def next_chapter(scenario: Scenario, state: State) -> State:
    """After a chapter's end: start the next chapter with the state carried over, or,
    after the last chapter, pick the first ending whose `when` holds."""
    if state.status != CHAPTER_END:
        raise EngineError("the chapter has not ended")
    prog = program(scenario)
    following = prog.chapter_after[state.chapter] if state.chapter in prog.chapter_after else None
    if following is not None:
        snapshot = Snapshot(following.id, state.meters, state.flags, state.visits, state.taken)
        object.__setattr__(snapshot, "_core", prog.core(state))
        return _begin(scenario, snapshot)
    return attrs.evolve(state, status=ENDED, ending=choose_ending(scenario, state), passed=())


def choose_ending(scenario: Scenario, state: State) -> str:
    prog = program(scenario)
    values, watched = prog.core(state)
    for ending, test in prog.endings:
        if test is None or test(values, state.flags, watched):
            return ending
    return scenario.endings[-1].id  # unreachable for a loaded scenario: the last ending has no `when`


def _enter(prog: Program, node_id: str, values, flags, visits: Visits, watched, taken, passed: list, start: Snapshot | None) -> State:
    """Enter `node_id` and follow auto nodes (goto, routes) until play needs the player
    or a chapter or the scenario ends. Each node entered costs the same however long the
    play has been; only automatic nodes entered twice in one move are remembered, to tell
    a loop that can never get out (stuck at once) from one that is still counting."""
    again: set | None = None  # automatic nodes entered so far in this move
    states: set | None = None  # (node, meters, flags, visits) seen at automatic nodes, once a node repeats
    repeats = 0
    while True:
        node = prog.node(node_id)
        if node.effects:
            values = _apply(values, node.effects)
        if node.changes_flags:
            flags = _flags(flags, node.set, node.unset)
        visits = visits.entered(node_id)
        if node.watch >= 0:
            counts = list(watched)
            counts[node.watch] += 1
            watched = tuple(counts)
        passed.append(node_id)
        if not node.auto:
            if not prog.open(node, values, flags, watched, taken):
                shown = " ".join(f"{k}={v}" for k, v in zip(prog.names, values))
                problem = f"node {node_id!r} offers no choice: the condition of every choice is false ({shown})"
                return _state(prog, node_id, node.chapter, values, flags, visits, watched, taken, STUCK, None, tuple(passed), problem, start)
            return _state(prog, node_id, node.chapter, values, flags, visits, watched, taken, CHOOSING, None, tuple(passed), "", start)
        if node.goto is None and not node.routes:
            status = ENDED if node.ending is not None else CHAPTER_END
            return _state(prog, node_id, node.chapter, values, flags, visits, watched, taken, status, node.ending, tuple(passed), "", start)
        if again is None:
            again = {node_id}
        elif node_id not in again:
            again.add(node_id)
        else:
            states = set() if states is None else states
            key = (node_id, values, flags, watched)
            if key in states:
                problem = f"play goes round the automatic nodes from {node_id!r} forever without a choice (nothing changes from one round to the next)"
                return _state(prog, node_id, node.chapter, values, flags, visits, watched, taken, STUCK, None, tuple(passed), problem, start)
            states.add(key)
            repeats += 1
            if repeats > AUTO_STEP_LIMIT:
                problem = f"play went round auto nodes {AUTO_STEP_LIMIT} times without a choice, near node {node_id!r}"
                return _state(prog, node_id, node.chapter, values, flags, visits, watched, taken, STUCK, None, tuple(passed), problem, start)
        if node.goto is not None:
            node_id = node.goto
            continue
        for goto, test in node.routes:
            if test is None or test(values, flags, watched):
                node_id = goto
                break


def state_key(scenario: Scenario, state: State) -> tuple:
    """What decides how play goes on from `state` (for searches that play every run):
    two states with the same key play the same from here."""
    values, watched = program(scenario).core(state)
    return (state.status, state.node, values, state.flags, state.taken, watched)
