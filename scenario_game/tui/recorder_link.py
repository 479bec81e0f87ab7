"""Calls a run recorder (see `runs.Recorder`) on a worker thread, one call at a time and in
order, so saving never blocks the screen and saves never overtake each other."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class RecorderLink:
    def __init__(self, recorder, on_error: Callable[[BaseException], None]) -> None:
        self.recorder = recorder
        self.on_error = on_error
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconnect-recorder")

    def send(self, method: str, *args) -> Future:
        """Queue `recorder.<method>(*args)`; a failure is passed to `on_error` (from the worker thread)."""

        def call() -> None:
            try:
                getattr(self.recorder, method)(*args)
            except BaseException as error:  # a failed save must not end the game
                self.on_error(error)

        return self._thread.submit(call)

    def wait(self, timeout: float | None = 10) -> None:
        """Block until every queued call has run (for tests and for leaving the app)."""
        self._thread.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self._thread.shutdown(wait=False)
