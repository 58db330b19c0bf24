"""Opening the files a user names without ever waiting on them, and saying why one cannot be used.

A named pipe, a terminal or ``/dev/zero`` given where a data file is expected would make a
plain ``open()`` or ``read()`` wait forever (or read forever). :func:`open_regular` opens
without blocking, checks what it opened and refuses anything but a regular file at once, with
:class:`NotRegularFile` (an ``OSError``, so existing handlers report it). :func:`reason` turns
an ``OSError`` into the few words a user needs: which permission, a full disk, a read-only
file system.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind(mode: int) -> str:
    """What a file of this mode is, in words ("a named pipe", "a device", ...)."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


class NotRegularFile(OSError):
    """A path that is a directory, a named pipe, a device or a socket where a file was wanted."""

    def __init__(self, path: str | os.PathLike[str], what: str) -> None:
        super().__init__(f"it is {what}, not a regular file")
        self.path = os.fspath(path)
        self.what = what


def check_regular(path: str | os.PathLike[str]) -> os.stat_result:
    """``os.stat(path)``, raising :class:`NotRegularFile` unless it is a regular file."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(path, kind(st.st_mode))
    return st


def is_regular(path: str | os.PathLike[str]) -> bool:
    """True for an existing regular file (following links); never waits on the file."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading in binary mode, without ever blocking on it.

    The file is opened non-blocking (opening a named pipe for reading would otherwise wait for
    a writer), checked with ``fstat`` on what was actually opened, and switched back to
    blocking reads. Raises :class:`NotRegularFile` for anything but a regular file, or the
    ``OSError`` of the open (missing, permission denied...).
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)
    if not nonblock:  # no non-blocking open (Windows): check first, where pipes are rarer
        check_regular(path)
    flags = os.O_RDONLY | nonblock
    for name in ("O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path, kind(st.st_mode))
        if nonblock:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_REASONS = {
    errno.ENOSPC: "the disk is full (no space left on device)",
    errno.EROFS: "it is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or directory",
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EISDIR: "it is a directory",
    errno.ELOOP: "too many symbolic links",
    errno.ENAMETOOLONG: "the name is too long",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "the disk quota is used up"


def reason(exc: BaseException) -> str:
    """The cause of an ``OSError`` in a few plain words, without the path."""
    if isinstance(exc, NotRegularFile):
        return str(exc)
    if isinstance(exc, OSError):
        if exc.errno in _REASONS:
            return _REASONS[exc.errno]
        if exc.strerror:
            return exc.strerror
    return str(exc) or type(exc).__name__
