"""Listing saved runs: every save in a folder (readable or with its reason), which belong
to a scenario, the latest unfinished one. Never writes. (How runs read to a player, and the
lines of `scenario-game runs`, are `scenario_game.progress`.)"""

from __future__ import annotations

import os
from pathlib import Path


from ..records import frozen
from ..safeio import UnusableFile
from .record import Run, SaveError
from .saveformat import read_run
from .store import file_digest

CHANGED = "changed"
MISSING = "missing"
SAME = "same"


@frozen
class SavedRun:
    """One `*.toml` file in the saves folder: its run, or why it is unreadable."""

    path: str
    run: Run | None
    problem: str | None = None
    scenario_state: str = SAME  # SAME, CHANGED (file hash differs) or MISSING

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def readable(self) -> bool:
        return self.run is not None

    @property
    def scenario_changed(self) -> bool:
        return self.scenario_state != SAME


def scenario_state(run: Run, digests: dict[str, str | None] | None = None) -> str:
    """SAME, CHANGED or MISSING: how the scenario file now compares with the save's hash.
    A save naming a device, a pipe or an oversized file raises SaveError: it is unusable."""
    cache = digests if digests is not None else {}
    if run.scenario_file not in cache:
        try:
            cache[run.scenario_file] = file_digest(run.scenario_file)
        except UnusableFile as exc:
            cache[run.scenario_file] = exc
        except OSError:
            cache[run.scenario_file] = None
    digest = cache[run.scenario_file]
    if isinstance(digest, UnusableFile):
        raise SaveError(f"its scenario file {run.scenario_file} is not read: it is {digest.reason}")
    if digest is None:
        return MISSING
    return SAME if digest == run.digest else CHANGED


def inspect(path: str | os.PathLike, digests: dict[str, str | None] | None = None) -> SavedRun:
    try:
        run = read_run(path)
        state = scenario_state(run, digests)
    except SaveError as exc:
        return SavedRun(str(path), None, str(exc))
    return SavedRun(str(path), run, None, state)


def list_runs(folder: str | os.PathLike) -> list[SavedRun]:
    """Every `*.toml` in `folder`, newest first; unreadable ones carry the reason. Never writes."""
    base = Path(folder)
    try:
        files = [p for p in base.iterdir() if p.name.endswith(".toml") and not p.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:  # a folder that cannot be listed (permissions): a sentence, not a traceback
        raise SaveError(f"cannot list the saves folder {folder}: {exc.strerror or exc}") from None
    digests: dict[str, str | None] = {}
    found = [inspect(p, digests) for p in sorted(files)]

    def order(saved: SavedRun):
        when = saved.run.updated.timestamp() if saved.run is not None else 0.0
        try:
            mtime = Path(saved.path).stat().st_mtime_ns
        except OSError:
            mtime = 0
        return (when, mtime, saved.name)

    return sorted(found, key=order, reverse=True)


def same_scenario(run: Run, scenario_file: str | os.PathLike, scenario_id: str) -> bool:
    """A save belongs to a scenario file: the same file, or a file of the same id."""
    try:
        if Path(run.scenario_file).resolve() == Path(scenario_file).resolve():
            return True
    except OSError:
        pass
    return run.scenario_id == scenario_id


def latest_unfinished(folder: str | os.PathLike, scenario_file: str | os.PathLike, scenario_id: str) -> SavedRun | None:
    """The most recently saved run of this scenario that has more to play."""
    for saved in list_runs(folder):
        if saved.run is not None and not saved.run.finished and same_scenario(saved.run, scenario_file, scenario_id):
            return saved
    return None


def find_save(name: str, folder: str | os.PathLike) -> Path:
    """A save named on the command line: a path, or a file name in the saves folder."""
    given = Path(name)
    if given.exists():
        return given
    for candidate in (Path(folder) / name, Path(folder) / f"{name}.toml"):
        if candidate.exists():
            return candidate
    raise SaveError(f"no such save: {name} (looked for it as a path and in {folder})")


def scenario_runs(scenario, folder: str | os.PathLike) -> list[SavedRun]:
    """The readable runs of `scenario` (a file of the same path or id), newest first; none
    when the saves folder cannot be listed."""
    try:
        listed = list_runs(folder)
    except SaveError:
        return []
    return [saved for saved in listed if saved.run is not None and same_scenario(saved.run, scenario.path, scenario.id)]
