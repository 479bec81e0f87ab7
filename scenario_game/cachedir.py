"""The player's cache folder, where the library's story cards (cards.py) and the first
scenes of stories (firstscene.py) are kept between starts. Standard library only (and
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
