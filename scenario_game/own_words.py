"""Say it your own way: at a decision the player writes a reply, the coach reads it, and
the story goes on with the authored reply closest in style, or, when the coach cannot
tell which one that is, the player picks one of the replies on offer.

Shared by plain play and the TUI's play screen; no Textual here. The player's words are
untrusted text like any other: callers show them literally (plain play writes through
`safetext`, the TUI through `Content`, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .limits import MAX_REPLY
from .model import Choice, Scenario
from .records import frozen
from .safetext import visible_line

if TYPE_CHECKING:  # the coach is imported when the player first writes a reply
    from .coach import Reading

AS_IF = "The story goes on as if you had said:"
PICK = "The coach can't tell which reply is closest to your words: pick the one nearest what you meant."


@frozen
class OwnWords:
    """The player's words at one decision, the coach's reading of them, and the reply the
    story goes on with (`choice`, shown as `number`), or None when the player should pick."""

    text: str
    reading: Reading
    choice: Choice | None
    number: int | None

    @property
    def clear(self) -> bool:
        return self.choice is not None


def cleaned(text: str) -> str:
    """The words as the coach reads them: one line, surrounding space trimmed, at most
    `MAX_REPLY` characters (the rest is ignored)."""
    return " ".join(text.split())[:MAX_REPLY]


def say_it(text: str, offered: Sequence[Choice], scenario: Scenario) -> OwnWords:
    """Read `text` and find the reply on offer (numbered from 1 as shown) closest to it."""
    words = cleaned(text)
    from .coach import closest_choice, read

    reading = read(words)
    choice, clear = closest_choice(reading, list(offered), scenario.styles)
    if choice is None or not clear:
        return OwnWords(words, reading, None, None)
    number = next(n for n, c in enumerate(offered, 1) if c is choice)
    return OwnWords(words, reading, choice, number)


def advice_titles(scenario: Scenario) -> dict[str, str]:
    return {aid: advice.title for aid, advice in scenario.advice.items()}


def style_labels(scenario: Scenario) -> dict[str, str]:
    return {sid: style.label for sid, style in scenario.styles.items()}


def lines(own: OwnWords, scenario: Scenario) -> list[str]:
    """What plain play prints: the words, the reading, then how the story goes on. Each
    line is safe to print (the player's words shown with controls escaped)."""
    out = [visible_line(f"You wrote: {own.text}")]
    from .coach import reading_lines

    out += [visible_line(line) for line in reading_lines(own.reading, advice_titles(scenario), style_labels(scenario))]
    if own.choice is not None:
        out.append(visible_line(f"{AS_IF} {own.number}. {own.choice.text}"))
    else:
        out.append(PICK)
    return out
