"""The help lists every key the screen under it answers to; the command palette offers the
game's own commands; the themes follow TEXTUAL_THEME and can be switched."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.chapter_map import ChapterMapScreen
from scenario_game.tui.screens.help import HelpScreen, declared_bindings
from scenario_game.tui.screens.play import PlayScreen
from scenario_game.tui.screens.scenario import ScenarioScreen
from scenario_game.tui.widgets.feedback import FeedbackPanel

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "format_example.toml"
SIZE = (120, 60)


async def wait_for(pilot, condition, what: str, timeout: float = 120.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"waited in vain for {what}; the screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)
    await pilot.pause()


def screen_text(app) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


async def wait_for_screen(pilot, kind):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    return pilot.app.screen


def help_text(app) -> str:
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    return "\n".join(str(static.render()) for static in help_screen.query(".help-keys"))


def rows_of(text: str) -> set[tuple[str, str]]:
    return {tuple(part.strip() for part in line.split("  ", 1)) for line in text.splitlines() if line.strip()}


def described(kind) -> list:
    return [binding for binding in declared_bindings(kind) if binding.description]


async def test_help_over_play_lists_every_key_of_the_screen_its_widgets_and_the_app():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        text = help_text(app)
        shown = {app.get_key_display(b) for b in described(PlayScreen) + described(FeedbackPanel) + described(ReconnectApp)}
        keys_column = " ".join(line.split("  ")[0] for line in text.splitlines())
        missing = sorted(key for key in shown if key not in keys_column and not key.isdigit())
        assert missing == []
        assert "1-9" in keys_column and "Reply" in text  # the nine reply keys share one row
        assert "tab" in keys_column and "Continue" in text and "Page Down" in text  # focus and the feedback's keys
        assert "^p" in keys_column  # the command palette
        await pilot.press("escape")
        assert app.screen is play


@pytest.mark.parametrize(
    ("open_screen", "keys"),
    [("scenario", ("s", "c", "m", "esc")), ("map", ("[", "]", "esc"))],
)
async def test_help_lists_the_keys_of_the_screen_it_was_opened_over(open_screen, keys):
    from scenario_game.loader import load_scenario

    app = ReconnectApp(None, scenarios_folder=str(FIXTURES))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        scenario = load_scenario(str(EXAMPLE))
        if open_screen == "scenario":
            app.open_story(scenario)
            await wait_for_screen(pilot, ScenarioScreen)
        else:
            app.chapter_map(scenario)
            await wait_for_screen(pilot, ChapterMapScreen)
        app.action_help()
        await wait_for_screen(pilot, HelpScreen)
        text = help_text(app)
        keys_column = {line.split("  ")[0].strip() for line in text.splitlines()}
        for key in keys:
            assert any(key in column.split() for column in keys_column), (key, text)


async def test_the_command_palette_opens_a_bundled_story_and_a_chapter_map():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, PlayScreen)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
        await pilot.press(*"chapter map of")
        await wait_for(pilot, lambda: "Chapter map of The Quiet Dinner" in str(app.screen.query_one("CommandList").get_option_at_index(0).prompt), "the command")
        await pilot.press("enter")
        shown = await wait_for_screen(pilot, ChapterMapScreen)
        assert shown.scenario.title == "The Quiet Dinner"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
        await pilot.press(*"open story: after the arg")
        await wait_for(pilot, lambda: "After the Argument" in str(app.screen.query_one("CommandList").get_option_at_index(0).prompt), "the story")
        await pilot.press("enter")
        page = await wait_for_screen(pilot, ScenarioScreen)
        assert page.scenario.title == "After the Argument"


async def test_switching_theme_redraws_the_meter_track_in_the_new_colour():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)

        def track_colours() -> set[str]:
            return {
                segment.style.color.name.upper() if segment.style and segment.style.color and segment.style.color.triplet is None else segment.style.color.triplet.hex.upper()
                for strip in play.query_one("MeterBar").render_lines(play.query_one("MeterBar").region.reset_offset)
                for segment in strip
                if segment.text.strip() == "━" * len(segment.text.strip()) and segment.text.strip() and segment.style and segment.style.color
            }

        assert "#7A6D64" in track_colours()
        app.theme = "reconnect-high-contrast"
        await pilot.pause()
        await wait_for(pilot, lambda: "#808080" in track_colours(), "the high-contrast track")


@pytest.mark.parametrize("theme", ["reconnect-high-contrast", "textual-light"])
def test_textual_theme_picks_the_starting_theme(theme, tmp_path):
    code = (
        "import asyncio, json, sys\n"
        "from scenario_game.tui.app import ReconnectApp\n"
        "async def main():\n"
        "    app = ReconnectApp(None, scenarios_folder=sys.argv[1])\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "        print(json.dumps([app.theme, app.get_css_variables()['background']]))\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "TEXTUAL_THEME": theme}
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    name, background = json.loads(result.stdout.splitlines()[-1])
    assert name == theme
    assert background.upper() == ("#000000" if theme == "reconnect-high-contrast" else background.upper())


@pytest.mark.parametrize("variable", [None, "", "no-such-theme"])
def test_without_a_known_textual_theme_the_game_starts_in_its_own(variable):
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_THEME"}
    if variable is not None:
        env["TEXTUAL_THEME"] = variable
    code = "from scenario_game.tui.app import ReconnectApp; print(ReconnectApp().theme)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.stdout.strip() == "reconnect", result.stderr


@pytest.mark.parametrize("open_screen", ["runs", "compare", "map"])
async def test_question_mark_opens_the_help_on_every_screen_and_no_heading_is_a_class_name(open_screen):
    from scenario_game.loader import load_scenario
    from scenario_game.tui.screens.compare import ComparePickScreen, CompareScreen
    from scenario_game.tui.screens.runs import RunsScreen

    assert any(b.key == "question_mark" for b in declared_bindings(CompareScreen))
    app = ReconnectApp(None, scenarios_folder=str(FIXTURES))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        scenario = load_scenario(str(EXAMPLE))
        show, kind = {"runs": (app.show_runs, RunsScreen), "compare": (app.show_compare, ComparePickScreen), "map": (app.show_chapter_map, ChapterMapScreen)}[open_screen]
        show(scenario)
        under = await wait_for_screen(pilot, kind)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        headings = [str(static.render()) for static in app.screen.query(".help-heading")]
        assert headings and not any(h in ("OptionList", "VerticalScroll", "ScrollableContainer") for h in headings), headings
        await pilot.press("escape")
        assert app.screen is under


@pytest.mark.parametrize(("width", "palette"), [(60, False), (80, False), (120, True)])
async def test_the_footer_keeps_every_key_of_the_story_page_in_view(width, palette):
    from scenario_game.loader import load_scenario
    from scenario_game.tui.widgets.footer import KeyFooter

    app = ReconnectApp(None, scenarios_folder=str(FIXTURES))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        app.open_story(load_scenario(str(EXAMPLE)))
        page = await wait_for_screen(pilot, ScenarioScreen)
        footer = page.query_one(KeyFooter)
        await wait_for(pilot, lambda: any(k.description == "Quit" for k in footer.keys), "the footer's keys")
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        assert ("^p palette" in line) is palette, line
        # Help and Quit always show; at 60 columns the keys before them give way, and say so.
        for shown in ("esc Library", "? Help", "q Quit"):
            assert shown in line, line
        if width >= 80:
            assert all(f"{k.display} {k.description}" in line for k in footer.keys), line
        else:
            assert "…" in line and "m Chapter map" not in line, line


async def test_a_click_on_a_footer_key_presses_it():
    from scenario_game.loader import load_scenario
    from scenario_game.tui.widgets.footer import KeyFooter

    app = ReconnectApp(None, scenarios_folder=str(FIXTURES))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        app.open_story(load_scenario(str(EXAMPLE)))
        page = await wait_for_screen(pilot, ScenarioScreen)
        footer = page.query_one(KeyFooter)
        await wait_for(pilot, lambda: any(k.description == "Quit" for k in footer.keys), "the footer's keys")
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        await pilot.click(KeyFooter, offset=(line.index("? Help") + 1, 0))
        await wait_for_screen(pilot, HelpScreen)


async def test_the_palette_keys_command_opens_the_games_help():
    app = ReconnectApp(str(EXAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
        await pilot.press(*"keys")
        commands = app.screen.query_one("CommandList")
        await wait_for(pilot, lambda: commands.option_count and str(commands.get_option_at_index(0).prompt).startswith("Keys"), "the Keys command")
        await pilot.pause(0.3)
        assert sum(str(commands.get_option_at_index(i).prompt).startswith("Keys") for i in range(commands.option_count)) == 1
        await pilot.press("enter")
        await wait_for_screen(pilot, HelpScreen)
        assert app.screen.over is play
