"""Where things are in a TOML file: tomllib gives values but no positions.

The scanner reads the text once and records the line of every table header, every
array-of-tables element (`[[chapters.nodes]]`, or `{...}` inside an inline array) and
every key, under a location path such as ("chapters", 0, "nodes", 2, "goto").
It only needs to be right for files that tomllib accepted.
"""

from __future__ import annotations

import re

Location = tuple  # of str and int

_HEADER = re.compile(r"^\s*(\[\[|\[)(.*?)(\]\]|\])\s*(#.*)?$")
_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")  # a key, dotted or not, up to its '='

_DOTTED_PART = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)\s*""")


def _split_dotted(text: str) -> list[str]:
    parts = []
    pos = 0
    while pos <= len(text):
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
        return key[1:-1]
    return key


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
        array: _ArrayScan | None = None
        for lineno, raw in enumerate(text.split("\n"), 1):
            if multiline is not None:
                if raw.count(multiline) % 2 == 1:
                    multiline = None
                continue
            if array is not None:
                if array.feed(raw, lineno, self.lines):
                    array = None
                continue
            header = _HEADER.match(raw)
            if header and len(header.group(1)) == len(header.group(3)):
                parts = _split_dotted(header.group(2))
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
                self.lines[current] = lineno
                continue
            key = _KEY.match(raw)
            if not key:
                continue
            loc = current
            for part in _split_dotted(key.group(1)):  # `effects.trust = 5` names effects and effects.trust
                loc = loc + (part,)
                self.lines.setdefault(loc, lineno)
            value = raw[key.end():].lstrip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) % 2 == 1:
                    multiline = quote
                    break
            if value.startswith("["):
                scan = _ArrayScan(loc)
                if not scan.feed(value, lineno, self.lines):
                    array = scan


class _ArrayScan:
    """Follows an inline array over lines, noting the line of each `{...}` element."""

    def __init__(self, loc: Location) -> None:
        self.loc = loc
        self.depth = 0
        self.braces = 0
        self.count = 0

    def feed(self, text: str, lineno: int, lines: dict) -> bool:
        """Scan one line; True when the array closed on it."""
        pos = 0
        while pos < len(text):
            char = text[pos]
            if char in "\"'":
                end = pos + 1
                while end < len(text) and text[end] != char:
                    end += 2 if (char == '"' and text[end] == "\\") else 1
                pos = end + 1
                continue
            if char == "#":
                break
            if char == "[":
                self.depth += 1
            elif char == "]":
                self.depth -= 1
                if self.depth == 0 and self.braces == 0:
                    return True
            elif char == "{":
                if self.depth == 1 and self.braces == 0:
                    lines.setdefault(self.loc + (self.count,), lineno)
                    self.count += 1
                self.braces += 1
            elif char == "}":
                self.braces -= 1
            pos += 1
        return False
