"""Keys and messages of the play screen that must tell the truth: the story scrolls with
PgUp/PgDn/Home/End whatever has focus, a chapter opens at the start of its text, the scale
is visible, and meters moved without a reply show no delta."""

from __future__ import annotations

import asyncio
from pathlib import Path

from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.play import PlayScreen
from scenario_game.tui.widgets.meters import MeterBar

STORY = Path(__file__).parent.parent / "scenarios" / "quiet-dinner.toml"
EXAMPLE = Path(__file__).parent / "fixtures" / "format_example.toml"


async def wait_for(pilot, condition, what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


def text_of(app) -> str:
    return " ".join("\n".join(strip.text for strip in app.screen._compositor.render_strips()).split())


async def opened(pilot) -> PlayScreen:
    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, PlayScreen) and bool(screen.query("#choices")) and bool(screen.choices.choices)

    await wait_for(pilot, ready, "the play screen")
    await pilot.pause()
    return pilot.app.screen


async def test_a_chapter_opens_at_the_start_of_its_text_on_a_small_terminal():
    app = ReconnectApp(str(STORY))
    async with app.run_test(size=(60, 20)) as pilot:
        play = await opened(pilot)
        transcript = play.transcript
        assert transcript.max_scroll_y > 0  # the opening does not fit: it must start at the top
        assert transcript.scroll_y == 0
        heading = transcript.query(".heading").first()
        assert heading.region.y >= transcript.region.y  # the chapter's title is on screen


async def test_page_keys_scroll_the_story_while_the_replies_have_focus():
    app = ReconnectApp(str(STORY))
    async with app.run_test(size=(60, 20)) as pilot:
        play = await opened(pilot)
        transcript, choices = play.transcript, play.choices
        assert choices.has_focus and choices.highlighted == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y > 0 and choices.highlighted == 0  # the story moved, not the highlight
        await pilot.press("home")
        await pilot.pause()
        assert transcript.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y and choices.highlighted == 0
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < transcript.max_scroll_y


async def test_the_meters_say_their_scale():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        assert "How it feels 0-100" in text_of(app)


async def test_the_narrow_layout_says_the_scale_beside_each_value():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        text = text_of(app)
        assert "40/100" in text and "28/100" in text


async def test_a_quiet_move_shows_no_delta():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        play = await opened(pilot)
        play.meters.update_values({"trust": 30}, quiet=True)
        await pilot.pause()
        bar = play.meters.query_one("#meter-trust", MeterBar)
        assert bar.value == 30 and bar.delta == 0
        play.meters.update_values({"trust": 35})
        assert bar.delta == 5


async def test_a_reply_key_and_enter_typed_at_once_both_count():
    from textual import events

    from scenario_game.tui.screens.chapter_end import ChapterEndScreen

    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        for key, char in (("2", "2"), ("enter", "\r")):  # sent as a terminal would, the second before the first is drawn
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
        await wait_for(pilot, lambda: isinstance(app.screen, ChapterEndScreen), "the chapter's end")


async def test_the_mood_follows_the_move_just_made():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        play = await opened(pilot)
        assert "Sam feels distracted" in text_of(app)
        await pilot.press("1")  # blame; Sam answers without a mood of the scene before
        await wait_for(pilot, lambda: play.query(".reply"), "the reply in the story")
        assert "feels distracted" not in text_of(app)


async def test_replaying_a_chapter_shows_no_meter_delta():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        play = await opened(pilot)
        from scenario_game.tui.screens.chapter_end import ChapterEndScreen

        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChapterEndScreen), "the chapter's end")
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen is play and play.mode == "choosing", "the replay")
        bars = list(play.meters.query(MeterBar))
        assert [bar.value for bar in bars] == [40, 28] and all(bar.delta == 0 for bar in bars)


async def test_leaving_before_any_reply_does_not_claim_the_run_is_saved(tmp_path):
    from scenario_game.tui.app import _recorder_factory

    app = ReconnectApp(str(EXAMPLE), saves_folder=str(tmp_path), recorder_factory=_recorder_factory(str(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        play = await opened(pilot)
        await pilot.press("escape")
        await pilot.pause()
        text = text_of(app)
        assert "Nothing is saved yet: a run is saved from its first reply." in text and "The run is saved" not in text
        await pilot.press("escape")  # stay
        await wait_for(pilot, lambda: app.screen is play, "the play screen")
        await pilot.press("2")
        await pilot.pause()
        play.wait_for_recorder()
        await pilot.press("escape")
        await pilot.pause()
        assert "The run is saved; you can resume it later." in text_of(app)
