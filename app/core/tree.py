"""Folders reached by descriptor, one name at a time, never through a link swapped in.

Joining paths lets the kernel resolve every component again, following links: whoever
can write in a source or target folder could swap `sub` for a link to /etc between the
scan and the copy. Here each folder is opened relative to its parent's descriptor with
O_NOFOLLOW, and checked to be the folder the scan saw (device and inode).
"""

from __future__ import annotations

import errno
import os
import stat
from collections import OrderedDict
from typing import NamedTuple

from app.core import devices
from app.core.events import Identity

_CLOEXEC = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_PATH = getattr(os, "O_PATH", 0)
# O_PATH: a folder we may use but not list (mode -wx, --x) can still be opened.
PATH_FLAGS = (O_PATH or os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
LIST_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
# Names relative to open folders (openat & co) where every call used here supports it.
# (os.replace and os.lstat take dir_fd wherever os.rename and os.stat do, but are not listed.)
USE_DIR_FD = {os.open, os.stat, os.unlink, os.rename, os.link, os.symlink, os.mkdir} <= (
    os.supports_dir_fd
)
PROC_FD = "/proc/self/fd"
HAS_PROC_FD = os.path.isdir(PROC_FD)


class FolderReplaced(OSError):
    """A folder on the way is a link now, or not the folder the scan saw."""

    def __init__(self, path: str) -> None:
        super().__init__(errno.ELOOP, "a folder on the way was replaced", path)


class Folder(NamedTuple):
    """An open folder: names inside it are used relative to its descriptor (openat & co).

    Where the OS has no such calls (Windows), fd is None and names are joined to the path.
    """

    fd: int | None
    path: str

    def ref(self, name: str) -> str:
        """What to pass, with dir_fd=self.fd, to name `name` inside this folder."""
        return name if self.fd is not None else os.path.join(self.path, name)

    def self_ref(self) -> str | int:
        """A name for the folder itself that path-only calls (chmod, xattrs) accept."""
        if self.fd is None:
            return self.path
        return f"{PROC_FD}/{self.fd}" if HAS_PROC_FD and O_PATH else self.fd

    def entry_ref(self, name: str) -> str:
        """A path-only name for an entry inside, resolved through this open folder."""
        if self.fd is not None and HAS_PROC_FD:
            return f"{PROC_FD}/{self.fd}/{name}"
        return os.path.join(self.path, name)


def inside(path: str, root_real: str) -> bool:
    """Whether `path`, resolved, lies in the folder whose real path is `root_real`."""
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def parent_of(path: str) -> str:
    """The folder a relative path is in ("" for the top)."""
    return path.rpartition(os.sep)[0]


def child_of(folder: str, name: str) -> str:
    """The relative path of `name` in `folder` ("" for the top): parent_of's inverse."""
    return os.path.join(folder, name) if folder else name


def identity(st: os.stat_result) -> Identity:
    return (st.st_dev, st.st_ino)


def version(st: os.stat_result) -> tuple[int, int, int]:
    """What changes when a file is written, even with its mtime put back: size, mtime and
    change time."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Folders:
    """Open folders below one root, by relative path, kept open for reuse (a few dozen).

    open(rel) walks from the nearest open ancestor, one name at a time with O_NOFOLLOW,
    and checks the folder reached is `expected` when given. In follow mode (the scan
    followed links to folders) a link is followed, and the identity check is what keeps
    it to the folder the scan saw.

    A Folder returned may be closed by a later open() of the same Folders (only a few
    dozen stay open): use it before opening the next one.
    """

    def __init__(
        self, root: str, flags: int, root_id: Identity | None = None, follow: bool = False
    ) -> None:
        self.root = root
        self.flags = flags
        self.root_id = root_id
        self.follow = follow
        self.limit = 64
        self._open: OrderedDict[str, Folder] = OrderedDict()
        # Folders opened as steps of a longer path, whose identity nobody gave: checked
        # when asked for with one (it may be a folder swapped in on that path since).
        self._unchecked: set[str] = set()

    def open(self, rel: str, expected: Identity | None = None) -> Folder:
        folder = self._open.get(rel)
        if folder is not None:
            if expected is not None and rel in self._unchecked:
                self._check_cached(rel, folder, expected)
            self._open.move_to_end(rel)
            return folder
        if not USE_DIR_FD:
            return self._remember(rel, Folder(None, os.path.join(self.root, rel)))
        # Walk down from the nearest open ancestor (iteratively: trees can be deep).
        missing = []
        ancestor = rel
        while ancestor and ancestor not in self._open:
            missing.append(ancestor)
            ancestor = ancestor.rpartition(os.sep)[0]
        if ancestor not in self._open:
            fd = os.open(self.root, self.flags)
            self._remember("", self._checked(fd, "", self.root_id))
        folder = self._open[ancestor]
        for path in reversed(missing):
            fd = self._open_child(folder, path.rpartition(os.sep)[2], path)
            wanted = expected if path == rel else None
            folder = self._remember(path, self._checked(fd, path, wanted))
            if wanted is None:
                self._unchecked.add(path)
        return folder

    def _check_cached(self, rel: str, folder: Folder, expected: Identity) -> None:
        if folder.fd is not None and identity(os.fstat(folder.fd)) != expected:
            self.forget(rel)
            raise FolderReplaced(rel)
        self._unchecked.discard(rel)

    def _open_child(self, parent: Folder, name: str, rel: str) -> int:
        assert parent.fd is not None
        try:
            return os.open(name, self.flags | NOFOLLOW, dir_fd=parent.fd)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            st = os.stat(name, dir_fd=parent.fd, follow_symlinks=False)
            if not (self.follow and stat.S_ISLNK(st.st_mode)):
                raise FolderReplaced(rel) from None
            return os.open(name, self.flags, dir_fd=parent.fd)

    def _checked(self, fd: int, rel: str, expected: Identity | None) -> Folder:
        st = os.fstat(fd)
        if expected is not None and identity(st) != expected:
            os.close(fd)
            raise FolderReplaced(rel)
        devices.met_folder(fd, st.st_dev)  # (a subvolume inside: a number of its own)
        return Folder(fd, os.path.join(self.root, rel))

    def _remember(self, rel: str, folder: Folder) -> Folder:
        self._open[rel] = folder
        self._unchecked.discard(rel)
        while len(self._open) > self.limit:
            gone, old = self._open.popitem(last=False)
            self._unchecked.discard(gone)
            _close(old)
        return folder

    def forget(self, rel: str) -> None:
        """Close rel and everything below it (it was removed or may be replaced)."""
        prefix = rel + os.sep
        for key in [k for k in self._open if k == rel or k.startswith(prefix) or not rel]:
            _close(self._open.pop(key))
            self._unchecked.discard(key)

    def close(self) -> None:
        self.forget("")


def _close(folder: Folder) -> None:
    if folder.fd is not None:
        os.close(folder.fd)


def lstat_in(folder: Folder, name: str) -> os.stat_result:
    """The entry `name` in `folder`, not followed; its device met (devices.met_entry: a
    target's file may show a number its folder does not, as overlay's layers do)."""
    st = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
    devices.met_entry(folder.fd, folder.ref(name), st.st_dev)
    return st


def stat_folder(folder: Folder) -> os.stat_result:
    return os.stat(folder.path) if folder.fd is None else os.fstat(folder.fd)


def names_in(folder: Folder) -> list[str]:
    """The names in an open folder (its descriptor may be O_PATH, which cannot list)."""
    return list(inodes_in(folder))


def inodes_in(folder: Folder) -> dict[str, int]:
    """The names in an open folder, with the inode numbers its entries hold: where a
    file system is mounted, the folder below the mount's, not the mount's root."""
    if folder.fd is None:
        with os.scandir(folder.path) as listing:
            return {entry.name: entry.inode() for entry in listing}
    fd = os.open(".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC, dir_fd=folder.fd)
    try:
        with os.scandir(fd) as listing:
            return {entry.name: entry.inode() for entry in listing}
    finally:
        os.close(fd)


def mount_id(fd: int) -> int | None:
    """The mount an open file is on (Linux): a bind mount has its own, on the same device."""
    try:
        with open(f"/proc/self/fdinfo/{fd}", "rb") as info:
            for line in info:
                if line.startswith(b"mnt_id:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def mounted_at(folders: Folders, rel: str) -> bool:
    """Whether another mount's root is at `rel` (a disk, or a bind mount of a folder of the
    same disk): its mount id differs from its parent's. False where /proc does not say."""
    if not rel:
        return False
    try:
        here = folders.open(rel).fd
        below = mount_id(here) if here is not None else None  # (first: may close `here`)
        above = folders.open(rel.rpartition(os.sep)[0]).fd
    except OSError:
        return False
    return below is not None and above is not None and mount_id(above) not in (None, below)


EUID = os.geteuid() if hasattr(os, "geteuid") else -1  # (-1: no such thing, Windows)


def refusal_in(
    folder: os.stat_result,
    writable: bool,
    read_only: bool,
    owner: int | None = None,
    opens_own: bool = True,
) -> int:
    """The error a change in a folder would meet, for a plan that makes none (0: none):
    EROFS on a read-only mount; EACCES where this process may not write into it (and,
    with `opens_own`, as a copy may, cannot open it to itself: a folder of its own,
    folders.open_to_us); EPERM where the folder is sticky (as /tmp) and the entry to
    replace or remove is another's (`owner`)."""
    if read_only:
        return errno.EROFS
    ours = EUID in (0, folder.st_uid)
    if not (writable or (ours and opens_own)):
        return errno.EACCES
    sticky = folder.st_mode & stat.S_ISVTX
    if sticky and owner is not None and not ours and owner != EUID:
        return errno.EPERM
    return 0
