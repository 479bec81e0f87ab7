"""A chapter map in the spirit of Detroit's flowchart: the chapter's scenes and replies
as a tree from its start, marked where any saved run has been, with the share explored.

`chapter_map` is pure (scenario + explored ids -> lines and counts); the screen reads the
saves in a worker thread and draws the lines with literal text."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...records import frozen
from ... import runs
from ...model import ENDING, GOTO, Node, Scenario
from ..render import literal
from ..theme import TONE_COLOUR
from ..widgets.footer import KeyFooter
from .base import BaseScreen

SEEN = "$tone-constructive"  # explored
UNSEEN = "$unexplored"  # not yet


@frozen
class MapLine:
    depth: int
    kind: str  # "node", "choice", "route", "goto", "stop", "again", "unreachable"
    text: str
    explored: bool
    detail: str = ""  # a short note after the text (style, where it leads)
    tone: str = ""


@frozen
class ChapterMap:
    chapter: str
    lines: tuple[MapLine, ...]
    nodes: int
    nodes_explored: int
    choices: int
    choices_explored: int

    @property
    def share(self) -> float:
        """The part of the chapter's replies (or, without replies, scenes) any run has taken."""
        if self.choices:
            return self.choices_explored / self.choices
        return self.nodes_explored / self.nodes if self.nodes else 0.0


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


MAX_DEPTH = 6  # beyond this depth each level adds one column, not two, up to MAX_INDENT
MAX_INDENT = 24


def indent_of(depth: int) -> int:
    """Columns of indent for a line at `depth`: two a level, then one, then no more, so a
    long branch keeps its shape and still leaves room for its text."""
    return min(MAX_INDENT, 2 * min(depth, MAX_DEPTH) + max(0, depth - MAX_DEPTH))
NOT_REACHED = "a scene not reached yet"
NOT_TRIED = "a reply not tried yet"


def chapter_map(scenario: Scenario, chapter_id: str, explored_nodes: set[str], explored_choices: set[str], author: bool = False) -> ChapterMap:
    """The chapter as a tree from its start node: each scene once (a later way back to it is
    a pointer), each reply and where it leads, marked explored or not.

    The player's view (the default) is a flowchart without spoilers: what a run has
    explored in the story's words, everything else a locked entry with no text, style or
    condition. `author=True` shows it all: node ids, conditions, once-only replies."""
    chapter = scenario.chapter(chapter_id)
    own = set(chapter.nodes)
    lines: list[MapLine] = []
    shown: set[str] = set()

    def node_line(node: Node, depth: int) -> None:
        who = f"{node.speaker}: " if node.speaker else ""
        seen = node.id in explored_nodes
        if author:
            lines.append(MapLine(depth, "node", node.id, seen, _short(who + node.text)))
        else:
            lines.append(MapLine(depth, "node", _short(who + node.text, 90) if seen else NOT_REACHED, seen))

    def ending_line(ending_id: str, depth: int, seen: bool) -> None:
        if author:
            lines.append(MapLine(depth, "stop", f"ending: {ending_id}", seen))
            return
        title = scenario.ending(ending_id).title if seen else ""
        lines.append(MapLine(depth, "stop", f"ending: {title}" if seen else "an ending not reached yet", seen))

    def lead(target: str, depth: int) -> None:
        seen = target in explored_nodes
        if target not in own:
            other = scenario.nodes[target].chapter
            where = f"chapter {other} at {target}" if author else scenario.chapter(other).title
            lines.append(MapLine(depth, "stop", f"goes on in {where}", seen))
        elif target in shown:
            if author:
                text = f"back to {target} (shown above)"
            else:
                text = f"back to \u201c{_short(scenario.nodes[target].text, 40)}\u201d (above)" if seen else "back to a scene above"
            lines.append(MapLine(depth, "again", text, seen))
        else:
            walk(target, depth)

    def walk(node_id: str, depth: int) -> None:
        node = scenario.nodes[node_id]
        shown.add(node_id)
        node_line(node, depth)
        if node.kind == "choices":
            for way in node.exits():
                choice = way.choice
                key = f"{node.id}#{choice.index}"
                seen = key in explored_choices
                style = scenario.styles.get(choice.style)
                label = style.label if style else choice.style
                tone = style.tone if style else "neutral"
                if author:
                    condition = f" (if {choice.condition.source})" if choice.condition is not None else ""
                    once = " (once)" if choice.once else ""
                    lines.append(MapLine(depth + 1, "choice", f"{choice.index + 1}. {_short(choice.text, 64)}", seen, f"{label}{condition}{once}", tone))
                elif seen:
                    lines.append(MapLine(depth + 1, "choice", _short(choice.text, 90), True, label, tone))
                else:
                    lines.append(MapLine(depth + 1, "choice", NOT_TRIED, False))
                if way.kind == GOTO:
                    lead(way.target, depth + 2)
                elif way.kind == ENDING:
                    ending_line(way.target, depth + 2, seen)
                else:
                    lines.append(MapLine(depth + 2, "stop", "the chapter ends", seen))
        elif node.goto is not None:
            lead(node.goto, depth + 1)
        elif node.routes:
            if not author:
                seen = any(route.goto in explored_nodes for route in node.routes)
                lines.append(MapLine(depth + 1, "route", f"then one of {len(node.routes)} ways, depending on how things stand", seen))
            for route in node.routes:
                if author:
                    condition = f"if {route.condition.source}" if route.condition is not None else "otherwise"
                    lines.append(MapLine(depth + 1, "route", condition, route.goto in explored_nodes, f"-> {route.goto}"))
                lead(route.goto, depth + 2)
        elif node.ending is not None:
            ending_line(node.ending, depth + 1, node.id in explored_nodes)
        else:
            lines.append(MapLine(depth + 1, "stop", "the chapter ends", node.id in explored_nodes))

    walk(chapter.start, 0)
    for node_id in chapter.nodes:  # scenes only reached from another chapter, or not at all
        if node_id not in shown:
            text = "not reached from the chapter's start:" if author else "scenes reached from another chapter:"
            lines.append(MapLine(0, "unreachable", text, False))
            walk(node_id, 1)
    choices = [f"{n}#{c.index}" for n in chapter.nodes for c in scenario.nodes[n].choices]
    return ChapterMap(
        chapter=chapter_id,
        lines=tuple(lines),
        nodes=len(chapter.nodes),
        nodes_explored=sum(1 for n in chapter.nodes if n in explored_nodes),
        choices=len(choices),
        choices_explored=sum(1 for key in choices if key in explored_choices),
    )


def line_content(line: MapLine) -> Content:
    """One map line, without its indent (the screen indents each line's widget, so a long
    line wraps under its own start)."""
    mark_style = SEEN if line.explored else UNSEEN
    locked = line.text in (NOT_REACHED, NOT_TRIED) or line.text.startswith(("an ending not", "back to a scene above"))
    text_style = "italic " + UNSEEN if locked else ""
    if line.kind == "node":
        parts = [("● " if line.explored else "○ ", f"bold {mark_style}")]
        if line.detail:  # the author's view: the id, then the text
            parts += [literal(line.text, f"bold {'$primary' if line.explored else UNSEEN}"), ("  ", ""), literal(line.detail, "" if line.explored else UNSEEN)]
        else:
            parts.append(literal(line.text, text_style or "bold $primary"))
        return Content.assemble(*parts)
    if line.kind == "choice":
        parts = [("✓ " if line.explored else "· ", f"bold {mark_style}"), literal(line.text, text_style or ("" if line.explored else UNSEEN))]
        if line.detail:
            parts += [("  ", ""), literal(f"[{line.detail}]", f"italic {TONE_COLOUR.get(line.tone, TONE_COLOUR['neutral'])}")]
        return Content.assemble(*parts)
    if line.kind == "route":
        return Content.assemble(("? ", mark_style), literal(line.text, "italic"), ("  ", ""), literal(line.detail, "$foreground-muted"))
    if line.kind == "unreachable":
        return literal(line.text, "italic $warning")
    arrow = "↩ " if line.kind == "again" else "■ "
    return Content.assemble((arrow, mark_style), literal(line.text, f"italic {'' if line.explored else UNSEEN}".strip()))


class ChapterMapScreen(BaseScreen):
    """One chapter's map, in the player's view (no spoilers) or, with `a`, the author's
    (ids and conditions); `[` and `]` move between chapters."""

    DEFAULT_CSS = """
    ChapterMapScreen { align-horizontal: center; }
    ChapterMapScreen #map-head { height: auto; padding: 1 2 0 2; max-width: 130; }
    ChapterMapScreen #map-share { height: auto; padding: 0 2 1 2; max-width: 130; }
    ChapterMapScreen #map { height: 1fr; margin: 0 2 1 2; border: round $panel; padding: 0 1; max-width: 130; }
    ChapterMapScreen #map:focus { border: round $primary 60%; }
    ChapterMapScreen #map > Static { height: auto; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "chapter(-1)", "Prev chapter"),
        Binding("right_square_bracket", "chapter(1)", "Next chapter"),
        Binding("a", "toggle_author", "Author view"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, scenario: Scenario, chapter: str | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.chapter = chapter or scenario.chapters[0].id
        self.explored_nodes: set[str] = set()
        self.explored_choices: set[str] = set()
        self.run_count: int | None = None
        self.author = False

    def compose(self) -> ComposeResult:
        yield Static(id="map-head")
        yield Static(Content.styled("Reading saves …", "italic $foreground-muted"), id="map-share")
        yield VerticalScroll(id="map")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_map()
        self.query_one("#map").focus()
        self.load()

    @work(thread=True, exclusive=True, group="chapter-map")
    def load(self) -> None:
        nodes: set[str] = set()
        choices: set[str] = set()
        found = [s for s in runs.scenario_runs(self.scenario, self.app.saves_folder) if not s.scenario_changed]
        for saved in found:
            seen_nodes, seen_choices = saved.run.explored()
            nodes |= seen_nodes
            choices |= seen_choices
        self.app.call_from_thread(self._loaded, nodes, choices, len(found))

    def _loaded(self, nodes: set[str], choices: set[str], count: int) -> None:
        self.explored_nodes, self.explored_choices, self.run_count = nodes, choices, count
        self.show_map()

    def action_chapter(self, step: int) -> None:
        ids = [c.id for c in self.scenario.chapters]
        self.chapter = ids[(ids.index(self.chapter) + step) % len(ids)]
        self.show_map()
        self.query_one("#map", VerticalScroll).scroll_home(animate=False)

    def action_toggle_author(self) -> None:
        self.author = not self.author
        self.show_map()

    def show_map(self) -> None:
        chapter = self.scenario.chapter(self.chapter)
        number = self.scenario.chapter_index(self.chapter) + 1
        view = ("Author's view: ids and conditions  ·  a: the player's view", "italic $warning") if self.author else (
            "a: the author's view (ids and conditions; spoilers)", "$foreground-muted"
        )
        self.query_one("#map-head", Static).update(
            Content.assemble(
                ("Chapter map  ", "bold"),
                (f"chapter {number} of {len(self.scenario.chapters)}: ", "$foreground-muted"),
                literal(chapter.title, "bold $primary"),
                "\n",
                view,
            )
        )
        drawn = chapter_map(self.scenario, self.chapter, self.explored_nodes, self.explored_choices, author=self.author)
        if self.run_count is not None:
            runs_text = f"from {self.run_count} saved run{'s' if self.run_count != 1 else ''} of this version of the story"
            self.query_one("#map-share", Static).update(
                Content.assemble(
                    ("Explored ", "bold"),
                    (f"{round(drawn.share * 100)}%", f"bold {SEEN}"),
                    f"  ·  {drawn.choices_explored} of {drawn.choices} replies  ·  {drawn.nodes_explored} of {drawn.nodes} scenes  ",
                    (runs_text, "$foreground-muted"),
                    ("\n● ✓ explored   ○ · not yet   ↩ leads back   ■ ends", "$foreground-muted"),
                )
            )
        body = self.query_one("#map", VerticalScroll)
        with self.app.batch_update():
            body.remove_children()
            widgets = []
            for line in drawn.lines:
                widget = Static(line_content(line), classes=f"map-line -{line.kind}")
                widget.styles.padding = (0, 0, 0, indent_of(line.depth))
                widgets.append(widget)
            body.mount_all(widgets)
