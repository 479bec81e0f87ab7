"""The one place that makes untrusted text safe for a terminal or a text file.

Scenario files, saves and file names come from other people. A control character in
them could move the cursor, clear the screen, set the window title or write the
clipboard (OSC 52), and a bidirectional override could make a line read differently
from what it holds. So every such character is shown visibly escaped, as less(1)
shows them, and never emitted:

- C0 controls except newline and tab, DEL and C1 controls: ``\\x1b``, ``\\x7f``, ``\\x9b``;
- bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): ``\\u202e``;
- lone surrogates (undecodable bytes of a file name): ``\\udcff``.

The left-to-right and right-to-left marks (U+200E, U+200F) are left alone: they cannot
reorder text beyond themselves, and right-to-left stories use them. A backslash is not
doubled, so the escaping is for reading, not for round trips.
No Textual or Rich here: the TUI, the CLI and the file writers all use this module.
"""

from __future__ import annotations

import json
import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Characters that never reach a terminal or a text file raw."""

UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What `json.dumps(..., ensure_ascii=False)` leaves raw among the unsafe characters."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character and bidi override shown escaped (see above)."""
    if UNSAFE.search(text) is None:  # the common case costs one scan
        return text
    return UNSAFE.sub(_escape, text)


def visible_line(text: str) -> str:
    """`visible`, with newlines and tabs escaped too: for one-line places (a title, a cell)."""
    return visible(text).replace("\n", "\\n").replace("\t", "\\t")


def json_text(data: object, **options) -> str:
    """`json.dumps` whose output holds no raw control character or bidi override:
    json escapes C0 itself; DEL, C1, bidi controls and lone surrogates become `\\uXXXX`."""
    text = json.dumps(data, ensure_ascii=False, **options)
    return UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class OutputError(Exception):
    """The output stream cannot be written (closed, full, or an I/O error); not a broken
    pipe, which stays a BrokenPipeError so the command can end quietly."""


class SafeStream:
    """A text stream that writes everything through `visible`: for output that carries
    untrusted text (plain play, every CLI line), so no writer of it can forget."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(visible(text))
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed
            raise OutputError(getattr(exc, "strerror", None) or str(exc)) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise OutputError(getattr(exc, "strerror", None) or str(exc)) from None

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()
