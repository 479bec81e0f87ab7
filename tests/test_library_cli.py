"""The library from any folder, through the real `scenario-game` command: the bundled
stories beside the player's own, `play ID`, `list`, and saves in the player's data folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from clirun import scenario_game

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"
BUNDLED_IDS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))


def run(*args: str, cwd: Path, env: dict | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    return scenario_game(*args, input=stdin, cwd=cwd, env={**os.environ, **(env or {})})


@pytest.fixture
def data_home() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


@pytest.fixture
def empty(tmp_path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def rows(stdout: str) -> dict[str, list[str]]:
    """`list`'s table rows by id, each split on runs of two or more spaces."""
    import re

    lines = stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["ID", "TITLE", "CHAPTERS", "FROM", "PROGRESS"]
    table = {}
    for line in lines[1:]:
        if not line:
            break
        cells = re.split(r"\s{2,}", line)
        table[cells[0]] = cells[1:]
    return table


def test_list_from_an_empty_folder_shows_the_bundled_stories(empty):
    result = run("list", cwd=empty)
    assert result.returncode == 0, result.stderr
    table = rows(result.stdout)
    assert sorted(table) == BUNDLED_IDS and len(table) >= 4
    assert table["quiet-dinner"] == ["The Quiet Dinner", "3", "bundled", "not played yet"]
    assert result.stdout.splitlines()[-1] == f"{len(BUNDLED_IDS)} stories to play; start one with: scenario-game play ID"
    assert list(empty.iterdir()) == []


def first_reply_play(story: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    return run("play", story, "--plain", "--choices", "1", *extra, cwd=cwd)


def test_runs_follow_the_player_across_folders(tmp_path, data_home):
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir(), there.mkdir()
    played = first_reply_play("quiet-dinner", here)
    assert played.returncode != 0  # input ends after one reply: the run is kept, unfinished
    [save] = (data_home / "reconnect" / "saves").glob("*.toml")
    assert f"run saved to {save} (go on with: scenario-game play quiet-dinner --plain --resume)" in played.stderr
    assert list(here.iterdir()) == []
    listed = rows(run("list", cwd=there).stdout)
    assert listed["quiet-dinner"][3].startswith("unfinished run at chapter 1 of 3: ")
    assert listed["after-the-argument"][3] == "not played yet"
    assert save.name in run("runs", cwd=there).stdout


def test_saves_folder_flag_and_variable_override_the_data_folder(tmp_path, empty, data_home):
    by_variable, by_flag = tmp_path / "by-variable", tmp_path / "by-flag"
    result = run("play", "quiet-dinner", "--plain", "--choices", "1", cwd=empty, env={"SCENARIO_GAME_SAVES": str(by_variable)})
    assert len(list(by_variable.glob("*.toml"))) == 1, result.stderr
    result = run("play", "quiet-dinner", "--plain", "--choices", "1", "--saves", str(by_flag), cwd=empty, env={"SCENARIO_GAME_SAVES": str(by_variable)})
    assert len(list(by_flag.glob("*.toml"))) == 1, result.stderr
    assert not (data_home / "reconnect").exists()
    assert list(empty.iterdir()) == []


def test_play_by_id_from_your_folder_and_the_bundled_ones(tmp_path, empty):
    own = tmp_path / "mine"
    own.mkdir()
    shutil.copy(FIXTURE, own / "first-talk.toml")
    listed = rows(run("list", "--scenarios", str(own), cwd=empty).stdout)
    assert listed["first-talk"][2] == "yours" and listed["quiet-dinner"][2] == "bundled"
    result = run("--scenarios", str(own), "play", "first-talk", "--plain", "--no-save", "--choices", "2,1", cwd=empty)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"
    result = run("play", "first-talk", "--scenarios", str(own), "--plain", "--no-save", "--choices", "2,1", cwd=empty)
    assert result.returncode == 0, result.stderr


def test_your_scenarios_folder_is_found_in_the_current_folder(tmp_path):
    (tmp_path / "scenarios").mkdir()
    shutil.copy(FIXTURE, tmp_path / "scenarios" / "first-talk.toml")
    listed = rows(run("list", cwd=tmp_path).stdout)
    assert listed["first-talk"][2] == "yours"


def test_an_unknown_story_id_says_which_there_are(empty):
    result = run("play", "quiet-diner", "--plain", "--no-save", cwd=empty)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: no story 'quiet-diner' (as a file or a story id); did you mean 'quiet-dinner'? Stories: ")
    assert all(story in line for story in BUNDLED_IDS)


def test_a_missing_file_path_is_reported_by_the_loader_not_as_an_id(empty):
    result = run("play", "nowhere/quiet-dinner.toml", "--plain", "--no-save", cwd=empty)
    assert result.returncode == 1
    assert "nowhere/quiet-dinner.toml" in result.stderr and "no story" not in result.stderr


def test_the_repository_scenarios_folder_is_not_listed_twice():
    listed = run("list", cwd=ROOT).stdout
    assert sorted(rows(listed)) == BUNDLED_IDS
    assert "yours" not in listed
