"""How many examples the property tests try.

The README's test command runs a quick budget so the whole suite stays within a minute;
CI runs the property suites once more with SCENARIO_GAME_TEST_THOROUGH=1, which tries four
times as many (`.ci/run`). Failing examples hypothesis has found are kept in its database
(.hypothesis/) and tried first on every run, whatever the budget.
"""

from __future__ import annotations

import os

THOROUGH = os.environ.get("SCENARIO_GAME_TEST_THOROUGH", "") not in ("", "0")


def examples(quick: int) -> int:
    """`quick` examples in the default run, four times as many when thorough."""
    return quick * 4 if THOROUGH else quick
