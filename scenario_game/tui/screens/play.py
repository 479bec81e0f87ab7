"""The play screen: who you are talking to, the scene so far, the replies on offer, the
meters, and the feedback after each reply. It only presents: every move is an engine call."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Static

from ... import engine
from ...engine import Outcome, State
from ...model import Scenario
from ..recorder_link import RecorderLink
from ..render import literal
from ..widgets.choices import ChoiceList
from ..widgets.feedback import FeedbackPanel
from ..widgets.footer import KeyFooter
from ..widgets.meters import MeterPanel
from ..widgets.transcript import Transcript
from .base import BaseScreen

CHOOSING, FEEDBACK, AWAY, STOPPED = "choosing", "feedback", "away", "stopped"


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class Textual gives a screen of `size` cells (the breakpoints include 0)."""
    return max(point for point in breakpoints if size >= point[0])[1]


class PlayScreen(BaseScreen):
    """Plays `scenario` from `state` (default: the start, or `chapter`'s start)."""

    # Textual repaints the whole screen when focus moves; the widgets that gain and lose
    # focus restyle and repaint themselves anyway, so a reply repaints only what changed.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("1", "pick(1)", "Reply", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", f"Reply {n}", show=False) for n in range(2, 10)),
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_story(1)", "Scroll down", show=False),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(
        self,
        scenario: Scenario,
        state: State | None = None,
        *,
        chapter: str | None = None,
        recorder=None,
        single_chapter: bool = False,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.scenario = scenario
        self.state = state if state is not None else engine.start(scenario, chapter)
        self.single_chapter = single_chapter
        self.recorder = recorder
        self._link: RecorderLink | None = None
        self.mode = CHOOSING
        self.partner = scenario.partner
        self.mood: str | None = None
        self.run_steps: list[tuple[State, Outcome]] = []  # (after, outcome) for the whole run
        self.chapter_steps: list[tuple[State, Outcome]] = []  # the same, since the chapter began
        self.run_states: list[State] = []  # every state that may have moved a meter, for the charts
        self.chapter_states: list[State] = []
        self.last_outcome: Outcome | None = None

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The size classes the first resize would set, set before the widgets exist: otherwise
        # that resize restyles every widget of the screen just before the first frame.
        width, height = self.app.size
        on = {_breakpoint(width, self.HORIZONTAL_BREAKPOINTS), _breakpoint(height, self.VERTICAL_BREAKPOINTS)}
        for _, name in self.HORIZONTAL_BREAKPOINTS + self.VERTICAL_BREAKPOINTS:
            self.set_class(name in on, name)
        with Horizontal(id="topbar"):
            yield Static(id="where")
            yield Static(id="partner")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Transcript(self.scenario, id="transcript")
                yield ChoiceList(id="choices")
                yield FeedbackPanel(id="feedback")
            yield MeterPanel(self.scenario.meters, self.state.meter_values, id="meters")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#feedback").display = False
        self._begin_chapter(self.state)
        self.app.call_after_refresh(self.app.first_screen_shown, "play")

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    @property
    def transcript(self) -> Transcript:
        return self.query_one("#transcript", Transcript)

    @property
    def feedback(self) -> FeedbackPanel:
        return self.query_one("#feedback", FeedbackPanel)

    @property
    def meters(self) -> MeterPanel:
        return self.query_one("#meters", MeterPanel)

    @property
    def in_progress(self) -> bool:
        """A run is under way (not yet at an ending, and not stopped by an authoring error)."""
        return self.mode not in (STOPPED,) and not self.state.finished

    # --- recorder seam ------------------------------------------------------------------

    def _record(self, method: str, *args) -> None:
        if self.recorder is None:
            return
        if self._link is None:
            # Calls wait until the screen has drawn its first frame (see RecorderLink).
            self._link = RecorderLink(self.recorder, self._recorder_failed, held=True)
            self.call_after_refresh(self._link.release)
        self._link.send(method, *args)

    def _recorder_failed(self, error: BaseException) -> None:
        self.app.call_from_thread(self.app.notify, f"The run could not be saved: {error}", title="Saving", severity="error", timeout=8, markup=False)

    def wait_for_recorder(self) -> None:
        if self._link is not None:
            self._link.wait()

    def on_unmount(self) -> None:
        if self._link is not None:
            self._link.close()

    # --- showing the state --------------------------------------------------------------

    def _begin_chapter(self, state: State) -> None:
        """Show a chapter's start: its title, the nodes entered, then what comes next."""
        self.state = state
        self.chapter_steps = []
        self.chapter_states = [state]
        self.run_states.append(state)
        self.transcript.add_heading(self.scenario.chapter(state.chapter).title)
        self._record("on_chapter", state)
        self._show_nodes(state.passed)
        self.meters.update_values(state.meter_values)
        self._show_where()
        self._after_move()

    def _show_nodes(self, node_ids) -> None:
        self.transcript.add_nodes(node_ids)
        for node_id in node_ids:
            node = self.scenario.nodes[node_id]
            if node.speaker and (self.partner is None or node.speaker == self.partner):
                self.partner = node.speaker
                self.mood = node.mood
        self._show_partner()

    def _show_where(self) -> None:
        chapter = self.scenario.chapter(self.state.chapter)
        index = self.scenario.chapter_index(chapter.id)
        self.query_one("#where", Static).update(
            Content.assemble(
                literal(self.scenario.title, "bold $primary"),
                ("  ·  ", "$foreground-muted"),
                (f"{index + 1}/{len(self.scenario.chapters)} ", "$foreground-muted"),
                literal(chapter.title),
            )
        )

    def _show_partner(self) -> None:
        if self.partner is None:
            text = Content("")
        elif self.mood:
            text = Content.assemble(literal(self.partner, "bold"), ("  feels ", "$foreground-muted"), literal(self.mood, "italic $accent"))
        else:
            text = literal(self.partner, "bold")
        self.query_one("#partner", Static).update(text)

    def _after_move(self) -> None:
        """Offer the next replies, or go to the chapter's end, the ending, or the problem."""
        status = self.state.status
        self._show_where()
        if status == engine.CHOOSING:
            self.mode = CHOOSING
            self.choices.set_choices(engine.open_choices(self.scenario, self.state))
            self.choices.display = True
            self.choices.focus()
        elif status == engine.CHAPTER_END:
            self._chapter_ended()
        elif status == engine.ENDED:
            self._show_ending()
        else:
            self.mode = STOPPED
            self.choices.display = False
            self.transcript.add_note(f"Play cannot go on: this scenario has an authoring problem. {self.state.problem}")
            self.app.notify("This scenario has an authoring problem; press Esc to go back.", title="Play stopped", severity="error", timeout=10)

    # --- the player's moves -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            return self.mode == CHOOSING
        return True

    def action_pick(self, number: int) -> None:
        if self.mode == CHOOSING:
            self.choices.pick(number)

    def action_scroll_story(self, direction: int) -> None:
        if direction < 0:
            self.transcript.scroll_page_up()
        else:
            self.transcript.scroll_page_down()

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        if self.mode != CHOOSING:
            return
        before = self.state
        after, outcome = engine.choose(self.scenario, before, event.choice)
        self.state = after
        self.last_outcome = outcome
        self.run_steps.append((after, outcome))
        self.chapter_steps.append((after, outcome))
        self.chapter_states.append(after)
        self.run_states.append(after)
        # Saved once the frame is out: the saving thread would otherwise share the
        # interpreter with the work of drawing it.
        self.call_after_refresh(self._record, "on_step", before, after, outcome, event.number)
        # The feedback and the meters first, so the key's effect is painted in the next
        # frame; the reply and the partner's answer join the transcript a frame later.
        self.mode = FEEDBACK
        self.choices.display = False
        self.feedback.show_outcome(outcome)
        self.feedback.display = True
        self.meters.update_values(after.meter_values)
        # Claim the next frame for the layout now: the widgets' own requests reach the
        # screen only after it has been idle once, and an idle screen with nothing to draw
        # runs its after-refresh callbacks at once, before the frame. Moving the focus
        # (which restyles both panels) waits for the frame as well.
        self.refresh(layout=True, repaint=False)
        self.call_after_refresh(self.feedback.focus)
        self.call_after_refresh(self._tell, event.choice, event.number, outcome.passed)

    def _tell(self, choice, number: int, passed) -> None:
        self.transcript.add_reply(choice, number)
        self._show_nodes(passed)

    @on(FeedbackPanel.Continue)
    def _continue(self, event: FeedbackPanel.Continue) -> None:
        event.stop()
        if self.mode != FEEDBACK:
            return
        self.feedback.display = False
        self._after_move()

    # --- chapter end and ending ---------------------------------------------------------

    def _chapter_points(self, states: list[State]) -> list[dict[str, int]]:
        from .chapter_end import meter_points  # the chapter-end and ending screens load when first needed

        first = states[0]
        start = dict(first.chapter_start.meters) if first.chapter_start is not None else first.meter_values
        return meter_points(start, states)

    def _chapter_ended(self) -> None:
        from .chapter_end import ChapterEndScreen

        self.mode = AWAY
        screen = ChapterEndScreen(
            self.scenario,
            self.state.chapter,
            self._chapter_points(self.chapter_states),
            self.chapter_steps,
            self.state,
            offer_next=not self.single_chapter,
        )
        self.app.push_screen(screen, self._chapter_pick)

    def _chapter_pick(self, pick: str | None) -> None:
        from .chapter_end import NEXT, REPLAY

        if pick == NEXT:
            moved = engine.next_chapter(self.scenario, self.state)
            self._record("on_move", moved)
            if moved.status == engine.ENDED:
                self.state = moved
                self._show_ending()
            else:
                self._begin_chapter(moved)
        elif pick == REPLAY:
            replayed = engine.restart_chapter(self.scenario, self.state.chapter_start)
            dropped = len(self.chapter_steps)
            if dropped:
                del self.run_steps[-dropped:]
            del self.run_states[-len(self.chapter_states):]
            self.transcript.add_note("You take this chapter again from its start.")
            self._begin_chapter(replayed)
        else:
            self.mode = AWAY
            self.app.leave_play()

    def _show_ending(self) -> None:
        from .ending import EndingScreen

        self.mode = STOPPED
        self.choices.display = False
        self.app.push_screen(EndingScreen(self.scenario, self.state, self._chapter_points(self.run_states), self.run_steps), self._ending_pick)

    def _ending_pick(self, pick: str | None) -> None:
        from .ending import AGAIN

        if pick == AGAIN:
            self.app.switch_screen(self.app.new_play_screen(self.scenario))
        else:
            self.app.leave_play()

    def action_back(self) -> None:
        if not self.in_progress:
            self.app.leave_play()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.mode = STOPPED
                self.app.leave_play()

        self.app.push_screen(self.app.leave_question("Leave this run?"), answered)
