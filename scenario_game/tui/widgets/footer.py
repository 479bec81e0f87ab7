"""The key bar at the foot of every screen."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, with its keys in the screen's first frame, and laid out again only
    when the keys shown change. (The stock Footer mounts empty and fills in a frame later,
    and rebuilds itself on every focus change even when the same keys stay on show.)"""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Footer._bindings_ready, True)  # the screen's bindings are known when it composes
        self._shown: tuple | None = None

    def _keys_on_show(self) -> tuple:
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def compose(self):
        self._shown = self._keys_on_show()
        yield from super().compose()

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and self._keys_on_show() == self._shown:
            self._bindings_ready = True
            return
        super().bindings_changed(screen)
