"""No raw escape sequence, C1 control or bidi override from a file reaches any output."""

from __future__ import annotations

import json
import shutil

import pytest
from hostile import C1, CLEAR, ESC, FIXTURES, HOSTILE, OSC52, RLO, cli, hostile_save, raw_controls

from scenario_game.loader import load_text
from scenario_game.safetext import json_text, visible, visible_line


def test_visible_escapes_controls_c1_bidi_and_lone_surrogates_like_less():
    assert visible(f"a{ESC}[2Jb") == "a\\x1b[2Jb"
    assert visible("bell\x07 del\x7f csi\x9b cr\r") == "bell\\x07 del\\x7f csi\\x9b cr\\x0d"
    assert visible(f"left {RLO}right\u2066x\u2069") == "left \\u202eright\\u2066x\\u2069"
    assert visible("name\udcff") == "name\\udcff"
    assert not raw_controls(visible(HOSTILE))


def test_visible_keeps_newlines_tabs_marks_and_ordinary_text():
    text = "Sam said:\n\t\"I'm fine.\" — מה? \u200f ok [bold]x[/]"
    assert visible(text) == text
    assert visible_line("two\nlines\tand") == "two\\nlines\\tand"


def test_json_text_escapes_what_json_leaves_raw_and_stays_the_same_data():
    data = {"title": f"x{ESC}y{C1}z{RLO}\x7f\u2067 é"}
    text = json_text(data, indent=2)
    assert not raw_controls(text)
    assert "é" in text  # still readable, not ensure_ascii
    assert json.loads(text) == data


# --- the loader: authors find them -------------------------------------------------

SCENARIO = """format = 1
[scenario]
title = "Hostile"
[[chapters]]
id = "one"
title = "One"
[[chapters.nodes]]
id = "start"
text = {text}
[[chapters.nodes.choices]]
text = "Go on."
style = "curious"
end = true
[[endings]]
id = "fin"
title = "Fin"
"""


def test_a_control_character_in_a_scenario_string_is_a_located_error():
    result = load_text(SCENARIO.format(text=json.dumps("Hi" + CLEAR)), "s.toml")
    assert result.scenario is None
    [error] = result.errors
    assert (error.line, error.severity) == (9, "error")
    assert "U+001B" in error.message and "'text' in node 'start'" in error.message


def test_a_bidi_override_in_a_scenario_string_is_a_located_warning():
    result = load_text(SCENARIO.format(text=json.dumps("Hi" + RLO + "there")), "s.toml")
    assert result.scenario is not None
    assert [(p.line, p.severity) for p in result.problems if "U+202E" in p.message] == [(9, "warning")]


def test_newlines_and_tabs_in_scenario_strings_stay_allowed():
    result = load_text(SCENARIO.format(text='"""Line one,\n\tline two."""'), "s.toml")
    assert result.scenario is not None, result.problems


# --- every CLI output ----------------------------------------------------------------


@pytest.fixture
def bidi_scenario(tmp_path):
    """A scenario that loads (bidi controls are only a warning) with them in every field."""
    text = (FIXTURES / "format_example.toml").read_text("utf-8")
    for field in ('title = "', 'text = "', 'label = "', 'speaker = "', 'mood = "', 'feedback = "', 'partner = "'):
        text = text.replace(field, field + "\\u202e\\u2066")
    path = tmp_path / "bidi.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("check", "{file}"),
        ("check", "--json", "{file}"),
        ("check", "--report", "{file}"),
        ("stats", "{file}"),
        ("stats", "--json", "{file}"),
        ("graph", "{file}"),
        ("graph", "--format", "dot", "{file}"),
        ("play", "{file}", "--plain", "--choices", "2,1"),
    ],
)
def test_no_bidi_override_from_a_scenario_reaches_the_output(bidi_scenario, tmp_path, args):
    result = cli(*(a.format(file=bidi_scenario) for a in args), saves=tmp_path / "saves")
    assert result.returncode == 0, result.stderr
    if args[0] != "check":  # check names the character rather than showing the text
        assert "u202e" in result.stdout.decode()  # escaped (Mermaid writes the backslash as #92;)
    assert not raw_controls(result.stdout) and not raw_controls(result.stderr)


def test_a_scenario_with_escape_sequences_is_refused_and_the_refusal_is_safe(tmp_path):
    path = tmp_path / "esc.toml"
    path.write_text(SCENARIO.format(text=json.dumps(OSC52 + CLEAR)), "utf-8")
    for args in (("check", str(path)), ("play", str(path), "--plain"), ("stats", str(path)), ("graph", str(path))):
        result = cli(*args, saves=tmp_path / "saves")
        assert result.returncode == 1, args
        assert not raw_controls(result.stdout) and not raw_controls(result.stderr), args


def test_a_file_name_with_an_escape_sequence_is_shown_escaped(tmp_path):
    folder = tmp_path / f"dir{ESC}]0;x\x07"
    folder.mkdir()
    shutil.copy(FIXTURES / "invalid.toml", folder / f"bad{CLEAR}{RLO}.toml")
    result = cli("check", str(folder))
    assert result.returncode == 1
    assert b"\\x1b" in result.stdout
    assert not raw_controls(result.stdout) and not raw_controls(result.stderr)


def test_runs_and_compare_show_a_hostile_save_escaped(tmp_path):
    saves = tmp_path / "saves"
    first = hostile_save(tmp_path, saves, name=f"a{CLEAR}{RLO}.toml")
    second = hostile_save(tmp_path, saves, name=f"b{OSC52}.toml")
    listing = cli("runs", saves=saves)
    assert listing.returncode == 0, listing.stderr
    assert b"Title \\x1b]52" in listing.stdout
    assert not raw_controls(listing.stdout) and not raw_controls(listing.stderr)
    compared = cli("compare", str(first), str(second), saves=saves)
    assert compared.returncode == 0, compared.stderr
    assert not raw_controls(compared.stdout) and not raw_controls(compared.stderr)
    resumed = cli("play", str(FIXTURES / "format_example.toml"), "--plain", "--resume", str(first), saves=saves)
    assert not raw_controls(resumed.stdout) and not raw_controls(resumed.stderr)
