"""The library: the bundled stories and those in the player's own folder, each with its
summary, chapters, progress and where it comes from. Files are read and checked in a
worker thread; the list fills in when ready."""

from __future__ import annotations

import threading
from pathlib import Path

import attrs
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...library import BUNDLED, read_stories
from ...model import Scenario
from ..render import literal
from ..widgets.footer import KeyFooter
from .base import BaseScreen


@attrs.frozen
class Entry:
    """One file of the folder: its scenario, or why it cannot be played."""

    path: str
    scenario: Scenario | None
    problems: tuple[str, ...] = ()
    progress: str | None = None
    kind: str = BUNDLED


def read_folder(folder: str, progress_of=None) -> list[Entry]:
    """Load the bundled stories and every `*.toml` under the player's `folder` (in a worker thread)."""
    entries = []
    for story in read_stories(folder):
        if story.scenario is None:
            entries.append(Entry(str(story.path), None, story.problems, kind=story.kind))
            continue
        progress = _progress(progress_of, story.scenario) if progress_of is not None else None
        entries.append(Entry(str(story.path), story.scenario, (), progress, story.kind))
    return entries


def _progress(progress_of, scenario: Scenario) -> str | None:
    try:
        return progress_of(scenario)
    except Exception:  # progress is a nicety; a bad save must not hide the scenario
        return None


def _from(entry: Entry) -> str:
    return "bundled with the game" if entry.kind == BUNDLED else "yours"


def entry_prompt(entry: Entry) -> Content:
    scenario = entry.scenario
    if scenario is None:
        count = len(entry.problems)
        return Content.assemble(
            literal(Path(entry.path).name, "bold $foreground-muted"),
            "\n",
            (f"cannot be played: {count} problem{'s' if count != 1 else ''} (see `scenario-game check`)", "italic $error"),
            (f"  ·  {_from(entry)}", "$foreground-muted"),
        )
    chapters = len(scenario.chapters)
    details = f"{chapters} chapter{'s' if chapters != 1 else ''}  ·  {_from(entry)}"
    if scenario.partner:
        details += f"  ·  with {scenario.partner}"
    parts: list = [literal(scenario.title, "bold $primary")]
    if scenario.summary:
        parts += ["\n", literal(scenario.summary)]
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
        # The list first; each scenario's progress (which reads the saves) once the list's
        # frame is out, so that work does not share the interpreter with drawing it.
        entries = read_folder(self.folder)
        drawn = threading.Event()
        self.app.call_from_thread(self.show_entries, entries, drawn)
        drawn.wait(1.0)
        progress_of = getattr(self.app, "progress_of", None)
        if progress_of is None:
            return
        with_progress = [attrs.evolve(entry, progress=_progress(progress_of, entry.scenario)) if entry.scenario is not None else entry for entry in entries]
        if any(entry.progress for entry in with_progress):
            self.app.call_from_thread(self.show_progress, with_progress)

    def show_progress(self, entries: list[Entry]) -> None:
        if len(entries) != len(self.entries) or any(a.path != b.path for a, b in zip(entries, self.entries)):
            return  # reloaded in the meantime
        self.entries = entries
        library = self.query_one("#library", OptionList)
        for index, entry in enumerate(entries):
            if entry.progress:
                library.replace_option_prompt(f"entry-{index}", entry_prompt(entry))

    def show_entries(self, entries: list[Entry], drawn: threading.Event | None = None) -> None:
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
        playable = sum(1 for e in entries if e.scenario is not None)
        yours = sum(1 for e in entries if e.kind != BUNDLED)
        bundled = len(entries) - yours
        where = ", ".join(part for part in (yours and f"{yours} in {self.folder}", bundled and f"{bundled} bundled with the game") if part)
        status.update(literal(f"{playable} stor{'ies' if playable != 1 else 'y'}: {where}  ·  Enter opens one", "$foreground-muted"))
        options = []
        for index, entry in enumerate(entries):
            if index:
                options.append(None)
            options.append(Option(entry_prompt(entry), id=f"entry-{index}", disabled=entry.scenario is None))
        library.set_options(options)
        library.display = True
        library.highlighted = next((i for i, o in enumerate(library.options) if not o.disabled), None)
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
