"""How long the coach takes to read one reply, against its budget of 5 ms.

    .venv/bin/python bench/bench_coach.py [--rounds 20]

Reads every reply of the labelled set (tests/fixtures/coach_replies.toml) `rounds`
times and prints the median and worst milliseconds per reply and the ratio to 5 ms.
"""

import argparse
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenario_game import coach  # noqa: E402

BUDGET_MS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    texts = [r["text"] for r in tomllib.loads((ROOT / "tests/fixtures/coach_replies.toml").read_text("utf-8"))["reply"]]
    started = time.perf_counter()
    coach.lexicon()
    print(f"load rules and word lists: {(time.perf_counter() - started) * 1000:.1f} ms (once per process)")
    times = []
    for _ in range(args.rounds):
        for text in texts:
            t0 = time.perf_counter()
            coach.read(text)
            times.append((time.perf_counter() - t0) * 1000)
    median, worst = statistics.median(times), max(times)
    print(f"{len(texts)} replies x {args.rounds} rounds: median {median:.2f} ms, worst {worst:.2f} ms per reply")
    print(f"median / budget ({BUDGET_MS:.0f} ms) = {median / BUDGET_MS:.2f}x; worst / budget = {worst / BUDGET_MS:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
