"""The library's story cards and the cache that lets the list come up before any story is compiled."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenario_game import cards
from scenario_game.cards import (
    CACHE_FILE,
    CardCache,
    cache_folder,
    compile_card,
    read_cards,
)

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "format_example.toml"


def _files(folder: Path) -> list[tuple[Path, str]]:
    return [(p, "yours") for p in sorted(folder.glob("*.toml"))]


def _library(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "example.toml")
    (folder / "broken.toml").write_text("format = 1\n[scenario]\ntitle = 'No chapters'\n", encoding="utf-8")
    return folder


def _compile_all(found, cache):
    return [compile_card(card)[0] for card in found]


def test_a_second_start_takes_every_card_from_the_cache_and_they_match_the_compiled_stories(tmp_path):
    folder, where = _library(tmp_path), tmp_path / "cache"
    first = CardCache(where)
    found, missing = read_cards(_files(folder), first)
    assert missing == [0, 1]  # nothing cached yet
    compiled = _compile_all(found, first)
    for card in compiled:
        first.put(card)
    first.save()

    again, missing = read_cards(_files(folder), CardCache(where))
    assert missing == []
    assert [c.fields() for c in again] == [c.fields() for c in compiled]
    broken, example = again
    assert example.title == "The Quiet Dinner" and example.chapters == 2 and example.partner == "Sam" and example.playable
    assert not broken.playable and broken.problems >= 1


def test_an_edited_file_is_not_taken_from_the_cache(tmp_path):
    folder, where = _library(tmp_path), tmp_path / "cache"
    cache = CardCache(where)
    found, _ = read_cards(_files(folder), cache)
    for card in _compile_all(found, cache):
        cache.put(card)
    cache.save()
    story = folder / "example.toml"
    story.write_text(story.read_text(encoding="utf-8").replace("The Quiet Dinner", "A Louder Dinner"), encoding="utf-8")

    again, missing = read_cards(_files(folder), CardCache(where))
    assert missing == [1]
    assert compile_card(again[1])[0].title == "A Louder Dinner"


def test_the_cache_file_is_private_and_written_whole(tmp_path):
    folder, where = _library(tmp_path), tmp_path / "cache"
    cache = CardCache(where)
    found, _ = read_cards(_files(folder), cache)
    for card in _compile_all(found, cache):
        cache.put(card)
    cache.save()
    assert stat.S_IMODE(os.stat(where / CACHE_FILE).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(where).st_mode) == 0o700
    assert [p.name for p in where.iterdir()] == [CACHE_FILE]  # no temporary file left behind
    data = json.loads((where / CACHE_FILE).read_text(encoding="ascii"))
    assert data["format"] == cards.CARD_FORMAT and len(data["cards"]) == 2


def test_only_the_most_recent_cards_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(cards, "MAX_CARDS", 3)
    cache = CardCache(tmp_path)
    for n in range(5):
        cache.put(cards.Card(Path(f"s{n}.toml"), "yours", f"{n:064d}", f"Story {n}", chapters=1))
    cache.save()
    kept = CardCache(tmp_path).cards
    assert sorted(kept) == [f"{n:064d}" for n in (2, 3, 4)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"format": 1, "game": "0.0.0-other", "cards": {}}',
        '{"format": 99, "cards": {}}',
        "[" * 100_000,
    ],
)
def test_a_cache_that_cannot_be_used_is_ignored(tmp_path, text):
    (tmp_path / CACHE_FILE).write_text(text, encoding="utf-8")
    assert CardCache(tmp_path).cards == {}


def test_an_oversized_or_special_cache_file_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(cards, "MAX_CACHE_BYTES", 10)
    (tmp_path / CACHE_FILE).write_text(json.dumps({"format": 1, "game": "x", "cards": {}}), encoding="utf-8")
    assert CardCache(tmp_path).cards == {}
    fifo_folder = tmp_path / "fifo"
    fifo_folder.mkdir()
    os.mkfifo(fifo_folder / CACHE_FILE)
    assert CardCache(fifo_folder).cards == {}  # refused, not waited on


def _cache_text(entries: dict) -> str:
    from scenario_game import __version__

    return json.dumps({"format": cards.CARD_FORMAT, "game": __version__, "cards": entries})


GOOD = {"title": "T", "summary": "", "partner": "", "chapters": 1, "problems": 0}


@pytest.mark.parametrize(
    "entry",
    [
        {**GOOD, "title": 5},
        {**GOOD, "chapters": "3"},
        {**GOOD, "chapters": True},
        {**GOOD, "chapters": -1},
        {**GOOD, "problems": 2},  # a title and problems: not a card the game writes
        {**GOOD, "title": None},  # no title and no problems either
        {**GOOD, "summary": "x" * 5000},
        {k: v for k, v in GOOD.items() if k != "partner"},
        "a string",
    ],
)
def test_cards_of_the_wrong_shape_are_dropped(tmp_path, entry):
    (tmp_path / CACHE_FILE).write_text(_cache_text({"a" * 64: GOOD, "b" * 64: entry}), encoding="utf-8")
    assert list(CardCache(tmp_path).cards) == ["a" * 64]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=70), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(entries=st.dictionaries(st.text(max_size=70), json_values, max_size=5))
def test_whatever_the_cache_holds_reading_it_never_fails_and_keeps_only_whole_cards(tmp_path, entries):
    (tmp_path / CACHE_FILE).write_text(_cache_text(entries), encoding="utf-8")
    for digest, fields in CardCache(tmp_path).cards.items():
        assert len(digest) == 64
        assert set(fields) == set(GOOD) and (fields["title"] is None) == (fields["problems"] > 0)


def test_a_cache_folder_that_cannot_be_written_is_no_problem(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    cache = CardCache(blocker / "cache")
    cache.put(cards.Card(Path("s.toml"), "yours", "0" * 64, "Story", chapters=1))
    cache.save()  # silently not written
    assert cache.changed


def test_the_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "reconnect"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(tmp_path / "mine"))
    assert cache_folder() == tmp_path / "mine"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", "off")
    assert cache_folder() is None
    assert CardCache(None).cards == {}


def test_an_unreadable_file_is_never_taken_from_the_cache(tmp_path):
    folder = _library(tmp_path)
    (folder / "fifo.toml").unlink(missing_ok=True)
    os.mkfifo(folder / "fifo.toml")
    cache = CardCache(tmp_path / "cache")
    cache.cards[hashlib.sha256(b"").hexdigest()] = dict(GOOD)  # what an empty read would hash to
    found, missing = read_cards(_files(folder), cache)
    fifo = next(i for i, c in enumerate(found) if c.path.name == "fifo.toml")
    assert fifo in missing
    card, result = compile_card(found[fifo])
    assert not card.playable and result.scenario is None
    cache.put(card)  # an unreadable file has no digest: nothing is cached for it
    assert "" not in cache.cards
