"""`scenario-game randomtest`: seeded random playthroughs, through the real command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from scenario_game import engine
from scenario_game.loader import load_path
from clirun import scenario_game

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "format_example.toml"

HEAD = 'format = 1\n[scenario]\ntitle = "T"\n[[chapters]]\nid = "c"\ntitle = "C"\n'


def run(*args: str) -> subprocess.CompletedProcess:
    return scenario_game("randomtest", *args)


def as_json(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_play_ends_somewhere_and_the_counts_add_up():
    data = as_json(str(EXAMPLE), "--plays", "300", "--seed", "7")
    scenario = load_path(EXAMPLE).scenario
    assert data["plays"] == 300
    assert sum(data["endings"].values()) + sum(data["stuck"].values()) + sum(data["endless"].values()) == 300
    assert list(data["endings"]) == [e.id for e in scenario.endings]
    assert set(data["unreached"]) <= set(scenario.nodes)
    assert data["choices"] >= 300  # every play of the example takes at least one reply
    assert data["seconds"] > 0
    for ending, count in data["endings"].items():
        if count:
            for meter in scenario.meters:
                lo, hi = data["meters"][ending][meter.name]
                assert meter.min <= lo <= hi <= meter.max
        else:
            assert ending not in data["meters"]


def test_the_same_seed_gives_the_same_plays_and_another_seed_may_not():
    first = as_json(str(EXAMPLE), "--plays", "200", "--seed", "3")
    again = as_json(str(EXAMPLE), "--plays", "200", "--seed", "3")
    for key in ("choices", "endings", "meters", "unreached", "unreached_replies"):
        assert first[key] == again[key]


def test_the_results_are_what_the_engine_plays():
    """The ranges are real: each bound is a value some random play with the engine ended with."""
    scenario = load_path(EXAMPLE).scenario
    data = as_json(str(EXAMPLE), "--plays", "400", "--seed", "1")
    finals: dict = {}
    import random

    rng = random.Random(1)
    for _ in range(400):
        state = engine.start(scenario)
        while not state.finished:
            if state.status == engine.CHAPTER_END:
                state = engine.next_chapter(scenario, state)
                continue
            offered = engine.open_choices(scenario, state)
            state, _ = engine.choose(scenario, state, offered[rng.randrange(len(offered))])
        finals.setdefault(state.ending, []).append(dict(state.meters))
    assert {e: len(v) for e, v in finals.items()} == {e: c for e, c in data["endings"].items() if c}
    for ending, values in finals.items():
        for name in values[0]:
            assert data["meters"][ending][name] == [min(v[name] for v in values), max(v[name] for v in values)]


def test_text_output_names_endings_unreached_nodes_and_replies(tmp_path):
    story = tmp_path / "story.toml"
    story.write_text(
        HEAD
        + """
[[chapters.nodes]]
id = "start"
text = "Start."
[[chapters.nodes.choices]]
text = "Go on."
style = "neutral"
ending = "good"
[[chapters.nodes.choices]]
text = "Never open."
style = "neutral"
if = "trust > 100"
goto = "island"
[[chapters.nodes]]
id = "island"
text = "Nobody comes here."
end = true
[[endings]]
id = "good"
title = "A Good End"
when = "trust >= 0"
[[endings]]
id = "other"
title = "The Other End"
""",
        encoding="utf-8",
    )
    result = run(str(story), "--plays", "50")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "50 plays, 50 replies taken (seed 0)"
    assert "  50  100.0%  A Good End (good): Trust 50 to 50, Closeness 50 to 50" in lines
    assert "   0    0.0%  The Other End (other)" in lines
    assert "nodes never reached: island" in lines
    assert "replies never taken: start #2" in lines
    assert any(line.startswith("speed: ") and "plays/s" in line and "choices/s" in line for line in lines)
    data = as_json(str(story), "--plays", "50")
    assert data["unreached"] == ["island"] and data["endings"] == {"good": 50, "other": 0}


def test_stuck_plays_and_plays_that_never_end_are_counted(tmp_path):
    data = as_json(str(FIXTURES / "stuck.toml"), "--plays", "100", "--seed", "2")
    assert set(data["stuck"]) == {"door"} and 0 < data["stuck"]["door"] < 100
    assert data["stuck"]["door"] + data["endings"]["fin"] == 100
    loop = tmp_path / "loop.toml"
    loop.write_text(
        HEAD
        + """
[[chapters.nodes]]
id = "round"
text = "Round."
[[chapters.nodes.choices]]
text = "Again."
style = "neutral"
goto = "round"
[[endings]]
id = "never"
title = "Never"
""",
        encoding="utf-8",
    )
    data = as_json(str(loop), "--plays", "2")
    assert data["endless"] == {"round": 2} and data["endings"] == {"never": 0}
    assert data["choices"] == 2 * 10_000


def test_bad_input_is_a_located_message_and_exit_1(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('format = 1\n[scenario]\ntitle = "x"\n', encoding="utf-8")
    result = run(str(broken))
    assert result.returncode == 1
    assert f"{broken}:" in result.stdout and "Traceback" not in result.stderr
    result = run(str(EXAMPLE), "--plays", "0")
    assert result.returncode == 1 and "--plays must be at least 1" in result.stderr


def test_every_shipped_story_plays_to_its_endings():
    for story in sorted((Path(__file__).parent.parent / "scenarios").glob("*.toml")):
        data = as_json(str(story), "--plays", "200")
        assert data["plays"] == 200, story
        assert not data["stuck"] and not data["endless"], (story, data["stuck"], data["endless"])
        assert sum(data["endings"].values()) == 200, story
