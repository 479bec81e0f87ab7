"""The shipped stories teach rather than quiz (issue 10): a player blind to the style
tags cannot win by picking the longest, the warmest-sounding or the first reply, or by
luck; a player who reads for meaning (here: one who knows the tags) usually can.

The strategies and the measures live in scenario_game/strategies.py; bench/teaching.py
prints the same figures for any story."""

import random
from pathlib import Path

import pytest

from scenario_game import strategies
from scenario_game.loader import builtin_styles, load_path

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.toml"))
IDS = [p.stem for p in SCENARIOS]
MISSTEPS = ("fixing", "over-apologising", "people-pleasing", "false-reassurance", "disguised-blame", "therapy-speak", "yes-but", "mistimed")


def load(path):
    result = load_path(path)
    assert not result.problems, "\n".join(map(str, result.problems))
    return result.scenario


@pytest.fixture(scope="module")
def stories():
    return {p.stem: load(p) for p in SCENARIOS}


@pytest.mark.parametrize("name", ["longest", "warmest", "first"])
@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_a_surface_strategy_does_not_reach_the_best_ending(path, name):
    scenario = load(path)
    ending = strategies.play(scenario, strategies.STRATEGIES[name], random.Random(0))
    assert ending is not None, "play got stuck"
    assert ending != strategies.best_ending(scenario), f"always-{name} reaches the best ending"


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_luck_rarely_reaches_the_best_ending_and_reading_for_meaning_usually_does(path):
    scenario = load(path)
    assert strategies.best_rate(scenario, "random", plays=200, seed=11) <= 0.35
    assert strategies.best_rate(scenario, "tag-aware", plays=200, seed=11) >= 0.80


def test_constructive_replies_are_not_the_longest_or_warmest_as_a_rule(stories):
    mixed = longest = warmest = 0.0
    for scenario in stories.values():
        tells = strategies.decision_tells(scenario)
        mixed += tells["mixed"]
        longest += tells["longest"] * tells["mixed"]
        warmest += tells["warmest"] * tells["mixed"]
    assert mixed >= 60
    assert longest / mixed <= 0.50
    assert warmest / mixed <= 0.55


def test_every_misstep_style_is_played_at_least_three_times(stories):
    catalog = builtin_styles()
    used = {style: 0 for style in MISSTEPS}
    for scenario in stories.values():
        for node in scenario.nodes.values():
            for choice in node.choices:
                if choice.style in used:
                    used[choice.style] += 1
    for style in MISSTEPS:
        assert catalog[style].tone == "destructive"
        assert used[style] >= 3, (style, used[style])


def test_most_decisions_offer_a_reply_that_sounds_warm_but_is_not_constructive(stories):
    """A trap: a non-constructive reply with at least as many warm words as the best constructive one."""
    decisions = traps = 0
    for scenario in stories.values():
        for node in scenario.nodes.values():
            good = [c for c in node.choices if scenario.styles[c.style].tone == "constructive"]
            bad = [c for c in node.choices if scenario.styles[c.style].tone != "constructive"]
            if not good or not bad:
                continue
            decisions += 1
            best_good = max(strategies.warmth(c.text) for c in good)
            traps += any(strategies.warmth(c.text) >= max(best_good, 1) for c in bad)
    assert traps / decisions >= 0.5, (traps, decisions)


def test_warmth_counts_warm_words_not_length():
    assert strategies.warmth("I feel so sorry, I love you") >= 3
    assert strategies.warmth("What was the worst part of today?") == 0
