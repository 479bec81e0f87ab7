"""`scenario-game stats FILE`: how big a scenario is and how its replies are spread."""

from __future__ import annotations

import re
from collections import Counter

import attrs

from .records import frozen
from .model import TONES, Scenario

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def words(text: str) -> int:
    """Words as a reader counts them: `don't` and `well-being` are one word each."""
    return len(_WORD.findall(text))


@frozen
class Counts:
    words: int
    nodes: int
    choices: int
    tones: dict  # tone -> choices
    styles: dict  # style id -> choices, most used first
    advice: dict  # advice id -> choices that cite it, most used first


def _count(scenario: Scenario, node_ids) -> Counts:
    total_words = 0
    choices = 0
    tones: Counter = Counter({tone: 0 for tone in TONES})
    styles: Counter = Counter()
    advice: Counter = Counter()
    for node_id in node_ids:
        node = scenario.nodes[node_id]
        total_words += words(node.text)
        for choice in node.choices:
            choices += 1
            total_words += words(choice.text) + words(choice.feedback)
            tones[scenario.styles[choice.style].tone] += 1
            styles[choice.style] += 1
            advice.update(choice.advice)
    return Counts(total_words, len(node_ids), choices, dict(tones), dict(styles.most_common()), dict(advice.most_common()))


def scenario_stats(scenario: Scenario) -> dict:
    """The numbers as data: the whole scenario, then each chapter."""
    whole = _count(scenario, list(scenario.nodes))
    extra_words = words(scenario.title) + words(scenario.summary) + sum(words(e.title) + words(e.text) for e in scenario.endings)
    extra_words += sum(words(c.title) + words(c.summary) for c in scenario.chapters)
    return {
        "title": scenario.title,
        "words": whole.words + extra_words,
        "nodes": whole.nodes,
        "choices": whole.choices,
        "tones": whole.tones,
        "styles": whole.styles,
        "advice": whole.advice,
        "endings": [{"id": e.id, "title": e.title, "words": words(e.text)} for e in scenario.endings],
        "chapters": [
            {"id": c.id, "title": c.title, **attrs.asdict(_count(scenario, c.nodes))}
            for c in scenario.chapters
        ],
    }


def _mix(counts: dict, total: int) -> str:
    if not total:
        return "none"
    return ", ".join(f"{key} {value} ({round(100 * value / total)}%)" for key, value in counts.items())


def stats_lines(scenario: Scenario) -> list[str]:
    data = scenario_stats(scenario)
    out = [
        f"{data['title']}",
        f"  words: {data['words']:,}   nodes: {data['nodes']}   choices: {data['choices']}   endings: {len(data['endings'])}   chapters: {len(data['chapters'])}",
        f"  tones: {_mix(data['tones'], data['choices'])}",
        f"  styles: {_mix(data['styles'], data['choices'])}",
        f"  advice used: {', '.join(f'{k} {v}' for k, v in data['advice'].items()) or 'none'}",
        f"  endings: {', '.join(e['id'] for e in data['endings'])}",
    ]
    for chapter in data["chapters"]:
        out.append(f"chapter {chapter['id']}: {chapter['title']}")
        out.append(f"  words: {chapter['words']:,}   nodes: {chapter['nodes']}   choices: {chapter['choices']}")
        out.append(f"  tones: {_mix(chapter['tones'], chapter['choices'])}")
        out.append(f"  styles: {_mix(chapter['styles'], chapter['choices'])}")
        out.append(f"  advice used: {', '.join(f'{k} {v}' for k, v in chapter['advice'].items()) or 'none'}")
    return out
