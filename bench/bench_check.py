"""`scenario-game check` against reading the same file with tomllib, whole processes, in one run.

    .venv/bin/python bench/bench_check.py [--nodes 2000 8000] [--repeat 3] [--file FILE]

For each size, bench/gen_scenario.py writes a story (20 chapters per 2,000 nodes), then
two fresh interpreters run, taking turns: `python -m scenario_game check FILE` (load,
the flow analysis, the searches, the report) and `python -c "tomllib.load(FILE)"`.
Each is measured as the operating system counts it for that process: CPU seconds (user
+ system, so other work on the machine does not count) and peak memory (max RSS). The
best of `--repeat` runs of each is compared. Targets: check within 3x tomllib's time at
every size, and within 4x its memory at 8,000 nodes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_scenario import generate  # noqa: E402

TIME_TARGET = 3.0
MEMORY_TARGET = 4.0
MEMORY_AT = 8000  # the size at which the memory target applies
TOMLLIB = "import sys, tomllib\nwith open(sys.argv[1], 'rb') as f:\n    tomllib.load(f)"


def measure(argv: list[str]) -> tuple[float, int]:
    """(CPU seconds, peak memory in KB) of one process running `argv`."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if process.returncode not in (0, 1) or "Traceback" in errors:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{errors[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def compare(path: str, repeat: int) -> tuple[tuple[float, int], tuple[float, int]]:
    check_runs, toml_runs = [], []
    for _ in range(repeat):
        check_runs.append(measure([sys.executable, "-m", "scenario_game", "check", path]))
        toml_runs.append(measure([sys.executable, "-c", TOMLLIB, path]))
    best = lambda runs: (min(t for t, _ in runs), min(m for _, m in runs))  # noqa: E731
    return best(check_runs), best(toml_runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[2000, 8000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", help="measure this scenario file instead of generated ones")
    args = parser.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        cases = []
        if args.file:
            cases.append((args.file, None))
        else:
            for nodes in args.nodes:
                path = os.path.join(folder, f"bench-{nodes}.toml")
                Path(path).write_text(generate(nodes, max(1, nodes // 100)), encoding="utf-8")
                cases.append((path, nodes))
        print(f"whole processes, best of {args.repeat}: CPU seconds (user + system) and peak memory")
        for path, nodes in cases:
            (check_time, check_memory), (toml_time, toml_memory) = compare(path, args.repeat)
            time_ratio, memory_ratio = check_time / toml_time, check_memory / toml_memory
            name = f"{nodes:,} nodes" if nodes else Path(path).name
            time_ok = time_ratio <= TIME_TARGET
            memory_ok = nodes != MEMORY_AT or memory_ratio <= MEMORY_TARGET
            ok &= time_ok and memory_ok
            size = os.path.getsize(path)
            print(f"{name} ({size / 1e6:.1f} MB)")
            print(f"  tomllib.load  {toml_time:7.2f} s  {toml_memory / 1024:7.1f} MB")
            print(f"  check         {check_time:7.2f} s  {check_memory / 1024:7.1f} MB")
            memory_target = f" (target <= {MEMORY_TARGET:g}x)" if nodes == MEMORY_AT else ""
            print(
                f"  ratio         {time_ratio:6.2f}x time (target <= {TIME_TARGET:g}x) {'ok' if time_ok else 'TOO SLOW'}, "
                f"{memory_ratio:.2f}x memory{memory_target} {'ok' if memory_ok else 'TOO MUCH'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
