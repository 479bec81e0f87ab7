"""`scenario-game check PATH...` through the real entry point: problems on stdout as
`PATH:LINE: error|warning: MESSAGE`, a summary on stderr, exit 0 without errors, 1 with."""

import os
from pathlib import Path
from clirun import scenario_game

FIXTURES = Path(__file__).parent / "fixtures"
CHECK = FIXTURES / "check"


def check(*paths, cwd=None):
    env = dict(os.environ, SCENARIO_GAME_SAVES=os.devnull)
    return scenario_game("check", *map(str, paths), cwd=cwd, env=env)


def test_a_clean_file_exits_0_and_prints_nothing_on_stdout():
    result = check(FIXTURES / "rules.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "1 file checked: clean"
    assert "Traceback" not in result.stderr


def test_an_invalid_file_exits_1_with_located_lines():
    path = FIXTURES / "invalid.toml"
    result = check(path)
    assert result.returncode == 1
    # invalid.toml: the node header is on line 10, the misspelt [[chapters.nodes.chioces]] on 14
    assert result.stdout.splitlines() == [
        f"{path}:10: error: node 'start' has no way on: give it choices, goto, routes, `end = true` or `ending`",
        f"{path}:14: error: unknown key 'chioces' in node 'start'; did you mean 'choices'?",
    ]
    assert result.stderr.strip() == "1 file checked: 2 errors, 0 warnings"


def test_the_four_format_warnings_and_exit_0():
    path = FIXTURES / "warnings.toml"
    result = check(path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert all(line.startswith(f"{path}:") and ": warning: " in line for line in lines), lines
    # warnings.toml: choice 1 (line 15) tests noticed_phone, never set; choice 2 (line 21)
    # needs trust > 100; node island (line 32) has no way in; ending impossible (line 37)
    # needs closeness < 0.
    assert any(line.startswith(f"{path}:15: warning: flag 'noticed_phone' is tested") and "never set" in line for line in lines)
    assert f"{path}:21: warning: the `if` of choice 2 of node 'start' can never hold when play reaches it: 'trust > 100'" in lines
    assert f"{path}:32: warning: node 'island' can never be reached" in lines
    assert f"{path}:37: warning: ending 'impossible' can never be reached" in lines
    assert "0 errors" in result.stderr


def test_several_files_all_reported_in_one_run():
    invalid, warnings = FIXTURES / "invalid.toml", FIXTURES / "warnings.toml"
    result = check(invalid, warnings)
    assert result.returncode == 1
    files = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert files == {str(invalid), str(warnings)}
    assert result.stderr.startswith("2 files checked: 2 errors")


def test_a_clean_folder_is_searched_recursively_and_exits_0():
    result = check(CHECK / "clean")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.strip() == "2 files checked: clean"  # a.toml and nested/b.toml


def test_a_folder_with_an_invalid_file_exits_1_and_names_it():
    result = check(CHECK / "mixed")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    bad = CHECK / "mixed" / "bad.toml"
    assert lines == [
        f"{bad}:10: error: node 'start' has no way on: give it choices, goto, routes, `end = true` or `ending`",
        f"{bad}:14: error: unknown key 'chioces' in node 'start'; did you mean 'choices'?",
    ]
    assert result.stderr.strip() == "2 files checked: 2 errors, 0 warnings"  # notes.txt is not a scenario


def test_paths_are_printed_as_given(tmp_path):
    (tmp_path / "bad.toml").write_text('format = 1\n[scenario]\ntitle = 3\n')
    result = check("bad.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.toml:3: error: 'title' in [scenario] must be a string, not an integer" in result.stdout.splitlines()
    assert "bad.toml:1: error: the file is missing the required key 'chapters'" in result.stdout.splitlines()


def test_unreadable_inputs_are_located_errors_not_tracebacks(tmp_path):
    (tmp_path / "latin.toml").write_bytes(b'format = 1\n[scenario]\ntitle = "caf\xe9"\n')
    (tmp_path / "empty.toml").write_bytes(b"")
    (tmp_path / "syntax.toml").write_text('format = 1\n[scenario\ntitle = "x"\n')
    result = check(tmp_path / "latin.toml", tmp_path / "empty.toml", tmp_path / "syntax.toml", tmp_path / "missing.toml")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{tmp_path / 'latin.toml'}:3: error: the file is not valid UTF-8: byte 0xe9 at column 13; save it as UTF-8"
    assert lines[1].startswith(f"{tmp_path / 'empty.toml'}:1: error: the file is empty")
    assert lines[2].startswith(f"{tmp_path / 'syntax.toml'}:2: error: TOML syntax error: ")
    assert "(column " in lines[2]
    assert lines[3].startswith(f"{tmp_path / 'missing.toml'}:1: error: cannot read the file")


def test_format_2_is_refused(tmp_path):
    path = tmp_path / "future.toml"
    path.write_text("format = 2\n")
    result = check(path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{path}:1: error: unsupported format 2; this version of the game reads format 1"]


def test_a_folder_without_scenarios_is_an_error(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 1
    assert "no scenario files" in result.stderr
