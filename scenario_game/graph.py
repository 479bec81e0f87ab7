"""The story map: a scenario as a Mermaid flowchart or a Graphviz DOT graph.

Chapters are clusters, choices are solid edges coloured by their style's tone, routes
and gotos are dashed, a chapter's end leads to the next chapter's first node, endings
are nodes of their own, and nodes that no run can reach are drawn dashed and grey. Scenario text is untrusted: every label is escaped for
the target language (Mermaid entity codes, DOT quoted strings), and ids never appear
raw in Mermaid (its `end` is a keyword), only as generated names.
"""

from __future__ import annotations

from .model import END, ENDING, GOTO, Exit, Scenario
from .safetext import visible

TONE_COLOURS = {"constructive": "#2e7d32", "destructive": "#c62828", "neutral": "#616161"}
AUTO_COLOUR = "#1565c0"
LABEL_WIDTH = 40
_MERMAID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:!?'()-_/")


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    """One line of at most `width` characters, cut at a word where it can; control
    characters are escaped first, so a cut never leaves a sequence open."""
    text = " ".join(visible(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:") + "…"


def mermaid_escape(text: str) -> str:
    """Text for a quoted Mermaid label: anything but plain letters and punctuation becomes an entity code."""
    return "".join(c if c in _MERMAID_SAFE else f"#{ord(c)};" for c in text)


def dot_escape(text: str) -> str:
    """Text for a DOT quoted string (control characters shown escaped, never raw)."""
    return visible(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class _Map:
    """The graph once, in a neutral shape: clusters, nodes and edges with their kind."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.edges: list[tuple[str, str, str, str]] = []  # (from, to, label, colour or "dashed:colour")
        self.finale = "finale"
        from .analysis import flow

        self.reachable = set(flow(scenario).at_node)  # nodes some run enters; the others are drawn dashed
        for node in scenario.nodes.values():
            source = f"n:{node.id}"
            for way in node.exits():
                target = self._target(node.chapter, way)
                if way.choice is not None:
                    choice = way.choice
                    label = shorten(choice.text)
                    if choice.condition is not None:
                        label = f"{label} [if {shorten(choice.condition.source, 24)}]"
                    colour = TONE_COLOURS.get(scenario.styles[choice.style].tone, TONE_COLOURS["neutral"])
                    self.edges.append((source, target, label, colour))
                elif way.route is not None:
                    route = way.route
                    label = f"if {shorten(route.condition.source, 30)}" if route.condition is not None else "otherwise"
                    self.edges.append((source, target, label, "dashed"))
                else:
                    self.edges.append((source, target, "chapter ends" if way.kind == END else "", "dashed"))
        for ending in scenario.endings:
            label = f"when {shorten(ending.condition.source, 30)}" if ending.condition is not None else "otherwise"
            self.edges.append((self.finale, f"e:{ending.id}", label, "dashed"))

    def _target(self, chapter: str, way: Exit) -> str:
        if way.kind == GOTO:
            return f"n:{way.target}"
        if way.kind == ENDING:
            return f"e:{way.target}"
        following = self.scenario.next_chapter(chapter)
        return f"n:{following.start}" if following is not None else self.finale

    def node_label(self, node_id: str) -> str:
        node = self.scenario.nodes[node_id]
        who = f"{node.speaker}: " if node.speaker else ""
        return f"{node.id}\n{shorten(who + node.text)}"


def to_mermaid(scenario: Scenario) -> str:
    graph = _Map(scenario)
    names: dict[str, str] = {}

    def name(key: str) -> str:
        if key not in names:
            names[key] = f"x{len(names)}"
        return names[key]

    def label(text: str) -> str:
        return '"' + "<br/>".join(mermaid_escape(part) for part in text.split("\n")) + '"'

    out = ["flowchart TD"]
    for index, chapter in enumerate(scenario.chapters):
        out.append(f"  subgraph c{index}[{label('Chapter ' + str(index + 1) + ': ' + shorten(chapter.title))}]")
        for node_id in chapter.nodes:
            out.append(f"    {name('n:' + node_id)}[{label(graph.node_label(node_id))}]")
        out.append("  end")
    out.append(f"  {name(graph.finale)}{{{{{label('last chapter ends: first ending whose when holds')}}}}}")
    for ending in scenario.endings:
        out.append(f"  {name('e:' + ending.id)}([{label('Ending: ' + shorten(ending.title))}])")
    styles = []
    for number, (source, target, text, colour) in enumerate(graph.edges):
        arrow = "-.->" if colour == "dashed" else "-->"
        edge_label = f"|{label(text)}|" if text else ""
        out.append(f"  {name(source)} {arrow}{edge_label} {name(target)}")
        stroke = AUTO_COLOUR if colour == "dashed" else colour
        styles.append(f"  linkStyle {number} stroke:{stroke},color:{stroke}")
    out.extend(styles)
    out.append("  classDef ending fill:#fff3e0,stroke:#ef6c00,stroke-width:2px")
    out.append("  class " + ",".join(name("e:" + e.id) for e in scenario.endings) + " ending")
    unreachable = [name("n:" + n) for n in scenario.nodes if n not in graph.reachable]
    if unreachable:
        out.append("  classDef unreachable stroke-dasharray:5 5,color:#9e9e9e")
        out.append("  class " + ",".join(unreachable) + " unreachable")
    return "\n".join(out) + "\n"


def to_dot(scenario: Scenario) -> str:
    graph = _Map(scenario)

    def q(text: str) -> str:
        return f'"{dot_escape(text)}"'

    out = [
        f"digraph {q(scenario.title)} {{",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for index, chapter in enumerate(scenario.chapters):
        out.append(f"  subgraph cluster_{index} {{")
        out.append(f"    label={q('Chapter ' + str(index + 1) + ': ' + shorten(chapter.title))};")
        for node_id in chapter.nodes:
            dashed = "" if node_id in graph.reachable else ', style="rounded,dashed", fontcolor="#9e9e9e"'
            out.append(f"    {q('n:' + node_id)} [label={q(graph.node_label(node_id))}{dashed}];")
        out.append("  }")
    out.append(f"  {q(graph.finale)} [shape=hexagon, label={q('last chapter ends: first ending whose when holds')}];")
    for ending in scenario.endings:
        out.append(f"  {q('e:' + ending.id)} [shape=doubleoctagon, style=filled, fillcolor=\"#fff3e0\", label={q('Ending: ' + shorten(ending.title))}];")
    for source, target, text, colour in graph.edges:
        attrs = [f"label={q(text)}"] if text else []
        if colour == "dashed":
            attrs += ["style=dashed", f'color="{AUTO_COLOUR}"']
        else:
            attrs += [f'color="{colour}"', f'fontcolor="{colour}"']
        out.append(f"  {q(source)} -> {q(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


FORMATS = {"mermaid": to_mermaid, "dot": to_dot}
