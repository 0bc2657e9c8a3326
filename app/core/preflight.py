"""The checks that refuse a job before anything is written, and the free space."""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat

from app.core.outfile import not_a_file
from app.core.reasons import Code, Reason

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None  # type: ignore[assignment]


class Refusal(Exception):
    """The job cannot start; `why` says why. Nothing has been written."""

    def __init__(self, code: Code, *args: object) -> None:
        self.why = Reason(code, args)
        super().__init__(str(self.why))


def check_paths(source: str, target: str) -> None:
    """Raise Refusal if copying the contents of source into target cannot start."""
    if not os.path.lexists(source):
        raise Refusal(Code.SOURCE_MISSING, source)
    if not os.path.isdir(source):
        raise Refusal(Code.SOURCE_NOT_FOLDER, source)
    try:
        with os.scandir(source) as listing:
            next(listing, None)
    except OSError as exc:
        raise Refusal(Code.SOURCE_UNREADABLE, exc.strerror, source) from exc
    if os.path.lexists(target) and not os.path.isdir(target):
        raise Refusal(Code.TARGET_NOT_FOLDER, target)
    _refuse_target_inside_source(source, target)
    existing = nearest_existing(target)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise Refusal(Code.TARGET_NOT_WRITABLE, existing)


def check_manifest(manifest: str, source: str, target: str) -> None:
    """Refusal if the manifest would be written into the source, or where the copy of a
    source entry goes: it would replace that copy, and on the next run look newer than
    its source. And where something other than a regular file holds its name."""
    if manifest and not_a_file(manifest):
        raise Refusal(Code.MANIFEST_NOT_A_FILE, manifest)
    if manifest and (clash := output_clash(manifest, source, target)) is not None:
        inside, entry = clash
        raise Refusal(Code.MANIFEST_IN_SOURCE if inside else Code.MANIFEST_OVER_COPY, entry)


def output_clash(path: str, source: str, target: str) -> tuple[bool, str] | None:
    """Where a file Ferry writes besides the copies (a manifest, a log) would land among
    the job's files: (True, path) inside the source; (False, source entry) where that
    entry's copy goes; None elsewhere. The name itself is not followed: it is replaced."""
    real = real_name(path)
    if within(real, os.path.realpath(source)):
        return True, path
    place = os.path.relpath(real, os.path.realpath(target))
    if within(real, os.path.realpath(target)) and os.path.lexists(os.path.join(source, place)):
        return False, os.path.join(source, place)
    return None


def real_name(path: str) -> str:
    """The path with its folder's links resolved, not its name's (a name is replaced)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(folder), name)


def within(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


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


def problem(source: str, target: str) -> Reason | None:
    """Why a job with these folders would be refused now, or None (for the window)."""
    try:
        check_paths(source, target)
    except Refusal as refusal:
        return refusal.why
    return None


def nearest_existing(path: str) -> str:
    path = os.path.abspath(path)
    while not os.path.exists(path):
        path = os.path.dirname(path)
    return path


def free_space(target: str) -> int | None:
    """Bytes free for the target; None where the file system does not say (ramfs, some
    network and FUSE file systems report a size of 0)."""
    usage = shutil.disk_usage(nearest_existing(target))
    return usage.free if usage.total else None


# File systems whose files cannot add up to more than the space they use: no compression,
# no extents shared between files (btrfs, ZFS, XFS, bcachefs and APFS can share or
# compress them: reflinks, snapshots, dedup).
PLAIN_FILE_SYSTEMS = {"ext2", "ext3", "ext4", "tmpfs", "vfat", "exfat"}


def could_run_out(source: str, free: int | None, follow_symlinks: bool) -> bool:
    """Whether the scan might yet find more to write than the target has room for.

    No, when the target has more free space than the source's whole file system uses and
    that file system is a plain one (its files cannot add up to more than it uses). Yes
    wherever that is not known. Left out: another file system mounted inside the source;
    the job then stops as soon as it finds it cannot fit, after some files are written.
    """
    if free is None:  # the target does not say: nothing to refuse on
        return False
    if follow_symlinks or file_system_type(source) not in PLAIN_FILE_SYSTEMS:
        return True
    try:
        usage = shutil.disk_usage(source)
    except OSError:
        return True
    return not usage.total or usage.used >= free  # a size of 0: the source does not say


def _refuse_target_bound_inside_source(source: str, target: str) -> None:
    """Refuse a target that is, through a bind mount, the source or a folder inside it."""
    existing = nearest_existing(target)  # a target yet to be made goes where this is
    try:
        device = os.stat(source).st_dev
        if os.stat(existing).st_dev != device:
            return  # a bind mount shows the same file system: other ones cannot be inside
        with open("/proc/self/mountinfo", "rb") as mounts:
            table = [line.split() for line in mounts]
    except OSError:
        return
    inside = _place_in_file_system(source, device, table)
    path = _place_in_file_system(existing, device, table)
    if inside is None or path is None:
        return
    if path == inside and existing == os.path.abspath(target):
        raise Refusal(Code.TARGET_IS_SOURCE)
    if path == inside or path.startswith(inside.rstrip(b"/") + b"/"):
        raise Refusal(Code.TARGET_INSIDE_SOURCE)


def _place_in_file_system(path: str, device: int, table: list[list[bytes]]) -> bytes | None:
    """The path of a folder from its file system's own root; None if unknown.

    Linux only, from the rows of /proc/self/mountinfo: the mount `path` is under gives
    the folder of the file system it shows (its "root": not "/" for a bind mount).
    """
    real = os.fsencode(os.path.realpath(path))
    best: tuple[bytes, bytes] | None = None  # (mount point, root), the deepest; later wins
    for fields in table:
        try:
            major, minor = (int(n) for n in fields[2].split(b":"))
            point, root = _unescape_mount(fields[4]), _unescape_mount(fields[3])
        except (IndexError, ValueError):
            continue
        under = real == point or real.startswith(point.rstrip(b"/") + b"/")
        deeper = best is None or len(point) >= len(best[0])
        if os.makedev(major, minor) == device and under and deeper:
            best = (point, root)
    if best is None:
        return None
    point, root = best
    rest = real[len(point.rstrip(b"/")) :]
    return (root.rstrip(b"/") + rest) or b"/"


def _unescape_mount(field: bytes) -> bytes:
    """The kernel writes space, tab, newline and backslash in paths as \\ooo (octal)."""
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), field)


def file_system_type(path: str) -> str:
    """The type of the file system `path` is on ("ext4", "btrfs", ...); "" if unknown."""
    try:
        return file_system_of(os.stat(path).st_dev)
    except OSError:
        return ""


def file_system_of(device: int) -> str:
    """The type of the file system of this device number; "" if unknown.

    Linux only (from /proc/self/mountinfo, read each time: a device number of a file
    system unmounted since may be another's now); "" elsewhere.
    """
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()  # ... major:minor ... - type source options
                major, minor = (int(n) for n in fields[2].split(":"))
                if os.makedev(major, minor) == device:
                    return fields[fields.index("-") + 1]
    except (OSError, ValueError, IndexError):
        pass
    return ""


def open_target(target: str, create: bool) -> tuple[int | None, bool]:
    """The target folder opened (O_PATH) and whether it was made now: made (0700) when
    missing and `create`, else None. Refusal where it may not be the folder meant:

    - a folder made here must still be the folder made when it is opened: whoever can
      write its parent could swap a link to another folder in between (whose owner and
      mode the job would then set);
    - a link at the target's name is followed only if this user or root made it.
    """
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
            if created or not _is_link(parent, name):
                raise Refusal(Code.TARGET_REPLACED, target) from exc
            fd = _open_link(parent, name, target)
        if created and not _as_made(fd):
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
    """Is this the folder mkdir() just made: this user's, private, empty?"""
    st = os.fstat(fd)
    if st.st_uid != os.geteuid() or st.st_mode & 0o7077:
        return False
    listing = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=fd)
    try:
        return not os.listdir(listing)
    finally:
        os.close(listing)


def _is_link(parent: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _open_link(parent: int, name: str, target: str) -> int:
    try:
        return _open_trusted(name, target, create=False, start=parent)
    except OSError as exc:
        raise Refusal(Code.TARGET_NOT_FOLDER, target) from exc


def _open_trusted(path: str, target: str, create: bool, start: int | None = None) -> int:
    """Open the folder `path` (O_PATH) one name at a time, from `start` or "/" (for an
    absolute path), making missing ones when `create`, following only links this user or
    root made: another user's link anywhere on the way could lead the copy, and the
    owners and modes it sets, anywhere."""
    relative = start is not None and not path.startswith("/")
    fd = os.dup(start) if start is not None and relative else os.open("/", _PATH_FLAGS)
    names, links = _names(path), 0
    try:
        while names:
            name = names.pop()
            try:
                step = os.open(name, _PATH_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(name, 0o777, dir_fd=fd)  # (then opened, as anything made there)
                step = os.open(name, _PATH_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:
                if not _is_link(fd, name) or (links := links + 1) > _MAX_LINKS:
                    raise
                if os.stat(name, dir_fd=fd, follow_symlinks=False).st_uid not in (0, os.geteuid()):
                    raise Refusal(Code.TARGET_LINK_OF_ANOTHER, target) from None
                text = os.readlink(name, dir_fd=fd)
                if text.startswith("/"):
                    os.close(fd)
                    fd = os.open("/", _PATH_FLAGS)
                names += _names(text)
                continue
            os.close(fd)
            fd = step
        return fd
    except BaseException:
        os.close(fd)
        raise


_MAX_LINKS = 40  # as the kernel: more links on one path are a loop


def _names(path: str) -> list[str]:
    """The names of a path, last first (popped in order)."""
    return [name for name in reversed(path.split("/")) if name not in ("", ".")]


def refuse_if_within(folder: int, source_id: tuple[int, int]) -> tuple[int, int]:
    """The identity of the (open) `folder`, or Refusal if it is the source or inside it,
    asked of the folder itself (its parents by descriptor, ".." after ".."): a path
    checked before may lead elsewhere now (a link re-pointed between the checks and the
    job)."""
    target_id = _identity(os.fstat(folder))
    if os.open not in os.supports_dir_fd:  # (Windows) the check by path above is all
        return target_id
    fd = os.dup(folder)
    try:
        here = target_id
        while here != source_id:
            parent = os.open("..", _PATH_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            above = _identity(os.fstat(fd))
            if above == here:  # the root: no source above
                return target_id
            here = above
        raise Refusal(Code.TARGET_IS_SOURCE if here == target_id else Code.TARGET_INSIDE_SOURCE)
    finally:
        os.close(fd)


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _refuse_target_inside_source(source: str, target: str) -> None:
    # Compare inodes, not strings: this sees through symlinks and "..". A bind mount of
    # a source folder elsewhere is a place in the source the target's parents do not
    # lead to: the mount table tells.
    _refuse_target_bound_inside_source(source, target)
    src = os.stat(source)
    probe = os.path.realpath(target)
    while True:
        if os.path.exists(probe):
            st = os.stat(probe)
            if (st.st_dev, st.st_ino) == (src.st_dev, src.st_ino):
                if probe == os.path.realpath(target):
                    raise Refusal(Code.TARGET_IS_SOURCE)
                raise Refusal(Code.TARGET_INSIDE_SOURCE)
        parent = os.path.dirname(probe)
        if parent == probe:
            return
        probe = parent
