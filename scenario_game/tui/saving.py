"""Saving off the screen's thread: a session observer that hands each event to the run
recorder on one worker thread, in order, so saving never blocks a frame and saves never
overtake each other. Events carry frozen `History` values, so the thread never reads the
live session."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import Outcome
    from ..session import ChapterStart, History, Observer, Step


class SavingThread:
    """A `session.Observer` that forwards to the observer `make()` builds (on the saving
    thread, when first needed, so the saving code is not imported before the first frame).
    With `held=True` the events wait for `release()`."""

    def __init__(self, make: Callable[[], Observer], on_error: Callable[[BaseException], None], *, held: bool = False) -> None:
        self._make = make
        self.observer: Observer | None = None
        self.on_error = on_error
        from concurrent.futures import ThreadPoolExecutor  # (not before the first frame: see firstscene.py)

        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconnect-recorder")
        self._held: list[Callable[[Observer], None]] | None = [] if held else None

    def _send(self, event: Callable[[Observer], None]) -> None:
        def call() -> None:
            try:
                if self.observer is None:
                    self.observer = self._make()
                event(self.observer)
            except BaseException as error:  # a failed save must not end the game
                self.on_error(error)

        if self._held is not None:
            self._held.append(event)
        else:
            self._thread.submit(call)

    # --- session.Observer -----------------------------------------------------------

    def chapter_started(self, history: History, start: ChapterStart) -> None:
        self._send(lambda observer: observer.chapter_started(history, start))

    def step_taken(self, history: History, step: Step, outcome: Outcome) -> None:
        self._send(lambda observer: observer.step_taken(history, step, outcome))

    def moved(self, history: History) -> None:
        self._send(lambda observer: observer.moved(history))

    def ended(self, history: History) -> None:
        self._send(lambda observer: observer.ended(history))

    # --- the thread -----------------------------------------------------------------

    def hold(self) -> None:
        """Keep the events from now on until `release()` (while a frame is being drawn)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Send the events held so far, in order; later ones go straight to the thread."""
        held, self._held = self._held, None
        for event in held or ():
            self._send(event)

    def wait(self, timeout: float | None = 10) -> None:
        """Block until every event sent has been handled (for tests and for leaving the app)."""
        self.release()
        self._thread.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self.release()
        self._thread.shutdown(wait=False)
