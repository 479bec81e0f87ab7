"""Textual's parsed CSS kept between starts (tui/stylecache.py): used when it is ours and
whole, ignored otherwise, and the screen looks the same either way."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from scenario_game.tui import stylecache
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.play import PlayScreen

from test_firstscene import _play, _until
from test_tui import screen_text

EXAMPLE = str(Path(__file__).parent / "fixtures" / "format_example.toml")


@pytest.fixture(autouse=True)
def _cards_kept_at_once(monkeypatch):
    from scenario_game.tui import app as app_module

    monkeypatch.setattr(app_module, "REMEMBER_AFTER", 0.01)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(folder))
    return folder


def _parses(monkeypatch) -> list[str]:
    """The CSS sources Textual actually parses from now on."""
    parsed: list[str] = []
    real = stylecache.Stylesheet._parse_rules

    def counting(self, css, *args, **kwargs):
        parsed.append(css)
        return real(self, css, *args, **kwargs)

    monkeypatch.setattr(stylecache.Stylesheet, "_parse_rules", counting)
    return parsed


async def test_a_second_start_parses_no_css_and_looks_the_same(cache, tmp_path, monkeypatch):
    parsed = _parses(monkeypatch)
    app = ReconnectApp(EXAMPLE, saves_folder=str(tmp_path / "saves"), seed=7)
    async with app.run_test(size=(100, 36)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, PlayScreen) and app.screen.session is not None, "a session plays")
        await _until(pilot, lambda: "1-9 Reply" in screen_text(app), "the footer shows the keys")
        first = screen_text(app)
        app._styles.save()  # (`run_app` saves once the first screen is up, and at exit)
    assert parsed, "the first start parses the CSS"
    parsed.clear()
    second = await _play(EXAMPLE, tmp_path / "saves")
    assert parsed == [], "every rule came from the cache"
    assert second == first


def _spoil(cache: Path, data: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / stylecache.CACHE_FILE
    path.write_bytes(data)
    path.chmod(0o600)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pickle",
        pickle.dumps(["a", "list"]),
        pickle.dumps({"format": 99, "textual": "x", "rules": {}}),
        pickle.dumps({"format": stylecache.FORMAT, "textual": "another textual", "rules": {b"k": []}}),
        pickle.dumps({"format": stylecache.FORMAT, "rules": "not a dict"}),
    ],
)
def test_a_cache_file_that_is_not_whole_and_ours_is_ignored(cache, data):
    _spoil(cache, data)
    assert stylecache.RuleStore(cache).rules == {}


def test_a_file_others_may_write_or_too_big_is_not_read(cache):
    whole = {"format": stylecache.FORMAT, "textual": stylecache._textual(), "rules": {b"k": []}}
    _spoil(cache, pickle.dumps(whole))
    assert stylecache.RuleStore(cache).rules == {b"k": []}
    (cache / stylecache.CACHE_FILE).chmod(0o620)
    assert stylecache.RuleStore(cache).rules == {}
    _spoil(cache, pickle.dumps(whole) + b"\0" * (stylecache.MAX_BYTES + 1))
    assert stylecache.RuleStore(cache).rules == {}


async def test_a_spoiled_cache_still_gives_the_same_screen(cache, tmp_path):
    first = await _play(EXAMPLE, tmp_path / "saves")
    _spoil(cache, b"\x80\x05garbage")
    assert await _play(EXAMPLE, tmp_path / "saves") == first


def test_no_cache_when_it_is_turned_off(monkeypatch):
    monkeypatch.setenv("SCENARIO_GAME_CACHE", "off")
    app = ReconnectApp(EXAMPLE)
    assert app._styles is None and type(app.stylesheet) is stylecache.Stylesheet


def test_the_store_is_written_privately(cache):
    store = stylecache.RuleStore(cache)
    store.put(b"key", [])
    store.save()
    path = cache / stylecache.CACHE_FILE
    assert path.stat().st_mode & 0o777 == 0o600 and cache.stat().st_mode & 0o777 == 0o700
    assert stylecache.RuleStore(cache).rules == {b"key": []}
    assert not [p for p in os.listdir(cache) if p.endswith(".tmp")]
