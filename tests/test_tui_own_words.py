"""Say it your own way in the TUI (Pilot): `w` at a decision, words typed and submitted,
the coach's reading in the feedback panel, the story going on with the closest reply or
the player picking one; the words shown literally, never as markup."""

from __future__ import annotations


from textual.widgets import Input, Static

from scenario_game import runs
from scenario_game.own_words import AS_IF, PICK
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.dialogs.write_reply import WriteReplyScreen
from scenario_game.tui.screens.chapter_end import ChapterEndScreen
from scenario_game.tui.screens.play import PlayScreen

from test_tui import EXAMPLE, flat, screen_text, wait_for_screen

MISSING = "I've been missing you lately. Can we talk while we eat?"


def panel_text(play: PlayScreen) -> str:
    """Everything the feedback panel holds (it scrolls, so not all of it is on screen at once)."""
    return flat(str(play.feedback.query_one(".feedback-body", Static).content))


async def write(pilot, words: str) -> None:
    await pilot.press("w")
    dialog = await wait_for_screen(pilot, WriteReplyScreen)
    dialog.query_one(Input).value = words
    await pilot.press("enter")
    await wait_for_screen(pilot, PlayScreen)
    await pilot.pause()


async def test_w_reads_the_words_and_the_story_goes_on_with_the_closest_reply():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(110, 50)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        assert "Your words" in flat(screen_text(app))  # the key is in the footer
        await write(pilot, "I felt lonely at dinner [bold]tonight[/bold]. Could we talk?")
        assert play.feedback.display and not play.choices.display
        # the panel opens at its top: the words as typed, markup and all, and the verdict
        assert "You wrote “I felt lonely at dinner [bold]tonight[/bold]. Could we talk?”" in flat(screen_text(app))
        text = panel_text(play)
        assert "You wrote “I felt lonely at dinner [bold]tonight[/bold]. Could we talk?”" in text
        assert "I-statement constructive" in text
        assert "feeling “lonely”" in text  # the words behind a finding, shown literally
        assert f"{AS_IF} 2. {MISSING}" in text
        assert "Trust 40 -> 45 (+5)" in text  # what the authored reply did
        text = flat(screen_text(app))
        step = play.session.steps[-1]
        assert (step.index, step.written) == (1, "I felt lonely at dinner [bold]tonight[/bold]. Could we talk?")
        await pilot.pause()
        assert "in your own words" in text and "as if: " + MISSING in text  # the transcript
        await pilot.press("enter")  # the story goes on, to the chapter's end
        await wait_for_screen(pilot, ChapterEndScreen)


async def test_when_the_coach_cannot_tell_the_replies_stay_to_pick_from():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(110, 50)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await write(pilot, "You never listen to me, you are so selfish.")
        assert play.feedback.display and play.choices.display  # the reading and the list
        text = flat(screen_text(app))
        assert PICK in text and "Pick the reply nearest your words" in text  # on screen, at the top
        text = panel_text(play)
        assert "Contemptuous destructive" in text and "“you are so selfish”" in text
        assert not play.session.steps  # nothing taken yet
        await pilot.press("3")
        await pilot.pause()
        step = play.session.steps[-1]
        assert (step.index, step.written) == (2, "You never listen to me, you are so selfish.")
        assert "Sarcasm" in panel_text(play) and "You wrote “You never listen" in panel_text(play)


async def test_escape_and_an_empty_entry_go_back_to_the_replies():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(110, 50)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("w")
        await wait_for_screen(pilot, WriteReplyScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, PlayScreen)
        await write(pilot, "   ")
        assert play.choices.display and not play.feedback.display and not play.session.steps
        # and Escape while picking forgets the words, without leaving the run
        await write(pilot, "You never listen to me, you are so selfish.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and not play.feedback.display and play.own_words is None
        await pilot.press("2")
        await pilot.pause()
        assert play.session.steps[-1].written is None


async def test_k_turns_keeping_the_words_off_and_the_save_remembers(tmp_path):
    saves = tmp_path / "saves"
    app = ReconnectApp(EXAMPLE, saves_folder=str(saves), recorder_factory=lambda scenario: runs.Recorder(scenario, saves))
    async with app.run_test(size=(110, 50)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("k")
        await write(pilot, "I felt lonely at dinner. Could we talk?")
        assert play.session.steps[-1].written is None
        play.wait_for_recorder()
    [path] = saves.glob("*.toml")
    run = runs.read_run(path)
    assert run.keep_words is False and [s.written for s in run.steps] == [None]
    assert "lonely" not in path.read_text(encoding="utf-8")


async def test_the_compare_screen_shows_the_written_words_literally(tmp_path):
    from scenario_game import engine
    from scenario_game.loader import load_scenario
    from scenario_game.session import Session
    from scenario_game.tui.screens.compare import CompareScreen

    scenario = load_scenario(str(EXAMPLE))
    saved = []
    for number, words in ((2, "I missed you [b]so[/b] much.\x1b[2J"), (3, None)):
        recorder = runs.Recorder(scenario, tmp_path / "saves")
        session = Session(scenario, observers=[recorder])
        session.start()
        session.take(number, written=words)
        while session.state.status != engine.ENDED:
            if session.state.status == engine.CHAPTER_END:
                session.go_on()
            else:
                session.take(1)
        saved.append(runs.read_run(recorder.path))
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_for_screen(pilot, PlayScreen)
        await app.push_screen(CompareScreen(scenario, saved[0], saved[1], "monday"))
        await wait_for_screen(pilot, CompareScreen)
        await pilot.pause()
        text = flat(screen_text(app))
        assert f"A 2. {MISSING} you wrote: “I missed you [b]so[/b] much.\\x1b[2J”" in text
        assert "\x1b" not in text


async def test_the_command_palette_turns_keeping_the_words_off():
    from textual.command import CommandPalette

    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(110, 50)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        assert play.session.keep_words
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        await pilot.press(*"keep my written")
        found = False
        for _ in range(200):  # the palette searches in a worker; wait for its hit to be listed
            await pilot.pause(0.05)
            if "Keep my written words in the save (now on)" in flat(screen_text(app)):
                found = True
                break
        assert found, flat(screen_text(app))
        await pilot.press("enter")
        await wait_for_screen(pilot, PlayScreen)
        assert not play.session.keep_words
        assert isinstance(palette, CommandPalette)
