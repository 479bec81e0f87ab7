"""The JSON Schema for editors: the command prints it, the repository and the package
ship the same text, and every shipped scenario and fixture that loads validates."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from scenario_game.cli import scenario_files
from scenario_game.loader import load_path
from scenario_game.schema import build_schema, schema_text
from clirun import scenario_game

ROOT = Path(__file__).resolve().parent.parent


def validate(value, schema: dict, where: str = "$") -> list[str]:
    """The errors of `value` against the subset of draft 2020-12 the schema uses."""
    errors: list[str] = []
    kind = schema.get("type")
    checks = {"object": dict, "array": list, "string": str, "boolean": bool}
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: not an integer"]
    elif kind in checks and not isinstance(value, checks[kind]):
        return [f"{where}: not a {kind}"]
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        errors.append(f"{where}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: not one of {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: missing {key!r}")
        for key, item in value.items():
            if "propertyNames" in schema:
                errors += validate(key, schema["propertyNames"] | {"type": "string"}, f"{where}.{key} (name)")
            if key in props:
                errors += validate(item, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unknown key {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += validate(item, schema["additionalProperties"], f"{where}.{key}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for index, item in enumerate(value):
                errors += validate(item, schema["items"], f"{where}[{index}]")
    if "oneOf" in schema:
        passing = sum(not validate(value, branch, where) for branch in schema["oneOf"])
        if passing != 1:
            errors.append(f"{where}: matches {passing} of the oneOf branches, not exactly one")
    return errors


def scenario_data(path: str) -> dict:
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


def test_the_command_prints_the_shipped_schema():
    result = scenario_game("schema")
    assert result.returncode == 0
    assert result.stdout == schema_text()
    assert (ROOT / "schema" / "scenario-1.schema.json").read_text(encoding="utf-8") == schema_text()
    assert (ROOT / "scenario_game" / "data" / "scenario-1.schema.json").read_text(encoding="utf-8") == schema_text()
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_object_is_closed_and_every_key_described():
    def walk(schema, where):
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, where
            for key, sub in schema["properties"].items():
                assert sub.get("description"), f"{where}.{key} has no description"
                walk(sub, f"{where}.{key}")
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(schema[key], f"{where}[{key}]")

    walk(build_schema(), "$")


def test_schema_keys_match_the_loader():
    from scenario_game import loader

    schema = build_schema()
    props = schema["properties"]
    chapter = props["chapters"]["items"]
    node = chapter["properties"]["nodes"]["items"]
    pairs = [
        (props, loader.TOP_KEYS),
        (props["scenario"]["properties"], loader.SCENARIO_KEYS),
        (props["meters"]["additionalProperties"]["properties"], loader.METER_KEYS),
        (props["styles"]["additionalProperties"]["properties"], loader.STYLE_KEYS),
        (props["advice"]["additionalProperties"]["properties"], loader.ADVICE_KEYS),
        (chapter["properties"], loader.CHAPTER_KEYS),
        (node["properties"], loader.NODE_KEYS),
        (node["properties"]["choices"]["items"]["properties"], loader.CHOICE_KEYS),
        (node["properties"]["routes"]["items"]["properties"], loader.ROUTE_KEYS),
        (props["endings"]["items"]["properties"], loader.ENDING_KEYS),
    ]
    for properties, keys in pairs:
        assert set(properties) == set(keys)


SHIPPED = [p for p in scenario_files([str(ROOT / "scenarios"), str(ROOT / "tests" / "fixtures")]) if load_path(p).scenario is not None]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: Path(p).name)
def test_every_scenario_that_loads_validates(path):
    assert validate(scenario_data(path), build_schema()) == []


def test_shipped_scenarios_point_editors_at_the_schema():
    for path in scenario_files([str(ROOT / "scenarios")]):
        first = Path(path).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == "#:schema ../schema/scenario-1.schema.json", path


@pytest.mark.parametrize(
    "change, complaint",
    [
        (lambda d: d["chapters"][0]["nodes"][0].update(chioces=[]), "unknown key 'chioces'"),
        (lambda d: d.pop("endings"), "missing 'endings'"),
        (lambda d: d.update(format=2), "not 1"),
        (lambda d: d["chapters"][0].update(id="Bad Id"), "does not match"),
        (lambda d: d.update(styles={"snark": {"tone": "mean"}}), "not one of"),
        (lambda d: d["chapters"][0]["nodes"][0].update(effects={"trust": "%+200"}), "oneOf"),
        (lambda d: d["chapters"][0]["nodes"][0].update(goto="x", end=True), "oneOf"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(change, complaint):
    data = scenario_data(str(ROOT / "tests" / "fixtures" / "format_example.toml"))
    change(data)
    errors = validate(data, build_schema())
    assert any(complaint in e for e in errors), errors


def test_effect_forms():
    effects = build_schema()["properties"]["chapters"]["items"]["properties"]["nodes"]["items"]["properties"]["effects"]
    for good in ({"trust": 5}, {"trust": -5}, {"trust": "%+20"}, {"trust": "%-100"}, {"trust": "%+0"}, {"trust": "=40"}):
        assert validate(good, effects) == [], good
    for bad in ({"trust": "%+101"}, {"trust": "+5"}, {"trust": 1.5}, {"Trust": 5}, {"trust": True}):
        assert validate(bad, effects) != [], bad


# --- the docs say the same as the schema and the commands --------------------------------

DOCS = ROOT / "docs"


def schema_keys(schema) -> set[str]:
    keys: set[str] = set()
    if isinstance(schema, dict):
        for key, sub in schema.get("properties", {}).items():
            keys.add(key)
            keys |= schema_keys(sub)
        for part in ("items", "additionalProperties"):
            keys |= schema_keys(schema.get(part))
    return keys


def test_the_reference_mentions_every_key_of_the_schema():
    reference = (DOCS / "reference.md").read_text(encoding="utf-8")
    keys = schema_keys(build_schema())
    assert {"chioces"}.isdisjoint(keys) and {"format", "when", "once", "$schema", "summary", "description", "source"} <= keys
    missing = sorted(key for key in keys if f"`{key}`" not in reference)
    assert missing == []


def test_the_tutorial_shows_what_the_commands_really_print(tmp_path):
    import re

    tutorial = (DOCS / "authoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", tutorial, re.S)
    (tmp_path / "scenarios").mkdir()
    first = blocks[0] + "\n" + blocks[1]
    second = first.replace("chioces = 1\n", "").replace("\n[[endings]]", "\n" + blocks[2] + "\n[[endings]]", 1)
    third = second.replace('if = "trust >= 60"', 'if = "trust >= 40"').replace('if = "closeness < 50"', 'if = "closeness <= 50"')

    def run(text: str, *args: str) -> str:
        (tmp_path / "scenarios" / "dinner.toml").write_text(text, encoding="utf-8")
        result = scenario_game(*args, cwd=tmp_path)
        return result.stdout

    path = "scenarios/dinner.toml"
    for text, args in ((first, ("check", path)), (second, ("check", path)), (third, ("check", "--report", path))):
        for line in run(text, *args).splitlines():
            assert line in tutorial, line
    assert run(third, "check", path) == ""
    assert "END closer trust=55 closeness=60" in run(first.replace("chioces = 1\n", ""), "play", path, "--plain", "--no-save", "--choices", "2")
    stats = run(third, "stats", path).splitlines()
    assert stats[1] in tutorial and stats[2] in tutorial
    played = run(third, "randomtest", path, "--plays", "1000").splitlines()
    assert played[:-1] == tutorial.split("$ scenario-game randomtest scenarios/dinner.toml --plays 1000\n")[1].splitlines()[: len(played) - 1]
