"""Time `check` (load + the whole analysis) against `tomllib.loads` alone on the same
generated 2,000-node scenario, side by side in one run, and print the ratio.

    python bench/bench_check.py [--nodes 2000] [--chapters 20] [--repeat 5] [--file FILE]

The target is a ratio within 3x. Each side is timed `--repeat` times, alternating, and
the best time of each is compared (the least disturbed by other work on the machine).
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_scenario import generate  # noqa: E402

from scenario_game.analysis import analyse  # noqa: E402
from scenario_game.loader import load_text  # noqa: E402

TARGET = 3.0


def check_text(text: str, path: str):
    """What `check` does with one file: compile it, then analyse it deeply."""
    result = load_text(text, path, analyse=False)
    if result.scenario is None:
        raise SystemExit(f"the benchmark file does not load: {result.problems[0]}")
    return result, analyse(result.scenario)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--file", help="time this scenario file instead of a generated one")
    args = parser.parse_args(argv)
    if args.file:
        text = Path(args.file).read_text(encoding="utf-8")
        path = args.file
    else:
        text = generate(args.nodes, args.chapters)
        path = f"<generated {args.nodes} nodes>"
    result, report = check_text(text, path)
    scenario = result.scenario
    choices = sum(len(n.choices) for n in scenario.nodes.values())
    print(f"scenario: {path}: {len(text):,} characters, {len(scenario.nodes):,} nodes, {len(scenario.chapters)} chapters, {choices:,} choices, {len(report.problems)} warnings")
    parse_times, check_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        tomllib.loads(text)
        parse_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        check_text(text, path)
        check_times.append(time.perf_counter() - start)
    parse, check = min(parse_times), min(check_times)
    ratio = check / parse
    print(f"tomllib.loads: {parse * 1000:8.1f} ms (best of {args.repeat})")
    print(f"check:         {check * 1000:8.1f} ms (best of {args.repeat}; load + analysis)")
    print(f"ratio:         {ratio:8.2f}x (target within {TARGET:g}x): {'ok' if ratio <= TARGET else 'TOO SLOW'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
