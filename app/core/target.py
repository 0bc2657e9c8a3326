"""The target folder: opened as what it is (made where missing), never through another
user's link or swap, and held for one job so that two jobs never write into one tree."""

from __future__ import annotations

import errno
import os
import secrets
import stat

from app.core import devices
from app.core.events import TEMP_PREFIX, TEMP_SUFFIX
from app.core.preflight import Refusal, check_paths
from app.core.reasons import Code, Reason
from app.core.tree import identity
from app.core.trusted import UntrustedLink, link_at, open_trusted

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None  # type: ignore[assignment]


def problem(source: str, target: str, mirror: bool = False) -> Reason | None:
    """Why a job with these folders would be refused now, or None (for the window)."""
    try:
        check_paths(source, target, mirror)
        fd, _ = open_target(target, create=False)
    except Refusal as refusal:
        return refusal.why
    except OSError:
        return None  # (the job will say it, in its own words)
    if fd is not None:
        os.close(fd)
    return None


def open_target(target: str, create: bool) -> tuple[int | None, bool]:
    """The target folder opened (O_PATH) and whether it was made now: made (0700) when
    missing and `create`, else None. Refusal where it may not be the folder meant:

    - a folder made here must still be the folder made when it is opened: whoever can
      write its parent could swap a link to another folder in between (whose owner and
      mode the job would then set);
    - a link on the way is followed only if this user or root made it, in a folder only
      they may change (trusted.open_trusted).
    """
    if len(os.fsencode(os.path.abspath(target))) >= _PATH_MAX:  # found before any is made
        raise Refusal(Code.TARGET_NOT_CREATED, os.strerror(errno.ENAMETOOLONG))
    folder, name = os.path.split(os.path.abspath(target))
    if not name or os.open not in os.supports_dir_fd:  # "/", or (Windows) by path
        return (os.open(target, _PATH_FLAGS) if os.path.isdir(target) else None), False
    try:
        parent = _open_trusted(folder, target, create)
    except FileNotFoundError:
        return None, False
    except OSError as exc:
        raise Refusal(Code.TARGET_NOT_CREATED, exc.strerror) from exc
    try:
        created = create and _made(parent, name)
        try:
            fd = os.open(name, _PATH_FLAGS | os.O_NOFOLLOW, dir_fd=parent)
        except FileNotFoundError:
            return None, False
        except OSError as exc:  # (a link: ENOTDIR, or ELOOP)
            if created or not link_at(parent, name):
                raise Refusal(Code.TARGET_REPLACED, target) from exc
            fd = _open_link(target)
        try:
            taken = not created or _as_made(fd)
        except Refusal:  # (no room for the probe: _made_alike)
            os.close(fd)
            raise
        if not taken:
            os.close(fd)
            raise Refusal(Code.TARGET_REPLACED, target)
        return fd, created
    finally:
        os.close(parent)


_PATH_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC


def _made(parent: int, name: str) -> bool:
    try:
        os.mkdir(name, 0o700, dir_fd=parent)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        raise Refusal(Code.TARGET_NOT_CREATED, exc.strerror) from exc


def _as_made(fd: int) -> bool:
    """Is this the folder mkdir() just made: empty, this user's and private (but for the
    setgid bit a setgid parent passes on) unless its file system shows owners and modes of
    its own (a stick mounted for another user was refused as "replaced", review)? There
    it shows the owner a file this process makes in it shows (_made_alike)."""
    st = os.fstat(fd)
    if st.st_uid != os.geteuid() and (devices.shows_makers(st.st_dev) or not _made_alike(fd, st)):
        return False
    if st.st_mode & (0o7077 & ~stat.S_ISGID) and devices.keeps_modes(st.st_dev):
        return False
    listing = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=fd)
    try:
        return not os.listdir(listing)
    finally:
        os.close(listing)


def _made_alike(fd: int, st: os.stat_result) -> bool:
    """Whether a file this process makes in the folder open as `fd` shows the folder's
    owner: as every file does on a stick mounted `uid=` or through FUSE, and where NFS
    squashes root. Skipped, the owner was compared nowhere: another user who may write
    the target's parent (a FUSE mount `allow_other`, NFS) could swap a folder of theirs
    in for the one just made, and watch the copies land in it (review of stop 38).
    Refusal(TARGET_NOT_CREATED) where the probe finds no room: nothing was learnt."""
    probe = f"{TEMP_PREFIX}{secrets.token_hex(6)}-0-probe{TEMP_SUFFIX}"  # (a temp's name)
    try:
        listing = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=fd)
    except OSError:
        return False
    try:
        made = os.open(probe, _PROBE_FLAGS, 0o600, dir_fd=listing)
        try:
            return os.fstat(made).st_uid == st.st_uid
        finally:
            os.close(made)
            os.unlink(probe, dir_fd=listing)
    except OSError as exc:
        if exc.errno in _NO_ROOM:  # the disk's answer, not the folder's: said as it is
            raise Refusal(Code.TARGET_NOT_CREATED, exc.strerror) from exc
        return False  # (not ours to write in: not the folder made)
    finally:
        os.close(listing)


# What a probe that found no room meets: taken for a folder swapped in, it was refused
# as "replaced", an alarm with nothing behind it (review of stop 38). Refused still.
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
_PROBE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC


def _open_link(target: str) -> int:
    """The folder a link at the target's name leads to, the whole way walked again (what
    the way to the link passed decides whether it is trusted)."""
    try:
        return _open_trusted(os.path.abspath(target), target, create=False)
    except OSError as exc:
        raise Refusal(Code.TARGET_NOT_FOLDER, target) from exc


def _open_trusted(path: str, target: str, create: bool) -> int:
    try:
        return open_trusted(path, create)
    except UntrustedLink:
        raise Refusal(Code.TARGET_LINK_OF_ANOTHER, target) from None


_PATH_MAX = 4096  # Linux's: the copy's own paths below the target must fit in it too


def refuse_if_within(folder: int, source_id: tuple[int, int]) -> tuple[int, int]:
    """The identity of the (open) `folder`, or Refusal if it is the source or inside it,
    asked of the folder itself (its parents by descriptor, ".." after ".."): a path
    checked before may lead elsewhere now (a link re-pointed between the checks and the
    job)."""
    target_id = identity(os.fstat(folder))
    if os.open not in os.supports_dir_fd:  # (Windows) the check by path above is all
        return target_id
    fd = os.dup(folder)
    try:
        here = target_id
        while here != source_id:
            parent = os.open("..", _PATH_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            above = identity(os.fstat(fd))
            if above == here:  # the root: no source above
                return target_id
            here = above
        raise Refusal(Code.TARGET_IS_SOURCE if here == target_id else Code.TARGET_INSIDE_SOURCE)
    finally:
        os.close(fd)


class TargetHold:
    """The target folder, held for one job; Refusal(TARGET_BUSY) if another job has it.

    Two jobs writing into one tree would spoil each other: each removes temps it finds
    as leftovers of a killed run, and a mirror deletes what the other one copies. So a
    job holds a shared flock on each folder above its target (from here on, before the
    target is created: a job writing into one of them is found before anything is made)
    and an exclusive one on the target (take(), once it exists), until close(): a second
    job into the same folder, one above it or one inside it finds one of them taken.
    Folders that cannot be opened or locked (no read right, a network file system
    without flock) are passed over.
    """

    def __init__(self, target: str) -> None:
        self._held: list[int] = []
        self._locked: set[str] = set()
        self._target = os.path.realpath(target)  # one spelling for every job
        self._lock_above()

    def take(self) -> None:
        """Hold the target folder itself (it exists now), and the folders made for it."""
        self._lock_above()
        if fcntl is not None:
            self._lock(self._target, fcntl.LOCK_EX, above=False)

    def _lock_above(self) -> None:
        path = self._target
        while fcntl is not None and os.path.dirname(path) != path:
            path = os.path.dirname(path)
            if path not in self._locked:
                self._lock(path, fcntl.LOCK_SH, above=True)

    def _lock(self, folder: str, mode: int, above: bool) -> None:
        """Lock `folder`; Refusal if another job holds it. Above the target, a lock only
        another user holds is passed over: anyone who may read a folder may lock it (all
        of "/"), and would keep every job out. On the target itself any holder counts: a
        job of any user writing into it."""
        assert fcntl is not None
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
        except OSError:
            return  # not there (yet), or not ours to read
        self._held.append(fd)
        self._locked.add(folder)
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except OSError as exc:
            busy = exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN)
            if busy and not (above and _locked_by_others(fd)):
                self.close()
                raise Refusal(Code.TARGET_BUSY) from None

    def close(self) -> None:
        self._locked.clear()
        while self._held:
            os.close(self._held.pop())  # closing releases its lock


def _locked_by_others(fd: int) -> bool:
    """Whether only other users' processes hold locks on this folder (/proc/locks): any
    user who may read a folder may lock it, and would keep every job out (of "/", say).
    A job's locks are told apart from this user's jobs only; False where not known."""
    st = os.fstat(fd)
    place = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks") as locks:
            rows = [line.split() for line in locks]
        holders = [row[4] for row in rows if row[1:2] == ["FLOCK"] and row[5:6] == [place]]
        owners = {os.stat(f"/proc/{pid}").st_uid for pid in holders}
    except (OSError, IndexError):
        return False
    return bool(owners) and os.geteuid() not in owners
