"""Small pieces of `Content` shared by screens and widgets.

Every string that comes from a scenario file, a save or a file name goes through
`literal` (which shows control characters and bidi overrides escaped, by
`safetext.visible`, and never parses markup), so a `[bold]` or `[/]` written by an
author shows exactly as typed and no escape sequence reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from ..safetext import visible
from .theme import TONE_COLOUR, TONE_STYLE

if TYPE_CHECKING:  # the game's model is not needed to draw the library's first screen
    from ..engine import MeterChange
    from ..model import Meter, Style

SPARK = "▁▂▃▄▅▆▇█"
UP = "$meter-up"
DOWN = "$meter-down"


def literal(text: str, style: str = "") -> Content:
    """Untrusted text as it was typed (control characters shown escaped), optionally in one style."""
    text = visible(text)
    return Content.styled(text, style) if style else Content(text)


def badge(style: Style) -> Content:
    """A reply's style as a coloured badge: ` Blame · destructive `."""
    return literal(f" {style.label} ", TONE_STYLE.get(style.tone, TONE_STYLE["neutral"]))


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
    return Content.assemble((f"{arrow} ", colour), literal(change.describe(), colour))


def level_colour(fraction: float) -> str:
    """Bar colour by how full a meter is: rose when low, honey in the middle, sage when high."""
    if fraction < 0.34:
        return "$meter-low"
    if fraction < 0.67:
        return "$meter-mid"
    return "$meter-high"


def shared_scale(series: Iterable[Sequence[int]]) -> tuple[int, int]:
    """One low and high for several sparklines drawn together, so equal heights mean equal values."""
    values = [v for values in series for v in values]
    return (min(values), max(values)) if values else (0, 0)


def sparkline(values: Sequence[int], meter: Meter, cell: int = 2, min_span: int = 20, scale: tuple[int, int] | None = None) -> Content:
    """A meter's values as block heights. The scale is `scale` when given (shared by the
    sparklines shown together) or the values' own range, widened to at least `min_span`
    points (inside the meter's range) so a small wobble does not look like a fall, and a
    real change still shows. Colour follows the value on the meter's range."""
    if not values:
        return Content("")
    low, high = scale if scale is not None else (min(values), max(values))
    if high - low < min_span:
        middle = (low + high) / 2
        low = max(meter.min, middle - min_span / 2)
        high = min(meter.max, low + min_span)
        low = max(meter.min, high - min_span)
    span = max(1, high - low)
    full = max(1, meter.max - meter.min)
    parts: list[tuple[str, str]] = []
    for value in values:
        fraction = (value - low) / span
        char = SPARK[min(len(SPARK) - 1, max(0, round(fraction * (len(SPARK) - 1))))]
        parts.append((char * cell, level_colour((value - meter.min) / full)))
        parts.append((" ", ""))
    return Content.assemble(*parts[:-1])
