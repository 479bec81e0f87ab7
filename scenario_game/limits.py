"""Bounds on what files and the command line may ask for, said once.

Every integer from a scenario, a save or the command line has at most `MAX_DIGITS`
digits, so meters, effects and condition literals stay far from Python's limit on
printing long integers (4,300 digits) whatever the engine adds up, and no reader
spends quadratic time converting a huge number.
"""

from __future__ import annotations

MAX_SCENARIO_BYTES = 16 * 1024 * 1024  # a long story is well under 1 MiB
MAX_REPLY = 2_000  # characters the coach reads of one reply written in the player's own words
MAX_DIGITS = 18
MAX_NUMBER = 10**MAX_DIGITS - 1


def too_long(value: int) -> bool:
    """Whether an integer has more than `MAX_DIGITS` digits."""
    return not -MAX_NUMBER <= value <= MAX_NUMBER


def digits_too_long(digits: str) -> bool:
    """Whether a run of decimal digits (leading zeros aside) is longer than `MAX_DIGITS`."""
    return len(digits.lstrip("0")) > MAX_DIGITS


def shown(digits: str) -> str:
    """A long number as a message shows it: its first digits and how many there are."""
    return digits if len(digits) <= 24 else f"{digits[:12]}… ({len(digits)} digits)"
