"""`frozen`: the game's immutable records, attrs classes with one shared `__repr__`.

attrs writes and compiles a `__repr__` for every class it builds, and about fifty are built
before the TUI's first play screen; generating their reprs (for debugging and test messages
only) was half of the time spent making those classes. This one function gives the same
text attrs would (`Name(field=value, ...)`, fields with `repr=False` left out).
"""

from __future__ import annotations

import attrs


def _repr(self) -> str:
    shown = ", ".join(f"{field.name}={getattr(self, field.name)!r}" for field in attrs.fields(type(self)) if field.repr)
    return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({shown})"


def frozen(cls=None, /, **options):
    """`attrs.frozen`, with the shared `__repr__` unless the class writes its own."""

    def build(cls):
        if "__repr__" in cls.__dict__:
            return attrs.frozen(cls, **options)
        made = attrs.frozen(cls, repr=False, **options)
        made.__repr__ = _repr
        return made

    return build if cls is None else build(cls)
