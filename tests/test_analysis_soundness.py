"""Every warning of the deep checks is true: random small scenarios are checked, then
played exhaustively with the engine, and each claim is compared with what play can do."""

from __future__ import annotations

import random
import re
from collections import deque

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scenario_game import engine
from scenario_game.analysis import analyse, conditions
from scenario_game.loader import load_text

LIMIT = 5_000  # states explored at most: a bigger random scenario is skipped (a budget in work, not time)

pytestmark = pytest.mark.slow


def random_condition(rng: random.Random, nodes: list[str], depth: int = 0) -> str:
    roll = rng.random()
    if depth < 2 and roll < 0.25:
        return f"({random_condition(rng, nodes, depth + 1)}) {rng.choice(('and', 'or'))} {random_condition(rng, nodes, depth + 1)}"
    if depth < 2 and roll < 0.32:
        return f"not ({random_condition(rng, nodes, depth + 1)})"
    if roll < 0.45:
        return rng.choice(("met", "left", "sorry"))
    if roll < 0.55:
        return f"visited({rng.choice(nodes)}) {rng.choice(('>', '>=', '=='))} {rng.randint(0, 2)}"
    if roll < 0.65:
        return f"trust + closeness {rng.choice(('<', '>=', '!='))} {rng.randint(60, 140)}"
    if roll < 0.72:
        return f"trust - closeness {rng.choice(('<', '>'))} {rng.randint(-20, 20)}"
    meter = rng.choice(("trust", "closeness"))
    return f"{meter} {rng.choice(('<', '<=', '>', '>=', '==', '!='))} {rng.randint(20, 80)}"


def random_effects(rng: random.Random) -> str:
    parts = []
    for meter in ("trust", "closeness"):
        roll = rng.random()
        if roll < 0.3:
            parts.append(f"{meter} = {rng.randint(-25, 25)}")
        elif roll < 0.45:
            parts.append(f'{meter} = "%{rng.choice("+-")}{rng.choice((10, 30, 50, 100))}"')
        elif roll < 0.5:
            parts.append(f'{meter} = "={rng.randint(0, 100)}"')
    return "effects = { " + ", ".join(parts) + " }\n" if parts else ""


def random_flags(rng: random.Random) -> str:
    out = ""
    if rng.random() < 0.2:
        out += f'set = "{rng.choice(("met", "left"))}"\n'
    if rng.random() < 0.1:
        out += f'unset = ["{rng.choice(("met", "left"))}"]\n'
    return out


def random_scenario(seed: int) -> str:
    rng = random.Random(seed)
    chapters = rng.randint(1, 2)
    ids = [[f"n{c}x{i}" for i in range(rng.randint(2, 5))] for c in range(chapters)]
    everyone = [n for chapter in ids for n in chapter]
    out = ['format = 1\n[scenario]\ntitle = "Random"\n']
    for c, chapter in enumerate(ids):
        out.append(f'[[chapters]]\nid = "ch{c}"\n')
        for i, nid in enumerate(chapter):
            out.append(f'[[chapters.nodes]]\nid = "{nid}"\ntext = "."\n' + (random_effects(rng) if rng.random() < 0.3 else "") + random_flags(rng))
            roll = rng.random()
            if roll < 0.12:
                out.append(f'goto = "{rng.choice(everyone)}"\n')
            elif roll < 0.27:
                for _ in range(rng.randint(1, 2)):
                    out.append(f'[[chapters.nodes.routes]]\nif = "{random_condition(rng, everyone)}"\ngoto = "{rng.choice(everyone)}"\n')
                out.append(f'[[chapters.nodes.routes]]\ngoto = "{rng.choice(everyone)}"\n')
            elif roll < 0.33:
                out.append("end = true\n")
            else:
                for _ in range(rng.randint(1, 3)):
                    out.append('[[chapters.nodes.choices]]\ntext = "."\nstyle = "neutral"\n' + random_effects(rng) + random_flags(rng))
                    if rng.random() < 0.5:
                        out.append(f'if = "{random_condition(rng, everyone)}"\n')
                    if rng.random() < 0.2:
                        out.append("once = true\n")
                    way = rng.random()
                    if way < 0.6:
                        out.append(f'goto = "{rng.choice(chapter[i + 1:] or everyone) if rng.random() < 0.8 else rng.choice(everyone)}"\n')
                    elif way < 0.9:
                        out.append("end = true\n")
                    else:
                        out.append('ending = "e0"\n')
    for e in range(rng.randint(1, 3)):
        out.append(f'[[endings]]\nid = "e{e}"\ntitle = "E"\n')
        out.append(f'when = "{random_condition(rng, everyone)}"\n' if e < 2 and rng.random() < 0.9 else "")
    text = "".join(out)
    # The last ending must have no `when`: drop it from whichever ending is last.
    head, sep, tail = text.rpartition('[[endings]]\n')
    tail = "\n".join(line for line in tail.split("\n") if not line.startswith("when ="))
    return head + sep + tail


def explore(scenario):
    """Every state play can reach (visit counts kept for the nodes conditions look at)."""
    watched = frozenset(n for c, _, _ in conditions(scenario) for n in c.visited_nodes)

    def key(s):
        return (s.status, s.node, s.meters, s.flags, s.taken, tuple(kv for kv in s.visits if kv[0] in watched))

    first = engine.start(scenario)
    seen = {key(first)}
    queue = deque([first])
    nodes, opened, stuck, choosing = set(), set(), set(), set()
    endings: dict = {}
    parents: dict = {}  # state key -> keys of the states it follows from
    ended: set = set()
    at: dict = {}  # node -> keys of the states standing there
    while queue:
        if len(seen) > LIMIT:
            return None
        s = queue.popleft()
        nodes.update(s.passed)
        nodes.add(s.node)
        here = key(s)
        at.setdefault(s.node, []).append(here)
        if s.status == engine.STUCK:
            stuck.add(s.node)
            continue
        if s.status == engine.ENDED:
            endings.setdefault(s.ending, []).append(dict(s.meters))
            ended.add(here)
            continue
        if s.status == engine.CHAPTER_END:
            following = [engine.next_chapter(scenario, s)]
        else:
            choosing.add(s.node)
            following = []
            for c in engine.open_choices(scenario, s):
                opened.add((s.node, c.index))
                following.append(engine.choose(scenario, s, c)[0])
        for n in following:
            k = key(n)
            parents.setdefault(k, []).append(here)
            if k not in seen:
                seen.add(k)
                queue.append(n)
    can_end = set(ended)
    todo = list(ended)
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in can_end:
                can_end.add(parent)
                todo.append(parent)
    # nodes where play can stand and from where no run ever ends
    trapped = {node for node, keys in at.items() if any(k not in can_end for k in keys)}
    return nodes, opened, stuck, endings, choosing, trapped


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9))
@example(607285)  # a node both stuck and entered once counted twice, so the search stopped before a dead end
def test_every_warning_is_true(seed):
    text = random_scenario(seed)
    result = load_text(text, "r.toml", analyse=False)
    if result.scenario is None:
        return  # a random file with a load error (rare): nothing to analyse
    scenario = result.scenario
    truth = explore(scenario)
    if truth is None:
        return
    nodes, opened, stuck, endings, choosing, trapped = truth
    report = analyse(scenario)
    for problem in report.problems:
        message = problem.message
        if message.endswith("can never be reached") and message.startswith("node "):
            node = message.split("'")[1]
            assert node not in nodes, (message, text)
        elif "can never hold" in message:
            node = message.split("'")[1]
            index = int(message.split("choice ")[1].split(" ")[0]) - 1
            assert (node, index) not in opened, (message, text)
        elif message.startswith("ending "):
            assert message.split("'")[1] not in endings, (message, text)
        elif message.startswith("dead end"):
            assert message.split("'")[1] in stuck, (message, text)
        elif message.startswith("loop with no way out"):
            # Play gets there, and from the node it reaches no run ever ends.
            reached = re.search(r"(?:once play reaches|from) node '([^']+)'", message)
            if reached:
                assert reached.group(1) in trapped, (message, text)
            else:
                named = re.findall(r"'([^']+)'", message.split(" lead only")[0])
                assert set(named) & trapped, (message, text)
        elif "is tested" in message:
            pass
        else:
            raise AssertionError(f"unexpected warning {message!r}")
    # Meter ranges per ending hold every value play can end with.
    ranges = {e.id: e for e in report.endings}
    for ending, values in endings.items():
        assert ranges[ending].reachable, (ending, text)
        for meters in values:
            for name, value in meters.items():
                lo, hi = ranges[ending].meters[name]
                assert lo <= value <= hi, (ending, name, value, (lo, hi), text)
    # Played exhaustively, the report's ranges are exactly what play can end with.
    exact = {e.id: e for e in analyse(scenario, exact=True).endings}
    for ending, report_ending in exact.items():
        assert report_ending.exact
        values = endings.get(ending, [])
        assert report_ending.reachable == bool(values)
        for name in report_ending.meters:
            assert report_ending.meters[name] == (min(v[name] for v in values), max(v[name] for v in values))
    # And the search finds every dead end play can hit (it was not cut short here).
    if not report.search_exhausted:
        reported = " ".join(p.message for p in report.problems)
        for node in stuck & choosing | {n for n in stuck if scenario.nodes[n].choices}:
            assert f"'{node}'" in reported, (node, text)
