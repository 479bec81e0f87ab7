"""The story map: every node, choice, route and ending is drawn, coloured by tone, and
scenario text never breaks out of its label."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from scenario_game.graph import TONE_COLOURS, dot_escape, mermaid_escape, shorten, to_dot, to_mermaid
from scenario_game.loader import load_path, load_text
from clirun import scenario_game

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"

HOSTILE = '''format = 1
[scenario]
title = "A \\"quoted\\" title \\\\ with a backslash"
[[chapters]]
id = "end"
title = "subgraph end ]] click x call alert(1)"
[[chapters.nodes]]
id = "end"
text = "Say \\"hi\\" <b>bold</b> |pipe| #hash; {curly} [square] -->"
[[chapters.nodes.choices]]
text = "A\\nnewline and \\"quotes\\" and a very long sentence that should be cut short somewhere"
style = "blame"
if = "trust > 0"
ending = "end"
[[chapters.nodes.choices]]
text = "calm"
style = "empathetic"
end = true
[[endings]]
id = "end"
title = "The \\"end\\""
'''


def run(*args: str) -> subprocess.CompletedProcess:
    return scenario_game(*args)


def test_mermaid_draws_chapters_nodes_edges_and_endings():
    scenario = load_path(FIXTURE).scenario
    text = to_mermaid(scenario)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert sum(line.strip().startswith("subgraph ") for line in lines) == len(scenario.chapters)
    for node_id in scenario.nodes:
        assert f'["{mermaid_escape(node_id)}<br/>' in text
    choices = sum(len(n.choices) for n in scenario.nodes.values())
    solid = [line for line in lines if " --> " in line or re.search(r" -->\|", line)]
    assert len(solid) == choices
    assert any("Ending: Reconnected" in line and "([" in line for line in lines)
    # One linkStyle per edge, in order, each edge coloured by its style's tone.
    edges = [line for line in lines if "-->" in line or "-.->" in line]
    styles = [line for line in lines if line.strip().startswith("linkStyle")]
    assert [int(s.split()[1]) for s in styles] == list(range(len(edges)))
    first_choice = scenario.nodes["dinner"].choices[0]
    assert scenario.styles[first_choice.style].tone == "destructive"
    assert TONE_COLOURS["destructive"] in styles[0]  # edges come in file order: dinner's first choice


def test_dot_draws_clusters_dashed_routes_and_chapter_ends():
    scenario = load_path(FIXTURE).scenario
    text = to_dot(scenario)
    assert text.startswith('digraph "') and text.rstrip().endswith("}")
    assert text.count("subgraph cluster_") == len(scenario.chapters)
    assert '"n:sam-snaps" -> "n:cold-night" [label="if trust < 32", style=dashed' in text
    assert '"n:sam-snaps" -> "n:awkward-silence" [label="otherwise", style=dashed' in text
    # the first chapter's end leads to the second chapter's first node
    second = scenario.chapters[1].start
    assert re.search(rf'-> "n:{second}" \[label="chapter ends", style=dashed', text)
    for ending in scenario.endings:
        assert f'"e:{ending.id}" [shape=doubleoctagon' in text
    assert f'color="{TONE_COLOURS["constructive"]}"' in text and f'color="{TONE_COLOURS["destructive"]}"' in text


def test_hostile_text_stays_inside_its_labels():
    result = load_text(HOSTILE, "hostile.toml")
    assert result.scenario is not None, result.problems
    mermaid = to_mermaid(result.scenario)
    for line in mermaid.splitlines():
        # every quoted label is closed on its line, and no raw markup survives
        assert line.count('"') % 2 == 0, line
        for bad in ("<b>", "{curly}", "[square]", "alert(1)]", "|pipe|"):
            assert bad not in line, line
    assert "\nend\n" not in mermaid.replace("  end\n", "")  # the id `end` is never a raw Mermaid word
    dot = to_dot(result.scenario)
    # every line of DOT has balanced quotes once escaped quotes are removed
    for line in dot.splitlines():
        assert line.replace('\\"', "").count('"') % 2 == 0, line
    assert '\\"quoted\\"' in dot and "\\\\ with a backslash" in dot


def test_escapes_and_shortening():
    assert mermaid_escape('a"b<c>#') == "a#34;b#60;c#62;#35;"
    assert dot_escape('a"b\\c\nd') == 'a\\"b\\\\c\\nd'
    assert shorten("short") == "short"
    cut = shorten("word " * 30)
    assert len(cut) <= 40 and cut.endswith("…")


def test_graph_command(tmp_path):
    result = run("graph", str(FIXTURE), "--format", "dot")
    assert result.returncode == 0 and result.stdout.startswith("digraph")
    assert run("graph", str(FIXTURE)).stdout.startswith("flowchart TD")
    broken = tmp_path / "broken.toml"
    broken.write_text('format = 1\n[scenario]\ntitle = "x"\n[[chapters]]\nid = "a"\n[[chapters.nodes]]\nid = "n"\ntext = "."\ngoto = "nowhere"\n[[endings]]\nid = "e"\ntitle = "E"\n')
    bad = run("graph", str(broken))
    assert bad.returncode == 1
    assert f"{broken}:9: error: unknown goto target 'nowhere'" in bad.stdout
    assert "Traceback" not in bad.stderr
    missing = run("graph", str(tmp_path / "none.toml"))
    assert missing.returncode == 1 and "cannot read the file" in missing.stdout


def test_nodes_no_run_reaches_are_drawn_dashed():
    text = FIXTURE.read_text(encoding="utf-8").replace('\n[[endings]]', '\n[[chapters.nodes]]\nid = "orphan"\ntext = "Never shown."\nend = true\n\n[[endings]]', 1)
    scenario = load_text(text, "orphan.toml").scenario
    dot = to_dot(scenario)
    assert '"n:orphan" [label="orphan\\nNever shown.", style="rounded,dashed"' in dot
    assert '"n:dinner" [label="dinner\\n' in dot and '"n:dinner" [label="dinner\\nSam: Sam scrolls through the phone…", style' not in dot
    mermaid = to_mermaid(scenario)
    (listed,) = [line.split()[1] for line in mermaid.splitlines() if line.strip().startswith("class ") and line.endswith(" unreachable")]
    assert f'    {listed}["orphan<br/>Never shown."]' in mermaid.splitlines()
    assert "classDef unreachable" not in to_mermaid(load_path(FIXTURE).scenario)
