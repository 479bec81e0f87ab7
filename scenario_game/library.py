"""Where stories come from (the ones the game ships and the player's own folder) and
where runs are saved (the player's data folder, so history follows them anywhere).

The shipped stories live in the repository's top-level `scenarios/` folder, which the
wheel installs as `scenario_game/stories/` (pyproject's package-dir mapping), so there is
one copy to keep. A checkout (or an editable install) reads `scenarios/` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BUNDLED = "bundled"
YOURS = "yours"


SAVES_VARIABLE = "SCENARIO_GAME_SAVES"


def default_saves_folder() -> Path:
    """The player's own data folder (`$XDG_DATA_HOME/reconnect/saves` on Linux, the
    platform's equivalent elsewhere), whatever folder the game is started from."""
    from platformdirs import user_data_path

    return user_data_path("reconnect", appauthor=False) / "saves"


def saves_folder(given: str | os.PathLike | None = None) -> str:
    """Where runs are saved: `--saves DIR`, else `$SCENARIO_GAME_SAVES`, else the data folder."""
    return str(given or os.environ.get(SAVES_VARIABLE) or default_saves_folder())


def _shipped(installed: str, in_checkout: str, pattern: str) -> Path | None:
    """A folder pyproject's package-dir maps into the package (`installed`), or its source
    in a checkout or editable install (`in_checkout`), whichever holds `pattern` files."""
    here = Path(__file__).resolve().parent
    for folder in (here / installed, here.parent / in_checkout):
        if folder.is_dir() and any(folder.glob(pattern)):
            return folder
    return None


def bundled_folder() -> Path | None:
    """The folder of the stories that ship with the game, installed or in a checkout."""
    return _shipped("stories", "scenarios", "*.toml")


def docs_folder() -> Path | None:
    """The authoring docs (authoring.md, reference.md), installed or in a checkout."""
    return _shipped("docs", "docs", "*.md")


@dataclass(frozen=True)
class Shelf:
    """One folder of stories and whose they are: `bundled` (shipped) or `yours`."""

    kind: str
    folder: Path

    def files(self) -> list[Path]:
        if self.kind == BUNDLED:
            return sorted(p for p in self.folder.glob("*.toml") if p.is_file())
        return sorted(p for p in self.folder.rglob("*.toml") if p.is_file())


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def shelves(own_folder: str | os.PathLike | None) -> list[Shelf]:
    """The player's folder when it exists and is not the bundled one, then the bundled stories."""
    found: list[Shelf] = []
    bundled = bundled_folder()
    if own_folder is not None:
        own = Path(own_folder)
        if own.is_dir() and not (bundled is not None and _same_folder(own, bundled)):
            found.append(Shelf(YOURS, own))
    if bundled is not None:
        found.append(Shelf(BUNDLED, bundled))
    return found


def story_id(path: str | os.PathLike) -> str:
    """A story's id on the command line: its file name without `.toml`."""
    return Path(path).stem


def find_story(name: str, own_folder: str | os.PathLike | None) -> Path | None:
    """The file `play NAME` means: a path to a file, else a story id (file stem) in the
    player's folder first, then among the bundled stories."""
    as_path = Path(name)
    if as_path.is_file():
        return as_path
    if as_path.suffix == ".toml" or os.sep in name or (os.altsep and os.altsep in name):
        return None  # looks like a path; a missing file is not a story id
    for shelf in shelves(own_folder):
        for path in shelf.files():
            if path.stem == name:
                return path
    return None


def known_ids(own_folder: str | os.PathLike | None) -> list[str]:
    return sorted({p.stem for shelf in shelves(own_folder) for p in shelf.files()})


@dataclass(frozen=True)
class Story:
    """One file on a shelf: its scenario, or the problems that keep it from being played."""

    path: Path
    kind: str
    scenario: object | None
    problems: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return story_id(self.path)


def read_stories(own_folder: str | os.PathLike | None) -> list[Story]:
    """Every story on every shelf, the player's own first (reads and loads each file)."""
    from .loader import load_path

    stories = []
    for shelf in shelves(own_folder):
        for path in shelf.files():
            result = load_path(str(path), analyse=False)
            stories.append(Story(path, shelf.kind, result.scenario, tuple(str(p) for p in result.errors)))
    return stories


def progress_words(scenario, saved_runs) -> str:
    """The player's progress with one scenario, from the saved runs: finished runs and
    endings reached by title, best meters, where the latest unfinished run stands."""
    from . import runs
    from .progress import scenario_progress

    mine = [s for s in saved_runs if s.run is not None and runs.same_scenario(s.run, scenario.path, scenario.id)]
    lines = scenario_progress(scenario, mine).lines()
    return "; ".join(lines) if lines else "not played yet"


def listing(own_folder: str | os.PathLike | None, saves_folder: str | os.PathLike) -> list[str]:
    """The lines of `scenario-game list`: one story a line, for scripts and screen readers."""
    from . import runs

    stories = read_stories(own_folder)
    if not stories:
        return ["No stories found: the bundled ones are missing and there is no folder of your own."]
    try:
        saved = runs.list_runs(saves_folder)
    except runs.SaveError:  # progress cannot be shown; the stories still can
        saved = []
    rows = [("ID", "TITLE", "CHAPTERS", "FROM", "PROGRESS")]
    for story in stories:
        scenario = story.scenario
        if scenario is None:
            count = len(story.problems)
            rows.append((story.id, "-", "-", story.kind, f"cannot be played: {count} problem{'s' if count != 1 else ''} (scenario-game check {story.path})"))
            continue
        rows.append((story.id, scenario.title, str(len(scenario.chapters)), story.kind, progress_words(scenario, saved)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]).rstrip() for row in rows]
    playable = sum(story.scenario is not None for story in stories)
    lines.append("")
    lines.append(f"{playable} stor{'ies' if playable != 1 else 'y'} to play; start one with: scenario-game play ID")
    return lines
