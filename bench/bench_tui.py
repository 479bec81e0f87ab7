"""Start-up and key-press latency of the Reconnect TUI, side by side with a bare Textual app.

    .venv/bin/python bench/bench_tui.py [--runs N] [--keys N]

Both apps run as a user would run them: a fresh interpreter in a real pseudo-terminal of
100 x 36 (Textual's normal driver, not headless), ours through the installed
`scenario-game` command with saving on. The bench reads what each app writes to the
terminal and watches for text, so nothing inside either app is hooked or replaced.

First screen: from spawning the process to the moment the terminal has received the
first screen's content (bare: its one Static; ours: the library's listing and footer, or
the play screen's scene, replies, meters and footer). Median of N start-ups, the apps
taking turns, after one start of each left running for 3 s (so bytecode and what the game
caches in a folder of the bench's own, the library's story cards, a story's scene card and
the parsed style sheets, are there as on any start but the very first; those very first
starts, with nothing cached, are measured too and shown beside). Target: ours within 1.3x
the bare app. Beside it, the CPU seconds each app had used when its first screen arrived
(from /proc): on a busy machine the clock counts time spent waiting for a core, the CPU
figure does not.

Key press: the time from writing a key to the terminal until the terminal has received
the frame that shows its effect (bare: a binding that updates a Static; ours: a digit
that takes a reply, shown by the feedback panel's text; "with advice" waits for the
advice card as well). Between presses the bench waits as a reader would, so the meter
animations of one reply are over before the next. Target: within one frame (1/60 s) at the
median and 33 ms at worst.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "format_example.toml"
FRAME = 1 / 60
WORST = 0.033  # a reply's frame at worst: two frames
SIZE = (100, 36)

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    BINDINGS = [("x", "bump", "Bump")]
    count = 0

    def compose(self):
        yield Static("Hello", id="count")

    def action_bump(self):
        self.count += 1
        self.query_one("#count", Static).update(f"count {self.count}")

Bare().run()
"""

# What must be on the terminal for each first screen to count as up.
BARE_SHOWN = ["Hello"]
LIBRARY_SHOWN = ["The Quiet Dinner", "Sam has been distant", "Reload"]
PLAY_SHOWN = ["Sam scrolls through the phone", "Oh, another riveting", "Closeness", "Reply"]

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
LOOP_ASK, LOOP_PHONE = "A question opens the door.", "The phone says you are elsewhere."
LOOP_ADVICE = "Listen to understand"
LOOP_CHOOSING = ["Ask how the day went.", "Check the phone."]  # the game may show replies in any order

# Escape sequences: CSI, OSC, and the short two-character ones.
SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOPc\\]")


class Terminal:
    """A pseudo-terminal with one app in it; keeps the text it has been sent, escapes removed."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        columns, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        # As on a user's machine: no TEXTUAL_* settings, and bytecode caches written and read
        # (an environment that sets PYTHONDONTWRITEBYTECODE would make an editable install
        # compile every module of ours from source at each start, while Textual's, installed
        # from a wheel, come precompiled).
        extra_env = env
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k not in ("PYTHONDONTWRITEBYTECODE", "SCENARIO_GAME_CACHE")}
        env.update(TERM="xterm-256color", COLORTERM="truecolor", XDG_CACHE_HOME=str(cwd / "cache"))
        env.update(extra_env or {})
        env.pop("NO_COLOR", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.text = ""
        self._pending = ""
        self._decoder = __import__("codecs").getincrementaldecoder("utf-8")("replace")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # the app has gone
            raise RuntimeError(f"the app ended early; it wrote:\n{self.text[-2000:]}") from None
        pending = self._pending + self._decoder.decode(data)
        cut = pending.rfind("\x1b")
        if cut != -1 and not SEQUENCE.match(pending, cut):
            self._pending, pending = pending[cut:], pending[:cut]
        else:
            self._pending = ""
        self.text += SEQUENCE.sub("", pending)
        return True

    def wait_for(self, texts: list[str], since: int = 0, timeout: float = 20) -> float:
        """Read until every one of `texts` has arrived after offset `since`; returns the time then."""
        deadline = time.perf_counter() + timeout
        while True:
            if all(self.text.find(t, since) != -1 for t in texts):
                return time.perf_counter()
            if time.perf_counter() > deadline:
                raise RuntimeError(f"never saw {texts!r}; the terminal got:\n{self.text[since:][-2000:]}")
            self._read(deadline - time.perf_counter())

    def idle(self, seconds: float) -> None:
        """Keep reading (so the app is never blocked on a full terminal) for `seconds`."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self._read(end - time.perf_counter())

    def press_either(self, key: bytes, texts: list[str], timeout: float = 5) -> tuple[float, str]:
        """Write `key`; (seconds until one of `texts` has arrived, which one)."""
        since = len(self.text)
        start = time.perf_counter()
        os.write(self.master, key)
        deadline = start + timeout
        while True:
            for text in texts:
                if self.text.find(text, since) != -1:
                    return time.perf_counter() - start, text
            if time.perf_counter() > deadline:
                raise RuntimeError(f"never saw any of {texts!r}; the terminal got:\n{self.text[since:][-2000:]}")
            self._read(deadline - time.perf_counter())

    def press(self, key: bytes, *stages: list[str], timeout: float = 5) -> list[float]:
        """Write `key`; for each stage, the seconds until all its texts have arrived since."""
        since = len(self.text)
        start = time.perf_counter()
        os.write(self.master, key)
        return [self.wait_for(shows, since, timeout) - start for shows in stages]

    def close(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        os.close(self.master)


def ours_command() -> list[str]:
    script = Path(sys.executable).with_name("scenario-game")
    if script.exists():
        return [str(script)]
    found = shutil.which("scenario-game")
    return [found] if found else [sys.executable, "-m", "scenario_game"]


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system, every thread) the process has used so far (Linux /proc);
    unlike the clock, this does not grow when other work on the machine delays the app."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_screen(argv: list[str], shows: list[str], cwd: Path, env: dict[str, str] | None = None, linger: float = 0) -> tuple[float, float]:
    """(seconds from spawn until the first screen arrived, CPU seconds the app used by then).
    With `linger`, the app runs that much longer before it is stopped (as a player would
    look at the screen), so the work it does after its first screen gets done."""
    terminal = Terminal(argv, cwd, env)
    try:
        shown = terminal.wait_for(shows) - terminal.started
        used = cpu_seconds(terminal.process.pid)
        terminal.idle(linger)
        return shown, used
    finally:
        terminal.close()


def key_latency_ours(keys: int, loop: str, saves: str, cwd: Path) -> tuple[list[float], list[float]]:
    terminal = Terminal([*ours_command(), "--saves", saves, "play", loop], cwd)
    shown, advised = [], []
    try:
        terminal.wait_for([*LOOP_CHOOSING, "Reply"])
        terminal.idle(0.5)
        for n in range(keys):
            since, start = len(terminal.text), time.perf_counter()
            feedback, which = terminal.press_either(b"1" if n % 2 == 0 else b"2", [LOOP_ASK, LOOP_PHONE])
            if which == LOOP_ASK:
                advised.append(terminal.wait_for([LOOP_ADVICE], since) - start)
            shown.append(feedback)
            terminal.idle(0.7)  # reading the feedback; the meters finish sliding
            terminal.press(b"\r", LOOP_CHOOSING)
            terminal.idle(0.3)  # reading the replies
    finally:
        terminal.close()
    return shown, advised


def key_latency_bare(keys: int, cwd: Path) -> list[float]:
    terminal = Terminal([sys.executable, "-c", BARE], cwd)
    times = []
    try:
        terminal.wait_for(BARE_SHOWN)
        terminal.idle(0.5)
        for n in range(keys):
            times.extend(terminal.press(b"x", [f"count {n + 1}"]))
            terminal.idle(0.3)
    finally:
        terminal.close()
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="start-ups per app (default 21: the machine's speed swings, see README)")
    parser.add_argument("--keys", type=int, default=20, help="key presses measured (default 20)")
    options = parser.parse_args()
    bare_command = [sys.executable, "-c", BARE]

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        library = work / "scenarios"
        library.mkdir()
        (library / "example.toml").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
        loop = work / "loop.toml"
        loop.write_text(textwrap.dedent(LOOP), encoding="utf-8")
        saves = str(work / "saves")
        ours = ours_command()
        starts = {
            "bare": (bare_command, BARE_SHOWN),
            "library": ([*ours, "--scenarios", str(library), "--saves", saves], LIBRARY_SHOWN),
            "play": ([*ours, "--saves", saves, "play", str(FIXTURE)], PLAY_SHOWN),
        }
        samples: dict[str, list[float]] = {name: [] for name in starts}
        cpu: dict[str, list[float]] = {name: [] for name in starts}
        # Warm the disk cache and the bytecode before timing, and let each app run on a while
        # as a player would: the library keeps its story cards (cards.py) once it has compiled
        # the stories after its first screen, which takes a moment.
        for argv, shows in starts.values():
            first_screen(argv, shows, work, linger=3)
        cold: list[float] = []
        cold_play: list[float] = []
        for run in range(options.runs):
            for name, (argv, shows) in starts.items():
                wall, used = first_screen(argv, shows, work)
                samples[name].append(wall)
                cpu[name].append(used)
            # The library as on the very first start: no story cards cached yet (cards.py).
            empty = work / f"cold-cache-{run}"
            cold.append(first_screen(starts["library"][0], LIBRARY_SHOWN, work, {"XDG_CACHE_HOME": str(empty)})[0])
            # And `play FILE` before its scene card and the parsed style sheets are cached.
            cold_play.append(first_screen(starts["play"][0], PLAY_SHOWN, work, {"XDG_CACHE_HOME": str(work / f"cold-play-{run}")})[0])

        ours_keys, advice_keys = key_latency_ours(options.keys, str(loop), saves, work)
        bare_keys = key_latency_bare(options.keys, work)

    bare = statistics.median(samples["bare"])
    columns, rows = SIZE
    print(f"First screen (median of {options.runs}, fresh interpreter in a {columns}x{rows} pseudo-terminal, spawn -> content received)")
    bare_cpu = statistics.median(cpu["bare"])
    print(f"  bare Textual app   {ms(bare)}                                        CPU {ms(bare_cpu)}")
    ok = True
    for name in ("library", "play"):
        value = statistics.median(samples[name])
        ratio = value / bare
        used = statistics.median(cpu[name])
        ok &= ratio <= 1.3
        print(f"  Reconnect {name:<8} {ms(value)}   {ratio:.2f}x bare   (target <= 1.30x) {'ok' if ratio <= 1.3 else 'SLOW':4}   CPU {ms(used)}  {used / bare_cpu:.2f}x bare")
    print(f"  (the library on a first start, before its story cards are cached: {ms(statistics.median(cold)).strip()}, {statistics.median(cold) / bare:.2f}x bare)")
    print(f"  (play on a first start, before its scene card and styles are cached: {ms(statistics.median(cold_play)).strip()}, {statistics.median(cold_play) / bare:.2f}x bare)")
    ours_median, base = statistics.median(ours_keys), statistics.median(bare_keys)
    ours_worst = max(ours_keys)
    within = ours_median <= FRAME and ours_worst <= WORST
    ok &= within
    print(f"Key press -> frame received (median of {options.keys}; one frame = {FRAME * 1000:.1f} ms)")
    print(f"  bare Textual app   {ms(base)}   worst {ms(max(bare_keys)).strip()}")
    print(
        f"  Reconnect reply    {ms(ours_median)}   {ours_median / base:.2f}x bare   worst {ms(ours_worst).strip()}   "
        f"(target <= {FRAME * 1000:.1f} ms median, <= {WORST * 1000:.0f} ms worst) {'ok' if within else 'SLOW'}"
    )
    if advice_keys:
        print(f"  ... with advice    {ms(statistics.median(advice_keys))}   (the advice card, median of {len(advice_keys)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
