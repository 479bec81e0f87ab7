"""Where things are in a TOML file: tomllib gives values but no positions.

The scanner reads the text once and records the line of every table header, every
array-of-tables element (`[[chapters.nodes]]`, or `{...}` inside an inline array) and
every key, under a location path such as ("chapters", 0, "nodes", 2, "goto").
It only needs to be right for files that tomllib accepted.
"""

from __future__ import annotations

import re
import tomllib

Location = tuple  # of str and int
MAX_DEPTH = 24  # key parts located; deeper ones (never part of the format) share their parent's line, so the map stays linear

_HEADER = re.compile(r"^\s*(\[\[|\[)(.*?)(\]\]|\])\s*(#.*)?$")
_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")  # a key, dotted or not, up to its '='

_INLINE_KEY = re.compile(rf"({_PART}(?:\s*\.\s*{_PART})*)\s*=")  # a key inside an inline table
_BARE_KEY = re.compile(r"\s*([A-Za-z0-9_\-]+)\s*=")  # the common case: one bare key
_DOTTED_PART = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)\s*""")


def _split_dotted(text: str) -> list[str]:
    """The parts of a dotted key, unquoted; only the first MAX_DEPTH (see above)."""
    parts = []
    pos = 0
    while pos <= len(text) and len(parts) < MAX_DEPTH:
        match = _DOTTED_PART.match(text, pos)
        if not match:
            break
        parts.append(_unquote(match.group(1)))
        pos = match.end()
        if pos < len(text) and text[pos] == ".":
            pos += 1
        else:
            break
    return parts


def _unquote(key: str) -> str:
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        if key[0] == '"' and "\\" in key:  # escapes, as the loader sees the key: "b\"ad" is b"ad
            try:
                return next(iter(tomllib.loads(key + " = 0")))
            except (tomllib.TOMLDecodeError, StopIteration, ValueError):
                pass
        return key[1:-1]
    return key


def _string_end(text: str, pos: int, quote: str) -> int:
    """Where a multi-line string whose content starts at `pos` ends in `text` (the position
    after its closing quotes), or -1 when it goes on to the next line. In a basic string
    (three double quotes) a backslash escapes the next character, so an escaped quote
    followed by two more does not close it."""
    closing = quote * 3
    if quote == "'":
        end = text.find(closing, pos)
    else:
        end = -1
        while pos < len(text):
            if text[pos] == "\\":
                pos += 2
            elif text.startswith(closing, pos):
                end = pos
                break
            else:
                pos += 1
    if end < 0:
        return -1
    end += 3
    for _ in range(2):  # up to two more quotes belong to the content: `""""` ends in one
        if end < len(text) and text[end] == quote:
            end += 1
    return end


class LineMap:
    def __init__(self, text: str) -> None:
        self.lines: dict[Location, int] = {}
        self._counts: dict[Location, int] = {}
        try:
            self._scan(text)
        except Exception:  # pragma: no cover - a best-effort map must never stop a load
            pass

    def table(self, loc: Location) -> int:
        """The line of the table at `loc`, or of its nearest located parent; 1 at worst."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return 1

    def key(self, loc: Location, key: str) -> int:
        """The line of `key` in the table at `loc`, or the table's line."""
        found = self.lines.get(tuple(loc) + (key,))
        return found if found is not None else self.table(loc)

    def _resolve(self, parts: list[str]) -> Location:
        loc: Location = ()
        for part in parts:
            loc = loc + (part,)
            if loc in self._counts:
                loc = loc + (self._counts[loc] - 1,)
        return loc

    def _scan(self, text: str) -> None:
        current: Location = ()
        multiline: str | None = None
        array: _InlineScan | None = None
        headers: dict[str, list[str]] = {}  # `[[chapters.nodes]]` comes back thousands of times
        for lineno, raw in enumerate(text.split("\n"), 1):
            if multiline is not None:
                if _string_end(raw, 0, multiline[0]) >= 0:
                    multiline = None
                continue
            if array is not None:
                if array.feed(raw, lineno, self.lines):
                    array = None
                continue
            first = raw.lstrip()[:1]
            if not first or first == "#":
                continue
            simple = _BARE_KEY.match(raw) if first != "[" else None
            if simple is not None:  # the common line, `key = value`: no dotted key to split
                loc = current + (simple.group(1),)
                self.lines.setdefault(loc, lineno)
                value = raw[simple.end():].lstrip()
                if value.startswith(('"""', "'''", "[", "{")):
                    multiline, array = self._value(value, loc, lineno)
                continue
            header = _HEADER.match(raw) if first == "[" else None
            if header and len(header.group(1)) == len(header.group(3)):
                parts = headers.get(header.group(2))
                if parts is None:
                    parts = headers[header.group(2)] = _split_dotted(header.group(2))
                if not parts:
                    continue
                if header.group(1) == "[[":
                    arr = self._resolve(parts[:-1]) + (parts[-1],)
                    index = self._counts.get(arr, 0)
                    self._counts[arr] = index + 1
                    self.lines.setdefault(arr, lineno)
                    current = arr + (index,)
                else:
                    current = self._resolve(parts)
                for end in range(1, len(current)):  # `[meters.trust]` also defines `meters`
                    self.lines.setdefault(current[:end], lineno)
                self.lines[current] = lineno
                continue
            key = _KEY.match(raw)
            if not key:
                continue
            loc = current
            for part in _split_dotted(key.group(1)):  # `effects.trust = 5` names effects and effects.trust
                loc = loc + (part,)
                self.lines.setdefault(loc, lineno)
            multiline, array = self._value(raw[key.end():].lstrip(), loc, lineno)

    def _value(self, value: str, loc: Location, lineno: int):
        """(the quote of a multi-line string left open, an inline scan left open) after `key =`."""
        for quote in ('"""', "'''"):
            if value.startswith(quote) and _string_end(value, 3, quote[0]) < 0:
                return quote, None
        if value.startswith(("[", "{")):
            scan = _InlineScan(loc)
            if not scan.feed(value, lineno, self.lines):
                return None, scan
        return None, None


class _Frame:
    def __init__(self, kind: str, loc: Location) -> None:
        self.kind = kind  # "array" or "table"
        self.loc = loc
        self.count = 0  # elements seen, in an array
        self.expect_key = kind == "table"
        self.value_loc: Location = loc  # in a table: where the value after `key =` goes


class _InlineScan:
    """Follows an inline array or table over lines, noting the line of every element
    and every key inside it, however deeply nested (`nodes = [{ choices = [{...}] }]`)."""

    def __init__(self, loc: Location) -> None:
        self.loc = loc
        self.stack: list[_Frame] = []
        self.open_string: str | None = None  # a multi-line string that goes on to the next line

    def feed(self, text: str, lineno: int, lines: dict) -> bool:
        """Scan one line; True when the outermost array or table closed on it."""
        pos = 0
        if self.open_string is not None:
            pos = _string_end(text, 0, self.open_string[0])
            if pos < 0:
                return False
            self.open_string = None
        while pos < len(text):
            char = text[pos]
            frame = self.stack[-1] if self.stack else None
            if char in " \t\r":
                pos += 1
                continue
            if char == "#":
                break
            if char == ",":
                if frame is not None and frame.kind == "table":
                    frame.expect_key = True
                pos += 1
                continue
            if char in "]}":
                if self.stack:
                    self.stack.pop()
                if not self.stack:
                    return True
                pos += 1
                continue
            if frame is not None and frame.kind == "table" and frame.expect_key:
                key = _INLINE_KEY.match(text, pos)
                if key is None:
                    pos += 1
                    continue
                loc = frame.loc
                for part in _split_dotted(key.group(1)):
                    loc = loc + (part,)
                    lines.setdefault(loc, lineno)
                frame.value_loc = loc
                frame.expect_key = False
                pos = key.end()
                continue
            # a value: note where an array element starts
            if frame is None:
                loc = self.loc
            elif frame.kind == "array":
                loc = frame.loc + (frame.count,)
                frame.count += 1
                lines.setdefault(loc, lineno)
            else:
                loc = frame.value_loc
            if char in "[{":
                self.stack.append(_Frame("array" if char == "[" else "table", loc))
                pos += 1
            elif char in "\"'":
                pos = self._skip_string(text, pos)
                if pos < 0:
                    return False
            else:
                while pos < len(text) and text[pos] not in ",]}#":
                    pos += 1
        return False

    def _skip_string(self, text: str, pos: int) -> int:
        """The position after the string starting at `pos`; -1 when it goes on past the line."""
        quote = text[pos]
        if text.startswith(quote * 3, pos):
            end = _string_end(text, pos + 3, quote)
            if end < 0:
                self.open_string = quote * 3
            return end
        end = pos + 1
        while end < len(text) and text[end] != quote:
            end += 2 if (quote == '"' and text[end] == "\\") else 1
        return end + 1
