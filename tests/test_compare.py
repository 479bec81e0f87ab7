"""Comparing two runs: the pure comparison (aligned by scene, told in the story's words)
and `scenario-game compare`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest

from scenario_game import compare, runs
from scenario_game.loader import load_scenario
from scenario_game.progress import Names
from clirun import scenario_game

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"
QUIET = Path(__file__).parent.parent / "scenarios" / "quiet-dinner.toml"


def cli(*args: str, saves: Path, columns: int = 100) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCENARIO_GAME_SAVES": str(saves), "COLUMNS": str(columns)}
    return scenario_game(*args, env=env)


def played(saves: Path, choices: str, *extra: str, scenario: Path = FIXTURE) -> Path:
    before = set(saves.glob("*.toml"))
    result = cli("play", str(scenario), "--plain", "--choices", choices, *extra, saves=saves)
    assert result.returncode in (0, 3), result.stderr
    [new] = set(saves.glob("*.toml")) - before
    return new


@pytest.fixture
def two_runs(tmp_path):
    """A: monday kind, tuesday walk. B: monday kind, tuesday TV first, then the walk."""
    saves = tmp_path / "saves"
    a = played(saves, "2,1")
    b = played(saves, "2,2,1")
    return saves, a, b


def names() -> Names:
    return Names.of(load_scenario(str(FIXTURE)))


def test_comparison_lines_up_the_scenes(two_runs):
    _, a, b = two_runs
    comparison = compare.compare_runs(runs.read_run(a), runs.read_run(b), None, names())
    assert comparison.chapter == "tuesday"  # monday was the same in both, so tuesday is the default
    first, second = comparison.segments
    assert isinstance(first, compare.Shared) and not first.same  # the same scene, different replies
    assert (first.a.text, first.b.text) == ("Suggest a walk after dinner, phones left at home.", "Say nothing and turn on the TV.")
    assert isinstance(second, compare.Branch) and second.a == () and [s.text for s in second.b] == [first.a.text]
    assert comparison.divergence == 0
    assert comparison.a.trajectory("closeness") == [42, 52]
    assert comparison.b.trajectory("closeness") == [42, 37, 47]
    assert [(d.label, d.a, d.b, d.words()) for d in comparison.final_difference()] == [
        ("Trust", 48, 48, "the same"),
        ("Closeness", 52, 47, "A 5 higher"),
    ]
    takeaway = comparison.takeaway()
    assert "A answered with Curious (constructive), B with Avoidant (destructive)" in takeaway[0]
    assert "A ended the chapter with 5 more Closeness than B." in takeaway
    same = compare.compare_runs(runs.read_run(a), runs.read_run(b), "monday", names())
    assert same.divergence is None and all(s.same for s in same.segments)
    assert same.takeaway()[0] == "Both runs gave the same replies all through this chapter."


def step(node: str, index: int, style: str = "curious", tone: str = "constructive") -> runs.Step:
    return runs.Step(1, "c", node, index + 1, index, f"reply {index} at {node}", style, style.title(), tone, (("trust", 50),), (("trust", 50),))


def test_runs_that_part_and_meet_again_are_branches_between_shared_scenes():
    a = [step("start", 0), step("left-1", 0), step("left-2", 0), step("meet", 0)]
    b = [step("start", 1), step("right-1", 0), step("meet", 0)]
    segments = compare._segments(a, b)
    kinds = [type(s).__name__ for s in segments]
    assert kinds == ["Shared", "Branch", "Shared"]
    branch = segments[1]
    assert [s.node for s in branch.a] == ["left-1", "left-2"] and [s.node for s in branch.b] == ["right-1"]
    assert branch.rejoin == "meet" and segments[2].same and not segments[0].same


def test_a_side_that_goes_straight_to_where_the_runs_meet_is_not_said_to_have_ended():
    a = [step("start", 0), step("left-1", 0), step("meet", 0)]
    b = [step("start", 1), step("meet", 0)]
    _, branch, _ = compare._segments(a, b)
    assert branch.b == () and branch.rejoin == "meet"
    ended = compare.Side("B", "", None, (("trust", 50),), tuple(b), True)
    assert compare.why_no_scenes(branch, ended) == "it went straight on to where they meet"
    last = compare.Branch((), (step("right-1", 0),))
    assert compare.why_no_scenes(last, ended) == "the chapter had ended"
    stopped = compare.Side("B", "", None, (("trust", 50),), tuple(b), False)
    assert compare.why_no_scenes(last, stopped) == "the run stopped here"


def test_a_reply_both_runs_gave_under_different_numbers_is_shown_without_a_number(two_runs):
    _, a, b = two_runs
    comparison = compare.compare_runs(runs.read_run(a), runs.read_run(b), "monday", names())
    first = comparison.segments[0]
    assert first.same and first.a.shown == first.b.shown
    assert any(line.startswith(f"     A and B: {first.a.shown}. ") for line in compare.scene_lines(comparison))
    other = attrs.evolve(first.b, shown=first.a.shown + 1)  # the other run saw the replies in another order
    moved = attrs.evolve(comparison, segments=(compare.Shared(first.a, other), *comparison.segments[1:]))
    assert any(line == f"     A and B: {first.a.text}" for line in compare.scene_lines(moved))


def test_horsemen_are_named_in_the_takeaway():
    a = (step("n", 0, "blame", "destructive"), step("m", 0, "stonewalling", "destructive"))
    side = compare.Side("A", "", None, (("trust", 50),), a, True)
    assert side.horsemen() == ["criticism", "stonewalling"]


def test_chart_marks_both_runs_in_plain_characters(two_runs):
    _, a, b = two_runs
    comparison = compare.compare_runs(runs.read_run(a), runs.read_run(b), None, names())
    lines = compare.chart(comparison, "closeness")
    assert lines[0] == "Closeness (0-100; A = run A, B = run B, * = both)"
    body = lines[1:-4]
    plotted = "".join(line.split("|", 1)[1] for line in body)
    assert plotted.count("*") == 1 and plotted.count("A") == 1 and plotted.count("B") == 2
    assert lines[-2].split() == ["A", "42", "52"] and lines[-1].split() == ["B", "42", "37", "47"]
    assert all(ord(ch) < 128 for line in lines for ch in line)


def test_compare_output_through_the_cli_speaks_the_story(two_runs):
    saves, a, b = two_runs
    result = cli("compare", a.name, str(b), saves=saves)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Comparing two runs of The Quiet Dinner"
    assert lines[1].startswith("  A: played ") and lines[1].endswith(", reached the ending \u201cReconnected\u201d")
    assert "== Chapter 1 of 2: Monday: the phone at dinner ==" in lines  # every chapter both played
    assert "== Chapter 2 of 2: Tuesday: a second try ==" in lines
    assert ">> Scene: The next evening, you both get home at the same time." in lines
    assert "     A 1. Suggest a walk after dinner, phones left at home." in lines
    assert "     B 2. Say nothing and turn on the TV." in lines
    assert "          Avoidant (destructive); Closeness -5" in lines
    assert "     A: no scenes of its own (the chapter had ended)" in lines
    assert "  Closeness  A  52  B  47  (A 5 higher)" in lines
    assert "  - A ended the chapter with 5 more Closeness than B." in lines
    out = result.stdout
    assert a.name not in out and b.name not in out
    for node_id in ("tuesday-start", "sam-snaps", "sam-puts-phone-down", "reconnected"):
        assert node_id not in out
    assert max(len(line) for line in lines) <= 100


def test_compare_a_chosen_chapter_by_number_or_title(two_runs):
    saves, a, b = two_runs
    by_number = cli("compare", str(a), str(b), "--chapter", "1", saves=saves)
    assert by_number.returncode == 0
    assert "  - Both runs gave the same replies all through this chapter." in by_number.stdout.splitlines()
    assert "Tuesday: a second try ==" not in by_number.stdout
    by_title = cli("compare", str(a), str(b), "--chapter", "tuesday: a", saves=saves)
    assert "== Chapter 2 of 2: Tuesday: a second try ==" in by_title.stdout.splitlines()
    assert "Monday: the phone at dinner ==" not in by_title.stdout


def test_compare_of_a_long_story_fits_100_columns_and_wraps_narrower(tmp_path):
    saves = tmp_path / "saves"
    a = played(saves, ",".join(["1"] * 15), scenario=QUIET)
    b = played(saves, ",".join(["2"] * 16), scenario=QUIET)
    for columns, limit in ((200, 100), (70, 70)):
        result = cli("compare", str(a), str(b), saves=saves, columns=columns)
        assert result.returncode == 0, result.stderr
        assert max(len(line) for line in result.stdout.splitlines()) <= limit
    assert "tue-" not in result.stdout and "thu-" not in result.stdout and "fri-" not in result.stdout
    assert "Four Horsemen" in result.stdout


def test_compare_refuses_what_cannot_be_compared(two_runs, tmp_path):
    saves, a, b = two_runs
    missing = cli("compare", str(a), "nowhere.toml", saves=saves)
    assert missing.returncode == 5 and "error: save B (nowhere.toml): no such save" in missing.stderr
    never = cli("compare", str(a), str(b), "--chapter", "sunday", saves=saves)
    assert never.returncode == 5 and "chapters both played: Chapter 1 of 2: Monday" in never.stderr
    only_monday = played(saves, "2", "--chapter", "monday")
    chapter = cli("compare", str(only_monday), str(b), "--chapter", "2", saves=saves)
    assert chapter.returncode == 5 and "did not play a chapter '2'" in chapter.stderr
    other = tmp_path / "other.toml"
    shutil.copy(FIXTURE, other)
    elsewhere = played(saves, "2,1", scenario=other)
    different = cli("compare", str(a), str(elsewhere), saves=saves)
    assert different.returncode == 5 and "different stories" in different.stderr
    broken = saves / "broken.toml"
    broken.write_text(a.read_text().replace("save_version = 1", "save_version = 7"))
    newer = cli("compare", str(broken), str(b), saves=saves)
    assert newer.returncode == 5 and "newer Reconnect" in newer.stderr
    for result in (missing, never, chapter, different, newer):
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_chapter_neither_run_has_played_a_step_of(tmp_path):
    saves = tmp_path / "saves"
    played(saves, "2")
    played(saves, "1")
    first, second = sorted(saves.glob("*.toml"))
    result = cli("compare", str(first), str(second), "--chapter", "2", saves=saves)
    assert result.returncode == 0, result.stderr
    assert "  - Neither run has given a reply in this chapter yet." in result.stdout.splitlines()
    assert "At the chapter's end (run A stopped before the chapter's end; run B stopped before the chapter's end):" in result.stdout


def test_runs_that_began_a_chapter_apart_are_told_what_the_chapter_changed():
    def one(label, start, end):
        s = runs.Step(1, "c", "n", 1, 0, "reply", "curious", "Curious", "constructive", (("trust", start),), (("trust", end),))
        return compare.Side(label, "", None, (("trust", start),), (s,), True)

    a, b = one("A", 35, 42), one("B", 55, 54)
    comparison = compare.Comparison("c", a, b, (compare.Shared(a.steps[0], b.steps[0]),), ("trust",), Names(None, {"trust": "Trust"}))
    takeaway = comparison.takeaway()
    assert "B ended the chapter with 12 more Trust than A." in takeaway
    assert "They began the chapter apart, so what this chapter itself changed counts too: A Trust +7; B Trust -1." in takeaway
