"""The engine as it was before it was compiled (kept only as the reference the property
tests compare the compiled engine with: same moves, same states)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from scenario_game.model import Advice, Choice, Effect, Meter, Node, Scenario, Style

CHOOSING = "choosing"  # waiting for the player at a choices node
CHAPTER_END = "chapter_end"  # a chapter ended; `next_chapter` goes on
ENDED = "ended"  # the scenario reached `ending`
STUCK = "stuck"  # an authoring error: no choice open, or auto nodes loop forever

AUTO_STEP_LIMIT = 10_000


class EngineError(Exception):
    """A move the state does not allow (a choice not offered, a finished run)."""


@attrs.frozen
class Snapshot:
    """The state as a chapter began, before its first node was entered: replaying the
    chapter from here gives exactly the same play as the first time."""

    chapter: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    visits: tuple[tuple[str, int], ...] = ()
    taken: frozenset[str] = frozenset()


@attrs.frozen
class State:
    """Everything a run needs to go on; refers to nodes by id only."""

    node: str
    chapter: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    visits: tuple[tuple[str, int], ...] = ()
    taken: frozenset[str] = frozenset()  # "node#index" of once-only choices already taken
    status: str = CHOOSING
    ending: str | None = None
    passed: tuple[str, ...] = ()  # nodes entered by the last move, in order
    problem: str = ""  # why play is STUCK
    chapter_start: Snapshot | None = None  # where the current chapter began

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
        return dict(self.visits)

    @property
    def finished(self) -> bool:
        return self.status in (ENDED, STUCK)


@attrs.frozen
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


@attrs.frozen
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
        visits=tuple(sorted((k, int(v)) for k, v in counts.items() if k in scenario.nodes)),
        taken=frozenset(taken),
    )
    return _begin(scenario, snapshot)


def restart_chapter(scenario: Scenario, snapshot: Snapshot) -> State:
    """Play a chapter again from the snapshot taken as it began (chapter replay)."""
    return start_chapter(scenario, snapshot.chapter, snapshot.meters, snapshot.flags, snapshot.visits, snapshot.taken)


def _begin(scenario: Scenario, snapshot: Snapshot) -> State:
    state = State(
        node=scenario.chapter(snapshot.chapter).start,
        chapter=snapshot.chapter,
        meters=snapshot.meters,
        flags=snapshot.flags,
        visits=snapshot.visits,
        taken=snapshot.taken,
        chapter_start=snapshot,
    )
    return _enter(scenario, state, state.node, ())


# --- looking -----------------------------------------------------------------------


def current_node(scenario: Scenario, state: State) -> Node:
    return scenario.nodes[state.node]


def is_open(scenario: Scenario, state: State, node: Node, choice: Choice) -> bool:
    if choice.once and f"{node.id}#{choice.index}" in state.taken:
        return False
    if choice.condition is None:
        return True
    return choice.condition.holds(state.meter_values, state.flags, state.visit_counts)


def open_choices(scenario: Scenario, state: State) -> list[Choice]:
    """The choices offered now, in file order (the player numbers them from 1)."""
    if state.status != CHOOSING:
        return []
    node = scenario.nodes[state.node]
    return [choice for choice in node.choices if is_open(scenario, state, node, choice)]


# --- moving ------------------------------------------------------------------------


def apply_effects(scenario: Scenario, meters: tuple[tuple[str, int], ...], effects: Iterable[Effect]) -> tuple[tuple[str, int], ...]:
    """The one place effects change meters: each effect, then clamping to the meter's range."""
    values = dict(meters)
    for effect in effects:
        meter: Meter = scenario.meter(effect.meter)
        values[effect.meter] = effect.apply(values[effect.meter], meter)
    return tuple((name, values[name]) for name, _ in meters)


def _flags(flags: frozenset[str], set_flags: Iterable[str], unset_flags: Iterable[str]) -> frozenset[str]:
    if not set_flags and not unset_flags:
        return flags
    return (flags | frozenset(set_flags)) - frozenset(unset_flags)


def choose(scenario: Scenario, state: State, choice: Choice | int) -> tuple[State, Outcome]:
    """Take an offered choice (a Choice, or its index in file order) and move to the next stop."""
    if state.status != CHOOSING:
        raise EngineError(f"no choice can be taken now: play is at {state.status!r}")
    node = scenario.nodes[state.node]
    if isinstance(choice, int):
        if not 0 <= choice < len(node.choices):
            raise EngineError(f"node {node.id!r} has no choice {choice}")
        choice = node.choices[choice]
    if choice not in node.choices or not is_open(scenario, state, node, choice):
        raise EngineError(f"that choice is not offered at node {node.id!r}")
    before = state.meters
    moved = attrs.evolve(
        state,
        meters=apply_effects(scenario, state.meters, choice.effects),
        flags=_flags(state.flags, choice.set, choice.unset),
        taken=state.taken | {f"{node.id}#{choice.index}"} if choice.once else state.taken,
        passed=(),
    )
    if choice.goto is not None:
        moved = _enter(scenario, moved, choice.goto, ())
    elif choice.ending is not None:
        moved = attrs.evolve(moved, status=ENDED, ending=choice.ending)
    else:
        moved = attrs.evolve(moved, status=CHAPTER_END)
    outcome = Outcome(
        choice=choice,
        style=scenario.styles[choice.style],
        changes=meter_changes(scenario, before, moved.meters),
        feedback=choice.feedback,
        advice=tuple(scenario.advice[a] for a in choice.advice),
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
    index = scenario.chapter_index(state.chapter)
    if index + 1 < len(scenario.chapters):
        following = scenario.chapters[index + 1]
        return _begin(scenario, Snapshot(following.id, state.meters, state.flags, state.visits, state.taken))
    return attrs.evolve(state, status=ENDED, ending=choose_ending(scenario, state), passed=())


def choose_ending(scenario: Scenario, state: State) -> str:
    for ending in scenario.endings:
        if ending.condition is None or ending.condition.holds(state.meter_values, state.flags, state.visit_counts):
            return ending.id
    return scenario.endings[-1].id  # unreachable for a loaded scenario: the last ending has no `when`


def _enter(scenario: Scenario, state: State, node_id: str, passed: tuple[str, ...]) -> State:
    """Enter `node_id` and follow auto nodes (goto, routes) until play needs the player
    or a chapter or the scenario ends."""
    passed = state.passed + passed
    meters, flags = state.meters, state.flags
    visits = dict(state.visits)
    for _ in range(AUTO_STEP_LIMIT):
        node = scenario.nodes[node_id]
        meters = apply_effects(scenario, meters, node.effects)
        flags = _flags(flags, node.set, node.unset)
        visits[node_id] = visits.get(node_id, 0) + 1
        passed = passed + (node_id,)
        state = attrs.evolve(
            state,
            node=node_id,
            chapter=node.chapter,
            meters=meters,
            flags=flags,
            visits=tuple(sorted(visits.items())),
            passed=passed,
            status=CHOOSING,
        )
        if node.choices:
            if not open_choices(scenario, state):
                values = " ".join(f"{k}={v}" for k, v in meters)
                return attrs.evolve(state, status=STUCK, problem=f"node {node_id!r} offers no choice: the condition of every choice is false ({values})")
            return state
        if node.goto is not None:
            node_id = node.goto
            continue
        if node.routes:
            meter_values = dict(meters)
            for route in node.routes:
                if route.condition is None or route.condition.holds(meter_values, flags, visits):
                    node_id = route.goto
                    break
            continue
        if node.ending is not None:
            return attrs.evolve(state, status=ENDED, ending=node.ending)
        return attrs.evolve(state, status=CHAPTER_END)
    return attrs.evolve(state, status=STUCK, problem=f"play went round auto nodes {AUTO_STEP_LIMIT} times without a choice, near node {node_id!r}")
