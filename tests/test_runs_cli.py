"""Saving, resuming, replaying and listing runs through the real `scenario-game` command."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from clirun import scenario_game

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


def run(*args: str, saves: Path, stdin: str = "", cwd: Path | None = None, columns: int = 100) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCENARIO_GAME_SAVES": str(saves), "COLUMNS": str(columns)}
    return scenario_game(*args, input=stdin, env=env, cwd=cwd)


def saves_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


@pytest.fixture
def scenario_copy(tmp_path) -> Path:
    copy = tmp_path / "quiet-dinner.toml"
    shutil.copy(FIXTURE, copy)
    return copy


def test_plain_play_saves_and_says_where_on_stderr(tmp_path):
    saves = tmp_path / "saves"
    result = run("play", str(FIXTURE), "--plain", "--choices", "2,1", saves=saves)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"
    [save] = saves_in(saves)
    assert result.stderr.strip() == f"run saved to {save}"
    assert save.read_text().startswith("save_version = 1")


def test_no_save_writes_nothing(tmp_path):
    saves = tmp_path / "saves"
    result = run("play", str(FIXTURE), "--plain", "--no-save", "--choices", "2,1", saves=saves)
    assert result.returncode == 0
    assert not saves.exists()
    assert result.stderr == ""


def test_saves_option_beats_the_environment(tmp_path):
    result = run("play", str(FIXTURE), "--plain", "--saves", str(tmp_path / "here"), "--choices", "2,1", saves=tmp_path / "env")
    assert result.returncode == 0
    assert len(saves_in(tmp_path / "here")) == 1 and not (tmp_path / "env").exists()


def test_resume_goes_on_from_the_saved_position(tmp_path):
    saves = tmp_path / "saves"
    first = run("play", str(FIXTURE), "--plain", "--choices", "2", saves=saves)
    assert first.returncode == 3  # input ended in chapter two
    assert "--resume" in first.stderr
    [save] = saves_in(saves)
    resumed = run("play", str(FIXTURE), "--plain", "--resume", "--choices", "1", saves=saves)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"
    assert f"continuing {save.name}" in resumed.stderr
    assert saves_in(saves) == [save]  # the same run went on in its own file
    again = run("play", str(FIXTURE), "--plain", "--resume", saves=saves)
    assert again.returncode == 5
    assert "no unfinished run" in again.stderr


def test_resume_a_named_finished_run_explains(tmp_path):
    saves = tmp_path / "saves"
    run("play", str(FIXTURE), "--plain", "--choices", "2,1", saves=saves)
    [save] = saves_in(saves)
    result = run("play", str(FIXTURE), "--plain", "--resume", save.name, saves=saves)
    assert result.returncode == 5
    assert "nothing left to play" in result.stderr and "the ending \u201cReconnected\u201d" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "mangle, reason",
    [
        (lambda text: text[: len(text) // 3], "truncated"),
        (lambda text: text.replace("save_version = 1", "save_version = 3"), "newer Reconnect"),
        (lambda text: "just some words\n", "not valid TOML"),
    ],
)
def test_resume_a_broken_save_says_why(tmp_path, mangle, reason):
    saves = tmp_path / "saves"
    run("play", str(FIXTURE), "--plain", "--choices", "2", saves=saves)
    [save] = saves_in(saves)
    save.write_text(mangle(save.read_text()))
    kept = save.read_bytes()
    result = run("play", str(FIXTURE), "--plain", "--resume", str(save), saves=saves)
    assert result.returncode == 5
    assert result.stderr.startswith("error: ") and reason in result.stderr
    assert "Traceback" not in result.stderr
    assert save.read_bytes() == kept
    # and `--resume` without a name passes over it
    latest = run("play", str(FIXTURE), "--plain", "--resume", saves=saves)
    assert latest.returncode == 5 and "no unfinished run" in latest.stderr


def test_resume_after_the_scenario_changed_replays_its_chapter(tmp_path, scenario_copy):
    saves = tmp_path / "saves"
    run("play", str(scenario_copy), "--plain", "--choices", "2", saves=saves)  # stops in tuesday
    [old] = saves_in(saves)
    kept = old.read_bytes()
    scenario_copy.write_text(scenario_copy.read_text().replace("talking about nothing much", "talking about the week"))
    result = run("play", str(scenario_copy), "--plain", "--resume", "--choices", "1", saves=saves)
    assert result.returncode == 0, result.stderr
    assert "has changed since" in result.stderr and "Replaying the chapter \u201cTuesday: a second try\u201d from its start" in result.stderr
    assert result.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"
    assert old.read_bytes() == kept
    assert len(saves_in(saves)) == 2


def test_from_run_replays_a_chapter_from_its_recorded_start(tmp_path):
    saves = tmp_path / "saves"
    original = run("play", str(FIXTURE), "--plain", "--choices", "2,2,1", saves=saves)
    assert original.returncode == 0
    [save] = saves_in(saves)
    chapter_end = [line for line in original.stdout.splitlines() if line.startswith("-- End of chapter: Tuesday")]
    replay = run("play", str(FIXTURE), "--plain", "--chapter", "tuesday", "--from-run", save.name, "--choices", "2,1", saves=saves)
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout.splitlines()[-1] == "CHAPTER-END tuesday trust=48 closeness=47"
    assert "(trust=48 closeness=47)" in chapter_end[0]
    # not the same as playing tuesday alone from the scenario's starting meters
    alone = run("play", str(FIXTURE), "--plain", "--no-save", "--chapter", "tuesday", "--choices", "2,1", saves=saves)
    assert alone.stdout.splitlines()[-1] == "CHAPTER-END tuesday trust=43 closeness=35"
    assert len(saves_in(saves)) == 2
    missing = run("play", str(FIXTURE), "--plain", "--chapter", "tuesday", "--from-run", "nope.toml", saves=saves)
    assert missing.returncode == 5 and "no such save" in missing.stderr


def test_runs_lists_good_and_unreadable_saves(tmp_path, scenario_copy):
    saves = tmp_path / "saves"
    run("play", str(FIXTURE), "--plain", "--choices", "2,1", saves=saves)
    run("play", str(scenario_copy), "--plain", "--choices", "2", saves=saves)
    scenario_copy.write_text(scenario_copy.read_text() + "\n# edited\n")
    good = saves_in(saves)
    (saves / "cut.toml").write_text(good[0].read_text()[:300])
    (saves / "future.toml").write_text(good[0].read_text().replace("save_version = 1", "save_version = 9"))
    (saves / "pyproject.toml").write_text('[project]\nname = "x"\n')
    before = {p.name: p.read_bytes() for p in saves.iterdir()}
    result = run("runs", saves=saves)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert " ".join(out.split()).startswith(f"Saved runs in {saves}: 2 runs, 3 files that cannot be read (newest first)")
    assert "The Quiet Dinner (format_example.toml)" in lines and "The Quiet Dinner (quiet-dinner.toml)" in lines
    assert "  1 finished run · endings reached 1 of 2: Reconnected" in lines  # unreached endings not named
    assert "  best at an ending: Trust 48, Closeness 52" in lines
    finished = lines.index(next(line for line in lines if line.startswith("  - format_example-")))
    assert lines[finished + 1].endswith(", reached the ending \u201cReconnected\u201d \u00b7 2 replies")
    assert "    played " in lines[finished + 1]
    edited = lines.index(next(line for line in lines if line.startswith("  - quiet-dinner-")))
    assert lines[edited + 1].endswith("unfinished: chapter 2 of 2: Tuesday: a second try \u00b7 1 reply")  # not "1 of 2"
    assert lines[edited + 2] == "    note: the story has changed since this run was saved"
    assert "  unfinished run at chapter 2 of 2: Tuesday: a second try (1 reply)" in lines
    assert "  cut.toml: " in out and "  future.toml: saved by a newer Reconnect (save_version 9)" in out
    assert "  pyproject.toml: not a Reconnect save" in out
    assert "Still apart" not in out
    for internal in ("tuesday-start", "reconnected", "(tuesday)", "monday"):
        assert internal not in out.replace("format_example", "")
    assert max(len(line) for line in lines) <= 100
    narrow = run("runs", saves=saves, columns=50)
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 50
    assert "".join(narrow.stdout.split()) == "".join(out.split())  # wrapped, nothing cut
    assert {p.name: p.read_bytes() for p in saves.iterdir()} == before


def test_runs_with_no_folder(tmp_path):
    result = run("runs", "--saves", str(tmp_path / "none"), saves=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"No saved runs in {tmp_path / 'none'}."
