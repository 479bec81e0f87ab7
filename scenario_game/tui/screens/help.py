"""The keys, in one place."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..theme import RECONNECT
from .base import SizeAware

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Playing",
        (
            ("1 - 9", "take that reply at once"),
            ("↑ ↓  Enter", "move through the replies and take one"),
            ("click", "take the reply under the mouse"),
            ("PgUp PgDn", "scroll the story so far"),
            ("Enter  Space", "continue after the feedback"),
            ("Esc", "back to the chapter list"),
        ),
    ),
    (
        "End of a chapter",
        (
            ("n", "next chapter (or the ending)"),
            ("r", "replay this chapter from its start"),
            ("b  Esc", "back to the chapter list"),
        ),
    ),
    (
        "Anywhere",
        (
            ("?  F1", "this help"),
            ("q  Ctrl+Q", "quit (asks first while a run is in progress)"),
        ),
    ),
)


class HelpScreen(SizeAware, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(Content.styled("Keys", "bold $primary"), id="question")
            width = max(len(key) for _, keys in KEYS for key, _ in keys)
            for heading, keys in KEYS:
                yield Static(Content.styled(heading, "bold"), classes="help-heading")
                grid = Table.grid(padding=(0, 2))
                grid.add_column(width=width, no_wrap=True, style=f"bold {RECONNECT.accent}")
                grid.add_column()
                for key, what in keys:
                    grid.add_row(key, what)
                yield Static(grid, classes="help-keys")
            yield Static(
                Content.styled(
                    "Each reply has a communication style. Constructive styles tend to build trust and "
                    "closeness; destructive ones wear them down. The feedback names the advice behind it "
                    "and the article it comes from.",
                    "italic $foreground-muted",
                ),
                classes="help-note",
            )

    def action_close(self) -> None:
        self.dismiss(None)
