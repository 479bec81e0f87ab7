"""What differs between two runs of a chapter, told in the story's words: the scenes both
runs met side by side, and where they parted each run's own scenes as a branch until they
meet again; each reply's style and meter changes; a plain-language takeaway (styles, the
Four Horsemen, who ended higher); both meter trajectories and the final difference.

Pure: it reads `runs.Run` records (and the scenario's titles through `progress.Names`) and
returns data and plain-text lines; the CLI prints the lines and the TUI's compare screen
draws the same data its own way. No node, chapter or ending id is ever shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher


from .records import frozen
from .model import TONES
from .progress import FOUR_HORSEMEN, HORSEMEN_ORDER, Names, cap, run_name, wrap
from .runs import Run, Step
from .safetext import visible_line

WIDTH = 100  # the CLI's output fits this many columns


class CompareError(Exception):
    """Two runs that cannot be compared; the message says why in a sentence."""


@frozen
class Side:
    """One run's part of the comparison: its replies in the chapter and its meters."""

    label: str  # "A" or "B"
    name: str  # when it was played and how it ended
    run: Run
    start: tuple[tuple[str, int], ...]  # meters as the chapter began
    steps: tuple[Step, ...]
    finished: bool  # the run played the chapter to its end

    @property
    def final(self) -> dict[str, int]:
        return dict(self.steps[-1].after if self.steps else self.start)

    def trajectory(self, meter: str) -> list[int | None]:
        """The meter at the chapter's start and after each reply (None where unknown)."""
        values = [dict(self.start).get(meter)]
        values.extend(dict(step.after).get(meter) for step in self.steps)
        return values

    def tally(self) -> dict[str, int]:
        """Replies by tone: constructive, destructive, neutral."""
        counts = Counter(step.tone for step in self.steps)
        return {tone: counts.get(tone, 0) for tone in TONES} | {t: n for t, n in counts.items() if t not in TONES}

    def styles(self) -> list[tuple[str, int]]:
        """Styles used, most used first, as (label, count)."""
        counts = Counter(step.style_label for step in self.steps)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def horsemen(self) -> list[str]:
        """Which of Gottman's Four Horsemen the run's replies were, in the usual order."""
        used = {FOUR_HORSEMEN[step.style] for step in self.steps if step.style in FOUR_HORSEMEN}
        return [h for h in HORSEMEN_ORDER if h in used]


@frozen
class Shared:
    """Both runs at the same scene: the replies each gave there (maybe the same one)."""

    a: Step
    b: Step

    @property
    def node(self) -> str:
        return self.a.node

    @property
    def same(self) -> bool:
        return self.a.index == self.b.index


@frozen
class Branch:
    """Where the runs went separate ways: each run's own scenes until they meet again
    (`rejoin`, the scene where they do, or None if they never do in this chapter)."""

    a: tuple[Step, ...]
    b: tuple[Step, ...]
    rejoin: str | None = None

    same = False


Segment = Shared | Branch


@frozen
class Difference:
    meter: str
    label: str
    a: int | None
    b: int | None

    @property
    def delta(self) -> int | None:
        return None if self.a is None or self.b is None else self.b - self.a

    def words(self) -> str:
        """`A 54 higher`, `the same`, or `unknown`."""
        if self.delta is None:
            return "unknown"
        if self.delta == 0:
            return "the same"
        return f"{'B' if self.delta > 0 else 'A'} {abs(self.delta)} higher"


@frozen
class Comparison:
    chapter: str
    a: Side
    b: Side
    segments: tuple[Segment, ...]
    meters: tuple[str, ...]
    names: Names

    @property
    def divergence(self) -> int | None:
        """The index in `segments` where the runs first differ, or None if they never do."""
        for number, segment in enumerate(self.segments):
            if not segment.same:
                return number
        return None

    @property
    def same_start(self) -> bool:
        return self.a.start == self.b.start

    def label(self, meter: str) -> str:
        return self.names.meter(meter)

    def final_difference(self) -> tuple[Difference, ...]:
        a, b = self.a.final, self.b.final
        return tuple(Difference(m, self.label(m), a.get(m), b.get(m)) for m in self.meters)

    def chapter_title(self) -> str:
        return cap(self.names.chapter_place(self.chapter, self.a.run.chapter_count))

    def takeaway(self) -> list[str]:
        """The chapter in a few plain sentences: what each run did, and where that left them."""
        a, b = self.a, self.b
        out: list[str] = []
        if not a.steps and not b.steps:
            return ["Neither run has given a reply in this chapter yet."]
        first = self.divergence
        if first is None:
            out.append("Both runs gave the same replies all through this chapter.")
        else:
            segment = self.segments[first]
            if isinstance(segment, Shared):
                out.append(
                    f"They first parted at the scene \u201c{self.names.scene(segment.node, 50)}\u201d: "
                    f"A answered {_style_phrase(segment.a)}, B {_style_phrase(segment.b)}."
                )
            for side in (a, b):
                styles = ", ".join(f"{label}{' x' + str(n) if n > 1 else ''}" for label, n in side.styles())
                tally = side.tally()
                kind = ", ".join(f"{tally[t]} {t}" for t in TONES if tally.get(t))
                out.append(f"{side.label} replied with {styles or 'nothing'} ({kind or 'no replies'}).")
        for side in (a, b):
            horsemen = side.horsemen()
            if horsemen:
                count = "one" if len(horsemen) == 1 else ("two", "three", "all four")[len(horsemen) - 2]
                which = "of the Four Horsemen" if len(horsemen) < 4 else "Four Horsemen"
                out.append(f"{side.label} used {count} {which}: {', '.join(horsemen)}.")
        if not a.horsemen() and not b.horsemen() and first is not None:
            out.append("Neither used any of the Four Horsemen (criticism, contempt, defensiveness, stonewalling).")
        out.append(self._meter_sentence())
        if not self.same_start:
            moved = "; ".join(f"{side.label} {self.names.changes(side.start, tuple(side.final.items()))}" for side in (a, b))
            out.append(f"They began the chapter apart, so what this chapter itself changed counts too: {moved}.")
        for side in (a, b):
            if not side.finished:
                out.append(f"{side.label} stopped before the chapter's end.")
        return out

    def _meter_sentence(self) -> str:
        higher: dict[str, list[str]] = {"A": [], "B": []}
        for d in self.final_difference():
            if d.delta:
                higher["B" if d.delta > 0 else "A"].append(f"{abs(d.delta)} more {d.label}")
        parts = [(who, " and ".join(items)) for who, items in higher.items() if items]
        if not parts:
            return "Both ended the chapter with the same meters."
        if len(parts) == 1:
            who, items = parts[0]
            return f"{who} ended the chapter with {items} than {'B' if who == 'A' else 'A'}."
        return f"A ended the chapter with {parts[0][1]} than B; B with {parts[1][1]} than A."


def _style_phrase(step: Step) -> str:
    return f"with {step.style_label} ({step.tone})"


def common_chapters(run_a: Run, run_b: Run) -> list[str]:
    """Chapters both runs played, in the order A first reached them."""
    b = run_b.chapters_played()
    return [c for c in run_a.chapters_played() if c in b]


def default_chapter(run_a: Run, run_b: Run) -> str:
    """The first chapter both runs played in which they chose differently, else the first in common."""
    common = common_chapters(run_a, run_b)
    if not common:
        raise CompareError("the runs have no chapter in common, so there is nothing to put side by side")
    for chapter in common:
        a = [(s.node, s.index) for s in run_a.chapter_steps(chapter)]
        b = [(s.node, s.index) for s in run_b.chapter_steps(chapter)]
        if a != b:
            return chapter
    return common[0]


def pick_chapter(wanted: str, chapters: Sequence[str], names: Names) -> str:
    """A chapter named on the command line: its number in the story, its title (or the
    start of it), or its id. Raises CompareError naming the chapters both runs played."""
    text = wanted.strip().casefold()
    for chapter in chapters:
        number = names.chapter_number(chapter)
        if chapter.casefold() == text or (number is not None and str(number) == text):
            return chapter
    matches = [c for c in chapters if names.chapter(c).casefold().startswith(text)]
    if len(matches) == 1:
        return matches[0]
    played = "; ".join(cap(names.chapter_place(c)) for c in chapters) or "none"
    raise CompareError(f"both runs did not play a chapter {wanted!r}; chapters both played: {played}")


def _segments(a: Sequence[Step], b: Sequence[Step]) -> tuple[Segment, ...]:
    """Line the replies up by scene: the same scene side by side, and between scenes both
    met, each run's own scenes as a branch."""
    a_nodes = [s.node for s in a]
    b_nodes = [s.node for s in b]
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_nodes, b_nodes, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(Shared(a[i], b[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            rejoin = a_nodes[i2] if i2 < len(a_nodes) and j2 < len(b_nodes) else None
            out.append(Branch(tuple(a[i1:i2]), tuple(b[j1:j2]), rejoin))
    return tuple(out)


def _side(label: str, run: Run, chapter: str, names: Names) -> Side:
    if chapter not in run.chapters_played():
        played = "; ".join(cap(names.chapter_place(c)) for c in run.chapters_played()) or "nothing"
        raise CompareError(f"run {label} never played {names.chapter_place(chapter)}; it played: {played}")
    steps = run.chapter_steps(chapter)
    start = run.chapter_start(chapter)
    meters = start.snapshot.meters if start is not None else (steps[0].before if steps else run.position.meters)
    return Side(label, run_name(run, names), run, tuple(meters), steps, run.chapter_finished(chapter))


def compare_runs(run_a: Run, run_b: Run, chapter: str | None = None, names: Names | Mapping[str, str] | None = None) -> Comparison:
    """Line up two runs of one chapter (by default the first where they differ)."""
    if not isinstance(names, Names):
        names = Names(None, dict(names or {}))
    if run_a.scenario_id != run_b.scenario_id:
        raise CompareError(
            f"the runs are of different stories: A is of {run_a.title!r}, B of {run_b.title!r}; "
            "only runs of the same story can be compared"
        )
    chapter = chapter if chapter is not None else default_chapter(run_a, run_b)
    a, b = _side("A", run_a, chapter, names), _side("B", run_b, chapter, names)
    meters = [name for name, _ in a.start]
    meters += [name for name, _ in b.start if name not in meters]
    return Comparison(chapter, a, b, _segments(a.steps, b.steps), tuple(meters), names)


def compare_all(run_a: Run, run_b: Run, names: Names) -> list[Comparison]:
    """One comparison for every chapter both runs played, in the story's order."""
    chapters = common_chapters(run_a, run_b)
    if not chapters:
        raise CompareError("the runs have no chapter in common, so there is nothing to put side by side")
    chapters.sort(key=lambda c: (names.chapter_number(c) or 0))
    return [compare_runs(run_a, run_b, c, names) for c in chapters]


# --- plain text ---------------------------------------------------------------------


def reply_lines(step: Step, names: Names, indent: str, width: int, written: bool = True, numbered: bool = True) -> list[str]:
    """A reply as the player saw it (and, when they wrote it in their own words, what they
    wrote), then its style and what it changed. `numbered=False` for a reply both runs gave
    under different numbers (the order of replies can differ)."""
    hang = " " * len(indent) + "   "
    lines = wrap(f"{step.shown}. {step.text}" if numbered else step.text, width, indent, hang)
    if written and step.written is not None:
        lines += wrap(written_text(step.written), width, hang, hang + "  ")
    lines += wrap(f"{step.style_label} ({step.tone}); {names.changes(step.before, step.after)}", width, hang)
    return lines


def written_text(words: str) -> str:
    """The player's own words beside the reply the story took, on one line (a save is
    untrusted: its controls and line breaks are shown escaped)."""
    return f"you wrote: \u201c{visible_line(words)}\u201d"


def tally_text(side: Side) -> str:
    tally = side.tally()
    tones = ", ".join(f"{count} {tone}" for tone, count in tally.items())
    styles = ", ".join(f"{label} {count}" for label, count in side.styles())
    return tones + (f"; styles: {styles}" if styles else "")


def chart(comparison: Comparison, meter: str, height: int = 8, column: int = 5, width: int = WIDTH) -> list[str]:
    """Both runs' values of `meter`, reply by reply, on one plain-text chart: `A` and `B`
    mark each run's value, `*` where both have the same one."""
    series = {"A": comparison.a.trajectory(meter), "B": comparison.b.trajectory(meter)}
    values = [v for points in series.values() for v in points if v is not None]
    title = f"{comparison.label(meter)} ({comparison.names.scale(meter)}; A = run A, B = run B, * = both)"
    if not values:
        return [title, "  no values"]
    low, high = min(values), max(values)
    rows = max(2, min(height, high - low + 1))
    span = max(1, high - low)

    def level(value: int) -> int:
        return round((value - low) * (rows - 1) / span)

    axis = max(len(str(low)), len(str(high)))
    steps = max(len(points) for points in series.values())
    column = max(4, min(column, (width - axis - 5) // max(1, steps)))  # 3-digit values still fit
    grid = [[" "] * (steps * column) for _ in range(rows)]
    for mark, points in series.items():
        for x, value in enumerate(points):
            if value is None:
                continue
            cell = grid[rows - 1 - level(value)]
            spot = x * column + 1
            cell[spot] = "*" if cell[spot] not in (" ", mark) else mark
    lines = [title]
    for r, cells in enumerate(grid):
        value = round(low + (rows - 1 - r) * span / (rows - 1))
        lines.append(f"  {str(value).rjust(axis)} |{''.join(cells).rstrip()}")
    lines.append(f"  {' ' * axis} +" + "".join("-+" + "-" * (column - 2) for _ in range(steps)))
    numbers = f"  {' ' * axis}   " + "".join(str(x).ljust(column) for x in range(steps))
    label = "reply (0 = chapter start)"
    lines.append(numbers + label if len(numbers) + len(label) <= width else numbers.rstrip())
    for mark, points in series.items():  # the exact values, under their replies
        cells = "".join(("-" if v is None else str(v)).ljust(column) for v in points)
        lines.append(f"  {mark.rjust(axis)}   {cells}".rstrip())
    return lines


def why_no_scenes(branch: Branch, side: Side) -> str:
    """Why one side of a branch has no scenes: it went straight to where the runs meet, or it ended."""
    if branch.rejoin:
        return "it went straight on to where they meet"
    return "the chapter had ended" if side.finished else "the run stopped here"


def scene_lines(comparison: Comparison, width: int = WIDTH) -> list[str]:
    """Scene by scene: shared scenes with both replies, branches with each run's own scenes."""
    c, names = comparison, comparison.names
    lines: list[str] = []
    first = c.divergence
    for number, segment in enumerate(c.segments):
        lines.append("")
        if isinstance(segment, Shared):
            mark = ">> " if number == first else "   "
            lines.extend(wrap(f"Scene: {names.scene(segment.node, 200)}", width, mark, "   "))
            if segment.same:
                lines.extend(reply_lines(segment.a, names, "     A and B: ", width, written=False, numbered=segment.a.shown == segment.b.shown))
                for label, step in (("A", segment.a), ("B", segment.b)):
                    if step.written is not None:
                        lines.extend(wrap(f"{label}, {written_text(step.written)}", width, "        ", "          "))
                continue
            lines.append("     the runs answer differently here")
            lines.extend(reply_lines(segment.a, names, "     A ", width))
            lines.extend(reply_lines(segment.b, names, "     B ", width))
            continue
        mark = ">> " if number == first else "   "
        where = f" until they meet again at \u201c{names.scene(segment.rejoin, 50)}\u201d" if segment.rejoin else ""
        lines.extend(wrap(f"The runs go separate ways{where}:", width, mark, "   "))
        for label, steps, side in (("A", segment.a, c.a), ("B", segment.b, c.b)):
            if not steps:
                lines.append(f"     {label}: no scenes of its own ({why_no_scenes(segment, side)})")
                continue
            lines.append(f"     {label}'s way:")
            for step in steps:
                lines.extend(wrap(f"Scene: {names.scene(step.node, 200)}", width, "       ", "         "))
                lines.extend(reply_lines(step, names, "         ", width))
    return lines


def render_chapter(comparison: Comparison, width: int = WIDTH) -> list[str]:
    c = comparison
    lines = [f"== {c.chapter_title()} =="]
    lines.append("")
    lines.append("In short:")
    for sentence in c.takeaway():
        lines.extend(wrap(sentence, width, "  - ", "    "))
    lines.append("")
    start = f"Both began the chapter at {c.names.meters(c.a.start)}." if c.same_start else (
        f"A began the chapter at {c.names.meters(c.a.start)}; B at {c.names.meters(c.b.start)}."
    )
    lines.extend(wrap(start, width))
    if c.segments:
        lines.append("")
        lines.append("Scene by scene (>> marks where the runs first part):")
        lines.extend(scene_lines(c, width))
    lines.append("")
    lines.append("Meters, reply by reply:")
    for meter in c.meters:
        lines.append("")
        lines.extend(chart(c, meter, width=width))
    lines.append("")
    ends = [f"run {side.label} stopped before the chapter's end" for side in (c.a, c.b) if not side.finished]
    lines.append("At the chapter's end" + (f" ({'; '.join(ends)})" if ends else "") + ":")
    label_width = max((len(d.label) for d in c.final_difference()), default=0)
    for d in c.final_difference():
        a = "-" if d.a is None else str(d.a)
        b = "-" if d.b is None else str(d.b)
        lines.append(f"  {d.label.ljust(label_width)}  A {a.rjust(3)}  B {b.rjust(3)}  ({d.words()})")
    lines.append("")
    lines.append("Replies by tone and style:")
    for side in (c.a, c.b):
        lines.extend(wrap(tally_text(side), width, f"  {side.label}: ", "     "))
    return lines


def render(comparisons: Sequence[Comparison], width: int = WIDTH, all_chapters: Sequence[str] = ()) -> list[str]:
    """The comparisons as plain lines: readable without colour and by a screen reader."""
    first = comparisons[0]
    names = first.names
    lines = [f"Comparing two runs of {first.a.run.title}"]
    for side in (first.a, first.b):
        lines.extend(wrap(side.name, width, f"  {side.label}: ", "     "))
    shown = [c.chapter for c in comparisons]
    both = list(all_chapters) or shown
    listed = "; ".join(cap(names.chapter_place(c)) for c in both)
    lines.extend(wrap(f"Chapters both runs played: {listed}.", width))
    if len(both) > 1:
        lines.extend(wrap("Show one with --chapter N (its number in the story) or --chapter TITLE.", width))
    for comparison in comparisons:
        lines.append("")
        lines.extend(render_chapter(comparison, width))
    return [line.rstrip() for line in lines]
