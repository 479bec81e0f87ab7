"""Pilot tests: play fixture scenarios through the TUI with keys and the mouse."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest

from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.chapter_end import ChapterEndScreen
from scenario_game.tui.screens.confirm import ConfirmScreen
from scenario_game.tui.screens.ending import EndingScreen
from scenario_game.tui.screens.help import HelpScreen
from scenario_game.tui.screens.library import LibraryScreen
from scenario_game.tui.screens.play import PlayScreen
from scenario_game.tui.screens.problems import ProblemsScreen
from scenario_game.tui.screens.scenario import ScenarioScreen


FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = str(FIXTURES / "format_example.toml")
MARKUP = str(FIXTURES / "tui_markup.toml")
STUCK = str(FIXTURES / "tui_stuck.toml")


async def wait_for_screen(pilot, kind, timeout: float = 120.0):
    """Pause until the top screen is a `kind` (workers load files off the UI thread)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not isinstance(pilot.app.screen, kind):
        if loop.time() > deadline:
            raise AssertionError(f"expected {kind.__name__}, the screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)
    await pilot.pause()
    return pilot.app.screen


async def wait_for_footer(pilot, keys: str = "1-9 Reply", timeout: float = 120.0) -> None:
    """Pause until the footer shows `keys`: Textual's Footer fills in just after the screen's first frame."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while keys not in flat(screen_text(pilot.app)):
        if loop.time() > deadline:
            raise AssertionError(f"the footer never showed {keys!r}: {flat(screen_text(pilot.app))!r}")
        await pilot.pause(0.02)


def screen_text(app) -> str:
    """The characters the top screen shows now, line by line."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """Screen text with line breaks and runs of spaces (and box edges) reduced, for phrases that wrap."""
    for edge in "│╭╮╰╯▌▁▂▃▄▅▆▇█▔":
        text = text.replace(edge, " ")
    return " ".join(text.split())


def meter_values(screen: PlayScreen) -> dict[str, int]:
    return {name: screen.meters.bar(name).value for name in ("trust", "closeness")}


async def test_plays_the_example_to_its_ending_with_key_presses(monkeypatch):
    monkeypatch.setattr("scenario_game.tui.widgets.meters.DELTA_SECONDS", 3600)  # the delta stays while we look, however slow the machine
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        text = flat(screen_text(app))
        assert "The Quiet Dinner" in text and "Monday: the phone at dinner" in text
        assert "Sam feels distracted" in text
        assert "Sam scrolls through the phone while the pasta goes cold." in text
        assert "1 You're always on that thing." in text and "3 Oh, another riveting evening" in text
        assert meter_values(play) == {"trust": 40, "closeness": 28}  # the node's entry effect applied

        await pilot.press("2")
        await pilot.pause()
        assert play.feedback.display and not play.choices.display
        text = flat(screen_text(app))
        assert "I-statement constructive" in text
        assert "45 +5" in text and "42 +14" in text  # the delta shows beside the bar for a moment
        assert "Trust 40 -> 45 (+5)" in text and "Closeness 28 -> 42 (+14)" in text
        assert "Naming your own feeling invites Sam to listen instead of defend." in text
        # the panel opens at the replies' height (so the story above is not laid out again
        # for the first frame), then grows to fit what it says
        assert play.feedback.outer_size.height > len(play.choices.choices) + 2
        assert text.index("I-statement constructive") < text.index("Naming your own feeling") < text.index("Trust 40 -> 45")
        assert "Speak from your side" in text
        await pilot.press(*["down"] * 30)  # the panel scrolls with the arrows to the rest of the advice
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Reconnecting Emotionally With Your Partner" in text
        assert "Phones away at meals" in text and "Meals are a daily chance to be together." in text
        assert meter_values(play) == {"trust": 45, "closeness": 42}
        assert "Sam feels softening" in text

        await pilot.press("enter")
        summary = await wait_for_screen(pilot, ChapterEndScreen)
        text = flat(screen_text(app))
        assert "End of chapter 1 of 2" in text
        assert "Trust" in text and "40 -> 45 +5" in text and "30 -> 42 +12" in text
        assert "1. I-statement I've been missing you lately." in text
        assert "Constructive 1 Destructive 0 Neutral 0" in text
        assert "Phones away at meals" in text and "Give your full attention" in text

        await pilot.press("n")
        await wait_for_screen(pilot, PlayScreen)
        assert play.state.chapter == "tuesday"
        assert "Tuesday: a second try" in flat(screen_text(app))
        await pilot.press("2")  # the once-only choice: it goes round and is gone
        await pilot.pause()
        assert "Avoidant destructive" in flat(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert [c.text for c in play.choices.choices] == ["Suggest a walk after dinner, phones left at home."]
        await pilot.press("1")
        await pilot.pause()
        assert "Curious constructive" in flat(screen_text(app))
        await pilot.press("enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        text = flat(screen_text(app))
        assert "Constructive 1 Destructive 1 Neutral 0" in text
        assert "See the ending (n)" in text

        await pilot.press("n")
        ending = await wait_for_screen(pilot, EndingScreen)
        text = flat(screen_text(app))
        assert ending.state.ending == "reconnected"
        assert "Reconnected" in text and "Something has shifted." in text
        assert "Constructive 2 Destructive 1 Neutral 0" in text
        assert summary is not ending
        assert dict(ending.state.meters) == {"trust": 48, "closeness": 47}


async def test_arrows_and_enter_take_the_highlighted_reply():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("down", "down", "up", "enter")
        await pilot.pause()
        assert play.last_outcome.choice.style == "i-statement"


async def test_clicking_a_reply_takes_it():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(140, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        # the list's border is row 0; each reply fits on one row at this width
        assert await pilot.click("#choices", offset=(10, 3))
        await pilot.pause()
        assert play.last_outcome.choice.style == "sarcastic"
        assert "Sarcasm destructive" in flat(screen_text(app))
        assert await pilot.click(".feedback-continue")
        await pilot.pause()
        await wait_for_screen(pilot, ChapterEndScreen)


async def test_a_digit_with_no_reply_and_keys_during_feedback_do_nothing():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("9")
        await pilot.pause()
        assert play.mode == "choosing" and play.last_outcome is None
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1", "3")  # while the feedback shows, digits must not take replies
        await pilot.pause()
        assert len(play.run_steps) == 1 and play.mode == "feedback"


async def test_replay_chapter_starts_it_again_from_its_snapshot():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("1")
        await pilot.pause()
        assert meter_values(play) == {"trust": 35, "closeness": 23}
        await pilot.press("enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        await pilot.press("r")
        await wait_for_screen(pilot, PlayScreen)
        await pilot.pause()
        assert play.state.node == "dinner" and play.state.chapter == "monday"
        assert meter_values(play) == {"trust": 40, "closeness": 28}
        assert play.run_steps == [] and play.chapter_steps == []
        assert "You take this chapter again from its start." in flat(screen_text(app))
        await pilot.press("2", "enter")
        summary = await wait_for_screen(pilot, ChapterEndScreen)
        assert [o.choice.style for o in summary.outcomes] == ["i-statement"]


async def test_back_from_the_chapter_end_leaves_play_for_the_chapter_list():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, PlayScreen)
        await pilot.press("2", "enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        await pilot.press("b")
        await wait_for_screen(pilot, ScenarioScreen)
        assert not app.run_in_progress


async def test_markup_like_text_shows_exactly_as_typed():
    app = ReconnectApp(MARKUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, PlayScreen)
        text = flat(screen_text(app))
        for typed in (
            "[bold]Brackets[/] in the title",
            "[TODO] the only chapter [/]",
            "[red]Kim feels [blink]tense",
            "[TODO] write this scene [/] and [bold]this[/bold] and [link=x]that[/link]",
            "[bold]Say it[/] plainly [TODO]",
            "Listen [i]first[/i]",
            "[Trust]",
        ):
            assert typed in text, typed
        await pilot.press("1")
        await pilot.pause()
        text = flat(screen_text(app))
        for typed in (
            "[b]Blunt[/b] destructive",
            "Says it [i]straight[/i] [/]",
            "[Trust] 50 -> 40 (-10)",
            "Feedback with [/] and [TODO] and [link=x]",
            "[b]Listen[/b] first",
            "Hear them out [TODO] before [/] answering.",
            "[i]An article[/i] [link=x]",
            "After [/] the [b]reply[/b].",
        ):
            assert typed in text, typed
        await pilot.press("enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        text = flat(screen_text(app))
        assert "[TODO] the only chapter [/]" in text and "[b]Blunt[/b] [bold]Say it[/] plainly [TODO]" in text
        await pilot.press("n")
        await wait_for_screen(pilot, EndingScreen)
        text = flat(screen_text(app))
        assert "[bold]The end[/] [TODO]" in text and "Ending text [/] [link=x]" in text


async def test_library_shows_your_stories_beside_the_bundled_ones(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "example.toml")
    app = ReconnectApp(None, scenarios_folder=str(tmp_path))
    async with app.run_test(size=(100, 60)) as pilot:
        library = await wait_for_screen(pilot, LibraryScreen)
        while not library.entries:
            await pilot.pause(0.02)
        await pilot.pause()
        assert [(Path(e.path).stem, e.kind) for e in library.entries][:2] == [("example", "yours"), ("after-the-argument", "bundled")]
        text = flat(screen_text(app))
        bundled = len(list((Path(__file__).parent.parent / "scenarios").glob("*.toml")))
        assert f"{bundled + 1} stories: 1 in {tmp_path}, {bundled} bundled with the game" in text
        assert "2 chapters · yours · with Sam" in text
        assert "After the Argument" in text and "3 chapters · bundled with the game" in text


async def test_library_lists_scenarios_literally_and_opens_one(tmp_path, monkeypatch):
    monkeypatch.setattr("scenario_game.library.bundled_folder", lambda: None)
    shutil.copy(EXAMPLE, tmp_path / "example.toml")
    shutil.copy(MARKUP, tmp_path / "markup.toml")
    (tmp_path / "broken.toml").write_text('format = 1\n[scenario]\ntitle = "x"\n', encoding="utf-8")
    app = ReconnectApp(None, scenarios_folder=str(tmp_path))
    async with app.run_test(size=(100, 36)) as pilot:
        library = await wait_for_screen(pilot, LibraryScreen)
        while not library.entries:
            await pilot.pause(0.02)
        await pilot.pause()
        text = flat(screen_text(app))
        assert f"2 stories: 3 in {tmp_path} · Enter opens one" in text
        assert "broken.toml cannot be played" in text
        assert "[bold]Brackets[/] in the title" in text
        assert "Every [TODO] here must show as typed: [/] [b]not bold[/b] [link=x]no link[/link]" in text
        assert "The Quiet Dinner Sam has been distant for weeks. 2 chapters · yours · with Sam" in text
        await pilot.press("enter")  # files are listed by name; the first playable one is highlighted
        scenario_screen = await wait_for_screen(pilot, ScenarioScreen)
        assert scenario_screen.scenario.title == "The Quiet Dinner"
        await pilot.press("down", "down", "enter")  # chapter 2 alone
        play = await wait_for_screen(pilot, PlayScreen)
        assert play.state.chapter == "tuesday"
        assert meter_values(play) == {"trust": 40, "closeness": 30}


async def test_an_empty_library_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr("scenario_game.library.bundled_folder", lambda: None)
    app = ReconnectApp(None, scenarios_folder=str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, LibraryScreen)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 120  # only so a broken run ends
        while "No scenarios here yet." not in screen_text(app) and loop.time() < deadline:
            await pilot.pause(0.02)
        assert "Put scenario files (*.toml) in" in flat(screen_text(app))
        await pilot.press("q")  # no run in progress: quits at once
    assert app.return_value == 0


async def test_a_file_with_errors_shows_the_problems_and_exits_1(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('format = 1\n[scenario]\ntitle = "[b]x"\n', encoding="utf-8")
    app = ReconnectApp(str(broken))
    async with app.run_test(size=(160, 24)) as pilot:  # wide enough that the temporary path never wraps
        await wait_for_screen(pilot, ProblemsScreen)
        assert "This scenario cannot be played" in screen_text(app)
        assert f"{broken}:" in "".join(flat(screen_text(app)).split())  # a long tmp path wraps anywhere
        await pilot.press("q")
    assert app.return_value == 1


async def test_a_stuck_node_is_reported_not_hung():
    app = ReconnectApp(STUCK)
    async with app.run_test(size=(100, 30)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        text = flat(screen_text(app))
        assert "authoring problem" in text and "node 'hall' offers no choice" in text
        assert not play.in_progress
        await pilot.press("escape")
        await wait_for_screen(pilot, ScenarioScreen)


async def test_quit_asks_while_a_run_is_in_progress():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("q")
        await wait_for_screen(pilot, ConfirmScreen)
        assert "Quit Reconnect?" in screen_text(app)
        await pilot.press("n")
        await wait_for_screen(pilot, PlayScreen)
        assert app.screen is play and play.mode == "choosing"
        await pilot.press("2")  # the game goes on as before
        await pilot.pause()
        assert play.mode == "feedback"
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_value == 0


async def test_escape_in_play_asks_before_leaving_the_run():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, PlayScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, ScenarioScreen)


async def test_help_lists_the_keys_and_closes():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpScreen)
        text = flat(screen_text(app))
        assert "pgdn Scroll down" in text and "shift+tab Focus Previous" in text
        await pilot.press("escape")
        await wait_for_screen(pilot, PlayScreen)
        assert app.screen is play
        await wait_for_footer(pilot)
        footer = flat(screen_text(app))
        assert "1-9 Reply" in footer and "? Help" in footer and "q Quit" in footer


class FakeRecorder:
    """A session observer (`session.Observer`) that notes each event and its thread."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.threads: set[str] = set()

    def chapter_started(self, history, start):
        self.threads.add(threading.current_thread().name)
        self.calls.append(("chapter", start.chapter, history.state.node))

    def step_taken(self, history, step, outcome):
        self.threads.add(threading.current_thread().name)
        self.calls.append(("step", step.node, history.state.node, outcome.choice.style, step.shown))

    def moved(self, history):
        self.threads.add(threading.current_thread().name)
        self.calls.append(("move", history.state.chapter, history.state.status))

    def ended(self, history):
        self.threads.add(threading.current_thread().name)
        self.calls.append(("ended", history.state.ending))


async def test_the_recorder_hears_every_chapter_step_and_move_off_the_ui_thread():
    recorder = FakeRecorder()
    app = ReconnectApp(EXAMPLE, recorder_factory=lambda scenario: recorder)
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("2", "enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, PlayScreen)
        await pilot.press("1", "enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, EndingScreen)
        play.wait_for_recorder()
    assert recorder.calls == [
        ("chapter", "monday", "dinner"),
        ("step", "dinner", "sam-puts-phone-down", "i-statement", 2),
        ("chapter", "tuesday", "tuesday-start"),
        ("step", "tuesday-start", "walk", "curious", 1),
        ("move", "tuesday", "ended"),
        ("ended", "reconnected"),
    ]
    assert recorder.threads and threading.main_thread().name not in recorder.threads


class FailingRecorder(FakeRecorder):
    def step_taken(self, history, step, outcome):
        raise OSError("disk full in [saves/x] [/]")


async def test_a_failing_recorder_is_reported_and_play_goes_on():
    app = ReconnectApp(EXAMPLE, recorder_factory=lambda scenario: FailingRecorder())
    async with app.run_test(size=(100, 36), notifications=True) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("2")
        await pilot.pause()
        play.wait_for_recorder()
        await pilot.pause(0.1)
        assert any("disk full in [saves/x] [/]" in str(n.message) for n in app._notifications)
        await pilot.pause(0.2)
        shown = flat(screen_text(app))  # the toast shows the message as typed (it may wrap)
        assert "could not be saved: disk full in" in shown and "[saves/x] [/]" in shown
        await pilot.press("enter")
        await wait_for_screen(pilot, ChapterEndScreen)


@pytest.mark.parametrize("size", [(60, 20), (200, 60)])
async def test_the_whole_example_plays_at_the_smallest_and_a_large_size(size):
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=size) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await wait_for_footer(pilot)
        text = screen_text(app)
        assert "too small" not in text
        flat_text = flat(text)
        for needle in ("Trust", "Closeness", "40", "28", "1 You're always on that thing.", "2 I've been missing you lately.", "3 Oh, another riveting evening"):
            assert needle in flat_text, needle
        assert "1-9 Reply" in flat_text  # the footer
        # every reply is inside the screen, not cut off below it
        assert play.choices.region.bottom <= size[1] - 1
        await pilot.press("2")
        await pilot.pause()
        flat_text = flat(screen_text(app))
        assert "I-statement constructive" in flat_text and "Trust 40 -> 45 (+5)" in flat_text
        assert play.feedback.region.bottom <= size[1] - 1 and play.feedback.region.height >= 5
        await pilot.press("enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        assert "Next chapter (n)" in flat(screen_text(app))
        await pilot.press("n", "1", "enter")
        await wait_for_screen(pilot, ChapterEndScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, EndingScreen)
        assert "Play again (a)" in flat(screen_text(app))


async def test_below_the_minimum_size_the_screen_says_so_and_recovers():
    app = ReconnectApp(EXAMPLE)
    async with app.run_test(size=(50, 15)) as pilot:
        await wait_for_screen(pilot, PlayScreen)
        text = flat(screen_text(app))
        assert "The window is too small" in text and "at least 60 x 20" in text and "this one is 50 x 15" in text
        assert "1-9 Reply" not in text  # the footer hides with the rest
        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.1)
        text = flat(screen_text(app))
        assert "too small" not in text and "Sam scrolls through the phone" in text
        await pilot.resize_terminal(59, 30)
        await pilot.pause(0.1)
        assert "this one is 59 x 30" in flat(screen_text(app))


async def test_a_single_chapter_run_offers_no_next_chapter():
    app = ReconnectApp(EXAMPLE, chapter="tuesday")
    async with app.run_test(size=(100, 36)) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        assert play.state.chapter == "tuesday" and meter_values(play) == {"trust": 40, "closeness": 30}
        await pilot.press("1", "enter")
        summary = await wait_for_screen(pilot, ChapterEndScreen)
        text = flat(screen_text(app))
        assert "Next chapter" not in text and "See the ending" not in text and "Replay chapter (r)" in text
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is summary


async def test_an_unknown_chapter_is_reported(tmp_path):
    app = ReconnectApp(EXAMPLE, chapter="friday")
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for_screen(pilot, ProblemsScreen)
        assert "no chapter 'friday'" in flat(screen_text(app)) and "chapters: monday, tuesday" in flat(screen_text(app))


def _warm_cache(folder: Path, cache: Path) -> None:
    from scenario_game.cards import CardCache, compile_card, read_cards

    cards = CardCache(cache)
    found, _ = read_cards([(p, "yours") for p in sorted(folder.glob("*.toml"))], cards)
    for card in found:
        cards.put(compile_card(card)[0])
    cards.save()


async def test_a_card_cached_wrongly_is_put_right_once_the_stories_are_compiled(tmp_path, monkeypatch):
    """The list is drawn from the cache; when compiling the files disagrees (a stale cache),
    the list shows what the file says, and the cache is corrected."""
    import json

    from scenario_game.cards import CACHE_FILE

    monkeypatch.setattr("scenario_game.library.bundled_folder", lambda: None)
    folder, cache = tmp_path / "stories", tmp_path / "cache"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "example.toml")
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    _warm_cache(folder, cache)
    data = json.loads((cache / CACHE_FILE).read_text(encoding="ascii"))
    for card in data["cards"].values():
        card["title"] = "A Stale Title"
    (cache / CACHE_FILE).write_text(json.dumps(data), encoding="ascii")

    app = ReconnectApp(None, scenarios_folder=str(folder))
    async with app.run_test(size=(100, 36)) as pilot:
        library = await wait_for_screen(pilot, LibraryScreen)
        first_shown = []
        while not (library.entries and library.entries[0].compiled):
            if library.entries and not first_shown:
                first_shown = [e.card.title for e in library.entries]
            await pilot.pause(0.02)
        await pilot.pause()
        assert first_shown in ([], ["A Stale Title"])  # the cached card, if a frame caught it
        text = flat(screen_text(app))
        assert "The Quiet Dinner" in text and "A Stale Title" not in text
    data = json.loads((cache / CACHE_FILE).read_text(encoding="ascii"))
    assert [card["title"] for card in data["cards"].values()] == ["The Quiet Dinner"]


async def test_a_story_chosen_before_the_stories_are_compiled_still_opens(tmp_path, monkeypatch):
    monkeypatch.setattr("scenario_game.library.bundled_folder", lambda: None)
    folder, cache = tmp_path / "stories", tmp_path / "cache"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "example.toml")
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    _warm_cache(folder, cache)
    release = threading.Event()
    compiled = LibraryScreen._compiled

    def held(card, cards):  # the background compiling waits until the test has pressed Enter
        release.wait(30)
        return compiled(card, cards)

    monkeypatch.setattr(LibraryScreen, "_compiled", staticmethod(held))
    app = ReconnectApp(None, scenarios_folder=str(folder))
    try:
        async with app.run_test(size=(100, 36)) as pilot:
            library = await wait_for_screen(pilot, LibraryScreen)
            while not library.entries:
                await pilot.pause(0.02)
            await pilot.pause()
            assert library.entries[0].scenario is None and not library.entries[0].compiled
            await pilot.press("enter")
            page = await wait_for_screen(pilot, ScenarioScreen)
            assert page.scenario.title == "The Quiet Dinner"
            release.set()
    finally:
        release.set()
