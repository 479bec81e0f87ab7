"""The pure engine against the format's rules. Expected numbers are worked out by hand
from the page's formulas; the comments show the arithmetic."""

from pathlib import Path

import pytest

from scenario_game import engine
from scenario_game.engine import CHAPTER_END, CHOOSING, ENDED, STUCK, EngineError
from scenario_game.loader import load_scenario, load_text
from scenario_game.model import Effect, Meter

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules.toml"


@pytest.fixture(scope="module")
def rules():
    return load_scenario(RULES)


def load(text):
    result = load_text(text, "t.toml")
    assert result.scenario is not None, [str(p) for p in result.problems]
    return result.scenario


def texts(scenario, state):
    return [c.text for c in engine.open_choices(scenario, state)]


def pick(scenario, state, text):
    """Take the open choice with this text (so tests read like the story)."""
    for choice in engine.open_choices(scenario, state):
        if choice.text == text:
            return engine.choose(scenario, state, choice)
    raise AssertionError(f"{text!r} is not offered; offered: {texts(scenario, state)}")


def play(scenario, numbers, chapter=None):
    """Play like the plain player: 1-based numbers among open choices, chapters in order."""
    state = engine.start(scenario, chapter)
    numbers = list(numbers)
    while True:
        if state.status == CHAPTER_END:
            if chapter is not None:
                return state
            state = engine.next_chapter(scenario, state)
            continue
        if state.status in (ENDED, STUCK):
            return state
        choice = engine.open_choices(scenario, state)[numbers.pop(0) - 1]
        state, _ = engine.choose(scenario, state, choice)


# --- effects: integer, fair math, set, clamping ------------------------------------

PERCENT = Meter("trust", "Trust", 50)  # 0..100
SIGNED = Meter("mood", "Mood", 0, -10, 10)
BAND = Meter("closeness", "Closeness", 30, 20, 80)


@pytest.mark.parametrize(
    "meter, value, kind, amount, expected",
    [
        # %+N: v + (max - v) * N / 100, rounded down
        (PERCENT, 50, "up", 25, 62),  # 50 + 50*0.25 = 62.5 -> 62
        (PERCENT, 33, "up", 10, 39),  # 33 + 67*0.10 = 39.7 -> 39
        (PERCENT, 99, "up", 50, 99),  # 99 + 1*0.5 = 99.5 -> 99: never overshoots
        (PERCENT, 0, "up", 100, 100),  # 0 + 100*1 = 100
        (PERCENT, 40, "up", 0, 40),
        (SIGNED, 7, "up", 50, 8),  # 7 + 3*0.5 = 8.5 -> 8
        (SIGNED, -7, "up", 30, -2),  # -7 + 17*0.3 = -1.9 -> -2 (down, not toward zero)
        (BAND, 30, "up", 10, 35),  # 30 + 50*0.1 = 35 exactly
        # %-N: v - (v - min) * N / 100, rounded up
        (PERCENT, 50, "down", 25, 38),  # 50 - 12.5 = 37.5 -> 38
        (PERCENT, 33, "down", 10, 30),  # 33 - 3.3 = 29.7 -> 30
        (PERCENT, 1, "down", 50, 1),  # 1 - 0.5 = 0.5 -> 1: never overshoots
        (PERCENT, 80, "down", 100, 0),
        (SIGNED, 7, "down", 50, -1),  # 7 - 17*0.5 = -1.5 -> -1 (up, toward zero here)
        (SIGNED, -7, "down", 30, -7),  # -7 - 3*0.3 = -7.9 -> -7
        (BAND, 30, "down", 10, 29),  # 30 - 10*0.1 = 29 exactly
        # integers add, then clamp
        (PERCENT, 95, "add", 10, 100),
        (PERCENT, 5, "add", -10, 0),
        (PERCENT, 50, "add", 5, 55),
        (SIGNED, 3, "add", -5, -2),
        (BAND, 30, "add", -50, 20),
        # =N sets, then clamps
        (PERCENT, 50, "set", 40, 40),
        (PERCENT, 50, "set", 150, 100),
        (SIGNED, 0, "set", -99, -10),
        (BAND, 50, "set", 0, 20),
    ],
)
def test_effect_arithmetic(meter, value, kind, amount, expected):
    assert Effect(meter.name, kind, amount).apply(value, meter) == expected


def test_fair_math_approaches_bounds_but_never_reaches_them_early():
    value = 50
    seen = []
    for _ in range(30):
        value = Effect("trust", "up", 20).apply(value, PERCENT)
        seen.append(value)
    assert seen[:3] == [60, 68, 74]  # 50+10; 60+8; 68+6.4 -> 74
    assert all(v <= 100 for v in seen)
    assert seen == sorted(seen)


def test_meter_clamp():
    assert SIGNED.clamp(-11) == -10 and SIGNED.clamp(11) == 10 and SIGNED.clamp(4) == 4


# --- a whole scenario: rules.toml ---------------------------------------------------


def test_start_values_in_declaration_order(rules):
    state = engine.start(rules)
    assert state.meters == (("trust", 50), ("mood", 7), ("closeness", 30))
    assert state.flags == frozenset()
    assert state.node == "hub" and state.chapter == "one" and state.status == CHOOSING


def test_choice_effects_then_entry_effects_then_routes_first_true(rules):
    state, outcome = pick(rules, engine.start(rules), "Warm up.")
    # trust %+25: 50 + 12.5 -> 62; closeness %+10 in 20..80: 30 + 5 = 35;
    # entering `warm` adds 10: 72; routes `>= 70` and `>= 60` both hold: the first wins.
    assert state.passed == ("warm", "glow")
    assert state.status == CHAPTER_END
    assert state.meters == (("trust", 72), ("mood", 7), ("closeness", 35))
    assert "glowed" in state.flags
    assert [(c.name, c.before, c.after) for c in outcome.changed] == [("trust", 50, 72), ("closeness", 30, 35)]
    assert outcome.changed[0].describe() == "Trust 50 -> 72 (+22)"
    assert outcome.style.id == "empathetic" and outcome.style.tone == "constructive"
    assert outcome.feedback == "Warmth lands."
    assert [a.id for a in outcome.advice] == ["empathy"]


@pytest.mark.parametrize(
    "trust, route_to, final_trust",
    [
        (40, "fine", 65),  # 40 + 60*0.25 = 55; +10 = 65: `>= 60`
        (30, "meh", 57),  # 30 + 70*0.25 = 47.5 -> 47; +10 = 57: the last route
        (60, "glow", 80),  # 60 + 10 = 70; +10 = 80
    ],
)
def test_routes_take_the_first_true_and_fall_back_to_the_last(rules, trust, route_to, final_trust):
    state = engine.start_chapter(rules, "one", {"trust": trust, "mood": 7, "closeness": 30})
    state, _ = pick(rules, state, "Warm up.")
    assert state.passed == ("warm", route_to)
    assert state.meter("trust") == final_trust


def test_once_hides_the_choice_after_it_is_taken(rules):
    state = engine.start(rules)
    before = texts(rules, state)
    assert before == ["Look around first.", "Warm up.", "Cool down.", "Leave now.", "Hold back.", "Warm up a little."]
    state, _ = pick(rules, state, "Look around first.")
    assert state.node == "hub"
    # mood %-50 in -10..10: 7 - 17*0.5 = -1.5 -> -1; the `if = "looked"` choice opens
    assert state.meter("mood") == -1
    assert "looked" in state.flags
    assert texts(rules, state) == ["Warm up.", "Cool down.", "Leave now.", "Skip ahead.", "Hold back.", "Warm up a little."]
    with pytest.raises(EngineError):
        engine.choose(rules, state, 0)  # the once-only choice, by its file index


def test_ending_on_a_node_ends_the_whole_scenario(rules):
    state = play(rules, [3])  # Cool down
    # trust %-25: 50 - 12.5 -> 38; closeness 30 - 50 -> clamped 20; `cool` mood %+50: 7 + 1.5 -> 8
    assert state.status == ENDED and state.ending == "cold-stop"
    assert state.meters == (("trust", 38), ("mood", 8), ("closeness", 20))
    assert state.chapter == "one"  # chapter two never started


def test_ending_on_a_choice_ends_the_whole_scenario(rules):
    state, outcome = pick(rules, engine.start(rules), "Leave now.")
    assert state.status == ENDED and state.ending == "walked-out"
    assert state.meter("mood") == -10  # "=-99" clamped to min
    assert outcome.passed == ()


def test_chapters_in_order_with_state_carried_over(rules):
    state, _ = pick(rules, engine.start(rules), "Warm up.")
    assert state.status == CHAPTER_END
    state = engine.next_chapter(rules, state)
    assert state.chapter == "two" and state.node == "two-start" and state.status == CHOOSING
    assert state.meters == (("trust", 72), ("mood", 7), ("closeness", 35))
    assert state.flags == {"glowed"}
    # the flag set in chapter one opens a choice in chapter two
    assert texts(rules, state) == ["Remember the glow.", "Carry on."]
    state, _ = pick(rules, state, "Remember the glow.")  # closeness "=75", `end = true` on a choice
    assert state.status == CHAPTER_END and state.chapter == "two"
    state = engine.next_chapter(rules, state)
    # endings first-true: bright (72 >= 70 and 75 >= 60) comes before steady, which also holds
    assert state.status == ENDED and state.ending == "bright"
    assert state.meters == (("trust", 72), ("mood", 7), ("closeness", 75))


@pytest.mark.parametrize(
    "numbers, ending, meters",
    [
        ([2, 2], "steady", (72 - 20, 7, 35 - 1)),  # Carry on: trust -20, two-middle closeness -1
        ([5, 1], "adrift", (30, 7, 29)),  # Hold back 40, warm 50 (meh); Carry on 30; 30 - 1
        ([6, 1], "adrift", (42, 7, 29)),  # %+5: 50 + 2.5 -> 52; +10 = 62 (fine); -20 = 42
        ([4], "walked-out", (50, -10, 30)),
    ],
)
def test_endings_first_true_and_the_fallback(rules, numbers, ending, meters):
    state = play(rules, numbers)
    assert state.status == ENDED
    assert state.ending == ending
    assert tuple(v for _, v in state.meters) == meters


def test_cross_chapter_goto_continues_that_chapter(rules):
    state = engine.start(rules)
    state, _ = pick(rules, state, "Look around first.")
    state, _ = pick(rules, state, "Skip ahead.")
    # straight into chapter two's middle node, whose `end` ends chapter two (the last)
    assert state.passed == ("two-middle",)
    assert state.chapter == "two" and state.status == CHAPTER_END
    state = engine.next_chapter(rules, state)
    assert state.status == ENDED and state.ending == "steady"
    assert state.meters == (("trust", 50), ("mood", -1), ("closeness", 29))


def test_a_chapter_alone_starts_from_the_scenarios_start(rules):
    state = engine.start(rules, "two")
    assert state.chapter == "two" and state.node == "two-start"
    assert state.meters == (("trust", 50), ("mood", 7), ("closeness", 30))
    assert state.flags == frozenset()
    assert texts(rules, state) == ["Carry on."]


def test_visits_count_entries_including_auto_nodes(rules):
    state = engine.start(rules)
    assert state.visit_counts == {"hub": 1}
    state, _ = pick(rules, state, "Look around first.")
    assert state.visit_counts == {"hub": 2}
    state, _ = pick(rules, state, "Warm up.")
    assert state.visit_counts == {"hub": 2, "warm": 1, "glow": 1}


def test_choose_refuses_moves_the_state_does_not_allow(rules):
    state = play(rules, [4])
    with pytest.raises(EngineError):
        engine.choose(rules, state, 0)
    with pytest.raises(EngineError):
        engine.next_chapter(rules, engine.start(rules))
    with pytest.raises(EngineError):
        engine.choose(rules, engine.start(rules), 99)


def test_the_engine_is_pure(rules):
    first = engine.start(rules)
    after, _ = pick(rules, first, "Warm up.")
    assert first.meters == (("trust", 50), ("mood", 7), ("closeness", 30))
    assert first.status == CHOOSING
    again, _ = pick(rules, first, "Warm up.")
    assert again == after


# --- small scenarios for single rules -----------------------------------------------

HEAD = 'format = 1\n[scenario]\ntitle = "T"\n'
ENDINGS = '\n[[endings]]\nid = "fin"\ntitle = "Fin"\n'


def test_default_meters_without_a_meters_table():
    scenario = load(FIXTURES.joinpath("defaults.toml").read_text())
    assert [(m.name, m.label, m.start, m.min, m.max) for m in scenario.meters] == [
        ("trust", "Trust", 50, 0, 100),
        ("closeness", "Closeness", 50, 0, 100),
    ]
    state = play(scenario, [1])
    # trust +5; closeness %-10: 50 - 5 = 45
    assert state.meters == (("trust", 55), ("closeness", 45))


def test_order_of_work_choice_effects_then_flags_then_next_nodes_entry():
    scenario = load(
        HEAD
        + """
[[chapters]]
id = "c"
title = "C"
[[chapters.nodes]]
id = "a"
text = "A"
[[chapters.nodes.choices]]
text = "go"
style = "neutral"
effects = { trust = "=60" }
set = ["x", "y"]
goto = "b"
[[chapters.nodes]]
id = "b"
text = "B"
effects = { trust = "%+50" }
unset = ["y"]
[[chapters.nodes.routes]]
if = "x and not y and trust == 80"
goto = "good"
[[chapters.nodes.routes]]
goto = "bad"
[[chapters.nodes]]
id = "good"
text = "good"
end = true
[[chapters.nodes]]
id = "bad"
text = "bad"
end = true
"""
        + ENDINGS
    )
    state, outcome = engine.choose(scenario, engine.start(scenario), 0)
    # "=60" first, then b's entry %+50: 60 + 40*0.5 = 80 (the other order would give 60)
    assert state.meter("trust") == 80
    assert state.flags == {"x"}
    assert state.passed == ("b", "good")
    assert outcome.changes[0].describe() == "Trust 50 -> 80 (+30)"


def test_effects_on_one_meter_apply_in_the_order_written():
    scenario = load(
        HEAD
        + """
[[chapters]]
id = "c"
title = "C"
[[chapters.nodes]]
id = "a"
text = "A"
effects = { trust = 60 }
end = true
"""
        + ENDINGS
    )
    # entering `a`: 50 + 60 = 110 -> clamped to 100 right away
    assert engine.start(scenario).meter("trust") == 100


def test_a_choice_that_sets_and_unsets_the_same_flag_leaves_it_unset():
    # The page gives no order between `set` and `unset` of one choice; unset wins.
    scenario = load(
        HEAD
        + """
[[chapters]]
id = "c"
title = "C"
[[chapters.nodes]]
id = "a"
text = "A"
[[chapters.nodes.choices]]
text = "go"
style = "neutral"
set = ["x"]
unset = ["x"]
end = true
"""
        + ENDINGS
    )
    state, _ = engine.choose(scenario, engine.start(scenario), 0)
    assert "x" not in state.flags


def test_no_open_choice_is_stuck_and_names_the_node():
    scenario = load(FIXTURES.joinpath("stuck.toml").read_text())
    state, _ = engine.choose(scenario, engine.start(scenario), 0)  # Push: trust 30
    assert state.status == STUCK
    assert state.node == "door"
    assert "'door'" in state.problem
    assert engine.open_choices(scenario, state) == []
    state, _ = engine.choose(scenario, engine.start(scenario), 1)  # Wait: trust 50
    assert state.status == CHOOSING and [c.text for c in engine.open_choices(scenario, state)] == ["Knock."]


def test_auto_nodes_in_a_loop_get_stuck_instead_of_hanging():
    scenario = load(
        HEAD
        + """
[[chapters]]
id = "c"
title = "C"
[[chapters.nodes]]
id = "a"
text = "A"
goto = "b"
[[chapters.nodes]]
id = "b"
text = "B"
goto = "a"
"""
        + ENDINGS
    )
    state = engine.start(scenario)
    assert state.status == STUCK
    assert "'a'" in state.problem or "'b'" in state.problem


def test_choice_condition_sees_visits_and_once_counts_per_run():
    scenario = load(
        HEAD
        + """
[[chapters]]
id = "c"
title = "C"
[[chapters.nodes]]
id = "a"
text = "A"
[[chapters.nodes.choices]]
text = "again"
style = "neutral"
if = "visited(a) < 3"
goto = "a"
[[chapters.nodes.choices]]
text = "stop"
style = "neutral"
end = true
"""
        + ENDINGS
    )
    state = engine.start(scenario)
    state, _ = engine.choose(scenario, state, 0)
    state, _ = engine.choose(scenario, state, 0)
    assert state.visit_counts == {"a": 3}
    assert texts(scenario, state) == ["stop"]


def chain(length: int) -> str:
    nodes = "".join(f'[[chapters.nodes]]\nid = "n{i}"\ntext = "."\ngoto = "n{i + 1}"\n' for i in range(length))
    return HEAD + '[[chapters]]\nid = "c"\ntitle = "C"\n' + nodes + f'[[chapters.nodes]]\nid = "n{length}"\ntext = "."\nend = true\n' + ENDINGS


def test_a_long_goto_chain_plays_through():
    """10,001 automatic nodes with no loop among them are not a loop (issue 11)."""
    scenario = load(chain(10_001))
    state = engine.start(scenario)
    assert state.status == CHAPTER_END, state.problem
    assert len(state.passed) == 10_002 and state.passed[-1] == "n10001"
    assert engine.next_chapter(scenario, state).status == ENDED


def test_an_automatic_loop_that_changes_nothing_is_stuck_at_once():
    scenario = load(HEAD + '[[chapters]]\nid = "c"\ntitle = "C"\n[[chapters.nodes]]\nid = "a"\ntext = "A"\ngoto = "b"\n[[chapters.nodes]]\nid = "b"\ntext = "B"\ngoto = "a"\n' + ENDINGS)
    state = engine.start(scenario)
    assert state.status == STUCK and "'a'" in state.problem
    assert len(state.passed) < 10  # found on the second time round, not after 10,000 steps


def spinning(condition: str):
    """A chapter whose node goes round itself until `condition` opens the way out."""
    return load(
        HEAD
        + f"""
[[chapters]]
id = "c"
title = "C"
[[chapters.nodes]]
id = "spin"
text = "Round."
[[chapters.nodes.routes]]
if = "{condition}"
goto = "out"
[[chapters.nodes.routes]]
goto = "spin"
[[chapters.nodes]]
id = "out"
text = "Out."
end = true
"""
        + ENDINGS
    )


def test_an_automatic_loop_counting_visits_goes_round_until_its_route_opens():
    scenario = spinning("visited(spin) >= 500")
    state = engine.start(scenario)
    assert state.status == CHAPTER_END
    assert state.visit_counts == {"spin": 500, "out": 1}


def test_an_automatic_loop_that_only_counts_is_stopped_by_the_limit():
    scenario = spinning("visited(spin) == 0")
    state = engine.start(scenario)
    assert state.status == STUCK and "'spin'" in state.problem
    assert state.visit_counts["spin"] == engine.AUTO_STEP_LIMIT + 2


def test_visits_saved_and_read_back_play_the_same(rules):
    """A state rebuilt from its public fields (as a save does) goes on exactly like the original."""
    state, _ = pick(rules, engine.start(rules), "Look around first.")
    rebuilt = engine.State(
        node=state.node, chapter=state.chapter, meters=state.meters, flags=state.flags,
        visits=tuple(state.visits), taken=state.taken, passed=state.passed, chapter_start=state.chapter_start,
    )
    assert rebuilt.visits == state.visits and rebuilt == state
    assert texts(rules, rebuilt) == texts(rules, state)
    assert pick(rules, rebuilt, "Warm up.")[0] == pick(rules, state, "Warm up.")[0]


def test_visits_read_like_sorted_pairs_and_copy_as_counts():
    import copy
    import pickle

    visits = engine.Visits({"b": 1})
    for node in ["a", "b"] * 50_000:  # a long play: the counts are worked out only when read
        visits = visits.entered(node)
    assert tuple(visits) == (("a", 50_000), ("b", 50_001)) and len(visits) == 2
    assert visits == (("a", 50_000), ("b", 50_001)) and hash(visits) == hash((("a", 50_000), ("b", 50_001)))
    assert pickle.loads(pickle.dumps(visits)) == visits == copy.deepcopy(visits)
    assert visits.entered("c").get("c") == 1 and visits.get("c") == 0  # extending leaves the original as it was
