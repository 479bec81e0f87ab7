"""The key bar at the foot of every screen: one line, drawn as one piece of text.

Textual's Footer is a container with a widget for every key, each styled and laid out on
its own and all of them built again whenever the keys on show change; on the library's
first screen that was a tenth of the whole start-up. This bar looks and behaves the same
(the key in bold on its own colour, then what it does; the command palette's key on the
right; a click presses the key; a disabled key is dimmed and only rings the bell), and is
one widget that redraws its line only when the keys on show change.

Narrow terminals: below 90 columns there is no palette hint (the help lists Ctrl+P), below
80 one space between keys, and when even that does not fit, keys before the last two
(Help and Quit, which every screen ends with) give way, and `…` says some are not shown
(`?` lists them all).
"""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.widget import Widget

COMPACT_BELOW = 80
PALETTE_FROM = 90
KEY = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION = "$footer-description-foreground on $footer-description-background"
HOVER = "on $block-hover-background"
MORE = "…"


class Key(NamedTuple):
    key: str  # what a click presses
    display: str  # how the key is shown ("esc", "^p", "1-9")
    description: str
    enabled: bool
    tooltip: str


class KeyFooter(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """
    ALLOW_SELECT = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys: tuple[Key, ...] = ()
        self.palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []  # (start, end, key) of each key drawn
        self._hover: Key | None = None
        self._drawn = False

    def on_mount(self) -> None:
        # The keys are read when the bar is first drawn (see `render`), then when they change.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if not self.is_attached or screen is not self.screen or not self._drawn:
            return
        if self._read_keys(screen):
            self.refresh()

    def _read_keys(self, screen) -> bool:
        """Take the keys on show from `screen`'s active bindings; True if they changed."""
        app = self.app
        active = screen.active_bindings
        keys = tuple(
            Key(binding.key, app.get_key_display(binding), binding.description, enabled, tooltip or "")
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show and binding.key != app.COMMAND_PALETTE_BINDING
        )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = Key(binding.key, app.get_key_display(binding), binding.description, enabled, binding.tooltip or binding.description)
        if (keys, palette) == (self.keys, self.palette):
            return False
        self.keys, self.palette = keys, palette
        return True

    # --- drawing --------------------------------------------------------------------

    def _piece(self, key: Key, compact: bool) -> list[tuple[str, str]]:
        dim = "" if key.enabled else " dim"
        hover = f" {HOVER}" if key == self._hover else ""
        shown = key.display if compact else f" {key.display} "
        parts = [(shown, KEY + dim + hover)]
        if key.description:
            parts.append((f" {key.description}" if compact else f"{key.description} ", DESCRIPTION + dim + hover))
        return parts

    def _fitting(self, width: int, compact: bool, room: int) -> tuple[list[Key], bool]:
        """The keys that fit in `room` columns, and whether any had to give way."""
        gap = 1 if compact else 0

        def length(keys: list[Key]) -> int:
            return sum(sum(len(text) for text, _ in self._piece(k, compact)) + gap for k in keys)

        keys = list(self.keys)
        if length(keys) <= room:
            return keys, False
        kept_end = keys[-2:]
        head = keys[:-2]
        while head and length([*head, *kept_end]) + len(MORE) + 1 > room:
            head.pop()
        return [*head, *kept_end], True

    def render(self) -> Content:
        if not self._drawn:
            # Read here, not when mounted: then the screen was not yet shown nor its focus
            # set, and its own keys would have come only in the frame after the first.
            self._drawn = True
            self._read_keys(self.screen)
        width = self.size.width
        compact = width < COMPACT_BELOW
        palette = self.palette if width >= PALETTE_FROM else None
        palette_parts = [("▏", "$foreground 20%"), *self._piece(palette, True), (" ", "")] if palette is not None else []
        room = width - sum(len(text) for text, _ in palette_parts)
        keys, cut = self._fitting(width, compact, room)
        parts: list[tuple[str, str]] = []
        self._spans = []
        column = 0
        for index, key in enumerate(keys):
            if cut and index == len(keys) - 2:
                parts.append((MORE + " ", DESCRIPTION))
                column += len(MORE) + 1
            start = column
            for text, style in self._piece(key, compact):
                parts.append((text, style))
                column += len(text)
            self._spans.append((start, column, key))
            if compact:
                parts.append((" ", ""))
                column += 1
        if palette_parts:
            parts.append((" " * max(0, room - column), ""))
            column = max(column, room)
            start = column + 1
            parts += palette_parts
            self._spans.append((start, width - 1, palette))
        return Content.assemble(*parts)

    # --- the mouse ------------------------------------------------------------------

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
