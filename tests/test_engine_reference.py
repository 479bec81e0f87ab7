"""The compiled engine plays exactly like the reference engine (the tree-walking engine
it replaced): random scenarios, random replies, every state compared after every move."""

from __future__ import annotations

import random

import engine_reference as reference
from budget import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_analysis_soundness import random_scenario

from scenario_game import engine
from scenario_game.loader import load_text


def same(new, old) -> None:
    assert new.status == old.status
    if old.status == reference.STUCK and "auto nodes" in old.problem:
        return  # an automatic loop: the compiled engine stops as soon as it is sure (and says why)
    assert (new.node, new.chapter, new.meters, new.flags, new.taken, new.ending, new.passed, new.problem) == (
        old.node,
        old.chapter,
        old.meters,
        old.flags,
        old.taken,
        old.ending,
        old.passed,
        old.problem,
    )
    assert new.visit_counts == old.visit_counts
    assert tuple(new.visits) == old.visits


def told(outcome) -> tuple:
    changes = tuple((c.name, c.label, c.before, c.after) for c in outcome.changes)
    return (outcome.choice, outcome.style, changes, outcome.feedback, outcome.advice, outcome.passed)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.integers(0, 10**6))
def test_random_plays_match_the_reference_engine(seed, walk):
    result = load_text(random_scenario(seed), "r.toml", analyse=False)
    if result.scenario is None:
        return
    scenario = result.scenario
    rng = random.Random(walk)
    new, old = engine.start(scenario), reference.start(scenario)
    same(new, old)
    for _ in range(60):
        if new.status == engine.CHAPTER_END:
            new, old = engine.next_chapter(scenario, new), reference.next_chapter(scenario, old)
        elif new.status == engine.CHOOSING:
            offered = engine.open_choices(scenario, new)
            assert offered == reference.open_choices(scenario, old)
            pick = rng.randrange(len(offered))
            new, new_outcome = engine.choose(scenario, new, offered[pick])
            old, old_outcome = reference.choose(scenario, old, offered[pick])
            if old.status != reference.STUCK:
                assert told(new_outcome) == told(old_outcome)
        else:
            break
        same(new, old)
        if rng.random() < 0.1 and new.chapter_start is not None:  # replay the chapter from its start
            new = engine.restart_chapter(scenario, new.chapter_start)
            old = reference.restart_chapter(scenario, old.chapter_start)
            same(new, old)
