"""Plain play stops cleanly on `q` or `quit`, and says how to go on when input runs out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


def play(stdin: str, saves: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCENARIO_GAME_SAVES": str(saves)}
    return subprocess.run(
        [sys.executable, "-m", "scenario_game", "play", str(FIXTURE), "--plain"], input=stdin, capture_output=True, text=True, timeout=60, env=env
    )


@pytest.mark.parametrize("word", ["q", "quit", "Q"])
def test_q_at_a_prompt_stops_cleanly_and_says_where_the_run_is(tmp_path, word):
    result = play(f"2\n{word}\n", tmp_path)
    assert result.returncode == 0, result.stderr
    [save] = tmp_path.glob("*.toml")
    assert "Stopped." in result.stderr
    assert f"run saved to {save} (go on with: scenario-game play {FIXTURE} --plain --resume)" in result.stderr
    assert "Please type" not in result.stdout and "Traceback" not in result.stderr


def test_q_before_any_reply_saves_nothing_and_says_so(tmp_path):
    result = play("q\n", tmp_path)
    assert result.returncode == 0
    assert "Nothing was saved: a run is saved from its first reply." in result.stderr
    assert list(tmp_path.glob("*.toml")) == []


def test_input_that_ends_early_keeps_status_3_and_explains_how_to_go_on(tmp_path):
    result = play("2\n", tmp_path)
    assert result.returncode == 3
    assert "Input ended before the story did" in result.stderr
    assert "(go on with: scenario-game play" in result.stderr and "--resume)" in result.stderr


def test_ctrl_d_at_a_terminal_never_shows_a_node_id(tmp_path):
    import pty

    main, terminal = pty.openpty()
    env = {**os.environ, "SCENARIO_GAME_SAVES": str(tmp_path)}
    with subprocess.Popen(
        [sys.executable, "-m", "scenario_game", "play", str(FIXTURE), "--plain"], stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        os.close(terminal)
        os.write(main, b"2\n\x04")  # a reply, then Ctrl-D at the next prompt
        out, err = process.communicate(timeout=60)
    os.close(main)
    assert process.returncode == 3, err
    assert "error: input ended where the story offers choices 1, 2" in err
    assert "node" not in err and "Input ended before the story did" in err


def test_at_a_terminal_plain_play_wraps_between_words_and_hangs_replies_under_their_text(tmp_path):
    import pty

    command = [sys.executable, "-m", "scenario_game", "play", str(FIXTURE), "--plain", "--in-order", "--choices", "2", "--no-save"]
    env = {**os.environ, "SCENARIO_GAME_SAVES": str(tmp_path), "COLUMNS": "41"}
    main, terminal = pty.openpty()
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.PIPE, env=env) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed: the game has ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(main)
    lines = b"".join(chunks).decode().replace("\r\n", "\n").splitlines()
    piped = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env).stdout
    assert max(len(line) for line in piped.splitlines()) > 40  # piped: one line per paragraph
    assert max(len(line) for line in lines) <= 40
    assert " ".join(lines).split() == piped.split()  # the same words, none cut in two
    reply = next(i for i, line in enumerate(lines) if line.startswith("  2. "))
    assert lines[reply + 1].startswith("     ") and lines[reply + 1].strip()  # the reply's second line hangs under its text
