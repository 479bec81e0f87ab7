"""`scenario-game play FILE --plain` through the real entry point: the stable test surface
of the format page. Final meter values are worked out by hand (see test_engine.py for the
arithmetic of rules.toml); the story goes to stdout, error messages to stderr."""

import os
from pathlib import Path

import pytest
from clirun import scenario_game

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules.toml"


def play(path, *args, stdin="", saves=None):
    env = dict(os.environ)
    if saves is not None:
        env["SCENARIO_GAME_SAVES"] = str(saves)
    return scenario_game("play", str(path), "--plain", "--no-save", *args, input=stdin, env=env)


def last_line(result):
    return result.stdout.splitlines()[-1]


@pytest.fixture(autouse=True)
def saves_elsewhere(tmp_path, monkeypatch):
    """Even if --no-save were ignored, no run lands in the working tree."""
    monkeypatch.setenv("SCENARIO_GAME_SAVES", str(tmp_path / "saves"))


# --- the last line ------------------------------------------------------------------


@pytest.mark.parametrize(
    "choices, expected",
    [
        # Warm up (72, 7, 35 via route `glow`), then Remember the glow (closeness =75):
        # bright and steady both hold; the first wins
        ("2,1", "END bright trust=72 mood=7 closeness=75"),
        # Look around (once; mood -1), numbers shift, 2 = Cool down; `cool` has `ending`
        ("1,2", "END cold-stop trust=38 mood=4 closeness=20"),
        # Look around, then 4 = Skip ahead into chapter two's middle (closeness -1)
        ("1,4", "END steady trust=50 mood=-1 closeness=29"),
        # Leave now: a choice with `ending`; mood "=-99" clamps to -10
        ("4", "END walked-out trust=50 mood=-10 closeness=30"),
        # Warm up, then Carry on (trust -20, closeness -1): steady
        ("2,2", "END steady trust=52 mood=7 closeness=34"),
        # Hold back (40, warm 50 -> route `meh`), Carry on (30, 29): no `when` holds, the fallback
        ("5,1", "END adrift trust=30 mood=7 closeness=29"),
    ],
)
def test_the_last_line_after_the_scenario_ends(choices, expected):
    result = play(RULES, "--choices", choices)
    assert result.returncode == 0, result.stderr
    assert last_line(result) == expected


def test_meters_print_in_declaration_order_not_alphabetically():
    result = play(RULES, "--choices", "4")
    names = [pair.split("=")[0] for pair in last_line(result).split()[2:]]
    assert names == ["trust", "mood", "closeness"]


def test_default_meters_print_trust_then_closeness():
    result = play(FIXTURES / "defaults.toml", "--choices", "1")
    assert result.returncode == 0, result.stderr
    assert last_line(result) == "END fin trust=55 closeness=45"  # +5; 50 - 50*0.1 = 45


def test_the_format_pages_example():
    example = FIXTURES / "format_example.toml"
    # dinner: closeness 30 - 2 = 28. Choice 1: trust 35, closeness 28 - 5.6 -> 23;
    # sam-snaps: 35 < 32 is false -> awkward-silence. Tuesday, choice 1: closeness 33, trust 38.
    # Endings: 38 >= 45 fails -> still-apart.
    result = play(example, "--choices", "1,1")
    assert result.returncode == 0, result.stderr
    assert last_line(result) == "END still-apart trust=38 closeness=33"
    # Choice 3 (sarcasm, trust -10 -> 30): 30 < 32 -> cold-night.
    result = play(example, "--choices", "3,1")
    assert "Sam goes to bed early." in result.stdout
    assert last_line(result) == "END still-apart trust=33 closeness=38"


# --- --chapter ----------------------------------------------------------------------


def test_chapter_alone_prints_chapter_end():
    result = play(RULES, "--chapter", "one", "--choices", "2")
    assert result.returncode == 0, result.stderr
    assert last_line(result) == "CHAPTER-END one trust=72 mood=7 closeness=35"
    assert "Chapter two" not in result.stdout


def test_chapter_alone_starts_from_the_scenarios_meters_and_flags():
    # In a full run chapter two opens with "Remember the glow." (flag glowed, trust 72);
    # alone it starts from trust 50 and no flags, so choice 1 is "Carry on.".
    result = play(RULES, "--chapter", "two", "--choices", "1")
    assert result.returncode == 0, result.stderr
    assert "Remember the glow." not in result.stdout
    assert last_line(result) == "CHAPTER-END two trust=30 mood=7 closeness=29"


def test_chapter_alone_offers_only_what_is_open_there():
    result = play(RULES, "--chapter", "two", "--choices", "2")
    assert result.returncode == 2
    assert "the choices offered are 1" in result.stderr


def test_chapter_alone_with_a_cross_chapter_goto_ends_with_the_chapter_reached():
    # Skip ahead goes into chapter two, which "continues that chapter": it is chapter two that ends.
    result = play(RULES, "--chapter", "one", "--choices", "1,4")
    assert result.returncode == 0, result.stderr
    assert last_line(result) == "CHAPTER-END two trust=50 mood=-1 closeness=29"


def test_chapter_alone_reaching_an_ending_prints_end():
    result = play(RULES, "--chapter", "one", "--choices", "4")
    assert last_line(result) == "END walked-out trust=50 mood=-10 closeness=30"


def test_an_unknown_chapter_is_refused_with_did_you_mean():
    result = play(RULES, "--chapter", "tow")
    assert result.returncode != 0
    assert "'tow'" in result.stderr and "did you mean 'two'?" in result.stderr
    assert "Traceback" not in result.stderr


# --- where choices come from ---------------------------------------------------------


def test_choices_from_stdin():
    result = play(RULES, stdin="2\n1\n")
    assert result.returncode == 0, result.stderr
    assert last_line(result) == "END bright trust=72 mood=7 closeness=75"


def test_choices_from_the_option_first_then_stdin():
    # --choices 1 takes Look around; stdin then gives 2 = Cool down (numbers after the once choice hid)
    result = play(RULES, "--choices", "1", stdin="2\n")
    assert result.returncode == 0, result.stderr
    assert last_line(result) == "END cold-stop trust=38 mood=4 closeness=20"


def test_stdin_lines_may_hold_several_numbers():
    result = play(RULES, stdin="1 4\n")
    assert last_line(result) == "END steady trust=50 mood=-1 closeness=29"


def test_visible_choices_are_numbered_from_1_in_file_order():
    result = play(RULES, "--choices", "1,2")
    out = result.stdout
    first = out.index("  1. Look around first.")
    assert out.index("  2. Warm up.", first) < out.index("  3. Cool down.", first) < out.index("  6. Warm up a little.", first)
    assert "Skip ahead." not in out[: out.index("> 1. Look around first.")]  # hidden until `looked`
    after = out[out.index("> 1. Look around first.") :]
    assert "  4. Skip ahead." in after and "  2. Cool down." in after
    assert "> 2. Cool down." in after


def test_the_story_shows_speaker_mood_style_changes_feedback_and_advice():
    result = play(RULES, "--choices", "2,1")
    lines = result.stdout.splitlines()
    assert lines[0] == "Rules of play"
    assert "Sam (tired): Sam sits at the table." in lines
    assert "  Style: Empathetic (constructive)" in lines
    assert "  Trust 50 -> 72 (+22)" in lines
    assert "  Closeness 30 -> 35 (+5)" in lines
    assert "  Feedback: Warmth lands." in lines
    assert any(line.startswith("  Advice: ") and "(source: " in line for line in lines)
    assert "A bright ending." in lines


# --- exit statuses ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["9", "0", "x", "-1", "1.5", "²"])
def test_a_choice_not_offered_exits_2_naming_the_offered_numbers(bad):
    result = play(RULES, "--choices", bad)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: choice {bad!r} is not offered at node 'hub'; the choices offered are 1, 2, 3, 4, 5, 6"
    )
    assert "Traceback" not in result.stderr


def test_a_bad_choice_later_names_the_numbers_offered_then():
    result = play(RULES, "--choices", "2,3")
    assert result.returncode == 2
    assert "node 'two-start'; the choices offered are 1, 2" in result.stderr


def test_a_bad_choice_from_stdin_also_exits_2():
    result = play(RULES, stdin="7\n")
    assert result.returncode == 2
    assert "the choices offered are 1, 2, 3, 4, 5, 6" in result.stderr


def test_input_that_ends_early_exits_3():
    result = play(RULES, "--choices", "2")
    assert result.returncode == 3
    assert "input ended" in result.stderr and "'two-start'" in result.stderr
    assert not result.stdout.splitlines()[-1].startswith(("END", "CHAPTER-END"))
    assert play(RULES).returncode == 3  # no input at all


def test_no_open_choice_exits_4_naming_the_node():
    stuck = FIXTURES / "stuck.toml"
    result = play(stuck, "--choices", "1")  # Push: trust 30, the door needs 40
    assert result.returncode == 4
    assert "'door'" in result.stderr
    assert "Traceback" not in result.stderr
    assert last_line(play(stuck, "--choices", "2,1")) == "END fin trust=50 closeness=50"


def test_an_auto_loop_exits_4_instead_of_hanging(tmp_path):
    path = tmp_path / "loop.toml"
    path.write_text(
        'format = 1\n[scenario]\ntitle = "Loop"\n[[chapters]]\nid = "c"\ntitle = "C"\n'
        '[[chapters.nodes]]\nid = "a"\ntext = "A"\ngoto = "b"\n'
        '[[chapters.nodes]]\nid = "b"\ntext = "B"\ngoto = "a"\n'
        '[[endings]]\nid = "fin"\ntitle = "Fin"\n'
    )
    result = play(path)
    assert result.returncode == 4
    assert "'a'" in result.stderr or "'b'" in result.stderr


def test_an_invalid_scenario_exits_1_printing_the_checkers_lines():
    path = FIXTURES / "invalid.toml"
    result = play(path, "--choices", "1")
    assert result.returncode == 1
    checked = scenario_game("check", str(path))
    assert checked.stdout.splitlines() == [
        f"{path}:10: error: node 'start' has no way on: give it choices, goto, routes, `end = true` or `ending`",
        f"{path}:14: error: unknown key 'chioces' in node 'start'; did you mean 'choices'?",
    ]
    assert result.stderr.splitlines() == checked.stdout.splitlines()
    assert "END" not in result.stdout


def test_a_missing_or_non_utf8_file_exits_1(tmp_path):
    result = play(tmp_path / "nope.toml")
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'nope.toml'}:1: error: cannot read the file")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'format = 1\n[scenario]\ntitle = "caf\xe9"\n')
    result = play(latin)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{latin}:3: error: the file is not valid UTF-8: byte 0xe9 at column 13; save it as UTF-8"]


def test_no_save_writes_no_run(tmp_path):
    saves = tmp_path / "runs"
    result = play(RULES, "--choices", "4", saves=saves)
    assert result.returncode == 0
    assert not saves.exists() or not any(saves.iterdir())


def test_an_endless_auto_loop_is_reported_briefly(tmp_path):
    path = tmp_path / "loop.toml"
    path.write_text(
        'format = 1\n[scenario]\ntitle = "Loop"\n[[chapters]]\nid = "c"\n'
        '[[chapters.nodes]]\nid = "a"\ntext = "A"\ngoto = "b"\n'
        '[[chapters.nodes]]\nid = "b"\ntext = "B"\ngoto = "a"\n'
        '[[endings]]\nid = "e"\ntitle = "E"\n',
        encoding="utf-8",
    )
    result = scenario_game("play", str(path), "--plain", "--no-save")
    assert result.returncode == 4
    assert "'a'" in result.stderr
    assert len(result.stdout.splitlines()) < 200
