"""`scenario-game serve`: the game in a web page, through textual-serve.

Each browser tab runs its own `scenario-game` process (the same command a terminal runs),
given the saves and scenarios folders the server was started with, so a run played in
the browser is saved where `runs` and the terminal library find it.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def game_command(saves: str, scenarios: str) -> str:
    """The shell command textual-serve runs for each page opened."""
    parts = [sys.executable, "-m", "scenario_game", "--saves", saves, "--scenarios", scenarios]
    return " ".join(shlex.quote(part) for part in parts)


def exposure_warning(host: str, port: int, saves: str) -> str | None:
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host}:{port}, not only on this computer: anyone who can reach that "
        f"address can open the game, with no password, and their runs are saved in {saves}. "
        "Use --host 127.0.0.1 (the default) to keep it to this computer."
    )


def serve(host: str, port: int, saves: str, scenarios: str) -> int:
    from pathlib import Path

    from textual_serve.server import Server

    command = game_command(str(Path(saves).absolute()), str(Path(scenarios).absolute()))
    Server(command, host=host, port=port, title="Reconnect").serve()
    return 0
