"""Say it your own way: a small dialog with one line to write a reply in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...limits import MAX_REPLY
from ..screens.base import SizeAware


class WriteReplyScreen(SizeAware, ModalScreen[str | None]):
    """Asks for the player's own reply. Dismisses with the words, or None when the entry is
    empty or the player presses Escape (back to the replies on offer)."""

    DEFAULT_CSS = """
    WriteReplyScreen { align: center middle; }
    WriteReplyScreen > Vertical {
        width: 84; max-width: 95%; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    WriteReplyScreen #write-question { margin-bottom: 1; }
    WriteReplyScreen #write-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back to the replies")]

    def __init__(self, partner: str | None, keep_words: bool, text: str = "") -> None:
        super().__init__()
        self.partner = partner
        self.keep_words = keep_words
        self.text = text

    def compose(self) -> ComposeResult:
        to = f" to {self.partner}" if self.partner else ""
        kept = (
            "Your words are kept in this run's save (k in play turns that off)."
            if self.keep_words
            else "Your words are not kept in the save (k in play turns keeping on)."
        )
        with Vertical():
            yield Static(Content.assemble(("Say it your own way", "bold $accent"), (f": what would you say{to}?", "bold")), id="write-question")
            yield Input(self.text, placeholder="Write your reply, then press Enter", max_length=MAX_REPLY, id="write-input")
            yield Static(
                Content(f"Enter: the coach reads it, then the story goes on with the reply closest to yours.  Esc: back to the replies.\n{kept}"),
                id="write-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
