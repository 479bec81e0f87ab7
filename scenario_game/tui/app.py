"""The Textual app: installs screens and owns no game logic.

`run_app` is what the `scenario-game` command calls. Screens are imported lazily so the
first screen comes up about as fast as a bare Textual app's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Static

from ..safetext import visible
from . import collecting, stylecache
from .theme import RECONNECT, THEMES, with_game_variables

EXIT_OK = 0
EXIT_INVALID = 1


def _game_commands():
    from .commands import GameCommands

    return GameCommands


def _read_scenario(path: str, data: bytes | None = None):
    """The story at `path` compiled (from `data`, its bytes, when they have been read)."""
    from ..loader import load_bytes, load_path

    # Flow warnings are for `check`; play needs only errors.
    result = load_path(path, analyse=False) if data is None else load_bytes(data, str(path), analyse=False)
    from .screens import play  # noqa: F401  (imported here, off the UI thread)

    return result


def _start_reading(path: str, data: bytes | None = None):
    from concurrent.futures import Future
    from threading import Thread

    future: Future = Future()

    def read() -> None:
        try:
            future.set_result(_read_scenario(path, data))
        except BaseException as error:  # handed to the worker that waits for it
            future.set_exception(error)

    Thread(target=read, name="reconnect-open", daemon=True).start()
    return future


_GAME_THEMES = {theme.name: theme for theme in THEMES}


def _starting_theme() -> str:
    """The theme `$TEXTUAL_THEME` names if Textual or the game knows it, else the game's own."""
    from textual.theme import BUILTIN_THEMES

    for name in os.environ.get("TEXTUAL_THEME", "").split(","):
        if name.strip() in BUILTIN_THEMES or name.strip() in _GAME_THEMES:
            return name.strip()
    return RECONNECT.name


class ReconnectApp(App[int]):
    # The game's theme is the app's theme from the first moment (its default, not a change
    # made after start-up): setting it in __init__ re-parsed all the CSS and restyled every
    # widget once more before the first screen, about a third of the start-up time.
    theme: Reactive[str] = Reactive(_starting_theme)
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute, so subclasses elsewhere find it
    TITLE = "Reconnect"
    COMMANDS = App.COMMANDS | {_game_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("f1", "help", "Help", show=False),
    ]

    def __init__(
        self,
        scenario_file: str | None = None,
        *,
        scenarios_folder: str = "scenarios",
        saves_folder: str = "saves",
        chapter: str | None = None,
        recorder_factory: Callable[[Any], Any] | None = None,
        watch: bool = False,
        seed: int | None = None,
        shuffle: bool = False,
    ) -> None:
        super().__init__()
        self._styles = stylecache.install(self)  # parsed CSS kept between starts (see stylecache.py)
        self.scenario_file = scenario_file
        self.scenarios_folder = scenarios_folder
        self.saves_folder = saves_folder
        self.chapter = chapter
        self.recorder_factory = recorder_factory
        self.watch = watch  # `play FILE --watch`: reload on save (see watching.py)
        self.seed = seed  # `--seed N`: every new run shows its replies in the order N gives
        self.shuffle = shuffle  # new runs show their replies shuffled (a fresh seed each)
        self.live = None
        self.problems: list[str] = []
        self.switch_interval: float | None = None  # set by `run_app`, applied after the first screen
        # `play FILE`: the file is read now; if the cache has its scene card (firstscene.py)
        # the play screen is drawn from it and the story compiled just after that frame;
        # otherwise compiling starts now, on its own thread, while Textual sets itself up.
        self._opening = None
        self._preview = None  # the play screen drawn from the card, until it has its session
        self._preview_compiling = False
        self._reading = None
        if scenario_file is not None:
            if not watch:
                from ..firstscene import open_for_play

                self._opening = open_for_play(scenario_file, chapter)
            if self._opening is None or self._opening.card is None:
                self._reading = _start_reading(scenario_file, self._opening.data if self._opening else None)

        for theme in THEMES:  # for the theme picker, and for setting `theme` by name
            self.register_theme(theme)

    def get_theme(self, theme_name: str) -> Theme | None:
        """A theme by name; the game's are known from the start (see `theme` above), before
        `__init__` has registered them."""
        for name in theme_name.split(","):
            theme = _GAME_THEMES.get(name.strip()) or super().get_theme(name.strip())
            if theme is not None:
                return theme
        return None

    def get_css_variables(self) -> dict[str, str]:
        """Textual's variables and the game's colour roles, for whichever theme is on."""
        variables = with_game_variables(super().get_css_variables())
        self.theme_variables = variables  # what `Content` styles such as "$tone-constructive" read
        return variables

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = False) -> None:
        """Every toast in the game: its text is shown literally, never parsed as markup
        (messages carry titles, chapter ids and errors from files other people made), and
        control characters are shown escaped. Thread-safe, as Textual's."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    def get_default_screen(self):
        """The first screen: the play screen drawn from the file's scene card if there is
        one (the story is compiled once it is drawn: `first_screen_shown`); else Textual's
        plain screen, where "Opening ..." shows until the story or the library is ready."""
        if self._drawn_from_card():
            from .screens.play import PlayScreen

            self._preview = PlayScreen(None, preview=self._opening.card, seed=self.new_seed())
            return self._preview
        return super().get_default_screen()

    def screens_below(self) -> int:
        """How many of the game's screens are under the top one (the start-up screen at the
        bottom does not count: Textual's plain one, or a play screen whose scene card was wrong)."""
        stack = self.screen_stack
        start_up = stack and (type(stack[0]) is Screen or getattr(stack[0], "placeholder", False))
        return len(stack) - 1 - (1 if start_up else 0)

    def _drawn_from_card(self) -> bool:
        """Whether the play screen is drawn from the file's scene card (see `get_default_screen`)."""
        return self._opening is not None and self._opening.card is not None and self.resume is None

    def compose(self) -> ComposeResult:
        if self._drawn_from_card():
            return  # the play screen comes at once: nothing to say meanwhile
        what = self.scenario_file or self.scenarios_folder
        yield Static(Content.styled(visible(f"Opening {what} …"), "italic"), id="opening")

    def on_mount(self) -> None:
        self.set_timer(2.0, lambda: self.first_screen_shown("other"))  # for first screens that do not say so
        if self.scenario_file is None:
            from .screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.scenarios_folder))
        else:
            if self.watch:
                from .watching import LiveReload

                self.live = LiveReload(self, self.scenario_file, self.chapter).start()
            if self._preview is None:  # (else the play screen, drawn from the card, is up: see `get_default_screen`)
                self.open_file(self.scenario_file)

    # --- hooks for other parts of the game ------------------------------------------

    resume: str | None = None  # `play FILE --resume [SAVE]`: "" for the latest unfinished run
    # `--keep-words` / `--no-keep-words`: keep the player's own words in saves (None: as a
    # saved run going on had it, else yes); `k` in play turns it on and off for the run.
    keep_words: bool | None = None

    def progress_of(self, scenario) -> str | None:
        """For the library (called in its worker thread): finished runs, endings reached, best
        meters and the latest unfinished run, if any."""
        from .screens.runs import library_progress

        return library_progress(scenario, self.saves_folder)

    def first_screen_shown(self, name: str) -> None:
        """Called once the library or a play screen has drawn its first frame."""
        collecting.resume()  # undo `cli._pause_garbage_collection`
        if self.switch_interval is not None:  # see `run_app`
            sys.setswitchinterval(self.switch_interval)
        if self._styles is not None and name != "other":
            self.set_timer(1.0, self._save_styles)
        if self._preview is not None and not self._preview_compiling:
            # Drawn from the scene card: now the story, once that frame is surely out (compiling
            # on another thread would otherwise hold up the thread that writes it).
            self._preview_compiling = True
            self.set_timer(COMPILE_AFTER_FRAME, lambda: self.open_file(self.scenario_file, self._opening.data))

    def _save_styles(self) -> None:
        if not self._styles.changed:  # (each play screen asks; most have nothing new)
            return
        import threading

        threading.Thread(target=self._styles.save, name="reconnect-styles", daemon=True).start()

    # --- play sessions --------------------------------------------------------------

    def new_seed(self) -> int | None:
        """The reply order of a new run: `--seed N`, a fresh shuffle, or None (file order)."""
        if self.seed is not None:
            return self.seed
        if not self.shuffle:
            return None
        return int.from_bytes(os.urandom(4), "big") % 1_000_000  # (os.urandom, as `secrets` uses)

    def new_session(self, scenario, *, chapter: str | None = None, single_chapter: bool = False, seed: int | None | str = "new"):
        """A new run of `scenario`; its replies in the order `seed` gives (by default a new one, see `new_seed`)."""
        from ..session import Session

        seed = self.new_seed() if seed == "new" else seed
        return Session(scenario, chapter=chapter, single_chapter=single_chapter, seed=seed, keep_words=self.keep_words is not False)

    def new_play_screen(self, scenario, *, chapter: str | None = None, single_chapter: bool = False, session=None):
        """A play screen for a new run (or `session`), saved if the app was given a way to make a recorder."""
        from .screens.play import PlayScreen

        session = session if session is not None else self.new_session(scenario, chapter=chapter, single_chapter=single_chapter)
        factory = self.recorder_factory
        recorder = (lambda: factory(scenario)) if factory is not None else None
        return PlayScreen(session, recorder=recorder)

    def play(self, session, *, recorder=None, go_on: bool = False) -> None:
        """Play `session` in a new play screen; `recorder()` builds the observer that saves it."""
        from .screens.play import PlayScreen

        self.push_screen(PlayScreen(session, recorder=recorder, go_on=go_on))

    # --- screens reach each other through these -------------------------------------

    def show_scenario(self, scenario) -> None:
        from .screens.scenario import ScenarioScreen

        self.push_screen(ScenarioScreen(scenario))

    def show_library(self, *, replace: bool = False) -> None:
        from .screens.library import LibraryScreen

        screen = LibraryScreen(self.scenarios_folder)
        self.replace_top(screen) if replace else self.push_screen(screen)

    def show_runs(self, scenario) -> None:
        from .screens.runs import RunsScreen

        self.push_screen(RunsScreen(scenario))

    def show_compare(self, scenario) -> None:
        from .screens.compare import ComparePickScreen

        self.push_screen(ComparePickScreen(scenario))

    def show_chapter_map(self, scenario, chapter: str | None = None) -> None:
        from .screens.chapter_map import ChapterMapScreen

        self.push_screen(ChapterMapScreen(scenario, chapter))

    def show_chapter_end(self, scenario, chapter: str, points, outcomes, state, *, offer_next: bool, then) -> None:
        """The chapter's summary; `then(pick)` gets NEXT, REPLAY or BACK (see messages.py)."""
        from .screens.chapter_end import ChapterEndScreen

        self.push_screen(ChapterEndScreen(scenario, chapter, points, outcomes, state, offer_next=offer_next), then)

    def show_ending(self, scenario, state, points, outcomes, *, then) -> None:
        """The ending and the whole run in brief; `then(pick)` gets AGAIN or BACK."""
        from .screens.ending import EndingScreen

        self.push_screen(EndingScreen(scenario, state, points, outcomes), then)

    def leave_question(self, question: str):
        from .screens.confirm import ConfirmScreen

        saving = [s for s in self.screen_stack if getattr(s, "saves_run", False)]
        if any(getattr(s, "run_saved", False) for s in saving):
            detail = "The run is saved; you can resume it later."
        elif saving:
            detail = "Nothing is saved yet: a run is saved from its first reply."
        else:
            detail = "This run is not being saved, so its progress will be lost."
        return ConfirmScreen(question, detail, yes="Leave", no="Stay")

    @property
    def run_in_progress(self) -> bool:
        return any(getattr(screen, "in_progress", False) for screen in self.screen_stack)

    # --- opening a file -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open")
    def open_file(self, path: str, data: bytes | None = None) -> None:
        """Compile `path` (from `data`, its bytes as read, if given) and open what it holds."""
        if self._reading is not None and path == self.scenario_file:
            result = self._reading.result()
            self._reading = None  # a later open (a reload) reads the file afresh
        else:
            result = _read_scenario(path, data)
        self.call_from_thread(self._file_opened, path, result)

    def _file_opened(self, path: str, result) -> None:
        scenario = result.scenario
        if self._preview is not None and self._hand_over(self._preview, result):
            return
        if self.live is not None and self.live.opened(result):
            return
        if scenario is None:
            self.problems = [str(p) for p in result.errors]
            self._show_problems(path)
            return
        chapter = self.chapter
        if chapter is not None and chapter not in {c.id for c in scenario.chapters}:
            known = ", ".join(c.id for c in scenario.chapters)
            self.problems = [f"error: no chapter {chapter!r} in {path}; chapters: {known}"]
            self._show_problems(path)
            return
        if self.resume is not None:
            from .screens.scenario import ScenarioScreen
            from .starting import resume_on_open

            self.push_screen(ScenarioScreen(scenario))
            resume_on_open(self, scenario, self.resume)
            return
        # Straight into play; the scenario's page is made only if the player goes back to it.
        screen = self.new_play_screen(scenario, chapter=chapter, single_chapter=chapter is not None)
        self.push_screen(screen)
        self._remember_scene(screen.session)

    # --- the scene card (firstscene.py) -----------------------------------------------

    def _hand_over(self, preview, result) -> bool:
        """The story, compiled, for the play screen drawn from its scene card: True if that
        screen plays it now; False if the card was wrong (or the story cannot be played):
        the screen is set aside and the story opened as if there had been no card."""
        from ..firstscene import card_of

        self._preview = None
        scenario, chapter, card, seed = result.scenario, self.chapter, preview.preview, preview.preview_seed
        fits = scenario is not None and scenario.digest == self._opening.digest
        fits = fits and (chapter is None or chapter in {c.id for c in scenario.chapters})
        if fits:  # (checked on a probe: the session played starts with its recorder watching)
            probe = self.new_session(scenario, chapter=chapter, single_chapter=chapter is not None, seed=seed)
            probe.start()
            fits = card_of(probe) == card and [c.text for c in probe.offered()] == [r.text for r in card.offered(seed)]
        if fits and preview in self.screen_stack:
            session = self.new_session(scenario, chapter=chapter, single_chapter=chapter is not None, seed=seed)
            factory = self.recorder_factory
            preview.attach(session, (lambda: factory(scenario)) if factory is not None else None)
            return True
        if scenario is None:
            self._remember_scene(None)  # the card of a story that cannot be played: forget it
        while preview in self.screen_stack and self.screen is not preview:  # (a dialog opened over it goes with it)
            self.pop_screen()
        # It is the first screen, which Textual cannot take away: it stays below, unused (as
        # the plain start-up screen would), and what the story says goes on top of it.
        preview.placeholder = True
        preview.forget_keys()
        return False

    def _remember_scene(self, session) -> None:
        """Keep the scene card of a run that has just begun (None: forget the file's card),
        on a thread, once the first frame is well out."""
        opening = self._opening
        if opening is None or self.resume is not None or (session is not None and session.scenario.digest != opening.digest):
            return
        from ..firstscene import card_of, remember

        card = card_of(session) if session is not None else None
        if session is not None and card is None:
            return

        def keep() -> None:
            import threading

            threading.Thread(target=remember, args=(opening.digest, self.chapter, card), name="reconnect-scene-card", daemon=True).start()

        self.set_timer(REMEMBER_AFTER, keep)

    def _show_problems(self, path: str) -> None:
        from .screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(path, self.problems))

    def leave_play(self) -> None:
        """Close the top screen; if nothing but the start-up screen is below it, show the scenario's page."""
        if self.screens_below():
            self.pop_screen()
            return
        from .screens.scenario import ScenarioScreen

        self.replace_top(ScenarioScreen(self.screen.scenario))

    def replace_top(self, screen) -> None:
        """Show `screen` in place of the top screen. Textual cannot take the first screen
        away (the play screen drawn from a scene card is one): then that one stays below,
        unused, as the plain start-up screen would, and `screen` goes over it."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
            return
        self.screen.placeholder = True
        self.push_screen(screen)

    # --- app-wide keys --------------------------------------------------------------

    def get_system_commands(self, screen):
        """Textual's commands without its own "Keys" panel: the game's "Keys" command (commands.py)
        opens the same help as `?`, and two commands of one name offered different lists."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(over=self.screen))

    # --- what the command palette offers (commands.py) -------------------------------

    def open_story(self, scenario) -> None:
        self.show_scenario(scenario)

    def play_chapter(self, scenario, chapter: str) -> None:
        from .starting import start_chapter

        start_chapter(self.screen, scenario, chapter)

    def compare_runs(self, scenario) -> None:
        self.show_compare(scenario)

    def chapter_map(self, scenario) -> None:
        self.show_chapter_map(scenario)

    async def action_quit(self) -> None:
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        if not self.run_in_progress:
            self.exit(EXIT_INVALID if self.problems else EXIT_OK)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit(EXIT_OK)

        self.push_screen(self.leave_question("Quit Reconnect?"), answered)


SWITCH_INTERVAL = 0.0005  # seconds; see `run_app`
COMPILE_AFTER_FRAME = 0.05  # seconds from a play screen drawn from its scene card to compiling the story
REMEMBER_AFTER = 0.3  # seconds from a new run's first frame to keeping its scene card


def run_app(scenario_file: str | None, args) -> int:
    """Run the TUI; returns the exit status (1 when the file named cannot be played)."""
    app = ReconnectApp(
        scenario_file,
        scenarios_folder=getattr(args, "scenarios", "scenarios"),
        saves_folder=getattr(args, "saves", "saves"),
        chapter=getattr(args, "chapter", None),
        recorder_factory=None if getattr(args, "no_save", False) or getattr(args, "watch", False) else _recorder_factory(getattr(args, "saves", "saves")),
        watch=getattr(args, "watch", False),
        seed=getattr(args, "seed", None),
        shuffle=not getattr(args, "in_order", False),
    )
    app.keep_words = getattr(args, "keep_words", None)
    app.resume = getattr(args, "resume", None)
    # Textual sends each frame from a writer thread. With Python's default switch interval
    # (5 ms) that thread, woken by a frame, waits up to 5 ms for the interpreter at each
    # step of writing it while this thread goes on working: a reply's frame reached the
    # terminal 10-20 ms after it was drawn. A short interval lets the frame out at once.
    # It is set once the first screen is up (`first_screen_shown`): during start-up, with
    # the story read on a thread of its own, switching that often only costs time.
    switch = sys.getswitchinterval()
    app.switch_interval = SWITCH_INTERVAL
    try:
        status = app.run()
    finally:
        sys.setswitchinterval(switch)
    if app._styles is not None:
        app._styles.save()  # what the later screens parsed too
    collecting.resume()
    for problem in app.problems:
        sys.stderr.write(problem + "\n")
    if app.return_code not in (None, 0):
        return app.return_code
    return status if isinstance(status, int) else EXIT_OK


def _recorder_factory(saves_folder: str):
    """Makes a recorder per new run; play screens call it on their saving thread, so the
    saving code is not imported before the first frame."""

    def make(scenario):
        from .starting import recorder_factory

        return recorder_factory(saves_folder)(scenario)

    return make
