"""Live reload's core: replaying a run's replies on an edited scenario, and the polling watcher."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from scenario_game import engine
from scenario_game.loader import load_text
from scenario_game.session import Session
from scenario_game.watch import FileWatcher

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"
TEXT = FIXTURE.read_text(encoding="utf-8")


def scenario_of(text: str):
    result = load_text(text, "live.toml", analyse=False)
    assert result.scenario is not None, [str(p) for p in result.problems]
    return result.scenario


def play(scenario, numbers, chapter=None, single=False) -> Session:
    """Take replies by their number among the open ones, in a play session."""
    session = Session(scenario, chapter=chapter, single_chapter=single)
    session.start()
    for number in numbers:
        if session.state.status == engine.CHAPTER_END:
            session.go_on()
        session.take(number)
    return session


def test_an_unchanged_file_replays_every_step_to_the_same_state():
    session = play(scenario_of(TEXT), [2, 1])
    state, steps = session.state, session.steps
    again = session.reload(scenario_of(TEXT))
    assert again.complete and again.reason == ""
    assert (session.state.node, session.state.status, session.state.meters, session.state.ending) == (state.node, state.status, state.meters, state.ending)
    assert [(s.chapter, s.node, s.index, s.text) for s in session.steps] == [(s.chapter, s.node, s.index, s.text) for s in steps]
    assert [c.chapter for c in session.chapters] == ["monday", "tuesday"]  # every chapter entered is kept


def test_a_reply_reworded_is_found_by_its_position_and_new_numbers_apply():
    session = play(scenario_of(TEXT), [2, 1])
    old = session.scenario.nodes["dinner"].choices[1].text
    trust_before = session.steps[0].meter_after("trust")
    edited = scenario_of(TEXT.replace(old, "I miss you. Can we talk while we eat?").replace("trust = 5, closeness = \"%+20\"", "trust = 9, closeness = \"%+20\""))
    assert session.reload(edited).complete
    assert session.steps[0].text == "I miss you. Can we talk while we eat?"
    assert session.steps[0].meter_after("trust") != trust_before  # the edited effect is what counts now


def test_a_reply_moved_is_found_by_its_text():
    session = play(scenario_of(TEXT), [1])
    first_text = session.scenario.nodes["dinner"].choices[0].text
    # a new reply inserted before the one taken: the index changes, the text does not
    inserted = TEXT.replace(
        "[[chapters.nodes.choices]]",
        '[[chapters.nodes.choices]]\ntext = "A brand new reply"\nstyle = "neutral"\ngoto = "sam-snaps"\n\n[[chapters.nodes.choices]]',
        1,
    )
    assert session.reload(scenario_of(inserted)).complete
    assert session.steps[0].text == first_text
    assert session.steps[0].index == 1


def test_replay_stops_where_the_story_changed_and_says_why():
    session = play(scenario_of(TEXT), [2, 1])
    # The reply taken first now needs trust above anything reachable: it is hidden.
    hidden = scenario_of(TEXT.replace('if = "trust >= 30"', 'if = "trust >= 99"'))
    again = session.reload(hidden)
    assert (again.replayed, again.total) == (0, 2)
    assert session.state.node == "dinner" and session.state.status == engine.CHOOSING
    assert session.steps == ()
    assert "no longer offered at node 'dinner'" in again.reason


def test_replay_stops_when_play_now_reaches_another_node():
    session = play(scenario_of(TEXT), [2, 1])
    assert session.steps[1].node != "dinner"
    moved = TEXT.replace('id = "tuesday-start"', 'id = "somewhere-else"').replace('"tuesday-start', '"somewhere-else')
    again = session.reload(scenario_of(moved))
    assert again.replayed == 1
    assert "was taken at node 'tuesday-start', but play now reaches node 'somewhere-else'" in again.reason


def test_replay_of_a_chapter_alone():
    scenario = scenario_of(TEXT)
    second = scenario.chapters[1].id
    session = play(scenario, [1], chapter=second, single=True)
    again = session.reload(scenario_of(TEXT))
    assert again.complete and session.state.chapter == second and session.single_chapter
    assert [c.chapter for c in session.chapters] == [second]


def test_a_reload_after_a_chapter_replay_applies_the_new_path_and_keeps_the_summary():
    """Going back over a chapter replaces its replies on the run's path: a reload then
    re-applies the new replies, not the abandoned ones, and the chapter keeps its replies."""
    session = play(scenario_of(TEXT), [1])  # monday: the blaming reply
    assert session.state.status == engine.CHAPTER_END
    session.replay_chapter()
    session.take(2)  # this time the I-statement
    path = [(s.node, s.index) for s in session.steps]
    assert path == [("dinner", 1)]
    meters = session.state.meters
    again = session.reload(scenario_of(TEXT))
    assert again.complete and (again.replayed, again.total) == (1, 1)
    assert [(s.node, s.index) for s in session.steps] == path and session.state.meters == meters
    assert [s.index for s in session.chapter_steps()] == [1]


def test_the_watcher_calls_back_when_the_file_is_saved(tmp_path):
    path = tmp_path / "live.toml"
    path.write_text("one", encoding="utf-8")
    changed = threading.Event()
    watcher = FileWatcher(path, changed.set, interval=0.02).start()
    try:
        time.sleep(0.1)
        assert not changed.is_set()
        path.write_text("two, longer", encoding="utf-8")
        assert changed.wait(120)  # a hang guard, not a speed check
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
