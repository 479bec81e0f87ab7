"""The TUI collects its cyclic garbage while the player reads a reply's feedback, not in the
middle of a frame (scenario_game/tui/collecting.py)."""

from __future__ import annotations

import gc
from pathlib import Path

from scenario_game.tui import collecting
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.play import PlayScreen

from test_tui_runs import wait_for, wait_for_screen

EXAMPLE = Path(__file__).parent / "fixtures" / "format_example.toml"


def test_resuming_after_start_up_freezes_it_and_leaves_whole_passes_to_the_game():
    before = gc.get_threshold()
    gc.disable()
    try:
        frozen = gc.get_freeze_count()
        collecting.resume()
        assert gc.isenabled()
        assert gc.get_threshold() == (collecting.YOUNG_THRESHOLD, collecting.MIDDLE_THRESHOLD, collecting.OLDEST_THRESHOLD)
        assert gc.get_freeze_count() >= frozen
        collecting.resume()  # once on, it is left as it is
        assert gc.get_threshold()[2] == collecting.OLDEST_THRESHOLD
    finally:
        gc.set_threshold(*before)
        gc.enable()


async def test_a_reply_has_its_garbage_collected_while_the_player_reads(monkeypatch):
    passes: list[str] = []
    monkeypatch.setattr(collecting, "collect_now", lambda: passes.append("pass"))
    monkeypatch.setattr(collecting, "READING_SECONDS", 0.05)
    app = ReconnectApp(str(EXAMPLE), saves_folder="unused")
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        assert passes == []
        await pilot.press("2")
        await wait_for(pilot, lambda: play.mode == "feedback", what="the feedback")
        await wait_for(pilot, lambda: passes == ["pass"], what="a pass while reading")
