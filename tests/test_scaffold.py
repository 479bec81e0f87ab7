"""`scenario-game new`: a starter that checks clean, plays to both endings, points
editors at the schema, and never overwrites a file."""

from __future__ import annotations

import subprocess

from scenario_game.checking import check_path
from scenario_game.loader import load_path
from clirun import scenario_game


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return scenario_game(*args, cwd=cwd)


def test_new_writes_a_starter_that_checks_clean(tmp_path):
    path = tmp_path / "mine.toml"
    result = run("new", str(path))
    assert result.returncode == 0, result.stderr
    assert path.exists()
    problems, report = check_path(str(path))
    assert problems == ()
    scenario = load_path(path).scenario
    assert len(scenario.chapters) == 2 and len(scenario.endings) == 2
    assert any(n.routes for n in scenario.nodes.values())
    assert any(c.condition for n in scenario.nodes.values() for c in n.choices)
    assert all(e.reachable for e in report.endings)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n#") >= 10  # commented for a first-time author
    check = run("check", str(path))
    assert check.returncode == 0 and check.stdout == "" and "clean" in check.stderr


def test_the_schema_comment_is_relative_and_the_schema_is_placed_beside_the_story(tmp_path):
    from scenario_game.schema import schema_text

    path = tmp_path / "deep" / "mine.toml"
    path.parent.mkdir()
    result = run("new", str(path))
    assert result.returncode == 0
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == "#:schema scenario-1.schema.json"
    assert (path.parent / "scenario-1.schema.json").read_text(encoding="utf-8") == schema_text()
    assert f"wrote {path.parent / 'scenario-1.schema.json'}" in result.stderr
    moved = tmp_path / "elsewhere"
    path.parent.rename(moved)  # the folder moves: the reference still names a file beside the story
    assert (moved / first.removeprefix("#:schema ")).is_file()
    assert "site-packages" not in first and "data/" not in first


def test_schema_write_places_and_refreshes_the_schema(tmp_path):
    from scenario_game.schema import schema_text

    target = tmp_path / "scenario-1.schema.json"
    first = run("schema", "--write", str(tmp_path))
    assert first.returncode == 0 and first.stderr.startswith(f"wrote {target}")
    assert "#:schema scenario-1.schema.json" in first.stderr
    assert run("schema", "--write", str(tmp_path)).stderr.startswith(f"unchanged {target}")
    target.write_text("{}", encoding="utf-8")  # the schema of an older version
    assert run("schema", "--write", str(tmp_path)).stderr.startswith(f"updated {target}")
    assert target.read_text(encoding="utf-8") == schema_text()
    missing = run("schema", "--write", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such folder" in missing.stderr and "Traceback" not in missing.stderr


def test_the_starter_points_at_docs_the_package_has(tmp_path):
    path = tmp_path / "mine.toml"
    run("new", str(path))
    assert "docs/reference.md" not in path.read_text(encoding="utf-8")
    assert "`scenario-game docs reference`" in path.read_text(encoding="utf-8")
    listed = run("docs").stdout.splitlines()
    assert {"authoring", "reference"} <= {line.split("\t")[0] for line in listed}
    reference = run("docs", "reference")
    assert reference.returncode == 0 and reference.stdout.startswith("# ")
    assert "`$schema`" in reference.stdout
    unknown = run("docs", "nope")
    assert unknown.returncode == 1 and "no page 'nope'; pages: authoring, " in unknown.stderr


def test_the_starter_plays_to_both_endings(tmp_path):
    path = tmp_path / "mine.toml"
    run("new", str(path))
    endings = set()
    for choices in ("1,1", "1,2", "2,1", "2,2", "1,3"):
        result = run("play", str(path), "--plain", "--no-save", "--choices", choices)
        if result.returncode == 0:
            endings.add(result.stdout.splitlines()[-1].split()[1])
    assert endings == {"closer", "not-yet"}


def test_new_refuses_to_overwrite(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("my work", encoding="utf-8")
    result = run("new", str(path))
    assert result.returncode == 1
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert path.read_text(encoding="utf-8") == "my work"


def test_new_needs_a_toml_name_and_a_folder_that_exists(tmp_path):
    assert "ends in .toml" in run("new", str(tmp_path / "mine.txt")).stderr
    result = run("new", str(tmp_path / "no" / "such" / "mine.toml"))
    assert result.returncode == 1 and "cannot write the file" in result.stderr
    assert not (tmp_path / "mine.txt").exists()


def test_in_a_scenarios_folder_the_schema_comment_is_the_shipped_scenarios_one(tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "scenario-1.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "mine.toml"
    assert run("new", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8").startswith("#:schema ../schema/scenario-1.schema.json\n")
