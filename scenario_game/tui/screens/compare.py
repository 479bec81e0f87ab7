"""Compare two runs of a chapter: pick the runs, then see their steps side by side, where
they diverge, both meter trajectories on one chart, the final difference and each run's
style tally. The comparison itself is `scenario_game.compare` (pure, shared with the CLI)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ... import compare, runs
from ...model import Scenario
from ..render import SPARK, literal
from ..theme import TONE_COLOUR, TONE_STYLE
from ..widgets.footer import KeyFooter
from .base import BaseScreen
from .runs import describe, scenario_runs

A_COLOUR = "#E8B460"  # honey
B_COLOUR = "#7FB3D5"  # a calm blue, apart from the tone colours
BOTH_COLOUR = "bold #F1E6D8"


def shared_sparkline(values, low: int, high: int) -> str:
    """Block heights on one scale shared by both runs, so the two lines can be read together."""
    span = max(1, high - low)
    cells = []
    for value in values:
        if value is None:
            cells.append("  ")
            continue
        cells.append(SPARK[round((value - low) * (len(SPARK) - 1) / span)] * 2)
    return " ".join(cells)


class ComparePickScreen(BaseScreen):
    """Pick two saved runs of a scenario (Enter marks A, then B) to compare."""

    DEFAULT_CSS = """
    ComparePickScreen { align-horizontal: center; }
    ComparePickScreen #pick-title { height: auto; padding: 1 2 0 2; max-width: 120; }
    ComparePickScreen #pick-status { height: auto; padding: 0 2 1 2; color: $text-muted; max-width: 120; }
    ComparePickScreen #pick-runs { height: 1fr; margin: 0 2 1 2; border: round $panel; max-width: 120; }
    ComparePickScreen #pick-runs:focus { border: round $primary 60%; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.saved: list[runs.SavedRun] = []
        self.picked: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Compare two runs of ", "bold"), literal(self.scenario.title, "bold $primary")), id="pick-title")
        yield Static(Content("Reading saves …"), id="pick-status")
        yield OptionList(id="pick-runs")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="compare-pick")
    def load(self) -> None:
        found = scenario_runs(self.scenario, self.app.saves_folder)
        self.app.call_from_thread(self.show_runs, found)

    def show_runs(self, found: list[runs.SavedRun]) -> None:
        self.saved = found
        self.picked = []
        self._refresh_options()
        self.query_one("#pick-runs", OptionList).focus()

    def _refresh_options(self) -> None:
        status = self.query_one("#pick-status", Static)
        listing = self.query_one("#pick-runs", OptionList)
        if len(self.saved) < 2:
            status.update(literal(f"Comparing needs two saved runs of this scenario; {len(self.saved)} found in {self.app.saves_folder}."))
        else:
            which = "A" if not self.picked else "B"
            status.update(Content.assemble("Enter picks run ", (which, f"bold {A_COLOUR if which == 'A' else B_COLOUR}"), "."))
        highlighted = listing.highlighted
        options = []
        for index, saved in enumerate(self.saved):
            if index in self.picked:
                label = "A" if self.picked.index(index) == 0 else "B"
                mark = (f"{label} ", f"bold {A_COLOUR if label == 'A' else B_COLOUR}")
            else:
                mark = ("  ", "")
            options.append(Option(Content.assemble(mark, literal(saved.name, "bold"), "\n  ", literal(describe(saved), "$foreground-muted")), id=f"pick-{index}"))
        listing.set_options(options)
        if options:
            listing.highlighted = highlighted if highlighted is not None else 0

    @on(OptionList.OptionSelected, "#pick-runs")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id.removeprefix("pick-"))
        if index in self.picked:
            self.picked.remove(index)
        else:
            self.picked.append(index)
        if len(self.picked) == 2:
            a, b = (self.saved[i].run for i in self.picked)
            self.picked = []
            self._refresh_options()
            try:
                screen = CompareScreen(self.scenario, a, b)
            except compare.CompareError as error:
                self.app.notify(str(error), title="Cannot compare", severity="error", timeout=10)
                return
            self.app.push_screen(screen)
            return
        self._refresh_options()


class CompareScreen(BaseScreen):
    """Two runs of one chapter side by side; `[` and `]` move to another chapter both played."""

    DEFAULT_CSS = """
    CompareScreen { align-horizontal: center; }
    CompareScreen #compare { max-width: 130; padding: 0 2; }
    CompareScreen #compare > Static { height: auto; }
    CompareScreen .compare-title { margin-top: 1; }
    CompareScreen .section { margin-top: 1; text-style: bold; color: $primary; }
    CompareScreen .step { margin-top: 1; padding: 0 1; }
    CompareScreen .step.-same { color: $text-muted; }
    CompareScreen .step.-diverge { background: $primary 20%; border-left: thick $primary; }
    CompareScreen .step.-different { border-left: thick $panel; }
    CompareScreen .chart { margin-top: 1; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "chapter(-1)", "Prev chapter"),
        Binding("right_square_bracket", "chapter(1)", "Next chapter"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, scenario: Scenario, run_a: runs.Run, run_b: runs.Run, chapter: str | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.run_a, self.run_b = run_a, run_b
        labels = {m.name: m.label for m in scenario.meters}
        self.comparison = compare.compare_runs(run_a, run_b, chapter, labels)  # CompareError goes to the caller
        self.labels = labels

    @property
    def common_chapters(self) -> list[str]:
        b = self.run_b.chapters_played()
        return [c for c in self.run_a.chapters_played() if c in b]

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="compare")
        yield KeyFooter()

    async def on_mount(self) -> None:
        await self.show_comparison()

    async def action_chapter(self, step: int) -> None:
        chapters = self.common_chapters
        index = chapters.index(self.comparison.chapter) if self.comparison.chapter in chapters else 0
        chosen = chapters[(index + step) % len(chapters)]
        if chosen != self.comparison.chapter:
            self.comparison = compare.compare_runs(self.run_a, self.run_b, chosen, self.labels)
            await self.show_comparison()

    def _chapter_title(self, chapter: str) -> Content:
        try:
            found = self.scenario.chapter(chapter)
        except KeyError:
            return literal(chapter, "bold $primary")
        number = self.scenario.chapter_index(chapter) + 1
        return Content.assemble((f"Chapter {number}: ", "bold"), literal(found.title, "bold $primary"))

    async def show_comparison(self) -> None:
        c = self.comparison
        body = self.query_one("#compare", VerticalScroll)
        await body.remove_children()
        widgets: list[Static] = []
        chapters = self.common_chapters
        place = f"  ({chapters.index(c.chapter) + 1} of {len(chapters)} chapters both played; [ ] to switch)" if len(chapters) > 1 else ""
        widgets.append(Static(Content.assemble(self._chapter_title(c.chapter), (place, "$foreground-muted")), classes="compare-title"))
        widgets.append(
            Static(
                Content.assemble(
                    ("A ", f"bold {A_COLOUR}"), literal(c.a.name), "\n", ("B ", f"bold {B_COLOUR}"), literal(c.b.name)
                ),
                id="compare-runs",
            )
        )
        if not c.rows:
            summary = Content.styled("Neither run has taken a step in this chapter yet.", "italic")
        elif c.divergence is None:
            summary = Content.styled("The runs took the same choices all through this chapter.", "italic")
        else:
            summary = Content.assemble(("The runs diverge at step ", "italic"), (str(c.divergence), "bold $primary"), (".", "italic"))
        if not c.same_start:
            summary = summary.append(
                Content.styled(f"  They began the chapter differently: A {compare.meters_text(c.a.start)}, B {compare.meters_text(c.b.start)}.", "$foreground-muted")
            )
        widgets.append(Static(summary, id="compare-summary"))
        widgets.append(Static(Content("Step by step"), classes="section"))
        for row in c.rows:
            widgets.append(self._row(row, row.number == c.divergence))
        widgets.append(Static(Content("Meters"), classes="section"))
        for meter in c.meters:
            widgets.append(Static(self._chart(meter), classes="chart"))
        widgets.append(Static(Content("Final difference"), classes="section"))
        widgets.append(Static(self._final(), id="compare-final"))
        widgets.append(Static(Content("Style tally"), classes="section"))
        widgets.append(Static(self._tallies(), id="compare-tally"))
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        body.focus()

    def _step(self, label: str, colour: str, step, side: compare.Side) -> Content:
        if step is None:
            why = "the chapter had ended" if side.finished else "the run stopped here"
            return Content.assemble((f"{label} ", f"bold {colour}"), (f"(no step: {why})", "italic $foreground-muted"))
        return Content.assemble(
            (f"{label} ", f"bold {colour}"),
            (f"{step.shown}. ", "bold"),
            literal(step.text),
            "\n  ",
            (f" {step.style_label} ", TONE_STYLE.get(step.tone, TONE_STYLE["neutral"])),
            (f" {step.tone}", f"italic {TONE_COLOUR.get(step.tone, TONE_COLOUR['neutral'])}"),
            ("   after: ", "$foreground-muted"),
            literal(compare.meters_text(step.after)),
            ("   at ", "$foreground-muted"),
            literal(step.node, "$foreground-muted"),
        )

    def _row(self, row: compare.Row, diverges: bool) -> Static:
        c = self.comparison
        if row.same:
            head = Content.assemble((f"Step {row.number}", "bold"), ("  same choice", "$foreground-muted"))
            kind = "-same"
        elif diverges:
            head = Content.assemble((f">> Step {row.number}", "bold $primary"), ("  the runs diverge here", "bold $primary"))
            kind = "-diverge"
        else:
            head = Content.assemble((f"Step {row.number}", "bold"), ("  different choices", "$foreground-muted"))
            kind = "-different"
        a = self._step("A", A_COLOUR, row.a, c.a)
        if row.same:
            b = Content.assemble(("B ", f"bold {B_COLOUR}"), ("same choice; after: ", "$foreground-muted"), literal(compare.meters_text(row.b.after)))
        else:
            b = self._step("B", B_COLOUR, row.b, c.b)
        return Static(Content("\n").join([head, a, b]), classes=f"step {kind}")

    def _chart(self, meter: str) -> Content:
        """The CLI's plain chart (A, B, * where both), with the marks coloured, and a sparkline of each run."""
        lines = compare.chart(self.comparison, meter)
        out: list[Content] = [Content.styled(lines[0], "bold")]
        for line in lines[1:-2]:
            if "|" in line:
                axis, plot = line.split("|", 1)
                parts: list = [(axis + "|", "$foreground-muted")]
                for ch in plot:
                    style = {"A": f"bold {A_COLOUR}", "B": f"bold {B_COLOUR}", "*": BOTH_COLOUR}.get(ch, "")
                    parts.append((ch, style))
                out.append(Content.assemble(*parts))
            else:
                out.append(Content.styled(line, "$foreground-muted"))
        for line, colour in zip(lines[-2:], (A_COLOUR, B_COLOUR)):
            out.append(Content.styled(line, colour))
        series = [(label, side, colour) for label, side, colour in (("A", self.comparison.a, A_COLOUR), ("B", self.comparison.b, B_COLOUR))]
        values = [v for _, side, _ in series for v in side.trajectory(meter) if v is not None]
        if values:
            low, high = min(values), max(values)
            for label, side, colour in series:
                out.append(Content.assemble((f"  {label} ", f"bold {colour}"), (shared_sparkline(side.trajectory(meter), low, high), colour)))
        return Content("\n").join(out)

    def _final(self) -> Content:
        c = self.comparison
        lines = []
        ends = [f"run {s.label} stopped before the chapter's end" for s in (c.a, c.b) if not s.finished]
        if ends:
            lines.append(Content.styled("; ".join(ends), "italic $foreground-muted"))
        width = max((len(d.label) for d in c.final_difference()), default=0)
        for d in c.final_difference():
            delta = "?" if d.delta is None else f"{d.delta:+d}"
            colour = "" if not d.delta else ("#8FB996" if d.delta > 0 else "#D9776B")
            lines.append(
                Content.assemble(
                    literal(d.label.ljust(width), "bold"),
                    ("  A ", f"bold {A_COLOUR}"),
                    str(d.a if d.a is not None else "-"),
                    ("  B ", f"bold {B_COLOUR}"),
                    str(d.b if d.b is not None else "-"),
                    ("  B - A ", "$foreground-muted"),
                    (delta, f"bold {colour}".strip()),
                )
            )
        return Content("\n").join(lines)

    def _tallies(self) -> Content:
        lines = []
        for side, colour in ((self.comparison.a, A_COLOUR), (self.comparison.b, B_COLOUR)):
            parts: list = [(f"{side.label}  ", f"bold {colour}")]
            for tone, count in side.tally().items():
                parts.append((f"{count} {tone}", TONE_COLOUR.get(tone, "")))
                parts.append(("   ", ""))
            styles = ", ".join(f"{label} {count}" for label, count in side.styles())
            if styles:
                parts.append(literal(f"[{styles}]", "$foreground-muted"))
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

