"""The TUI with text from hostile files: markup is shown as typed, never parsed (no
MarkupError, no [@click] action), and no control character or bidi override reaches the
screen raw."""

from __future__ import annotations

import ast
import asyncio
import json
from pathlib import Path

from hostile import FIXTURES, HOSTILE, MARKUP, raw_controls, rewrite_save

from scenario_game import runs
from scenario_game.loader import load_scenario
from scenario_game.session import Session
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.runs import RunsScreen
from scenario_game.tui.screens.scenario import CONTINUE, ScenarioScreen

TUI = Path(__file__).parent.parent / "scenario_game" / "tui"
EXAMPLE = FIXTURES / "format_example.toml"
SIZE = (120, 40)
WIDGETS = {"Static", "Label", "Button", "Option", "Toast", "Tooltip"}


def _is_raw_text(node: ast.expr) -> bool:
    """A str that Textual would parse as markup: a literal with a `[`, an f-string, `str(...)`,
    a concatenation or a `%`/`.format` of strings."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and "[" in node.value
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_raw_text(node.left) or _is_raw_text(node.right) or isinstance(node.left, ast.JoinedStr)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str":
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def test_no_widget_in_the_tui_is_given_raw_text_to_parse_as_markup():
    """Every Static, Label, Button and Option call site (and every `.update(...)` of one)
    gets `Content` (built by `literal` for untrusted text), never a str that Textual parses."""
    offenders = []
    for path in sorted(TUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in WIDGETS | {"update"} and _is_raw_text(node.args[0]):
                offenders.append(f"{path.relative_to(TUI)}:{node.lineno} {name}(...)")
            if any(k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords):
                offenders.append(f"{path.relative_to(TUI)}:{node.lineno} markup=True")
    assert offenders == []


async def wait_for(pilot, condition, what: str):
    """Wait until `condition()`; the long deadline only turns a hang into a failure."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 120
    while not condition():
        assert loop.time() < deadline, f"waited in vain for {what}; the screen is {pilot.app.screen!r}"
        await pilot.pause(0.02)
    await pilot.pause()


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def shown_segments(app) -> str:
    """Every character of every segment on screen, and of every notification (a toast
    shows its title as it is and, with markup off, its message as it is)."""
    notices = "".join(n.title + n.message for n in app._notifications)
    return "".join(segment.text for strip in app.screen._compositor.render_strips() for segment in strip) + notices


async def test_every_toast_shows_markup_and_controls_literally(tmp_path):
    app = ReconnectApp(None, scenarios_folder=str(tmp_path), saves_folder=str(tmp_path / "saves"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify(f"{MARKUP} {HOSTILE}", title=f"T{MARKUP}{HOSTILE}", severity="error", timeout=30)
        app.notify(MARKUP, markup=True)  # even asked for, markup stays off
        await pilot.pause()
        assert app.is_running
        notices = list(app._notifications)
        assert [n.markup for n in notices] == [False, False]
        assert notices[1].message == MARKUP
        assert not raw_controls(shown_segments(app))
        assert "\\x1b]52;c;" in notices[0].message


def hostile_run(tmp_path: Path, scenario_file: Path) -> Path:
    """An unfinished run of `scenario_file` whose chapter is markup, title and reply hostile,
    saved with a wrong sha256 (so continuing it explains why it cannot)."""
    scenario = load_scenario(str(scenario_file))
    recorder = runs.Recorder(scenario, tmp_path / "saves")
    session = Session(scenario, observers=[recorder])
    session.start()
    session.take(1)
    save = Path(recorder.path)

    def change(document):
        document["run"]["sha256"] = "0" * 64
        document["run"]["title"] = "Title " + HOSTILE + MARKUP
        document["position"]["chapter"] = MARKUP
        document["position"]["status"] = "choosing"
        for table in document["chapters"]:
            table["chapter"] = MARKUP
        for step in document["steps"]:
            step["text"] = "Reply " + HOSTILE + MARKUP
            step["chapter"] = MARKUP

    rewrite_save(save, change)
    return save


async def test_continuing_a_save_with_markup_in_its_chapter_says_why_and_keeps_running(tmp_path):
    """The issue's case: library -> the story -> continue, with a save whose chapter reads
    `[/nope] [@click=app.quit]x[/]` and whose sha256 is wrong, ended in a MarkupError."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    story = folder / "quiet.toml"
    story.write_text(EXAMPLE.read_text())
    hostile_run(tmp_path, story)
    app = ReconnectApp(None, scenarios_folder=str(folder), saves_folder=str(tmp_path / "saves"))
    async with app.run_test(size=SIZE) as pilot:
        from scenario_game.tui.screens.library import LibraryScreen

        library = await wait_for_screen(pilot, LibraryScreen)
        await wait_for(pilot, lambda: library.entries, "the library")
        await pilot.press("enter")
        page = await wait_for_screen(pilot, ScenarioScreen)
        await wait_for(pilot, lambda: page.query_one("#chapters").options[0].id == CONTINUE, "the continue offer")
        assert not raw_controls(shown_segments(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("Cannot continue" in n.title for n in app._notifications), "the refusal")
        assert app.is_running
        [notice] = [n for n in app._notifications if n.title == "Cannot continue"]
        assert MARKUP in notice.message and not notice.markup
        assert not raw_controls(shown_segments(app))


async def test_the_runs_screen_shows_a_hostile_save_escaped(tmp_path):
    scenario = load_scenario(str(EXAMPLE))
    save = hostile_run(tmp_path, EXAMPLE)
    rewrite_save(save, lambda document: document["run"].update(sha256=scenario.digest))
    app = ReconnectApp(None, scenarios_folder=str(tmp_path), saves_folder=str(tmp_path / "saves"))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(RunsScreen(scenario))
        screen = await wait_for_screen(pilot, RunsScreen)
        await wait_for(pilot, lambda: len(screen.saved) == 1, "the run")
        assert not raw_controls(shown_segments(app))
        await pilot.press("m")  # the chapter map names the run's chapter and replies
        await pilot.pause()
        assert app.is_running
        assert not raw_controls(shown_segments(app))


async def wait_for_screen(pilot, kind):
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    return pilot.app.screen


async def test_the_command_palette_shows_a_story_title_with_markup_as_typed(tmp_path):
    """The palette highlights what was typed by parsing the hit as markup: a story titled
    `[/nope] ...` ended the palette's search in a MarkupError."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    title = f"Quiet {MARKUP} \\[/] back\\"
    text = EXAMPLE.read_text().replace('title = "The Quiet Dinner"', f"title = {json.dumps(title)}", 1)
    (folder / "quiet.toml").write_text(text)
    app = ReconnectApp(None, scenarios_folder=str(folder), saves_folder=str(tmp_path / "saves"))
    async with app.run_test(size=SIZE) as pilot:
        from scenario_game.tui.screens.library import LibraryScreen

        await wait_for_screen(pilot, LibraryScreen)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CommandPalette", "the command palette")
        await pilot.press(*"open story: quiet")
        commands = app.screen.query_one("CommandList")
        await wait_for(pilot, lambda: commands.option_count and "Quiet" in str(commands.get_option_at_index(0).prompt), "the story")
        assert app.is_running
        prompts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        assert any(f"Open story: {title}" in prompt for prompt in prompts), prompts
        await pilot.press("enter")
        page = await wait_for_screen(pilot, ScenarioScreen)
        assert page.scenario.title == title
