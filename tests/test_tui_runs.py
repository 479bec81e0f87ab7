"""Pilot tests of the run screens: compare, chapter map, saved runs, continuing a run and
replaying a chapter from a run's snapshot, with the real Recorder writing real saves."""

from __future__ import annotations

import asyncio
from pathlib import Path

from scenario_game import engine, runs
from scenario_game.loader import load_scenario
from scenario_game.session import Session
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.chapter_map import ChapterMapScreen, chapter_map
from scenario_game.tui.screens.compare import ComparePickScreen, CompareScreen
from scenario_game.tui.screens.play import PlayScreen
from scenario_game.tui.dialogs.chapter_start import ChapterStartScreen
from scenario_game.tui.screens.runs import RunsScreen
from scenario_game.tui.starting import recorder_factory
from scenario_game.tui.screens.scenario import CONTINUE, ScenarioScreen

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "format_example.toml"
MARKUP = FIXTURES / "tui_markup.toml"
SIZE = (120, 40)


async def wait_for(pilot, condition, timeout: float = 120.0, what: str = "condition"):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"waited in vain for {what}; the screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)
    await pilot.pause()


async def wait_for_screen(pilot, kind):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), what=kind.__name__)
    return pilot.app.screen


def screen_text(app) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    for edge in "│╭╮╰╯▌█":
        text = text.replace(edge, " ")
    return " ".join(text.split())


def record(scenario, folder, numbers, single=False) -> runs.Run:
    """Play reply numbers in a play session with a real Recorder saving into `folder`."""
    recorder = runs.Recorder(scenario, folder, mode=runs.CHAPTER if single else runs.FULL)
    session = Session(scenario, single_chapter=single, observers=[recorder])
    session.start()
    for number in numbers:
        if session.state.status == engine.CHAPTER_END:
            session.go_on()
        session.take(number)
    if session.state.status == engine.CHAPTER_END and not single:
        session.go_on()
    return runs.read_run(recorder.path)


def library_app(tmp_path, scenario_file=EXAMPLE, **kwargs) -> ReconnectApp:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    return ReconnectApp(None, scenarios_folder=str(folder), saves_folder=str(tmp_path / "saves"), **kwargs)


async def test_compare_screen_tells_how_two_runs_differed(tmp_path):
    scenario = load_scenario(str(EXAMPLE))
    a = record(scenario, tmp_path / "saves", [2, 1])
    b = record(scenario, tmp_path / "saves", [2, 2, 1])
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(CompareScreen(scenario, a, b))
        screen = await wait_for_screen(pilot, CompareScreen)
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Chapter 2 of 2: Tuesday: a second try" in text
        assert "1 Monday: the phone at dinner 2 Tuesday: a second try [ ] or a number to switch" in text
        assert "A played " in text and "reached the ending “Reconnected”" in text
        assert Path(a.path).name not in text and "tuesday-start" not in text
        assert "A answered with Curious (constructive), B with Avoidant (destructive)" in text
        assert "A ended the chapter with 5 more Closeness than B." in text
        assert "Scene The next evening, you both get home at the same time." in text
        assert "A 1. Suggest a walk after dinner, phones left at home." in text
        assert "B 2. Say nothing and turn on the TV." in text
        assert "Avoidant destructive Closeness -5" in text
        assert len(screen.query(".scene.-diverge")) == 1
        branch = screen.query_one(".branch")
        assert "A's way" in str(branch.query_one(".way-a").render()) and "B's way" in str(branch.query_one(".way-b").render())
        await pilot.press("end")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Closeness (0-100; A = run A, B = run B, * = both)" in text
        assert "Closeness A 52 B 47 A 5 higher" in text
        assert "A 1 constructive 0 destructive 0 neutral Curious 1" in text
        await pilot.press("1")  # the other chapter both played, by its number
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Chapter 1 of 2: Monday: the phone at dinner" in text
        assert "Both runs gave the same replies all through this chapter." in text
        assert "A and B 2. I've been missing you lately." in text
        assert not screen.query(".scene.-diverge")


async def test_pick_two_runs_then_compare(tmp_path):
    scenario = load_scenario(str(EXAMPLE))
    record(scenario, tmp_path / "saves", [2, 1])
    record(scenario, tmp_path / "saves", [1, 2, 1])
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ComparePickScreen(scenario))
        picker = await wait_for_screen(pilot, ComparePickScreen)
        await wait_for(pilot, lambda: len(picker.saved) == 2, what="the runs")
        text = flat(screen_text(app))
        assert "Enter picks run A." in text
        assert "reached the ending “Reconnected”" in text and ".toml" not in text
        await pilot.press("enter")
        await pilot.pause()
        assert "Enter picks run B." in flat(screen_text(app))
        await pilot.press("down", "enter")
        screen = await wait_for_screen(pilot, CompareScreen)
        assert screen.comparison.chapter == "monday"
        assert screen.comparison.divergence == 0
        text = flat(screen_text(app))
        assert "1. You're always on that thing. You never pay attention to me." in text
        assert "used one of the Four Horsemen: criticism." in text


async def test_compare_shows_scenario_text_literally(tmp_path):
    scenario = load_scenario(str(MARKUP))
    a = record(scenario, tmp_path / "saves", [1])
    b = record(scenario, tmp_path / "saves", [2])
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(CompareScreen(scenario, a, b))
        await wait_for_screen(pilot, CompareScreen)
        text = flat(screen_text(app))
        assert "[TODO] the only chapter [/]" in text
        assert "A 1. [bold]Say it[/] plainly [TODO]" in text
        assert "B 2. Listen [i]first[/i]" in text
        assert "[b]Blunt[/b]" in text


def test_chapter_map_counts_what_runs_explored():
    scenario = load_scenario(str(EXAMPLE))
    drawn = chapter_map(scenario, "monday", {"dinner", "sam-puts-phone-down"}, {"dinner#1"}, author=True)
    assert (drawn.nodes, drawn.nodes_explored, drawn.choices, drawn.choices_explored) == (5, 2, 3, 1)
    assert round(drawn.share * 100) == 33
    kinds = [(line.kind, line.text) for line in drawn.lines]
    assert kinds[0] == ("node", "dinner")
    assert ("route", "if trust < 32") in kinds and ("route", "otherwise") in kinds
    explored = {line.text for line in drawn.lines if line.explored}
    assert "2. I've been missing you lately. Can we talk while we eat?" in explored
    assert "1. You're always on that thing. You never pay attention to me." not in explored
    sam_snaps = [line for line in drawn.lines if line.text == "sam-snaps"]
    assert len(sam_snaps) == 1  # drawn once; the third reply points back to it
    assert ("again", "back to sam-snaps (shown above)") in kinds
    loop = chapter_map(scenario, "tuesday", set(), set(), author=True)
    assert ("again", "back to tuesday-start (shown above)") in [(line.kind, line.text) for line in loop.lines]


def test_the_players_map_shows_what_was_explored_and_locks_the_rest():
    scenario = load_scenario(str(EXAMPLE))
    drawn = chapter_map(scenario, "monday", {"dinner", "sam-puts-phone-down"}, {"dinner#1"})
    everything = " ".join(f"{line.text} {line.detail}" for line in drawn.lines)
    assert drawn.lines[0].text == "Sam: Sam scrolls through the phone while the pasta goes cold."
    assert ("choice", "I've been missing you lately. Can we talk while we eat?", "I-statement") in [(l.kind, l.text, l.detail) for l in drawn.lines]
    assert [l.text for l in drawn.lines if l.kind == "choice" and not l.explored] == ["a reply not tried yet"] * 2
    for spoiler in ("You're always on that thing", "riveting", "Blame", "Sarcasm", "trust", "sam-snaps", "dinner ", "if ", "(once)"):
        assert spoiler not in everything, spoiler
    assert "a scene not reached yet" in everything
    tuesday = chapter_map(scenario, "tuesday", set(), set())
    assert {l.text for l in tuesday.lines if l.kind == "stop"} <= {"an ending not reached yet", "the chapter ends"}


async def test_chapter_map_screen_player_view_then_author_view(tmp_path):
    scenario = load_scenario(str(EXAMPLE))
    record(scenario, tmp_path / "saves", [2, 1])
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ChapterMapScreen(scenario))
        screen = await wait_for_screen(pilot, ChapterMapScreen)
        await wait_for(pilot, lambda: screen.run_count == 1, what="the saves")
        text = flat(screen_text(app))
        assert "Chapter map chapter 1 of 2: Monday: the phone at dinner" in text
        assert "Explored 33% · 1 of 3 replies · 2 of 5 scenes" in text
        assert "● Sam: Sam scrolls through the phone while the pasta goes cold." in text
        assert "✓ I've been missing you lately. Can we talk while we eat? [I-statement]" in text
        assert "· a reply not tried yet" in text
        assert "You're always on that thing" not in text and "if trust" not in text and "sam-snaps" not in text
        await pilot.press("a")  # the author's view, on request
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Author's view: ids and conditions" in text
        assert "✓ 2. I've been missing you lately. Can we talk while we eat? [I-statement (if trust >= 30)]" in text
        assert "· 1. You're always on that thing. You never pay attention to me. [Blame]" in text
        await pilot.press("a", "right_square_bracket")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "Chapter map chapter 2 of 2: Tuesday: a second try" in text
        assert "Explored 50% · 1 of 2 replies" in text
        assert "Say nothing and turn on the TV" not in text and "· a reply not tried yet ↩ back to “The next evening" in text


def test_deep_map_lines_keep_a_capped_indent():
    from scenario_game.tui.screens.chapter_map import MAX_INDENT, MapLine, indent_of, line_content

    deep = MapLine(30, "choice", "word " * 60, True, "Curious", "constructive")
    assert str(line_content(deep)).startswith("✓ word")  # no indent in the text: the widget's padding carries it
    indents = [indent_of(depth) for depth in range(40)]
    assert indents == sorted(indents) and max(indents) == MAX_INDENT <= 24
    assert len(set(indents[:12])) == 12  # the first levels stay apart


async def test_the_app_saves_runs_and_offers_to_continue_them(tmp_path):
    saves = tmp_path / "saves"
    app = ReconnectApp(str(EXAMPLE), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)))
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("2")
        await pilot.pause()
        play.wait_for_recorder()
        [save] = list(saves.glob("*.toml"))
        run = runs.read_run(save)
        assert [(s.node, s.shown) for s in run.steps] == [("dinner", 2)]
        await pilot.press("escape")  # leave the run (a question first)
        await pilot.press("y")
        page = await wait_for_screen(pilot, ScenarioScreen)
        await wait_for(pilot, lambda: page.query_one("#chapters").options[0].id == CONTINUE, what="the continue offer")
        assert "Continue your unfinished run" in flat(screen_text(app))
        await pilot.press("enter")
        resumed = await wait_for_screen(pilot, PlayScreen)
        assert resumed is not play
        assert resumed.recorder.run.path == str(save)
        # monday ended with the second reply, so it goes on with tuesday
        assert resumed.state.chapter == "tuesday" and resumed.state.node == "tuesday-start"
        await pilot.press("1")
        await pilot.pause()
        resumed.wait_for_recorder()
        run = runs.read_run(save)
        assert [c.chapter for c in run.chapters] == ["monday", "tuesday"]
        assert [(s.node, s.shown) for s in run.steps] == [("dinner", 2), ("tuesday-start", 1)]
        assert len(list(saves.glob("*.toml"))) == 1


async def test_the_library_shows_what_the_player_has_reached(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    copy = folder / "quiet.toml"
    copy.write_text(EXAMPLE.read_text())
    scenario = load_scenario(str(copy))
    saves = tmp_path / "saves"
    record(scenario, saves, [2, 1])  # reaches "Reconnected"
    record(scenario, saves, [2])  # stops as chapter 2 begins
    app = ReconnectApp(None, scenarios_folder=str(folder), saves_folder=str(saves))
    async with app.run_test(size=SIZE) as pilot:
        from scenario_game.tui.screens.library import LibraryScreen

        library = await wait_for_screen(pilot, LibraryScreen)
        await wait_for(pilot, lambda: any(e.progress for e in library.entries), what="the progress")
        text = flat(screen_text(app))
        assert "1 finished run · endings reached 1 of 2: Reconnected" in text
        assert "Still apart" not in text  # endings not reached stay hidden
        assert "best at an ending: Trust 48, Closeness 52" in text
        assert "unfinished run at chapter 2 of 2: Tuesday: a second try (1 reply)" in text
        assert "tuesday" not in text and "reconnected" not in text


async def test_resume_on_open_goes_on_from_the_saved_position(tmp_path):
    saves = tmp_path / "saves"
    scenario = load_scenario(str(EXAMPLE))
    run = record(scenario, saves, [2, 2])  # in tuesday, after the once-only reply
    app = ReconnectApp(str(EXAMPLE), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)))
    app.resume = runs.LATEST
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        assert play.state.node == "tuesday-start" and play.state.chapter == "tuesday"
        assert play.state.meter_values == dict(run.position.meters)
        assert [c.index for c in engine.open_choices(scenario, play.state)] == [0]  # the once-only reply stays taken
        await pilot.press("1")
        await pilot.pause()
        play.wait_for_recorder()
        again = runs.read_run(run.path)
        assert len(again.steps) == 3 and again.steps[-1].text.startswith("Suggest a walk")
        assert len(list(saves.glob("*.toml"))) == 1


async def test_resume_of_a_broken_save_says_why_and_starts_fresh(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    broken = saves / "broken.toml"
    broken.write_text("save_version = 99\n")
    app = ReconnectApp(str(EXAMPLE), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)))
    app.resume = "broken.toml"
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.pause()
        assert play.state.node == "dinner"
        notices = [n.message for n in app._notifications]
        assert any("newer Reconnect" in message for message in notices), notices
    assert broken.read_text() == "save_version = 99\n"


async def test_replay_a_chapter_from_the_chapter_list_uses_the_runs_snapshot(tmp_path):
    saves = tmp_path / "saves"
    scenario = load_scenario(str(EXAMPLE))
    run = record(scenario, saves, [2, 1])
    app = library_app(tmp_path, recorder_factory=recorder_factory(str(saves)))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ScenarioScreen(scenario))
        page = await wait_for_screen(pilot, ScenarioScreen)
        await pilot.pause()
        chapters = page.query_one("#chapters")
        chapters.highlighted = next(i for i, o in enumerate(chapters.options) if o.id == "chapter-2")
        await pilot.press("enter")
        await wait_for_screen(pilot, ChapterStartScreen)
        offered = flat(screen_text(app))
        assert "Replay it as your run had it" in offered and "Trust 45," in offered
        assert "From the story's starting meters" in offered
        await pilot.press("enter")
        play = await wait_for_screen(pilot, PlayScreen)
        expected = run.replay_from(scenario, "tuesday")
        assert play.state.meters == expected.meters == (("trust", 45), ("closeness", 42))
        assert play.single_chapter
        await pilot.press("1")
        await pilot.pause()
        play.wait_for_recorder()
        replay = runs.read_run(play.recorder.path)
        assert replay.replay_of == Path(run.path).name and replay.mode == runs.CHAPTER


async def test_saved_runs_screen_lists_and_opens_the_map(tmp_path):
    saves = tmp_path / "saves"
    scenario = load_scenario(str(EXAMPLE))
    record(scenario, saves, [2, 1])
    record(scenario, saves, [1])
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(RunsScreen(scenario))
        screen = await wait_for_screen(pilot, RunsScreen)
        await wait_for(pilot, lambda: len(screen.saved) == 2, what="the runs")
        text = flat(screen_text(app))
        assert "1 finished run · endings reached 1 of 2: Reconnected" in text
        assert "best at an ending: Trust 48, Closeness 52" in text
        assert "unfinished run at chapter 2 of 2: Tuesday: a second try (1 reply)" in text
        assert ", reached the ending “Reconnected” 2 replies" in text
        assert ", unfinished: chapter 2 of 2: Tuesday: a second try 1 reply" in text
        assert ".toml" not in text and "tuesday" not in text and "reconnected" not in text
        await pilot.press("m")
        await wait_for_screen(pilot, ChapterMapScreen)


async def test_replay_from_the_chapter_end_keeps_the_first_attempt(tmp_path):
    from scenario_game.tui.screens.chapter_end import ChapterEndScreen

    saves = tmp_path / "saves"
    app = ReconnectApp(str(EXAMPLE), saves_folder=str(saves), recorder_factory=recorder_factory(str(saves)))
    async with app.run_test(size=SIZE) as pilot:
        play = await wait_for_screen(pilot, PlayScreen)
        await pilot.press("2")  # monday ends after this reply
        await pilot.pause()
        await pilot.press("enter")  # past the feedback
        await wait_for_screen(pilot, ChapterEndScreen)
        await pilot.press("r")
        await wait_for_screen(pilot, PlayScreen)
        await pilot.press("1")
        await pilot.pause()
        play.wait_for_recorder()
        first, second = sorted((runs.read_run(p) for p in saves.glob("*.toml")), key=lambda r: len(r.replay_of or ""))
        assert [s.shown for s in first.steps] == [2] and first.replay_of is None
        assert [s.shown for s in second.steps] == [1] and second.replay_of == Path(first.path).name
        assert second.chapters[0].snapshot == first.chapters[0].snapshot
        comparison_screen = CompareScreen(load_scenario(str(EXAMPLE)), first, second)
        assert comparison_screen.comparison.divergence == 0  # the first scene
