"""Compare two runs of a chapter: pick the runs, then see their steps side by side, where
they diverge, both meter trajectories on one chart, the final difference and each run's
style tally. The comparison itself is `scenario_game.compare` (pure, shared with the CLI)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ... import compare, runs
from ...model import Scenario
from ...progress import Names, replies, run_name
from ..render import SPARK, literal
from ..theme import TONE_COLOUR, TONE_STYLE
from ..widgets.footer import KeyFooter
from .base import BaseScreen

A_COLOUR = "$compare-a"
B_COLOUR = "$compare-b"  # apart from the tone colours
BOTH_COLOUR = "bold $foreground"


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
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("question_mark", "app.help", "Help")]

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
        found = runs.scenario_runs(self.scenario, self.app.saves_folder)
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
            names = Names.of(self.scenario)
            options.append(
                Option(
                    Content.assemble(mark, literal(run_name(saved.run, names), "bold"), "\n  ", literal(replies(saved.run), "$foreground-muted")),
                    id=f"pick-{index}",
                )
            )
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
    """Two runs of one chapter in the story's words: the takeaway first, then the scenes
    both met side by side and, where they parted, each run's own way in its own column.
    `[` and `]` (or a chapter's number) move to another chapter both runs played."""

    DEFAULT_CSS = """
    CompareScreen { align-horizontal: center; }
    CompareScreen #compare { max-width: 130; padding: 0 2; }
    CompareScreen #compare Static { height: auto; }
    CompareScreen .compare-title { margin-top: 1; }
    CompareScreen #compare-chapters { margin-top: 1; }
    CompareScreen .section { margin-top: 1; text-style: bold; color: $primary; }
    CompareScreen #compare-takeaway { height: auto; padding: 0 1; border-left: thick $accent; }
    CompareScreen .point { height: auto; }
    CompareScreen .bullet { width: 2; }
    CompareScreen .sentence { width: 1fr; }
    CompareScreen .scene { margin-top: 1; padding: 0 1; }
    CompareScreen .scene.-same { color: $text-muted; }
    CompareScreen .scene.-diverge { background: $primary 15%; border-left: thick $primary; }
    CompareScreen .scene.-different { border-left: thick $panel; }
    CompareScreen .branch { height: auto; margin-top: 1; }
    CompareScreen .branch-head { padding: 0 1; border-left: thick $panel; }
    CompareScreen .branch.-diverge .branch-head { background: $primary 15%; border-left: thick $primary; }
    CompareScreen .ways { height: auto; }
    CompareScreen .way { width: 1fr; height: auto; padding: 0 1; }
    CompareScreen #compare-start { margin-top: 1; }
    CompareScreen .chart { margin-top: 1; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "chapter(-1)", "Prev chapter"),
        Binding("right_square_bracket", "chapter(1)", "Next chapter"),
        *[Binding(str(n), f"chapter_number({n})", f"Chapter {n}", show=False) for n in range(1, 10)],
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, scenario: Scenario, run_a: runs.Run, run_b: runs.Run, chapter: str | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.run_a, self.run_b = run_a, run_b
        self.names = Names.of(scenario)
        self.comparison = compare.compare_runs(run_a, run_b, chapter, self.names)  # CompareError goes to the caller

    @property
    def common_chapters(self) -> list[str]:
        chapters = compare.common_chapters(self.run_a, self.run_b)
        return sorted(chapters, key=lambda c: self.names.chapter_number(c) or 0)

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="compare")
        yield KeyFooter()

    async def on_mount(self) -> None:
        await self.show_comparison()

    async def action_chapter(self, step: int) -> None:
        chapters = self.common_chapters
        index = chapters.index(self.comparison.chapter) if self.comparison.chapter in chapters else 0
        await self._show_chapter(chapters[(index + step) % len(chapters)])

    async def action_chapter_number(self, number: int) -> None:
        chosen = [c for c in self.common_chapters if self.names.chapter_number(c) == number]
        if chosen:
            await self._show_chapter(chosen[0])

    async def _show_chapter(self, chapter: str) -> None:
        if chapter != self.comparison.chapter:
            self.comparison = compare.compare_runs(self.run_a, self.run_b, chapter, self.names)
            await self.show_comparison()

    def _chapter_bar(self) -> Content:
        parts: list = [("Chapters both runs played:  ", "$foreground-muted")]
        for chapter in self.common_chapters:
            number = self.names.chapter_number(chapter)
            label = f" {number} {self.names.chapter(chapter)} "
            if chapter == self.comparison.chapter:
                parts.append(literal(label, "bold reverse $primary"))
            else:
                parts.append(literal(label, "$foreground-muted"))
            parts.append(("  ", ""))
        if len(self.common_chapters) > 1:
            parts.append(("[ ] or a number to switch", "italic $foreground-muted"))
        return Content.assemble(*parts)

    async def show_comparison(self) -> None:
        c = self.comparison
        body = self.query_one("#compare", VerticalScroll)
        await body.remove_children()
        widgets: list = []
        widgets.append(Static(Content.assemble(("Comparing two runs of ", "bold"), literal(self.scenario.title, "bold $primary")), classes="compare-title"))
        widgets.append(
            Static(
                Content.assemble(("A ", f"bold {A_COLOUR}"), literal(c.a.name), "\n", ("B ", f"bold {B_COLOUR}"), literal(c.b.name)),
                id="compare-runs",
            )
        )
        widgets.append(Static(self._chapter_bar(), id="compare-chapters"))
        widgets.append(Static(literal(c.chapter_title(), "bold $primary"), classes="section", id="compare-chapter"))
        widgets.append(Static(Content("In short"), classes="section"))
        # One row per sentence, the bullet apart, so a long sentence wraps under its own start.
        widgets.append(
            Vertical(
                *[Horizontal(Static(Content.styled("•", "$accent"), classes="bullet"), Static(literal(sentence), classes="sentence"), classes="point") for sentence in c.takeaway()],
                id="compare-takeaway",
            )
        )
        if c.same_start:
            start = Content.assemble(("Both began the chapter at ", "$foreground-muted"), literal(self.names.meters(c.a.start)))
        else:
            start = Content.assemble(
                ("A began the chapter at ", "$foreground-muted"), literal(self.names.meters(c.a.start)),
                ("; B at ", "$foreground-muted"), literal(self.names.meters(c.b.start)),
            )
        widgets.append(Static(start, id="compare-start"))
        if c.segments:
            widgets.append(Static(Content("Scene by scene"), classes="section"))
            first = c.divergence
            for number, segment in enumerate(c.segments):
                widgets.append(self._segment(segment, number == first))
        widgets.append(Static(Content("Meters, reply by reply (0-100)"), classes="section"))
        for meter in c.meters:
            widgets.append(Static(self._chart(meter), classes="chart"))
        widgets.append(Static(Content("At the chapter's end"), classes="section"))
        widgets.append(Static(self._final(), id="compare-final"))
        widgets.append(Static(Content("Replies by tone and style"), classes="section"))
        widgets.append(Static(self._tallies(), id="compare-tally"))
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        body.focus()

    def _reply(self, label: str, colour: str, step, written: bool = True, numbered: bool = True) -> Content:
        who = (f"{label} ", f"bold {colour}") if label else ("", "")
        return Content.assemble(
            who,
            (f"{step.shown}. " if numbered else "", "bold"),
            literal(step.text),
            *((("\n   ", literal(compare.written_text(step.written), "italic $accent"))) if written and step.written is not None else ()),
            "\n   ",
            (f" {step.style_label} ", TONE_STYLE.get(step.tone, TONE_STYLE["neutral"])),
            (f" {step.tone}", f"italic {TONE_COLOUR.get(step.tone, TONE_COLOUR['neutral'])}"),
            "\n    ",
            literal(self.names.changes(step.before, step.after), "$foreground-muted"),
        )

    def _scene(self, node: str) -> Content:
        return Content.assemble(("Scene  ", "italic $foreground-muted"), literal(self.names.scene(node, 110), "italic"))

    def _segment(self, segment, diverges: bool):
        if isinstance(segment, compare.Shared):
            if segment.same:
                body = [self._scene(segment.node), self._reply("A and B", BOTH_COLOUR, segment.a, written=False, numbered=segment.a.shown == segment.b.shown)]
                body += [
                    Content.assemble("   ", (f"{label}, ", f"bold {colour}"), literal(compare.written_text(step.written), "italic $accent"))
                    for label, colour, step in (("A", A_COLOUR, segment.a), ("B", B_COLOUR, segment.b))
                    if step.written is not None
                ]
                kind = "-same"
            else:
                head = Content.styled("the runs part here" if diverges else "the runs answer differently", "bold $primary" if diverges else "$foreground-muted")
                body = [self._scene(segment.node), head, self._reply("A", A_COLOUR, segment.a), self._reply("B", B_COLOUR, segment.b)]
                kind = "-diverge" if diverges else "-different"
            return Static(Content("\n").join(body), classes=f"scene {kind}")
        where = ""
        if segment.rejoin:
            where = f" until they meet again at \u201c{self.names.scene(segment.rejoin, 50)}\u201d"
        head = Static(
            literal(f"The runs go separate ways{where}", "bold $primary" if diverges else "bold"), classes="branch-head"
        )
        columns = []
        for label, colour, steps, side in (("A", A_COLOUR, segment.a, self.comparison.a), ("B", B_COLOUR, segment.b, self.comparison.b)):
            parts = [Content.styled(f"{label}'s way", f"bold {colour}")]
            if not steps:
                why = compare.why_no_scenes(segment, side)
                parts.append(Content.styled(f"no scenes of its own ({why})", "italic $foreground-muted"))
            for step in steps:
                parts.append(Content(""))
                parts.append(self._scene(step.node))
                parts.append(self._reply("", colour, step))
            columns.append(Static(Content("\n").join(parts), classes=f"way way-{label.lower()}"))
        return Vertical(head, Horizontal(*columns, classes="ways"), classes=f"branch{' -diverge' if diverges else ''}")

    def _chart(self, meter: str) -> Content:
        """The CLI's plain chart (A, B, * where both), with the marks coloured, and a sparkline of each run."""
        lines = compare.chart(self.comparison, meter)
        out: list[Content] = [literal(lines[0], "bold")]
        for line in lines[1:-2]:
            if "|" in line:
                axis, plot = line.split("|", 1)
                parts: list = [literal(axis + "|", "$foreground-muted")]
                for ch in plot:
                    style = {"A": f"bold {A_COLOUR}", "B": f"bold {B_COLOUR}", "*": BOTH_COLOUR}.get(ch, "")
                    parts.append(literal(ch, style))
                out.append(Content.assemble(*parts))
            else:
                out.append(literal(line, "$foreground-muted"))
        for line, colour in zip(lines[-2:], (A_COLOUR, B_COLOUR)):
            out.append(literal(line, colour))
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
            lines.append(
                Content.assemble(
                    literal(d.label.ljust(width), "bold"),
                    ("  A ", f"bold {A_COLOUR}"),
                    str(d.a if d.a is not None else "-").rjust(3),
                    ("  B ", f"bold {B_COLOUR}"),
                    str(d.b if d.b is not None else "-").rjust(3),
                    "   ",
                    (d.words(), "bold" if d.delta else "$foreground-muted"),
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
                parts.append(literal(styles, "$foreground-muted"))
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)
