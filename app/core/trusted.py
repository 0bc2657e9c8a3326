"""A path Ferry writes to (a target, a log, a checksum file), opened as its user meant
it: one name at a time, following only links this user or root made in folders only
they may change. No other module of Ferry is imported here: the files written besides
copies (outfile.py) need it as much as the target does."""

from __future__ import annotations

import errno
import functools
import os
import stat


class UntrustedLink(OSError):
    """On the way: a link another user made, or one in a folder another user may change."""


_DIR_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC


def open_trusted(path: str, create: bool = False) -> int:
    """Open the folder `path` (absolute) O_PATH, one name at a time from "/", making
    missing ones when `create`, following only links this user or root made, on a way no
    other user may change; UntrustedLink at another one. Another user's link anywhere on
    a path Ferry writes to (a target, a log) could lead the writes, and the owners and
    modes they set, anywhere."""
    fd = os.open("/", _DIR_FLAGS)
    names, links = _names(path), 0
    # Whether a folder on the way so far may be changed by another user: their link, or
    # a folder of root's they swapped in, could then be anywhere below it.
    exposed = _others_may_change(fd)
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
                if not link_at(fd, name):
                    raise
                if (links := links + 1) > _MAX_LINKS:
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), name) from None
                if exposed or not _mine(os.stat(name, dir_fd=fd, follow_symlinks=False)):
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
            exposed = exposed or _others_may_change(fd)
        return fd
    except BaseException:
        os.close(fd)
        raise


_MAX_LINKS = 40  # as the kernel: more links on one path are a loop


def _mine(st: os.stat_result) -> bool:
    return st.st_uid in (0, os.geteuid())


def _others_may_change(folder: int) -> bool:
    """Whether a user other than this one (or root) may rename or replace what the folder
    holds: theirs, or writable by others and not sticky. Group-writable is harmless where
    the group is this user's own, with no other member (user private groups, umask 002),
    and no ACL lets others write (its mask shows as the group's bits)."""
    st = os.fstat(folder)
    if not _mine(st) or st.st_mode & stat.S_ISVTX:
        return not _mine(st)
    if st.st_mode & stat.S_IWOTH:
        return True
    if not st.st_mode & stat.S_IWGRP:
        return False
    return _has_acl(folder) or not _own_group(st.st_gid)


def _has_acl(folder: int) -> bool:
    try:
        return _ACCESS_ACL in os.listxattr(f"/proc/self/fd/{folder}")
    except OSError:
        return True  # not known: as if others could write


_ACCESS_ACL = "system.posix_acl_access"


@functools.lru_cache(maxsize=8)
def _own_group(gid: int) -> bool:
    """This user's own group: no one else is in it, listed or by their primary group."""
    import grp  # (POSIX only, as this walk)
    import pwd

    if gid != os.getegid():
        return False
    try:
        me = pwd.getpwuid(os.geteuid()).pw_name
        if not set(grp.getgrgid(gid).gr_mem) <= {me}:
            return False
        return all(user.pw_gid != gid or user.pw_name == me for user in pwd.getpwall())
    except KeyError:
        return False


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
