"""What every Reconnect screen shares: a notice, over everything, when the terminal is
smaller than the game can be laid out in."""

from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20


class SizeNotice(Static):
    """Covers the screen while the terminal is below the minimum size."""

    DEFAULT_CSS = """
    SizeNotice {
        display: none;
        overlay: screen;
        position: absolute;
        offset: 0 0;
        width: 100%;
        height: 100%;
        content-align: center middle;
        text-align: center;
        background: $background;
        color: $foreground;
        padding: 0 1;
    }
    SizeNotice.-shown { display: block; }
    """

    def refresh_notice(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-shown")
        self.screen.set_class(small, "-too-small")
        if small:
            self.update(
                Content.assemble(
                    ("The window is too small", "bold $primary"),
                    f"\n\nReconnect needs at least {MIN_WIDTH} x {MIN_HEIGHT};\nthis one is {width} x {height}.\n\nPlease make it larger.",
                )
            )


class SizeAware:
    """Mixin for every screen: keeps a SizeNotice in step with the terminal. The notice is
    mounted the first time the terminal is too small, not before (a hidden widget on every
    screen still cost its share of styling and layout at start-up)."""

    def on_mount(self) -> None:
        self._refresh_size_notice()

    def on_resize(self, event) -> None:
        self._refresh_size_notice()

    def _refresh_size_notice(self) -> None:
        width, height = self.app.size
        notices = self.query(SizeNotice)
        if notices:
            for notice in notices:
                notice.refresh_notice(width, height)
        elif width < MIN_WIDTH or height < MIN_HEIGHT:
            notice = SizeNotice(id="size-notice")
            self.mount(notice)
            notice.refresh_notice(width, height)
        else:
            self.set_class(False, "-too-small")


class BaseScreen(SizeAware, Screen):
    """A full screen of the game (use `SizeAware, Screen[T]` for one that returns a value)."""
