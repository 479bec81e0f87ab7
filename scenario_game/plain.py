"""The line-based player: accessible (a screen reader reads it top to bottom) and
scriptable (`--choices 2,1,3`, or numbers on standard input).

Exit statuses are part of the format's contract: 0 played to the stop, 2 a choice that
was not offered, 3 input ended early, 4 a node offered no choice.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import TextIO

from . import engine
from .engine import State
from .limits import shown
from .model import Scenario

EXIT_OK = 0
EXIT_BAD_CHOICE = 2
EXIT_INPUT_ENDED = 3
EXIT_STUCK = 4


class PlainExit(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def choice_numbers(text: str) -> list[str]:
    """The tokens of `--choices 2,1,3` or of an input line (commas or spaces)."""
    return [token for token in re.split(r"[\s,]+", text.strip()) if token]


class ChoiceSource:
    """Choices from `--choices` first, then from standard input, one token at a time."""

    def __init__(self, scripted: list[str], stream: TextIO, interactive: bool) -> None:
        self.scripted = list(scripted)
        self.stream = stream
        self.interactive = interactive
        self.pending: list[str] = []
        self.last_typed = False  # the last token was typed at a terminal, so a typo can be retried

    def next(self, prompt: str, out: TextIO) -> str | None:
        self.last_typed = False
        if self.scripted:
            return self.scripted.pop(0)
        self.last_typed = self.interactive
        while not self.pending:
            if self.interactive:
                out.write(prompt)
                out.flush()
            line = self.stream.readline()
            if not line:
                return None
            self.pending = choice_numbers(line)
        return self.pending.pop(0)


def meters_line(state: State) -> str:
    return " ".join(f"{name}={value}" for name, value in state.meters)


class PlainPlayer:
    def __init__(
        self,
        scenario: Scenario,
        source: ChoiceSource,
        out: TextIO,
        on_step: Callable[[State, State, engine.Outcome, int], None] | None = None,
        on_chapter: Callable[[State], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.source = source
        self.out = out
        self.on_step = on_step
        self.on_chapter = on_chapter

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def show_nodes(self, node_ids) -> None:
        if len(node_ids) > 60:  # an auto-node loop: the start and the end tell the story
            skipped = len(node_ids) - 45
            self.show_nodes(node_ids[:40])
            self.say()
            self.say(f"[... {skipped} more scenes passed without a choice ...]")
            node_ids = node_ids[-5:]
        for node_id in node_ids:
            node = self.scenario.nodes[node_id]
            self.say()
            if node.speaker:
                mood = f" ({node.mood})" if node.mood else ""
                self.say(f"{node.speaker}{mood}: {node.text}")
            else:
                self.say(node.text)

    def show_outcome(self, outcome: engine.Outcome) -> None:
        style = outcome.style
        self.say(f"  Style: {style.label} ({style.tone})")
        changed = outcome.changed
        if changed:
            for change in changed:
                self.say(f"  {change.describe()}")
        else:
            self.say("  No meter changed.")
        if outcome.feedback:
            self.say(f"  Feedback: {outcome.feedback}")
        for advice in outcome.advice:
            sources = "; ".join(advice.sources)
            self.say(f"  Advice: {advice.title}" + (f" (source: {sources})" if sources else ""))

    def play(self, state: State, single_chapter: bool) -> State:
        """Play from `state` until the scenario (or, with `single_chapter`, the chapter) ends."""
        chapter = self.scenario.chapter(state.chapter)
        self.say(f"== {chapter.title} ==")
        if self.on_chapter:
            self.on_chapter(state)
        self.show_nodes(state.passed)
        while True:
            if state.status == engine.STUCK:
                raise PlainExit(EXIT_STUCK, f"error: {state.problem}")
            if state.status == engine.ENDED:
                return state
            if state.status == engine.CHAPTER_END:
                chapter = self.scenario.chapter(state.chapter)
                self.say()
                self.say(f"-- End of chapter: {chapter.title} ({meters_line(state)}) --")
                if single_chapter:
                    return state
                state = engine.next_chapter(self.scenario, state)
                if state.status == engine.ENDED:
                    return state
                self.say()
                self.say(f"== {self.scenario.chapter(state.chapter).title} ==")
                if self.on_chapter:
                    self.on_chapter(state)
                self.show_nodes(state.passed)
                continue
            choices = engine.open_choices(self.scenario, state)
            self.say()
            for number, choice in enumerate(choices, 1):
                self.say(f"  {number}. {choice.text}")
            numbers = ", ".join(str(n) for n in range(1, len(choices) + 1))
            token = self.source.next(f"Choose {numbers}: ", self.out)
            if token is None:
                raise PlainExit(EXIT_INPUT_ENDED, f"error: input ended at node {state.node!r}, which offers choices {numbers}")
            if not re.fullmatch(r"[0-9]{1,18}", token) or not 1 <= int(token) <= len(choices):  # never a huge int()
                if self.source.last_typed:
                    self.say(f"Please type one of {numbers}.")
                    continue
                raise PlainExit(EXIT_BAD_CHOICE, f"error: choice {shown(token)!r} is not offered at node {state.node!r}; the choices offered are {numbers}")
            number = int(token)
            choice = choices[number - 1]
            self.say(f"> {number}. {choice.text}")
            before = state
            state, outcome = engine.choose(self.scenario, state, choice)
            self.show_outcome(outcome)
            if self.on_step:
                self.on_step(before, state, outcome, number)
            self.show_nodes(outcome.passed)

    def final_line(self, state: State) -> str:
        if state.status == engine.ENDED:
            return f"END {state.ending} {meters_line(state)}"
        return f"CHAPTER-END {state.chapter} {meters_line(state)}"

    def show_ending(self, state: State) -> None:
        ending = self.scenario.ending(state.ending)
        self.say()
        self.say(f"== Ending: {ending.title} ==")
        if ending.text:
            self.say(ending.text)


def stdin_source(scripted: list[str]) -> ChoiceSource:
    stream = sys.stdin if sys.stdin is not None else _Empty()
    interactive = bool(getattr(stream, "isatty", lambda: False)())
    return ChoiceSource(scripted, stream, interactive)


class _Empty:
    def readline(self) -> str:
        return ""

    def isatty(self) -> bool:
        return False
