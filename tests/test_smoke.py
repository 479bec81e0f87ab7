"""End-to-end smoke: the real entry point plays the format page's example to its end."""

import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "format_example.toml"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scenario_game", *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_plain_play_reaches_an_ending():
    result = run("play", str(FIXTURE), "--plain", "--no-save", "--choices", "2,1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "END reconnected trust=48 closeness=52"


def test_core_imports_no_textual_or_rich():
    code = (
        "import sys, scenario_game.cli, scenario_game.engine, scenario_game.loader, scenario_game.plain, scenario_game.analysis;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
