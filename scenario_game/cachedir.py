"""The player's cache folder, where the library's story cards (cards.py), the first scenes
of stories (firstscene.py) and the TUI's parsed style sheets (tui/stylecache.py) are kept
between starts, and how their files are written. Standard library only (and
platformdirs, which Textual has already imported), so either can be read before the
game's model is imported."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_VARIABLE = "SCENARIO_GAME_CACHE"


def cache_folder() -> Path | None:
    """Where the caches are kept: `$SCENARIO_GAME_CACHE`, else the platform's cache folder
    (`$XDG_CACHE_HOME/reconnect` on Linux); None when turned off (`SCENARIO_GAME_CACHE=off`)."""
    given = os.environ.get(CACHE_VARIABLE)
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no") else Path(given)
    try:
        from platformdirs import user_cache_path

        return user_cache_path("reconnect", appauthor=False)
    except Exception:  # no home folder to speak of: no cache
        return None


def write_private(folder: Path, name: str, data: bytes) -> bool:
    """Replace `folder/name` with `data` atomically (a temporary file renamed over it), the
    folder made 0700 and the file 0600 (mkstemp's mode); False if it could not be written.
    The caches are only ever an optimisation, so the callers say nothing of a failure."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / name)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


class CardFile:
    """A cache file of cards, `{"format": N, "game": VERSION, "cards": {key: entry}}`: read
    once (bounded; anything unexpected means no cards), looked up by key, and written back
    (most recently used last, the oldest dropped past `max_cards`) if anything changed.
    Subclasses say the file's name and bounds, and which entries to keep (`keep`)."""

    file = ""
    format = 1
    max_bytes = 2 * 1024 * 1024
    max_cards = 500

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.cards: dict[str, dict] = self._read(folder / self.file) if folder is not None else {}
        self.changed = False

    def keep(self, key: str, entry: object) -> dict | None:
        """The entry to keep under `key` as read from the file, or None to drop it."""
        return entry if isinstance(entry, dict) else None

    def _read(self, path: Path) -> dict[str, dict]:
        import json

        from . import __version__
        from .safeio import UnusableFile, read_regular

        try:
            data = json.loads(read_regular(path, self.max_bytes))
        except (OSError, UnusableFile, ValueError, RecursionError):  # none yet, unusable, or not JSON
            return {}
        if not isinstance(data, dict) or data.get("format") != self.format or data.get("game") != __version__:
            return {}
        cards = data.get("cards")
        if not isinstance(cards, dict):
            return {}
        kept = {}
        for key, entry in cards.items():
            fields = self.keep(key, entry) if isinstance(key, str) else None
            if fields is not None:
                kept[key] = fields
        return kept

    def take(self, key: str) -> dict | None:
        """The entry under `key`, now the most recently used."""
        fields = self.cards.get(key)
        if fields is not None:
            self.cards[key] = self.cards.pop(key)
        return fields

    def store(self, key: str, entry: dict | None) -> None:
        """Keep `entry` under `key` (None: forget it)."""
        if entry is None:
            self.changed |= self.cards.pop(key, None) is not None
        elif self.cards.get(key) != entry:
            self.cards.pop(key, None)
            self.cards[key] = entry
            self.changed = True

    def save(self) -> None:
        """Write the cards back if anything changed; failures are silent (only an optimisation)."""
        import json

        from . import __version__

        if self.folder is None or not self.changed:
            return
        cards = dict(list(self.cards.items())[-self.max_cards :])
        text = json.dumps({"format": self.format, "game": __version__, "cards": cards}, ensure_ascii=True)
        if len(text) <= self.max_bytes and write_private(self.folder, self.file, text.encode("ascii")):
            self.changed = False
