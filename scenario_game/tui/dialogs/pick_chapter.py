"""Pick one of a list of chapters."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import Scenario
from ..render import literal
from .options import OptionsDialog


class PickChapterScreen(OptionsDialog):
    """Pick one of `chapters` (ids); dismisses with the id, or "" when cancelled."""

    DEFAULT_CSS = """
    PickChapterScreen { align: center middle; }
    PickChapterScreen > Vertical { width: 70; height: auto; padding: 1 2; border: round $primary 60%; background: $surface; }
    PickChapterScreen OptionList { height: auto; max-height: 12; border: none; background: $surface; }
    """

    def __init__(self, scenario: Scenario, chapters: list[str], question: str = "Replay which chapter?") -> None:
        super().__init__()
        self.scenario, self.chapters, self.question = scenario, chapters, question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question, "bold"))
            yield OptionList(
                *[
                    Option(
                        Content.assemble((f"{self.scenario.chapter_index(c) + 1}. ", "$foreground-muted"), literal(self.scenario.chapter(c).title)),
                        id=c,
                    )
                    for c in self.chapters
                ]
            )
