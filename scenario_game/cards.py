"""What the library lists of each story (its card), remembered between starts.

Listing the stories means compiling every file, about 30 ms for each shipped story, far
more than the rest of the library's first screen. So each story's card (title, summary,
partner, number of chapters, or how many problems keep it from being played) is kept in
a small JSON file in the player's cache folder, under the SHA-256 of the file's bytes:
the next start reads each file, hashes it and shows the cards at once, with no TOML
parsed and no model built. The stories themselves are compiled after the list is on
screen (the library needs them to open one and to show progress), and a card that turns
out different from what was shown is replaced then.

The cache is only ever an optimisation: a missing, unreadable, oversized, malformed or
unwritable cache means the stories are compiled as if there were none, and nothing is
said. Cards from it are checked field by field and shown through the same literal-text
path as every other string from a file, and the file is written atomically, 0600 in a
0700 folder. It is keyed by the game's version too, so a new release (whose loader may
judge a file differently) starts afresh. `$SCENARIO_GAME_CACHE` names another folder;
`SCENARIO_GAME_CACHE=off` turns it off.

This module imports no more than the standard library (and platformdirs, which Textual
has already imported), so the library screen can show its list before the game's model
is imported at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .cachedir import CACHE_VARIABLE, CardFile, cache_folder  # noqa: F401  (the variable and folder said here too, for callers of cards)
from .limits import MAX_SCENARIO_BYTES
from .safeio import UnusableFile, read_regular

CACHE_FILE = "library-cards.json"
CARD_FORMAT = 1
MAX_CACHE_BYTES = 2 * 1024 * 1024
MAX_CARDS = 500  # the most recently seen are kept
MAX_FIELD = 4000  # characters of a title or summary kept on a card


@dataclass(frozen=True)
class Card:
    """One story file as the library lists it. `title` is None when the file cannot be played
    (then `problems` counts its errors). `data` is the file's bytes as read for the card
    (None if it could not be read), so compiling it later reads nothing twice."""

    path: Path
    kind: str
    digest: str
    title: str | None
    summary: str = ""
    partner: str = ""
    chapters: int = 0
    problems: int = 0
    data: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def playable(self) -> bool:
        return self.title is not None

    def fields(self) -> dict:
        return {"title": self.title, "summary": self.summary, "partner": self.partner, "chapters": self.chapters, "problems": self.problems}


def card_of(path: Path, kind: str, digest: str, scenario, problems: int, data: bytes | None = None) -> Card:
    """The card of a compiled story (`scenario` None: it has `problems` errors)."""
    if scenario is None:
        return Card(path, kind, digest, None, problems=max(problems, 1), data=data)
    return Card(path, kind, digest, scenario.title, scenario.summary or "", scenario.partner or "", len(scenario.chapters), 0, data)


def _valid(entry: object) -> dict | None:
    """A cached card's fields if every one has the type and size a card has, else None."""
    if not isinstance(entry, dict):
        return None
    title, summary, partner = entry.get("title"), entry.get("summary"), entry.get("partner")
    chapters, problems = entry.get("chapters"), entry.get("problems")
    if title is not None and not isinstance(title, str):
        return None
    if not (isinstance(summary, str) and isinstance(partner, str)):
        return None
    if any(isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 1_000_000 for n in (chapters, problems)):
        return None
    if any(len(text) > MAX_FIELD for text in (title or "", summary, partner)):
        return None
    if (title is None) != (problems > 0):
        return None
    return {"title": title, "summary": summary, "partner": partner, "chapters": chapters, "problems": problems}


class CardCache(CardFile):
    """The cards file: read once, looked up by digest, written back if anything changed."""

    file = CACHE_FILE
    format = CARD_FORMAT

    @property
    def max_bytes(self) -> int:  # (the module's, read when used)
        return MAX_CACHE_BYTES

    @property
    def max_cards(self) -> int:
        return MAX_CARDS

    def keep(self, key: str, entry: object) -> dict | None:
        return _valid(entry) if len(key) == 64 else None

    def get(self, digest: str) -> dict | None:
        return self.take(digest)

    def put(self, card: Card) -> None:
        if card.digest:
            self.store(card.digest, card.fields())


def _read(path: Path) -> tuple[bytes | None, str]:
    """The file's bytes and their digest; (None, a digest of the path) when it cannot be read,
    so the card of an unreadable file is never taken from the cache."""
    try:
        data = read_regular(path, MAX_SCENARIO_BYTES)
    except (OSError, UnusableFile):
        return None, ""
    return data, hashlib.sha256(data).hexdigest()


def read_cards(files: Iterable[tuple[Path, str]], cache: CardCache) -> tuple[list[Card], list[int]]:
    """The card of each (path, kind) from the cache, and the indices of those it lacks
    (their cards carry the bytes read, for `compile_card`)."""
    cards: list[Card] = []
    missing: list[int] = []
    for path, kind in files:
        data, digest = _read(path)
        fields = cache.get(digest) if digest else None
        if fields is None:
            missing.append(len(cards))
            cards.append(Card(path, kind, digest, None, problems=1, data=data))
        else:
            cards.append(Card(path, kind, digest, data=data, **fields))
    return cards, missing


def compile_card(card: Card):
    """(the card as the compiled file has it, the LoadResult): reads the file only if its
    bytes were not kept."""
    from .loader import load_bytes, load_path

    if card.data is not None:
        result = load_bytes(card.data, str(card.path), analyse=False)
    else:
        result = load_path(str(card.path), analyse=False)
    return card_of(card.path, card.kind, card.digest, result.scenario, len(result.errors), card.data), result
