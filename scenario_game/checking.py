"""`scenario-game check` for one file: the loader's problems, then the analysis's, in line
order. Here rather than in the analysis, so the analysis never imports the loader."""

from __future__ import annotations

from .analysis import Report, analyse
from .loader import load_path


def check_path(path, exact: bool = False) -> tuple[tuple, Report | None]:
    """What `check` says about one file: every problem (load errors, or the format's
    warnings and the deep ones), in line order, and the report when the file loads
    (with `exact`, from every run where there are few enough to play them all)."""
    result = load_path(path, analyse=False)
    if result.scenario is None:
        return result.problems, None
    report = analyse(result.scenario, exact=exact)
    problems = sorted(result.problems + report.problems, key=lambda p: p.line)
    return tuple(problems), report
