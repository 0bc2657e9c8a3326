"""A path Ferry writes to (a target, a log, a checksum file), opened as its user meant
it: one name at a time, following only links this user or root made in folders only
they may change. No other module of Ferry is imported here: the files written besides
copies (outfile.py) need it as much as the target does."""

from __future__ import annotations

import errno
import os
import stat


class UntrustedLink(OSError):
    """On the way: a link another user made, or one in a folder another user may change."""


_DIR_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC


def open_trusted(path: str, create: bool = False, start: int | None = None) -> int:
    """Open the folder `path` (O_PATH) one name at a time, from `start` or "/" (for an
    absolute path), making missing ones when `create`, following only links this user or
    root made in folders only they may change; UntrustedLink at another one. Another
    user's link anywhere on a path Ferry writes to (a target, a log) could lead the
    writes, and the owners and modes they set, anywhere."""
    relative = start is not None and not path.startswith("/")
    fd = os.dup(start) if start is not None and relative else os.open("/", _DIR_FLAGS)
    names, links = _names(path), 0
    try:
        while names:
            name = names.pop()
            try:
                step = os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(name, 0o777, dir_fd=fd)  # (then opened, as anything made there)
                step = os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:
                if not link_at(fd, name) or (links := links + 1) > _MAX_LINKS:
                    raise
                if not _trusted_link(fd, name):
                    why = "a link another user made or may change"
                    raise UntrustedLink(errno.EPERM, why, name) from None
                if _in_proc(fd):  # /proc/PID/root and the like mean what the kernel does
                    step = os.open(name, _DIR_FLAGS, dir_fd=fd)
                else:
                    text = os.readlink(name, dir_fd=fd)
                    if text.startswith("/"):
                        os.close(fd)
                        fd = os.open("/", _DIR_FLAGS)
                    names += _names(text)
                    continue
            os.close(fd)
            fd = step
        return fd
    except BaseException:
        os.close(fd)
        raise


_MAX_LINKS = 40  # as the kernel: more links on one path are a loop


def _trusted_link(folder: int, name: str) -> bool:
    """A link this user or root made, in a folder only they may change: a user who may
    write the folder could rename any link of root's there onto the name."""
    mine = (0, os.geteuid())
    held = os.fstat(folder)
    changeable = held.st_mode & 0o022 and not held.st_mode & stat.S_ISVTX
    if held.st_uid not in mine or changeable:
        return False
    return os.stat(name, dir_fd=folder, follow_symlinks=False).st_uid in mine


def _in_proc(folder: int) -> bool:
    """A folder of /proc, whose links (a process's root, cwd, fds) lead where their text
    does not say."""
    try:
        return os.fstat(folder).st_dev == os.stat("/proc").st_dev
    except OSError:
        return False


def _names(path: str) -> list[str]:
    """The names of a path, last first (popped in order)."""
    return [name for name in reversed(path.split("/")) if name not in ("", ".")]


def link_at(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False
