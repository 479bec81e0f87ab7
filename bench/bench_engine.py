"""Choices per second of our engine against inkjs 2.4.0 on the same story, in one run.

    .venv/bin/python bench/bench_engine.py [--nodes 2000] [--plays 300] [--seed 1] [--keep DIR]

The story is bench/gen_scenario.py's (2,000 nodes, 2-4 replies a node, fair math,
flags, visit counts, routes, once-only loops). The script writes its ink twin (each node
a knot, each reply a choice with its condition, effects clamped as the game clamps them,
`visited()` as ink's read counts), installs inkjs with npm into a temporary folder,
compiles the ink with inkjs's own compiler and plays N random runs with each engine:
ours through `randomtest` (the engine's public calls: start, open_choices, choose,
next_chapter), inkjs through Story.Continue / ChooseChoiceIndex with ResetState between
runs. Each side is timed in CPU seconds of its own process, so other work on the machine
does not tilt the ratio. Target: ours at least 5x inkjs's choices/s.

Needs node and npm on PATH, and the npm registry (once; `--keep DIR` reuses an install).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_scenario import generate  # noqa: E402

from scenario_game.conditions import And, Arith, Compare, FlagRef, MeterRef, Neg, Not, Num, Or, Truthy, Visited  # noqa: E402
from scenario_game.loader import load_text  # noqa: E402
from scenario_game.model import Scenario  # noqa: E402
from scenario_game.randomtest import randomtest  # noqa: E402

TARGET = 5.0
INKJS = "inkjs@2.4.0"


# --- the ink twin ------------------------------------------------------------------------


def knot(node_id: str) -> str:
    return "n_" + node_id.replace("-", "_")


def ink_condition(tree, meters) -> str:
    kind = type(tree)
    if kind is Compare:
        return f"({ink_condition(tree.left, meters)} {tree.op} {ink_condition(tree.right, meters)})"
    if kind is And:
        return f"({ink_condition(tree.left, meters)} and {ink_condition(tree.right, meters)})"
    if kind is Or:
        return f"({ink_condition(tree.left, meters)} or {ink_condition(tree.right, meters)})"
    if kind is Not:
        return f"(not {ink_condition(tree.operand, meters)})"
    if kind is FlagRef:
        return f"f_{tree.name}"
    if kind is MeterRef:
        return tree.name
    if kind is Num:
        return str(tree.value) if tree.value >= 0 else f"(0 - {-tree.value})"
    if kind is Visited:
        return knot(tree.node)
    if kind is Truthy:
        return f"({ink_condition(tree.operand, meters)} != 0)"
    if kind is Neg:
        return f"(0 - {ink_condition(tree.operand, meters)})"
    if kind is Arith:
        return f"({ink_condition(tree.left, meters)} {tree.op} {ink_condition(tree.right, meters)})"
    raise TypeError(tree)


def ink_effects(scenario: Scenario, effects, set_flags, unset_flags) -> list[str]:
    out = []
    for effect in effects:
        meter = scenario.meter(effect.meter)
        v, lo, hi, n = meter.name, meter.min, meter.max, effect.amount
        value = {"add": f"{v} + ({n})", "up": f"{v} + ({hi} - {v}) * {n} / 100", "down": f"{v} - ({v} - {lo}) * {n} / 100", "set": f"{n}"}[effect.kind]
        out.append(f"~ {v} = MAX({lo}, MIN({hi}, {value}))")
    out += [f"~ f_{flag} = true" for flag in set_flags]
    out += [f"~ f_{flag} = false" for flag in unset_flags]
    return out


def to_ink(scenario: Scenario) -> str:
    """The scenario as ink: same nodes, replies, conditions, effects and endings."""
    meters = {m.name for m in scenario.meters}
    flags = set()
    for node in scenario.nodes.values():
        flags |= set(node.set) | set(node.unset)
        for choice in node.choices:
            flags |= set(choice.set) | set(choice.unset)
            if choice.condition is not None:
                flags |= choice.condition.flags
        for route in node.routes:
            if route.condition is not None:
                flags |= route.condition.flags
    for ending in scenario.endings:
        if ending.condition is not None:
            flags |= ending.condition.flags
    after = {c.id: (scenario.chapters[i + 1].start if i + 1 < len(scenario.chapters) else None) for i, c in enumerate(scenario.chapters)}

    def chapter_end(chapter: str) -> str:
        nxt = after[chapter]
        return f"-> {knot(nxt)}" if nxt else "-> endings"

    out = [f"VAR {m.name} = {m.start}" for m in scenario.meters]
    out += [f"VAR f_{flag} = false" for flag in sorted(flags)]
    out += [f"-> {knot(scenario.chapters[0].start)}", ""]
    for node in scenario.nodes.values():
        out.append(f"=== {knot(node.id)} ===")
        out += ink_effects(scenario, node.effects, node.set, node.unset)
        out.append(node.text)
        if node.choices:
            for choice in node.choices:
                condition = f"{{{ink_condition(choice.condition.tree, meters)}}} " if choice.condition else ""
                out.append(f"{'*' if choice.once else '+'} {condition}[{choice.text}]")
                if choice.feedback:
                    out.append(f"    {choice.feedback}")
                out += ["    " + line for line in ink_effects(scenario, choice.effects, choice.set, choice.unset)]
                if choice.goto is not None:
                    out.append(f"    -> {knot(choice.goto)}")
                elif choice.ending is not None:
                    out.append(f"    -> ending_{choice.ending.replace('-', '_')}")
                else:
                    out.append(f"    {chapter_end(node.chapter)}")
        elif node.goto is not None:
            out.append(f"-> {knot(node.goto)}")
        elif node.routes:
            out.append("{")
            for route in node.routes:
                when = ink_condition(route.condition.tree, meters) if route.condition else "else"
                out.append(f"    - {when}: -> {knot(route.goto)}")
            out.append("}")
        elif node.ending is not None:
            out.append(f"-> ending_{node.ending.replace('-', '_')}")
        else:
            out.append(chapter_end(node.chapter))
        out.append("")
    out += ["=== endings ===", "{"]
    for ending in scenario.endings:
        when = ink_condition(ending.condition.tree, meters) if ending.condition else "else"
        out.append(f"    - {when}: -> ending_{ending.id.replace('-', '_')}")
    out += ["}", ""]
    for ending in scenario.endings:
        out += [f"=== ending_{ending.id.replace('-', '_')} ===", ending.text or ending.title, "-> END", ""]
    return "\n".join(out)


# --- the inkjs side ----------------------------------------------------------------------

RUNNER = r"""
const fs = require('fs');
const { Compiler } = require('inkjs/compiler/Compiler');
const { Story } = require('inkjs/engine/Story');
const [source, plays, seed] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const compiled = new Compiler(fs.readFileSync(source, 'utf8')).Compile();
const story = new Story(compiled.ToJson());
let state = seed >>> 0;
function random(n) {  // mulberry32
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}
const endings = {};
let choices = 0;
const before = process.cpuUsage();
for (let p = 0; p < plays; p++) {
  story.ResetState();
  for (;;) {
    while (story.canContinue) story.Continue();
    const offered = story.currentChoices.length;
    if (offered === 0) break;
    story.ChooseChoiceIndex(random(offered));
    choices++;
  }
  const last = story.state.currentPathString || 'END';
  endings[last] = (endings[last] || 0) + 1;
}
const used = process.cpuUsage(before);
console.log(JSON.stringify({ plays, choices, seconds: (used.user + used.system) / 1e6 }));
"""


def install_inkjs(folder: Path) -> None:
    if (folder / "node_modules" / "inkjs").exists():
        return
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench_engine needs {tool} on PATH to run inkjs")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), INKJS], check=True, timeout=600)


def run_inkjs(folder: Path, ink: str, plays: int, seed: int) -> dict:
    (folder / "story.ink").write_text(ink, encoding="utf-8")
    (folder / "runner.js").write_text(RUNNER, encoding="utf-8")
    done = subprocess.run(["node", str(folder / "runner.js"), str(folder / "story.ink"), str(plays), str(seed)], cwd=folder, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"inkjs failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--plays", type=int, default=300, help="random runs per engine (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="install inkjs here and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)

    text = generate(args.nodes, args.chapters, args.seed)
    result = load_text(text, "<bench>", analyse=False)
    if result.scenario is None:
        raise SystemExit(f"the benchmark story does not load: {result.problems[0]}")
    scenario = result.scenario
    ink = to_ink(scenario)
    replies = sum(len(n.choices) for n in scenario.nodes.values())
    print(f"story: {len(scenario.nodes):,} nodes, {replies:,} replies, {len(scenario.chapters)} chapters; {args.plays} random runs per engine")

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        install_inkjs(folder)
        ink_result = run_inkjs(folder, ink, args.plays, args.seed)

    randomtest(scenario, 5, args.seed)  # compile the story for play once, as a loaded game would
    cpu = time.process_time()
    ours = randomtest(scenario, args.plays, args.seed)
    ours_seconds = time.process_time() - cpu

    ours_rate = ours.choices / ours_seconds
    ink_rate = ink_result["choices"] / ink_result["seconds"]
    ratio = ours_rate / ink_rate
    print(f"inkjs 2.4.0:  {ink_rate:12,.0f} choices/s  ({ink_result['choices']:,} choices in {ink_result['seconds']:.2f} CPU s, {ink_result['choices'] / args.plays:.0f} per run)")
    print(f"scenario_game:{ours_rate:12,.0f} choices/s  ({ours.choices:,} choices in {ours_seconds:.2f} CPU s, {ours.choices / args.plays:.0f} per run)")
    print(f"ratio:        {ratio:12.2f}x inkjs (target at least {TARGET:g}x): {'ok' if ratio >= TARGET else 'TOO SLOW'}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
