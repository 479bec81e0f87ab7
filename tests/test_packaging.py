"""The project's metadata says what the wheel and sdist need: every package, one version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import scenario_game

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_python_package_is_listed_for_the_wheel():
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "scenario_game").rglob("__init__.py")}
    listed = set(PROJECT["tool"]["setuptools"]["packages"])
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_the_stories_and_docs_ship_from_the_top_level_folders():
    setuptools = PROJECT["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"scenario_game.stories": "scenarios", "scenario_game.docs": "docs"}
    for package, files in (("scenario_game.stories", ["*.toml"]), ("scenario_game.docs", ["*.md"])):
        assert package in setuptools["packages"]
        assert setuptools["package-data"][package] == files
    assert not (ROOT / "scenario_game" / "stories").exists()  # one copy, not two
    assert not (ROOT / "scenario_game" / "docs").exists()


def test_one_version_source():
    assert "version" not in PROJECT["project"] and PROJECT["project"]["dynamic"] == ["version"]
    assert PROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "scenario_game.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", scenario_game.__version__)


def test_licence_and_commands():
    assert PROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert PROJECT["project"]["scripts"] == {"scenario-game": "scenario_game.cli:entry", "reconnect": "scenario_game.cli:entry"}


def test_the_sdist_manifest_carries_what_the_tests_read():
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split()
    for folder in ("tests", "scenarios", "schema", "docs"):
        assert folder in manifest
    assert "LICENSE" in manifest
