"""Authoring checks that look at the scenario as a whole rather than at one key.

Every warning here must be true. The flow analysis over-approximates what play can do
(meters as intervals, flags as sets of possible values, visit counts unknown), so a
"can never" it finds means never. Where a finding is only a "may" (a dead end, a loop
with no way out), a bounded concrete search with the engine itself looks for a run that
shows it, and only a run it found becomes a warning (with the choices that lead there).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Mapping


from .records import frozen
from .conditions import And, Arith, Compare, FlagRef, MeterRef, Neg, Not, Num, Or, Truthy, Visited, did_you_mean
from .model import Scenario

INF = float("inf")
BOTH = frozenset({True, False})
ONLY_TRUE = frozenset({True})
ONLY_FALSE = frozenset({False})
PATHS_CAP = 10**15  # path counts above this are reported as "more than"
# Budgets are counted in work, never in seconds, so what `check` says does not depend
# on how busy the machine is: states looked at, and nodes the engine entered to get there.
SEARCH_BUDGET = 20_000  # concrete states the witness search may visit per scenario
SEARCH_STEPS = 400_000  # and nodes the engine may enter doing it (automatic loops enter many)
EXACT_BUDGET = 100_000  # states `check --report` may play to give each ending's exact meter ranges
EXACT_STEPS = 1_000_000


def abstract_eval(tree, meters: Mapping[str, tuple], flags: Mapping[str, frozenset], visits: Mapping[str, tuple]):
    """Evaluate a condition tree over intervals: an int node gives (lo, hi), a bool node the set of values it can take."""
    kind = type(tree)
    if kind is Compare:
        a = abstract_eval(tree.left, meters, flags, visits)
        b = abstract_eval(tree.right, meters, flags, visits)
        return _compare(tree.op, a, b)
    if kind is MeterRef:
        return meters[tree.name]
    if kind is Num:
        return (tree.value, tree.value)
    if kind is FlagRef:
        return flags.get(tree.name, BOTH)
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
    if kind is Not:
        return frozenset(not v for v in abstract_eval(tree.operand, meters, flags, visits))
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
    if kind is Truthy:
        lo, hi = abstract_eval(tree.operand, meters, flags, visits)
        out = set()
        if lo <= 0 <= hi:
            out.add(False)
        if lo != 0 or hi != 0:
            out.add(True)
        return frozenset(out)
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
    if can_true:
        return BOTH if can_false else ONLY_TRUE
    return ONLY_FALSE if can_false else frozenset()


# --- refinement: what a condition taken says about the state -------------------------

_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _clean(lo, hi):
    """Bounds from interval arithmetic, with an undefined end (inf - inf) left open."""
    return (-INF if lo != lo else lo), (INF if hi != hi else hi)


def _narrow(expr, lo, hi, meters: dict, flags: dict):
    """`meters` with the values that put integer `expr` outside [lo, hi] removed, or None if none is left."""
    lo, hi = _clean(lo, hi)
    kind = type(expr)
    if kind is MeterRef:
        a, b = meters[expr.name]
        nlo, nhi = max(a, lo), min(b, hi)
        if nlo > nhi:
            return None
        if (nlo, nhi) == (a, b):
            return meters
        out = dict(meters)
        out[expr.name] = (int(nlo), int(nhi))
        return out
    if kind is Num:
        return meters if lo <= expr.value <= hi else None
    if kind is Visited:
        return meters if hi >= 0 else None
    if kind is Neg:
        return _narrow(expr.operand, -hi, -lo, meters, flags)
    if kind is Arith:
        rlo, rhi = abstract_eval(expr.right, meters, flags, {})
        if expr.op == "+":
            meters = _narrow(expr.left, lo - rhi, hi - rlo, meters, flags)
            if meters is None:
                return None
            llo, lhi = abstract_eval(expr.left, meters, flags, {})
            return _narrow(expr.right, lo - lhi, hi - llo, meters, flags)
        meters = _narrow(expr.left, lo + rlo, hi + rhi, meters, flags)
        if meters is None:
            return None
        llo, lhi = abstract_eval(expr.left, meters, flags, {})
        return _narrow(expr.right, llo - hi, lhi - lo, meters, flags)
    return meters  # pragma: no cover - every integer node is handled above


def _refine_compare(op: str, left, right, meters: dict, flags: dict):
    llo, lhi = abstract_eval(left, meters, flags, {})
    rlo, rhi = abstract_eval(right, meters, flags, {})
    if True not in _compare(op, (llo, lhi), (rlo, rhi)):
        return None
    if op == "!=":
        # Only a single forbidden value can be cut, and only from an interval's end.
        if rlo == rhi and type(left) is MeterRef:
            a, b = meters[left.name]
            a, b = (a + 1 if a == rlo else a), (b - 1 if b == rlo else b)
            return _narrow(left, a, b, meters, flags)
        if llo == lhi and type(right) is MeterRef:
            a, b = meters[right.name]
            a, b = (a + 1 if a == llo else a), (b - 1 if b == llo else b)
            return _narrow(right, a, b, meters, flags)
        return meters
    bounds = {"<": (-INF, rhi - 1), "<=": (-INF, rhi), ">": (rlo + 1, INF), ">=": (rlo, INF), "==": (rlo, rhi)}[op]
    meters = _narrow(left, bounds[0], bounds[1], meters, flags)
    if meters is None:
        return None
    llo, lhi = abstract_eval(left, meters, flags, {})
    bounds = {"<": (llo + 1, INF), "<=": (llo, INF), ">": (-INF, lhi - 1), ">=": (-INF, lhi), "==": (llo, lhi)}[op]
    return _narrow(right, bounds[0], bounds[1], meters, flags)


def _join_env(a, b):
    if a is None:
        return b
    if b is None:
        return a
    (am, af), (bm, bf) = a, b
    meters = {k: (min(v[0], bm[k][0]), max(v[1], bm[k][1])) for k, v in am.items()}
    flags = dict(af)
    for k, v in bf.items():
        flags[k] = flags.get(k, frozenset()) | v
    return meters, flags


def refine(tree, meters: dict, flags: dict, want: bool):
    """(meters, flags) narrowed to the states in which the condition tree has the value
    `want`, or None when it cannot have it. Sound: no state that gives `want` is lost."""
    kind = type(tree)
    if kind is Compare:
        op = tree.op if want else _NEGATED[tree.op]
        narrowed = _refine_compare(op, tree.left, tree.right, meters, flags)
        return None if narrowed is None else (narrowed, flags)
    if kind is FlagRef:
        values = flags.get(tree.name, BOTH)
        if want not in values:
            return None
        if len(values) == 1:
            return meters, flags
        out = dict(flags)
        out[tree.name] = ONLY_TRUE if want else ONLY_FALSE
        return meters, out
    if kind is Not:
        return refine(tree.operand, meters, flags, not want)
    if kind is And or kind is Or:
        decisive = kind is Or  # the value of the left side that settles the whole
        if want == decisive:
            first = refine(tree.left, meters, flags, decisive)
            second = refine(tree.left, meters, flags, not decisive)
            if second is not None:
                second = refine(tree.right, second[0], second[1], decisive)
            return _join_env(first, second)
        first = refine(tree.left, meters, flags, want)
        return None if first is None else refine(tree.right, first[0], first[1], want)
    if kind is Truthy:
        if want:
            narrowed = _refine_compare("!=", tree.operand, Num(0), meters, flags)
        else:
            narrowed = _narrow(tree.operand, 0, 0, meters, flags)
        return None if narrowed is None else (narrowed, flags)
    raise TypeError(f"not a condition node: {tree!r}")  # pragma: no cover


# --- facts about the scenario ---------------------------------------------------------


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


@frozen
class Abstract:
    """An over-approximation of many states: meter intervals in declaration order and
    the flags that may be true / may be false (flags never mentioned do not matter)."""

    meters: tuple
    may_true: frozenset
    may_false: frozenset

    def join(self, other: "Abstract") -> "Abstract":
        if self is other:
            return self
        return Abstract(
            tuple(a if a == b else (min(a[0], b[0]), max(a[1], b[1])) for a, b in zip(self.meters, other.meters)),
            self.may_true | other.may_true,
            self.may_false | other.may_false,
        )

    def flag_values(self) -> dict:
        out: dict = {}
        for flag in self.may_true:
            out[flag] = ONLY_TRUE
        for flag in self.may_false:
            out[flag] = BOTH if flag in out else ONLY_FALSE
        return out


@frozen
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
        self.names = tuple(m.name for m in scenario.meters)
        self.index = {m.name: i for i, m in enumerate(scenario.meters)}
        self.order = {nid: i for i, nid in enumerate(scenario.nodes)}
        self.chapter_next = {c.id: _next_start(scenario, c.id) for c in scenario.chapters}
        self.at_node: dict = {}
        self.updates: dict = {}
        self.choice_open: dict = {}
        self.route_taken: dict = {}
        self.final: Abstract | None = None
        self.direct_endings: dict = {}
        self.queued: set = set()
        self.heap: list = []
        # Only the flags some condition tests are followed: the state stays as small as the
        # conditions need, so a join costs the same however many flags the story sets.
        self.tested = frozenset(flag for condition, _, _ in conditions(scenario) for flag in condition.flags)

    def env(self, state: Abstract):
        return dict(zip(self.names, state.meters)), state.flag_values()

    def from_env(self, env) -> Abstract:
        meters, flags = env
        return Abstract(
            tuple(meters[name] for name in self.names),
            frozenset(f for f, v in flags.items() if True in v),
            frozenset(f for f, v in flags.items() if False in v),
        )

    def holds(self, condition, state: Abstract) -> frozenset:
        if condition is None:
            return ONLY_TRUE
        meters, flags = self.env(state)
        return abstract_eval(condition.tree, meters, flags, {})

    def split(self, condition, state: Abstract, env):
        """(the state where `condition` holds, the state where it does not); None for an empty side."""
        if condition is None:
            return state, None
        values = abstract_eval(condition.tree, env[0], env[1], {})
        if values == ONLY_TRUE:
            return state, None
        if values == ONLY_FALSE or not values:
            return None, state
        yes = refine(condition.tree, env[0], env[1], True)
        no = refine(condition.tree, env[0], env[1], False)
        return (None if yes is None else self.from_env(yes)), (None if no is None else self.from_env(no))

    def apply(self, state: Abstract, effects, set_flags, unset_flags) -> Abstract:
        if not effects and not set_flags and not unset_flags:
            return state
        meters = state.meters
        if effects:
            meters = list(meters)
            for effect in effects:
                i = self.index[effect.meter]
                meter = self.meters[i]
                lo, hi = meters[i]
                meters[i] = (effect.apply(lo, meter), effect.apply(hi, meter))
            meters = tuple(meters)
        may_true, may_false = state.may_true, state.may_false
        tested = self.tested  # a flag no condition tests cannot change what play does
        if set_flags:
            set_flags = [f for f in set_flags if f in tested]
        if unset_flags:
            unset_flags = [f for f in unset_flags if f in tested]
        if set_flags:
            may_true = may_true.union(set_flags)
            may_false = may_false.difference(set_flags)
        if unset_flags:
            may_true = may_true.difference(unset_flags)
            may_false = may_false.union(unset_flags)
        return Abstract(meters, may_true, may_false)

    def run(self) -> Flow:
        scenario = self.scenario
        start = Abstract(tuple((m.start, m.start) for m in self.meters), frozenset(), self.tested)
        self.enter(scenario.chapters[0].start, start)
        heap, queued = self.heap, self.queued
        while heap:
            _, node_id = heapq.heappop(heap)
            queued.discard(node_id)
            self.step(node_id, self.at_node[node_id])
        endings = set(self.direct_endings)
        ending_states = dict(self.direct_endings)
        remaining = self.final
        for ending in scenario.endings:
            if remaining is None:
                break
            reached, remaining = self.split(ending.condition, remaining, self.env(remaining))
            if reached is not None:
                endings.add(ending.id)
                previous = ending_states.get(ending.id)
                ending_states[ending.id] = reached if previous is None else previous.join(reached)
        return Flow(self.at_node, self.choice_open, self.route_taken, self.final, frozenset(endings), ending_states)

    def enter(self, node_id: str, state: Abstract) -> None:
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
        if node_id not in self.queued:
            self.queued.add(node_id)
            heapq.heappush(self.heap, (self.order[node_id], node_id))

    def chapter_end(self, chapter: str, state: Abstract) -> None:
        following = self.chapter_next[chapter]
        if following is not None:
            self.enter(following, state)
        else:
            self.final = state if self.final is None else self.final.join(state)

    def reach_ending(self, ending: str, state: Abstract) -> None:
        previous = self.direct_endings.get(ending)
        self.direct_endings[ending] = state if previous is None else previous.join(state)

    def step(self, node_id: str, state: Abstract) -> None:
        node = self.scenario.nodes[node_id]
        if node.choices:
            env = None
            for choice in node.choices:
                key = (node_id, choice.index)
                if choice.condition is None:
                    taken = state
                else:
                    if env is None:
                        env = self.env(state)
                    taken = self.split(choice.condition, state, env)[0]
                if taken is None:
                    self.choice_open.setdefault(key, False)
                    continue
                self.choice_open[key] = True
                after = self.apply(taken, choice.effects, choice.set, choice.unset)
                if choice.goto is not None:
                    self.enter(choice.goto, after)
                elif choice.ending is not None:
                    self.reach_ending(choice.ending, after)
                else:
                    self.chapter_end(node.chapter, after)
        elif node.goto is not None:
            self.enter(node.goto, state)
        elif node.routes:
            remaining = state
            for i, route in enumerate(node.routes):
                key = (node_id, i)
                if remaining is None:
                    self.route_taken.setdefault(key, False)
                    continue
                taken, remaining = self.split(route.condition, remaining, self.env(remaining))
                if taken is None:
                    self.route_taken.setdefault(key, False)
                    continue
                self.route_taken[key] = True
                self.enter(route.goto, taken)
        elif node.ending is not None:
            self.reach_ending(node.ending, state)
        else:
            self.chapter_end(node.chapter, state)


def _next_start(scenario: Scenario, chapter_id: str) -> str | None:
    """The first node of the chapter after `chapter_id` (None after the last)."""
    following = scenario.next_chapter(chapter_id)
    return following.start if following is not None else None


def flow(scenario: Scenario) -> Flow:
    """Run the interval flow analysis from the scenario's start."""
    return _Analyser(scenario).run()


def _problem(scenario: Scenario, line: int, message: str):
    from .problems import Problem

    return Problem(scenario.path, line, "warning", message)


def _basic(scenario: Scenario, result: Flow) -> list:
    problems = []
    ever_set = set_flags(scenario)
    warned = set()
    for condition, line, what in conditions(scenario):
        for flag in sorted(condition.flags - ever_set):
            if (flag, line) not in warned:
                warned.add((flag, line))
                hint = did_you_mean(flag, ever_set | {m.name for m in scenario.meters})
                problems.append(_problem(scenario, line, f"flag {flag!r} is tested in {what} but never set anywhere, so it is always false{hint}"))
    for node in scenario.nodes.values():
        if node.id not in result.at_node:
            problems.append(_problem(scenario, node.line, f"node {node.id!r} can never be reached"))
            continue
        for choice in node.choices:
            if not result.choice_open.get((node.id, choice.index), True):
                problems.append(_problem(scenario, choice.line, f"the `if` of choice {choice.index + 1} of node {node.id!r} can never hold when play reaches it: {choice.condition.source!r}"))
    for ending in scenario.endings:
        if ending.id not in result.endings:
            problems.append(_problem(scenario, ending.line, f"ending {ending.id!r} can never be reached"))
    return problems


def basic_warnings(scenario: Scenario):
    """Format 1's warnings: flags tested but never set, unreachable nodes, choices whose
    `if` can never hold, endings that can never be reached."""
    return _basic(scenario, flow(scenario))


# --- the story graph -------------------------------------------------------------------


def edges(scenario: Scenario, result: Flow | None = None):
    """node id -> the node ids play can move to next (within a run, across chapters);
    with `result`, only the moves the flow analysis found possible."""
    following = {c.id: _next_start(scenario, c.id) for c in scenario.chapters}
    out: dict[str, list[str]] = {}
    for node in scenario.nodes.values():
        targets: list[str] = []
        if node.choices:
            for choice in node.choices:
                if result is not None and not result.choice_open.get((node.id, choice.index), False):
                    continue
                if choice.goto is not None:
                    targets.append(choice.goto)
                elif choice.end and following[node.chapter] is not None:
                    targets.append(following[node.chapter])
        elif node.goto is not None:
            targets.append(node.goto)
        elif node.routes:
            for i, route in enumerate(node.routes):
                if result is None or result.route_taken.get((node.id, i), False):
                    targets.append(route.goto)
        elif node.end and following[node.chapter] is not None:
            targets.append(following[node.chapter])
        out[node.id] = targets
    return out


def exits(scenario: Scenario, node_id: str, result: Flow) -> bool:
    """Can play finish the scenario right at this node (an ending, or the last chapter's end)?"""
    node = scenario.nodes[node_id]
    last = scenario.chapters[-1].id == node.chapter
    if node.choices:
        return any(
            result.choice_open.get((node_id, c.index), False) and (c.ending is not None or (c.end and last))
            for c in node.choices
        )
    return node.ending is not None or (node.kind == "end" and last)


def components(graph: Mapping[str, list]) -> list[list[str]]:
    """Strongly connected components (Tarjan, iterative), each in discovery order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set = set()
    stack: list = []
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component[::-1])
    return out


# --- the witness search ----------------------------------------------------------------


@frozen
class Witness:
    """A concrete run found by the search: the choice numbers (as plain play numbers
    them) from the start, and the engine state it ended in."""

    choices: tuple[int, ...]
    state: object

    def describe(self) -> str:
        meters = " ".join(f"{k}={v}" for k, v in self.state.meters)
        if not self.choices:
            return f"right from the start ({meters})"
        return f"for example with choices {','.join(map(str, self.choices))} from the start ({meters})"


def search(scenario: Scenario, stuck_at: set, enter: set, graph: Mapping[str, list], budget: int = SEARCH_BUDGET):
    """Breadth-first play with the engine itself, pruned to states that can still reach a
    node of interest. Returns ({node: Witness of play stuck there}, {node: Witness of
    play standing there}, exhausted) for nodes in `stuck_at` and in `enter`."""
    from . import engine

    targets = set(stuck_at) | set(enter)
    stuck: dict = {}
    entered: dict = {}
    if not targets:
        return stuck, entered, False
    backward: dict[str, list[str]] = {n: [] for n in graph}
    for node, targets_of in graph.items():
        for target in targets_of:
            backward[target].append(node)
    relevant = set(targets)
    todo = list(targets)
    while todo:
        for parent in backward[todo.pop()]:
            if parent not in relevant:
                relevant.add(parent)
                todo.append(parent)
    following = {c.id: (nxt.id if (nxt := scenario.next_chapter(c.id)) is not None else None) for c in scenario.chapters}

    def key(state):
        return engine.state_key(scenario, state)

    def worth(state) -> bool:
        if state.status == engine.STUCK or state.status == engine.CHOOSING:
            return state.node in relevant
        if state.status == engine.CHAPTER_END:
            nxt = following[state.chapter]
            return nxt is not None and scenario.chapter(nxt).start in relevant
        return False

    first = engine.start(scenario)
    seen = {key(first)}
    queue = deque([(first, ())])
    visited = steps = 0
    while queue and (len(stuck) < len(stuck_at) or len(entered) < len(enter)):  # a node can be in both
        if visited >= budget or steps >= SEARCH_STEPS:
            return stuck, entered, True
        state, path = queue.popleft()
        visited += 1
        steps += len(state.passed)
        if state.status == engine.STUCK:
            if state.node in stuck_at and state.node not in stuck:
                stuck[state.node] = Witness(path, state)
            continue
        if state.status == engine.CHAPTER_END:
            nexts = [(engine.next_chapter(scenario, state), path)]
        else:
            if state.node in enter and state.node not in entered:
                entered[state.node] = Witness(path, state)
            nexts = []
            for number, choice in enumerate(engine.open_choices(scenario, state), 1):
                nexts.append((engine.choose(scenario, state, choice)[0], path + (number,)))
        for new, new_path in nexts:
            if not worth(new):
                continue
            k = key(new)
            if k not in seen:
                seen.add(k)
                queue.append((new, new_path))
    return stuck, entered, False


# --- the report ------------------------------------------------------------------------


@frozen
class EndingReport:
    id: str
    title: str
    line: int
    reachable: bool
    meters: dict  # meter name -> (lo, hi): every value with which the ending can be reached lies inside
    exact: bool = False  # True: every run was played, and (lo, hi) are the lowest and highest values reached


@frozen
class ChapterReport:
    id: str
    title: str
    line: int
    paths: int  # capped at PATHS_CAP
    more: bool  # True when the count went over PATHS_CAP
    loops: int  # moves that go back into a path (each loop is followed once, not again)


@frozen
class Report:
    problems: tuple
    endings: tuple[EndingReport, ...]
    chapters: tuple[ChapterReport, ...]
    search_exhausted: bool = False  # the witness search hit its budget: some "may" findings were not confirmed

    def as_data(self) -> dict:
        return {
            "endings": [
                {"id": e.id, "title": e.title, "line": e.line, "reachable": e.reachable, "meters": {k: list(v) for k, v in e.meters.items()}, "exact": e.exact}
                for e in self.endings
            ],
            "chapters": [
                {"id": c.id, "title": c.title, "line": c.line, "paths": c.paths, "more_than": c.more, "loops": c.loops}
                for c in self.chapters
            ],
            "search_exhausted": self.search_exhausted,
        }

    def lines(self) -> list[str]:
        out = []
        for e in self.endings:
            if e.reachable:
                ranges = ", ".join(f"{k} {lo}" if lo == hi else f"{k} {lo}..{hi}" for k, (lo, hi) in e.meters.items())
                how = " (every run played)" if e.exact else " (bounds: no run ends outside them)"
                out.append(f"ending {e.id} (line {e.line}): reached with {ranges}{how}")
            else:
                out.append(f"ending {e.id} (line {e.line}): never reached")
        for c in self.chapters:
            count = f"more than {PATHS_CAP:,}" if c.more else f"{c.paths:,}"
            loops = f" ({c.loops} loop{'s' if c.loops != 1 else ''} followed once, not counted again)" if c.loops else ""
            out.append(f"chapter {c.id} (line {c.line}): up to {count} path{'s' if c.paths != 1 or c.more else ''}{loops}")
        if self.search_exhausted:
            out.append(f"note: the search for runs that show dead ends and loops stopped at its limit ({SEARCH_BUDGET:,} states or {SEARCH_STEPS:,} nodes entered); some may not be reported")
        return out


def chapter_paths(scenario: Scenario, result: Flow) -> list[ChapterReport]:
    """Distinct ways through each chapter, from its first node to wherever it stops (its
    end, an ending, or a goto into another chapter). Every choice or route the flow
    analysis finds possible counts as its own branch, combined freely (so the count is an
    upper bound when a later branch depends on an earlier one); a move back into the
    path already walked (a loop, found depth-first in file order) is left out, so each
    loop is walked once, not again."""
    reports = []
    for chapter in scenario.chapters:
        members = set(chapter.nodes)
        succ: dict[str, list] = {}
        for nid in chapter.nodes:
            if nid not in result.at_node:
                continue
            node = scenario.nodes[nid]
            moves: list = []  # a node id inside the chapter, or None for a stop
            if node.choices:
                for c in node.choices:
                    if result.choice_open.get((nid, c.index), False):
                        moves.append(c.goto if c.goto in members else None)
            elif node.goto is not None:
                moves.append(node.goto if node.goto in members else None)
            elif node.routes:
                for i, r in enumerate(node.routes):
                    if result.route_taken.get((nid, i), False):
                        moves.append(r.goto if r.goto in members else None)
            else:
                moves.append(None)
            succ[nid] = moves
        start = chapter.start
        if start not in succ:
            reports.append(ChapterReport(chapter.id, chapter.title, chapter.line, 0, False, 0))
            continue
        # Depth-first from the start: a move to a node still on the stack is a loop.
        count: dict[str, int] = {}
        on_path: set = {start}
        loops = 0
        work = [(start, 0, 0)]
        while work:
            nid, i, total = work.pop()
            moves = succ[nid]
            while i < len(moves):
                target = moves[i]
                i += 1
                if target is None:
                    total += 1
                elif target in on_path:
                    loops += 1
                elif target in count:
                    total += count[target]
                else:
                    work.append((nid, i, total))
                    work.append((target, 0, 0))
                    on_path.add(target)
                    break
            else:
                total = min(total, PATHS_CAP + 1)
                count[nid] = total
                on_path.discard(nid)
                if work:
                    parent, pi, ptotal = work.pop()
                    work.append((parent, pi, ptotal + total))
        paths = count[start]
        reports.append(ChapterReport(chapter.id, chapter.title, chapter.line, min(paths, PATHS_CAP), paths > PATHS_CAP, loops))
    return reports


def _dead_end_candidates(scenario: Scenario, result: Flow, in_cycle: set) -> set:
    """Choices nodes where the analysis cannot rule out that no choice is open."""
    out = set()
    for nid, state in result.at_node.items():
        node = scenario.nodes[nid]
        if not node.choices:
            continue
        env = (dict(zip((m.name for m in scenario.meters), state.meters)), state.flag_values())
        for choice in node.choices:
            if choice.once and nid in in_cycle:
                continue  # may be closed once taken: says nothing about the state
            if choice.condition is None:
                env = None
                break
            env = refine(choice.condition.tree, env[0], env[1], False)
            if env is None:
                break
        if env is not None:
            out.add(nid)
    return out


def every_run(scenario: Scenario, budget: int = EXACT_BUDGET, steps: int = EXACT_STEPS):
    """{ending id: {meter: (lowest, highest)}} over every run, played with the engine
    (states that play the same from here on are played once), or None when there are
    more states than `budget` or playing them enters more than `steps` nodes."""
    from . import engine

    def key(state):
        return engine.state_key(scenario, state)

    first = engine.start(scenario)
    seen = {key(first)}
    queue = deque([first])
    ranges: dict = {}
    entered = 0
    while queue:
        if len(seen) > budget or entered > steps:
            return None
        state = queue.popleft()
        entered += len(state.passed)
        if state.status == engine.ENDED:
            found = ranges.setdefault(state.ending, {})
            for name, value in state.meters:
                lo, hi = found.get(name, (value, value))
                found[name] = (min(lo, value), max(hi, value))
            continue
        if state.status == engine.STUCK:
            continue
        if state.status == engine.CHAPTER_END:
            following = [engine.next_chapter(scenario, state)]
        else:
            following = [engine.choose(scenario, state, c)[0] for c in engine.open_choices(scenario, state)]
        for new in following:
            k = key(new)
            if k not in seen:
                seen.add(k)
                queue.append(new)
    return ranges


def analyse(scenario: Scenario, budget: int = SEARCH_BUDGET, exact: bool = False) -> Report:
    """Every authoring warning (format 1's four, then dead ends and loops with no way
    out, each shown by a run) and the report: meter ranges per ending, paths per chapter.
    With `exact`, the ranges come from playing every run when there are few enough."""
    result = flow(scenario)
    problems = _basic(scenario, result)
    graph = edges(scenario, result)
    reachable = {n: [t for t in ts if t in result.at_node] for n, ts in graph.items() if n in result.at_node}
    comps = components(reachable)
    in_cycle = set()
    traps = []
    auto_loops = []
    for comp in comps:
        members = set(comp)
        if len(comp) == 1 and comp[0] not in reachable[comp[0]]:
            continue
        in_cycle |= members
        closed = not any(exits(scenario, n, result) or any(t not in members for t in reachable[n]) for n in comp)
        if closed:
            traps.append(comp)
        elif all(not scenario.nodes[n].choices for n in comp):
            auto_loops.append(comp)
    candidates = _dead_end_candidates(scenario, result, in_cycle)
    stuck_at = set(candidates)
    for comp in auto_loops:
        stuck_at |= set(comp)
    enter = set()
    for comp in traps:
        enter |= set(comp)
        stuck_at |= set(comp)
    stuck, entered, exhausted = search(scenario, stuck_at, enter, reachable, budget)
    order = {nid: i for i, nid in enumerate(scenario.nodes)}
    reported_stuck = set()
    for comp in traps:
        found = [entered[n] for n in comp if n in entered] + [stuck[n] for n in comp if n in stuck]
        if not found:
            continue
        witness = min(found, key=lambda w: len(w.choices))
        names = sorted(comp, key=order.get)
        first = scenario.nodes[names[0]]
        shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
        if all(not scenario.nodes[n].choices for n in comp):
            problems.append(_problem(scenario, first.line, f"loop with no way out: the automatic nodes {shown} lead only to each other, so play goes round them forever and gets stuck; play gets there {witness.describe()}"))
        else:
            problems.append(_problem(scenario, first.line, f"loop with no way out: once play reaches node {witness.state.node!r}, no choice or route ever leads out of nodes {shown}, so the scenario can never end; play gets there {witness.describe()}"))
        reported_stuck |= set(comp)
    for nid in sorted(stuck, key=order.get):
        if nid in reported_stuck:
            continue
        witness = stuck[nid]
        node = scenario.nodes[witness.state.node]
        if node.choices:
            problems.append(_problem(scenario, node.line, f"dead end: play can reach node {node.id!r} with no choice open, and plain play stops there with status 4; it happens {witness.describe()}"))
        else:
            problems.append(_problem(scenario, node.line, f"loop with no way out: from node {node.id!r} the automatic nodes (goto and routes) go round forever without a choice, so play gets stuck; it happens {witness.describe()}"))
    endings = []
    names = [m.name for m in scenario.meters]
    played = every_run(scenario) if exact else None
    for ending in scenario.endings:
        state = result.ending_states.get(ending.id)
        reachable_ending = ending.id in result.endings and state is not None
        meters = {name: tuple(state.meters[i]) for i, name in enumerate(names)} if reachable_ending else {}
        if played is not None:
            # Every run was played: the true ranges (inside the bounds; an ending no run reaches has none).
            endings.append(EndingReport(ending.id, ending.title, ending.line, ending.id in played, played.get(ending.id, {}), True))
        else:
            endings.append(EndingReport(ending.id, ending.title, ending.line, reachable_ending, meters))
    problems.sort(key=lambda p: p.line)
    return Report(tuple(problems), tuple(endings), tuple(chapter_paths(scenario, result)), exhausted)
