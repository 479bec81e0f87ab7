"""Files as an attacker would share them: devices, pipes, links, huge numbers, deep
nesting, folders that cannot be listed. Each gives a sentence and a non-zero exit (or is
listed as unreadable), never a traceback, a hang or a flood of memory."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hostile import FIXTURES, cli, played_save, rewrite_save

from scenario_game import cli as cli_module
from scenario_game.loader import load_text
from scenario_game.safeio import UnusableFile, read_regular

EXAMPLE = FIXTURES / "format_example.toml"


def flat(output: bytes) -> bytes:
    """Output without whitespace: a long temporary path wraps anywhere."""
    return b"".join(output.split())


# --- reading only regular files ------------------------------------------------------


def test_read_regular_reads_a_file_and_a_link_within_its_folder(tmp_path):
    (tmp_path / "a.toml").write_bytes(b"x = 1\n")
    (tmp_path / "b.toml").symlink_to("a.toml")
    assert read_regular(tmp_path / "a.toml", 100) == b"x = 1\n"
    assert read_regular(tmp_path / "b.toml", 100, within=tmp_path) == b"x = 1\n"


def test_read_regular_refuses_devices_pipes_links_out_and_large_files_unread(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # opening it for reading would wait for a writer
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    (tmp_path / "big").write_bytes(b"x" * 101)
    outside = tmp_path / "outside.toml"
    outside.write_text("secret = 1\n")
    (tmp_path / "saves").mkdir()
    (tmp_path / "saves" / "out.toml").symlink_to(outside)
    with pytest.raises(UnusableFile, match="named pipe"):
        read_regular(tmp_path / "pipe", 100)
    with pytest.raises(UnusableFile, match="device"):
        read_regular("/dev/zero", 100)
    with pytest.raises(UnusableFile, match="outside"):
        read_regular(tmp_path / "zero.toml", 100, within=tmp_path)
    with pytest.raises(UnusableFile, match="too large"):
        read_regular(tmp_path / "big", 100)
    with pytest.raises(UnusableFile, match="outside"):
        read_regular(tmp_path / "saves" / "out.toml", 100, within=tmp_path / "saves")


def unfinished_save(tmp_path: Path, saves: Path, **run_fields) -> Path:
    save = played_save(tmp_path, saves)

    def change(document):
        document["position"]["status"] = "choosing"
        document["position"].pop("ending", None)
        document["run"].update(run_fields)

    rewrite_save(save, change)
    return save


@pytest.mark.parametrize("kind", ["fifo", "device", "link-out"])
def test_a_save_that_is_not_a_regular_file_is_listed_unreadable_and_refused(tmp_path, kind):
    saves = tmp_path / "saves"
    saves.mkdir()
    bad = saves / "bad.toml"
    if kind == "fifo":
        os.mkfifo(bad)
    elif kind == "device":
        bad.symlink_to("/dev/zero")
    else:
        (tmp_path / "elsewhere.toml").write_text((FIXTURES / "format_example.toml").read_text())
        bad.symlink_to(tmp_path / "elsewhere.toml")
    listing = cli("runs", saves=saves)
    assert listing.returncode == 0
    assert b"bad.toml:notread:itis" in flat(listing.stdout)
    resumed = cli("play", str(EXAMPLE), "--plain", "--resume", "bad", saves=saves)
    assert resumed.returncode == 5
    assert resumed.stderr.startswith(b"error: not read: it is ") and b"Traceback" not in resumed.stderr
    compared = cli("compare", "bad", "bad", saves=saves)
    assert compared.returncode == 5 and b"Traceback" not in compared.stderr


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_a_save_whose_scenario_file_is_a_device_or_a_pipe_is_unusable(tmp_path, target):
    saves = tmp_path / "saves"
    saves.mkdir()
    if target == "fifo":
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    save = unfinished_save(tmp_path, saves, file=target)
    listing = cli("runs", saves=saves)
    assert listing.returncode == 0
    assert flat(f"{save.name}: its scenario file {target} is not read".encode()) in flat(listing.stdout)
    resumed = cli("play", str(EXAMPLE), "--plain", "--resume", save.name, saves=saves)
    assert resumed.returncode == 5 and b"is not read: it is a" in resumed.stderr


def test_a_scenario_file_that_is_a_pipe_or_a_device_is_a_located_error(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    for path in (str(tmp_path / "pipe.toml"), "/dev/zero"):
        for args in (("check", path), ("play", path, "--plain"), ("stats", path)):
            result = cli(*args, saves=tmp_path / "saves")
            assert result.returncode == 1, args
            assert f"{path}:1: error: not read: it is a".encode() in result.stdout + result.stderr, args


# --- numbers ------------------------------------------------------------------------

SCENARIO = """format = 1
[scenario]
title = "Numbers"
[meters.trust]
start = {start}
max = {high}
[[chapters]]
id = "one"
title = "One"
[[chapters.nodes]]
id = "start"
text = "A quiet evening."
[[chapters.nodes.choices]]
text = "Ask."
style = "curious"
effects = {{ trust = {effect} }}
if = "{condition}"
end = true
[[endings]]
id = "fin"
title = "Fin"
"""
HUGE = "9" * 4400
LONG = "9" * 19


@pytest.mark.parametrize(
    "fields, line",
    [
        ({"start": HUGE, "high": HUGE}, 5),
        ({"start": LONG, "high": LONG}, 5),
        ({"effect": HUGE}, 16),
        ({"effect": LONG}, 16),
        ({"effect": json.dumps("=" + HUGE)}, 16),
        ({"effect": json.dumps("=-" + LONG)}, 16),
        ({"effect": json.dumps("%+" + HUGE)}, 16),
        ({"condition": "trust < " + HUGE}, 17),
        ({"condition": "trust < " + LONG}, 17),
    ],
)
def test_every_number_in_a_scenario_has_at_most_18_digits_with_a_located_error(fields, line):
    values = {"start": 50, "high": 100, "effect": 5, "condition": "trust > 0"} | fields
    result = load_text(SCENARIO.format(**values), "n.toml")
    assert result.scenario is None
    assert [p.line for p in result.errors] >= [line]
    assert any("18 digits" in p.message or "0 to 100" in p.message for p in result.errors)


def test_18_digit_numbers_play_and_print_whole(tmp_path):
    big = "9" * 18
    path = tmp_path / "big.toml"
    path.write_text(SCENARIO.format(start=big, high=big, effect=json.dumps("=-" + big), condition="trust > -" + big))
    result = cli("play", str(path), "--plain", "--no-save", "--choices", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[-1] == "END fin trust=0"


@pytest.mark.parametrize("how", ["argument", "stdin"])
def test_a_huge_choice_number_is_not_offered(how):
    huge = "1" * 4400
    args = ("play", str(EXAMPLE), "--plain", "--no-save")
    result = cli(*args, "--choices", huge) if how == "argument" else cli(*args, stdin=huge.encode() + b"\n")
    assert result.returncode == 2
    assert result.stderr.startswith(b"error: choice '111111111111\xe2\x80\xa6 (4400 digits)' is not offered")


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("save_version = 1", "save_version = 1" + "0" * 4400),
        lambda text: text.replace("save_version = 1", "save_version = 1" + "0" * 30),
        lambda text: re.sub(r"chapter_count = \d+", "chapter_count = 1" + "0" * 4400, text),
        lambda text: text.replace("[position.meters]\ntrust = ", "[position.meters]\ntrust = 1" + "0" * 20),
        lambda text: re.sub(r"chapter_count = \d+", "chapter_count = " + "[" * 50000 + "]" * 50000, text),
    ],
    ids=["huge-version", "long-version", "huge-count", "long-meter", "deep-nesting"],
)
def test_a_save_with_huge_numbers_or_deep_nesting_is_unreadable_not_a_crash(tmp_path, change):
    saves = tmp_path / "saves"
    save = unfinished_save(tmp_path, saves)
    save.write_text(change(save.read_text()))
    listing = cli("runs", saves=saves)
    assert listing.returncode == 0 and b"Traceback" not in listing.stderr
    assert f"{save.name}:".encode() in flat(listing.stdout) and b"cannot be read" in listing.stdout.lower()
    resumed = cli("play", str(EXAMPLE), "--plain", "--resume", save.name, saves=saves)
    assert resumed.returncode == 5 and resumed.stderr.startswith(b"error: ")


def test_a_saves_folder_that_cannot_be_listed_is_one_line_and_exit_5(tmp_path, monkeypatch, capsys):
    saves = tmp_path / "saves"
    saves.mkdir()

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)  # as a folder without read permission (root ignores chmod)
    assert cli_module.main(["runs", "--saves", str(saves)]) == 5
    assert cli_module.main(["play", str(EXAMPLE), "--plain", "--resume", "--saves", str(saves)]) == 5
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: cannot list the saves folder {saves}: Permission denied"] * 2


# --- saves are private, and dead writers' leftovers go ------------------------------


def test_saves_and_the_folder_the_game_creates_are_private(tmp_path):
    saves = tmp_path / "new" / "saves"
    save = played_save(tmp_path, saves)
    assert oct(save.stat().st_mode & 0o777) == oct(0o600)
    assert oct(saves.stat().st_mode & 0o777) == oct(0o700)
    assert oct((tmp_path / "new").stat().st_mode & 0o777) == oct(0o700)


def test_the_next_save_removes_temporary_files_of_dead_writers_only(tmp_path):
    import subprocess
    import sys

    saves = tmp_path / "saves"
    saves.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = saves / f".old-run.toml.{dead}-0123abcd.tmp"
    live = saves / f".other.toml.{os.getppid()}-89abcdef.tmp"  # a writer still running
    unrelated = saves / "notes.tmp"
    for path in (stale, live, unrelated):
        path.write_text("partial")
    played_save(tmp_path, saves)
    assert not stale.exists()
    assert live.exists() and unrelated.exists()


# --- the line map ---------------------------------------------------------------------


def test_a_50000_part_dotted_key_is_a_located_error_and_the_map_stays_shallow():
    from scenario_game.linemap import MAX_DEPTH, LineMap

    key = "x." + ".".join(["a"] * 50000)
    text = (FIXTURES / "defaults.toml").read_text().replace("[[chapters]]", f"{key} = 1\n\n[[chapters]]", 1)
    line = text[: text.index(key)].count("\n") + 1
    result = load_text(text, "deep.toml")
    assert [(p.line, p.severity) for p in result.problems] == [(line, "error")]
    assert "more than 24 parts" in result.problems[0].message
    # The map itself records at most MAX_DEPTH parts of any key: linear in the key's length.
    for source in (f"{key} = 1\n", f"[{key}]\ny = 1\n", f"t = {{ {key} = 1 }}\n"):
        assert max(len(loc) for loc in LineMap(source).lines) <= MAX_DEPTH + 2  # the table or key holding it


def test_line_numbers_after_an_escaped_quote_in_a_multiline_string_and_in_a_quoted_key():
    text = '''format = 1

[scenario]
title = "Lines"

[[chapters]]
id = "only"
title = "Only"

[[chapters.nodes]]
id = "start"
text = """
They say \\""" and then
style = "quoted"
"""
style = "stray"
end = true

[[endings]]
id = "fin"
title = "Fin"
"b\\"ad" = 2
'''
    result = load_text(text, "lines.toml")
    assert [(p.line, p.message) for p in result.errors] == [
        (16, "unknown key 'style' in node 'start'"),
        (22, "unknown key 'b\"ad' in ending 'fin'"),
    ]
