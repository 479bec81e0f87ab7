"""Textual's parsed style rules, kept between starts.

Before its first frame Textual parses the game's style sheet (app.tcss) and the default
CSS of every kind of widget on the screen, with a tokenizer written in Python: about a
seventh of the play screen's work after the imports, the same at every start. This keeps
what parsing gave (Textual's rule sets, pickled) in the player's cache folder, keyed by
the CSS text, where it came from, and the theme's variables, in a file that names the
Textual installation that made it. A start finds the rules there instead of parsing them; new
or changed CSS is parsed as ever, and the file is written again (atomically, 0600 in a
0700 folder) once the first screen is up.

The file is the player's own, made by this program: it is read only if it is a regular
file owned by the user, writable by no one else, and under a size bound; anything
unexpected in it (another Textual's classes, a damaged file) means the CSS is parsed as if
there were no cache, and nothing is said. `SCENARIO_GAME_CACHE=off` turns it off, as it
does the story and scene cards.

It works through `Stylesheet._parse_rules` and `Stylesheet.copy`, which Textual has had
unchanged from 6.2 (the oldest the game supports) to 8; if a version lacks either, the
cache is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import threading
from pathlib import Path

import textual
from textual.css.stylesheet import Stylesheet

from ..cachedir import cache_folder, write_private

MAX_BYTES = 4 * 1024 * 1024
FORMAT = 1


CACHE_FILE = "styles.pickle"


def _textual() -> str:
    """Which Textual this is: where it is installed, and the size and time of the modules
    whose classes the rules are made of (`textual.__version__` would cost an import of
    importlib.metadata, which is more than the cache saves)."""
    from textual.css import model, styles

    marks = [str(Path(textual.__file__).parent)]
    for module in (textual, model, styles):
        info = os.stat(module.__file__)
        marks.append(f"{info.st_size}:{info.st_mtime_ns}")
    return " ".join(marks)


def _file(folder: Path) -> Path:
    return folder / CACHE_FILE


class RuleStore:
    """The rules parsed at earlier starts, by key; `save` writes them back if any were added."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.rules: dict[bytes, list] = self._read(_file(folder)) if folder is not None else {}
        self.changed = False
        self.seen: dict[tuple, list] = {}  # this run's rules by (variables, CSS, where from)
        self._lock = threading.Lock()

    @staticmethod
    def _read(path: Path) -> dict[bytes, list]:
        try:
            with open(path, "rb") as file:
                info = os.fstat(file.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                    return {}
                if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
                    return {}
                data = pickle.loads(file.read(MAX_BYTES + 1))
        except Exception:  # none yet, unreadable, damaged, or made by another Textual
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("rules"), dict):
            return {}
        if data.get("textual") != _textual():  # made by another Textual
            return {}
        return {key: value for key, value in data["rules"].items() if isinstance(key, bytes) and isinstance(value, list)}

    def get(self, key: bytes) -> list | None:
        return self.rules.get(key)

    def put(self, key: bytes, rules: list) -> None:
        with self._lock:
            self.rules[key] = rules
            self.changed = True

    def save(self) -> None:
        """Write the rules back if any were added; failures are silent (only an optimisation)."""
        if self.folder is None or not self.changed:
            return
        with self._lock:
            rules, self.changed = dict(self.rules), False
        try:
            data = pickle.dumps({"format": FORMAT, "textual": _textual(), "rules": rules}, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a rule Textual made that will not pickle: no cache
            return
        if len(data) <= MAX_BYTES:
            write_private(self.folder, CACHE_FILE, data)


class CachedStylesheet(Stylesheet):
    """A Stylesheet that takes parsed rules from a `RuleStore` when it has them."""

    store: RuleStore | None = None

    _variables_seen: object = None
    _variables_key = b""

    def _variables_digest(self) -> bytes:
        if self._variables is not self._variables_seen:  # (a new theme sets a new dict)
            self._variables_seen = self._variables
            self._variables_key = hashlib.sha256(repr(sorted(self._variables.items())).encode("utf-8", "surrogatepass")).digest()
        return self._variables_key

    def _parse_rules(self, css: str, *args, **kwargs):
        store = self.store
        if store is None:
            return super()._parse_rules(css, *args, **kwargs)
        # Textual parses every source again whenever one is added: the rules already given
        # are found by the text itself (its hash is kept by Python) before any digest is made.
        seen = (self._variables_digest(), css, args, tuple(sorted(kwargs.items())))
        rules = store.seen.get(seen)
        if rules is None:
            key = hashlib.sha256(seen[0] + repr(seen[1:]).encode("utf-8", "surrogatepass")).digest()
            rules = store.get(key)
            if rules is None:
                rules = super()._parse_rules(css, *args, **kwargs)
                store.put(key, rules)
            store.seen[seen] = rules
        return rules

    @classmethod
    def like(cls, stylesheet: Stylesheet, store: RuleStore | None) -> CachedStylesheet:
        """A copy of `stylesheet` (as `Stylesheet.copy` makes one) that uses `store`."""
        made = cls(variables=stylesheet._variables.copy())
        made.source = stylesheet.source.copy()
        made.store = store
        return made

    def copy(self) -> Stylesheet:
        return CachedStylesheet.like(self, self.store)


def install(app) -> RuleStore | None:
    """Give `app` a style sheet that uses the rules cache (call before it parses any CSS);
    returns the store to `save` once the first screen is up, or None (no cache)."""
    folder = cache_folder()
    base = getattr(app, "stylesheet", None)
    if folder is None or type(base) is not Stylesheet or not hasattr(Stylesheet, "_parse_rules"):
        return None
    store = RuleStore(folder)
    app.stylesheet = CachedStylesheet.like(base, store)
    return store
