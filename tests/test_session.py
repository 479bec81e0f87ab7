"""The play session: every chapter entered is recorded however it is played, a saved run
goes on with its chapter's replies and tallies, and the reply shuffle is fixed by a seed
that the save keeps."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scenario_game import engine, runs
from scenario_game.loader import load_scenario
from scenario_game.session import Session, SessionError, shown_order
from clirun import scenario_game

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"
STORY = Path(__file__).parent.parent / "scenarios" / "after-the-argument.toml"


@pytest.fixture(scope="module")
def story():
    return load_scenario(str(STORY))


def play_through(session: Session, pick=lambda offered: 1) -> None:
    """Take replies (by the number `pick` gives) until the scenario ends."""
    if not session.started:
        session.start()
    while not session.state.finished:
        if session.state.status == engine.CHAPTER_END:
            session.go_on()
        else:
            session.take(pick(session.offered()))


def test_every_chapter_entered_is_recorded_and_replays_as_the_run_had_it(story, tmp_path):
    recorder = runs.Recorder(story, tmp_path)
    session = Session(story, observers=[recorder])
    play_through(session)
    run = runs.read_run(recorder.path)
    assert [c.chapter for c in run.chapters] == [c.id for c in story.chapters]
    assert run.finished and run.ending == session.state.ending
    for start in run.chapters:
        replay = Session(story, snapshot=start.snapshot, single_chapter=True)
        replay.start()
        steps = [s for s in run.steps if s.chapter == start.chapter]
        for step in steps:  # the same replies from the recorded start lead to the same meters
            replay.take(step.shown)
            assert replay.state.meters == step.after
        assert replay.state.status == engine.CHAPTER_END


def test_a_resumed_run_keeps_its_chapter_replies_and_whole_run_tallies(story, tmp_path):
    recorder = runs.Recorder(story, tmp_path)
    first = Session(story, observers=[recorder])
    first.start()
    while first.state.chapter == story.chapters[0].id or len(first.chapter_steps()) < 2:
        if first.state.status == engine.CHAPTER_END:
            first.go_on()
        else:
            first.take(1)
    taken_before = len(first.steps)
    run = runs.read_run(recorder.path)
    plan = runs.plan_play(story, tmp_path, resume=run.path)
    again_recorder = runs.Recorder(story, tmp_path, run=plan.run)
    again = plan.session(story, observers=[again_recorder])
    again.start()
    assert [s.text for s in again.chapter_steps()] == [s.text for s in first.chapter_steps()]
    transcript = again.transcript()
    assert transcript[0].nodes == first._opening(len(first.chapters) - 1).passed  # the chapter's opening is shown again
    chapter = again.state.chapter
    while again.state.chapter == chapter and again.state.status != engine.CHAPTER_END:
        again.take(1)
    summary = again.outcomes(again.chapter_steps())
    assert len(summary) == len([s for s in again.steps if s.chapter == chapter]) > 2  # every reply of the chapter
    play_through(again)
    assert len(again.outcomes()) == len(again.steps) > taken_before  # the ending's tally counts the whole run
    saved = runs.read_run(again_recorder.path)
    assert again_recorder.path == run.path and len(saved.steps) == len(again.steps)
    assert [c.chapter for c in saved.chapters] == [c.id for c in story.chapters]


def test_a_chapter_played_again_keeps_the_run_so_far_in_the_new_save(tmp_path):
    scenario = load_scenario(str(FIXTURE))
    recorder = runs.Recorder(scenario, tmp_path)
    session = Session(scenario, observers=[recorder])
    session.start()
    session.take(2)
    session.go_on()
    session.take(2)  # tuesday: the once-only reply
    first = recorder.path
    session.replay_chapter()
    session.take(1)
    second = runs.read_run(recorder.path)
    assert recorder.path != first and second.replay_of == Path(first).name
    assert [c.chapter for c in second.chapters] == ["monday", "tuesday"]
    assert [(s.node, s.index) for s in second.steps] == [("dinner", 1), ("tuesday-start", 0)]
    with pytest.raises(SessionError):
        session.replay_chapter("sunday")


def test_the_shuffle_is_fixed_by_the_seed_and_shows_every_reply(story):
    nodes = [n for n in story.nodes.values() if len(n.choices) > 2]
    for node in nodes:
        order = shown_order(story, node.id, 7)
        assert sorted(order) == list(range(len(node.choices)))
        assert order == shown_order(story, node.id, 7)
        assert shown_order(story, node.id, None) == list(range(len(node.choices)))
    moved = [n.id for n in nodes if shown_order(story, n.id, 7) != list(range(len(n.choices)))]
    assert len(moved) > len(nodes) // 2  # most decisions are not in file order
    assert any(shown_order(story, n.id, 7) != shown_order(story, n.id, 8) for n in nodes)


def test_the_seed_is_saved_and_a_resumed_run_or_replayed_chapter_shows_the_same_order(story, tmp_path):
    recorder = runs.Recorder(story, tmp_path)
    session = Session(story, seed=4242, observers=[recorder])
    session.start()
    first_offer = [c.index for c in session.offered()]
    assert first_offer != sorted(first_offer) or len(first_offer) < 2
    session.take(1)
    assert session.steps[0].index == first_offer[0] and session.steps[0].shown == 1
    offer = [c.index for c in session.offered()]
    run = runs.read_run(recorder.path)
    assert run.seed == 4242
    assert "seed = 4242" in Path(recorder.path).read_text()
    resumed = runs.plan_play(story, tmp_path, resume=run.path).session(story, seed=1)
    resumed.start()
    assert resumed.seed == 4242 and [c.index for c in resumed.offered()] == offer
    replayed = runs.plan_play(story, tmp_path, chapter=run.chapters[0].chapter, from_run=run.path).session(story, seed=1)
    replayed.start()
    assert [c.index for c in replayed.offered()] == first_offer


def cli(*args, stdin: str = "") -> subprocess.CompletedProcess:
    return scenario_game(*args, input=stdin)


def test_plain_choices_number_in_file_order_unless_a_seed_is_given(story, tmp_path):
    node = story.nodes[story.chapters[0].start]
    start = engine.start(story)
    plain = cli("play", str(STORY), "--plain", "--no-save", "--choices", "1", "--chapter", story.chapters[0].id)
    assert f"> 1. {engine.open_choices(story, start)[0].text}" in plain.stdout
    seeded = cli("play", str(STORY), "--plain", "--no-save", "--seed", "7", "--choices", "1", "--chapter", story.chapters[0].id)
    shown_first = node.choices[shown_order(story, node.id, 7)[0]]
    assert f"> 1. {shown_first.text}" in seeded.stdout
    again = cli("play", str(STORY), "--plain", "--no-save", "--seed", "7", "--choices", "1", "--chapter", story.chapters[0].id)
    assert again.stdout == seeded.stdout
    both = cli("play", str(STORY), "--plain", "--seed", "7", "--in-order")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_plain_from_run_starts_every_chapter_the_run_played(story, tmp_path):
    recorder = runs.Recorder(story, tmp_path)
    play_through(Session(story, observers=[recorder]))
    for chapter in story.chapters:
        done = cli("play", str(STORY), "--plain", "--no-save", "--saves", str(tmp_path), "--chapter", chapter.id, "--from-run", recorder.path)
        assert done.returncode == 3, done.stderr  # it starts and waits for a reply (input ended)
        assert f"== {chapter.title} ==" in done.stdout
        assert "never started" not in done.stderr
