"""The replies on offer, numbered from 1: digits, arrows and Enter, or a click pick one."""

from __future__ import annotations

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...model import Choice
from ..render import literal


class ChoiceList(OptionList):
    """An OptionList of `Choice`s that says which one was taken with `ChoiceList.Chosen`."""

    class Chosen(Message):
        """The player took `choice`, shown to them as `number` (from 1)."""

        def __init__(self, choice: Choice, number: int) -> None:
            super().__init__()
            self.choice = choice
            self.number = number

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices: list[Choice] = []

    def set_choices(self, choices: list[Choice]) -> None:
        self.choices = list(choices)
        self.set_options(
            Option(Content.assemble((f"{number}", "bold $accent"), "  ", literal(choice.text)), id=f"choice-{number}")
            for number, choice in enumerate(self.choices, 1)
        )
        if self.choices:
            self.highlighted = 0

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
