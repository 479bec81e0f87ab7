"""What screens answer with when they close (`dismiss`), shared by the screens that show
them and the ones that act on the answer, so no screen imports a sibling for a word."""

from __future__ import annotations

NEXT, REPLAY, BACK = "next", "replay", "back"  # the chapter end: go on, play it again, leave
AGAIN = "again"  # the ending: play the scenario again from its start
