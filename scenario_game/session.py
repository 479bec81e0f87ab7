"""The play session: the one play loop, in the spirit of ink's Story over its StoryState.

A `Session` holds the scenario, the current engine `State` and the run's history: every
chapter entered (with the snapshot it began from) and every reply taken on the run's
current path, across chapters, resumes, chapter replays and live reloads. It offers the
moves (take a reply, go on after a chapter, replay a chapter from its recorded start,
go on with a saved run, re-apply the run's replies to a reloaded scenario) and tells its
observers what happened. Plain play, the TUI's play screen and live reload all drive it;
the run recorder is one observer. Nothing here knows about a screen or a file.

Reply order: with a `seed`, each decision's replies are shown in an order shuffled per
run (the same seed gives the same order at the same node); without one, in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from .records import frozen
from . import engine
from .engine import Outcome, State
from .firstscene import reply_order
from .model import Choice, Scenario


@frozen
class ChapterStart:
    """The state as a chapter began (before its first node was entered, the engine's
    `Snapshot`), and the number of the first step played in it."""

    chapter: str
    first_step: int
    snapshot: engine.Snapshot


@frozen
class Step:
    """One reply taken: where, which (number shown and index in file order), and what it did."""

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
    written: str | None = None  # the player's own words, when they wrote the reply themselves

    @property
    def choice_key(self) -> str:
        return f"{self.node}#{self.index}"

    def meter_after(self, name: str) -> int:
        return dict(self.after)[name]


@frozen
class History:
    """What observers are told: the run so far, frozen (safe to hand to another thread)."""

    chapters: tuple[ChapterStart, ...]
    steps: tuple[Step, ...]
    state: State
    seed: int | None = None
    single_chapter: bool = False
    keep_words: bool = True  # the player's own words are kept in the run's steps


class Observer(Protocol):
    """Told what happens in a session (the recorder, a screen). Called in the session's thread."""

    def chapter_started(self, history: History, start: ChapterStart) -> None: ...

    def step_taken(self, history: History, step: Step, outcome: Outcome) -> None: ...

    def moved(self, history: History) -> None: ...

    def ended(self, history: History) -> None: ...


@frozen
class Reapplied:
    """How far a reload re-applied the run's replies, and why it stopped early."""

    replayed: int
    total: int
    reason: str = ""

    @property
    def complete(self) -> bool:
        return self.replayed == self.total


# What the transcript of a chapter is made of, in order.
@frozen
class Scene:
    """Nodes entered without a reply (a chapter's opening, or after a reply)."""

    nodes: tuple[str, ...]


@frozen
class Reply:
    """A reply taken, as the player saw it."""

    step: Step


class SessionError(Exception):
    """A move the session cannot make now (a number not offered, nothing to replay)."""


def shown_order(scenario: Scenario, node_id: str, seed: int | None) -> list[int]:
    """The node's choice indices in the order the player sees them: file order without a
    seed, else shuffled by (seed, node) so a run shows the same order wherever it is played."""
    return reply_order(seed, node_id, len(scenario.nodes[node_id].choices))


def _snapshot_of(state: State) -> engine.Snapshot:
    """Where the state's chapter began; a state without one (made by hand) stands for itself."""
    if state.chapter_start is not None:
        return state.chapter_start
    return engine.Snapshot(state.chapter, tuple(state.meters), frozenset(state.flags), tuple(state.visits), frozenset(state.taken))


class Session:
    """One play of a scenario. Say where it starts (`chapter`, a `snapshot` to begin a chapter
    from, or a saved `history` to go on with), add observers, then `start()`."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        chapter: str | None = None,
        snapshot: engine.Snapshot | None = None,
        history: tuple[Sequence[ChapterStart], Sequence[Step], State] | None = None,
        single_chapter: bool = False,
        seed: int | None = None,
        keep_words: bool = True,
        observers: Iterable[Observer] = (),
    ) -> None:
        self.scenario = scenario
        self.single_chapter = single_chapter
        self.seed = seed
        self.keep_words = keep_words  # False: replies written in the player's words keep no words
        self.observers: list[Observer] = list(observers)
        self._chapter = chapter
        self._snapshot = snapshot
        self._saved = history
        self.chapters: tuple[ChapterStart, ...] = ()
        self.steps: tuple[Step, ...] = ()
        self.state: State | None = None
        self._openings: dict[tuple[int, ChapterStart], State] = {}

    # --- observers ------------------------------------------------------------------

    def watch(self, observer: Observer) -> None:
        if observer not in self.observers:
            self.observers.append(observer)

    def unwatch(self, observer: Observer) -> None:
        if observer in self.observers:
            self.observers.remove(observer)

    @property
    def history(self) -> History:
        assert self.state is not None, "the session has not started"
        return History(self.chapters, self.steps, self.state, self.seed, self.single_chapter, self.keep_words)

    def _tell_chapter(self, start: ChapterStart) -> None:
        history = self.history
        for observer in list(self.observers):
            observer.chapter_started(history, start)
        self._tell_if_ended()

    def _tell_moved(self) -> None:
        history = self.history
        for observer in list(self.observers):
            observer.moved(history)
        self._tell_if_ended()

    def _tell_if_ended(self) -> None:
        if self.state is not None and self.state.finished:
            history = self.history
            for observer in list(self.observers):
                observer.ended(history)

    # --- starting -------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self.state is not None

    def start(self) -> State:
        """Begin as said when made: a chapter starts (and is announced), or a saved run goes on."""
        if self._saved is not None:
            chapters, steps, position = self._saved
            self.chapters, self.steps = tuple(chapters), tuple(steps)
            start = self.chapter_start(position.chapter)
            self.state = attrs.evolve(position, passed=(), chapter_start=start.snapshot if start else None)
            self._tell_moved()
            return self.state
        if self._snapshot is not None:
            return self._begin(engine.restart_chapter(self.scenario, self._snapshot))
        return self._begin(engine.start(self.scenario, self._chapter))

    def _begin(self, state: State) -> State:
        start = ChapterStart(state.chapter, len(self.steps) + 1, _snapshot_of(state))
        self.chapters = self.chapters + (start,)
        self.state = state
        self._openings[(len(self.chapters) - 1, start)] = state
        self._tell_chapter(start)
        return state

    # --- looking --------------------------------------------------------------------

    @property
    def chapter(self) -> str:
        assert self.state is not None
        return self.state.chapter

    def chapter_start(self, chapter: str | None = None) -> ChapterStart | None:
        """The latest start of `chapter` (default: the current one) on the run's path."""
        wanted = chapter if chapter is not None else (self.state.chapter if self.state else None)
        for start in reversed(self.chapters):
            if start.chapter == wanted:
                return start
        return None

    def offered(self) -> list[Choice]:
        """The replies open now, in the order the player sees them (numbered from 1)."""
        assert self.state is not None
        open_now = engine.open_choices(self.scenario, self.state)
        if self.seed is None or len(open_now) < 2:
            return open_now
        rank = {index: place for place, index in enumerate(shown_order(self.scenario, self.state.node, self.seed))}
        return sorted(open_now, key=lambda choice: rank[choice.index])

    def chapter_steps(self) -> tuple[Step, ...]:
        """The replies taken since the current chapter began."""
        start = self.chapters[-1] if self.chapters else None
        if start is None:
            return self.steps
        return self.steps[start.first_step - 1 :]

    def outcome_of(self, step: Step) -> Outcome:
        """The outcome of a recorded reply (the choice, its style, advice and meter changes)."""
        choice = self.scenario.nodes[step.node].choices[step.index]
        return Outcome(
            choice=choice,
            style=self.scenario.styles[choice.style],
            changes=engine.meter_changes(self.scenario, step.before, step.after),
            feedback=choice.feedback,
            advice=tuple(self.scenario.advice[a] for a in choice.advice),
            passed=step.passed,
        )

    def outcomes(self, steps: Iterable[Step] | None = None) -> list[Outcome]:
        """Outcomes of `steps` (default: the whole run's path), for tallies and advice met."""
        return [self.outcome_of(step) for step in (self.steps if steps is None else steps)]

    def _opening(self, position: int) -> State:
        """The state after a chapter's opening nodes were entered (recomputed for saved runs)."""
        start = self.chapters[position]
        key = (position, start)
        if key not in self._openings:
            self._openings[key] = engine.restart_chapter(self.scenario, start.snapshot)
        return self._openings[key]

    def transcript(self) -> list[Scene | Reply]:
        """The current chapter as played so far: its opening scene, then each reply and what followed."""
        if not self.chapters:
            return [Scene(self.state.passed)] if self.state is not None else []
        parts: list[Scene | Reply] = [Scene(self._opening(len(self.chapters) - 1).passed)]
        for step in self.chapter_steps():
            parts.append(Reply(step))
            if step.passed:
                parts.append(Scene(step.passed))
        return parts

    def meter_points(self, whole_run: bool = False) -> list[dict[str, int]]:
        """Each meter's values at each moment that moved one (a chapter's start, its opening,
        after each reply), for the current chapter or the whole run."""
        positions = range(len(self.chapters)) if whole_run else range(len(self.chapters) - 1, len(self.chapters))
        points: list[dict[str, int]] = []

        def add(meters) -> None:
            values = dict(meters)
            if not points or values != points[-1]:
                points.append(values)

        for position in positions:
            if position < 0:
                continue
            start = self.chapters[position]
            following = self.chapters[position + 1].first_step if position + 1 < len(self.chapters) else len(self.steps) + 1
            add(start.snapshot.meters)
            add(self._opening(position).meters)
            for step in self.steps[start.first_step - 1 : following - 1]:
                add(step.after)
        if not points and self.state is not None:
            add(self.state.meters)
        return points

    # --- moving ---------------------------------------------------------------------

    def set_keep_words(self, keep: bool) -> None:
        """Keep (or not) the player's own words in the replies taken from now on; observers
        are told, so a saved run remembers the choice. Words already kept stay."""
        if keep != self.keep_words:
            self.keep_words = keep
            if self.state is not None:
                self._tell_moved()

    def take(self, number: int, written: str | None = None) -> tuple[Step, Outcome]:
        """Take the reply shown as `number` (from 1); `written`: the player's own words for it
        (kept in the step unless `keep_words` is off)."""
        offered = self.offered()
        if not 1 <= number <= len(offered):
            raise SessionError(f"reply {number} is not offered; the replies offered are 1-{len(offered)}")
        return self.take_choice(offered[number - 1], number, written)

    def take_choice(self, choice: Choice, number: int, written: str | None = None) -> tuple[Step, Outcome]:
        assert self.state is not None
        before = self.state
        after, outcome = engine.choose(self.scenario, before, choice)
        step = Step(
            number=len(self.steps) + 1,
            chapter=before.chapter,
            node=before.node,
            shown=number,
            index=choice.index,
            text=choice.text,
            style=outcome.style.id,
            style_label=outcome.style.label,
            tone=outcome.style.tone,
            before=tuple(before.meters),
            after=tuple(after.meters),
            passed=tuple(outcome.passed),
            status=after.status,
            written=written if self.keep_words else None,
        )
        self.steps = self.steps + (step,)
        self.state = after
        history = self.history
        for observer in list(self.observers):
            observer.step_taken(history, step, outcome)
        self._tell_if_ended()
        return step, outcome

    def go_on(self) -> State:
        """After a chapter's end: the next chapter begins, or the ending is chosen."""
        assert self.state is not None
        moved = engine.next_chapter(self.scenario, self.state)
        if moved.status == engine.ENDED:
            self.state = moved
            self._tell_moved()
            return moved
        return self._begin(moved)

    def replay_chapter(self, chapter: str | None = None) -> State:
        """Play `chapter` (default: the current one) again from its recorded start; the
        replies taken since then leave the run's path."""
        start = self.chapter_start(chapter)
        if start is None:
            raise SessionError(f"this run never started chapter {chapter!r}")
        position = max(i for i, s in enumerate(self.chapters) if s is start)
        self.chapters = self.chapters[:position]
        self.steps = self.steps[: start.first_step - 1]
        return self._begin(engine.restart_chapter(self.scenario, start.snapshot))

    def reload(self, scenario: Scenario) -> Reapplied:
        """Play the run's current path again on a new version of the scenario, as far as each
        reply still fits (same node, and a reply with the same text, or else at the same
        place in file order); the history is rebuilt on the new version."""
        old_steps = self.steps
        first = self.chapters[0] if self.chapters else None
        reason = ""
        self.scenario = scenario
        self._openings = {}
        self.chapters, self.steps = (), ()
        chapter_ids = {c.id for c in scenario.chapters}
        if first is not None and first.chapter not in chapter_ids:
            reason = "the chapter played first no longer exists; started from the beginning"
            state = engine.start(scenario)
            self.single_chapter = False
        elif first is not None and (self._snapshot is not None or self._saved is not None):
            state = engine.restart_chapter(scenario, first.snapshot)  # where this play began, as recorded
        else:
            state = engine.start(scenario, first.chapter if first is not None and self.single_chapter else self._chapter if self._chapter in chapter_ids else None)
        self._begin_quietly(state)
        replayed = 0
        for step in old_steps:
            if self.state.status == engine.CHAPTER_END and not self.single_chapter:
                moved = engine.next_chapter(scenario, self.state)
                if moved.status == engine.ENDED:
                    self.state = moved
                else:
                    self._begin_quietly(moved)
            if self.state.status != engine.CHOOSING:
                why = {engine.ENDED: "the scenario ends before it", engine.CHAPTER_END: "the chapter ends before it"}.get(self.state.status, self.state.problem)
                reason = reason or f"reply {replayed + 1} could not be replayed: {why}"
                break
            if self.state.node != step.node:
                reason = reason or f"reply {replayed + 1} was taken at node {step.node!r}, but play now reaches node {self.state.node!r}"
                break
            choice, why = self._pick(step)
            if choice is None:
                reason = reason or why
                break
            number = next(n for n, c in enumerate(self.offered(), 1) if c is choice)
            observers, self.observers = self.observers, []
            try:
                self.take_choice(choice, number, step.written)
            finally:
                self.observers = observers
            replayed += 1
        self._tell_moved()
        return Reapplied(replayed, len(old_steps), reason)

    def _begin_quietly(self, state: State) -> None:
        start = ChapterStart(state.chapter, len(self.steps) + 1, _snapshot_of(state))
        self.chapters = self.chapters + (start,)
        self._openings[(len(self.chapters) - 1, start)] = state
        self.state = state

    def _pick(self, step: Step) -> tuple[Choice | None, str]:
        """The open reply that stands for `step`, or why there is none."""
        offered = engine.open_choices(self.scenario, self.state)
        for choice in offered:
            if choice.text == step.text:
                return choice, ""
        for choice in offered:
            if choice.index == step.index:
                return choice, ""
        if not offered:
            return None, f"node {self.state.node!r} offers no reply now"
        short = step.text if len(step.text) <= 40 else step.text[:39] + "…"
        return None, f"reply {step.index + 1} ({short!r}) is no longer offered at node {self.state.node!r}"
