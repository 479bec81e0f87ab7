"""The keys, read from the bindings themselves: those of the screen the help was opened
over, of each widget on it that can take the focus, and of the app, so a key added
anywhere shows here without anyone remembering to list it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from .base import SizeAware

_NUMBERED = re.compile(r"^(.*?)\s*\d+$")
# Headings for Textual's own widgets, which have no HELP_TITLE: never a class name in the help.
_PLAIN_TITLES = {"OptionList": "The list", "VerticalScroll": "The page", "ScrollableContainer": "The page", "Input": "Typing"}


def declared_bindings(node_class: type) -> list[Binding]:
    """Every binding a class declares or inherits, the class's own first; a subclass's
    binding of a key hides its base's."""
    by_key: dict[str, Binding] = {}
    for cls in node_class.__mro__:
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            by_key.setdefault(binding.key, binding)
    return list(by_key.values())


def key_rows(bindings: Iterable[Binding], key_display) -> list[tuple[str, str]]:
    """(keys, what they do) rows: bindings of one action that differ only by a number
    (`pick(1)` … `pick(9)`, "Reply 2" …) share a row, and so do keys of one action."""
    groups: dict[tuple[str, str], list[Binding]] = {}
    for binding in bindings:
        if not binding.description:
            continue
        action = binding.action.split("(", 1)[0]
        numbered = _NUMBERED.match(binding.description)
        what = numbered.group(1) if numbered and numbered.group(1) else binding.description
        groups.setdefault((action, what), []).append(binding)
    rows = []
    for (_, what), group in groups.items():
        shown = next((b.key_display for b in group if b.key_display), None)
        if shown is None:
            keys = [key_display(b) for b in group]
            digits = sorted(int(k) for k in keys if k.isdigit())
            if len(digits) >= 3 and digits == list(range(digits[0], digits[-1] + 1)):
                keys = [f"{digits[0]}-{digits[-1]}"] + [k for k in keys if not k.isdigit()]
            shown = ", ".join(dict.fromkeys(keys))
        rows.append((shown, group[0].description if len(group) == 1 else what))
    return rows


def key_sections(app, screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help's sections for `screen`: its own keys, each focusable widget's, the app's."""
    display = app.get_key_display
    sections = [("On this screen", key_rows(declared_bindings(type(screen)), display))]
    seen: set[type] = set()
    for widget in screen.query("*"):
        kind = type(widget)
        if kind in seen or not widget.can_focus:
            continue
        seen.add(kind)
        rows = key_rows(declared_bindings(kind), display)
        if rows:
            title = getattr(widget, "HELP_TITLE", None) or _PLAIN_TITLES.get(kind.__name__, "Where the cursor is")
            sections.append((title, rows))
    anywhere = key_rows(declared_bindings(type(app)), display)
    if app.ENABLE_COMMAND_PALETTE:
        anywhere.append((display(Binding(app.COMMAND_PALETTE_BINDING, "command_palette")), "commands: open a story or chapter, saved runs, compare, change the theme"))
    sections.append(("Anywhere", anywhere))
    return [(heading, rows) for heading, rows in sections if rows]


class HelpScreen(SizeAware, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
    ]

    def __init__(self, over: DOMNode | None = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self.over = over  # the screen whose keys to show

    def compose(self) -> ComposeResult:
        over = self.over if self.over is not None else self.app.screen
        sections = key_sections(self.app, over)
        width = max((len(keys) for _, rows in sections for keys, _ in rows), default=4)
        with VerticalScroll(id="dialog"):
            yield Static(Content.styled("Keys", "bold $primary"), id="question")
            for heading, rows in sections:
                yield Static(Content.styled(heading, "bold"), classes="help-heading")
                lines = [Content.assemble((keys.ljust(width), "bold $accent"), "  ", what) for keys, what in rows]
                yield Static(Content("\n").join(lines), classes="help-keys")
            yield Static(
                Content.styled(
                    "Each reply has a communication style. Constructive styles tend to build trust and "
                    "closeness; destructive ones wear them down. The feedback names the advice behind it "
                    "and the article it comes from. A click takes the reply under the mouse.",
                    "italic $foreground-muted",
                ),
                classes="help-note",
            )

    def action_close(self) -> None:
        self.dismiss(None)
