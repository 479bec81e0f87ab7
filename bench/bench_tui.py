"""Start-up and key-press latency of the Reconnect TUI, side by side with a bare Textual app.

    .venv/bin/python bench/bench_tui.py [--runs N] [--keys N]

First screen: each app runs headless in a fresh interpreter (so imports count; ours
through the real `scenario-game` entry point, saving on) and reports when its first
screen has been painted (ours: the library listing, or the play screen at the first node); the time is from spawning the process
to that moment, median of N runs, the apps taking turns. Targets: ours within 1.3x the
bare app (an App with one Static).

Key press: in one process, the time from a key event being posted to the next screen
update that shows its effect (ours: a reply taken and the feedback panel painted; bare:
a Static updated by a binding). Target: within one frame (1/60 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "format_example.toml"
FRAME = 1 / 60

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hello")
    def on_mount(self):
        self.call_after_refresh(self.ready)
    def ready(self):
        print("READY", time.time(), flush=True)
        self.exit()

Bare().run(headless=True, size=(100, 36))
"""

OURS = """
import sys, time
from scenario_game.tui import app as tui

def ready(self, name):
    if name == sys.argv[1]:
        print("READY", time.time(), flush=True)
        self.exit()

run = tui.ReconnectApp.run
tui.ReconnectApp.run = lambda self, **options: run(self, headless=True, size=(100, 36))
tui.ReconnectApp.first_screen_shown = ready

from scenario_game.cli import main

if sys.argv[1] == "play":
    main(["--saves", sys.argv[3], "play", sys.argv[2]])
else:
    main(["--scenarios", sys.argv[2], "--saves", sys.argv[3]])
"""

# A scene that goes round for ever, so a key press always has a reply to take.
LOOP = """
format = 1
[scenario]
title = "Bench"
partner = "Sam"
[[chapters]]
id = "loop"
title = "Round and round"
[[chapters.nodes]]
id = "kitchen"
speaker = "Sam"
mood = "tired"
text = "Sam leans on the counter."
[[chapters.nodes.choices]]
text = "Ask how the day went."
style = "curious"
advice = ["active-listening"]
feedback = "A question opens the door."
effects = { trust = 1 }
goto = "kitchen"
[[chapters.nodes.choices]]
text = "Check the phone."
style = "distracted"
feedback = "The phone says you are elsewhere."
effects = { trust = -1 }
goto = "kitchen"
[[endings]]
id = "never"
title = "Never"
"""


def first_screen(code: str, *args: str) -> float:
    env = dict(os.environ)
    start = time.time()
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    for line in result.stdout.splitlines():
        if line.startswith("READY"):
            return float(line.split()[1]) - start
    raise RuntimeError(f"the app never reported its first screen:\n{result.stdout}\n{result.stderr}")


async def key_latency_ours(keys: int, path: str) -> list[float]:
    from textual import events

    from scenario_game.tui.app import ReconnectApp
    from scenario_game.tui.screens.play import PlayScreen

    app = ReconnectApp(path)
    painted: list[tuple[float, bool]] = []
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None and isinstance(app.screen, PlayScreen):
            painted.append((time.perf_counter(), app.screen.mode))

    app._display = display
    times = []
    async with app.run_test(size=(100, 36)) as pilot:
        while not isinstance(app.screen, PlayScreen):
            await pilot.pause(0.02)
        await pilot.pause(0.2)
        for n in range(keys):
            for key, mode in (("1" if n % 2 else "2", "feedback"), ("enter", "choosing")):
                await pilot.pause(0.05)
                painted.clear()
                start = time.perf_counter()
                app.post_message(events.Key(key, key if len(key) == 1 else None))
                while not any(m == mode for _, m in painted):
                    await asyncio.sleep(0)
                    if time.perf_counter() - start > 2:
                        raise RuntimeError(f"no screen update after {key!r}")
                if mode == "feedback":
                    times.append(next(t for t, m in painted if m == mode) - start)
    return times


async def key_latency_bare(keys: int) -> list[float]:
    from textual import events
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        BINDINGS = [("x", "bump", "Bump")]
        count = 0

        def compose(self):
            yield Static("0", id="count")

        def action_bump(self):
            self.count += 1
            self.query_one("#count", Static).update(str(self.count))

    app = Bare()
    painted: list[tuple[float, int]] = []
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None:
            painted.append((time.perf_counter(), app.count))

    app._display = display
    times = []
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause(0.2)
        for n in range(keys):
            await pilot.pause(0.05)
            painted.clear()
            start = time.perf_counter()
            app.post_message(events.Key("x", "x"))
            while not any(c == n + 1 for _, c in painted):
                await asyncio.sleep(0)
            times.append(next(t for t, c in painted if c == n + 1) - start)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="start-ups per app (default 9)")
    parser.add_argument("--keys", type=int, default=20, help="key presses measured (default 20)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        library = Path(folder) / "scenarios"
        library.mkdir()
        (library / "example.toml").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
        loop = Path(folder) / "loop.toml"
        loop.write_text(textwrap.dedent(LOOP), encoding="utf-8")

        saves = str(Path(folder) / "saves")
        samples: dict[str, list[float]] = {"bare": [], "library": [], "play": []}
        first_screen(BARE)  # warm the disk cache before timing anything
        first_screen(OURS, "play", str(FIXTURE), saves)
        for _ in range(options.runs):
            samples["bare"].append(first_screen(BARE))
            samples["library"].append(first_screen(OURS, "library", str(library), saves))
            samples["play"].append(first_screen(OURS, "play", str(FIXTURE), saves))

        ours_keys = asyncio.run(key_latency_ours(options.keys, str(loop)))
        bare_keys = asyncio.run(key_latency_bare(options.keys))

    bare = statistics.median(samples["bare"])
    print(f"First screen (median of {options.runs}, fresh interpreter, headless 100x36)")
    print(f"  bare Textual app   {ms(bare)}")
    ok = True
    for name in ("library", "play"):
        value = statistics.median(samples[name])
        ratio = value / bare
        ok &= ratio <= 1.3
        print(f"  Reconnect {name:<8} {ms(value)}   {ratio:.2f}x bare   (target <= 1.30x) {'ok' if ratio <= 1.3 else 'SLOW'}")
    ours, base = statistics.median(ours_keys), statistics.median(bare_keys)
    worst = max(ours_keys)
    ok &= ours <= FRAME
    print(f"Key press -> screen updated (median of {options.keys}; one frame = {FRAME * 1000:.1f} ms)")
    print(f"  bare Textual app   {ms(base)}")
    print(f"  Reconnect reply    {ms(ours)}   {ours / base:.2f}x bare   worst {ms(worst).strip()}   {'within one frame' if ours <= FRAME else 'SLOWER THAN A FRAME'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
