"""Calls a run recorder (see `runs.Recorder`) on a worker thread, one call at a time and in
order, so saving never blocks the screen and saves never overtake each other."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


class RecorderLink:
    """`held=True` keeps the calls until `release()`, so the saving thread (and the imports
    and file writes it starts with) does not compete with the screen's first frame."""

    def __init__(self, recorder, on_error: Callable[[BaseException], None], *, held: bool = False) -> None:
        self.recorder = recorder
        self.on_error = on_error
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconnect-recorder")
        self._held: list[Callable[[], None]] | None = [] if held else None

    def send(self, method: str, *args) -> None:
        """Queue `recorder.<method>(*args)`; a failure is passed to `on_error` (from the worker thread)."""

        def call() -> None:
            try:
                getattr(self.recorder, method)(*args)
            except BaseException as error:  # a failed save must not end the game
                self.on_error(error)

        if self._held is not None:
            self._held.append(call)
        else:
            self._thread.submit(call)

    def release(self) -> None:
        """Start the calls held so far, in order; later ones go straight to the thread."""
        held, self._held = self._held, None
        for call in held or ():
            self._thread.submit(call)

    def wait(self, timeout: float | None = 10) -> None:
        """Block until every queued call has run (for tests and for leaving the app)."""
        self.release()
        self._thread.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self.release()
        self._thread.shutdown(wait=False)
