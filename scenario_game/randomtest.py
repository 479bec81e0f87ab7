"""`scenario-game randomtest FILE`: many seeded random playthroughs, for authors.

Each play starts at the first chapter and takes a random open reply at every stop until
an ending (or a stuck node). What comes back says which endings play reaches and how
often, the meters' range at each ending, which nodes and replies no play reached, and
how fast the engine went. The same seed always gives the same plays.
"""

from __future__ import annotations

import random
import time


from . import engine
from .model import Scenario
from .records import frozen

MAX_REPLIES = 10_000  # replies one play may take before it counts as going round for ever


@frozen
class RandomTest:
    plays: int
    seed: int
    choices: int  # replies taken, over every play
    seconds: float
    endings: dict  # ending id -> plays that ended there (endings in file order, reached or not)
    meters: dict  # ending id -> {meter: (lowest, highest)} over the plays that ended there
    stuck: dict  # node id -> plays that got stuck there
    endless: dict  # node id -> plays stopped there after MAX_REPLIES replies (a loop no reply leaves)
    unreached: tuple  # node ids no play entered, in file order
    unreached_replies: tuple  # (node id, reply number from 1) never taken, in file order

    def as_data(self, scenario: Scenario) -> dict:
        return {
            "plays": self.plays,
            "seed": self.seed,
            "choices": self.choices,
            "seconds": round(self.seconds, 6),
            "plays_per_second": round(self.plays / self.seconds, 1) if self.seconds else None,
            "choices_per_second": round(self.choices / self.seconds, 1) if self.seconds else None,
            "endings": dict(self.endings),
            "ending_titles": {e.id: e.title for e in scenario.endings},
            "meters": {ending: {name: list(bounds) for name, bounds in ranges.items()} for ending, ranges in self.meters.items()},
            "stuck": dict(self.stuck),
            "endless": dict(self.endless),
            "unreached": list(self.unreached),
            "unreached_replies": [{"node": node, "reply": number} for node, number in self.unreached_replies],
        }

    def lines(self, scenario: Scenario) -> list[str]:
        out = [f"{self.plays} plays, {self.choices} replies taken (seed {self.seed})", "endings:"]
        width = max((len(str(count)) for count in self.endings.values()), default=1)
        for ending in scenario.endings:
            count = self.endings[ending.id]
            share = f"{100 * count / self.plays:5.1f}%" if self.plays else "    -"
            line = f"  {count:>{width}}  {share}  {ending.title} ({ending.id})"
            if count:
                ranges = ", ".join(f"{m.label} {lo} to {hi}" for m in scenario.meters for lo, hi in [self.meters[ending.id][m.name]])
                line += f": {ranges}"
            out.append(line)
        for node, count in self.stuck.items():
            out.append(f"  stuck at node {node!r} in {count} play{'s' if count != 1 else ''}")
        for node, count in self.endless.items():
            out.append(f"  still going after {MAX_REPLIES:,} replies, at node {node!r}, in {count} play{'s' if count != 1 else ''}")
        if self.unreached:
            shown = ", ".join(self.unreached[:20]) + (f", ... ({len(self.unreached)} in all)" if len(self.unreached) > 20 else "")
            out.append(f"nodes never reached: {shown}")
        else:
            out.append("nodes never reached: none")
        if self.unreached_replies:
            pairs = [f"{node} #{number}" for node, number in self.unreached_replies]
            shown = ", ".join(pairs[:20]) + (f", ... ({len(pairs)} in all)" if len(pairs) > 20 else "")
            out.append(f"replies never taken: {shown}")
        else:
            out.append("replies never taken: none")
        if self.seconds > 0:
            out.append(f"speed: {self.plays / self.seconds:,.0f} plays/s, {self.choices / self.seconds:,.0f} choices/s ({self.seconds:.3f} s)")
        return out


def randomtest(scenario: Scenario, plays: int = 1000, seed: int = 0) -> RandomTest:
    """Play `plays` random runs with the engine, replies picked by a seeded generator."""
    rng = random.Random(seed)
    pick = rng.randrange
    names = [m.name for m in scenario.meters]
    endings = {e.id: 0 for e in scenario.endings}
    meters: dict = {}
    stuck: dict = {}
    endless: dict = {}
    nodes_seen: set[str] = set()
    replies_seen: set[tuple[str, int]] = set()
    choices = 0
    CHOOSING, CHAPTER_END = engine.CHOOSING, engine.CHAPTER_END
    open_choices, choose, next_chapter = engine.open_choices, engine.choose, engine.next_chapter
    began = time.perf_counter()
    for _ in range(plays):
        state = engine.start(scenario)
        nodes_seen.update(state.passed)
        budget = MAX_REPLIES
        while True:
            status = state.status
            if status == CHOOSING:
                if not budget:
                    break
                budget -= 1
                offered = open_choices(scenario, state)
                choice = offered[pick(len(offered))]
                replies_seen.add((state.node, choice.index))
                state, _ = choose(scenario, state, choice)
                choices += 1
            elif status == CHAPTER_END:
                state = next_chapter(scenario, state)
            else:
                break
            nodes_seen.update(state.passed)
        if state.status == engine.ENDED:
            endings[state.ending] += 1
            found = meters.setdefault(state.ending, {})
            for name, value in zip(names, (v for _, v in state.meters)):
                lo, hi = found.get(name, (value, value))
                found[name] = (min(lo, value), max(hi, value))
        elif state.status == CHOOSING:
            endless[state.node] = endless.get(state.node, 0) + 1
        else:
            stuck[state.node] = stuck.get(state.node, 0) + 1
    seconds = time.perf_counter() - began
    unreached = tuple(n for n in scenario.nodes if n not in nodes_seen)
    never = tuple((n.id, c.index + 1) for n in scenario.nodes.values() for c in n.choices if (n.id, c.index) not in replies_seen)
    return RandomTest(plays, seed, choices, seconds, endings, meters, stuck, endless, unreached, never)
