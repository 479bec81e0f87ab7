"""The scene so far: narration, the partner's lines and the player's replies, newest last."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...model import Choice, Scenario
from ..render import literal


class Transcript(VerticalScroll):
    """A scrollable log of the run's text. Every string is literal scenario text."""

    HELP_TITLE = "The story so far"  # its keys' heading in the help

    def __init__(self, scenario: Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def _add(self, widget: Static) -> None:
        self.mount(widget)
        self.call_after_refresh(self.scroll_end, animate=False)

    def add_heading(self, title: str) -> None:
        self._add(Static(literal(title), classes="entry heading"))

    def add_nodes(self, node_ids) -> None:
        """Show each node entered, in order; the last one is where play now is."""
        for current in self.query(".current"):
            current.remove_class("current")
        for node_id in node_ids:
            node = self.scenario.nodes[node_id]
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
        entries = self.query(".entry")
        if entries:
            entries.last().add_class("current")

    def add_reply(self, choice: Choice, number: int) -> None:
        for current in self.query(".current"):
            current.remove_class("current")
        body = Content.assemble(("You", "bold $accent"), "\n", literal(choice.text))
        self._add(Static(body, classes="entry reply"))

    def add_note(self, text: str) -> None:
        self._add(Static(literal(text), classes="entry note"))
