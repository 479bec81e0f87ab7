"""What every one-question dialog shares: a list of answers, Enter picks one, Escape cancels."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList

from ..screens.base import SizeAware


class OptionsDialog(SizeAware, ModalScreen[str]):
    """A modal question answered from an `OptionList`: dismisses with the picked option's id,
    or "" when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss("")
