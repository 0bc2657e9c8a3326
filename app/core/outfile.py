"""Files Ferry writes or reads besides copies (manifests, logs, pattern files).

Each is written whole or not at all: under a temp name beside it, flushed, then renamed
over its name, never half a file under the name; only a regular file's name is taken
over (never a device's, a link's or a pipe's). Readable by its owner only: it names
files of folders others may not list. One is read only if it is a regular file (a FIFO
put there would block the read for ever).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import stat
from collections.abc import Iterator
from typing import BinaryIO, TextIO

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)


def not_a_file(path: str) -> bool:
    """Whether something other than a regular file holds `path`: a device, a pipe, a
    folder, a link. Such a name is neither replaced (root would put a file in place of
    /dev/null, or of the link /dev/stdout) nor written through."""
    try:
        return not stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def replaced(path: str) -> Iterator[BinaryIO]:
    """A new file that takes `path`'s name once the block ends without an error; OSError
    where something other than a regular file holds the name (not_a_file)."""
    if not_a_file(path):
        raise OSError(errno.EEXIST, "something other than a regular file holds its name", path)
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".ferry-out-{secrets.token_hex(6)}.part")  # (a name of
    # any length: the file's own name may take all 255 bytes)
    try:
        with open(os.open(temp, _FLAGS, 0o600), "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _flush_folder(folder)


@contextlib.contextmanager
def replaced_text(path: str) -> Iterator[TextIO]:
    """replaced(), as UTF-8 text (newlines as written: csv writes its own)."""
    with replaced(path) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield out
        out.flush()
        out.detach()  # the binary file stays open for replaced() to flush


def _flush_folder(folder: str) -> None:
    """The new name on the disk too (Linux; elsewhere a folder cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def open_regular(path: str) -> int:
    """A descriptor of `path` for reading, opened without blocking (a FIFO would wait for
    a writer for ever); OSError, "not a regular file" among them, if it cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return fd
