"""The first scene of a story as a new run shows it, remembered between starts.

`scenario-game play FILE` used to draw its first screen only once the story was compiled:
importing the model (attrs builds its classes then), reading the TOML and checking it
took about a sixth of the time to that screen. So, as the library keeps story cards
(cards.py), a new run keeps a *scene card*: what the play screen shows before the first
reply (the story's and chapter's titles, the opening scene's lines, the replies open at
the first decision, the meters), in the player's cache folder, under the SHA-256 of the
file's bytes and the chapter asked for. The next start reads the file, hashes it, and
draws the play screen from the card at once; the story is compiled just after that frame,
the card is checked against the real session (field by field, and the reply order its
seed gives), and the screen is handed that session. A key pressed in between waits for it
and then counts. A card that turns out different is dropped and the screen made again
from the session, so the card is only ever an optimisation: a missing, unreadable,
oversized or malformed cache means the story is compiled first, as if there were none.

Only the standard library is imported here (with cards.py's cache folder and bounded
reading), so the screen can be drawn before the game's model is imported at all. Cards
are validated field by field when read, and their text goes through the same literal-text
path as every string from a file. `SCENARIO_GAME_CACHE=off` turns the cache off.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from .cachedir import CardFile, cache_folder
from .limits import MAX_SCENARIO_BYTES
from .safeio import UnusableFile, read_regular

CACHE_FILE = "scene-cards.json"
CARD_FORMAT = 1
MAX_CACHE_BYTES = 4 * 1024 * 1024
MAX_CARDS = 100  # the most recently used are kept
MAX_TEXT = 20_000  # characters of one line, reply or title on a card
MAX_ITEMS = 500  # lines, replies or meters on a card
MAX_NUMBER = 10**18


def reply_order(seed: int | None, node_id: str, count: int) -> list[int]:
    """The indices of a node's `count` replies in the order a run with `seed` shows them:
    file order without a seed, else shuffled by (seed, node), so a run shows the same order
    wherever it is played. (The session's `shown_order` is this.)"""
    indices = list(range(count))
    if seed is not None and count > 1:
        import random

        random.Random(f"{seed}:{node_id}").shuffle(indices)
    return indices


# Named tuples rather than dataclasses: a dataclass writes and compiles its methods when
# defined, which at start-up is time taken from the first frame.


class Line(NamedTuple):
    """One node of the opening scene as the story shows it."""

    speaker: str
    mood: str
    text: str


class Reply(NamedTuple):
    """A reply open at the first decision: its index among the node's choices, its text."""

    index: int
    text: str


class Gauge(NamedTuple):
    """A meter as the meter panel draws it (the fields it reads of the model's `Meter`)."""

    name: str
    label: str
    min: int
    max: int
    value: int


class SceneCard(NamedTuple):
    title: str
    partner: str  # the scenario's partner ("" if it names none)
    chapter_title: str
    chapter_number: int  # from 1
    chapters: int
    node: str  # where the first decision is
    choices: int  # how many choices that node has (open or not), for the reply order
    lines: tuple[Line, ...]
    replies: tuple[Reply, ...]  # the open ones, in file order
    gauges: tuple[Gauge, ...]

    def offered(self, seed: int | None) -> list[Reply]:
        """The open replies in the order a run with `seed` shows them (as `Session.offered`)."""
        if seed is None or len(self.replies) < 2:
            return list(self.replies)
        rank = {index: place for place, index in enumerate(reply_order(seed, self.node, self.choices))}
        return sorted(self.replies, key=lambda reply: rank.get(reply.index, 0))


def card_of(session) -> SceneCard | None:
    """The card of a session that has just started a chapter and waits for its first reply
    (None for any other moment: a chapter that ends before any decision, a run resumed)."""
    from .engine import CHOOSING, open_choices

    state, scenario = session.state, session.scenario
    if state is None or session.steps or state.status != CHOOSING:
        return None
    parts = session.transcript()
    if len(parts) != 1:
        return None
    chapter = scenario.chapter(state.chapter)
    lines = tuple(Line(node.speaker or "", node.mood or "", node.text) for node in (scenario.nodes[n] for n in parts[0].nodes))
    return SceneCard(
        title=scenario.title,
        partner=scenario.partner or "",
        chapter_title=chapter.title,
        chapter_number=scenario.chapter_index(chapter.id) + 1,
        chapters=len(scenario.chapters),
        node=state.node,
        choices=len(scenario.nodes[state.node].choices),
        lines=lines,
        replies=tuple(Reply(choice.index, choice.text) for choice in open_choices(scenario, state)),
        gauges=tuple(Gauge(m.name, m.label, m.min, m.max, state.meter_values[m.name]) for m in scenario.meters),
    )


# --- the cache ----------------------------------------------------------------------------


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _number(value: object, low: int = -MAX_NUMBER) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_NUMBER


def _items(value: object, fields: tuple[str, ...], kinds: tuple) -> list[dict] | None:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        return None
    for item in value:
        if not isinstance(item, dict) or set(item) != set(fields):
            return None
        if not all(check(item[name]) for name, check in zip(fields, kinds)):
            return None
    return value


def _card(entry: object) -> SceneCard | None:
    """The card in a cached entry if every field has the type and size a card has, else None."""
    if not isinstance(entry, dict):
        return None
    try:
        lines = _items(entry.get("lines"), ("speaker", "mood", "text"), (_text, _text, _text))
        replies = _items(entry.get("replies"), ("index", "text"), (lambda n: _number(n, 0), _text))
        gauges = _items(entry.get("gauges"), ("name", "label", "min", "max", "value"), (_text, _text, _number, _number, _number))
        scalars = (entry.get("title"), entry.get("partner"), entry.get("chapter_title"), entry.get("node"))
        counts = (entry.get("chapter_number"), entry.get("chapters"), entry.get("choices"))
        if lines is None or replies is None or gauges is None or not replies:
            return None
        if not all(_text(s) for s in scalars) or not all(_number(n, 0) for n in counts):
            return None
        if any(g["min"] > g["max"] for g in gauges):
            return None
        return SceneCard(
            title=scalars[0],
            partner=scalars[1],
            chapter_title=scalars[2],
            chapter_number=counts[0],
            chapters=counts[1],
            node=scalars[3],
            choices=counts[2],
            lines=tuple(Line(**line) for line in lines),
            replies=tuple(Reply(**reply) for reply in replies),
            gauges=tuple(Gauge(**gauge) for gauge in gauges),
        )
    except (TypeError, ValueError):
        return None


def _entry(card: SceneCard) -> dict:
    """The card as the cache file keeps it (what `_card` reads back)."""
    fields = card._asdict()
    for name in ("lines", "replies", "gauges"):
        fields[name] = [item._asdict() for item in fields[name]]
    return fields


def _key(digest: str, chapter: str | None) -> str:
    return f"{digest}:{chapter or ''}"


class SceneCache(CardFile):
    """The scene cards file: read once, looked up by (digest, chapter), written back if changed."""

    file = CACHE_FILE
    format = CARD_FORMAT
    max_bytes = MAX_CACHE_BYTES
    max_cards = MAX_CARDS

    def get(self, digest: str, chapter: str | None) -> SceneCard | None:
        return _card(self.take(_key(digest, chapter)))

    def put(self, digest: str, chapter: str | None, card: SceneCard | None) -> None:
        self.store(_key(digest, chapter), _entry(card) if card is not None else None)


class Opening(NamedTuple):
    """A story file read for play, with its scene card if the cache has one."""

    data: bytes
    digest: str
    card: SceneCard | None


def open_for_play(path: str, chapter: str | None) -> Opening | None:
    """The file's bytes, digest and cached card; None if it cannot be read (the loader then
    reads it again and says why)."""
    try:
        data = read_regular(path, MAX_SCENARIO_BYTES)
    except (OSError, UnusableFile):
        return None
    digest = hashlib.sha256(data).hexdigest()
    folder = cache_folder()
    card = SceneCache(folder).get(digest, chapter) if folder is not None else None
    return Opening(data, digest, card)


def remember(digest: str, chapter: str | None, card: SceneCard | None) -> None:
    """Keep `card` (None: forget any) for the file with `digest` and `chapter` (call off the UI thread)."""
    folder = cache_folder()
    if folder is None or not digest:
        return
    cache = SceneCache(folder)
    cache.put(digest, chapter, card)
    cache.save()
