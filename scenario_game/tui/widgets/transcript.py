"""The scene so far: narration, the partner's lines and the player's replies, newest last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:  # the play screen can be drawn before the model is imported (firstscene.py)
    from ...model import Choice, Scenario
from ..render import literal


STORY_KEYS = ("pageup", "pagedown", "home", "end")


def story_bindings() -> list[Binding]:
    """PgUp/PgDn/Home/End for a widget of the play screen: they scroll the story whatever
    has focus (the widget's own scrolling stays on the arrow keys)."""
    return [Binding(key, f"scroll_story('{key}')", "Scroll the story", show=False) for key in STORY_KEYS]


def scroll_story(screen, key: str) -> None:
    for transcript in screen.query(Transcript):
        {"pageup": transcript.scroll_page_up, "pagedown": transcript.scroll_page_down, "home": transcript.scroll_home, "end": transcript.scroll_end}[key](animate=False)


class Transcript(VerticalScroll):
    """A scrollable log of the run's text. Every string is literal scenario text.

    New text is shown from its start: a chapter from its heading, a reply with the
    partner's answer below it, so the player reads from the top down (PgDn for more)."""

    HELP_TITLE = "The story so far"  # its keys' heading in the help

    def __init__(self, scenario: Scenario | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self._anchor: Static | None = None
        # The newest entry and the one marked `current`, kept here so a reply needs no
        # query over the whole (ever longer) story.
        self._last: Static | None = None
        self._current: Static | None = None

    def _add(self, widget: Static, anchor: bool = False) -> None:
        self.mount(widget)
        self._last = widget
        if anchor:
            self._anchor = widget
        self.call_after_refresh(self._follow)

    def _follow(self) -> None:
        """Scroll so the latest heading or reply is at the top (or as near as it can be)."""
        anchor = self._anchor
        if anchor is not None and anchor.is_mounted:
            self.scroll_to(y=anchor.virtual_region.y, animate=False)
        else:
            self.scroll_end(animate=False)

    def add_heading(self, title: str) -> None:
        self._add(Static(literal(title), classes="entry heading"), anchor=True)

    def add_lines(self, nodes) -> None:
        """Show these nodes (anything with `speaker`, `mood` and `text`: the model's nodes,
        or a scene card's lines), in order; the last one is where play now is."""
        self._clear_current()
        for node in nodes:
            if node.speaker:
                head = Content.assemble(literal(node.speaker, "bold $primary"))
                if node.mood:
                    head = head.append(literal(f"  ({node.mood})", "italic $foreground-muted"))
                body = Content.assemble(head, "\n", literal(node.text))
                classes = "entry speech"
            else:
                body = literal(node.text)
                classes = "entry narration"
            self._add(Static(body, classes=classes))
        if self._last is not None:
            self._current = self._last
            self._current.add_class("current")

    def _clear_current(self) -> None:
        if self._current is not None:
            self._current.remove_class("current")
            self._current = None

    def add_reply(self, choice: Choice, number: int, written: str | None = None) -> None:
        """The reply taken; with `written`, the player's own words first, then the authored
        reply the story went on with."""
        self._clear_current()
        if written is None:
            body = Content.assemble(("You", "bold $accent"), "\n", literal(choice.text))
        else:
            body = Content.assemble(
                ("You", "bold $accent"), ("  in your own words", "$foreground-muted"), "\n",
                literal(f"\u201c{written}\u201d", "italic"), "\n",
                ("as if: ", "$foreground-muted"), literal(choice.text, "$foreground-muted"),
            )
        self._add(Static(body, classes="entry reply"), anchor=True)

    def add_note(self, text: str) -> None:
        self._add(Static(literal(text), classes="entry note"), anchor=True)
