"""The scene card (firstscene.py): a new run's opening drawn from the cache before the story
is compiled, then handed the real session; keys pressed in between count; a wrong or
malformed card never shows through."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenario_game import firstscene
from scenario_game.firstscene import CACHE_FILE, SceneCache, card_of, reply_order
from scenario_game.loader import load_path
from scenario_game.session import Session, shown_order
from scenario_game.tui import app as app_module
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.screens.play import ENGINE_CHAPTER_END, ENGINE_CHOOSING, ENGINE_ENDED, PlayScreen
from scenario_game.tui.widgets.feedback import FeedbackPanel

from test_tui import flat, screen_text
from test_tui_runs import wait_for

ROOT = Path(__file__).parent.parent
EXAMPLE = str(Path(__file__).parent / "fixtures" / "format_example.toml")
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


@pytest.fixture(autouse=True)
def _cards_kept_at_once(monkeypatch):
    """A new run keeps its scene card a moment after its first frame; here, at once."""
    monkeypatch.setattr(app_module, "REMEMBER_AFTER", 0.01)


def _session(path: str, seed: int | None = None, chapter: str | None = None) -> Session:
    session = Session(load_path(path, analyse=False).scenario, chapter=chapter, seed=seed)
    session.start()
    return session


def test_the_play_screen_knows_the_engines_status_words():
    from scenario_game import engine

    assert (ENGINE_CHOOSING, ENGINE_CHAPTER_END, ENGINE_ENDED) == (engine.CHOOSING, engine.CHAPTER_END, engine.ENDED)


@pytest.mark.parametrize("path", [EXAMPLE, *map(str, SHIPPED)], ids=lambda p: Path(p).stem)
def test_a_card_says_what_a_new_run_shows_and_survives_the_cache(path, tmp_path):
    session = _session(path)
    card = card_of(session)
    assert card is not None
    scenario = session.scenario
    assert card.title == scenario.title and card.node == session.state.node
    assert [r.text for r in card.replies] == [c.text for c in session.offered()]  # file order without a seed
    assert {g.name: g.value for g in card.gauges} == session.state.meter_values
    cache = SceneCache(tmp_path)
    cache.put(scenario.digest, None, card)
    cache.save()
    assert SceneCache(tmp_path).get(scenario.digest, None) == card
    assert SceneCache(tmp_path).get(scenario.digest, "another-chapter") is None


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=0, max_value=999_999))
def test_a_card_orders_its_replies_as_the_session_does(seed):
    seeded = _session(EXAMPLE, seed=seed)
    card = card_of(_session(EXAMPLE))
    assert [r.text for r in card.offered(seed)] == [c.text for c in seeded.offered()]
    node = seeded.state.node
    assert reply_order(seed, node, 3) == shown_order(seeded.scenario, node, seed)


def test_no_card_for_a_run_under_way():
    session = _session(EXAMPLE)
    session.take_choice(session.offered()[0], 1)
    assert card_of(session) is None


def _cached_entry(tmp_path) -> tuple[str, dict]:
    session = _session(EXAMPLE)
    cache = SceneCache(tmp_path)
    cache.put(session.scenario.digest, None, card_of(session))
    cache.save()
    data = json.loads((tmp_path / CACHE_FILE).read_text(encoding="ascii"))
    return session.scenario.digest, data


@pytest.mark.parametrize(
    "spoil",
    [
        lambda e: e.update(title=3),
        lambda e: e.update(chapters=True),
        lambda e: e.update(chapter_number=-1),
        lambda e: e.update(choices=10**30),
        lambda e: e.update(replies=[]),
        lambda e: e.update(lines="not a list"),
        lambda e: e["lines"].append({"speaker": "x", "mood": "y"}),
        lambda e: e["lines"].append({"speaker": "x", "mood": "y", "text": "z", "extra": 1}),
        lambda e: e["replies"].append({"index": -2, "text": "t"}),
        lambda e: e["gauges"].append({"name": "g", "label": "G", "min": 10, "max": 0, "value": 5}),
        lambda e: e.update(title="x" * (firstscene.MAX_TEXT + 1)),
        lambda e: e.update(lines=[{"speaker": "", "mood": "", "text": "t"}] * (firstscene.MAX_ITEMS + 1)),
        lambda e: e.clear(),
    ],
)
def test_a_malformed_card_is_not_used(tmp_path, spoil):
    digest, data = _cached_entry(tmp_path)
    spoil(next(iter(data["cards"].values())))
    (tmp_path / CACHE_FILE).write_text(json.dumps(data), encoding="ascii")
    assert SceneCache(tmp_path).get(digest, None) is None


@pytest.mark.parametrize(
    "text",
    ["", "not json", "[1, 2]", '{"format": 1, "game": "0.0.0-other", "cards": {}}', '{"format": 2}', '{"format": 1, "cards": []}', "[" * 100_000],
)
def test_an_unusable_cache_file_means_no_card(tmp_path, text):
    digest, _ = _cached_entry(tmp_path)
    (tmp_path / CACHE_FILE).write_text(text, encoding="ascii")
    assert SceneCache(tmp_path).get(digest, None) is None


def test_an_oversized_cache_file_is_not_read(tmp_path):
    digest, data = _cached_entry(tmp_path)
    (tmp_path / CACHE_FILE).write_text(json.dumps(data) + " " * firstscene.MAX_CACHE_BYTES, encoding="ascii")
    assert SceneCache(tmp_path).get(digest, None) is None


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(tmp_path))
    digest, _ = _cached_entry(tmp_path)
    assert firstscene.open_for_play(EXAMPLE, None).card is not None
    monkeypatch.setenv("SCENARIO_GAME_CACHE", "off")
    opening = firstscene.open_for_play(EXAMPLE, None)
    assert opening.card is None and opening.digest == digest


# --- in the TUI -------------------------------------------------------------------------------


async def _until(pilot, test, what: str):
    await wait_for(pilot, test, what=what)


async def _play(path: str, saves: Path, **options) -> str:
    """Start `play path` (seed 7), wait until its session plays, and return the screen's text."""
    app = ReconnectApp(path, saves_folder=str(saves), seed=7, recorder_factory=None, **options)
    async with app.run_test(size=(100, 36)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, PlayScreen) and app.screen.session is not None, "a session plays")
        await _until(pilot, lambda: "1-9 Reply" in flat(screen_text(app)), "the footer shows the keys")
        text = screen_text(app)
        await pilot.pause(0.1)  # (the card is kept just after the first frame)
        return text


def _keep_card(cache: Path, path: str = EXAMPLE) -> Path:
    """The story's scene card in `cache`, as a first start would have kept it (made here
    without the TUI, for tests about what a later start does with it)."""
    session = _session(path)
    cache_file = SceneCache(cache)
    cache_file.put(session.scenario.digest, None, card_of(session))
    cache_file.save()
    return cache / CACHE_FILE


async def _card_file(cache: Path, timeout: float = 10.0) -> Path:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (cache / CACHE_FILE).exists():
        assert loop.time() < deadline, "no scene card was kept"
        await asyncio.sleep(0.02)
    return cache / CACHE_FILE


async def test_the_second_start_draws_the_opening_from_the_card_and_plays_it(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    first = await _play(EXAMPLE, tmp_path / "saves")
    await _card_file(cache)

    drawn = []
    real_attach = PlayScreen.attach

    def attach(screen, session, recorder=None):
        drawn.append(flat(screen_text(screen.app)))  # what the card drew, before the session came
        real_attach(screen, session, recorder)

    monkeypatch.setattr(PlayScreen, "attach", attach)
    second = await _play(EXAMPLE, tmp_path / "saves")
    assert len(drawn) == 1, "the second start was not drawn from the card"
    assert second == first  # the same screen, cell for cell, as without the card
    assert "Oh, another riveting evening" in drawn[0] and "Sam scrolls through the phone" in drawn[0]


async def test_a_key_pressed_before_the_story_is_compiled_counts(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    _keep_card(cache)
    release = threading.Event()
    read = app_module._read_scenario

    def held(path, data=None):  # compiling waits until the test has pressed a key
        release.wait(30)
        return read(path, data)

    monkeypatch.setattr(app_module, "_read_scenario", held)
    saves = str(tmp_path / "saves")
    app = ReconnectApp(EXAMPLE, saves_folder=saves, seed=7, recorder_factory=app_module._recorder_factory(saves))
    try:
        async with app.run_test(size=(100, 36)) as pilot:
            await _until(pilot, lambda: isinstance(app.screen, PlayScreen), "the play screen")
            screen = app.screen
            assert screen.session is None and screen.preview is not None
            await _until(pilot, lambda: screen.choices.choices, "the replies from the card")
            taken = screen.choices.choices[1].text
            await pilot.press("2")
            assert screen.session is None and not screen.query_one(FeedbackPanel).display  # waiting
            release.set()
            await _until(pilot, lambda: screen.query_one(FeedbackPanel).display, "the feedback of the key pressed")
            step = screen.session.steps[0]
            assert screen.session.scenario.nodes[step.node].choices[step.index].text == taken
            screen.wait_for_recorder()
    finally:
        release.set()
    assert list((tmp_path / "saves").glob("*.toml")), "the run with that reply was saved"


async def test_a_wrong_card_never_shows_through(tmp_path, monkeypatch):
    """A card that disagrees with the compiled story (a stale or tampered cache) is dropped:
    the screen is made again from the story, and the card put right."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    first = await _play(EXAMPLE, tmp_path / "saves")
    path = await _card_file(cache)
    data = json.loads(path.read_text(encoding="ascii"))
    entry = next(iter(data["cards"].values()))
    entry["replies"][0]["text"] = "A reply the story does not have"
    path.write_text(json.dumps(data), encoding="ascii")

    second = await _play(EXAMPLE, tmp_path / "saves")
    assert second == first and "A reply the story does not have" not in flat(second)
    for _ in range(200):
        if "A reply the story does not have" not in path.read_text(encoding="ascii"):
            break
        await asyncio.sleep(0.02)
    assert "A reply the story does not have" not in path.read_text(encoding="ascii")


async def test_a_card_is_kept_per_chapter_and_not_used_to_resume(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    scenario = load_path(EXAMPLE, analyse=False).scenario
    last = scenario.chapters[-1].id
    text = await _play(EXAMPLE, tmp_path / "saves", chapter=last)
    keys = list(json.loads((await _card_file(cache)).read_text(encoding="ascii"))["cards"])
    assert keys == [f"{scenario.digest}:{last}"]
    assert scenario.chapters[-1].title in flat(text)

    used = []
    monkeypatch.setattr(PlayScreen, "attach", lambda *a, **k: used.append(a))
    app = ReconnectApp(EXAMPLE, saves_folder=str(tmp_path / "saves"), chapter=last)
    app.resume = ""  # `--resume`: the saved run, never the card
    async with app.run_test(size=(100, 36)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, PlayScreen) and app.screen.session is not None, "a session plays")
    assert used == []


# --- leaving and playing again: the same whether the first screen came from a card --------


@pytest.fixture(params=["from a card", "without a card"])
def started(request, tmp_path, monkeypatch):
    """A cache folder, holding the example's scene card or not."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    if request.param == "from a card":
        _keep_card(cache)
    return request.param


def _app(tmp_path) -> ReconnectApp:
    saves = str(tmp_path / "saves")
    return ReconnectApp(EXAMPLE, saves_folder=saves, recorder_factory=app_module._recorder_factory(saves))


async def _screen(pilot, kind):
    await _until(pilot, lambda: isinstance(pilot.app.screen, kind) and getattr(pilot.app.screen, "session", True) is not None, kind.__name__)
    return pilot.app.screen


async def test_leaving_a_run_shows_the_story_then_the_library(started, tmp_path):
    from scenario_game.tui.screens.confirm import ConfirmScreen
    from scenario_game.tui.screens.library import LibraryScreen
    from scenario_game.tui.screens.scenario import ScenarioScreen

    app = _app(tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await _screen(pilot, PlayScreen)
        assert (app.screen.preview is None) and app.run_in_progress
        await pilot.press("escape")
        await _screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await _screen(pilot, ScenarioScreen)
        assert not app.run_in_progress and app.screens_below() == 0
        await pilot.press("escape")
        await _screen(pilot, LibraryScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_play_again_and_back_from_a_chapter_end_when_the_first_screen_came_from_a_card(tmp_path, monkeypatch):
    """Textual cannot take the first screen away: the screen drawn from the card stays below,
    unused, when play again replaces it, and Back from a chapter end then shows the story's
    page. (test_tui plays these, to the ending, without a card.)"""
    from scenario_game.tui.messages import AGAIN
    from scenario_game.tui.screens.chapter_end import ChapterEndScreen
    from scenario_game.tui.screens.scenario import ScenarioScreen

    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(tmp_path / "cache"))
    _keep_card(tmp_path / "cache")
    app = _app(tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        first = await _screen(pilot, PlayScreen)
        assert app.screen_stack == [first]  # the app's first screen
        first._ending_pick(AGAIN)  # what the ending's "Play again" does
        await _until(pilot, lambda: isinstance(app.screen, PlayScreen) and app.screen is not first, "a new run")
        again = app.screen
        assert first.placeholder and not first.in_progress and app.screens_below() == 0
        assert again.state.chapter == "monday" and not again.session.steps and app.run_in_progress
        await pilot.press("2", "enter")
        await _screen(pilot, ChapterEndScreen)
        again.wait_for_recorder()
        await pilot.press("b")
        await _screen(pilot, ScenarioScreen)
        assert not app.run_in_progress and app.screens_below() == 0
    assert len(list((tmp_path / "saves").glob("*.toml"))) == 1  # the new run, with its reply


async def test_text_from_a_tampered_card_is_shown_literally(tmp_path, monkeypatch):
    """The cache is the player's, but its text goes through the same literal path as a
    story's: markup is shown as typed and control characters escaped, never sent raw."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(cache))
    path = _keep_card(cache)
    data = json.loads(path.read_text(encoding="ascii"))
    entry = next(iter(data["cards"].values()))
    entry["lines"][0]["text"] = "[bold red]loud[/] \x1b[31mred\x07 [@click=app.quit]x[/]"
    path.write_text(json.dumps(data), encoding="ascii")
    release = threading.Event()
    read = app_module._read_scenario
    monkeypatch.setattr(app_module, "_read_scenario", lambda path, data=None: (release.wait(30), read(path, data))[1])
    app = ReconnectApp(EXAMPLE, saves_folder=str(tmp_path / "saves"))
    try:
        async with app.run_test(size=(100, 36)) as pilot:
            await _until(pilot, lambda: "loud" in screen_text(app), "the card's line")
            text = screen_text(app)
            assert "[bold red]loud[/]" in text and "[@click=app.quit]x[/]" in text
            assert "\x1b" not in text and "\x07" not in text and "\\x1b[31mred" in text.replace("\\u001b", "\\x1b")
            release.set()
            await _until(pilot, lambda: app.screen.session is not None and "loud" not in screen_text(app), "the story's own text")
            assert app.is_running
    finally:
        release.set()


async def _state(path: str, saves: Path) -> tuple:
    """What a new run's play screen holds once its session plays (seed 7)."""
    app = ReconnectApp(path, saves_folder=str(saves), seed=7, recorder_factory=None)
    async with app.run_test(size=(100, 36)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, PlayScreen) and app.screen.session is not None, "a session plays")
        screen = app.screen
        state = (screen.partner, screen.mood, screen.mode, [type(c).__name__ for c in screen.choices.choices],
                 [c.text for c in screen.choices.choices], {m.name: screen.meters.bar(m.name).meter for m in screen.scenario.meters})
        await pilot.pause(0.1)  # (the card is kept just after the first frame)
        return state


@pytest.mark.parametrize("story", ["example without a partner", *[p.stem for p in SHIPPED[:2]]])  # (every story's card: above)
async def test_a_screen_from_a_card_holds_what_a_screen_from_the_story_does(story, tmp_path, monkeypatch):
    monkeypatch.setenv("SCENARIO_GAME_CACHE", str(tmp_path / "cache"))
    if story == "example without a partner":
        path = tmp_path / "no-partner.toml"
        path.write_text("".join(line for line in open(EXAMPLE, encoding="utf-8") if not line.startswith("partner")), encoding="utf-8")
        assert load_path(str(path), analyse=False).scenario.partner is None
    else:
        path = ROOT / "scenarios" / f"{story}.toml"
    without = await _state(str(path), tmp_path / "saves")
    await _card_file(tmp_path / "cache")
    attached = []
    real_attach = PlayScreen.attach
    monkeypatch.setattr(PlayScreen, "attach", lambda screen, *a: (attached.append(screen), real_attach(screen, *a)))
    assert await _state(str(path), tmp_path / "saves") == without
    assert len(attached) == 1, "the second start was drawn from the card"
