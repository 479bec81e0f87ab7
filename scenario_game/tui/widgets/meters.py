"""Meters as labelled bars with their values; a change slides the bar and shows its delta."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:  # the play screen can be drawn before the model is imported (firstscene.py)
    from ...model import Meter
from ..render import delta_text, level_colour, literal

DELTA_SECONDS = 2.5
SLIDE_SECONDS = 0.6
WIDE_BAR = 44  # from this width a meter fits on one line


class MeterBar(Widget):
    """One meter: `Trust  ██████░░░░  45  +5`."""

    DEFAULT_CSS = """
    MeterBar { height: auto; width: 1fr; }
    """

    shown: reactive[float] = reactive(0.0)
    delta: reactive[int] = reactive(0)

    def __init__(self, meter: Meter, value: int, label_width: int = 10, **kwargs) -> None:
        super().__init__(**kwargs)
        self.meter = meter
        self.value = value
        self.label_width = label_width
        self.set_reactive(MeterBar.shown, float(value))
        self._clear_delta = None

    def set_value(self, value: int, animate: bool = True, quiet: bool = False) -> None:
        """Move to `value`: the bar slides there and the delta shows for a moment. `quiet`
        moves it without a delta (a chapter replayed, a run resumed: no reply changed it)."""
        change = value - self.value
        self.value = value
        if not change:
            return
        if quiet:
            self.delta = 0
            self.shown = float(value)
            return
        self.delta = change
        if self._clear_delta is not None:
            self._clear_delta.stop()
        self._clear_delta = self.set_timer(DELTA_SECONDS, self._hide_delta)
        if animate and self.app.animation_level != "none":
            self.animate("shown", float(value), duration=SLIDE_SECONDS, easing="out_cubic")
        else:
            self.shown = float(value)

    def _hide_delta(self) -> None:
        self.delta = 0

    def render(self) -> Content:
        return self._content(self.size.width)

    def get_content_height(self, container, viewport, width: int) -> int:
        """The height of what `render` draws at `width`. (The default renders to find out, and
        `render` reads the widget's size, which during a layout makes the screen arrange
        itself once more just to answer, and is the old size anyway.)"""
        return self._content(width).get_height(self.styles, width) if width else 0

    def _content(self, width: int) -> Content:
        """One line when there is room (`Trust ━━━━━━━━━━  45  +5`), else the bar under the label."""
        meter = self.meter
        span = max(1, meter.max - meter.min)
        delta = delta_text(self.delta) if self.delta else Content("")
        value = Content.styled(f"{self.value}", "bold")
        colour = level_colour((self.value - meter.min) / span)
        fraction = min(1.0, max(0.0, (self.shown - meter.min) / span))
        if width >= WIDE_BAR:
            # One line (the narrow layout, which has no room for the panel's "0-100" title):
            # the value says its scale itself, `45/100`.
            label = literal(meter.label[: self.label_width].ljust(self.label_width), "bold")
            scale = Content.styled(f"/{meter.max}", "$foreground-muted")
            bar_width = max(4, width - self.label_width - 1 - 1 - 4 - scale.cell_length - 1 - 4)
            return Content.assemble(label, " ", self._bar(fraction, bar_width, colour), " ", value.pad_left(4 - value.cell_length), scale, " ", delta)
        label = literal(meter.label, "bold")
        tail = Content.assemble(value, " ", delta) if self.delta else value
        gap = max(1, width - label.cell_length - tail.cell_length)
        return Content.assemble(label, " " * gap, tail, "\n", self._bar(fraction, width, colour))

    @staticmethod
    def _bar(fraction: float, width: int, colour: str) -> Content:
        filled = round(fraction * width)
        return Content.assemble(("━" * filled, colour), ("━" * (width - filled), "$meter-track"))


class MeterPanel(Widget):
    """Every meter of a scenario, in declaration order; always on screen during play."""

    DEFAULT_CSS = """
    MeterPanel { height: auto; layout: vertical; }
    """

    def __init__(self, meters: tuple[Meter, ...], values: dict[str, int], **kwargs) -> None:
        super().__init__(**kwargs)
        self.meters = meters
        self.values = dict(values)
        self.label_width = min(14, max((len(m.label) for m in meters), default=6))

    def compose(self):
        ranges = {(m.min, m.max) for m in self.meters}
        scale = f"  {min(ranges)[0]}-{min(ranges)[1]}" if len(ranges) == 1 else ""
        yield Static(Content.assemble(("How it feels", "bold"), (scale, "$foreground-muted")), classes="panel-title")
        for meter in self.meters:
            yield MeterBar(meter, self.values[meter.name], self.label_width, id=f"meter-{meter.name}")

    def bar(self, name: str) -> MeterBar:
        return self.query_one(f"#meter-{name}", MeterBar)

    def use_meters(self, meters: tuple[Meter, ...]) -> None:
        """The model's meters in place of the scene card's (the same names, labels and ranges)."""
        self.meters = meters
        for meter in meters:
            self.bar(meter.name).meter = meter

    def update_values(self, values: dict[str, int], animate: bool = True, quiet: bool = False) -> None:
        for meter in self.meters:
            if meter.name in values:
                self.bar(meter.name).set_value(values[meter.name], animate, quiet)
        self.values.update(values)
