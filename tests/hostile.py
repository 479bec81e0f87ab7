"""Shared helpers for the hostile-input tests: files as an attacker would write them,
and the check that no raw control character or bidi override reaches an output."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import tomli_w
from clirun import scenario_game

FIXTURES = Path(__file__).parent / "fixtures"
ESC = "\x1b"
OSC52 = ESC + "]52;c;aGFja2Vk" + ESC + "\\"  # writes the clipboard
OSC_TITLE = ESC + "]0;PWNED\x07"  # sets the window title
CLEAR = ESC + "[2J"
C1 = "\x9b31m"  # CSI as one C1 character
RLO = "\u202e"  # right-to-left override
HOSTILE = OSC52 + OSC_TITLE + CLEAR + C1 + RLO + "\r"
MARKUP = "[/nope] [@click=app.quit]x[/] [bold]"

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def raw_controls(data: bytes | str) -> list[str]:
    """Every raw control character or bidi override in an output (which must be UTF-8)."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return RAW.findall(text)


def cli(*args: str, saves: Path | None = None, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command line, output as bytes (clirun: in this process unless asked otherwise)."""
    env = {key: value for key, value in os.environ.items() if key != "SCENARIO_GAME_SAVES"}
    if saves is not None:
        env["SCENARIO_GAME_SAVES"] = str(saves)
    return scenario_game(*args, input=stdin, text=False, env=env, cwd=cwd)


def played_save(tmp_path: Path, saves: Path) -> Path:
    """A real save: the format example played to its end."""
    before = set(saves.glob("*.toml"))
    result = cli("play", str(FIXTURES / "format_example.toml"), "--plain", "--choices", "2,1", saves=saves)
    assert result.returncode == 0, result.stderr
    [save] = set(saves.glob("*.toml")) - before
    return save


def rewrite_save(path: Path, change) -> None:
    """Edit a save's document with `change(document)` and write it back."""
    document = tomllib.loads(path.read_text("utf-8"))
    change(document)
    path.write_text(tomli_w.dumps(document), "utf-8")


def hostile_save(tmp_path: Path, saves: Path, text: str = HOSTILE, name: str | None = None) -> Path:
    """A save whose every shown string carries `text`, unfinished, with a wrong sha256."""
    save = played_save(tmp_path, saves)

    def change(document):
        document["run"]["title"] = "Title " + text
        document["run"]["sha256"] = "0" * 64
        for step in document["steps"]:
            step["text"] = "Reply " + text
            step["style_label"] = "Style " + text
        document["position"]["status"] = "choosing"
        document["position"].pop("ending", None)
        document["position"]["problem"] = "Problem " + text

    rewrite_save(save, change)
    if name is not None:
        renamed = save.with_name(name)
        save.rename(renamed)
        return renamed
    return save
