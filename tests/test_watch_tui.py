"""`play FILE --watch` in the TUI, with Pilot: a save with errors shows the checker's
lines in a panel, a fixed save swaps in the new version with the replies replayed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.play import PlayScreen
from scenario_game.tui.watching import WatchProblemsScreen

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"
TEXT = FIXTURE.read_text(encoding="utf-8")


async def wait_until(pilot, test, timeout: float = 120.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not test():
        if loop.time() > deadline:
            raise AssertionError(f"timed out; the screen is {pilot.app.screen!r}")
        await pilot.pause(0.05)
    await pilot.pause()


def save(path: Path, text: str) -> None:
    """Write as an editor does; make sure the size or the time changes even on a coarse clock."""
    path.write_text(text, encoding="utf-8")


def panel_text(app) -> str:
    return str(app.screen.query_one("#watch-problem-lines").render())


async def test_errors_show_in_a_panel_and_a_fixed_save_replays_the_run(tmp_path):
    path = tmp_path / "live.toml"
    save(path, TEXT)
    app = ReconnectApp(str(path), watch=True)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PlayScreen))
        app.live.watcher.interval = 0.05
        first = app.screen
        await pilot.press("2")  # "I've been missing you lately..." (trust +5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: first.state.node != "dinner")
        node_after, meters_after, status_after = first.state.node, first.state.meters, first.state.status
        top_after = type(app.screen)  # the chapter's end, here

        # A save with a typo: the panel lists the checker's line, literally; play waits.
        save(path, TEXT.replace('goto = "sam-snaps"', 'goto = "sam-snapz"', 1))
        await wait_until(pilot, lambda: isinstance(app.screen, WatchProblemsScreen))
        lines = panel_text(app)
        assert f"{path}:" in lines and "error: unknown goto target 'sam-snapz'" in lines and "did you mean 'sam-snaps'" in lines
        assert app.problems and app.problems[0].startswith(f"{path}:")

        # The fix, with an edited effect: play goes on in the new version at the same place.
        save(path, TEXT.replace('effects = { trust = 5, closeness = "%+20" }', 'effects = { trust = 7, closeness = "%+20" }'))
        await wait_until(pilot, lambda: app.live._play_screen() not in (None, first) and type(app.screen) is top_after)
        again = app.live._play_screen()
        assert (again.state.node, again.state.status) == (node_after, status_after)
        assert again.state.meter("trust") == dict(meters_after)["trust"] + 2
        assert len(again.run_steps) == 1
        assert app.problems == []
    app.live.stop()


async def test_a_file_broken_from_the_start_waits_for_a_fix(tmp_path):
    path = tmp_path / "live.toml"
    save(path, TEXT.replace("format = 1", "format = [", 1))
    app = ReconnectApp(str(path), watch=True)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WatchProblemsScreen))
        app.live.watcher.interval = 0.05
        assert "error: TOML syntax error" in panel_text(app)
        save(path, TEXT)
        await wait_until(pilot, lambda: isinstance(app.screen, PlayScreen))
        assert app.screen.state.node == "dinner"
    app.live.stop()


async def test_markup_in_an_error_line_is_shown_as_typed(tmp_path):
    path = tmp_path / "live.toml"
    save(path, TEXT.replace('goto = "sam-snaps"', 'goto = "[bold]x[/]"', 1))
    app = ReconnectApp(str(path), watch=True)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WatchProblemsScreen))
        assert "[bold]x[/]" in panel_text(app)
    app.live.stop()
