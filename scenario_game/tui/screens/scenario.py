"""One scenario's page: what it is about and its chapters; play from the start or from a chapter."""

from __future__ import annotations

from textual import on
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
CONTINUE = "continue-run"  # added by screens.runs.offer_continue when a run is unfinished


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
        from .runs import offer_continue

        offer_continue(self)

    def on_screen_resume(self) -> None:
        from .runs import offer_continue

        offer_continue(self)  # a run may have been saved or finished since

    @on(OptionList.OptionSelected, "#chapters")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        chapter = None
        if option_id == CONTINUE:
            from .runs import continue_offered

            continue_offered(self)
            return
        if option_id != FROM_START:
            from .runs import pick_chapter_start

            chapter = self.scenario.chapters[int(option_id.removeprefix("chapter-")) - 1].id
            pick_chapter_start(self, self.scenario, chapter)
            return
        self.app.push_screen(self.app.new_play_screen(self.scenario, chapter=chapter))

    def action_runs(self) -> None:
        from .runs import RunsScreen

        self.app.push_screen(RunsScreen(self.scenario))

    def action_compare(self) -> None:
        from .compare import ComparePickScreen

        self.app.push_screen(ComparePickScreen(self.scenario))

    def action_map(self) -> None:
        from .chapter_map import ChapterMapScreen

        chapters = self.query_one("#chapters", OptionList)
        option = chapters.highlighted_option
        chapter = None
        if option is not None and option.id and option.id.startswith("chapter-"):
            chapter = self.scenario.chapters[int(option.id.removeprefix("chapter-")) - 1].id
        self.app.push_screen(ChapterMapScreen(self.scenario, chapter))

    def action_back(self) -> None:
        from .library import LibraryScreen

        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.switch_screen(LibraryScreen(self.app.scenarios_folder))
