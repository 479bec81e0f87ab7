"""Snapshots of the key screens (pytest-textual-snapshot), built from the format example.

Review the SVGs in tests/__snapshots__ before accepting a change with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scenario_game.loader import load_path
from scenario_game.tui.app import ReconnectApp
from scenario_game.tui.widgets import meters

EXAMPLE = Path(__file__).parent / "fixtures" / "format_example.toml"


class ExampleApp(ReconnectApp):
    """Straight into play with the example already loaded, so nothing depends on timing."""

    def __init__(self) -> None:
        super().__init__(None)
        self.example = load_path(str(EXAMPLE)).scenario

    def on_mount(self, event) -> None:
        event.prevent_default()  # not the library: the play screen alone
        self.push_screen(self.new_play_screen(self.example))


@pytest.fixture(autouse=True)
def steady_deltas(monkeypatch):
    """A meter's delta shows for a few seconds; keep it for the whole snapshot."""
    monkeypatch.setattr(meters, "DELTA_SECONDS", 600)


def test_play_screen(snap_compare):
    assert snap_compare(ExampleApp(), terminal_size=(100, 30))


def test_feedback_panel(snap_compare):
    assert snap_compare(ExampleApp(), press=["2"], terminal_size=(100, 36))


def test_chapter_summary(snap_compare):
    assert snap_compare(ExampleApp(), press=["2", "enter", "n", "2", "enter", "1", "enter"], terminal_size=(100, 30))
