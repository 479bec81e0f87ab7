"""Say it your own way in plain play, through the real entry point: `w` and a line of
words at a decision, the coach's reading, the story going on with the closest authored
reply (or the player picking one when the coach cannot tell), the words kept in the save
unless the player says not to, and compare showing them."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from scenario_game import runs
from scenario_game.coach import closest_choice, read
from scenario_game.loader import load_scenario
from scenario_game.own_words import AS_IF, PICK, say_it
from clirun import scenario_game

EXAMPLE = Path(__file__).parent / "fixtures" / "format_example.toml"

# At the example's first decision: 1 blame, 2 an I-statement, 3 sarcasm.
I_STATEMENT = "I felt lonely at dinner. Could we talk?"
BLAMING = "You never listen to me, you are so selfish."  # as close to the blame as to the sarcasm
MISSING = "I've been missing you lately. Can we talk while we eat?"  # reply 2's text


def cli(*args: str, stdin: str = "", saves: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if saves is not None:
        env["SCENARIO_GAME_SAVES"] = str(saves)
    return scenario_game(*args, input=stdin, env=env)


def play(*args: str, stdin: str = "", saves: Path | None = None) -> subprocess.CompletedProcess:
    extra = () if saves is not None else ("--no-save",)
    return cli("play", str(EXAMPLE), "--plain", *extra, *args, stdin=stdin, saves=saves)


@pytest.fixture(autouse=True)
def saves_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("SCENARIO_GAME_SAVES", str(tmp_path / "elsewhere"))


def test_the_words_the_cases_below_rely_on_read_as_they_assume():
    """The plain-play cases stand on these readings; if the coach's rules move, this says so first."""
    scenario = load_scenario(str(EXAMPLE))
    from scenario_game import engine

    offered = engine.open_choices(scenario, engine.start(scenario))
    own = say_it(I_STATEMENT, offered, scenario)
    assert own.clear and own.number == 2 and own.choice.text == MISSING
    assert not say_it(BLAMING, offered, scenario).clear
    choice, clear = closest_choice(read(BLAMING), offered, scenario.styles)
    assert read(BLAMING).tone == "destructive" and not clear


def test_w_and_a_line_read_the_words_and_the_story_goes_on_with_the_closest_reply():
    result = play(stdin=f"w\n{I_STATEMENT}\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert f"You wrote: {I_STATEMENT}" in out
    assert "Coach: constructive, closest style: I-statement" in out
    assert "I-statement parts: your feeling yes, a specific moment yes, a need or request yes" in out
    assert any(line.startswith("  + feeling") and '"lonely"' in line for line in out)
    assert f"{AS_IF} 2. {MISSING}" in out
    # the reading comes before the reply is taken, and the reply is the authored one
    assert out.index(f"{AS_IF} 2. {MISSING}") < out.index(f"> 2. {MISSING}")
    # the same ending and meters as choosing 2 then 1 by number
    assert out[-1] == "END reconnected trust=48 closeness=52"
    assert out[-1] == play("--choices", "2,1").stdout.splitlines()[-1]


def test_words_on_the_same_line_as_w_are_the_reply():
    result = play(stdin=f"w {I_STATEMENT}\n1\n")
    assert result.returncode == 0, result.stderr
    assert f"You wrote: {I_STATEMENT}" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"


def test_when_the_coach_cannot_tell_the_player_picks_one_of_the_replies():
    result = play(stdin=f"w\n{BLAMING}\n3\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "Coach: destructive, closest style: Contemptuous" in out
    assert PICK in out
    assert not any(line.startswith(AS_IF) for line in out)
    after = out[out.index(PICK) + 1 :]
    assert "  3. Oh, another riveting evening with your screen." in after  # the list stays
    assert "> 3. Oh, another riveting evening with your screen." in after
    assert out[-1] == play("--choices", "3,1").stdout.splitlines()[-1]


def test_a_pick_that_is_not_offered_exits_2_as_a_number_would():
    result = play(stdin=f"w\n{BLAMING}\n7\n")
    assert result.returncode == 2
    assert "choice '7' is not offered" in result.stderr and "1, 2, 3" in result.stderr


def test_an_empty_entry_goes_back_to_the_replies():
    result = play(stdin="w\n\n2\n1\n")
    assert result.returncode == 0, result.stderr
    assert "Nothing written: back to the replies." in result.stdout
    assert "Coach:" not in result.stdout
    assert result.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"


def test_input_that_ends_after_w_exits_3():
    result = play(stdin="w\n")
    assert result.returncode == 3
    assert "input ended" in result.stderr and "your own reply" in result.stderr


def test_numbers_behave_as_before_with_choices_and_piped_input():
    assert play("--choices", "2,1").stdout == play(stdin="2\n1\n").stdout
    assert play("--choices", "2", stdin="1\n").stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"
    bad = play("--choices", "x")
    assert bad.returncode == 2 and "choice 'x' is not offered" in bad.stderr


def test_w_from_choices_reads_the_words_from_standard_input():
    result = play("--choices", "w,1", stdin=f"{I_STATEMENT}\n")
    assert result.returncode == 0, result.stderr
    assert f"{AS_IF} 2. {MISSING}" in result.stdout.splitlines()


def test_words_with_control_characters_and_markup_are_shown_escaped_and_literally():
    words = "I felt lonely \x1b[31mat dinner\x07 [bold]really[/bold]. Could we talk?"
    result = play(stdin=f"w\n{words}\n1\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "You wrote: I felt lonely \\x1b[31mat dinner\\x07 [bold]really[/bold]. Could we talk?" in result.stdout


def only_save(saves: Path) -> Path:
    [path] = list(saves.glob("*.toml"))
    return path


def test_the_written_words_are_kept_in_the_save_and_compare_shows_them(tmp_path):
    saves = tmp_path / "saves"
    assert play(stdin=f"w\n{I_STATEMENT}\n1\n", saves=saves).returncode == 0
    written = only_save(saves)
    run = runs.read_run(written)
    assert [step.written for step in run.steps] == [I_STATEMENT, None]
    assert run.steps[0].text == MISSING
    assert play("--choices", "3,1", saves=saves).returncode == 0
    result = cli("compare", str(written), str(next(p for p in saves.glob("*.toml") if p != written)), "--chapter", "1", saves=saves)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    reply = next(n for n, line in enumerate(lines) if f"2. {MISSING}" in line)
    assert f"you wrote: \u201c{I_STATEMENT}\u201d" in " ".join(lines[reply + 1].split())


def test_no_keep_words_keeps_them_out_of_the_save(tmp_path):
    saves = tmp_path / "saves"
    result = play("--no-keep-words", stdin=f"w\n{I_STATEMENT}\n1\n", saves=saves)
    assert result.returncode == 0, result.stderr
    assert f"{AS_IF} 2. {MISSING}" in result.stdout  # the reading and the story are the same
    path = only_save(saves)
    assert "lonely" not in path.read_text(encoding="utf-8")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["run"]["keep_words"] is False
    assert [step.written for step in runs.read_run(path).steps] == [None, None]


def test_a_run_going_on_keeps_its_own_setting_unless_told(tmp_path):
    saves = tmp_path / "saves"
    first = play("--no-keep-words", "--choices", "2", saves=saves)  # input ends in chapter two: the run is kept
    assert first.returncode == 3
    path = only_save(saves)
    going_on = play("--resume", str(path), stdin="w\nI'd love a walk with you tonight, just us. Could we go after dinner?\n", saves=saves)
    assert going_on.returncode == 0, going_on.stderr
    run = runs.read_run(path)
    assert run.keep_words is False and all(step.written is None for step in run.steps)
    assert "walk with you" not in path.read_text(encoding="utf-8")
