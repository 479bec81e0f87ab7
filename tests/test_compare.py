"""Comparing two runs of a chapter: the pure comparison and `scenario-game compare`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scenario_game import compare, runs

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


def cli(*args: str, saves: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCENARIO_GAME_SAVES": str(saves)}
    return subprocess.run([sys.executable, "-m", "scenario_game", *args], capture_output=True, text=True, timeout=60, env=env)


def played(saves: Path, choices: str, *extra: str, scenario: Path = FIXTURE) -> Path:
    before = set(saves.glob("*.toml"))
    result = cli("play", str(scenario), "--plain", "--choices", choices, *extra, saves=saves)
    assert result.returncode == 0, result.stderr
    [new] = set(saves.glob("*.toml")) - before
    return new


@pytest.fixture
def two_runs(tmp_path):
    """A: monday kind, tuesday walk. B: monday kind, tuesday TV first, then the walk."""
    saves = tmp_path / "saves"
    a = played(saves, "2,1")
    b = played(saves, "2,2,1")
    return saves, a, b


def test_comparison_lines_up_the_steps(two_runs):
    saves, a, b = two_runs
    comparison = compare.compare_runs(runs.read_run(a), runs.read_run(b))
    assert comparison.chapter == "tuesday"  # monday was the same in both, so tuesday is the default
    assert comparison.divergence == 1
    assert [row.same for row in comparison.rows] == [False, False]
    assert comparison.rows[1].a is None and comparison.rows[1].b.text.startswith("Suggest a walk")
    assert comparison.a.trajectory("closeness") == [42, 52]
    assert comparison.b.trajectory("closeness") == [42, 37, 47]
    assert [(d.meter, d.a, d.b, d.delta) for d in comparison.final_difference()] == [("trust", 48, 48, 0), ("closeness", 52, 47, -5)]
    assert comparison.a.tally() == {"constructive": 1, "destructive": 0, "neutral": 0}
    assert comparison.b.tally() == {"constructive": 1, "destructive": 1, "neutral": 0}
    same = compare.compare_runs(runs.read_run(a), runs.read_run(b), chapter="monday")
    assert same.divergence is None and all(row.same for row in same.rows)


def test_chart_marks_both_runs_in_plain_characters(two_runs):
    _, a, b = two_runs
    comparison = compare.compare_runs(runs.read_run(a), runs.read_run(b))
    lines = compare.chart(comparison, "closeness")
    assert lines[0] == "Closeness (A = run A, B = run B, * = both)"
    body = lines[1:-4]
    assert body[0].split("|")[0].strip() == "52" and body[-1].split("|")[0].strip() == "37"
    plotted = "".join(line.split("|", 1)[1] for line in body)
    assert plotted.count("*") == 1  # both start at 42
    assert plotted.count("A") == 1 and plotted.count("B") == 2
    assert "A" in body[0] and "B" in body[-1]
    assert lines[-2].split() == ["A", "42", "52"] and lines[-1].split() == ["B", "42", "37", "47"]
    assert all(ord(ch) < 128 for line in lines for ch in line)


def test_compare_output_through_the_cli(two_runs):
    saves, a, b = two_runs
    result = cli("compare", a.name, str(b), saves=saves)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert lines[0] == "Comparing chapter tuesday (Tuesday: a second try) of The Quiet Dinner"
    assert f"  A: {a.name}" in lines and f"  B: {b.name}" in lines
    assert "Both start the chapter at trust=45 closeness=42" in lines
    assert "The runs diverge at step 1 (marked >>)." in lines
    assert ">> Step 1: the runs diverge here" in lines
    assert "     A  at tuesday-start: 1. Suggest a walk after dinner, phones left at home." in lines
    assert "     B  at tuesday-start: 2. Say nothing and turn on the TV." in lines
    assert "        style: Avoidant (destructive); meters after: trust=45 closeness=37" in lines
    assert "     A  (no step: the chapter had ended)" in lines
    assert "Trust (A = run A, B = run B, * = both)" in lines and "Closeness (A = run A, B = run B, * = both)" in lines
    assert "Final difference (at the chapter's end):" in lines
    assert "  Closeness  A 52  B 47  (B - A: -5)" in lines
    assert "  Trust      A 48  B 48  (B - A: +0)" in lines
    assert "  A: 1 constructive, 0 destructive, 0 neutral  [Curious 1]" in lines
    assert "  B: 1 constructive, 1 destructive, 0 neutral  [Avoidant 1, Curious 1]" in lines


def test_compare_a_chosen_chapter(two_runs):
    saves, a, b = two_runs
    result = cli("compare", str(a), str(b), "--chapter", "monday", saves=saves)
    assert result.returncode == 0
    assert "The runs took the same choices all through the chapter." in result.stdout
    assert "   Step 1: same choice" in result.stdout.splitlines()


def test_compare_refuses_what_cannot_be_compared(two_runs, tmp_path):
    saves, a, b = two_runs
    missing = cli("compare", str(a), "nowhere.toml", saves=saves)
    assert missing.returncode == 5 and "error: save B (nowhere.toml): no such save" in missing.stderr
    never = cli("compare", str(a), str(b), "--chapter", "sunday", saves=saves)
    assert never.returncode == 5 and "never played chapter 'sunday'" in never.stderr
    only_monday = played(saves, "2", "--chapter", "monday")
    chapter = cli("compare", str(only_monday), str(b), "--chapter", "tuesday", saves=saves)
    assert chapter.returncode == 5 and "run A" in chapter.stderr and "it played: monday" in chapter.stderr
    other = tmp_path / "other.toml"
    shutil.copy(FIXTURE, other)
    elsewhere = played(saves, "2,1", scenario=other)
    different = cli("compare", str(a), str(elsewhere), saves=saves)
    assert different.returncode == 5 and "different scenarios" in different.stderr
    broken = saves / "broken.toml"
    broken.write_text(a.read_text().replace("save_version = 1", "save_version = 7"))
    newer = cli("compare", str(broken), str(b), saves=saves)
    assert newer.returncode == 5 and "newer Reconnect" in newer.stderr
    for result in (missing, never, chapter, different, newer):
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_chapter_neither_run_has_played_a_step_of(tmp_path):
    saves = tmp_path / "saves"
    a = cli("play", str(FIXTURE), "--plain", "--choices", "2", saves=saves)
    b = cli("play", str(FIXTURE), "--plain", "--choices", "1", saves=saves)
    assert a.returncode == b.returncode == 3  # both stopped as tuesday began
    first, second = sorted(saves.glob("*.toml"))
    result = cli("compare", str(first), str(second), "--chapter", "tuesday", saves=saves)
    assert result.returncode == 0, result.stderr
    assert "Neither run has taken a step in this chapter yet." in result.stdout.splitlines()
    assert "run A stopped before the chapter's end; run B stopped before the chapter's end" in result.stdout
