"""Does a story teach, or can a trick win it? Prints, for each scenario: how often the
longest / warmest-worded / first reply is the constructive one at decisions that mix
tones, and how often each strategy reaches the best ending (the first [[endings]]).

Targets (issue 10), across the shipped stories: longest constructive at <= 50% of mixed
decisions, warmest at <= 55%; always-longest and always-warmest reach the best ending
in at most one story each; random <= 35%, tag-aware >= 80%.

    .venv/bin/python bench/teaching.py [FILE_OR_DIR ...] [--plays 300]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scenario_game.loader import load_path  # noqa: E402
from scenario_game.strategies import STRATEGIES, best_rate, decision_tells  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["scenarios"])
    parser.add_argument("--plays", type=int, default=300)
    args = parser.parse_args()
    files = []
    for p in map(Path, args.paths):
        files += sorted(p.glob("*.toml")) if p.is_dir() else [p]
    totals = {"mixed": 0, "longest": 0.0, "warmest": 0.0}
    wins = {name: 0 for name in STRATEGIES}
    print(f"{'story':24} {'mixed':>5} {'long%':>6} {'warm%':>6} {'1st%':>6} | " + " ".join(f"{n:>9}" for n in STRATEGIES))
    for path in files:
        result = load_path(path)
        if result.problems and result.scenario is None:
            print(f"{path}: cannot load", file=sys.stderr)
            continue
        scenario = result.scenario
        tells = decision_tells(scenario)
        rates = {name: best_rate(scenario, name, args.plays) for name in STRATEGIES}
        for name, rate in rates.items():
            wins[name] += rate >= 0.5
        totals["mixed"] += tells["mixed"]
        totals["longest"] += tells["longest"] * tells["mixed"]
        totals["warmest"] += tells["warmest"] * tells["mixed"]
        print(f"{path.stem[:24]:24} {tells['mixed']:5d} {tells['longest']:6.0%} {tells['warmest']:6.0%} {tells['first']:6.0%} | "
              + " ".join(f"{rates[n]:9.0%}" for n in STRATEGIES))
    if totals["mixed"]:
        print(f"\nacross stories: longest constructive {totals['longest'] / totals['mixed']:.0%} (target <= 50%), "
              f"warmest constructive {totals['warmest'] / totals['mixed']:.0%} (target <= 55%)")
    print("stories whose best ending a deterministic strategy reaches: "
          + ", ".join(f"{n} {wins[n]}" for n in ("first", "longest", "warmest")) + " (target <= 1 each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
