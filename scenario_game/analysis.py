"""Authoring checks that look at the scenario as a whole rather than at one key.

Every warning here must be true: the checks over-approximate what play can do
(meters as intervals, flags as sets of possible values), so "can never" means never.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .conditions import And, Arith, Compare, FlagRef, MeterRef, Neg, Not, Num, Or, Truthy, Visited
from .model import Scenario

INF = float("inf")
BOTH = frozenset({True, False})


def abstract_eval(tree, meters: Mapping[str, tuple], flags: Mapping[str, frozenset], visits: Mapping[str, tuple]):
    """Evaluate a condition tree over intervals: an int node gives (lo, hi), a bool node the set of values it can take."""
    kind = type(tree)
    if kind is Num:
        return (tree.value, tree.value)
    if kind is MeterRef:
        return meters[tree.name]
    if kind is Visited:
        return visits.get(tree.node, (0, INF))
    if kind is Neg:
        lo, hi = abstract_eval(tree.operand, meters, flags, visits)
        return (-hi, -lo)
    if kind is Arith:
        alo, ahi = abstract_eval(tree.left, meters, flags, visits)
        blo, bhi = abstract_eval(tree.right, meters, flags, visits)
        if tree.op == "+":
            return (alo + blo, ahi + bhi)
        return (alo - bhi, ahi - blo)
    if kind is FlagRef:
        return flags.get(tree.name, BOTH)
    if kind is Truthy:
        lo, hi = abstract_eval(tree.operand, meters, flags, visits)
        out = set()
        if lo <= 0 <= hi:
            out.add(False)
        if lo != 0 or hi != 0:
            out.add(True)
        return frozenset(out)
    if kind is Not:
        return frozenset(not v for v in abstract_eval(tree.operand, meters, flags, visits))
    if kind is And:
        left = abstract_eval(tree.left, meters, flags, visits)
        out = {False} if False in left else set()
        if True in left:
            out |= abstract_eval(tree.right, meters, flags, visits)
        return frozenset(out)
    if kind is Or:
        left = abstract_eval(tree.left, meters, flags, visits)
        out = {True} if True in left else set()
        if False in left:
            out |= abstract_eval(tree.right, meters, flags, visits)
        return frozenset(out)
    if kind is Compare:
        a = abstract_eval(tree.left, meters, flags, visits)
        b = abstract_eval(tree.right, meters, flags, visits)
        return _compare(tree.op, a, b)
    raise TypeError(f"not a condition node: {tree!r}")  # pragma: no cover


def _compare(op: str, a: tuple, b: tuple) -> frozenset:
    (alo, ahi), (blo, bhi) = a, b
    if op in ("<", ">"):
        if op == ">":
            (alo, ahi), (blo, bhi) = (blo, bhi), (alo, ahi)
        can_true = alo < bhi
        can_false = ahi >= blo
    elif op in ("<=", ">="):
        if op == ">=":
            (alo, ahi), (blo, bhi) = (blo, bhi), (alo, ahi)
        can_true = alo <= bhi
        can_false = ahi > blo
    else:
        overlap = alo <= bhi and blo <= ahi
        single_equal = alo == ahi == blo == bhi
        can_true, can_false = (overlap, not single_equal)
        if op == "!=":
            can_true, can_false = can_false, can_true
    out = set()
    if can_true:
        out.add(True)
    if can_false:
        out.add(False)
    return frozenset(out)


def set_flags(scenario: Scenario) -> frozenset[str]:
    """Every flag that some node or choice sets."""
    flags = set()
    for node in scenario.nodes.values():
        flags.update(node.set)
        for choice in node.choices:
            flags.update(choice.set)
    return frozenset(flags)


def conditions(scenario: Scenario):
    """(condition, line, what) for every condition in the scenario, in file order."""
    for node in scenario.nodes.values():
        for choice in node.choices:
            if choice.condition is not None:
                yield choice.condition, choice.line, f"choice {choice.index + 1} of node {node.id!r}"
        for number, route in enumerate(node.routes, 1):
            if route.condition is not None:
                yield route.condition, route.line, f"route {number} of node {node.id!r}"
    for ending in scenario.endings:
        if ending.condition is not None:
            yield ending.condition, ending.line, f"ending {ending.id!r}"


def static_env(scenario: Scenario):
    """The widest state any moment of play can have: meters over their ranges, flags never set always false."""
    meters = {m.name: (m.min, m.max) for m in scenario.meters}
    ever_set = set_flags(scenario)
    flags: dict[str, frozenset] = {}
    for condition, _, _ in conditions(scenario):
        for flag in condition.flags:
            flags[flag] = BOTH if flag in ever_set else frozenset({False})
    return meters, flags


@attrs.frozen
class Abstract:
    """An over-approximation of many states: meter intervals in declaration order and
    the flags that may be true / may be false (flags never mentioned do not matter)."""

    meters: tuple
    may_true: frozenset
    may_false: frozenset

    def join(self, other: "Abstract") -> "Abstract":
        return Abstract(
            tuple((min(a[0], b[0]), max(a[1], b[1])) for a, b in zip(self.meters, other.meters)),
            self.may_true | other.may_true,
            self.may_false | other.may_false,
        )

    def flag_values(self) -> dict:
        out: dict = {}
        for flag in self.may_true:
            out[flag] = frozenset({True})
        for flag in self.may_false:
            out[flag] = out.get(flag, frozenset()) | {False}
        return out


@attrs.frozen
class Flow:
    """What the flow analysis learned: the state at each reachable node (after its entry
    effects), which choices and routes can be taken, and how the scenario can end."""

    at_node: dict
    choice_open: dict  # (node id, choice index) -> bool: can its `if` hold there
    route_taken: dict  # (node id, route index) -> bool
    final: Abstract | None  # joined state wherever the last chapter can end
    endings: frozenset  # endings some path can reach
    ending_states: dict  # ending id -> joined Abstract state with which it is reached


class _Analyser:
    WIDEN_AFTER = 4

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.meters = scenario.meters
        self.index = {m.name: i for i, m in enumerate(scenario.meters)}
        self.chapter_next = {c.id: (scenario.chapters[i + 1].start if i + 1 < len(scenario.chapters) else None) for i, c in enumerate(scenario.chapters)}
        self.at_node: dict = {}
        self.updates: dict = {}
        self.choice_open: dict = {}
        self.route_taken: dict = {}
        self.final: Abstract | None = None
        self.direct_endings: dict = {}

    def env(self, state: Abstract):
        meters = {m.name: state.meters[i] for i, m in enumerate(self.meters)}
        return meters, state.flag_values()

    def holds(self, condition, state: Abstract) -> frozenset:
        if condition is None:
            return frozenset({True})
        meters, flags = self.env(state)
        return abstract_eval(condition.tree, meters, flags, {})

    def apply(self, state: Abstract, effects, set_flags, unset_flags) -> Abstract:
        meters = list(state.meters)
        for effect in effects:
            i = self.index[effect.meter]
            meter = self.meters[i]
            lo, hi = meters[i]
            meters[i] = (effect.apply(lo, meter), effect.apply(hi, meter))
        may_true, may_false = state.may_true, state.may_false
        if set_flags:
            may_true = may_true | set(set_flags)
            may_false = may_false - set(set_flags)
        if unset_flags:
            may_true = may_true - set(unset_flags)
            may_false = may_false | set(unset_flags)
        return Abstract(tuple(meters), may_true, may_false)

    def run(self) -> Flow:
        scenario = self.scenario
        flags = set(set_flags(scenario))
        for condition, _, _ in conditions(scenario):
            flags |= condition.flags
        start = Abstract(tuple((m.start, m.start) for m in self.meters), frozenset(), frozenset(flags))
        work = []
        self.enter(scenario.chapters[0].start, start, work)
        while work:
            node_id = work.pop()
            self.step(node_id, self.at_node[node_id], work)
        endings = set(self.direct_endings)
        ending_states = dict(self.direct_endings)
        if self.final is not None:
            always_before = False
            for ending in scenario.endings:
                values = self.holds(ending.condition, self.final)
                if True in values and not always_before:
                    endings.add(ending.id)
                    previous = ending_states.get(ending.id)
                    ending_states[ending.id] = self.final if previous is None else previous.join(self.final)
                if False not in values:
                    always_before = True
        return Flow(self.at_node, self.choice_open, self.route_taken, self.final, frozenset(endings), ending_states)

    def enter(self, node_id: str, state: Abstract, work: list) -> None:
        node = self.scenario.nodes[node_id]
        state = self.apply(state, node.effects, node.set, node.unset)
        old = self.at_node.get(node_id)
        if old is not None:
            new = old.join(state)
            if new == old:
                return
            count = self.updates.get(node_id, 0) + 1
            self.updates[node_id] = count
            if count > self.WIDEN_AFTER:
                new = Abstract(
                    tuple(
                        (m.min if n[0] < o[0] else n[0], m.max if n[1] > o[1] else n[1])
                        for m, n, o in zip(self.meters, new.meters, old.meters)
                    ),
                    new.may_true,
                    new.may_false,
                )
            state = new
        self.at_node[node_id] = state
        work.append(node_id)

    def chapter_end(self, chapter: str, state: Abstract, work: list) -> None:
        following = self.chapter_next[chapter]
        if following is not None:
            self.enter(following, state, work)
        else:
            self.final = state if self.final is None else self.final.join(state)

    def reach_ending(self, ending: str, state: Abstract) -> None:
        previous = self.direct_endings.get(ending)
        self.direct_endings[ending] = state if previous is None else previous.join(state)

    def step(self, node_id: str, state: Abstract, work: list) -> None:
        node = self.scenario.nodes[node_id]
        if node.choices:
            for choice in node.choices:
                can = True in self.holds(choice.condition, state)
                key = (node_id, choice.index)
                self.choice_open[key] = self.choice_open.get(key, False) or can
                if not can:
                    continue
                after = self.apply(state, choice.effects, choice.set, choice.unset)
                if choice.goto is not None:
                    self.enter(choice.goto, after, work)
                elif choice.ending is not None:
                    self.reach_ending(choice.ending, after)
                else:
                    self.chapter_end(node.chapter, after, work)
        elif node.goto is not None:
            self.enter(node.goto, state, work)
        elif node.routes:
            for i, route in enumerate(node.routes):
                values = self.holds(route.condition, state)
                key = (node_id, i)
                self.route_taken[key] = self.route_taken.get(key, False) or True in values
                if True in values:
                    self.enter(route.goto, state, work)
                if False not in values:
                    break
        elif node.ending is not None:
            self.reach_ending(node.ending, state)
        else:
            self.chapter_end(node.chapter, state, work)


def flow(scenario: Scenario) -> Flow:
    """Run the interval flow analysis from the scenario's start."""
    return _Analyser(scenario).run()


def basic_warnings(scenario: Scenario):
    """Format 1's warnings: flags tested but never set, unreachable nodes, choices whose
    `if` can never hold, endings that can never be reached."""
    from .loader import Problem

    problems = []
    path = scenario.path
    ever_set = set_flags(scenario)
    warned = set()
    for condition, line, what in conditions(scenario):
        for flag in sorted(condition.flags - ever_set):
            if (flag, line) not in warned:
                warned.add((flag, line))
                problems.append(Problem(path, line, "warning", f"flag {flag!r} is tested in {what} but never set anywhere, so it is always false"))
    result = flow(scenario)
    for node in scenario.nodes.values():
        if node.id not in result.at_node:
            problems.append(Problem(path, node.line, "warning", f"node {node.id!r} can never be reached"))
            continue
        for choice in node.choices:
            if not result.choice_open.get((node.id, choice.index), True):
                problems.append(Problem(path, choice.line, "warning", f"the `if` of choice {choice.index + 1} of node {node.id!r} can never hold when play reaches it: {choice.condition.source!r}"))
    for ending in scenario.endings:
        if ending.id not in result.endings:
            problems.append(Problem(path, ending.line, "warning", f"ending {ending.id!r} can never be reached"))
    return problems
