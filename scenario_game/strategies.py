"""Automatic players, for measuring whether a story teaches or can be won by a trick.

A player blind to the style tags picks by surface: the first reply, the longest, the
one with the most warm-sounding words, or one at random. A tag-aware player picks a
constructive reply (any neutral one when none is offered). A story teaches when the
surface players do not reach its best ending (the one marked `best = true`, else the
first `[[endings]]` entry) and the tag-aware player does.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence

from . import engine
from .model import Choice, Scenario

# Words and phrases that make a reply sound kind, whatever it does.
WARM_WORDS = (
    "i feel", "i'm sorry", "sorry", "miss", "need", "love", "i hear you", "understand",
    "care", "together", "thank", "appreciate", "hug", "feel", "happy", "dear", "sweet",
    "honey", "of course", "i know", "we", "us", "please", "glad", "safe",
)
_WARM = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(WARM_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)

Picker = Callable[[Scenario, Sequence[Choice], random.Random], Choice]


def warmth(text: str) -> int:
    """How many warm-sounding words and phrases the text has."""
    return len(_WARM.findall(text))


def pick_first(scenario: Scenario, choices: Sequence[Choice], rng: random.Random) -> Choice:
    return choices[0]


def pick_random(scenario: Scenario, choices: Sequence[Choice], rng: random.Random) -> Choice:
    return rng.choice(list(choices))


def pick_longest(scenario: Scenario, choices: Sequence[Choice], rng: random.Random) -> Choice:
    return max(choices, key=lambda c: len(c.text))


def pick_warmest(scenario: Scenario, choices: Sequence[Choice], rng: random.Random) -> Choice:
    return max(choices, key=lambda c: (warmth(c.text), len(c.text)))


def pick_by_tag(scenario: Scenario, choices: Sequence[Choice], rng: random.Random) -> Choice:
    """A player who knows the tags: a constructive reply, else a neutral one, else any."""
    for tone in ("constructive", "neutral"):
        fitting = [c for c in choices if scenario.styles[c.style].tone == tone]
        if fitting:
            return rng.choice(fitting)
    return rng.choice(list(choices))


STRATEGIES: dict[str, Picker] = {
    "first": pick_first,
    "longest": pick_longest,
    "warmest": pick_warmest,
    "random": pick_random,
    "tag-aware": pick_by_tag,
}


def play(scenario: Scenario, pick: Picker, rng: random.Random, max_steps: int = 100_000) -> str | None:
    """One whole run; the ending reached, or None if play got stuck."""
    state = engine.start(scenario)
    for _ in range(max_steps):
        if state.status == engine.ENDED:
            return state.ending
        if state.status == engine.STUCK:
            return None
        if state.status == engine.CHAPTER_END:
            state = engine.next_chapter(scenario, state)
            continue
        state, _ = engine.choose(scenario, state, pick(scenario, engine.open_choices(scenario, state), rng))
    return None


def best_ending(scenario: Scenario) -> str:
    """The ending marked `best = true`, else the first one."""
    return next((e.id for e in scenario.endings if e.best), scenario.endings[0].id)


def best_rate(scenario: Scenario, strategy: str, plays: int = 300, seed: int = 1) -> float:
    """Share of plays by `strategy` that reach the best ending."""
    rng = random.Random(seed)
    pick = STRATEGIES[strategy]
    deterministic = strategy in ("first", "longest", "warmest")
    count = plays if not deterministic else 1
    hits = Counter(play(scenario, pick, rng) for _ in range(count))
    return hits[best_ending(scenario)] / count


def decision_tells(scenario: Scenario) -> dict[str, float]:
    """Over every decision that mixes tones: how often the longest reply, the warmest
    reply and the first reply are constructive (the surface tells a story must avoid)."""
    mixed = longest = warmest = first = 0
    for node in scenario.nodes.values():
        if len(node.choices) < 2:
            continue
        tones = {scenario.styles[c.style].tone for c in node.choices}
        if "constructive" not in tones or len(tones) < 2:
            continue
        mixed += 1

        def good(c: Choice) -> bool:
            return scenario.styles[c.style].tone == "constructive"

        longest += good(max(node.choices, key=lambda c: len(c.text)))
        warmest += good(max(node.choices, key=lambda c: (warmth(c.text), len(c.text))))
        first += good(node.choices[0])
    if not mixed:
        return {"mixed": 0, "longest": 0.0, "warmest": 0.0, "first": 0.0}
    return {"mixed": mixed, "longest": longest / mixed, "warmest": warmest / mixed, "first": first / mixed}
