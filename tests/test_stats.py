"""`scenario-game stats`: words, nodes, choices, style mix and advice, per chapter."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from scenario_game.loader import load_path
from scenario_game.stats import scenario_stats, words
from clirun import scenario_game

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


def run(*args: str) -> subprocess.CompletedProcess:
    return scenario_game(*args)


def test_words_counts_like_a_reader():
    assert words("I've been missing you lately. Can we talk?") == 8
    assert words("well-being, don't — 42") == 3
    assert words("") == 0


def test_stats_add_up():
    scenario = load_path(FIXTURE).scenario
    data = scenario_stats(scenario)
    choices = [c for n in scenario.nodes.values() for c in n.choices]
    assert data["nodes"] == len(scenario.nodes)
    assert data["choices"] == len(choices)
    assert sum(data["tones"].values()) == len(choices)
    assert sum(data["styles"].values()) == len(choices)
    assert data["styles"]["blame"] == sum(c.style == "blame" for c in choices)
    assert data["advice"]["i-statements"] == sum("i-statements" in c.advice for c in choices)
    assert sum(ch["nodes"] for ch in data["chapters"]) == data["nodes"]
    assert sum(ch["choices"] for ch in data["chapters"]) == data["choices"]
    assert data["words"] > sum(ch["words"] for ch in data["chapters"]) > 0
    assert [e["id"] for e in data["endings"]] == [e.id for e in scenario.endings]


def test_stats_command_text_and_json(tmp_path):
    result = run("stats", str(FIXTURE))
    assert result.returncode == 0
    assert "words:" in result.stdout and "tones: constructive" in result.stdout
    assert "chapter monday:" in result.stdout and "advice used:" in result.stdout
    data = json.loads(run("stats", "--json", str(FIXTURE)).stdout)
    assert data["chapters"][0]["id"] == "monday"
    bad = tmp_path / "bad.toml"
    bad.write_text("format = [", encoding="utf-8")
    result = run("stats", str(bad))
    assert result.returncode == 1 and "error: TOML syntax error" in result.stdout and "Traceback" not in result.stderr
