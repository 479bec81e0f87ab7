"""The coach reads a reply in the player's own words (issue 15). Its figures on the
labelled set in tests/fixtures/coach_replies.toml (written for these tests, hard on
purpose) must hold; its readings name the words behind every finding."""

import json
import tomllib
from pathlib import Path

import pytest

from scenario_game import coach
from scenario_game.loader import builtin_advice, builtin_styles
from clirun import scenario_game

REPLIES = tomllib.loads((Path(__file__).parent / "fixtures" / "coach_replies.toml").read_text("utf-8"))["reply"]
PARTS = ("feeling", "behaviour", "need")


@pytest.fixture(scope="module")
def readings():
    return [(r, coach.read(r["text"])) for r in REPLIES]


def test_the_labelled_set_is_large_and_varied():
    assert len(REPLIES) >= 150
    kinds = {r.get("kind") for r in REPLIES}
    assert {"disguised-blame", "yes-but", "therapy-speak", "sarcasm", "short", "plain-constructive"} <= kinds


def test_constructive_or_not_accuracy_is_at_least_85_percent(readings):
    right = sum((reading.tone == "constructive") == (r["tone"] == "constructive") for r, reading in readings)
    assert right / len(readings) >= 0.85


def test_destructive_replies_are_caught_and_rarely_called_constructive(readings):
    destructive = [reading for r, reading in readings if r["tone"] == "destructive"]
    assert sum(x.tone == "destructive" for x in destructive) / len(destructive) >= 0.85
    assert sum(x.tone == "constructive" for x in destructive) / len(destructive) <= 0.05


def test_disguised_blame_is_rarely_called_constructive(readings):
    disguised = [reading for r, reading in readings if r.get("kind") == "disguised-blame"]
    assert len(disguised) >= 10
    assert sum(x.tone == "constructive" for x in disguised) / len(disguised) <= 0.10


@pytest.mark.parametrize("part", PARTS)
def test_each_i_statement_part_agrees_with_the_labels(readings, part):
    agree = sum(getattr(reading.parts, part) == (part in r["parts"]) for r, reading in readings)
    assert agree / len(readings) >= 0.80


def test_every_finding_names_words_that_are_in_the_reply(readings):
    for r, reading in readings:
        lowered = " ".join(r["text"].lower().replace("\u2019", "'").split())
        for finding in reading.findings:
            assert finding.words, (r["text"], finding.kind)
            for words in finding.words:
                assert words in lowered, (r["text"], finding.kind, words)


def test_styles_and_advice_come_from_the_catalog(readings):
    styles, advice = builtin_styles(), builtin_advice()
    for _, reading in readings:
        assert reading.style in styles
        assert set(reading.advice) <= set(advice)
        assert reading.tone in coach.TONES


def test_a_disguised_blame_names_its_words_and_offers_a_real_i_statement():
    reading = coach.read("I feel like you never listen to me.")
    assert reading.tone == "destructive" and reading.style == "disguised-blame"
    assert not reading.parts.feeling
    assert any("i feel like you" in w for f in reading.findings for w in f.words)
    assert "i-statements" in reading.advice
    assert reading.tip.startswith("Try:") and "I felt" in reading.tip


def test_validation_taken_back_by_but_is_a_misstep():
    reading = coach.read("I hear you, but you're overreacting.")
    assert reading.style == "yes-but" and reading.tone == "destructive"
    assert not any(f.kind == "validation" for f in reading.findings)


def test_a_break_counts_only_with_a_promise_to_come_back():
    back = coach.read("I need twenty minutes to calm down, then I want to hear you.")
    gone = coach.read("I need some space.")
    assert back.tone == "constructive" and any(f.kind == "break-and-return" for f in back.findings)
    assert gone.tone != "constructive" and any(f.kind == "break-without-return" for f in gone.findings)


def test_warm_words_with_irony_read_as_contempt():
    reading = coach.read("Oh wonderful, you remembered to call. For once.")
    assert reading.tone == "destructive"
    assert any(f.kind == "sarcasm" for f in reading.findings)


def test_when_the_words_give_nothing_to_go_on_the_coach_says_so():
    for text in ("Okay.", "", "The car is in the garage."):
        reading = coach.read(text)
        assert reading.unsure and reading.tone == "neutral"
        assert "can't tell" in reading.summary


def test_a_complete_i_statement_has_all_three_parts():
    reading = coach.read("I felt lonely at dinner tonight when the phones came out. Could we leave them in the hall?")
    assert (reading.parts.feeling, reading.parts.behaviour, reading.parts.need) == (True, True, True)
    assert reading.tone == "constructive" and reading.style == "i-statement"


def test_closest_choice_prefers_the_same_style_then_the_same_tone():
    from scenario_game.model import Choice

    styles = builtin_styles()
    choices = [Choice("a", "blame", 0), Choice("b", "curious", 1), Choice("c", "validating", 2)]
    picked, clear = coach.closest_choice(coach.read("What was the hardest part?"), choices, styles)
    assert picked is choices[1] and clear
    picked, clear = coach.closest_choice(coach.read("You never listen."), choices, styles)
    assert picked is choices[0] and clear
    picked, clear = coach.closest_choice(coach.read("Okay."), choices, styles)
    assert picked is None and not clear


def run_cli(*args, stdin=""):
    return scenario_game("coach", *args, input=stdin)


def test_cli_reads_each_line_of_standard_input_as_json_in_order():
    lines = ["Whatever.", "What was the worst part of today?", "I feel like you don't care."]
    result = run_cli("--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["text"] for o in objects] == lines
    assert [o["tone"] for o in objects] == ["destructive", "constructive", "destructive"]
    for o in objects:
        assert set(o) >= {"tone", "style", "parts", "findings", "advice"}
        assert set(o["parts"]) == set(PARTS) and all(isinstance(v, bool) for v in o["parts"].values())
        assert all(f["words"] for f in o["findings"])


def test_cli_reads_text_for_a_person_and_never_prints_a_control_character():
    result = run_cli("\x1b]0;owned\x07You always \x1b[2Jdo this.")
    assert result.returncode == 0, result.stderr
    assert "Coach: destructive" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Try:" in result.stdout


def test_the_learnt_word_weights_generalise_to_replies_they_never_saw():
    """The coach's second opinion is learnt from the labelled set. Learnt from the replies
    written before the fresh probes only, it still reads the fresh probes well."""
    from scenario_game import coach_lexicon

    text = (Path(__file__).parent / "fixtures" / "coach_replies.toml").read_text("utf-8")
    cut = text.index("# --- fresh probes")
    seen, unseen = tomllib.loads(text[:cut])["reply"], tomllib.loads(text[cut:])["reply"]
    assert len(unseen) >= 200
    weights = coach_lexicon.learn([(r["text"], r["tone"]) for r in seen])
    right = caught = destructive = 0
    for r in unseen:
        norm = " ".join(r["text"].lower().replace("\u2019", "'").split())
        harmful = weights.score(norm, "destructive")[0] > 0
        right += harmful == (r["tone"] == "destructive")
        if r["tone"] == "destructive":
            destructive += 1
            caught += harmful
    # Alone, on wording it never saw, it tells harmful from not about four times in five
    # and catches most harmful replies; beside the rules it only decides what they can't.
    assert right / len(unseen) >= 0.80
    assert caught / destructive >= 0.85



def test_what_the_coach_noticed_is_named_in_words_not_by_its_id():
    reading = coach.read("I felt lonely at dinner on Tuesday. Could we talk tonight?")
    hyphenated = [f for f in reading.findings if "-" in f.kind]
    assert hyphenated, [f.kind for f in reading.findings]  # e.g. specific-moment
    text = "\n".join(coach.reading_lines(reading))
    for finding in hyphenated:
        assert f" {finding.label} [" in text and f" {finding.kind} [" not in text
