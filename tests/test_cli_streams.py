"""The command with no terminal, a closed or full standard output, or a reader that goes
away: a plain fallback or a one-line error and a non-zero exit, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "format_example.toml"
COMMAND = [sys.executable, "-m", "scenario_game"]


def run(*args: str, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=None, **kwargs) -> subprocess.CompletedProcess:
    """The real entry point; the timeout only turns a hang into a failure."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run([*COMMAND, *args], stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=120, env=environment, **kwargs)


def test_play_without_a_terminal_falls_back_to_plain_play_and_says_so(tmp_path):
    """`scenario-game play FILE < /dev/null > out` once drew the TUI into the pipe and hung."""
    result = run("play", str(EXAMPLE), "--no-save")
    assert result.returncode == 3  # plain play: the input ended at the first choice
    assert b"\x1b" not in result.stdout
    assert result.stdout.startswith(b"The Quiet Dinner\n")
    assert result.stderr.decode().splitlines()[0].startswith("note: no terminal here")


def test_play_with_term_dumb_plays_plain_from_standard_input():
    result = run("play", str(EXAMPLE), "--no-save", stdin=None, input=b"2\n1\n", env={"TERM": "dumb"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[-1] == "END reconnected trust=48 closeness=52"


def test_the_library_without_a_terminal_is_one_line_and_exit_2():
    result = run()
    assert result.returncode == 2 and result.stdout == b""
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("error: the library needs a terminal")


def test_closed_standard_output_is_one_line_not_a_traceback():
    result = subprocess.run(
        ["/bin/sh", "-c", '"$@" >&-', "sh", *COMMAND, "check", str(FIXTURES / "format_example.toml")],
        capture_output=False, stderr=subprocess.PIPE, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["error: standard output is closed; nothing can be shown"]


def test_full_standard_output_is_one_line_not_a_traceback():
    with open("/dev/full", "wb") as full:
        for args in (("stats", str(EXAMPLE)), ("play", str(EXAMPLE), "--plain", "--no-save", "--choices", "2,1"), ("schema",)):
            result = run(*args, stdout=full)
            assert result.returncode == 1, args
            assert result.stderr.decode().splitlines()[-1] == "error: cannot write to standard output: No space left on device", args


def test_a_reader_that_goes_away_ends_the_command_quietly():
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = subprocess.run([*COMMAND, "schema"], stdout=reader.stdin, stderr=subprocess.PIPE, timeout=120)
    reader.stdin.close()
    reader.wait(timeout=120)
    assert result.stderr == b""
    assert result.returncode in (0, 141)  # 141 if the pipe broke before the last write, as Unix tools
