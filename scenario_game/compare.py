"""What differs between two runs of the same chapter: the steps side by side, where the
runs part, both meter trajectories, the final difference and each run's style tally.

Pure: it reads `runs.Run` records and returns data and plain-text lines; the CLI prints
the lines and the TUI's compare screen draws the same data its own way.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from .model import TONES
from .runs import Run, Step


class CompareError(Exception):
    """Two runs that cannot be compared; the message says why in a sentence."""


@attrs.frozen
class Side:
    """One run's part of the comparison: its steps in the chapter and its meters."""

    label: str  # "A" or "B"
    name: str  # the save's file name
    run: Run
    start: tuple[tuple[str, int], ...]  # meters as the chapter began
    steps: tuple[Step, ...]
    finished: bool  # the run played the chapter to its end

    @property
    def final(self) -> dict[str, int]:
        return dict(self.steps[-1].after if self.steps else self.start)

    def trajectory(self, meter: str) -> list[int | None]:
        """The meter at the chapter's start and after each step (None where unknown)."""
        values = [dict(self.start).get(meter)]
        values.extend(dict(step.after).get(meter) for step in self.steps)
        return values

    def tally(self) -> dict[str, int]:
        """Steps by tone: constructive, destructive, neutral."""
        counts = Counter(step.tone for step in self.steps)
        return {tone: counts.get(tone, 0) for tone in TONES} | {t: n for t, n in counts.items() if t not in TONES}

    def styles(self) -> list[tuple[str, int]]:
        """Styles used, most used first, as (label, count)."""
        counts = Counter(step.style_label for step in self.steps)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@attrs.frozen
class Row:
    """Step `number` of the chapter in both runs (None where a run took no such step)."""

    number: int
    a: Step | None
    b: Step | None

    @property
    def same(self) -> bool:
        return self.a is not None and self.b is not None and (self.a.node, self.a.index) == (self.b.node, self.b.index)


@attrs.frozen
class Difference:
    meter: str
    label: str
    a: int | None
    b: int | None

    @property
    def delta(self) -> int | None:
        return None if self.a is None or self.b is None else self.b - self.a


@attrs.frozen
class Comparison:
    chapter: str
    a: Side
    b: Side
    rows: tuple[Row, ...]
    meters: tuple[str, ...]
    labels: Mapping[str, str]  # meter name -> label

    @property
    def divergence(self) -> int | None:
        """The number of the first step where the runs differ, or None if they never do."""
        for row in self.rows:
            if not row.same:
                return row.number
        return None

    @property
    def same_start(self) -> bool:
        return self.a.start == self.b.start

    def label(self, meter: str) -> str:
        return self.labels.get(meter, meter.replace("_", " ").capitalize())

    def final_difference(self) -> tuple[Difference, ...]:
        a, b = self.a.final, self.b.final
        return tuple(Difference(m, self.label(m), a.get(m), b.get(m)) for m in self.meters)


def default_chapter(run_a: Run, run_b: Run) -> str:
    """The first chapter both runs played in which they chose differently, else the first in common."""
    common = [c for c in run_a.chapters_played() if c in run_b.chapters_played()]
    if not common:
        raise CompareError(
            f"the runs have no chapter in common (A played {', '.join(run_a.chapters_played()) or 'none'}; "
            f"B played {', '.join(run_b.chapters_played()) or 'none'})"
        )
    for chapter in common:
        a = [(s.node, s.index) for s in run_a.chapter_steps(chapter)]
        b = [(s.node, s.index) for s in run_b.chapter_steps(chapter)]
        if a != b:
            return chapter
    return common[0]


def _side(label: str, run: Run, chapter: str) -> Side:
    name = Path(run.path).name if run.path else label
    if chapter not in run.chapters_played():
        raise CompareError(
            f"run {label} ({name}) never played chapter {chapter!r}; it played: {', '.join(run.chapters_played()) or 'nothing'}"
        )
    steps = run.chapter_steps(chapter)
    start = run.chapter_start(chapter)
    meters = start.snapshot.meters if start is not None else (steps[0].before if steps else run.position.meters)
    return Side(label, name, run, tuple(meters), steps, run.chapter_finished(chapter))


def compare_runs(run_a: Run, run_b: Run, chapter: str | None = None, labels: Mapping[str, str] | None = None) -> Comparison:
    """Line up two runs of one chapter (by default the first where they differ)."""
    if run_a.scenario_id != run_b.scenario_id:
        raise CompareError(
            f"the runs are of different scenarios: A is {run_a.title!r} ({run_a.scenario_id}), "
            f"B is {run_b.title!r} ({run_b.scenario_id}); only runs of the same scenario can be compared"
        )
    chapter = chapter if chapter is not None else default_chapter(run_a, run_b)
    a, b = _side("A", run_a, chapter), _side("B", run_b, chapter)
    length = max(len(a.steps), len(b.steps))
    rows = tuple(
        Row(n + 1, a.steps[n] if n < len(a.steps) else None, b.steps[n] if n < len(b.steps) else None) for n in range(length)
    )
    meters = [name for name, _ in a.start]
    meters += [name for name, _ in b.start if name not in meters]
    return Comparison(chapter, a, b, rows, tuple(meters), dict(labels or {}))


# --- plain text ---------------------------------------------------------------------


def meters_text(meters: Mapping[str, int] | Sequence[tuple[str, int]]) -> str:
    pairs = meters.items() if isinstance(meters, Mapping) else meters
    return " ".join(f"{name}={value}" for name, value in pairs)


def choice_text(step: Step) -> str:
    return f"{step.shown}. {step.text}"


def style_text(step: Step) -> str:
    return f"{step.style_label} ({step.tone})"


def tally_text(side: Side) -> str:
    tally = side.tally()
    tones = ", ".join(f"{count} {tone}" for tone, count in tally.items())
    styles = ", ".join(f"{label} {count}" for label, count in side.styles())
    return tones + (f"  [{styles}]" if styles else "")


def chart(comparison: Comparison, meter: str, height: int = 8, column: int = 5) -> list[str]:
    """Both runs' values of `meter`, step by step, on one plain-text chart: `A` and `B`
    mark each run's value, `*` where both have the same one."""
    series = {"A": comparison.a.trajectory(meter), "B": comparison.b.trajectory(meter)}
    values = [v for points in series.values() for v in points if v is not None]
    title = f"{comparison.label(meter)} (A = run A, B = run B, * = both)"
    if not values:
        return [title, "  no values"]
    low, high = min(values), max(values)
    rows = max(2, min(height, high - low + 1))
    span = max(1, high - low)

    def level(value: int) -> int:
        return round((value - low) * (rows - 1) / span)

    width = max(len(points) for points in series.values())
    grid = [[" "] * (width * column) for _ in range(rows)]
    for mark, points in series.items():
        for x, value in enumerate(points):
            if value is None:
                continue
            cell = grid[rows - 1 - level(value)]
            spot = x * column + 1
            cell[spot] = "*" if cell[spot] not in (" ", mark) else mark
    axis = max(len(str(low)), len(str(high)))
    lines = [title]
    for r, cells in enumerate(grid):
        value = round(low + (rows - 1 - r) * span / (rows - 1))
        lines.append(f"  {str(value).rjust(axis)} |{''.join(cells).rstrip()}")
    lines.append(f"  {' ' * axis} +" + "".join("-+" + "-" * (column - 2) for _ in range(width)))
    lines.append(f"  {' ' * axis}   " + "".join(str(x).ljust(column) for x in range(width)) + "step (0 = chapter start)")
    for mark, points in series.items():  # the exact values, under their steps
        cells = "".join(("-" if v is None else str(v)).ljust(column) for v in points)
        lines.append(f"  {mark.rjust(axis)}   {cells}".rstrip())
    return lines


def _wrap(prefix: str, text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=prefix, subsequent_indent=" " * len(prefix)) or [prefix.rstrip()]


def render(comparison: Comparison, width: int = 100, chapter_title: str | None = None) -> list[str]:
    """The comparison as plain lines: readable without colour and by a screen reader."""
    c = comparison
    a, b = c.a, c.b
    title = f" ({chapter_title})" if chapter_title else ""
    lines = [f"Comparing chapter {c.chapter}{title} of {a.run.title}", f"  A: {a.name}", f"  B: {b.name}"]
    if c.same_start:
        lines.append(f"Both start the chapter at {meters_text(a.start)}")
    else:
        lines.append(f"A starts the chapter at {meters_text(a.start)}; B at {meters_text(b.start)}")
    divergence = c.divergence
    if not c.rows:
        lines.append("Neither run has taken a step in this chapter yet.")
    elif divergence is None:
        lines.append("The runs took the same choices all through the chapter.")
    else:
        lines.append(f"The runs diverge at step {divergence} (marked >>).")
    for row in c.rows:
        lines.append("")
        if row.same:
            state = "same choice"
        elif row.number == divergence:
            state = "the runs diverge here"
        else:
            state = "different choices"
        marker = ">> " if row.number == divergence else "   "
        lines.append(f"{marker}Step {row.number}: {state}")
        for label, step in (("A", row.a), ("B", row.b)):
            if step is None:
                side = a if label == "A" else b
                why = "the chapter had ended" if side.finished else "the run stopped here"
                lines.append(f"     {label}  (no step: {why})")
                continue
            if label == "B" and row.same:
                lines.append(f"     B  same choice as A; meters after: {meters_text(step.after)}")
                continue
            lines.extend(_wrap(f"     {label}  ", f"at {step.node}: {choice_text(step)}", width))
            lines.append(f"        style: {style_text(step)}; meters after: {meters_text(step.after)}")
    lines.append("")
    lines.append("Meters, step by step:")
    for meter in c.meters:
        lines.append("")
        lines.extend(chart(c, meter))
    lines.append("")
    ends = []
    for side in (a, b):
        if not side.finished:
            ends.append(f"run {side.label} stopped before the chapter's end")
    lines.append("Final difference" + (f" ({'; '.join(ends)})" if ends else " (at the chapter's end)") + ":")
    label_width = max(len(d.label) for d in c.final_difference()) if c.meters else 0
    for difference in c.final_difference():
        delta = "?" if difference.delta is None else f"{difference.delta:+d}"
        lines.append(
            f"  {difference.label.ljust(label_width)}  A {difference.a if difference.a is not None else '-'}"
            f"  B {difference.b if difference.b is not None else '-'}  (B - A: {delta})"
        )
    lines.append("")
    lines.append("Style tally:")
    lines.append(f"  A: {tally_text(a)}")
    lines.append(f"  B: {tally_text(b)}")
    return lines
