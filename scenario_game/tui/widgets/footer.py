"""The key bar at the foot of every screen."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, laid out again only when the keys on show change. (The stock
    Footer rebuilds itself on every focus change, even when the same keys stay on show.)"""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def _keys_on_show(self) -> tuple:
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def on_resize(self, event) -> None:
        """Narrow terminals: below 90 columns no palette hint (the help lists Ctrl+P), below
        80 less space between keys, so the screen's own keys, Help and Quit stay in view."""
        compact, palette = event.size.width < 80, event.size.width >= 90
        if (compact, palette) != (self.compact, self.show_command_palette):
            self.compact, self.show_command_palette = compact, palette
            self._shown = None
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            shown = self._keys_on_show()
            if shown == self._shown and self.children:
                return
            self._shown = shown
        super().bindings_changed(screen)
