"""A located problem in a scenario file (`PATH:LINE: error: MESSAGE`), shared by the
loader and the analysis so that neither imports the other for it."""

from __future__ import annotations

from .records import frozen


@frozen
class Problem:
    path: str
    line: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"
