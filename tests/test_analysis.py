"""The deep checks, each on a small scenario built for it: every warning is located and
true (a concrete run shows it), and what the analysis cannot prove it does not claim."""

from __future__ import annotations

import json
import textwrap

import pytest

from scenario_game.analysis import analyse
from scenario_game.checking import check_path
from scenario_game.loader import load_text
from clirun import scenario_game

HEAD = 'format = 1\n[scenario]\ntitle = "Test"\n'
END = '\n[[endings]]\nid = "done"\ntitle = "Done"\n'


def build(body: str, endings: str = END):
    text = HEAD + textwrap.dedent(body) + endings
    result = load_text(text, "t.toml", analyse=False)
    assert result.scenario is not None, [str(p) for p in result.problems]
    return result.scenario, text


def warnings_of(body: str, endings: str = END):
    scenario, text = build(body, endings)
    return analyse(scenario).problems, text


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def run_plain(tmp_path, text: str, choices: str):
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return scenario_game("play", str(path), "--plain", "--no-save", "--choices", choices)


# --- refinement by the conditions taken ---------------------------------------------------


def test_a_choice_taken_narrows_the_meter_so_a_later_if_can_never_hold():
    problems, text = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "high road"
        style = "neutral"
        if = "trust >= 60"
        goto = "later"
        [[chapters.nodes.choices]]
        text = "ordinary"
        style = "neutral"
        effects = { trust = 20 }
        goto = "later"
        [[chapters.nodes]]
        id = "later"
        text = "."
        [[chapters.nodes.choices]]
        text = "only when trust is low"
        style = "neutral"
        if = "trust < 60"
        end = true
        [[chapters.nodes.choices]]
        text = "always"
        style = "neutral"
        end = true
        """
    )
    # trust starts at 50: the first choice is never open, the second gives 70.
    messages = {p.line: p.message for p in problems}
    assert "can never hold" in messages[line_of(text, 'text = "high road"') - 1]
    assert "can never hold" in messages[line_of(text, 'text = "only when trust is low"') - 1]
    assert len(problems) == 2


def test_routes_narrow_each_branch_to_the_states_that_take_it():
    problems, text = warnings_of(
        """
        [meters.trust]
        start = 10
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "up"
        style = "neutral"
        effects = { trust = 60 }
        goto = "fork"
        [[chapters.nodes.choices]]
        text = "stay"
        style = "neutral"
        goto = "fork"
        [[chapters.nodes]]
        id = "fork"
        text = "."
        [[chapters.nodes.routes]]
        if = "trust >= 50"
        goto = "warm"
        [[chapters.nodes.routes]]
        goto = "cold"
        [[chapters.nodes]]
        id = "warm"
        text = "."
        [[chapters.nodes.choices]]
        text = "warm but low"
        style = "neutral"
        if = "trust < 50"
        end = true
        [[chapters.nodes.choices]]
        text = "fine"
        style = "neutral"
        end = true
        [[chapters.nodes]]
        id = "cold"
        text = "."
        [[chapters.nodes.choices]]
        text = "cold but high"
        style = "neutral"
        if = "trust + 0 >= 50 or trust > 49"
        end = true
        [[chapters.nodes.choices]]
        text = "fine"
        style = "neutral"
        end = true
        """
    )
    lines = sorted(p.line for p in problems)
    assert lines == [line_of(text, 'text = "warm but low"') - 1, line_of(text, 'text = "cold but high"') - 1]


def test_endings_are_narrowed_by_the_endings_before_them():
    scenario, text = build(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "a"
        style = "neutral"
        effects = { trust = 30 }
        end = true
        [[chapters.nodes.choices]]
        text = "b"
        style = "neutral"
        effects = { trust = -30 }
        end = true
        """,
        """
        [[endings]]
        id = "high"
        title = "High"
        when = "trust >= 60"
        [[endings]]
        id = "middle"
        title = "Middle"
        when = "trust >= 60 and closeness == 50"
        [[endings]]
        id = "low"
        title = "Low"
        """,
    )
    report = analyse(scenario)
    assert [p.message for p in report.problems] == ["ending 'middle' can never be reached"]
    assert report.problems[0].line == line_of(text, 'id = "middle"') - 1
    ranges = {e.id: e.meters for e in report.endings}
    # trust is 80 or 20 at the end: intervals join them, and each `when` cuts its side.
    assert ranges["high"] == {"trust": (60, 80), "closeness": (50, 50)}
    assert ranges["low"] == {"trust": (20, 59), "closeness": (50, 50)}
    assert ranges["middle"] == {}


# --- the format's four warnings --------------------------------------------------------------


def test_unreachable_node_and_flag_never_set_are_located():
    problems, text = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "a"
        style = "neutral"
        if = "lucky"
        end = true
        [[chapters.nodes.choices]]
        text = "b"
        style = "neutral"
        end = true
        [[chapters.nodes]]
        id = "orphan"
        text = "."
        end = true
        """
    )
    found = sorted((p.line, p.message) for p in problems)
    choice_line = line_of(text, 'text = "a"') - 1
    assert found == [
        (choice_line, "flag 'lucky' is tested in choice 1 of node 'start' but never set anywhere, so it is always false"),
        (choice_line, "the `if` of choice 1 of node 'start' can never hold when play reaches it: 'lucky'"),
        (line_of(text, 'id = "orphan"') - 1, "node 'orphan' can never be reached"),
    ]


# --- dead ends ---------------------------------------------------------------------------


DEAD_END = """
[[chapters]]
id = "one"
[[chapters.nodes]]
id = "start"
text = "."
[[chapters.nodes.choices]]
text = "hurt"
style = "blame"
effects = { trust = -30 }
goto = "talk"
[[chapters.nodes.choices]]
text = "kind"
style = "empathetic"
effects = { trust = 10, closeness = 30 }
goto = "talk"
[[chapters.nodes]]
id = "talk"
text = "."
[[chapters.nodes.choices]]
text = "only if trusted"
style = "neutral"
if = "trust >= 40"
end = true
[[chapters.nodes.choices]]
text = "only if very close"
style = "neutral"
if = "closeness > 70"
end = true
"""


def test_a_dead_end_is_reported_with_a_run_that_shows_it(tmp_path):
    problems, text = warnings_of(DEAD_END)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == line_of(text, 'id = "talk"') - 1
    assert "dead end" in problem.message and "'talk'" in problem.message
    assert "choices 1 from the start (trust=20 closeness=50)" in problem.message
    played = run_plain(tmp_path, text, "1")
    assert played.returncode == 4
    assert "talk" in played.stderr


def test_complementary_conditions_are_not_a_dead_end():
    body = DEAD_END.replace('if = "closeness > 70"', 'if = "trust < 40"')
    problems, _ = warnings_of(body)
    assert problems == ()


def test_a_dead_end_the_intervals_cannot_rule_out_but_no_run_reaches_is_not_reported():
    # trust is 20 or 60 at "talk" (intervals say 20..60); the choices cover both values.
    body = DEAD_END.replace('if = "trust >= 40"', 'if = "trust >= 50"').replace('if = "closeness > 70"', 'if = "trust < 30"')
    problems, _ = warnings_of(body)
    assert problems == ()


def test_once_only_choices_in_a_loop_run_out(tmp_path):
    problems, text = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "warm"
        style = "curious"
        effects = { trust = 20 }
        goto = "ask"
        [[chapters.nodes.choices]]
        text = "cool"
        style = "curious"
        goto = "ask"
        [[chapters.nodes]]
        id = "ask"
        text = "."
        [[chapters.nodes.choices]]
        text = "again"
        style = "curious"
        once = true
        goto = "ask"
        [[chapters.nodes.choices]]
        text = "leave"
        style = "curious"
        if = "trust >= 60"
        end = true
        """
    )
    assert len(problems) == 1
    assert problems[0].line == line_of(text, 'id = "ask"') - 1
    assert "dead end" in problems[0].message and "choices 2,1 from the start" in problems[0].message
    assert run_plain(tmp_path, text, "2,1").returncode == 4


# --- loops with no way out ------------------------------------------------------------------


def test_automatic_nodes_that_only_lead_to_each_other_are_a_loop(tmp_path):
    problems, text = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "in"
        style = "neutral"
        goto = "round"
        [[chapters.nodes.choices]]
        text = "out"
        style = "neutral"
        end = true
        [[chapters.nodes]]
        id = "round"
        text = "."
        goto = "about"
        [[chapters.nodes]]
        id = "about"
        text = "."
        goto = "round"
        """
    )
    assert len(problems) == 1
    assert problems[0].line == line_of(text, 'id = "round"') - 1
    assert "loop with no way out" in problems[0].message
    assert "'round', 'about'" in problems[0].message
    assert "choices 1 from the start" in problems[0].message
    assert run_plain(tmp_path, text, "1").returncode == 4


def test_choices_that_only_lead_to_each_other_are_a_loop():
    problems, text = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "in"
        style = "neutral"
        goto = "ping"
        [[chapters.nodes.choices]]
        text = "out"
        style = "neutral"
        end = true
        [[chapters.nodes]]
        id = "ping"
        text = "."
        [[chapters.nodes.choices]]
        text = "p"
        style = "neutral"
        goto = "pong"
        [[chapters.nodes]]
        id = "pong"
        text = "."
        [[chapters.nodes.choices]]
        text = "q"
        style = "neutral"
        goto = "ping"
        [[chapters.nodes.choices]]
        text = "leave, but never possible"
        style = "neutral"
        if = "trust > 100"
        end = true
        """
    )
    messages = sorted((p.line, p.message) for p in problems)
    assert len(messages) == 2
    assert "can never hold" in messages[1][1]
    assert messages[0][0] == line_of(text, 'id = "ping"') - 1
    assert "loop with no way out" in messages[0][1] and "'ping', 'pong'" in messages[0][1]


def test_a_loop_with_a_way_out_is_fine():
    problems, _ = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        effects = { trust = 5 }
        [[chapters.nodes.routes]]
        if = "trust >= 90"
        goto = "out"
        [[chapters.nodes.routes]]
        goto = "start"
        [[chapters.nodes]]
        id = "out"
        text = "."
        end = true
        """
    )
    assert problems == ()


def test_an_automatic_loop_whose_way_out_needs_a_flag_it_never_gets_is_found():
    problems, text = warnings_of(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "start"
        text = "."
        [[chapters.nodes.choices]]
        text = "ready"
        style = "neutral"
        set = ["ready"]
        goto = "wait"
        [[chapters.nodes.choices]]
        text = "not ready"
        style = "neutral"
        goto = "wait"
        [[chapters.nodes]]
        id = "wait"
        text = "."
        [[chapters.nodes.routes]]
        if = "ready"
        goto = "out"
        [[chapters.nodes.routes]]
        goto = "wait"
        [[chapters.nodes]]
        id = "out"
        text = "."
        end = true
        """
    )
    assert len(problems) == 1
    assert problems[0].line == line_of(text, 'id = "wait"') - 1
    assert "go round forever" in problems[0].message and "choices 2 from the start" in problems[0].message


# --- the report -----------------------------------------------------------------------------


def test_paths_per_chapter_count_branches_and_follow_loops_once():
    scenario, _ = build(
        """
        [[chapters]]
        id = "one"
        [[chapters.nodes]]
        id = "a"
        text = "."
        [[chapters.nodes.choices]]
        text = "1"
        style = "neutral"
        goto = "b"
        [[chapters.nodes.choices]]
        text = "2"
        style = "neutral"
        effects = { trust = 10 }
        goto = "b"
        [[chapters.nodes.choices]]
        text = "never"
        style = "neutral"
        if = "trust > 100"
        goto = "b"
        [[chapters.nodes]]
        id = "b"
        text = "."
        [[chapters.nodes.choices]]
        text = "back"
        style = "neutral"
        once = true
        goto = "a"
        [[chapters.nodes.choices]]
        text = "end"
        style = "neutral"
        end = true
        [[chapters.nodes.choices]]
        text = "fork"
        style = "neutral"
        goto = "c"
        [[chapters.nodes]]
        id = "c"
        text = "."
        [[chapters.nodes.routes]]
        if = "trust > 50"
        goto = "d"
        [[chapters.nodes.routes]]
        goto = "d"
        [[chapters.nodes]]
        id = "d"
        text = "."
        end = true
        [[chapters]]
        id = "two"
        [[chapters.nodes]]
        id = "e"
        text = "."
        end = true
        """
    )
    report = analyse(scenario)
    one, two = report.chapters
    # a -> b twice; from b: end (1) or c (two routes) = 3; so 2 * 3 = 6; b -> a is a loop.
    assert (one.paths, one.loops, one.more) == (6, 1, False)
    assert (two.paths, two.loops) == (1, 0)


def test_check_json_gives_problems_and_report(tmp_path):
    path = tmp_path / "dead.toml"
    path.write_text(HEAD + DEAD_END + END, encoding="utf-8")
    result = scenario_game("check", "--json", str(path))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["errors"] == 0 and data["warnings"] == 1
    (entry,) = data["files"]
    (problem,) = entry["problems"]
    assert problem["severity"] == "warning" and problem["path"] == str(path) and problem["line"] > 0
    (ending,) = entry["report"]["endings"]
    assert ending["id"] == "done" and ending["reachable"] is True
    # every run was played: only the kind reply (trust 60, closeness 80) reaches the ending
    assert ending["meters"] == {"trust": [60, 60], "closeness": [80, 80]} and ending["exact"] is True
    assert entry["report"]["chapters"][0]["paths"] == 4


def test_check_report_is_only_shown_when_asked(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(HEAD + DEAD_END.replace('if = "closeness > 70"', 'if = "trust < 40"') + END, encoding="utf-8")
    plain = scenario_game("check", str(path))
    assert plain.returncode == 0 and plain.stdout == ""
    report = scenario_game("check", "--report", str(path))
    assert report.returncode == 0
    assert f"{path}: report" in report.stdout
    assert "ending done (line" in report.stdout and "trust 20..60" in report.stdout
    assert "chapter one (line" in report.stdout and "up to 4 paths" in report.stdout


def test_check_json_on_a_broken_file_has_no_report(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + '[[chapters]]\nid = "one"\n[[chapters.nodes]]\nid = "a"\ntext = "."\ngoto = "nowhere"\n' + END, encoding="utf-8")
    result = scenario_game("check", "--json", str(path))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["files"][0]["report"] is None
    assert "unknown goto target 'nowhere'" in data["files"][0]["problems"][0]["message"]


@pytest.mark.parametrize("path", ["scenarios", "tests/fixtures/format_example.toml"])
def test_shipped_scenarios_stay_clean(path):
    from scenario_game.cli import scenario_files

    for file in scenario_files([path]):
        if "analysis_" in file:
            continue
        problems, report = check_path(file)
        assert problems == (), [str(p) for p in problems]
        assert report is not None and all(e.reachable for e in report.endings)


def test_a_search_cut_short_is_said_not_hidden(tmp_path):
    # Ten yes/no replies in a row, then a node whose replies need trust to have landed
    # exactly on a value the intervals allow: the search must look at many states.
    body = ['[[chapters]]\nid = "one"\n']
    for i in range(12):
        body.append(
            f'[[chapters.nodes]]\nid = "n{i}"\ntext = "."\n'
            f'[[chapters.nodes.choices]]\ntext = "a"\nstyle = "neutral"\neffects = {{ trust = {i + 1} }}\ngoto = "n{i + 1}"\n'
            f'[[chapters.nodes.choices]]\ntext = "b"\nstyle = "neutral"\neffects = {{ closeness = {i + 1} }}\ngoto = "n{i + 1}"\n'
        )
    body.append('[[chapters.nodes]]\nid = "n12"\ntext = "."\n[[chapters.nodes.choices]]\ntext = "c"\nstyle = "neutral"\nif = "trust != 51"\nend = true\n')
    scenario, _ = build("".join(body))
    report = analyse(scenario, budget=50)
    assert report.search_exhausted and report.problems == ()
    assert any("stopped at its limit" in line for line in report.lines())
    full = analyse(scenario)
    assert not full.search_exhausted
    assert [p.message.split(":")[0] for p in full.problems] == ["dead end"]


def test_a_flag_never_set_suggests_the_flag_that_is(tmp_path):
    from scenario_game.loader import load_text

    text = (
        'format = 1\n[scenario]\ntitle = "Flag"\n[[chapters]]\nid = "c"\n'
        '[[chapters.nodes]]\nid = "a"\ntext = "A"\nset = ["noticed_phone"]\n'
        '[[chapters.nodes.choices]]\ntext = "x"\nstyle = "neutral"\nif = "noticed_phon"\nend = true\n'
        '[[chapters.nodes.choices]]\ntext = "y"\nstyle = "neutral"\nend = true\n'
        '[[endings]]\nid = "e"\ntitle = "E"\n'
    )
    messages = [p.message for p in load_text(text, "f.toml").warnings]
    assert any("'noticed_phon'" in m and "did you mean 'noticed_phone'" in m for m in messages), messages
