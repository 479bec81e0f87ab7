"""A JSON Schema (draft 2020-12) of scenario format 1, for editors.

Taplo, Tombi and Even Better TOML read a `#:schema PATH` comment at the top of a TOML
file and then complete keys, show each key's description on hover and flag unknown keys
while the author types. The schema says what the loader accepts; the loader stays the
judge (it also checks references, conditions and ranges, which a schema cannot).
`scenario-game schema` prints it; the same text ships as schema/scenario-1.schema.json
and scenario_game/data/scenario-1.schema.json.
"""

from __future__ import annotations

import json

from .model import TONES

SCHEMA_ID = "https://reconnect.invalid/schema/scenario-1.schema.json"
ID_PATTERN = "^[a-z][a-z0-9_-]{0,63}$"
NAME_PATTERN = "^[a-z][a-z0-9_]*$"
FAIR_PATTERN = "^%[+-]0*([0-9]|[1-9][0-9]|100)$"
SET_PATTERN = "^=[+-]?[0-9]+$"


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def _id(what: str) -> dict:
    return _string(f"The {what}'s id: 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter.", pattern=ID_PATTERN)


def _names(description: str, pattern: str) -> dict:
    item = {"type": "string", "pattern": pattern}
    return {
        "description": description,
        "oneOf": [item, {"type": "array", "items": item}],
    }


def _object(description: str, properties: dict, required: tuple = ()) -> dict:
    out = {"type": "object", "description": description, "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _effects(where: str) -> dict:
    return {
        "type": "object",
        "description": (
            f"Meter changes applied {where}, as {{ meter = effect }}. An effect is an integer N (add N; "
            "TOML allows +5), \"%+N\" or \"%-N\" (fair math: move N percent of the way to the meter's max "
            "or min, 0 <= N <= 100), or \"=N\" (set to N). The value is then clamped to the meter's range."
        ),
        "propertyNames": {"pattern": NAME_PATTERN},
        "additionalProperties": {
            "description": "An effect: N (add), \"%+N\" / \"%-N\" (fair math), or \"=N\" (set).",
            "oneOf": [
                {"type": "integer", "description": "Add this amount (negative to subtract)."},
                {"type": "string", "pattern": FAIR_PATTERN, "description": "Fair math: \"%+N\" moves N percent of the way up to max, \"%-N\" down to min."},
                {"type": "string", "pattern": SET_PATTERN, "description": "Set the meter to N."},
            ],
        },
    }


def _flags(verb: str, where: str) -> dict:
    return _names(f"Flags {verb} {where}: a flag name or an array of them (a-z, 0-9 and _, starting with a letter).", NAME_PATTERN)


def _ways(extra: dict | None = None) -> list:
    """Exactly one way on: each branch requires one of the keys (`end` only counts when true)."""
    ways = [
        {"required": ["goto"]},
        {"required": ["end"], "properties": {"end": {"const": True}}},
        {"required": ["ending"]},
    ]
    if extra:
        ways = list(extra.values()) + ways
    return ways


def build_schema() -> dict:
    condition_help = (
        "A condition: integers, meter names, flag names, visited(node-id); comparisons < <= > >= == !=; "
        "+ and - on integers; and, or, not, parentheses. Example: \"trust >= 40 and (noticed_phone or not argued)\"."
    )
    choice = _object(
        "A reply the player can pick. `text`, `style` and exactly one way on (`goto`, `end = true` or `ending`) are required.",
        {
            "text": _string("What the player says or does, shown as the choice."),
            "style": _string("The communication style of the reply: a built-in style (empathetic, i-statement, validating, curious, vulnerable, appreciative, affectionate, patient, blame, defensive, dismissive, stonewalling, contemptuous, avoidant, pressuring, neutral) or one declared under [styles].", pattern=ID_PATTERN),
            "advice": _names("Advice ids this choice illustrates: one id or an array of them (built in, or declared under [advice]).", ID_PATTERN),
            "feedback": _string("Text shown after the choice is taken: why it helped or hurt."),
            "effects": _effects("when the choice is taken, before `set`/`unset`"),
            "set": _flags("made true", "when the choice is taken"),
            "unset": _flags("made false", "when the choice is taken"),
            "if": _string(f"Optional: the choice is offered only while this holds. {condition_help}"),
            "once": {"type": "boolean", "description": "true: the choice is hidden after it has been taken once in this run."},
            "goto": _string("The node to go to next (node ids are unique across the scenario, so this may cross into another chapter).", pattern=ID_PATTERN),
            "end": {"type": "boolean", "description": "true: the chapter ends after this choice (then the next chapter starts, or after the last one the ending is chosen)."},
            "ending": _string("End the whole scenario now with this ending id.", pattern=ID_PATTERN),
        },
        ("text", "style"),
    )
    choice["oneOf"] = _ways()
    route = _object(
        "An automatic branch: the first route whose `if` holds is taken; the last route has no `if`.",
        {
            "if": _string(f"When this route is taken (every route but the last has one). {condition_help}"),
            "goto": _string("The node to go to.", pattern=ID_PATTERN),
        },
        ("goto",),
    )
    node = _object(
        "A node of the chapter (the first node is where the chapter starts). `id`, `text` and exactly one way on "
        "(`choices`, `goto`, `routes`, `end = true` or `ending`) are required.",
        {
            "id": _id("node (unique across the whole scenario)"),
            "text": _string("What is said or happens at this node."),
            "speaker": _string("Who speaks (absent means narration)."),
            "mood": _string("The speaker's mood, shown by the UI; no effect on play."),
            "effects": _effects("on entering the node"),
            "set": _flags("made true", "on entering the node"),
            "unset": _flags("made false", "on entering the node"),
            "choices": {"type": "array", "minItems": 1, "description": "The replies offered here, in file order ([[chapters.nodes.choices]]).", "items": choice},
            "goto": _string("Continue to this node without input.", pattern=ID_PATTERN),
            "routes": {"type": "array", "minItems": 1, "description": "Automatic branches ([[chapters.nodes.routes]]): the first whose `if` holds wins; the last has no `if`.", "items": route},
            "end": {"type": "boolean", "description": "true: the chapter ends here."},
            "ending": _string("The whole scenario ends here with this ending id.", pattern=ID_PATTERN),
        },
        ("id", "text"),
    )
    node["oneOf"] = _ways({"choices": {"required": ["choices"]}, "routes": {"required": ["routes"]}})
    chapter = _object(
        "A chapter ([[chapters]]), played in file order.",
        {
            "id": _id("chapter"),
            "title": _string("The chapter's title (default: its id)."),
            "summary": _string("A line or two about the chapter, shown before it starts (an extension of format 1)."),
            "nodes": {"type": "array", "minItems": 1, "description": "The chapter's nodes ([[chapters.nodes]]); the first is where it starts.", "items": node},
        },
        ("id", "nodes"),
    )
    ending = _object(
        "An ending ([[endings]]): the first whose `when` holds is reached when the last chapter ends.",
        {
            "id": _id("ending"),
            "title": _string("The ending's title."),
            "text": _string("What the ending says."),
            "when": _string(f"When this ending is reached (every ending but the last has one). {condition_help}"),
            "best": {"type": "boolean", "description": "Marks the story's best ending (at most one), for `randomtest` and the teaching checks; without it the first ending counts as the best."},
        },
        ("id", "title"),
    )
    meter = _object(
        "A meter ([meters.NAME]): an integer the choices move, such as trust or closeness.",
        {
            "label": _string("The name shown for the meter (default: the name capitalised)."),
            "start": {"type": "integer", "description": "The value at the start of a run; min <= start <= max."},
            "min": {"type": "integer", "description": "The lowest value (default 0)."},
            "max": {"type": "integer", "description": "The highest value (default 100)."},
        },
        ("start",),
    )
    style = _object(
        "A style of your own ([styles.ID]), added to the built-in ones.",
        {
            "label": _string("The name shown for the style."),
            "tone": {"type": "string", "enum": list(TONES), "description": "constructive, destructive or neutral: how the style colours the feedback."},
            "description": _string("What the style is and why it helps or hurts (an extension of format 1)."),
        },
        ("tone",),
    )
    advice = _object(
        "Advice of your own ([advice.ID]), added to the built-in advice.",
        {
            "title": _string("The advice's short title."),
            "text": _string("The advice itself."),
            "source": _names("Where the advice comes from: one source or an array of them (a list is an extension of format 1).", ".+"),
        },
        ("title", "text"),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Reconnect scenario, format 1",
        "description": "A scenario for Reconnect (scenario_game): chapters of nodes and choices, meters, styles, advice and endings. Check a file with `scenario-game check FILE`.",
        "type": "object",
        "required": ["format", "scenario", "chapters", "endings"],
        "additionalProperties": False,
        "properties": {
            "$schema": _string("The schema this file is written to (editors read it; the game ignores it)."),
            "format": {"const": 1, "description": "The scenario format version: 1."},
            "scenario": _object(
                "The scenario as a whole.",
                {
                    "title": _string("The scenario's title."),
                    "summary": _string("A few lines about the situation, shown in the library."),
                    "partner": _string("The partner's name, for the UI."),
                },
                ("title",),
            ),
            "meters": {
                "type": "object",
                "description": "Meters by name ([meters.NAME]); without this table a scenario gets trust and closeness, both starting at 50 on 0-100.",
                "propertyNames": {"pattern": NAME_PATTERN},
                "additionalProperties": meter,
            },
            "styles": {
                "type": "object",
                "description": "Styles of your own by id ([styles.ID]), added to the built-in ones.",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": style,
            },
            "advice": {
                "type": "object",
                "description": "Advice of your own by id ([advice.ID]), added to the built-in advice.",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": advice,
            },
            "chapters": {"type": "array", "minItems": 1, "description": "The chapters ([[chapters]]), played in file order.", "items": chapter},
            "endings": {"type": "array", "minItems": 1, "description": "The endings ([[endings]]); the last has no `when` and is the fallback.", "items": ending},
        },
    }


def schema_text() -> str:
    """The schema as the command prints it and as it ships (stable, so a test can compare)."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
