"""Small pieces of `Content` shared by screens and widgets.

Every string that comes from a scenario file goes through `Content(...)` (or a
`(text, style)` pair in `Content.assemble`), never through markup parsing, so a
`[bold]` or `[/]` written by an author shows exactly as typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content

from ..engine import MeterChange
from ..model import Meter, Style
from .theme import TONE_COLOUR, TONE_STYLE

SPARK = "▁▂▃▄▅▆▇█"
UP = "#8FB996"
DOWN = "#D9776B"


def literal(text: str, style: str = "") -> Content:
    """Untrusted text as it was typed, optionally in one style."""
    return Content.styled(text, style) if style else Content(text)


def badge(style: Style) -> Content:
    """A reply's style as a coloured badge: ` Blame · destructive `."""
    return Content.assemble((f" {style.label} ", TONE_STYLE.get(style.tone, TONE_STYLE["neutral"])))


def tone_word(tone: str) -> Content:
    return Content.styled(tone, f"italic {TONE_COLOUR.get(tone, TONE_COLOUR['neutral'])}")


def delta_text(delta: int) -> Content:
    if delta > 0:
        return Content.styled(f"+{delta}", f"bold {UP}")
    if delta < 0:
        return Content.styled(f"{delta}", f"bold {DOWN}")
    return Content.styled("±0", "dim")


def change_line(change: MeterChange) -> Content:
    """One meter change, worded by the engine (`Trust 45 -> 56 (+11)`), coloured by its sign."""
    colour = UP if change.delta > 0 else DOWN if change.delta < 0 else ""
    arrow = "▲" if change.delta > 0 else "▼" if change.delta < 0 else "·"
    return Content.assemble((f"{arrow} ", colour), (change.describe(), colour))


def level_colour(fraction: float) -> str:
    """Bar colour by how full a meter is: rose when low, honey in the middle, sage when high."""
    if fraction < 0.34:
        return "#D9776B"
    if fraction < 0.67:
        return "#E8B460"
    return "#8FB996"


def sparkline(values: Sequence[int], meter: Meter, cell: int = 2) -> Content:
    """A meter's values as block heights on the meter's own range (not the data's)."""
    span = max(1, meter.max - meter.min)
    parts: list[tuple[str, str]] = []
    for value in values:
        fraction = (value - meter.min) / span
        char = SPARK[min(len(SPARK) - 1, max(0, round(fraction * (len(SPARK) - 1))))]
        parts.append((char * cell, level_colour(fraction)))
        parts.append((" ", ""))
    return Content.assemble(*parts[:-1]) if parts else Content("")


def join_lines(lines: Iterable[Content | str]) -> Content:
    return Content("\n").join(list(lines))
