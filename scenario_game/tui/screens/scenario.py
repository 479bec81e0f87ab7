"""One scenario's page: what it is about and its chapters; play from the start or from a chapter."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import Scenario
from ..render import literal
from ..widgets.footer import KeyFooter
from .base import BaseScreen

FROM_START = "from-start"
CONTINUE = "continue-run"  # put first in the list when the scenario has an unfinished run


class ScenarioScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "back", "Library"),
        Binding("s", "runs", "Saved runs"),
        Binding("c", "compare", "Compare runs"),
        Binding("m", "map", "Chapter map"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, scenario: Scenario, name: str | None = None) -> None:
        super().__init__(name=name)
        self.scenario = scenario
        self.offered_run = None  # the unfinished run offered first, if any
        self.plain_options: list[Option] | None = None

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        with VerticalScroll(id="about"):
            yield Static(literal(scenario.title, "bold $primary"), classes="title")
            if scenario.summary:
                yield Static(literal(scenario.summary), id="scenario-summary")
            details = []
            if scenario.partner:
                details.append(Content.assemble(("With ", "$foreground-muted"), literal(scenario.partner, "bold")))
            details.append(Content.assemble(("Meters ", "$foreground-muted"), literal(", ".join(m.label for m in scenario.meters))))
            yield Static(Content("   ").join(details), id="scenario-details")
        options = [Option(Content.assemble(("▶ ", "bold $accent"), ("Play from the beginning", "bold")), id=FROM_START), None]
        for number, chapter in enumerate(scenario.chapters, 1):
            prompt = Content.assemble((f"Chapter {number}  ", "$foreground-muted"), literal(chapter.title))
            if chapter.summary:
                prompt = prompt.append(Content.assemble("\n", literal(chapter.summary, "italic $foreground-muted")))
            options.append(Option(prompt, id=f"chapter-{number}"))
        yield OptionList(*options, id="chapters")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#chapters", OptionList).focus()
        self.offer_continue()

    def on_screen_resume(self) -> None:
        self.offer_continue()  # a run may have been saved or finished since

    @work(thread=True, exclusive=True, group="offer-continue")
    def offer_continue(self) -> None:
        """If this scenario has an unfinished run, put "Continue" first in the list (the saves
        are read in this worker thread)."""
        from ... import runs
        from ...progress import Names, outcome, replies

        try:
            saved = runs.latest_unfinished(self.app.saves_folder, self.scenario.path, self.scenario.id)
        except runs.SaveError:  # a saves folder that cannot be listed offers nothing to continue
            saved = None
        progress = f"{outcome(saved.run, Names.of(self.scenario))} · {replies(saved.run)}" if saved is not None else ""
        self.app.call_from_thread(self._offer, saved, progress)

    def _offer(self, saved, progress: str) -> None:
        if not self.is_mounted:
            return
        chapters = self.query_one("#chapters", OptionList)
        if self.plain_options is None:
            self.plain_options = [option for option in chapters.options if option.id != CONTINUE]
        base = self.plain_options
        had_offer = self.offered_run is not None
        self.offered_run = saved
        if saved is None:
            if had_offer:
                chapters.set_options([*base[:1], None, *base[1:]])
                chapters.highlighted = 0
            return
        when = saved.run.updated.astimezone().strftime("%Y-%m-%d %H:%M")
        prompt = Content.assemble(
            ("▶ ", "bold $accent"),
            ("Continue your unfinished run", "bold"),
            "\n  ",
            literal(f"{progress} · saved {when}", "$foreground-muted"),
        )
        chapters.set_options([Option(prompt, id=CONTINUE), *base[:1], None, *base[1:]])
        chapters.highlighted = 0

    @on(OptionList.OptionSelected, "#chapters")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        chapter = None
        if option_id == CONTINUE:
            if self.offered_run is not None:
                from ..starting import continue_run

                continue_run(self.app, self.scenario, self.offered_run)
            return
        if option_id != FROM_START:
            from ..starting import start_chapter

            chapter = self.scenario.chapters[int(option_id.removeprefix("chapter-")) - 1].id
            start_chapter(self, self.scenario, chapter)
            return
        self.app.push_screen(self.app.new_play_screen(self.scenario, chapter=chapter))

    def action_runs(self) -> None:
        self.app.show_runs(self.scenario)

    def action_compare(self) -> None:
        self.app.show_compare(self.scenario)

    def action_map(self) -> None:
        chapters = self.query_one("#chapters", OptionList)
        option = chapters.highlighted_option
        chapter = None
        if option is not None and option.id and option.id.startswith("chapter-"):
            chapter = self.scenario.chapters[int(option.id.removeprefix("chapter-")) - 1].id
        self.app.show_chapter_map(self.scenario, chapter)

    def action_back(self) -> None:
        if self.app.screens_below():
            self.app.pop_screen()
        else:
            self.app.show_library(replace=True)
