"""Reading files other people made (scenarios, saves, the scenario a save names) safely.

Only regular files are read, each opened once and checked on the open descriptor (so a
file swapped after the check is still checked), and never more than a bound: a device
such as /dev/zero cannot exhaust memory and a named pipe cannot hang the game (it is
opened without blocking, then refused). With `within`, a path whose real location is
outside that folder (a symbolic link out of the saves folder) is refused unread.
"""

from __future__ import annotations

import errno
import os
import stat



class UnusableFile(OSError):
    """A file that is not read: not a regular file, too large, or a link out of its folder.
    `reason` is a phrase for the player, such as "a device, not a regular file"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.strerror = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def _inside(path: str, folder: str) -> bool:
    real = os.path.realpath(path)
    base = os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def read_regular(path: str | os.PathLike, limit: int, *, within: str | os.PathLike | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them, or UnusableFile
    (other OSErrors, such as FileNotFoundError, IsADirectoryError or PermissionError, pass
    through)."""
    name = os.fspath(path)
    if within is not None and not _inside(name, os.fspath(within)):
        raise UnusableFile(f"a link to {os.path.realpath(name)}, outside {os.fspath(within)}")
    before = os.stat(name)  # refuse the obvious without even opening it
    if stat.S_ISDIR(before.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
    if not stat.S_ISREG(before.st_mode):
        raise UnusableFile(_kind(before.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if within is not None:
        name = os.path.realpath(name)
        flags |= getattr(os, "O_NOFOLLOW", 0)  # checked above; a link put there since is refused
    fd = os.open(name, flags)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise UnusableFile(_kind(opened.st_mode))
        if opened.st_size > limit:
            raise UnusableFile(f"too large ({opened.st_size} bytes; at most {limit})")
        chunks = []
        left = limit + 1  # one byte more than allowed tells a file that grew since
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise UnusableFile(f"too large (more than {limit} bytes)")
        return data
    finally:
        os.close(fd)
