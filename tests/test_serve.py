"""`scenario-game serve`: localhost by default, a warning when bound elsewhere, and a real
headless Chromium (the system's, driven by Playwright) playing a reply that gets saved."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from scenario_game.cli import build_parser
from scenario_game.tui.serve import exposure_warning, game_command, is_loopback

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_serve_listens_on_this_computer_only_by_default():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert is_loopback(host) and exposure_warning(host, 8000, "/s") is None
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        assert not is_loopback(host)
        warning = exposure_warning(host, 8000, "/s")
        assert warning.startswith(f"warning: serving on {host}:8000, not only on this computer") and "/s" in warning


def test_each_page_runs_the_game_with_the_server_s_folders(tmp_path):
    command = game_command(str(tmp_path / "my saves"), "/stories")
    assert command.split()[:3] == [sys.executable, "-m", "scenario_game"]
    assert f"--saves '{tmp_path / 'my saves'}'" in command and "--scenarios /stories" in command


def test_a_port_in_use_is_one_line_and_status_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "scenario_game", "serve", "--port", str(port), "--saves", str(tmp_path)],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 1
    assert f"error: cannot serve on 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_one_line_and_status_2(tmp_path, port):
    result = subprocess.run(
        [sys.executable, "-m", "scenario_game", "serve", "--port", port, "--saves", str(tmp_path)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "argument --port:" in result.stderr.splitlines()[-1] and "Traceback" not in result.stderr


# The page's terminal (xterm.js) draws on a canvas; keep a copy of the text the game sends.
RECORD_WHAT_THE_TERMINAL_RECEIVES = """
(() => {
  const Original = window.WebSocket;
  const decoder = new TextDecoder();
  window.__received = "";
  window.WebSocket = function (...args) {
    const socket = new Original(...args);
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") window.__received += decoder.decode(event.data, {stream: true});
    });
    return socket;
  };
  window.WebSocket.prototype = Original.prototype;
  Object.assign(window.WebSocket, Original);
})();
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, what: str, limit: float = 60.0, step: float = 0.2):
    """Poll `condition` until it holds; the limit is only there so a broken run ends."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        time.sleep(step)


def accepting(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow  # a server and a headless Chromium: seconds of work, run by `-m slow` and CI
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium; .ci/run installs it)")
def test_a_browser_plays_a_reply_and_the_run_is_saved(tmp_path):
    from playwright.sync_api import sync_playwright

    saves, empty = tmp_path / "saves", tmp_path / "empty"
    empty.mkdir()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "scenario_game", "serve", "--port", str(port), "--saves", str(saves)],
        cwd=empty, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    try:
        wait_until(lambda: accepting(port) or server.poll() is not None, "the server to listen")
        assert server.poll() is None, server.stdout.read()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.add_init_script(RECORD_WHAT_THE_TERMINAL_RECEIVES)
                page.goto(f"http://127.0.0.1:{port}/")

                def wait_for_text(text: str) -> None:
                    """The terminal draws on a canvas: wait until the game has sent `text`."""
                    page.wait_for_function(f"() => window.__received.includes({text!r})", timeout=60_000)

                wait_for_text("bundled with the game")  # the library, in the page
                page.focus(".xterm-helper-textarea")  # keys go to the terminal (no click: it would pick a story)
                page.keyboard.press("Enter")  # open the first story
                wait_for_text("Play from the beginning")
                page.keyboard.press("Enter")
                wait_for_text("How it feels")  # playing: the meters are up
                page.keyboard.press("1")  # take the first reply
                wait_until(lambda: any(saves.glob("*.toml")), "the run to be saved", limit=30)
                page.screenshot(path=str(tmp_path / "browser.png"))
            finally:
                browser.close()
        from scenario_game.runs import read_run

        [save] = saves.glob("*.toml")
        run = read_run(save)
        assert run.title == "After the Argument" and len(run.steps) == 1 and run.steps[0].shown == 1  # the first story, the first reply
        assert list(empty.iterdir()) == []  # nothing written where the server was started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
