"""The TOML save format and its versions: a run record to one readable TOML document and back.

Save versions follow ink's habit: `save_version` is a top-level integer; the reader
accepts the versions in `READABLE_VERSIONS` and refuses others with a sentence. Optional
keys added since version 1 (`[run] seed`, `[run] keep_words`, a step's `written`) are read
when present.

Writing costs the same per reply however long the run: `SaveText` keeps every chapter
start and step already serialised and serialises only what is new, then joins the parts
into the one whole document (the same TOML as serialising the record at once).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import tomli_w

from .. import engine
from ..engine import State
from ..limits import MAX_DIGITS, shown, too_long
from ..safeio import UnusableFile, read_regular
from .record import FULL, MODES, STATUSES, ChapterStart, Run, SaveError, Step

SAVE_VERSION = 1
READABLE_VERSIONS = frozenset({1})
MAX_SAVE_BYTES = 32 * 1024 * 1024


# --- writing ------------------------------------------------------------------------


def _meters_table(meters: Iterable[tuple[str, int]]) -> dict[str, int]:
    return {name: int(value) for name, value in meters}


def _start_table(start: ChapterStart) -> dict:
    snapshot = start.snapshot
    return {
        "chapter": start.chapter,
        "first_step": start.first_step,
        "meters": _meters_table(snapshot.meters),
        "flags": sorted(snapshot.flags),
        "visits": {name: count for name, count in snapshot.visits},
        "taken": sorted(snapshot.taken),
    }


def _step_table(step: Step) -> dict:
    table = {
        "number": step.number,
        "chapter": step.chapter,
        "node": step.node,
        "shown": step.shown,
        "index": step.index,
        "text": step.text,
        "style": step.style,
        "style_label": step.style_label,
        "tone": step.tone,
        "before": _meters_table(step.before),
        "after": _meters_table(step.after),
        "passed": list(step.passed),
        "status": step.status,
    }
    if step.written is not None:
        table["written"] = step.written
    return table


def _position_table(position: State) -> dict:
    table: dict = {"chapter": position.chapter, "node": position.node, "status": position.status}
    if position.ending is not None:
        table["ending"] = position.ending
    if position.problem:
        table["problem"] = position.problem
    table["meters"] = _meters_table(position.meters)
    table["flags"] = sorted(position.flags)
    table["visits"] = {name: count for name, count in position.visits}
    table["taken"] = sorted(position.taken)
    return table


def _head_table(run: Run) -> dict:
    head: dict = {
        "scenario": run.scenario_id,
        "title": run.title,
        "file": run.scenario_file,
        "sha256": run.digest,
        "created": run.created,
        "updated": run.updated,
        "mode": run.mode,
        "chapter_count": run.chapter_count,
    }
    if run.replay_of:
        head["replay_of"] = run.replay_of
    if run.seed is not None:
        head["seed"] = run.seed
    if not run.keep_words:
        head["keep_words"] = False
    return head


def run_document(run: Run) -> dict:
    """The whole save as one TOML document (what `SaveText` writes part by part)."""
    return {
        "save_version": SAVE_VERSION,
        "run": _head_table(run),
        "chapters": [_start_table(c) for c in run.chapters],
        "steps": [_step_table(s) for s in run.steps],
        "position": _position_table(run.position),
        # Written last: a file cut short anywhere lacks it or disagrees with it.
        "end": {"steps": len(run.steps), "chapters": len(run.chapters)},
    }


class _Parts:
    """One array of tables (`[[steps]]`), each entry serialised once and kept."""

    def __init__(self, key: str, table) -> None:
        self.key = key
        self.table = table
        self.items: list = []
        self.texts: list[str] = []

    def update(self, items: tuple) -> list[str]:
        kept = len(self.items)
        # Records are appended, or replaced by new ones: the last kept one tells which.
        if kept > len(items) or (kept and items[kept - 1] is not self.items[-1]):
            # Not an extension of what was written (a test or a replay rewrote it): start over.
            kept = 0
        del self.items[kept:], self.texts[kept:]
        for item in items[kept:]:
            self.items.append(item)
            self.texts.append(_one_newline(tomli_w.dumps({self.key: [self.table(item)]})))
        return self.texts


class SaveText:
    """A run's save text, kept between saves so each reply serialises only its own step."""

    def __init__(self) -> None:
        self._chapters = _Parts("chapters", _start_table)
        self._steps = _Parts("steps", _step_table)

    def text(self, run: Run) -> str:
        head = tomli_w.dumps({"save_version": SAVE_VERSION, "run": _head_table(run)})
        tail = tomli_w.dumps(
            {
                "position": _position_table(run.position),
                # Written last: a file cut short anywhere lacks it or disagrees with it.
                "end": {"steps": len(run.steps), "chapters": len(run.chapters)},
            }
        )
        # Every part ends in one newline (the kept ones since they were made), so joining
        # them is one step, however long the run.
        return "\n".join([_one_newline(head), *self._chapters.update(run.chapters), *self._steps.update(run.steps), _one_newline(tail)])


def _one_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


def run_to_toml(run: Run) -> str:
    return tomli_w.dumps(run_document(run))


# --- reading ------------------------------------------------------------------------


class _Reader:
    """Checks a parsed save and collects every problem with where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def get(self, table: Mapping, key: str, kind, where: str, default=attrs.NOTHING):
        if key not in table:
            if default is attrs.NOTHING:
                self.fail(where, f"missing `{key}`")
            return None if default is attrs.NOTHING else default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            self.fail(where, f"`{key}` has the wrong type ({type(value).__name__})")
            return None if default is attrs.NOTHING else default
        if isinstance(value, int) and not isinstance(value, bool) and too_long(value):
            self.fail(where, f"`{key}` is too long a number (at most {MAX_DIGITS} digits)")
            return None if default is attrs.NOTHING else default
        return value

    def text(self, table, key, where, default=attrs.NOTHING):
        return self.get(table, key, str, where, default)

    def integer(self, table, key, where, default=attrs.NOTHING):
        return self.get(table, key, int, where, default)

    def meters(self, table, key, where) -> tuple[tuple[str, int], ...]:
        value = self.get(table, key, dict, where)
        if value is None:
            return ()
        pairs = []
        for name, amount in value.items():
            if isinstance(amount, bool) or not isinstance(amount, int):
                self.fail(where, f"meter `{name}` in `{key}` is not an integer")
            elif too_long(amount):
                self.fail(where, f"meter `{name}` in `{key}` is too long a number (at most {MAX_DIGITS} digits)")
            else:
                pairs.append((name, amount))
        return tuple(pairs)

    def names(self, table, key, where) -> tuple[str, ...]:
        value = self.get(table, key, list, where, ())
        if not all(isinstance(item, str) for item in value):
            self.fail(where, f"`{key}` must be a list of strings")
            return ()
        return tuple(value)

    def visits(self, table, where) -> tuple[tuple[str, int], ...]:
        counts = []
        for name, count in self.get(table, "visits", dict, where, {}).items():
            if isinstance(count, bool) or not isinstance(count, int) or too_long(count):
                self.fail(where, f"visit count of `{name}` is not an integer of at most {MAX_DIGITS} digits")
            else:
                counts.append((name, count))
        return tuple(sorted(counts))

    def chapter_start(self, table, where) -> ChapterStart:
        chapter = self.text(table, "chapter", where) or ""
        snapshot = engine.Snapshot(
            chapter=chapter,
            meters=self.meters(table, "meters", where),
            flags=frozenset(self.names(table, "flags", where)),
            visits=self.visits(table, where),
            taken=frozenset(self.names(table, "taken", where)),
        )
        return ChapterStart(chapter, self.integer(table, "first_step", where, 1), snapshot)

    def position(self, table, where) -> State:
        status = self.text(table, "status", where, engine.CHOOSING)
        if status not in STATUSES:
            self.fail(where, f"unknown status {status!r}")
        return State(
            chapter=self.text(table, "chapter", where) or "",
            node=self.text(table, "node", where) or "",
            meters=self.meters(table, "meters", where),
            flags=frozenset(self.names(table, "flags", where)),
            visits=self.visits(table, where),
            taken=frozenset(self.names(table, "taken", where)),
            status=status,
            ending=self.text(table, "ending", where, None),
            problem=self.text(table, "problem", where, ""),
        )

    def time(self, table, key, where) -> dt.datetime:
        value = self.get(table, key, dt.datetime, where)
        if value is None:
            return dt.datetime.fromtimestamp(0, dt.timezone.utc)
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def _version_problem(document: Mapping) -> str | None:
    if "save_version" not in document:
        if "format" in document and "scenario" in document:
            return "not a save: this looks like a scenario file (it has `format` and no `save_version`)"
        return "not a Reconnect save: it has no top-level `save_version`"
    version = document["save_version"]
    if isinstance(version, bool) or not isinstance(version, int) or too_long(version):
        return f"not a Reconnect save: `save_version` must be an integer of at most {MAX_DIGITS} digits, not {shown(repr(version))}"
    if version > max(READABLE_VERSIONS):
        return (
            f"saved by a newer Reconnect (save_version {version}); this version reads "
            f"save_version {', '.join(map(str, sorted(READABLE_VERSIONS)))}, so update the game to open it"
        )
    if version not in READABLE_VERSIONS:
        return (
            f"save_version {version} is older than this version of Reconnect reads "
            f"({', '.join(map(str, sorted(READABLE_VERSIONS)))})"
        )
    return None


def run_from_toml(text: str, path: str | None = None) -> Run:
    """Parse a save's text; raise SaveError with one sentence naming every problem."""
    if not text.strip():
        raise SaveError("the file is empty (a truncated save)")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SaveError(f"damaged or truncated: not valid TOML ({exc})") from None
    except ValueError:  # tomllib could not convert an integer of over 4,300 digits
        raise SaveError(f"damaged: a number far longer than {MAX_DIGITS} digits") from None
    except RecursionError:
        raise SaveError("damaged: arrays or tables nested too deeply to read") from None
    problem = _version_problem(document)
    if problem:
        raise SaveError(problem)
    reader = _Reader()
    head = reader.get(document, "run", dict, "")
    if head is None:
        raise SaveError("damaged: the save has no [run] table")
    mode = reader.text(head, "mode", "[run]", FULL)
    if mode not in MODES:
        reader.fail("[run]", f"unknown mode {mode!r}")
    chapters = []
    for number, table in enumerate(reader.get(document, "chapters", list, "", []), 1):
        where = f"chapter start {number}"
        if not isinstance(table, dict):
            reader.fail(where, "is not a table")
            continue
        chapters.append(reader.chapter_start(table, where))
    steps = []
    for number, table in enumerate(reader.get(document, "steps", list, "", []), 1):
        where = f"step {number}"
        if not isinstance(table, dict):
            reader.fail(where, "is not a table")
            continue
        steps.append(
            Step(
                number=number,
                chapter=reader.text(table, "chapter", where) or "",
                node=reader.text(table, "node", where) or "",
                shown=reader.integer(table, "shown", where) or 0,
                index=reader.integer(table, "index", where) or 0,
                text=reader.text(table, "text", where) or "",
                style=reader.text(table, "style", where) or "",
                style_label=reader.text(table, "style_label", where, "") or reader.text(table, "style", where, ""),
                tone=reader.text(table, "tone", where, "neutral"),
                before=reader.meters(table, "before", where),
                after=reader.meters(table, "after", where),
                passed=reader.names(table, "passed", where),
                status=reader.text(table, "status", where, engine.CHOOSING),
                written=reader.text(table, "written", where, None),
            )
        )
    position_table = reader.get(document, "position", dict, "")
    position = reader.position(position_table, "[position]") if position_table is not None else State(node="", chapter="", meters=())
    end = document.get("end")
    if not isinstance(end, dict) or [end.get("steps"), end.get("chapters")] != [len(steps), len(chapters)]:
        raise SaveError(
            "truncated or damaged: the closing [end] table is missing or does not match "
            f"the {len(steps)} steps and {len(chapters)} chapter starts in the file"
        )
    run = Run(
        scenario_id=reader.text(head, "scenario", "[run]") or "",
        title=reader.text(head, "title", "[run]") or "",
        scenario_file=reader.text(head, "file", "[run]") or "",
        digest=reader.text(head, "sha256", "[run]") or "",
        created=reader.time(head, "created", "[run]"),
        updated=reader.time(head, "updated", "[run]"),
        mode=mode,
        chapter_count=reader.integer(head, "chapter_count", "[run]", 0),
        chapters=tuple(chapters),
        steps=tuple(steps),
        position=position,
        replay_of=reader.text(head, "replay_of", "[run]", None),
        seed=reader.integer(head, "seed", "[run]", None),
        keep_words=reader.get(head, "keep_words", bool, "[run]", True),
        path=path,
    )
    if reader.problems:
        shown = "; ".join(reader.problems[:5]) + ("; ..." if len(reader.problems) > 5 else "")
        raise SaveError(f"damaged: {shown}")
    return run


def read_run(path: str | os.PathLike) -> Run:
    """Read one save; raise SaveError with a sentence if it cannot be used. Never writes.
    Only a regular file in its own folder (or linked within it) is read, and only so much."""
    target = Path(path)
    try:
        data = read_regular(target, MAX_SAVE_BYTES, within=target.parent)
    except FileNotFoundError:
        raise SaveError(f"no such save file: {target}") from None
    except IsADirectoryError:
        raise SaveError("it is a folder, not a save file") from None
    except UnusableFile as exc:
        raise SaveError(f"not read: it is {exc.reason}") from None
    except OSError as exc:
        raise SaveError(f"cannot read {target}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError("damaged or foreign: the file is not UTF-8 text") from None
    return run_from_toml(text, str(target))
