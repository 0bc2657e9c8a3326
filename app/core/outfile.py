"""Files Ferry writes or reads besides copies (manifests, logs, pattern files).

Each is written whole or not at all: unnamed where Linux allows (O_TMPFILE), else under
a temp name beside it, flushed, then renamed over its name, never half a file under the
name (nor under the temp's, where it is unnamed: a kill -9 left the temp for good); only
a regular file's name is taken over (never a device's, a link's or a pipe's). Readable
by its owner only: it names files of folders others may not list. One is read only if
it is a regular file (a FIFO put there would block the read for ever).
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

from app.core.trusted import UntrustedLink, open_trusted

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)
_PROC_FD = "/proc/self/fd"  # (as tree's: tree imports this module, through filters)
# An unnamed file (also filecopy's): where an OS or file system has none, these errors.
O_TMPFILE = getattr(os, "O_TMPFILE", 0) if os.path.isdir(_PROC_FD) else 0
NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOTSUP}


def not_a_file(path: str, folder: int | None = None) -> bool:
    """Whether something other than a regular file holds `path` (a name in `folder`, if
    given): a device, a pipe, a folder, a link. Such a name is neither replaced (root
    would put a file in place of /dev/null, or of the link /dev/stdout) nor written
    through."""
    try:
        return not stat.S_ISREG(os.stat(path, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:  # nothing there, or it cannot be looked at: the writing will say why
        return False


def untrusted_way(folder: str) -> bool:
    """Whether the way to `folder` passes a link another user made or may change (then
    the files written there could land anywhere: replaced() refuses it)."""
    try:
        os.close(open_trusted(folder))
    except UntrustedLink:
        return True
    except OSError:
        pass  # (missing, say: the writing says why)
    return False


_TAKEN = "something other than a regular file holds its name"


def output_temp_name() -> str:
    """A name for a manifest or log while it is written: one of Ferry's temps
    (events.TEMP_NAME), which a later job removes from its target as a leftover."""
    return f".ferry-out-{secrets.token_hex(6)}.part"


@contextlib.contextmanager
def replaced(path: str) -> Iterator[BinaryIO]:
    """A new file that takes `path`'s name once the block ends without an error; OSError
    where something other than a regular file holds the name (not_a_file).

    Its folder is opened first, never through another user's link (trusted.open_trusted),
    and the name is looked at, written beside and renamed relative to that folder: a
    folder on the way swapped for a link meanwhile leads nowhere else."""
    folder_path, name = os.path.split(os.path.abspath(path))
    if os.open not in os.supports_dir_fd:  # (Windows) by path
        yield from _replaced_by_path(path)
        return
    with _said_of(folder_path):
        folder = open_trusted(folder_path)
    temp = output_temp_name()  # (of any length: the file's own name may take all 255
    try:  # bytes; a leftover in a target is removed by the next job there, events.TEMP_NAME)
        with _said_of(path):
            if not_a_file(name, folder):
                raise OSError(errno.EEXIST, _TAKEN)
            fd = _unnamed(folder)
            unnamed = fd is not None
            if fd is None:
                fd = os.open(temp, _FLAGS, 0o600, dir_fd=folder)
        try:
            with open(fd, "wb") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
                if unnamed:  # named only once whole, then at once renamed
                    link = f"{_PROC_FD}/{out.fileno()}"
                    os.link(link, temp, dst_dir_fd=folder, follow_symlinks=True)
            with _said_of(path):
                os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=folder)
            raise
        _flush_folder(folder)
    finally:
        os.close(folder)


def _unnamed(folder: int) -> int | None:
    """A new file in `folder` with no name yet (O_TMPFILE); None where there is none."""
    if not O_TMPFILE:
        return None
    try:
        return os.open(".", O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600, dir_fd=folder)
    except OSError as exc:
        if exc.errno not in NO_TMPFILE:
            raise
        return None


def _replaced_by_path(path: str) -> Iterator[BinaryIO]:
    if not_a_file(path):
        raise OSError(errno.EEXIST, _TAKEN, path)
    temp = os.path.join(os.path.dirname(os.path.abspath(path)), output_temp_name())
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


@contextlib.contextmanager
def _said_of(path: str) -> Iterator[None]:
    """An OSError inside names `path`, as the caller named it (not the temp's name, or
    the name of the step that failed)."""
    try:
        yield
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, path) from None


@contextlib.contextmanager
def replaced_text(path: str) -> Iterator[TextIO]:
    """replaced(), as UTF-8 text (newlines as written: csv writes its own)."""
    with replaced(path) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield out
        out.flush()
        out.detach()  # the binary file stays open for replaced() to flush


def _flush_folder(folder: int) -> None:
    """The new name on the disk too."""
    with contextlib.suppress(OSError):
        fd = os.open(".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0), dir_fd=folder)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class NotRegular(OSError):
    """A device, a pipe or a folder where a file to read was named."""


def open_regular(path: str) -> int:
    """A descriptor of `path` for reading, opened without blocking (a FIFO would wait for
    a writer for ever); OSError (NotRegular if it is no file) if it cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegular(errno.EINVAL, "not a regular file")
    return fd
