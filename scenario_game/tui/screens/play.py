"""The play screen: who you are talking to, the scene so far, the replies on offer, the
meters, and the feedback after each reply. It only presents: every move is a call on the
play session (`scenario_game.session`), which it observes like the run recorder does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Static

from collections.abc import Callable
from functools import partial

from ..collecting import collect_soon
from ..messages import NEXT, REPLAY, AGAIN
from ..render import literal
from ..saving import SavingThread
from ..widgets.choices import ChoiceList
from ..widgets.feedback import FeedbackPanel
from ..widgets.footer import KeyFooter
from ..widgets.meters import MeterPanel
from ..widgets.transcript import Transcript
from .base import BaseScreen

if TYPE_CHECKING:  # the model is imported once the story is read (see `PlayScreen.attach`)
    from ...engine import Outcome, State
    from ...firstscene import SceneCard
    from ...model import Choice, Scenario
    from ...own_words import OwnWords
    from ...session import ChapterStart, History, Observer, Session, Step

CHOOSING, FEEDBACK, AWAY, STOPPED = "choosing", "feedback", "away", "stopped"
# The engine's status words (engine.CHOOSING ...), said here so this module can be imported,
# and the screen drawn from a scene card, before the model is (tests check they agree).
ENGINE_CHOOSING, ENGINE_CHAPTER_END, ENGINE_ENDED = "choosing", "chapter_end", "ended"
FRAME_OUT_SECONDS = 0.004  # long enough for the writer thread to send a frame (see `after_frame`)


def _breakpoint(size: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class Textual gives a screen of `size` cells (the breakpoints include 0)."""
    return max(point for point in breakpoints if size >= point[0])[1]


def _ready_the_coach() -> None:
    """The coach (its module, rules and word weights) is loaded on a thread of its own while
    the player writes, so reading the reply does not wait for it; it is not loaded before the
    player first writes."""
    import sys

    if "scenario_game.coach" in sys.modules:
        return

    def load() -> None:
        from ...coach import read

        read("I feel left out when plans change.")  # loads and compiles what reading needs

    import threading

    threading.Thread(target=load, name="reconnect-coach", daemon=True).start()


class PlayScreen(BaseScreen):
    """Plays a session (started here if it has not been). `recorder` builds the observer
    that saves the run; it is built and called on a saving thread. With `go_on`, a session
    that stands at a chapter's end goes on with the next chapter.

    Made with `preview` (a scene card, firstscene.py) and no session, it draws the opening
    scene from the card, with its replies in the order `seed` gives, before the story is
    compiled; `attach` then hands it the session, and keys pressed in between count then."""

    # Textual repaints the whole screen when focus moves; the widgets that gain and lose
    # focus restyle and repaint themselves anyway, so a reply repaints only what changed.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("1", "pick(1)", "Reply", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", f"Reply {n}", show=False) for n in range(2, 10)),
        Binding("w", "write", "Your words"),
        Binding("k", "keep_words", "Keep your written words in the save: on/off", show=False),
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_story(1)", "Scroll down", show=False),
        # Enter is the screen's (the reply list hands it here too), so a reply key and Enter
        # typed together both count, in order: the reply is taken at once, and Enter then
        # continues past its feedback, even before the feedback has been drawn.
        Binding("enter", "enter", "Take the reply / continue", show=False),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(
        self,
        session: Session | None,
        *,
        recorder: Callable[[], Observer] | None = None,
        go_on: bool = False,
        name: str | None = None,
        preview: SceneCard | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(name=name)
        self.session = session
        self.preview = preview if session is None else None
        self.preview_seed = seed
        self._queued: list[tuple[str, tuple]] = []  # keys pressed before the session was attached
        self._saving: SavingThread | None = None
        self.mode = CHOOSING
        self.mood: str | None = None
        if session is None:
            assert preview is not None, "a play screen needs a session or a scene card"
            self.partner = preview.partner or None
        else:
            self._begin(session, recorder, go_on)
        self.last_outcome: Outcome | None = None
        self.own_words: OwnWords | None = None  # words the coach could not match: the player picks

    def _begin(self, session: Session, recorder: Callable[[], Observer] | None, go_on: bool = False) -> None:
        if recorder is not None:
            # Saving waits until the screen has drawn its first frame (see SavingThread).
            self._saving = SavingThread(recorder, self._recorder_failed, held=True)
            session.watch(self._saving)
        if not session.started:
            session.start()
        if go_on and session.state.status == ENGINE_CHAPTER_END and not session.single_chapter:
            session.go_on()  # a saved run that stopped between chapters goes on with the next
        self.partner = session.scenario.partner

    @property
    def scenario(self) -> Scenario | None:
        """The story played (None while the screen shows a scene card, before `attach`)."""
        return self.session.scenario if self.session is not None else None

    @property
    def state(self) -> State:
        return self.session.state

    @property
    def single_chapter(self) -> bool:
        return self.session.single_chapter

    @property
    def run_steps(self) -> list[Step]:
        """Every reply on the run's path (across chapters, resumes and reloads)."""
        return list(self.session.steps)

    @property
    def chapter_steps(self) -> list[Step]:
        return list(self.session.chapter_steps())

    @property
    def saves_run(self) -> bool:
        return self._saving is not None and not self.placeholder

    @property
    def recorder(self) -> Observer | None:
        """The observer saving the run, once built (after the first event reached it)."""
        return self._saving.observer if self._saving is not None else None

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
        if self.preview is not None:
            meters, values = self.preview.gauges, {gauge.name: gauge.value for gauge in self.preview.gauges}
        else:
            meters, values = self.scenario.meters, self.state.meter_values
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Transcript(self.scenario, id="transcript")
                yield ChoiceList(id="choices")
                yield FeedbackPanel(id="feedback")
            yield MeterPanel(meters, values, id="meters")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#feedback").display = False
        if self.preview is not None:
            self._show_preview(self.preview)
        else:
            self.session.watch(self)
            self._show_chapter()
            if self._saving is not None:
                self.call_after_refresh(self._saving.release)
        self.app.call_after_refresh(self.app.first_screen_shown, "play")

    # --- drawn from a scene card, then handed the session -------------------------------

    def _show_preview(self, card: SceneCard) -> None:
        """What `_show_chapter` shows of a new run, from the card."""
        self.transcript.add_heading(card.chapter_title)
        self.transcript.add_lines(card.lines)
        self._note_speakers(card.lines)
        self._show_where_as(card.title, card.chapter_number, card.chapters, card.chapter_title)
        self.choices.set_choices(card.offered(self.preview_seed))
        self.choices.display = True
        self.choices.focus()

    def attach(self, session: Session, recorder: Callable[[], Observer] | None = None) -> None:
        """Play `session` (new, not started; the app has checked that it opens as the card
        says) on this screen, which already shows its opening; then the keys pressed meanwhile."""
        partner = self.partner  # as the card's lines showed it (`_begin` would reset it)
        self.session = session
        self._begin(session, recorder)
        self.partner = partner
        self.transcript.scenario = session.scenario
        self.meters.use_meters(session.scenario.meters)
        self.choices.replace_choices(session.offered())
        self.preview = None
        session.watch(self)
        if self._saving is not None:
            self._saving.release()  # the first frame is long out
        queued, self._queued = self._queued, []
        for action, arguments in queued:
            getattr(self, action)(*arguments)

    # Set when this screen, the app's first, is done with (its scene card was wrong, or play
    # left it): Textual cannot take the first screen away, so it stays below, unused.
    placeholder = False

    def forget_keys(self) -> None:
        self._queued = []

    def _waiting(self, action: str, *arguments) -> bool:
        """True (and the move kept for `attach`) while there is no session to make it on."""
        if self.session is not None:
            return False
        self._queued.append((action, arguments))
        return True

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
    def run_saved(self) -> bool:
        """Something of this run is on disk: it is being saved and has at least one reply."""
        return self.saves_run and self.session is not None and bool(self.session.steps)

    @property
    def in_progress(self) -> bool:
        """A run is under way (not yet at an ending, and not stopped by an authoring error);
        not while the screen shows a scene card: no reply can have been taken yet."""
        return self.session is not None and not self.placeholder and self.mode not in (STOPPED,) and not self.state.finished

    # --- saving -------------------------------------------------------------------------

    def _recorder_failed(self, error: BaseException) -> None:
        self.app.call_from_thread(self.app.notify, f"The run could not be saved: {error}", title="Saving", severity="error", timeout=8, markup=False)

    def wait_for_recorder(self) -> None:
        if self._saving is not None:
            self._saving.wait()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.unwatch(self)
        if self._saving is not None:
            self.session.unwatch(self._saving)
            self._saving.close()

    # --- what the session announces -----------------------------------------------------

    def chapter_started(self, history: History, start: ChapterStart) -> None:
        self._show_chapter()

    def step_taken(self, history: History, step: Step, outcome: Outcome) -> None:
        pass  # shown by `_chosen`, which splits the work over two frames

    def moved(self, history: History) -> None:
        pass

    def ended(self, history: History) -> None:
        pass

    # --- showing the state --------------------------------------------------------------

    def _show_chapter(self) -> None:
        """Show the current chapter as played so far: its title, the scenes, the replies taken."""
        from ...session import Reply

        self.transcript.add_heading(self.scenario.chapter(self.state.chapter).title)
        for part in self.session.transcript():
            if isinstance(part, Reply):
                step = part.step
                self.transcript.add_reply(self.scenario.nodes[step.node].choices[step.index], step.shown, step.written)
            else:
                self._show_nodes(part.nodes)
        # No reply moved the meters here (a new chapter, a replay, a resumed run): no delta.
        self.meters.update_values(self.state.meter_values, quiet=True)
        self._after_move()

    def _show_nodes(self, node_ids) -> None:
        nodes = [self.scenario.nodes[node_id] for node_id in node_ids]
        self.transcript.add_lines(nodes)
        self._note_speakers(nodes)

    def _note_speakers(self, nodes) -> None:
        """The partner's latest mood, from the nodes (or a card's lines) just shown."""
        for node in nodes:
            if node.speaker and (self.partner is None or node.speaker == self.partner):
                self.partner = node.speaker
                self.mood = node.mood or None
        self._show_partner()

    def _show_where(self) -> None:
        chapter = self.scenario.chapter(self.state.chapter)
        index = self.scenario.chapter_index(chapter.id)
        self._show_where_as(self.scenario.title, index + 1, len(self.scenario.chapters), chapter.title)

    def _show_where_as(self, title: str, number: int, chapters: int, chapter_title: str) -> None:
        self.query_one("#where", Static).update(
            Content.assemble(
                literal(title, "bold $primary"),
                ("  ·  ", "$foreground-muted"),
                (f"{number}/{chapters} ", "$foreground-muted"),
                literal(chapter_title),
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
        if status == ENGINE_CHOOSING:
            self.mode = CHOOSING
            self.choices.set_choices(self.session.offered())
            self.choices.display = True
            self.choices.focus()
        elif status == ENGINE_CHAPTER_END:
            self._chapter_ended()
        elif status == ENGINE_ENDED:
            self._show_ending()
        else:
            self.mode = STOPPED
            self.choices.display = False
            self.transcript.add_note(f"Play cannot go on: this scenario has an authoring problem. {self.state.problem}")
            self.app.notify("This scenario has an authoring problem; press Esc to go back.", title="Play stopped", severity="error", timeout=10)

    # --- the player's moves -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "write"):
            return self.mode == CHOOSING
        if action == "enter":
            return self.mode in (CHOOSING, FEEDBACK)
        return True

    def action_pick(self, number: int) -> None:
        """Take reply `number` now (not through a message), so a key typed right after it
        already finds the feedback on screen."""
        if self._waiting("action_pick", number):
            return
        offered = self.choices.choices
        if self.mode == CHOOSING and 1 <= number <= len(offered):
            self._take(offered[number - 1], number)

    def action_enter(self) -> None:
        if self._waiting("action_enter"):
            return
        if self.mode == FEEDBACK:
            self._go_on()
        elif self.mode == CHOOSING and self.choices.display and self.choices.highlighted is not None:
            self.action_pick(self.choices.highlighted + 1)

    def action_scroll_story(self, direction: int) -> None:
        if direction < 0:
            self.transcript.scroll_page_up()
        else:
            self.transcript.scroll_page_down()

    # --- say it your own way ----------------------------------------------------------

    def action_write(self) -> None:
        """Write a reply in your own words; the coach reads it (see `_written`)."""
        if self.mode != CHOOSING or self._waiting("action_write"):
            return
        again = self.own_words.text if self.own_words is not None else ""
        from ..dialogs.write_reply import WriteReplyScreen  # the first time the player writes

        _ready_the_coach()
        self.app.push_screen(WriteReplyScreen(self.partner, self.session.keep_words, again), self._written)

    def _written(self, text: str | None) -> None:
        if self.mode != CHOOSING:
            return
        if not text:  # empty, or Escape: back to the replies as they were
            self.choices.focus()
            return
        from ...own_words import say_it

        own = say_it(text, self.session.offered(), self.scenario)
        if own.choice is not None:
            self._stop_picking()
            self._take(own.choice, own.number, own)
            return
        # The coach cannot tell: its reading stays above the replies, and the player picks.
        self.own_words = own
        self.add_class("-picking")
        self.feedback.show_reading(own, self.scenario)
        self.feedback.display = True
        self.choices.border_title = "Pick the reply nearest your words"
        self.choices.display = True
        self.choices.focus()

    def _stop_picking(self) -> None:
        self.own_words = None
        self.remove_class("-picking")
        self.choices.border_title = None

    def action_keep_words(self) -> None:
        """Keep (or not) the replies written in your own words in this run's save."""
        if self._waiting("action_keep_words"):
            return
        keep = not self.session.keep_words
        self.session.set_keep_words(keep)
        self.app.notify(
            "Replies you write in your own words are kept in this run's save."
            if keep
            else "Replies you write in your own words are no longer kept in this run's save (words kept already stay).",
            title="Your words",
            markup=False,
        )

    @on(ChoiceList.Chosen)
    def _chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        if self._waiting("action_pick", event.number):
            return
        self._take(event.choice, event.number)

    def _take(self, choice: Choice, number: int, own: OwnWords | None = None) -> None:
        """Take `choice`; `own`: the player's words it stands for (when they wrote them)."""
        if self.mode != CHOOSING:
            return
        if own is None and self.own_words is not None:  # picked after the coach could not tell: the words go with it
            import attrs

            own = attrs.evolve(self.own_words, choice=choice, number=number)
        self._stop_picking()
        # Saved once the frame is out: the saving thread would otherwise share the
        # interpreter with the work of drawing it.
        if self._saving is not None:
            self._saving.hold()
        step, outcome = self.session.take_choice(choice, number, own.text if own is not None else None)
        after = self.state
        self.last_outcome = outcome
        # The feedback and the meters first, so the key's effect is painted in the next
        # frame; the reply and the partner's answer join the transcript just after it.
        self.mode = FEEDBACK
        # The feedback takes the replies' place at the replies' height for this first frame,
        # so the story above keeps its size and nothing of it is laid out or drawn again;
        # the panel grows to fit just after.
        self.feedback.styles.height = self.choices.outer_size.height or None
        self.choices.display = False
        self.feedback.show_outcome(outcome, own, self.scenario)
        self.feedback.display = True
        self.meters.update_values(after.meter_values)
        # Claim the next frame for the layout now: the widgets' own requests reach the
        # screen only after it has been idle once, and an idle screen with nothing to draw
        # runs its after-refresh callbacks at once, before the frame.
        self.refresh(layout=True, repaint=False)
        self.after_frame(self._fit_feedback)
        self.after_frame(self._focus_feedback)  # moving the focus restyles both panels
        self.after_frame(self._tell, choice, number, outcome.passed, step.written)
        if self._saving is not None:
            self.after_frame(self._saving.release)
        collect_soon(self)  # the garbage of this move is collected while the player reads

    def after_frame(self, callback: Callable[..., object], *args: object) -> None:
        """Call `callback(*args)` once the next frame is out on the terminal, not merely
        drawn: Textual hands a frame to a writer thread, and work started at once on this
        thread would keep that thread waiting for the interpreter, so the frame would reach
        the screen only after the work. A short idle pause lets it go first."""
        self.call_after_refresh(self.set_timer, FRAME_OUT_SECONDS, partial(callback, *args))

    def _fit_feedback(self) -> None:
        self.feedback.styles.height = None  # back to the style sheet's height: as tall as it needs

    def _focus_feedback(self) -> None:
        if self.mode == FEEDBACK:  # not if Enter, typed at once, has already gone on
            self.feedback.focus()

    def _tell(self, choice, number: int, passed, written: str | None = None) -> None:
        self.transcript.add_reply(choice, number, written)
        # The mood shown is the one the partner answers this move with, never an older one.
        self.mood = None
        self._show_nodes(passed)

    @on(FeedbackPanel.Continue)
    def _continue(self, event: FeedbackPanel.Continue) -> None:
        event.stop()
        self._go_on()

    def _go_on(self) -> None:
        if self.mode != FEEDBACK:
            return
        self.feedback.display = False
        self._after_move()

    # --- chapter end and ending ---------------------------------------------------------

    def _chapter_ended(self) -> None:
        self.mode = AWAY
        session = self.session
        self.app.show_chapter_end(
            session.scenario,
            self.state.chapter,
            session.meter_points(),
            session.outcomes(session.chapter_steps()),
            self.state,
            offer_next=not self.single_chapter,
            then=self._chapter_pick,
        )

    def _chapter_pick(self, pick: str | None) -> None:
        if pick == NEXT:
            self.session.go_on()  # a new chapter is shown when the session announces it
            if self.state.status == ENGINE_ENDED:
                self._show_ending()
        elif pick == REPLAY:
            self.transcript.add_note("You take this chapter again from its start.")
            self.session.replay_chapter()
        else:
            self.mode = AWAY
            self.app.leave_play()

    def _show_ending(self) -> None:
        self.mode = STOPPED
        self.choices.display = False
        session = self.session
        self.app.show_ending(session.scenario, self.state, session.meter_points(whole_run=True), session.outcomes(), then=self._ending_pick)

    def _ending_pick(self, pick: str | None) -> None:
        if pick == AGAIN:
            self.app.replace_top(self.app.new_play_screen(self.scenario))
        else:
            self.app.leave_play()

    def action_back(self) -> None:
        if self._waiting("action_back"):
            return
        if self.own_words is not None and self.mode == CHOOSING:  # forget the words, choose as usual
            self._stop_picking()
            self.feedback.display = False
            self.choices.focus()
            return
        if not self.in_progress:
            self.app.leave_play()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.mode = STOPPED
                self.app.leave_play()

        self.app.push_screen(self.app.leave_question("Leave this run?"), answered)
