"""Live reload for authors (`scenario-game play FILE --watch`): notice that the file was
saved. Re-applying the run's replies to the new version is the play session's move
(`Session.reload`); this module only watches the file, with a small polling thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable


def signature(path: str | os.PathLike) -> tuple | None:
    """What changes when a file is saved (modification time and size), or None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


class FileWatcher:
    """Polls a file's modification time and size in a daemon thread and calls
    `on_change()` (in that thread) each time they change. No dependency, no inotify:
    a scenario is one small file, and a poll every few tenths of a second is cheap."""

    def __init__(self, path: str | os.PathLike, on_change: Callable[[], None], interval: float = 0.3) -> None:
        self.path = path
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last = signature(path)

    def start(self) -> "FileWatcher":
        self._thread = threading.Thread(target=self._run, name="scenario-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def poll(self) -> bool:
        """One look at the file; True (after calling `on_change`) when it changed."""
        now = signature(self.path)
        if now == self.last:
            return False
        self.last = now
        if now is None:
            return False  # removed (an editor's save may briefly delete it): wait for it to come back
        self.on_change()
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:  # pragma: no cover - a failing callback must not end the watching
                pass
