"""What the chapter-end and ending screens both show: the tone tally, the advice followed
and missed, and each meter's trajectory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from ..engine import Outcome
from ..model import Advice, Scenario
from .render import delta_text, literal, shared_scale, sparkline


def advice_split(outcomes: Sequence[Outcome]) -> tuple[list[Advice], list[Advice]]:
    """The advice the replies followed and the advice they missed, each once, in the order
    first met. A constructive (or neutral) reply follows the advice it cites; a destructive
    one cites the advice it went against. Advice followed once and missed once is in both."""
    followed: dict[str, Advice] = {}
    missed: dict[str, Advice] = {}
    for outcome in outcomes:
        into = missed if outcome.style.tone == "destructive" else followed
        for advice in outcome.advice:
            into.setdefault(advice.id, advice)
    return list(followed.values()), list(missed.values())


def advice_sections(outcomes: Sequence[Outcome]) -> list[Static]:
    """'Advice you followed' (title and source) and 'Advice you missed' (title, what it
    says, and source, so the next try has something to go on)."""
    followed, missed = advice_split(outcomes)
    widgets: list[Static] = []
    if followed:
        widgets.append(Static(Content.styled("Advice you followed", "bold"), classes="section", id="advice-followed"))
        for advice in followed:
            widgets.append(Static(Content.assemble(("✓ ", "bold #8FB996"), literal(advice.title, "bold")), classes="advice-line -followed"))
            if advice.sources:
                widgets.append(Static(Content("\n").join([literal(s, "italic") for s in advice.sources]), classes="advice-sources"))
    if missed:
        widgets.append(Static(Content.styled("Advice you missed: something to try next time", "bold"), classes="section", id="advice-missed"))
        for advice in missed:
            also = "  (you followed it at another moment)" if advice in followed else ""
            widgets.append(
                Static(Content.assemble(("○ ", "bold #E8B460"), literal(advice.title, "bold"), (also, "italic $foreground-muted")), classes="advice-line -missed")
            )
            if advice.text:
                widgets.append(Static(literal(advice.text), classes="advice-text"))
            if advice.sources:
                widgets.append(Static(Content("\n").join([literal(s, "italic") for s in advice.sources]), classes="advice-sources"))
    return widgets


def tone_tally(outcomes: Sequence[Outcome]) -> Counter:
    return Counter(outcome.style.tone for outcome in outcomes)


def tally_line(outcomes: Sequence[Outcome]) -> Content:
    counts = tone_tally(outcomes)
    return Content.assemble(
        ("Constructive ", "$tone-constructive"),
        (str(counts["constructive"]), "bold $tone-constructive"),
        "   ",
        ("Destructive ", "$tone-destructive"),
        (str(counts["destructive"]), "bold $tone-destructive"),
        "   ",
        ("Neutral ", "$tone-neutral"),
        (str(counts["neutral"]), "bold $tone-neutral"),
    )


def trajectories(scenario: Scenario, points: Sequence[dict[str, int]]) -> Content:
    """Each meter's values over `points` (its value at each moment that moved a meter: the
    start, entering the first node, after every reply) as a sparkline, with first -> last.
    All the sparklines share one scale, so 42 -> 60 and 83 -> 97 are drawn at their heights."""
    width = min(14, max((len(m.label) for m in scenario.meters), default=6))
    series = {meter.name: [point[meter.name] for point in points] for meter in scenario.meters}
    scale = shared_scale(series.values())
    lines = []
    for meter in scenario.meters:
        values = series[meter.name]
        first, last = values[0], values[-1]
        lines.append(
            Content.assemble(
                literal(meter.label[:width].ljust(width), "bold"),
                "  ",
                sparkline(values, meter, scale=scale),
                "  ",
                f"{first} -> {last} ",
                delta_text(last - first),
                (f"  (of {meter.min}-{meter.max})", "$foreground-muted"),
            )
        )
    return Content("\n").join(lines)
