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
    """Mixin for every screen: mounts a SizeNotice and keeps it in step with the terminal."""

    def on_mount(self) -> None:
        notice = SizeNotice(id="size-notice")
        self.mount(notice)
        notice.refresh_notice(self.app.size.width, self.app.size.height)

    def on_resize(self, event) -> None:
        for notice in self.query(SizeNotice):
            notice.refresh_notice(self.app.size.width, self.app.size.height)


class BaseScreen(SizeAware, Screen):
    """A full screen of the game (use `SizeAware, Screen[T]` for one that returns a value)."""
