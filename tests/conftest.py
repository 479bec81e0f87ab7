"""Every test plays in its own data and cache folders: nothing reaches the real player's saves
or cache."""

from __future__ import annotations

import sys

import pytest

# The suite keeps its bytecode (assert-rewritten test modules and the package, in the
# checkout's gitignored __pycache__ folders) even where PYTHONDONTWRITEBYTECODE is set:
# without it each of the four workers compiled everything again on every run, about 2 s of
# CPU each, a tenth of the suite's time on two cores.
sys.dont_write_bytecode = False


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.delenv("SCENARIO_GAME_SAVES", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("SCENARIO_GAME_CACHE", raising=False)


def pytest_collection_finish(session):
    """Once the tests are collected, what they imported (Textual, the game, hypothesis) lives
    to the end: freeze it out of the collector's sight and collect less often. The cyclic
    collector walking those objects again and again cost about a tenth of the suite's time.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
