"""Saved runs: one playthrough, saved as one TOML file after every reply.

One job per module:
- `record`: the run record (the session's history plus where it came from and stopped);
- `saveformat`: the TOML save format and its versions (writing and reading);
- `store`: the atomic folder store (file names, atomic writes);
- `recorder`: the session observer that keeps a run and saves it after every reply;
- `listing`: the saves in a folder, which belong to a scenario, `scenario-game runs`;
- `start`: where play starts (a new run, a chapter replay, a run going on).

The names below are the public API; import them from `scenario_game.runs`.
"""

from __future__ import annotations

from .listing import (
    CHANGED,
    MISSING,
    SAME,
    SavedRun,
    find_save,
    inspect,
    latest_unfinished,
    list_runs,
    same_scenario,
    scenario_runs,
    scenario_state,
)
from .record import CHAPTER, FULL, MODES, STATUSES, ChapterStart, Run, SaveError, Step, position_of
from .recorder import Recorder, new_run
from .saveformat import MAX_SAVE_BYTES, READABLE_VERSIONS, SAVE_VERSION, SaveText, read_run, run_document, run_from_toml, run_to_toml
from .start import LATEST, StartPlan, plan_play
from .store import atomic_write, file_digest, new_save_name, save, save_new

__all__ = [
    "CHANGED",
    "CHAPTER",
    "FULL",
    "LATEST",
    "MAX_SAVE_BYTES",
    "MISSING",
    "MODES",
    "READABLE_VERSIONS",
    "SAME",
    "SAVE_VERSION",
    "STATUSES",
    "ChapterStart",
    "Recorder",
    "Run",
    "SaveError",
    "SaveText",
    "SavedRun",
    "StartPlan",
    "Step",
    "atomic_write",
    "file_digest",
    "find_save",
    "inspect",
    "latest_unfinished",
    "list_runs",
    "new_run",
    "new_save_name",
    "plan_play",
    "position_of",
    "read_run",
    "run_document",
    "run_from_toml",
    "run_to_toml",
    "same_scenario",
    "save",
    "save_new",
    "scenario_runs",
    "scenario_state",
]
