"""`scenario-game new PATH`: a small, valid, commented starter scenario to write over."""

from __future__ import annotations

from pathlib import Path

STARTER = '''\
#:schema {schema}
# A starter scenario for Reconnect. Check it with `scenario-game check {name}`,
# see its map with `scenario-game graph {name}`, and play it with
# `scenario-game play {name} --plain`. Every key is described in the schema named
# above (editors show it on hover) and in `scenario-game docs reference`.
format = 1

[scenario]
title = "The Late Text"
summary = "Jo worked late again and only texted at nine. Tonight is a chance to talk about it."
partner = "Jo"

# Meters go from min (default 0) to max (default 100). Choices move them.
[meters.trust]
label = "Trust"
start = 45

[meters.closeness]
label = "Closeness"
start = 40

# --- Chapter 1 -------------------------------------------------------------------
# A chapter is a list of nodes; the first node is where it starts.

[[chapters]]
id = "arrival"
title = "Nine o'clock"

[[chapters.nodes]]
id = "door"
speaker = "Jo"
mood = "tired"
text = "Sorry. The meeting ran over and then my phone died. Have you eaten?"

# Each choice has a style (how it talks) and a way on: goto, end = true, or ending.
[[chapters.nodes.choices]]
text = "I was worried, and a bit hurt. I'd like us to talk about it, once you've sat down."
style = "i-statement"
advice = ["i-statements"]
feedback = "You named your own feeling instead of Jo's fault, so Jo can listen without defending."
effects = {{ trust = 5, closeness = "%+10" }}   # fair math: 10% of the way up
set = ["talked"]                               # a flag, tested later
goto = "kitchen"

[[chapters.nodes.choices]]
text = "Whatever. Dinner's in the bin."
style = "contemptuous"
advice = ["i-statements"]
feedback = "The hurt is real, but this hands Jo something to defend against instead of the feeling behind it."
effects = {{ trust = -5, closeness = -5 }}
goto = "kitchen"

# An automatic branch: the first route whose `if` holds is taken; the last has no `if`.
[[chapters.nodes]]
id = "kitchen"
text = "Jo drops onto a kitchen chair and looks at you properly for the first time today."

[[chapters.nodes.routes]]
if = "talked"
goto = "open-up"

[[chapters.nodes.routes]]
goto = "quiet-tea"

[[chapters.nodes]]
id = "open-up"
speaker = "Jo"
mood = "relieved"
text = "I hate that you were worried. I should have found a phone. Can we start again?"
effects = {{ closeness = 5 }}
end = true                                     # ends the chapter

[[chapters.nodes]]
id = "quiet-tea"
text = "You make two teas without a word. The clock ticks."
end = true

# --- Chapter 2 -------------------------------------------------------------------
# The meters and flags carry over from chapter 1.

[[chapters]]
id = "sofa"
title = "Later, on the sofa"

[[chapters.nodes]]
id = "sofa-talk"
speaker = "Jo"
text = "Work is eating everything at the moment. I don't like who I am at nine at night."

[[chapters.nodes.choices]]
text = "That sounds exhausting. What would make the evenings feel like ours again?"
style = "curious"
advice = ["curiosity"]
feedback = "An open question invites Jo to think with you instead of apologising again."
effects = {{ trust = 5, closeness = 5 }}
end = true

# Shown only when its `if` holds: this one needs the talk from chapter 1.
[[chapters.nodes.choices]]
text = "Thank you for telling me. Shall we keep Thursday evenings just for us?"
style = "appreciative"
advice = ["quality-time"]
feedback = "Building on the earlier talk, you turned an apology into a plan."
effects = {{ closeness = "%+20" }}
if = "talked and trust >= 50"
end = true

[[chapters.nodes.choices]]
text = "(Turn the television up.)"
style = "stonewalling"
feedback = "Shutting the conversation down leaves Jo alone with it."
effects = {{ trust = -5, closeness = "%-20" }}
end = true

# --- Endings ----------------------------------------------------------------------
# When the last chapter ends, the first ending whose `when` holds is chosen.
# The last ending has no `when`: it is the fallback.

[[endings]]
id = "closer"
title = "Closer"
when = "closeness >= 50"
text = "The late text turned into a conversation, and the conversation into a plan."

[[endings]]
id = "not-yet"
title = "Not yet"
text = "The evening passes. The talk you both need is still waiting."
'''


class ScaffoldError(Exception):
    """The starter cannot be written (the file exists, or the folder cannot be written)."""


SCHEMA_FILE = "scenario-1.schema.json"


def _in_project_layout(story: Path) -> bool:
    """A scenarios folder beside a schema/ folder, laid out like this repository."""
    return (story.resolve().parent.parent / "schema" / SCHEMA_FILE).is_file()


def starter_text(path: str | Path) -> str:
    """The starter scenario. Its `#:schema` comment is relative, so it keeps working when
    the folder moves and across upgrades: `../schema/...` in a project laid out like this
    one, else the schema file that `new` (or `schema --write`) places beside the story."""
    schema = f"../schema/{SCHEMA_FILE}" if _in_project_layout(Path(path)) else SCHEMA_FILE
    return STARTER.format(schema=schema, name=Path(path).name)


def write_schema(folder: str | Path) -> tuple[Path, str]:
    """Place the current schema in `folder`: ("wrote" | "updated" | "unchanged", its path)."""
    from .schema import schema_text

    target = Path(folder) / SCHEMA_FILE
    text = schema_text()
    try:
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old == text:
            return target, "unchanged"
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"{target}: cannot write the schema: {exc.strerror or exc}") from None
    return target, "wrote" if old is None else "updated"


def write_starter(path: str | Path) -> tuple[Path, Path | None]:
    """Write the starter at `path`, never over an existing file, and the schema its
    `#:schema` comment names beside it (None when the project's schema/ folder is used)."""
    target = Path(path)
    if target.suffix != ".toml":
        raise ScaffoldError(f"{path}: a scenario file name ends in .toml")
    text = starter_text(target)
    try:
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; not overwriting it (choose another name, or delete it first)") from None
    except OSError as exc:
        raise ScaffoldError(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    if _in_project_layout(target):
        return target, None
    schema, _ = write_schema(target.parent)
    return target, schema
