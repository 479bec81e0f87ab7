"""The line-based player: accessible (a screen reader reads it top to bottom) and
scriptable (`--choices 2,1,3`, or numbers on standard input). At a decision, `w` says it
in your own words: the words follow `w` on its line or come on the next line, the coach
reads them, and the story goes on with the closest authored reply (or you pick one).

Exit statuses are part of the format's contract: 0 played to the stop, 2 a choice that
was not offered, 3 input ended early, 4 a node offered no choice.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from typing import TextIO

from . import engine
from .engine import State
from .limits import shown
from .own_words import lines as own_words_lines
from .own_words import say_it
from .session import ChapterStart, History, Reply, Session, Step

EXIT_OK = 0
EXIT_BAD_CHOICE = 2
EXIT_INPUT_ENDED = 3
EXIT_STUCK = 4
QUIT_WORDS = ("q", "quit")  # typed at a prompt: stop here, the run kept as it is


class PlainExit(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def choice_numbers(text: str) -> list[str]:
    """The tokens of `--choices 2,1,3` or of an input line (commas or spaces)."""
    return [token for token in re.split(r"[\s,]+", text.strip()) if token]


WRITE = "w"  # at a decision: say it your own way (the words follow on the line, or on the next)


class ChoiceSource:
    """Choices from `--choices` first, then from standard input, one token at a time; and,
    after `w`, the player's own words: the rest of that line, or else the next line."""

    def __init__(self, scripted: list[str], stream: TextIO, interactive: bool) -> None:
        self.scripted = list(scripted)
        self.stream = stream
        self.interactive = interactive
        self.pending: list[str] = []
        self.line = ""  # the line the pending tokens come from
        self.ends: list[int] = []  # where each pending token ends in it
        self.rest = ""  # the line after the token last given
        self.last_typed = False  # the last token was typed at a terminal, so a typo can be retried

    def next(self, prompt: str, out: TextIO) -> str | None:
        self.last_typed = False
        self.rest = ""
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
            self.line = line
            tokens = list(re.finditer(r"[^\s,]+", line))
            self.pending = [m.group() for m in tokens]
            self.ends = [m.end() for m in tokens]
        end = self.ends.pop(0)
        self.rest = self.line[end:]
        return self.pending.pop(0)

    def words(self, prompt: str, out: TextIO) -> str | None:
        """The player's own reply after `w`: what follows it on its line, else the next line
        (None when the input has ended; "" for an empty line)."""
        if self.pending:
            text = self.rest.strip(" \t\r\n,")
            self.pending, self.ends = [], []
            return text
        if self.interactive:
            out.write(prompt)
            out.flush()
        line = self.stream.readline()
        if not line:
            return None
        return line.strip()


def meters_line(state: State) -> str:
    return " ".join(f"{name}={value}" for name, value in state.meters)


class PlainPlayer:
    """Drives a play session and prints it line by line. It observes the session too, so a
    chapter's start and each reply are printed as the session announces them."""

    def __init__(self, session: Session, source: ChoiceSource, out: TextIO) -> None:
        self.session = session
        self.scenario = session.scenario
        self.source = source
        self.out = out
        self._headings = 0
        # At a terminal, long lines wrap between words (the terminal itself cuts words in
        # two); piped output stays one line per paragraph, for scripts and screen readers.
        self.width = shutil.get_terminal_size().columns - 1 if getattr(out, "isatty", lambda: False)() else None

    def say(self, text: str = "") -> None:
        if self.width and self.width >= 20 and len(text) > self.width:
            text = "\n".join(self._wrapped(line) for line in text.split("\n"))
        self.out.write(text + "\n")

    def _wrapped(self, line: str) -> str:
        """One line wrapped to the terminal, continuation lines under its text (`  1. ` and
        `  Feedback: ` hang their text)."""
        hang = re.match(r"\s*(?:\d+\.\s|[A-Z][a-z]+:\s)?", line).group(0)
        return "\n".join(textwrap.wrap(line, self.width, subsequent_indent=" " * len(hang), break_on_hyphens=False)) or line

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

    def _heading(self, chapter_id: str) -> None:
        if self._headings:
            self.say()
        self._headings += 1
        self.say(f"== {self.scenario.chapter(chapter_id).title} ==")

    # --- what the session announces ---------------------------------------------------

    def chapter_started(self, history: History, start: ChapterStart) -> None:
        self._heading(start.chapter)
        self.show_nodes(history.state.passed)

    def step_taken(self, history: History, step: Step, outcome: engine.Outcome) -> None:
        self.say(f"> {step.shown}. {step.text}")
        self.show_outcome(outcome)
        self.show_nodes(outcome.passed)

    def moved(self, history: History) -> None:
        pass

    def ended(self, history: History) -> None:
        pass

    # --- the loop ---------------------------------------------------------------------

    def _show_resumed(self) -> None:
        """A saved run going on: its chapter as played so far."""
        self._heading(self.session.chapter)
        for part in self.session.transcript():
            if isinstance(part, Reply):
                self.say()
                self.say(f"> {part.step.shown}. {part.step.text}")
            else:
                self.show_nodes(part.nodes)

    def play(self) -> State:
        """Play until the scenario (or, for a lone chapter, the chapter) ends."""
        session = self.session
        session.watch(self)
        if not session.started:
            session.start()
        if not self._headings:
            self._show_resumed()
        while True:
            state = session.state
            if state.status == engine.STUCK:
                raise PlainExit(EXIT_STUCK, f"error: {state.problem}")
            if state.status == engine.ENDED:
                return state
            if state.status == engine.CHAPTER_END:
                chapter = self.scenario.chapter(state.chapter)
                self.say()
                self.say(f"-- End of chapter: {chapter.title} ({meters_line(state)}) --")
                if session.single_chapter:
                    return state
                session.go_on()
                continue
            choices = session.offered()
            self.say()
            for number, choice in enumerate(choices, 1):
                self.say(f"  {number}. {choice.text}")
            numbers = ", ".join(str(n) for n in range(1, len(choices) + 1))
            token = self.source.next(f"Choose {numbers} ({WRITE} to say it your own way, q to stop): ", self.out)
            if token is not None and token.casefold() in QUIT_WORDS:
                raise PlainExit(EXIT_OK, "Stopped.")
            if token is None:
                if self.source.interactive:  # Ctrl-D at a terminal: a player, who never needs the node's id
                    raise PlainExit(EXIT_INPUT_ENDED, f"error: input ended where the story offers choices {numbers}")
                raise PlainExit(EXIT_INPUT_ENDED, f"error: input ended at node {state.node!r}, which offers choices {numbers}")
            if token.lower() == WRITE:
                self.own_words(choices, numbers)
                continue
            if not re.fullmatch(r"[0-9]{1,18}", token) or not 1 <= int(token) <= len(choices):  # never a huge int()
                if self.source.last_typed:
                    self.say(f"Please type one of {numbers}.")
                    continue
                raise PlainExit(EXIT_BAD_CHOICE, f"error: choice {shown(token)!r} is not offered at node {state.node!r}; the choices offered are {numbers}")
            session.take(int(token))

    def own_words(self, choices, numbers: str) -> None:
        """Say it your own way: read the words, show the coach's reading, and go on with the
        closest reply, or let the player pick one. An empty line goes back to the replies."""
        node = self.session.state.node
        text = self.source.words("Your words (an empty line: back to the replies): ", self.out)
        if text is None:
            raise PlainExit(EXIT_INPUT_ENDED, f"error: input ended at node {node!r} after {WRITE}, where your own reply was expected")
        if not text.strip():
            self.say("Nothing written: back to the replies.")
            return
        own = say_it(text, choices, self.scenario)
        self.say()
        for line in own_words_lines(own, self.scenario):
            self.say(line)
        if own.choice is not None:
            self.session.take(own.number, written=own.text)
            return
        self.say()
        for number, choice in enumerate(choices, 1):
            self.say(f"  {number}. {choice.text}")
        while True:
            token = self.source.next(f"Pick {numbers} (q to stop): ", self.out)
            if token is not None and token.casefold() in QUIT_WORDS:
                raise PlainExit(EXIT_OK, "Stopped.")
            if token is None:
                raise PlainExit(EXIT_INPUT_ENDED, f"error: input ended at node {node!r}, where a reply nearest your words was to be picked from {numbers}")
            if re.fullmatch(r"[0-9]{1,18}", token) and 1 <= int(token) <= len(choices):
                self.session.take(int(token), written=own.text)
                return
            if self.source.last_typed:
                self.say(f"Please type one of {numbers}.")
                continue
            raise PlainExit(EXIT_BAD_CHOICE, f"error: choice {shown(token)!r} is not offered at node {node!r}; the choices offered are {numbers}")

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
