"""Word weights learnt from the labelled replies: the coach's second opinion.

The rules in data/coach.toml name what they see; some harmful replies use wording no
rule has met yet ("Cool story.", "Sure, Jan."). For a reply the rules cannot call, the
coach asks this lexicon: every word and word pair carries a weight towards "destructive"
and towards "constructive", learnt by logistic regression from the labelled set
(tests/fixtures/coach_replies.toml). The weights are plain numbers in
data/coach_lexicon.toml, readable and editable like any word list; a reading names the
words that weighed most. Re-learn them after adding replies to the labelled set:

    python -m scenario_game.coach_lexicon tests/fixtures/coach_replies.toml
"""

from __future__ import annotations

import math
import random
import re
import sys
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .records import frozen

_TOKEN = re.compile(r"[a-z0-9']+|[?!]")
TARGETS = ("destructive", "constructive")


def features(norm: str) -> set[str]:
    """Words, word pairs and the opening word of a lower-cased reply."""
    words = _TOKEN.findall(norm)
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    if words:
        found.add("^" + words[0])
    return found


@frozen
class Weights:
    bias: dict[str, float]
    words: dict[str, dict[str, float]]

    def score(self, norm: str, target: str) -> tuple[float, list[str]]:
        """The reply's score towards `target` (> 0 leans that way) and the words that pulled most."""
        found = features(norm)
        weights = self.words[target]
        pulls = sorted(((weights[f], f) for f in found if f in weights), reverse=True)
        total = self.bias[target] + sum(w for w, _ in pulls)
        shown = [f for w, f in pulls if w > 0 and not f.startswith("^") and f not in ("?", "!") and f in norm][:4]
        return total, shown


def learn(rows: list[tuple[str, str]], epochs: int = 30, rate: float = 0.3, decay: float = 1e-3) -> Weights:
    """Logistic regression, one target at a time, with a fixed shuffle (the same labelled set
    always gives the same weights)."""
    samples = [(features(" ".join(text.lower().replace("\u2019", "'").split())), tone) for text, tone in rows]
    bias: dict[str, float] = {}
    words: dict[str, dict[str, float]] = {}
    for target in TARGETS:
        w: dict[str, float] = {}
        b = 0.0
        order = list(range(len(samples)))
        for epoch in range(epochs):
            random.Random(epoch).shuffle(order)
            for i in order:
                found, tone = samples[i]
                z = b + sum(w.get(f, 0.0) for f in found)
                p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
                g = p - (1.0 if tone == target else 0.0)
                b -= rate * g
                for f in found:
                    w[f] = w.get(f, 0.0) * (1 - rate * decay) - rate * g
        bias[target] = round(b, 4)
        words[target] = {f: round(v, 4) for f, v in sorted(w.items()) if abs(v) >= 0.02}
    return Weights(bias, words)


def _key(feature: str) -> str:
    return '"' + feature.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dumps(weights: Weights, source: str) -> str:
    lines = [
        "# Word weights the coach falls back on when its rules cannot call a reply.",
        f"# Learnt from {source} by scenario_game/coach_lexicon.py; edit a number, or",
        "# re-learn after adding replies to the labelled set. '^word' is the opening word.",
        "",
        "[bias]",
        *(f"{t} = {weights.bias[t]}" for t in TARGETS),
    ]
    for target in TARGETS:
        lines += ["", f"[words.{target}]"]
        lines += [f"{_key(f)} = {v}" for f, v in sorted(weights.words[target].items(), key=lambda kv: (-abs(kv[1]), kv[0]))]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def load() -> Weights:
    data = tomllib.loads(resources.files("scenario_game").joinpath("data/coach_lexicon.toml").read_text("utf-8"))
    return Weights(dict(data["bias"]), {t: dict(data["words"][t]) for t in TARGETS})


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m scenario_game.coach_lexicon LABELLED.toml [OUT.toml]", file=sys.stderr)
        return 2
    source = Path(args[0])
    out = Path(args[1]) if len(args) > 1 else Path(__file__).parent / "data" / "coach_lexicon.toml"
    rows = [(r["text"], r["tone"]) for r in tomllib.loads(source.read_text("utf-8"))["reply"]]
    out.write_text(dumps(learn(rows), source.name), "utf-8")
    print(f"{out}: weights learnt from {len(rows)} replies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
