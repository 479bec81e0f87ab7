"""What a player sees of their saved runs, in the story's own words: chapters and endings
by title, runs by when they were played and how they ended, how far each scenario got.

Pure except for `load_names`, which reads a run's scenario file (saves keep ids only).
Used by `scenario-game runs`, `compare`, the library and the TUI's run screens, so a
player never meets a node, chapter or ending id.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from .records import frozen
from . import engine
from .model import Scenario
from .runs import CHAPTER, Run, SavedRun

FOUR_HORSEMEN = {  # built-in style id -> Gottman's horseman it is
    "blame": "criticism",
    "disguised-blame": "criticism",
    "contemptuous": "contempt",
    "defensive": "defensiveness",
    "stonewalling": "stonewalling",
}
HORSEMEN_ORDER = ("criticism", "contempt", "defensiveness", "stonewalling")


def humane(name: str) -> str:
    """An id as words, for a save whose scenario file is gone: `two-screens` -> `Two screens`."""
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "?"


def cap(text: str) -> str:
    """The first letter upper-case, the rest untouched (unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def short(text: str, width: int = 60) -> str:
    """One line of at most `width` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def when(moment: dt.datetime) -> str:
    """A run's time as a player reads it: `1 Dec 2026 04:24` (local time)."""
    local = moment.astimezone()
    return f"{local.day} {local.strftime('%b %Y %H:%M')}"


@frozen
class Names:
    """Titles for the ids a save keeps, from the scenario when it can be read (else the ids
    as words). `scenario` is None when the file is missing or no longer the same story."""

    scenario: Scenario | None = None
    labels: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, scenario: Scenario | None) -> Names:
        labels = {m.name: m.label for m in scenario.meters} if scenario is not None else {}
        return cls(scenario, labels)

    def chapter(self, chapter_id: str) -> str:
        if self.scenario is not None:
            try:
                return self.scenario.chapter(chapter_id).title
            except KeyError:
                pass
        return humane(chapter_id)

    def chapter_number(self, chapter_id: str) -> int | None:
        if self.scenario is None:
            return None
        try:
            return self.scenario.chapter_index(chapter_id) + 1
        except KeyError:
            return None

    def chapter_place(self, chapter_id: str, count: int = 0) -> str:
        """`chapter 2 of 3: Thursday` (its number in the story, not in the run)."""
        number = self.chapter_number(chapter_id)
        total = len(self.scenario.chapters) if self.scenario is not None else count
        if number is None:
            return f"chapter {self.chapter(chapter_id)}"
        return f"chapter {number} of {total}: {self.chapter(chapter_id)}"

    def ending(self, ending_id: str) -> str:
        if self.scenario is not None:
            try:
                return self.scenario.ending(ending_id).title
            except KeyError:
                pass
        return humane(ending_id)

    def meter(self, name: str) -> str:
        return self.labels.get(name, humane(name))

    def scale(self, name: str) -> str:
        """The meter's range as the player reads it: `0-100`."""
        if self.scenario is not None:
            for meter in self.scenario.meters:
                if meter.name == name:
                    return f"{meter.min}-{meter.max}"
        return "0-100"

    def scene(self, node_id: str, width: int = 60) -> str:
        """A scene as the player saw it: who speaks and the start of the text."""
        node = self.scenario.nodes.get(node_id) if self.scenario is not None else None
        if node is None:
            return "a scene that is no longer in the story"
        who = f"{node.speaker}: " if node.speaker else ""
        return short(who + node.text, width)

    def meters(self, values: Iterable[tuple[str, int]] | Mapping[str, int]) -> str:
        """`Trust 52, Closeness 40`."""
        pairs = values.items() if isinstance(values, Mapping) else values
        return ", ".join(f"{self.meter(name)} {value}" for name, value in pairs)

    def changes(self, before: Iterable[tuple[str, int]], after: Iterable[tuple[str, int]]) -> str:
        """The meters a move changed, with signs: `Trust -4, Closeness +6` (or `no change`)."""
        old = dict(before)
        moved = [f"{self.meter(name)} {value - old[name]:+d}" for name, value in after if name in old and value != old[name]]
        return ", ".join(moved) if moved else "no change"


def load_names(run: Run, cache: dict[str, Names] | None = None) -> Names:
    """Names for `run` from its scenario file, read once per file (None-safe, never raises)."""
    cache = cache if cache is not None else {}
    key = run.scenario_file
    if key not in cache:
        scenario = None
        if key and Path(key).is_file():
            from .loader import load_path

            try:
                scenario = load_path(key, analyse=False).scenario
            except Exception:  # a names lookup must never stop a listing
                scenario = None
        if scenario is not None and scenario.id != run.scenario_id:
            scenario = None
        cache[key] = Names.of(scenario)
    return cache[key]


def outcome(run: Run, names: Names) -> str:
    """How a run ended or where it stopped: `ended: Two Screens`, `stopped in chapter 2 of 3: Thursday`."""
    position = run.position
    if position.status == engine.ENDED and position.ending:
        return f"reached the ending \u201c{names.ending(position.ending)}\u201d"
    if position.status == engine.STUCK:
        return f"stuck in {names.chapter_place(position.chapter, run.chapter_count)} (a story error)"
    if run.mode == CHAPTER:
        lone = f"replayed {names.chapter_place(position.chapter, run.chapter_count)} alone"
        return lone + (", played to its end" if position.status == engine.CHAPTER_END else ", unfinished")
    if position.status == engine.CHAPTER_END:
        return f"finished {names.chapter_place(position.chapter, run.chapter_count)}"
    return f"unfinished: {names.chapter_place(position.chapter, run.chapter_count)}"


def replies(run: Run) -> str:
    count = len(run.steps)
    return f"{count} repl{'ies' if count != 1 else 'y'}"


def run_name(run: Run, names: Names) -> str:
    """A run as a player tells it apart: when it was played and how it ended."""
    return f"played {when(run.created)}, {outcome(run, names)}"


@frozen
class ScenarioProgress:
    """How far a player has got with one scenario over all their saved runs."""

    title: str
    runs: int
    finished: int  # full runs that reached an ending
    endings_reached: tuple[str, ...]  # titles, in the story's order
    endings_total: int
    best: tuple[tuple[str, int], ...]  # each meter's best value at an ending reached
    unfinished: Run | None  # the latest run with more to play
    names: Names

    def lines(self) -> list[str]:
        """Short sentences for the library and `runs`; empty when nothing was played."""
        out = []
        if self.finished or self.endings_reached:
            endings = f"endings reached {len(self.endings_reached)} of {self.endings_total}" if self.endings_total else "endings reached"
            out.append(
                f"{self.finished} finished run{'s' if self.finished != 1 else ''} · {endings}: {', '.join(self.endings_reached)}"
            )
            if self.best:
                out.append(f"best at an ending: {self.names.meters(self.best)}")
        if self.unfinished is not None:
            run = self.unfinished
            out.append(f"unfinished run at {self.names.chapter_place(run.position.chapter, run.chapter_count)} ({replies(run)})")
        return out


def scenario_progress(scenario: Scenario, saved_runs: Sequence[SavedRun]) -> ScenarioProgress:
    """Progress over `saved_runs` (this scenario's, newest first)."""
    names = Names.of(scenario)
    reached: set[str] = set()
    best: dict[str, int] = {}
    finished = 0
    unfinished = None
    count = 0
    for saved in saved_runs:
        run = saved.run
        if run is None:
            continue
        count += 1
        if run.ending:
            reached.add(run.ending)
            if run.mode != CHAPTER:
                finished += 1
            for name, value in run.position.meters:
                best[name] = max(best.get(name, value), value)
        elif not run.finished and unfinished is None and run.mode != CHAPTER:
            unfinished = run
    ordered = tuple(e.title for e in scenario.endings if e.id in reached)
    best_meters = tuple((m.name, best[m.name]) for m in scenario.meters if m.name in best)
    return ScenarioProgress(scenario.title, count, finished, ordered, len(scenario.endings), best_meters, unfinished, names)


def wrap(text: str, width: int, indent: str = "", hang: str | None = None) -> list[str]:
    """`text` wrapped to `width`, first line after `indent`, the rest under `hang` (default: the indent)."""
    hang = indent if hang is None else hang
    return textwrap.wrap(text, width=max(20, width), initial_indent=indent, subsequent_indent=hang, break_on_hyphens=False) or [indent.rstrip()]


# --- `scenario-game runs` -----------------------------------------------------------


def _notes(saved: SavedRun) -> list[str]:
    from .runs import CHANGED, MISSING

    run = saved.run
    notes = []
    if saved.scenario_state == CHANGED:
        notes.append("the story has changed since this run was saved")
    elif saved.scenario_state == MISSING:
        notes.append(f"the story file is no longer at {run.scenario_file}")
    if run.replay_of:
        notes.append(f"a chapter replayed from {run.replay_of}")
    return notes


def runs_listing(saved_runs: Sequence[SavedRun], folder: str, width: int = 100) -> list[str]:
    """The lines of `scenario-game runs`: each story's progress (finished runs, endings
    reached by title, best meters), then its runs by when they were played and how they
    ended, with the file name to give `compare` or `--resume`; unreadable files last.
    Every line fits `width` (wrapped under its own indent, never cut)."""
    readable = [s for s in saved_runs if s.run is not None]
    broken = [s for s in saved_runs if s.run is None]
    if not saved_runs:
        return [f"No saved runs in {folder}."]
    lines = wrap(
        f"Saved runs in {folder}: {len(readable)} run{'s' if len(readable) != 1 else ''}"
        + (f", {len(broken)} file{'s' if len(broken) != 1 else ''} that cannot be read" if broken else "")
        + " (newest first)",
        width,
    )
    cache: dict[str, Names] = {}
    stories: dict[tuple[str, str], list[SavedRun]] = {}
    for saved in readable:
        run = saved.run
        stories.setdefault((run.scenario_id, run.title), []).append(saved)
    for (_, title), group in stories.items():
        names = load_names(group[0].run, cache)
        lines.append("")
        lines.extend(wrap(f"{title} ({Path(group[0].run.scenario_file).name})", width))
        if names.scenario is not None:
            for sentence in scenario_progress(names.scenario, group).lines():
                lines.extend(wrap(sentence, width, "  ", "    "))
        for saved in group:
            run = saved.run
            lines.extend(wrap(saved.name, width, "  - ", "    "))
            lines.extend(wrap(f"{run_name(run, names)} · {replies(run)}", width, "    ", "      "))
            for note in _notes(saved):
                lines.extend(wrap(f"note: {note}", width, "    ", "      "))
    if broken:
        lines.append("")
        lines.append("Cannot be read (left as they are):")
        for saved in broken:
            lines.extend(wrap(f"{saved.name}: {saved.problem}", width, "  ", "    "))
    return lines
