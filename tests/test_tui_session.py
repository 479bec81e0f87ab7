"""The TUI drives the play session: a run played through every chapter is recorded whole,
each of its chapters replays as the run had it (in the TUI and with plain --from-run), and a
resumed run keeps its chapter's transcript, its replies for the summary and the tallies."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenario_game import engine, runs
from scenario_game.loader import load_scenario
from scenario_game.session import Session
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.dialogs.pick_chapter import PickChapterScreen
from scenario_game.tui.screens.chapter_end import ChapterEndScreen
from scenario_game.tui.screens.ending import EndingScreen
from scenario_game.tui.screens.play import PlayScreen
from scenario_game.tui.screens.runs import RunsScreen
from scenario_game.tui.screens.scenario import ScenarioScreen
from scenario_game.tui.starting import recorder_factory

from test_tui_runs import SIZE, flat, library_app, screen_text, wait_for, wait_for_screen
from clirun import scenario_game

STORY = Path(__file__).parent.parent / "scenarios" / "after-the-argument.toml"


async def play_to_the_end(pilot, app) -> PlayScreen:
    """Press reply 1 and go on until the ending; the play screen used."""
    play = await wait_for_screen(pilot, PlayScreen)
    while not isinstance(app.screen, EndingScreen):
        if isinstance(app.screen, ChapterEndScreen):
            summary = app.screen
            assert len(summary.outcomes) == len(play.chapter_steps) > 0  # every reply of the chapter listed
            await pilot.press("n")
            await wait_for(pilot, lambda: app.screen is not summary, what="the next chapter")
        elif app.screen is play and play.mode == "choosing":
            await pilot.press("1")
            await wait_for(pilot, lambda: play.mode != "choosing", what="the feedback")
        elif app.screen is play and play.mode == "feedback":
            await pilot.press("enter")
            await wait_for(pilot, lambda: play.mode != "feedback", what="the next scene")
        else:
            await pilot.pause(0.02)
    return play


@pytest.mark.slow  # every chapter of the longest story through the TUI: ~12 s of one core; test_tui plays the example whole by default
async def test_a_run_through_every_chapter_is_saved_whole_and_plain_play_starts_each_chapter_from_it(tmp_path):
    saves = tmp_path / "saves"
    scenario = load_scenario(str(STORY))
    app = ReconnectApp(str(STORY), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)))
    async with app.run_test(size=SIZE) as pilot:
        play = await play_to_the_end(pilot, app)
        ending = app.screen
        assert len(ending.outcomes) == len(play.run_steps)  # the ending's tally counts the whole run
        play.wait_for_recorder()
        [save] = list(saves.glob("*.toml"))
        run = runs.read_run(save)
        assert [c.chapter for c in run.chapters] == [c.id for c in scenario.chapters]
        assert run.finished and len(run.steps) == len(play.run_steps)
    for chapter in scenario.chapters:  # the plain player starts each chapter from the TUI's save
        plain = scenario_game("play", str(STORY), "--plain", "--no-save", "--chapter", chapter.id, "--from-run", str(save))
        assert plain.returncode == 3 and f"== {chapter.title} ==" in plain.stdout, plain.stderr


@pytest.mark.parametrize("number", range(len(load_scenario(str(STORY)).chapters)))
async def test_each_chapter_of_a_whole_run_replays_in_the_tui_as_the_run_had_it(tmp_path, number):
    saves = tmp_path / "saves"
    scenario = load_scenario(str(STORY))
    chapter = scenario.chapters[number]
    played = scenario_game("--saves", str(saves), "play", str(STORY), "--plain", "--choices", ",".join(["1"] * 200))
    assert played.returncode == 0 and played.stdout.splitlines()[-1].startswith("END "), played.stderr
    [save] = list(saves.glob("*.toml"))
    run = runs.read_run(save)
    assert run.finished and [c.chapter for c in run.chapters] == [c.id for c in scenario.chapters]
    app = library_app(tmp_path, recorder_factory=recorder_factory(str(saves)))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ScenarioScreen(scenario))
        await wait_for_screen(pilot, ScenarioScreen)
        await pilot.press("s")
        listing = await wait_for_screen(pilot, RunsScreen)
        await wait_for(pilot, lambda: listing.saved, what="the saved run")
        await pilot.press("r")
        await wait_for_screen(pilot, PickChapterScreen)
        for _ in range(number):
            await pilot.press("down")
        await pilot.press("enter")
        replay = await wait_for_screen(pilot, PlayScreen)
        expected = engine.restart_chapter(scenario, run.chapter_start(chapter.id).snapshot)
        assert replay.state.chapter == chapter.id and replay.single_chapter
        assert replay.state.meters == expected.meters and replay.state.flags == expected.flags
        assert chapter.title in flat(screen_text(app))
        await pilot.press("escape")  # leave the replay (asked first), back to the list of runs
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is listing, what="the runs list")
        [still] = list(saves.glob("*.toml"))  # leaving the replay kept the whole run as it was
        assert runs.read_run(still).steps == run.steps


async def test_resuming_mid_chapter_shows_the_chapter_so_far_and_keeps_its_replies(tmp_path):
    saves = tmp_path / "saves"
    scenario = load_scenario(str(STORY))
    recorder = runs.Recorder(scenario, saves)
    session = Session(scenario, observers=[recorder])
    session.start()
    while session.state.chapter == scenario.chapters[0].id or len(session.chapter_steps()) < 2:
        session.go_on() if session.state.status == engine.CHAPTER_END else session.take(1)
    taken = [s.text for s in session.chapter_steps()]
    opening = scenario.nodes[session.transcript()[0].nodes[0]].text
    app = ReconnectApp(str(STORY), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)))
    app.resume = runs.LATEST
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        assert [s.text for s in play.chapter_steps] == taken
        shown = flat(" ".join(str(w.render()) for w in play.transcript.children))
        assert flat(opening)[:40] in shown and flat(taken[-1])[:40] in shown  # the scene so far, not just its last line
        chapter = play.state.chapter
        while not isinstance(app.screen, ChapterEndScreen):
            if play.mode == "choosing":
                await pilot.press("1")
                await wait_for(pilot, lambda: play.mode != "choosing", what="the feedback")
            elif play.mode == "feedback":
                await pilot.press("enter")
                await wait_for(pilot, lambda: play.mode != "feedback", what="the next scene")
            else:
                await pilot.pause(0.02)
        summary = app.screen
        assert summary.chapter_id == chapter
        assert len(summary.outcomes) == len([s for s in play.run_steps if s.chapter == chapter]) > len(taken)
        assert [o.choice.text for o in summary.outcomes][: len(taken)] == taken
        play.wait_for_recorder()
        saved = runs.read_run(recorder.path)
        assert len(saved.steps) == len(play.run_steps) and len(saved.chapters) == 2


async def test_the_tui_shows_replies_in_the_runs_order_and_saves_its_seed(tmp_path):
    from scenario_game.session import shown_order

    saves = tmp_path / "saves"
    scenario = load_scenario(str(STORY))
    app = ReconnectApp(str(STORY), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)), seed=31)
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        node = scenario.nodes[play.state.node]
        expected = [node.choices[i].text for i in shown_order(scenario, node.id, 31)]
        assert expected != [c.text for c in node.choices]  # seed 31 does move this decision's replies
        assert [c.text for c in play.session.offered()] == expected
        assert flat(expected[0])[:40] in flat(screen_text(app))
        await pilot.press("1")
        await wait_for(pilot, lambda: play.mode != "choosing", what="the feedback")
        play.wait_for_recorder()
        [save] = list(saves.glob("*.toml"))
        run = runs.read_run(save)
        assert run.seed == 31 and run.steps[0].shown == 1 and run.steps[0].text == expected[0]
