"""What saving costs per reply, early and late in a run, in one run of this script.

    .venv/bin/python bench/bench_save.py [--steps 500] [--early 5] [--window 9] [--repeat 5]

A story with a scene that can be taken again and again is played for `--steps` replies
in a play session whose run recorder saves after every reply, as the game does (one
whole, atomic TOML file: temporary file, fsync, rename). The cost of each reply is the
CPU time of `session.take` with the recorder saving (process time, so other work on the
machine counts less), and the figure is the median over `--window` replies around step
`--early` and around step `--steps`, best of `--repeat` runs. Target: the ratio
late/early at most 1.5 (a save costs about the same at step 500 as at step 5).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scenario_game import runs  # noqa: E402
from scenario_game.loader import load_text  # noqa: E402
from scenario_game.session import Session  # noqa: E402

TARGET = 1.5

STORY = """
format = 1
[scenario]
title = "Round and round"
[[chapters]]
id = "evening"
title = "An evening that goes round"
[[chapters.nodes]]
id = "talk"
speaker = "Sam"
text = "Sam looks up from the sofa and waits for you to say something."
effects = { trust = 1 }
[[chapters.nodes.choices]]
text = "I missed you today. Can we sit together for a bit and talk about the week?"
style = "i-statement"
advice = ["i-statements"]
feedback = "Saying what you feel invites Sam closer."
effects = { closeness = "%+5" }
goto = "talk"
[[chapters.nodes.choices]]
text = "You never ask how my day went. Not once this whole week."
style = "blame"
feedback = "Blame makes Sam defend instead of listen."
effects = { trust = -3 }
goto = "talk"
[[chapters.nodes.choices]]
text = "Good night."
style = "neutral"
end = true
[[endings]]
id = "night"
title = "Night"
"""


def one_run(scenario, steps: int, folder: Path) -> list[float]:
    recorder = runs.Recorder(scenario, folder)
    session = Session(scenario, observers=[recorder])
    session.start()
    costs = []
    for number in range(steps):
        began = time.process_time()
        session.take(1 if number % 3 else 2)
        costs.append(time.process_time() - began)
        if recorder.problem:
            raise SystemExit(f"saving failed: {recorder.problem}")
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--early", type=int, default=5)
    parser.add_argument("--window", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario = load_text(STORY, "round.toml", analyse=False).scenario
    assert scenario is not None
    early_costs, late_costs = [], []
    half = args.window // 2
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            costs = one_run(scenario, args.steps, Path(folder))
            size = sum(p.stat().st_size for p in Path(folder).glob("*.toml"))
        early = costs[max(0, args.early - 1 - half) : args.early + half]
        late = costs[args.steps - args.window :]
        early_costs.append(statistics.median(early))
        late_costs.append(statistics.median(late))
    early, late = min(early_costs), min(late_costs)
    ratio = late / early
    print(f"save per reply at step {args.early}: {early * 1000:.2f} ms CPU (median of {args.window}, best of {args.repeat})")
    print(f"save per reply at step {args.steps}: {late * 1000:.2f} ms CPU (the save file is then {size / 1024:.0f} KiB)")
    print(f"ratio step {args.steps} / step {args.early}: {ratio:.2f} (target <= {TARGET})  {'met' if ratio <= TARGET else 'NOT met'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
