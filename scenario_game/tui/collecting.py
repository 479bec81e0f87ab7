"""When the TUI's Python collects cyclic garbage: not in the middle of a reply's frame.

Start-up runs with the collector off (`cli._pause_garbage_collection`). Once the first
screen is up, what start-up made is frozen (later passes skip it) and the collector resumes
with its oldest generation almost never collected on its own: a pass over the oldest
generation took 15-25 ms during play, and one landing in a reply's frame made that frame
two or three frames late. The play screen asks for a whole pass instead while the player
reads the feedback of a reply (`collect_soon`), which keeps memory in check at a moment no
key is waiting.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 700  # allocations between passes over the youngest generation (as Python)
MIDDLE_THRESHOLD = 10
OLDEST_THRESHOLD = 1_000  # passes over the middle one between automatic whole passes (Python: 10)
READING_SECONDS = 0.4  # after a reply's frame: the player is reading, no key is expected yet


def resume() -> None:
    """Undo the start-up pause once the first screen is up (no-op if the collector is on)."""
    if not gc.isenabled():
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLDEST_THRESHOLD)
        gc.enable()


def collect_now() -> None:
    """A whole pass, now (called while the player reads)."""
    gc.collect()


def collect_soon(widget) -> None:
    """A whole pass once the player has had a moment to start reading what `widget` shows."""
    widget.set_timer(READING_SECONDS, collect_now)
