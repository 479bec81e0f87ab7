"""Live reload's core: replaying a run's replies on an edited scenario, and the polling watcher."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from scenario_game import engine
from scenario_game.loader import load_text
from scenario_game.watch import FileWatcher, Step, replay, steps_of

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"
TEXT = FIXTURE.read_text(encoding="utf-8")


def scenario_of(text: str):
    result = load_text(text, "live.toml", analyse=False)
    assert result.scenario is not None, [str(p) for p in result.problems]
    return result.scenario


def play(scenario, numbers):
    """Take replies by their number among the open ones; the (after, outcome) pairs."""
    state = engine.start(scenario)
    pairs = []
    for number in numbers:
        if state.status == engine.CHAPTER_END:
            state = engine.next_chapter(scenario, state)
        state, outcome = engine.choose(scenario, state, engine.open_choices(scenario, state)[number - 1])
        pairs.append((state, outcome))
    return state, pairs


def test_an_unchanged_file_replays_every_step_to_the_same_state():
    scenario = scenario_of(TEXT)
    state, pairs = play(scenario, [2, 1])
    steps = steps_of(scenario, pairs)
    assert steps[0] == Step("monday", "dinner", 1, scenario.nodes["dinner"].choices[1].text)
    again = replay(scenario_of(TEXT), steps)
    assert again.complete and again.reason == ""
    assert (again.state.node, again.state.status, again.state.meters, again.state.ending) == (state.node, state.status, state.meters, state.ending)
    assert len(again.pairs) == 2


def test_a_reply_reworded_is_found_by_its_position_and_new_numbers_apply():
    scenario = scenario_of(TEXT)
    _, pairs = play(scenario, [2, 1])
    old = scenario.nodes["dinner"].choices[1].text
    edited = scenario_of(TEXT.replace(old, "I miss you. Can we talk while we eat?").replace("trust = 5, closeness = \"%+20\"", "trust = 9, closeness = \"%+20\""))
    again = replay(edited, steps_of(scenario, pairs))
    assert again.complete
    assert again.pairs[0][1].choice.text == "I miss you. Can we talk while we eat?"
    assert again.pairs[0][0].meter("trust") != pairs[0][0].meter("trust")  # the edited effect is what counts now


def test_a_reply_moved_is_found_by_its_text():
    scenario = scenario_of(TEXT)
    _, pairs = play(scenario, [1])
    first_text = scenario.nodes["dinner"].choices[0].text
    # a new reply inserted before the one taken: the index changes, the text does not
    inserted = TEXT.replace(
        "[[chapters.nodes.choices]]",
        '[[chapters.nodes.choices]]\ntext = "A brand new reply"\nstyle = "neutral"\ngoto = "sam-snaps"\n\n[[chapters.nodes.choices]]',
        1,
    )
    again = replay(scenario_of(inserted), steps_of(scenario, pairs))
    assert again.complete
    assert again.pairs[0][1].choice.text == first_text
    assert again.pairs[0][1].choice.index == 1


def test_replay_stops_where_the_story_changed_and_says_why():
    scenario = scenario_of(TEXT)
    _, pairs = play(scenario, [2, 1])
    steps = steps_of(scenario, pairs)
    # The reply taken first now needs trust above anything reachable: it is hidden.
    hidden = scenario_of(TEXT.replace('if = "trust >= 30"', 'if = "trust >= 99"'))
    again = replay(hidden, steps)
    assert (again.replayed, again.total) == (0, 2)
    assert again.state.node == "dinner" and again.state.status == engine.CHOOSING
    assert "no longer offered at node 'dinner'" in again.reason


def test_replay_stops_when_play_now_reaches_another_node():
    scenario = scenario_of(TEXT)
    _, pairs = play(scenario, [2, 1])
    steps = steps_of(scenario, pairs)
    assert steps[1].node != "dinner"
    moved = [steps[0], Step(steps[1].chapter, "somewhere-else", steps[1].index, steps[1].text)]
    again = replay(scenario_of(TEXT), moved)
    assert again.replayed == 1
    assert "was taken at node 'somewhere-else'" in again.reason


def test_replay_of_a_chapter_alone():
    scenario = scenario_of(TEXT)
    second = scenario.chapters[1].id
    state = engine.start(scenario, second)
    state, outcome = engine.choose(scenario, state, engine.open_choices(scenario, state)[0])
    again = replay(scenario_of(TEXT), steps_of(scenario, [(state, outcome)]), chapter=second, single_chapter=True)
    assert again.complete and again.state.chapter == second


def test_the_watcher_calls_back_when_the_file_is_saved(tmp_path):
    path = tmp_path / "live.toml"
    path.write_text("one", encoding="utf-8")
    changed = threading.Event()
    watcher = FileWatcher(path, changed.set, interval=0.02).start()
    try:
        time.sleep(0.1)
        assert not changed.is_set()
        path.write_text("two, longer", encoding="utf-8")
        assert changed.wait(2)
    finally:
        watcher.stop()


def test_poll_ignores_a_brief_removal_and_fires_when_the_file_is_back(tmp_path):
    path = tmp_path / "live.toml"
    path.write_text("one", encoding="utf-8")
    calls = []
    watcher = FileWatcher(path, lambda: calls.append(1))
    assert watcher.poll() is False
    os.remove(path)
    assert watcher.poll() is False and calls == []
    path.write_text("one again", encoding="utf-8")
    assert watcher.poll() is True and calls == [1]
    assert watcher.poll() is False


def test_the_authoring_modules_import_no_textual_or_rich():
    import subprocess
    import sys

    code = (
        "import sys, scenario_game.watch, scenario_game.analysis, scenario_game.graph, scenario_game.schema, scenario_game.stats, scenario_game.scaffold;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
