"""The summary after a chapter: how the meters moved, each reply and its style, the tally,
and the advice followed and missed. Dismisses with the player's pick: "next", "replay" or "back"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from ...engine import Outcome, State
from ...model import Advice, Scenario
from ..render import badge, delta_text, literal, shared_scale, sparkline
from ..widgets.footer import KeyFooter
from .base import SizeAware

NEXT, REPLAY, BACK = "next", "replay", "back"


def advice_split(outcomes: Sequence[Outcome]) -> tuple[list[Advice], list[Advice]]:
    """The advice the replies followed and the advice they missed, each once, in the order
    first met. A constructive (or neutral) reply follows the advice it cites; a destructive
    one cites the advice it went against. Advice followed once and missed once is in both."""
    followed: dict[str, Advice] = {}
    missed: dict[str, Advice] = {}
    for outcome in outcomes:
        into = missed if outcome.style.tone == "destructive" else followed
        for advice in outcome.advice:
            into.setdefault(advice.id, advice)
    return list(followed.values()), list(missed.values())


def advice_sections(outcomes: Sequence[Outcome]) -> list[Static]:
    """'Advice you followed' (title and source) and 'Advice you missed' (title, what it
    says, and source, so the next try has something to go on)."""
    followed, missed = advice_split(outcomes)
    widgets: list[Static] = []
    if followed:
        widgets.append(Static(Content.styled("Advice you followed", "bold"), classes="section", id="advice-followed"))
        for advice in followed:
            widgets.append(Static(Content.assemble(("✓ ", "bold #8FB996"), literal(advice.title, "bold")), classes="advice-line -followed"))
            if advice.sources:
                widgets.append(Static(Content("\n").join([literal(s, "italic") for s in advice.sources]), classes="advice-sources"))
    if missed:
        widgets.append(Static(Content.styled("Advice you missed: something to try next time", "bold"), classes="section", id="advice-missed"))
        for advice in missed:
            also = "  (you followed it at another moment)" if advice in followed else ""
            widgets.append(
                Static(Content.assemble(("○ ", "bold #E8B460"), literal(advice.title, "bold"), (also, "italic $foreground-muted")), classes="advice-line -missed")
            )
            if advice.text:
                widgets.append(Static(literal(advice.text), classes="advice-text"))
            if advice.sources:
                widgets.append(Static(Content("\n").join([literal(s, "italic") for s in advice.sources]), classes="advice-sources"))
    return widgets


def tone_tally(outcomes: Sequence[Outcome]) -> Counter:
    return Counter(outcome.style.tone for outcome in outcomes)


def tally_line(outcomes: Sequence[Outcome]) -> Content:
    counts = tone_tally(outcomes)
    return Content.assemble(
        ("Constructive ", "$tone-constructive"),
        (str(counts["constructive"]), "bold $tone-constructive"),
        "   ",
        ("Destructive ", "$tone-destructive"),
        (str(counts["destructive"]), "bold $tone-destructive"),
        "   ",
        ("Neutral ", "$tone-neutral"),
        (str(counts["neutral"]), "bold $tone-neutral"),
    )


def trajectories(scenario: Scenario, points: Sequence[dict[str, int]]) -> Content:
    """Each meter's values over `points` (its value at each moment that moved a meter: the
    start, entering the first node, after every reply) as a sparkline, with first -> last.
    All the sparklines share one scale, so 42 -> 60 and 83 -> 97 are drawn at their heights."""
    width = min(14, max((len(m.label) for m in scenario.meters), default=6))
    series = {meter.name: [point[meter.name] for point in points] for meter in scenario.meters}
    scale = shared_scale(series.values())
    lines = []
    for meter in scenario.meters:
        values = series[meter.name]
        first, last = values[0], values[-1]
        lines.append(
            Content.assemble(
                literal(meter.label[:width].ljust(width), "bold"),
                "  ",
                sparkline(values, meter, scale=scale),
                "  ",
                f"{first} -> {last} ",
                delta_text(last - first),
                (f"  (of {meter.min}-{meter.max})", "$foreground-muted"),
            )
        )
    return Content("\n").join(lines)


def meter_points(start: dict[str, int], states: Sequence[State]) -> list[dict[str, int]]:
    """`start`, then each state's meters where they differ from the point before."""
    points = [dict(start)]
    for state in states:
        values = state.meter_values
        if values != points[-1]:
            points.append(values)
    return points


class ChapterEndScreen(SizeAware, Screen[str]):
    BINDINGS = [
        Binding("n", "pick('next')", "Next"),
        Binding("r", "pick('replay')", "Replay chapter"),
        Binding("b", "pick('back')", "Back"),
        Binding("escape", "pick('back')", "Back", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(
        self,
        scenario: Scenario,
        chapter_id: str,
        points: Sequence[dict[str, int]],
        steps: Sequence[tuple[State, Outcome]],
        end_state: State,
        offer_next: bool = True,
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.chapter_id = chapter_id
        self.points = list(points)
        self.steps = list(steps)
        self.end_state = end_state
        self.offer_next = offer_next

    @property
    def outcomes(self) -> list[Outcome]:
        return [outcome for _, outcome in self.steps]

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        index = scenario.chapter_index(self.chapter_id)
        chapter = scenario.chapter(self.chapter_id)
        last = index + 1 == len(scenario.chapters)
        with VerticalScroll(id="summary"):
            yield Static(Content.styled(f"End of chapter {index + 1} of {len(scenario.chapters)}", "$foreground-muted"), classes="kicker")
            yield Static(literal(chapter.title, "bold $primary"), classes="title")
            yield Static(Content.styled("How it moved", "bold"), classes="section")
            yield Static(
                trajectories(scenario, self.points),
                id="trajectories",
            )
            yield Static(Content.styled("Your replies", "bold"), classes="section")
            if self.steps:
                for number, (_, outcome) in enumerate(self.steps, 1):
                    with Horizontal(classes="reply-line"):
                        yield Static(Content.styled(f"{number}.", "bold"), classes="reply-number")
                        yield Static(Content.assemble(badge(outcome.style), "  ", literal(outcome.choice.text)), classes="reply-text")
            else:
                yield Static(Content.styled("No reply was needed in this chapter.", "italic $foreground-muted"))
            yield Static(tally_line(self.outcomes), id="tally")
            yield from advice_sections(self.outcomes)
        with Horizontal(id="actions"):
            if self.offer_next:
                label = "See the ending (n)" if last else "Next chapter (n)"
                yield Button(Content(label), id="next", variant="primary", compact=True)
            yield Button(Content("Replay chapter (r)"), id="replay", compact=True)
            yield Button(Content("Back (b)"), id="back", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#actions Button", Button).focus()

    def action_pick(self, pick: str) -> None:
        if pick == NEXT and not self.offer_next:
            return
        self.dismiss(pick)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_pick(event.button.id)
