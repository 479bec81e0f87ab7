"""A run is one playthrough, saved as TOML after every choice.

The save keeps what replay and compare need without the scenario: every chapter's
starting snapshot, every step with the choice's text and style, and the current
position (a full engine state, so play can resume). Writes are atomic (a temporary
file beside the save, fsync, `os.replace`), so a crash leaves the old save or the new
one. The reader never changes a file; it reports why a save cannot be read instead.

Save versions follow ink's habit: `save_version` is a top-level integer; the reader
accepts the versions in `READABLE_VERSIONS` and refuses others with a sentence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import threading
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import attrs
import tomli_w

from . import engine
from .engine import State
from .model import Scenario

SAVE_VERSION = 1
READABLE_VERSIONS = frozenset({1})
MAX_SAVE_BYTES = 32 * 1024 * 1024

FULL = "full"  # the run plays the scenario on from its first (or resumed) chapter
CHAPTER = "chapter"  # the run plays one chapter alone (`--chapter`, a replay)
MODES = (FULL, CHAPTER)
STATUSES = (engine.CHOOSING, engine.CHAPTER_END, engine.ENDED, engine.STUCK)


class SaveError(Exception):
    """A save that cannot be read (the message is a sentence for the player) or written."""


def file_digest(path: str | os.PathLike) -> str:
    """sha256 of a file's bytes, the same as `Scenario.digest` for a scenario file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# --- the record ---------------------------------------------------------------------


@attrs.frozen
class Position:
    """The full engine state where a run stopped, so play can go on from there."""

    chapter: str
    node: str
    meters: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    visits: tuple[tuple[str, int], ...] = ()
    taken: frozenset[str] = frozenset()
    status: str = engine.CHOOSING
    ending: str | None = None
    problem: str = ""

    @classmethod
    def of(cls, state: State) -> Position:
        return cls(
            chapter=state.chapter,
            node=state.node,
            meters=tuple(state.meters),
            flags=frozenset(state.flags),
            visits=tuple(state.visits),
            taken=frozenset(state.taken),
            status=state.status,
            ending=state.ending,
            problem=state.problem,
        )

    def state(self, chapter_start: engine.Snapshot | None = None) -> State:
        """The engine state to go on from; `passed` names the current node so it is shown again."""
        return State(
            node=self.node,
            chapter=self.chapter,
            meters=self.meters,
            flags=self.flags,
            visits=self.visits,
            taken=self.taken,
            status=self.status,
            ending=self.ending,
            passed=(self.node,),
            problem=self.problem,
            chapter_start=chapter_start,
        )

    def meters_line(self) -> str:
        return " ".join(f"{name}={value}" for name, value in self.meters)


@attrs.frozen
class ChapterStart:
    """The state as a chapter began (before its first node was entered, the engine's
    `Snapshot`), and the number of the first step played in it."""

    chapter: str
    first_step: int
    snapshot: engine.Snapshot


@attrs.frozen
class Step:
    """One choice taken: where, which (number shown and index in file order), and what it did."""

    number: int  # 1, 2, ... in the run
    chapter: str
    node: str
    shown: int  # the number the player saw, from 1
    index: int  # the choice's position in file order, from 0
    text: str
    style: str
    style_label: str
    tone: str
    before: tuple[tuple[str, int], ...]
    after: tuple[tuple[str, int], ...]
    passed: tuple[str, ...] = ()  # nodes entered by the move
    status: str = engine.CHOOSING  # play's status after the move

    @property
    def choice_key(self) -> str:
        return f"{self.node}#{self.index}"

    def meter_after(self, name: str) -> int:
        return dict(self.after)[name]


@attrs.frozen
class Run:
    scenario_id: str
    title: str
    scenario_file: str
    digest: str
    created: dt.datetime
    updated: dt.datetime
    mode: str
    chapter_count: int  # chapters in the scenario when it was played
    chapters: tuple[ChapterStart, ...]
    steps: tuple[Step, ...]
    position: Position
    replay_of: str | None = None  # the save a replayed chapter started from
    path: str | None = attrs.field(default=None, eq=False)  # where it was read from or saved to

    @property
    def ending(self) -> str | None:
        return self.position.ending if self.position.status == engine.ENDED else None

    @property
    def finished(self) -> bool:
        """Nothing more to play: an ending, a stuck scenario, or a lone chapter's end."""
        status = self.position.status
        if status in (engine.ENDED, engine.STUCK):
            return True
        return status == engine.CHAPTER_END and self.mode == CHAPTER

    def chapter_start(self, chapter: str) -> ChapterStart | None:
        for start in self.chapters:
            if start.chapter == chapter:
                return start
        return None

    def chapter_steps(self, chapter: str) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.chapter == chapter)

    def chapters_played(self) -> list[str]:
        """Chapter ids in the order the run first reached them."""
        seen: list[str] = []
        for chapter in [c.chapter for c in self.chapters] + [s.chapter for s in self.steps]:
            if chapter not in seen:
                seen.append(chapter)
        return seen

    def chapter_finished(self, chapter: str) -> bool:
        """Whether the run played `chapter` to its end (it went on past it, or stopped there)."""
        played = self.chapters_played()
        if chapter not in played:
            return False
        if self.position.chapter != chapter:
            return True
        return self.position.status in (engine.CHAPTER_END, engine.ENDED)

    def replay_from(self, scenario: Scenario, chapter: str) -> State:
        """A new state at `chapter`'s start exactly as this run began it."""
        start = self.chapter_start(chapter)
        if start is None:
            raise SaveError(f"this run never started chapter {chapter!r}")
        return engine.restart_chapter(scenario, start.snapshot)

    def resume_state(self) -> State:
        """The state where the run stopped, knowing where its chapter began."""
        start = None
        for candidate in self.chapters:
            if candidate.chapter == self.position.chapter:
                start = candidate.snapshot
        return self.position.state(start)

    def explored(self) -> tuple[set[str], set[str]]:
        """Node ids entered and `node#index` choices taken in this run."""
        nodes: set[str] = set()
        choices: set[str] = set()
        for step in self.steps:
            nodes.add(step.node)
            nodes.update(step.passed)
            choices.add(step.choice_key)
        nodes.update(name for name, count in self.position.visits if count)
        return nodes, choices


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


def _position_table(snapshot: Position) -> dict:
    table: dict = {"chapter": snapshot.chapter, "node": snapshot.node, "status": snapshot.status}
    if snapshot.ending is not None:
        table["ending"] = snapshot.ending
    if snapshot.problem:
        table["problem"] = snapshot.problem
    table["meters"] = _meters_table(snapshot.meters)
    table["flags"] = sorted(snapshot.flags)
    table["visits"] = {name: count for name, count in snapshot.visits}
    table["taken"] = sorted(snapshot.taken)
    return table


def run_to_toml(run: Run) -> str:
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
    document = {
        "save_version": SAVE_VERSION,
        "run": head,
        "chapters": [_start_table(c) for c in run.chapters],
        "steps": [
            {
                "number": s.number,
                "chapter": s.chapter,
                "node": s.node,
                "shown": s.shown,
                "index": s.index,
                "text": s.text,
                "style": s.style,
                "style_label": s.style_label,
                "tone": s.tone,
                "before": _meters_table(s.before),
                "after": _meters_table(s.after),
                "passed": list(s.passed),
                "status": s.status,
            }
            for s in run.steps
        ],
        "position": _position_table(run.position),
        # Written last: a file cut short anywhere lacks it or disagrees with it.
        "end": {"steps": len(run.steps), "chapters": len(run.chapters)},
    }
    return tomli_w.dumps(document)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open a folder; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike, text: str, *, exclusive: bool = False) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part.

    The temporary file sits in the same folder and its name does not end in `.toml`,
    so `list_runs` never takes it for a save. With `exclusive`, an existing file at
    `path` is never replaced (FileExistsError): a new run cannot overwrite another.
    """
    target = Path(path)
    folder = target.parent
    temporary = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    data = text.encode("utf-8")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            try:
                os.link(temporary, target)  # fails rather than replace an existing file
            except FileExistsError:
                raise
            except OSError:
                # No hard links here: claim the name first, then replace the empty claim.
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
                os.replace(temporary, target)
            else:
                os.unlink(temporary)
        else:
            os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_folder(folder)


_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]+")


def new_save_name(scenario_id: str, when: dt.datetime, attempt: int) -> str:
    stem = _UNSAFE.sub("-", scenario_id).strip("-") or "run"
    suffix = "" if attempt == 0 else f"-{attempt + 1}"
    return f"{stem}-{when.strftime('%Y%m%d-%H%M%S')}{suffix}.toml"


def save_new(run: Run, folder: str | os.PathLike) -> Run:
    """Save a run under a fresh name in `folder` (created if needed) that no other file has."""
    target_folder = Path(folder)
    target_folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(1000):
        target = target_folder / new_save_name(run.scenario_id, run.created, attempt)
        if target.exists():
            continue
        saved = attrs.evolve(run, path=str(target))
        try:
            atomic_write(target, run_to_toml(saved), exclusive=True)
        except FileExistsError:
            continue
        return saved
    raise SaveError(f"no free save name for {run.scenario_id!r} in {target_folder}")


def save(run: Run) -> None:
    """Replace the run's own save with its new content, atomically."""
    if run.path is None:
        raise SaveError("the run has no save file yet")
    atomic_write(run.path, run_to_toml(run))


# --- recording ----------------------------------------------------------------------


def new_run(scenario: Scenario, state: State, mode: str = FULL, replay_of: str | None = None) -> Run:
    now = _now()
    return Run(
        scenario_id=scenario.id,
        title=scenario.title,
        scenario_file=str(Path(scenario.path).resolve()),
        digest=scenario.digest,
        created=now,
        updated=now,
        mode=mode,
        chapter_count=len(scenario.chapters),
        chapters=(),
        steps=(),
        position=Position.of(state),
        replay_of=replay_of,
    )


def _began(state: State) -> engine.Snapshot:
    """Where the state's chapter began; a state without one (made by hand) stands for itself."""
    if state.chapter_start is not None:
        return state.chapter_start
    return engine.Snapshot(state.chapter, tuple(state.meters), frozenset(state.flags), tuple(state.visits), frozenset(state.taken))


class Recorder:
    """Keeps the run of a game being played and saves it after every choice.

    Its three hooks are called by the plain player and the TUI's play screen (from a
    worker thread, hence the lock). A new run is first written at its first choice, so
    opening a scenario and leaving at once leaves no file behind. A failed write does
    not stop play: it is reported through `on_error` and kept in `problem`.
    """

    def __init__(
        self,
        scenario: Scenario,
        folder: str | os.PathLike,
        *,
        run: Run | None = None,
        mode: str = FULL,
        replay_of: str | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.folder = Path(folder)
        self.run: Run | None = run
        self.mode = mode if run is None else run.mode
        self.replay_of = replay_of
        self.on_error = on_error
        self.problem: str | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> str | None:
        return self.run.path if self.run is not None else None

    def on_chapter(self, state: State) -> None:
        """A chapter starts: keep the snapshot it began from (a resumed position is not a start)."""
        if state.status in (engine.ENDED, engine.STUCK) and self.run is not None:
            self.on_move(state)  # the scenario ended on entering: nothing starts
            return
        with self._lock:
            if self.run is None:
                self.run = new_run(self.scenario, state, self.mode, self.replay_of)
            elif self.run.position == Position.of(state) and self.run.steps:
                return  # resuming where the run stopped, in the middle of a chapter
            elif self.run.chapter_start(state.chapter) is not None:
                # The chapter is played again (the chapter end's "replay"): the run so far
                # is kept as saved, and the replay goes on as a new run that names it.
                origin = Path(self.run.path).name if self.run.path else self.run.replay_of
                self.run = new_run(self.scenario, state, self.mode, origin)
            elif self.run.mode == CHAPTER and self.run.chapters:
                self.run = attrs.evolve(self.run, mode=FULL)  # a lone chapter that went on to the next
                self.mode = FULL
            start = ChapterStart(state.chapter, len(self.run.steps) + 1, _began(state))
            self.run = attrs.evolve(self.run, chapters=self.run.chapters + (start,), position=Position.of(state))
            self._save_if_started()

    def on_step(self, before: State, after: State, outcome: engine.Outcome, number: int) -> None:
        """A choice was taken: add the step and save."""
        with self._lock:
            if self.run is None:
                self.run = new_run(self.scenario, before, self.mode, self.replay_of)
            if not self.run.chapters:
                self.run = attrs.evolve(self.run, chapters=(ChapterStart(before.chapter, 1, _began(before)),))
            step = Step(
                number=len(self.run.steps) + 1,
                chapter=before.chapter,
                node=before.node,
                shown=number,
                index=outcome.choice.index,
                text=outcome.choice.text,
                style=outcome.style.id,
                style_label=outcome.style.label,
                tone=outcome.style.tone,
                before=tuple(before.meters),
                after=tuple(after.meters),
                passed=tuple(outcome.passed),
                status=after.status,
            )
            self.run = attrs.evolve(self.run, steps=self.run.steps + (step,), position=Position.of(after))
            self._save_if_started()

    def on_move(self, state: State) -> None:
        """Play moved without a choice (the next chapter, an ending): keep the position."""
        with self._lock:
            if self.run is None:
                return
            if self.run.position == Position.of(state):
                return
            self.run = attrs.evolve(self.run, position=Position.of(state))
            self._save_if_started()

    def _save_if_started(self) -> None:
        assert self.run is not None
        if not self.run.steps:
            return
        self.run = attrs.evolve(self.run, updated=max(_now(), self.run.created))
        try:
            if self.run.path is None:
                self.run = save_new(self.run, self.folder)
            else:
                save(self.run)
        except (OSError, SaveError) as exc:
            message = f"the run could not be saved in {self.folder}: {getattr(exc, 'strerror', None) or exc}"
            first = self.problem is None
            self.problem = message
            if self.on_error is not None and first:
                self.on_error(message)
        else:
            self.problem = None


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
            if isinstance(count, bool) or not isinstance(count, int):
                self.fail(where, f"visit count of `{name}` is not an integer")
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

    def position(self, table, where) -> Position:
        status = self.text(table, "status", where, engine.CHOOSING)
        if status not in STATUSES:
            self.fail(where, f"unknown status {status!r}")
        return Position(
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
    if isinstance(version, bool) or not isinstance(version, int):
        return f"not a Reconnect save: `save_version` must be an integer, not {version!r}"
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
            )
        )
    position_table = reader.get(document, "position", dict, "")
    position = reader.position(position_table, "[position]") if position_table is not None else Position("", "", ())
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
        path=path,
    )
    if reader.problems:
        shown = "; ".join(reader.problems[:5]) + ("; ..." if len(reader.problems) > 5 else "")
        raise SaveError(f"damaged: {shown}")
    return run


def read_run(path: str | os.PathLike) -> Run:
    """Read one save; raise SaveError with a sentence if it cannot be used. Never writes."""
    target = Path(path)
    try:
        size = target.stat().st_size
        if target.is_dir():
            raise SaveError("it is a folder, not a save file")
        if size > MAX_SAVE_BYTES:
            raise SaveError(f"too large for a save ({size} bytes)")
        data = target.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"no such save file: {target}") from None
    except OSError as exc:
        raise SaveError(f"cannot read {target}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError("damaged or foreign: the file is not UTF-8 text") from None
    return run_from_toml(text, str(target))


# --- listing ------------------------------------------------------------------------

CHANGED = "changed"
MISSING = "missing"
SAME = "same"


@attrs.frozen
class SavedRun:
    """One `*.toml` file in the saves folder: its run, or why it is unreadable."""

    path: str
    run: Run | None
    problem: str | None = None
    scenario_state: str = SAME  # SAME, CHANGED (file hash differs) or MISSING

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def readable(self) -> bool:
        return self.run is not None

    @property
    def scenario_changed(self) -> bool:
        return self.scenario_state != SAME


def scenario_state(run: Run, digests: dict[str, str | None] | None = None) -> str:
    """SAME, CHANGED or MISSING: how the scenario file now compares with the save's hash."""
    cache = digests if digests is not None else {}
    if run.scenario_file not in cache:
        try:
            cache[run.scenario_file] = file_digest(run.scenario_file)
        except OSError:
            cache[run.scenario_file] = None
    digest = cache[run.scenario_file]
    if digest is None:
        return MISSING
    return SAME if digest == run.digest else CHANGED


def inspect(path: str | os.PathLike, digests: dict[str, str | None] | None = None) -> SavedRun:
    try:
        run = read_run(path)
    except SaveError as exc:
        return SavedRun(str(path), None, str(exc))
    return SavedRun(str(path), run, None, scenario_state(run, digests))


def list_runs(folder: str | os.PathLike) -> list[SavedRun]:
    """Every `*.toml` in `folder`, newest first; unreadable ones carry the reason. Never writes."""
    base = Path(folder)
    try:
        files = [p for p in base.iterdir() if p.name.endswith(".toml") and not p.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    digests: dict[str, str | None] = {}
    found = [inspect(p, digests) for p in sorted(files)]

    def order(saved: SavedRun):
        when = saved.run.updated.timestamp() if saved.run is not None else 0.0
        try:
            mtime = Path(saved.path).stat().st_mtime_ns
        except OSError:
            mtime = 0
        return (when, mtime, saved.name)

    return sorted(found, key=order, reverse=True)


def same_scenario(run: Run, scenario_file: str | os.PathLike, scenario_id: str) -> bool:
    """A save belongs to a scenario file: the same file, or a file of the same id."""
    try:
        if Path(run.scenario_file).resolve() == Path(scenario_file).resolve():
            return True
    except OSError:
        pass
    return run.scenario_id == scenario_id


def latest_unfinished(folder: str | os.PathLike, scenario_file: str | os.PathLike, scenario_id: str) -> SavedRun | None:
    """The most recently saved run of this scenario that has more to play."""
    for saved in list_runs(folder):
        if saved.run is not None and not saved.run.finished and same_scenario(saved.run, scenario_file, scenario_id):
            return saved
    return None


def find_save(name: str, folder: str | os.PathLike) -> Path:
    """A save named on the command line: a path, or a file name in the saves folder."""
    given = Path(name)
    if given.exists():
        return given
    for candidate in (Path(folder) / name, Path(folder) / f"{name}.toml"):
        if candidate.exists():
            return candidate
    raise SaveError(f"no such save: {name} (looked for it as a path and in {folder})")


def progress(run: Run) -> str:
    """How far a run got, in words: `chapter 2 of 4 (week-later), 5 steps`."""
    chapter = run.position.chapter
    played = run.chapters_played()
    number = played.index(chapter) + 1 if chapter in played else len(played)
    steps = f"{len(run.steps)} step{'s' if len(run.steps) != 1 else ''}"
    if run.mode == CHAPTER:
        where = f"chapter {chapter} only"
    elif run.replay_of:
        where = f"chapter {chapter}"
    elif run.chapter_count:
        where = f"chapter {number} of {run.chapter_count} ({chapter})"
    else:
        where = f"chapter {chapter}"
    state = {
        engine.CHOOSING: "playing",
        engine.CHAPTER_END: "chapter ended",
        engine.ENDED: "ended",
        engine.STUCK: "stuck",
    }[run.position.status]
    return f"{where}, {steps}, {state}"


# --- where play starts --------------------------------------------------------------

LATEST = ""  # `--resume` without a save: the latest unfinished run of the scenario


@attrs.frozen
class StartPlan:
    """Where play starts and how it is recorded: a new run, a replay, or a run going on."""

    state: State
    single_chapter: bool
    mode: str
    run: Run | None = None  # a run to go on with (its own save is updated)
    replay_of: str | None = None  # the save a new run's chapter was replayed from
    notes: tuple[str, ...] = ()  # sentences for the player


def _chapter_ids(scenario: Scenario) -> list[str]:
    return [c.id for c in scenario.chapters]


def _open_save(name: str, folder: str | os.PathLike) -> Run:
    return read_run(find_save(name, folder))


def _check_belongs(run: Run, scenario: Scenario, scenario_file: str | os.PathLike) -> None:
    if not same_scenario(run, scenario_file, scenario.id):
        raise SaveError(
            f"{Path(run.path or '').name} is a run of {run.title!r} ({run.scenario_id}), not of {scenario.title!r} ({scenario.id})"
        )


def _position_problem(scenario: Scenario, run: Run) -> str | None:
    position = run.position
    if position.node not in scenario.nodes or position.chapter not in _chapter_ids(scenario):
        return f"its position (chapter {position.chapter!r}, node {position.node!r}) is not in the scenario"
    if {name for name, _ in position.meters} != {m.name for m in scenario.meters}:
        return "its meters are not the scenario's meters"
    return None


def plan_play(
    scenario: Scenario,
    folder: str | os.PathLike,
    *,
    scenario_file: str | os.PathLike | None = None,
    chapter: str | None = None,
    resume: str | None = None,
    from_run: str | None = None,
) -> StartPlan:
    """Decide where play starts: a new run, `from_run`'s snapshot of `chapter`, or where
    the run to `resume` stopped. Raises SaveError with a sentence when that cannot be."""
    scenario_file = scenario_file if scenario_file is not None else scenario.path
    if resume is not None:
        if chapter is not None or from_run is not None:
            raise SaveError("--resume goes on with a saved run; it cannot be combined with --chapter or --from-run")
        return _plan_resume(scenario, folder, scenario_file, resume)
    if from_run is not None:
        if chapter is None:
            raise SaveError("--from-run needs --chapter ID: the chapter to replay from that run")
        run = _open_save(from_run, folder)
        _check_belongs(run, scenario, scenario_file)
        start = run.chapter_start(chapter)
        if start is None:
            played = ", ".join(c.chapter for c in run.chapters) or "none"
            raise SaveError(f"{Path(run.path or from_run).name} never started chapter {chapter!r} (chapters it started: {played})")
        notes: tuple[str, ...] = ()
        if scenario_state(run) != SAME:
            notes = (f"note: {scenario.id} has changed since {Path(run.path or from_run).name} was saved; replaying with the meters, flags and visits it recorded",)
        state = engine.restart_chapter(scenario, start.snapshot)
        return StartPlan(state, True, CHAPTER, replay_of=Path(run.path or from_run).name, notes=notes)
    state = engine.start(scenario, chapter)
    return StartPlan(state, chapter is not None, CHAPTER if chapter is not None else FULL)


def _plan_resume(scenario: Scenario, folder, scenario_file, name: str) -> StartPlan:
    if name == LATEST:
        saved = latest_unfinished(folder, scenario_file, scenario.id)
        if saved is None:
            raise SaveError(f"no unfinished run of {scenario.title!r} in {folder}; play it without --resume to start one")
        run = saved.run
        assert run is not None
    else:
        run = _open_save(name, folder)
        _check_belongs(run, scenario, scenario_file)
    label = Path(run.path or name).name
    if run.finished:
        how = f"it reached the ending {run.ending!r}" if run.ending else f"it stopped at {run.position.status.replace('_', ' ')}"
        raise SaveError(f"{label} has nothing left to play: {how}; replay a chapter with --chapter ID --from-run {label}")
    if scenario_state(run) == SAME and _position_problem(scenario, run) is None:
        return StartPlan(run.resume_state(), run.mode == CHAPTER, run.mode, run=run, notes=(f"continuing {label}",))
    # The scenario changed: the saved position may not exist any more. Its chapter can
    # still be played again from the state the run recorded as that chapter began.
    chapter = run.position.chapter
    start = run.chapter_start(chapter)
    if start is None or chapter not in _chapter_ids(scenario):
        raise SaveError(
            f"{scenario.id} has changed since {label} was saved and its chapter {chapter!r} is no longer in it; "
            f"start again with: play FILE (chapters now: {', '.join(_chapter_ids(scenario))})"
        )
    note = (
        f"note: {scenario.id} has changed since {label} was saved, so the place it stopped may no longer exist. "
        f"Replaying chapter {chapter!r} from its start, with the meters and flags the run had there, as a new run; {label} is kept unchanged."
    )
    state = engine.restart_chapter(scenario, start.snapshot)
    return StartPlan(state, run.mode == CHAPTER, run.mode, replay_of=label, notes=(note,))


# --- the `runs` listing -------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def listing(saved_runs: list[SavedRun], folder: str) -> list[str]:
    """The lines of `scenario-game runs`: readable runs as a table, then unreadable ones."""
    readable = [s for s in saved_runs if s.run is not None]
    broken = [s for s in saved_runs if s.run is None]
    if not saved_runs:
        return [f"No saved runs in {folder}."]
    lines = [f"Runs in {folder}: {len(readable)} readable, {len(broken)} unreadable (newest first)"]
    if readable:
        rows = [("FILE", "SCENARIO", "SAVED", "HOW FAR", "ENDING", "NOTES")]
        for saved in readable:
            run = saved.run
            assert run is not None
            notes = []
            if saved.scenario_state == CHANGED:
                notes.append("scenario changed since saved")
            elif saved.scenario_state == MISSING:
                notes.append("scenario file missing")
            if run.replay_of:
                notes.append(f"replay of {run.replay_of}")
            if not run.finished:
                notes.append("unfinished")
            rows.append((saved.name, run.title, _when(run.updated), progress(run), run.ending or "-", "; ".join(notes)))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        lines.append("")
        for row in rows:
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
            lines[-1] = lines[-1].rstrip()
    if broken:
        lines.append("")
        lines.append("Unreadable (left as they are):")
        for saved in broken:
            lines.append(f"  {saved.name}: {saved.problem}")
    return lines
