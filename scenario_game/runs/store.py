"""The atomic folder store: where saves live and how they are written.

Writes are atomic (a temporary file beside the save, fsync, `os.replace`), so a crash
leaves the old save or the new one; a new run never takes another run's file name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path

import attrs

from ..limits import MAX_SCENARIO_BYTES
from ..safeio import read_regular
from .record import Run, SaveError
from .saveformat import run_to_toml


def file_digest(path: str | os.PathLike) -> str:
    """sha256 of a file's bytes, the same as `Scenario.digest` for a scenario file. A path
    that is not a regular file, or is too large, raises `safeio.UnusableFile` unread."""
    return hashlib.sha256(read_regular(path, MAX_SCENARIO_BYTES)).hexdigest()


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open a folder; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


PRIVATE_FILE = 0o600  # a save records a person's private choices
PRIVATE_FOLDER = 0o700
_TEMPORARY = re.compile(r"\..+\.(\d+)-[0-9a-f]{8}\.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or a pid we cannot ask about: leave its file
    return True


def remove_stale_temporaries(folder: str | os.PathLike) -> None:
    """Remove `.NAME.PID-xxxx.tmp` files left in `folder` by writers that died mid-write
    (kill -9, a power cut); a live writer's file is left alone."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMPORARY.fullmatch(name)
        if match and not _alive(int(match.group(1))):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass


def make_private_folder(folder: str | os.PathLike) -> None:
    """Create `folder` and any missing parents readable by their owner only (0700); an
    existing folder keeps its mode."""
    missing = []
    path = Path(folder)
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            pass


_SWEPT: set[Path] = set()  # folders whose stale temporary files this process has removed


def atomic_write(path: str | os.PathLike, text: str, *, exclusive: bool = False) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part.

    The temporary file sits in the same folder and its name does not end in `.toml`,
    so `list_runs` never takes it for a save. With `exclusive`, an existing file at
    `path` is never replaced (FileExistsError): a new run cannot overwrite another.
    Files are created private (0600); temporary files of dead writers are removed first.
    """
    target = Path(path)
    folder = target.parent
    if folder.resolve() not in _SWEPT:  # once per folder per process: a save's cost stays flat
        remove_stale_temporaries(folder)
        _SWEPT.add(folder.resolve())
    temporary = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    data = text.encode("utf-8")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            try:
                os.link(temporary, target)  # fails rather than replace an existing file
            except FileExistsError:
                raise
            except OSError:
                # No hard links here: claim the name first, then replace the empty claim.
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
                os.replace(temporary, target)
            else:
                os.unlink(temporary)
        else:
            os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_folder(folder)


_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]+")


def new_save_name(scenario_id: str, when: dt.datetime, attempt: int) -> str:
    stem = _UNSAFE.sub("-", scenario_id).strip("-") or "run"
    suffix = "" if attempt == 0 else f"-{attempt + 1}"
    return f"{stem}-{when.strftime('%Y%m%d-%H%M%S')}{suffix}.toml"


def save_new(run: Run, folder: str | os.PathLike, text: Callable[[Run], str] = run_to_toml) -> Run:
    """Save a run under a fresh name in `folder` (created if needed) that no other file has."""
    target_folder = Path(folder)
    make_private_folder(target_folder)
    for attempt in range(1000):
        target = target_folder / new_save_name(run.scenario_id, run.created, attempt)
        if target.exists():
            continue
        saved = attrs.evolve(run, path=str(target))
        try:
            atomic_write(target, text(saved), exclusive=True)
        except FileExistsError:
            continue
        return saved
    raise SaveError(f"no free save name for {run.scenario_id!r} in {target_folder}")


def save(run: Run, text: str | None = None) -> None:
    """Replace the run's own save with its new content (`text`, if already made), atomically."""
    if run.path is None:
        raise SaveError("the run has no save file yet")
    atomic_write(run.path, run_to_toml(run) if text is None else text)
