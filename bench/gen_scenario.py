"""Generate a large format-1 scenario for the `check` benchmark.

The default is 2,000 nodes in 20 chapters, 2-4 choices a node, conditions on meters,
flags and visits, fair math, routes and gotos. The story is nonsense, but its shape is
like a real one: every node moves forward through its chapter, each node keeps one
choice without an `if` (so no node is a dead end), a few once-only choices go
back (loops), and the text is about as long as the shipped scenarios'. The same seed always gives the same file.

    python bench/gen_scenario.py [--nodes 2000] [--chapters 20] [--seed 1] [-o FILE]
"""

from __future__ import annotations

import argparse
import random
import sys

WORDS = (
    "the kettle clicks off and you both reach for the same mug then laugh a little "
    "awkwardly because it has been a long week and neither of you has said much about "
    "the call from your sister or the bill that came on tuesday or the way dinner went quiet"
).split()
CONSTRUCTIVE = ("empathetic", "i-statement", "validating", "curious", "vulnerable", "appreciative", "affectionate", "patient")
DESTRUCTIVE = ("blame", "defensive", "dismissive", "stonewalling", "contemptuous", "avoidant", "pressuring")
ADVICE = ("i-statements", "active-listening", "validate-feelings", "empathy", "be-present", "quality-time")
FLAGS = ("opened_up", "apologised", "kept_score", "made_plan", "held_hands", "walked_out")


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words).capitalize() + ".").replace('"', "'")


def effect(rng: random.Random) -> str:
    parts = []
    for meter in ("trust", "closeness"):
        roll = rng.random()
        if roll < 0.35:
            parts.append(f"{meter} = {rng.randint(-6, 6)}")
        elif roll < 0.6:
            parts.append(f'{meter} = "%{rng.choice("+-")}{rng.choice((5, 10, 15, 20))}"')
    return "{ " + ", ".join(parts) + " }" if parts else ""


def condition(rng: random.Random, visited: list[str]) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"trust >= {rng.randint(20, 60)}"
    if roll < 0.6:
        return f"closeness < {rng.randint(40, 90)} and trust > {rng.randint(10, 40)}"
    if roll < 0.8:
        return f"{rng.choice(FLAGS)} or trust + closeness >= {rng.randint(60, 120)}"
    if visited:
        return f"visited({rng.choice(visited)}) > 0 or not {rng.choice(FLAGS)}"
    return f"not {rng.choice(FLAGS)}"


def generate(nodes: int = 2000, chapters: int = 20, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = [
        "#:schema ../schema/scenario-1.schema.json",
        "format = 1",
        "",
        "[scenario]",
        'title = "Benchmark: a long week"',
        f'summary = "{sentence(rng, 20, 30)}"',
        'partner = "Sam"',
        "",
        "[meters.trust]",
        'label = "Trust"',
        "start = 45",
        "",
        "[meters.closeness]",
        'label = "Closeness"',
        "start = 40",
        "",
    ]
    per_chapter = nodes // chapters
    for c in range(chapters):
        out += ["[[chapters]]", f'id = "chapter-{c + 1}"', f'title = "Day {c + 1}"', f'summary = "{sentence(rng, 8, 14)}"', ""]
        ids = [f"c{c + 1}-n{i + 1}" for i in range(per_chapter)]
        seen: list[str] = []
        for i, nid in enumerate(ids):
            out += ["[[chapters.nodes]]", f'id = "{nid}"']
            if rng.random() < 0.5:
                out += ['speaker = "Sam"', f'mood = "{rng.choice(("tired", "warm", "guarded", "wry"))}"']
            out.append(f'text = "{sentence(rng, 25, 60)}"')
            if rng.random() < 0.2:
                fx = effect(rng)
                if fx:
                    out.append(f"effects = {fx}")
            if rng.random() < 0.1:
                out.append(f'set = ["{rng.choice(FLAGS)}"]')
            ahead = ids[i + 1 : i + 6]
            last = i == len(ids) - 1
            kind = rng.random()
            if last:
                out += ["end = true", ""]
            elif kind < 0.08:
                out += [f'goto = "{ahead[0]}"', ""]
            elif kind < 0.16:
                out.append("")
                out += ["[[chapters.nodes.routes]]", f'if = "{condition(rng, seen)}"', f'goto = "{rng.choice(ahead)}"', ""]
                out += ["[[chapters.nodes.routes]]", f'goto = "{ahead[0]}"', ""]
            else:
                out.append("")
                count = rng.randint(2, 4)
                for k in range(count):
                    tone = rng.random()
                    style = rng.choice(CONSTRUCTIVE) if tone < 0.55 else rng.choice(DESTRUCTIVE) if tone < 0.9 else "neutral"
                    out += ["[[chapters.nodes.choices]]", f'text = "{sentence(rng, 8, 20)}"', f'style = "{style}"']
                    if rng.random() < 0.5:
                        out.append(f'advice = ["{rng.choice(ADVICE)}"]')
                    out.append(f'feedback = "{sentence(rng, 15, 35)}"')
                    fx = effect(rng)
                    if fx:
                        out.append(f"effects = {fx}")
                    if rng.random() < 0.15:
                        out.append(f'set = ["{rng.choice(FLAGS)}"]')
                    if k > 0 and rng.random() < 0.4:
                        out.append(f'if = "{condition(rng, seen)}"')
                    if i >= len(ids) - 3 and rng.random() < 0.5:
                        out.append("end = true")
                    elif k == 0:
                        out.append(f'goto = "{ahead[0]}"')  # so every node can be reached
                    elif seen and rng.random() < 0.05:
                        out += ["once = true", f'goto = "{rng.choice(seen[-5:])}"']  # ask again: a loop
                    else:
                        out.append(f'goto = "{rng.choice(ahead)}"')
                    out.append("")
            seen.append(nid)
    out += [
        "[[endings]]",
        'id = "reconnected"',
        'title = "Reconnected"',
        'when = "trust >= 60 and closeness >= 60"',
        f'text = "{sentence(rng, 20, 40)}"',
        "",
        "[[endings]]",
        'id = "working-on-it"',
        'title = "Working on it"',
        'when = "trust >= 40 or made_plan"',
        f'text = "{sentence(rng, 20, 40)}"',
        "",
        "[[endings]]",
        'id = "still-apart"',
        'title = "Still apart"',
        f'text = "{sentence(rng, 20, 40)}"',
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    args = parser.parse_args(argv)
    text = generate(args.nodes, args.chapters, args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
