"""The library: the bundled stories and those in the player's own folder, each with its
summary, chapters, progress and where it comes from.

The list comes from the stories' cards (cards.py: remembered between starts, keyed by
each file's bytes), so it is drawn before any story is compiled or the game's model is
imported. A worker thread then compiles the stories (needed to open one and to show
progress), replaces any card that turned out different, and adds each story's progress.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...cards import Card, CardCache, cache_folder, compile_card, read_cards
from ...library import BUNDLED, shelves
from ..render import literal
from ..widgets.footer import KeyFooter
from .base import BaseScreen


@dataclass(frozen=True)
class Entry:
    """One file of the library: its card, its scenario once compiled, the player's progress."""

    card: Card
    scenario: object | None = None
    progress: str | None = None
    compiled: bool = False

    @property
    def path(self) -> str:
        return str(self.card.path)

    @property
    def kind(self) -> str:
        return self.card.kind


def story_files(folder: str) -> list[tuple[Path, str]]:
    """(path, kind) of every story the library lists, the player's own first."""
    return [(path, shelf.kind) for shelf in shelves(folder) for path in shelf.files()]


def _progress(progress_of, scenario) -> str | None:
    try:
        return progress_of(scenario)
    except Exception:  # progress is a nicety; a bad save must not hide the scenario
        return None


def _from(entry: Entry) -> str:
    return "bundled with the game" if entry.kind == BUNDLED else "yours"


def entry_prompt(entry: Entry) -> Content:
    card = entry.card
    if not card.playable:
        count = card.problems
        return Content.assemble(
            literal(card.path.name, "bold $foreground-muted"),
            "\n",
            (f"cannot be played: {count} problem{'s' if count != 1 else ''} (see `scenario-game check`)", "italic $error"),
            (f"  ·  {_from(entry)}", "$foreground-muted"),
        )
    chapters = card.chapters
    details = f"{chapters} chapter{'s' if chapters != 1 else ''}  ·  {_from(entry)}"
    if card.partner:
        details += f"  ·  with {card.partner}"
    parts: list = [literal(card.title or "", "bold $primary")]
    if card.summary:
        parts += ["\n", literal(card.summary)]
    parts += ["\n", (details, "$foreground-muted")]
    if entry.progress:
        parts += ["\n", literal(entry.progress, "$accent")]
    return Content.assemble(*parts)


class LibraryScreen(BaseScreen):
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("r", "reload", "Reload"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, folder: str, name: str | None = None) -> None:
        super().__init__(name=name)
        self.folder = folder
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("Reconnect", "bold $primary"), ("   practise the conversations that bring you closer", "italic $foreground-muted")),
            id="brand",
        )
        yield Static(literal(f"Reading {self.folder} …", "italic $foreground-muted"), id="library-status")
        yield OptionList(id="library")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#library").display = False
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="library")
    def load(self) -> None:
        # The cards first (from the cache; a story it lacks is compiled now), then, once the
        # list's frame is out, every story compiled and each one's progress (which reads the
        # saves), so that work does not share the interpreter with drawing the list.
        worker = get_current_worker()
        cache = CardCache(cache_folder())
        cards, missing = read_cards(story_files(self.folder), cache)
        entries = [Entry(card) for card in cards]
        for index in missing:
            entries[index] = self._compiled(cards[index], cache)
        drawn = threading.Event()
        self.app.call_from_thread(self.show_entries, entries, drawn)
        while not drawn.wait(0.5):  # the list is drawn, or the screen has gone
            if worker.is_cancelled:
                return
        compiled = [entry if entry.compiled else self._compiled(entry.card, cache) for entry in entries]
        cache.save()
        progress_of = getattr(self.app, "progress_of", None)
        if progress_of is not None:
            compiled = [replace(e, progress=_progress(progress_of, e.scenario)) if e.scenario is not None else e for e in compiled]
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_compiled, entries, compiled)

    @staticmethod
    def _compiled(card: Card, cache: CardCache) -> Entry:
        card, result = compile_card(card)
        cache.put(card)
        return Entry(card, result.scenario, compiled=True)

    def show_compiled(self, shown: list[Entry], entries: list[Entry]) -> None:
        """The stories compiled: a card that changed (the file was edited since it was
        cached) is shown anew, and progress is added."""
        if shown is not self.entries:
            return  # reloaded in the meantime
        if any(a.card.fields() != b.card.fields() for a, b in zip(shown, entries)):
            self.show_entries(entries, keep_highlight=True)
            return
        self.entries = entries
        library = self.query_one("#library", OptionList)
        for index, entry in enumerate(entries):
            if entry.progress:
                library.replace_option_prompt(f"entry-{index}", entry_prompt(entry))

    def show_entries(self, entries: list[Entry], drawn: threading.Event | None = None, *, keep_highlight: bool = False) -> None:
        if drawn is not None:
            self.call_after_refresh(drawn.set)
        self.entries = entries
        status = self.query_one("#library-status", Static)
        library = self.query_one("#library", OptionList)
        if not entries:
            status.update(
                Content.assemble(
                    ("No scenarios here yet.", "bold"),
                    "\n",
                    literal(f"Put scenario files (*.toml) in {self.folder}, or start with --scenarios DIR.", "$foreground-muted"),
                )
            )
            library.display = False
            self.app.call_after_refresh(self.app.first_screen_shown, "library")
            return
        playable = sum(1 for e in entries if e.card.playable)
        yours = sum(1 for e in entries if e.kind != BUNDLED)
        bundled = len(entries) - yours
        where = ", ".join(part for part in (yours and f"{yours} in {self.folder}", bundled and f"{bundled} bundled with the game") if part)
        status.update(literal(f"{playable} stor{'ies' if playable != 1 else 'y'}: {where}  ·  Enter opens one", "$foreground-muted"))
        options = []
        for index, entry in enumerate(entries):
            if index:
                options.append(None)
            options.append(Option(entry_prompt(entry), id=f"entry-{index}", disabled=not entry.card.playable))
        highlighted = library.highlighted
        library.set_options(options)
        library.display = True
        if not (keep_highlight and highlighted is not None and highlighted < len(library.options) and not library.options[highlighted].disabled):
            highlighted = next((i for i, o in enumerate(library.options) if not o.disabled), None)
        library.highlighted = highlighted
        library.focus()
        self.app.call_after_refresh(self.app.first_screen_shown, "library")

    def action_open(self) -> None:
        library = self.query_one("#library", OptionList)
        if library.highlighted is not None:
            library.action_select()

    @on(OptionList.OptionSelected, "#library")
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries[int(event.option.id.removeprefix("entry-"))]
        if entry.scenario is not None:
            self.app.show_scenario(entry.scenario)
        elif not entry.compiled:  # chosen before the stories were compiled: compile this one now
            self.open_card(entry.card)

    @work(thread=True, group="library-open")
    def open_card(self, card: Card) -> None:
        _, result = compile_card(card)
        if result.scenario is not None:
            self.app.call_from_thread(self.app.show_scenario, result.scenario)
        else:
            self.app.call_from_thread(self.app.notify, f"{card.path.name} cannot be played: see `scenario-game check`", severity="error")
