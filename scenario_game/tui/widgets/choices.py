"""The replies on offer, numbered from 1: digits, arrows and Enter, or a click pick one."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # the play screen can be drawn before the model is imported (firstscene.py)
    from ...model import Choice
from ..render import literal
from .transcript import scroll_story, story_bindings

NUMBER_CELLS = 3  # "1  "
SPARE_CELLS = 3  # the option's padding and a scrollbar


def reply_prompt(number: int, text: str, width: int | None) -> Content:
    """`1  text`, with wrapped lines indented under the text rather than under the number.
    The text stays literal: it is only split into lines, never parsed."""
    lines = textwrap.wrap(text, width, break_long_words=True, replace_whitespace=False) if width and width > 8 else [text]
    body = Content("\n" + " " * NUMBER_CELLS).join([literal(line) for line in lines or [""]])
    return Content.assemble((f"{number}".ljust(NUMBER_CELLS), "bold $accent"), body)


class ChoiceList(OptionList):
    """An OptionList of `Choice`s that says which one was taken with `ChoiceList.Chosen`.
    PgUp/PgDn/Home/End scroll the story, not the highlight (arrows move it)."""

    BINDINGS = [
        *story_bindings(),
        # The screen takes the highlighted reply at once (a message would let a second
        # key typed with this one overtake it).
        Binding("enter", "screen.enter", "Take the reply", show=False),
    ]

    def action_scroll_story(self, key: str) -> None:
        scroll_story(self.screen, key)

    HELP_TITLE = "The replies"  # its keys' heading in the help

    class Chosen(Message):
        """The player took `choice`, shown to them as `number` (from 1)."""

        def __init__(self, choice: Choice, number: int) -> None:
            super().__init__()
            self.choice = choice
            self.number = number

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices: list[Choice] = []
        self._wrapped_at: int | None = None

    def _text_width(self) -> int | None:
        width = self.scrollable_content_region.width
        return width - NUMBER_CELLS - SPARE_CELLS if width else None

    def set_choices(self, choices: list[Choice]) -> None:
        self.choices = list(choices)
        self._show(highlight=0)

    def replace_choices(self, choices: list[Choice]) -> None:
        """The same replies, now as the model's choices (for a screen drawn from a scene
        card): kept as shown when their texts are the ones on screen, else shown anew."""
        if [c.text for c in choices] == [c.text for c in self.choices]:
            self.choices = list(choices)
        else:
            self.set_choices(choices)

    def _show(self, highlight: int | None) -> None:
        self._wrapped_at = self._text_width()
        self.set_options(
            Option(reply_prompt(number, choice.text, self._wrapped_at), id=f"choice-{number}") for number, choice in enumerate(self.choices, 1)
        )
        if self.choices and highlight is not None:
            self.highlighted = min(highlight, len(self.choices) - 1)

    def on_resize(self) -> None:
        if self.choices and self._text_width() != self._wrapped_at:
            self._show(self.highlighted)

    def pick(self, number: int) -> bool:
        """Take the reply numbered `number` at once; False if there is none."""
        if not 1 <= number <= len(self.choices):
            return False
        self.post_message(self.Chosen(self.choices[number - 1], number))
        return True

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(event.option_index + 1)
