"""The chapter-end and ending screens tell advice followed apart from advice missed."""

from __future__ import annotations

from pathlib import Path

from scenario_game import engine
from scenario_game.loader import load_scenario
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.chapter_end import ChapterEndScreen
from scenario_game.tui.summary import advice_split
from scenario_game.tui.screens.ending import EndingScreen

EXAMPLE = Path(__file__).parent / "fixtures" / "format_example.toml"


def play(scenario, numbers):
    """Take the `numbers` (1-based among open replies) from the start; the steps and final state."""
    state = engine.start(scenario)
    steps = []
    for number in numbers:
        if state.status == engine.CHAPTER_END:
            state = engine.next_chapter(scenario, state)
        before = state
        state, outcome = engine.choose(scenario, state, engine.open_choices(scenario, state)[number - 1])
        steps.append((before, outcome))
    return steps, state


def text_of(app) -> str:
    lines = "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())
    return " ".join(lines.split())


def test_constructive_replies_follow_advice_and_destructive_ones_miss_it():
    scenario = load_scenario(str(EXAMPLE))
    steps, _ = play(scenario, [1])  # blame, citing the advice it goes against
    followed, missed = advice_split([outcome for _, outcome in steps])
    assert followed == [] and [a.id for a in missed] == ["i-statements"]
    steps, _ = play(scenario, [2])
    followed, missed = advice_split([outcome for _, outcome in steps])
    assert [a.id for a in followed] == ["i-statements", "be-present", "no-phones-at-dinner"] and missed == []


async def test_chapter_end_shows_advice_missed_with_what_it_says():
    scenario = load_scenario(str(EXAMPLE))
    steps, state = play(scenario, [1])
    assert state.status == engine.CHAPTER_END
    start = engine.start(scenario).meter_values
    app = ReconnectApp(None, scenarios_folder="/nonexistent")
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(ChapterEndScreen(scenario, "monday", [start, state.meter_values], [outcome for _, outcome in steps], state))
        await pilot.pause()
        text = text_of(app)
        assert "Advice you missed: something to try next time" in text
        assert "Advice you followed" not in text
        missed = scenario.advice["i-statements"]
        assert f"○ {missed.title}" in text and missed.text.split(".")[0] in text


async def test_ending_screen_separates_followed_from_missed():
    scenario = load_scenario(str(EXAMPLE))
    steps, state = play(scenario, [2, 2, 1])  # kind, then the TV, then the walk
    state = engine.next_chapter(scenario, state)
    assert state.status == engine.ENDED
    start = engine.start(scenario).meter_values
    app = ReconnectApp(None, scenarios_folder="/nonexistent")
    async with app.run_test(size=(100, 50)) as pilot:
        await app.push_screen(EndingScreen(scenario, state, [start, state.meter_values], [outcome for _, outcome in steps]))
        await pilot.pause()
        text = text_of(app)
        followed = text.index("Advice you followed")
        assert f"✓ {scenario.advice['i-statements'].title}" in text[followed:]
        assert f"✓ {scenario.advice['quality-time'].title}" in text[followed:]
        assert "Advice you missed" not in text  # the TV reply cites no advice
