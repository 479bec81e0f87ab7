"""`play FILE --watch`: the TUI side of live reload (the logic is in scenario_game.watch).

When the file is saved it is loaded again off the UI thread. If it has errors, a panel
lists the checker's lines as they are and play waits; once a save loads, the play
session re-applies the run's current replies to the new version as far as they still fit
(`Session.reload`), and the play screen is rebuilt on it, with a note saying how far.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..watch import FileWatcher
from .render import literal


class WatchProblemsScreen(ModalScreen[None]):
    """The errors of the file as last saved; play waits until a save loads."""

    DEFAULT_CSS = """
    WatchProblemsScreen { align: center middle; }
    WatchProblemsScreen > VerticalScroll {
        width: 90%; max-height: 80%; height: auto;
        background: $panel; border: thick $error; padding: 1 2;
    }
    WatchProblemsScreen #watch-problem-lines { color: $error; margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "close", "Keep playing the last good version"), Binding("q", "app.quit", "Quit")]

    def __init__(self, path: str, problems: list[str], can_close: bool) -> None:
        super().__init__()
        self.path = path
        self.problems = problems
        self.can_close = can_close

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content.styled("The scenario has errors: fix them and save, and play goes on", "bold $error"))
            yield Static(literal(self.path, "$foreground-muted"))
            yield Static(self._lines(), id="watch-problem-lines")
            yield Static(Content.styled("Watching the file for the next save…", "italic $foreground-muted"))
        yield Footer()

    def _lines(self) -> Content:
        return Content("\n").join([literal(p) for p in self.problems])

    def show(self, problems: list[str]) -> None:
        self.problems = problems
        self.query_one("#watch-problem-lines", Static).update(self._lines())

    def action_close(self) -> None:
        if self.can_close:
            self.dismiss(None)
        else:
            self.app.exit(1)


class LiveReload:
    """Watches the app's scenario file and swaps in each version that loads."""

    def __init__(self, app, path: str, chapter: str | None, interval: float = 0.3) -> None:
        self.app = app
        self.path = path
        self.chapter = chapter
        self.watcher = FileWatcher(path, self._changed, interval)
        self.panel: WatchProblemsScreen | None = None

    def start(self) -> "LiveReload":
        self.watcher.start()
        return self

    def stop(self) -> None:
        self.watcher.stop()

    def _changed(self) -> None:
        """In the watcher's thread: load the file, then hand the result to the UI thread."""
        from ..loader import load_path

        result = load_path(self.path, analyse=False)
        try:
            self.app.call_from_thread(self.loaded, result)
        except RuntimeError:  # the app has stopped
            pass

    def opened(self, result) -> bool:
        """The first load: True when it failed and the panel is shown instead of quitting."""
        if result.scenario is None:
            self.show_problems(result)
            return True
        return False

    def show_problems(self, result) -> None:
        lines = [str(p) for p in result.errors]
        self.app.problems = lines
        if self.panel is not None and self.panel.is_attached:
            self.panel.show(lines)
            return
        self.panel = WatchProblemsScreen(self.path, lines, can_close=self._play_screen() is not None)
        self.app.push_screen(self.panel, lambda _: setattr(self, "panel", None))

    def _play_screen(self):
        from .screens.play import PlayScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, PlayScreen):
                return screen
        return None

    def loaded(self, result) -> None:
        if result.scenario is None:
            self.show_problems(result)
            return
        self.app.problems = []
        scenario = result.scenario
        play = self._play_screen()
        if play is None:  # the first load failed: start now
            while len(self.app.screen_stack) > 1:
                self.app.pop_screen()
            self.panel = None
            single = self.chapter is not None and self.chapter in {c.id for c in scenario.chapters}
            self.app.push_screen(self.app.new_play_screen(scenario, chapter=self.chapter if single else None, single_chapter=single))
            self.app.notify(f"{self.path} loaded.", title="Reloaded", timeout=4)
            return
        session = play.session
        again = session.reload(scenario)
        while self.app.screen is not play:
            self.app.pop_screen()
        self.panel = None
        screen = self.app.new_play_screen(scenario, session=session)
        self.app.replace_top(screen)
        note = f"Reloaded {self.path}: replayed {again.replayed} of {again.total} replies."
        if again.reason:
            note += f" Stopped: {again.reason}."
        self.app.call_after_refresh(lambda: screen.is_attached and screen.transcript.add_note(note))
        self.app.notify(note, title="Reloaded", timeout=6)
