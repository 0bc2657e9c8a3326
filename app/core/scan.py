"""Streaming walk of the source tree through folder descriptors, never through a swapped link."""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from app.core.events import EntryKind, FileResult, FileStatus, Identity, is_private_folder_name
from app.core.filters import Filters
from app.core.reasons import Code, Reason
from app.core.tree import LIST_FLAGS, USE_DIR_FD, FolderReplaced, Folders, identity, inside


class Entry(NamedTuple):
    """One thing to copy; `path` is relative to the source root ("" is the root).

    `st` is what the scan saw: lstat for links, stat of what a followed link points to.
    """

    path: str
    kind: EntryKind
    st: os.stat_result

    @property
    def size(self) -> int:
        """Bytes of data to copy: none for a folder or a link."""
        return self.st.st_size if self.kind is EntryKind.FILE else 0

    @property
    def has_other_names(self) -> bool:
        """A file, link or special file with hard links: copied once, its other names
        linked."""
        return self.kind is not EntryKind.DIR and self.st.st_nlink > 1

    @property
    def allocated(self) -> int:
        """Bytes the data takes on disk: a sparse file needs less than its size."""
        return on_disk(self.st) if self.kind is EntryKind.FILE else 0

    def room_taken(self, holes: bool) -> int:
        """What its copy takes on a file system that keeps holes or not: there a sparse
        file's are written out (vfat, exFAT: a 300 MiB file of 4 KiB data takes 300 MiB)."""
        return self.allocated if holes else self.size


def on_disk(st: os.stat_result) -> int:
    """Bytes a file's data takes on disk: a sparse file takes less than its size."""
    blocks = getattr(st, "st_blocks", None)
    return st.st_size if blocks is None else min(st.st_size, blocks * 512)


@dataclass
class ScanTotals:
    files: int = 0
    bytes: int = 0
    excluded: int = 0  # entries the filters left out (an excluded folder counts once)


# A named pipe, socket or device node is made anew in the target (mknod), as cp -a does.
MAKES_SPECIALS = hasattr(os, "mknod") and (not USE_DIR_FD or os.mknod in os.supports_dir_fd)


_SPECIAL_TYPES = {stat.S_IFIFO, stat.S_IFSOCK, stat.S_IFCHR, stat.S_IFBLK}


def is_special(mode: int) -> bool:
    """A named pipe, socket or device node: an entry that holds no data of its own."""
    return stat.S_IFMT(mode) in _SPECIAL_TYPES


def is_device(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


_CAP_MKNOD = 27  # linux/capability.h
_ST_NODEV = getattr(os, "ST_NODEV", 0)  # statvfs's flag (Linux only)


@functools.cache
def makes_device_nodes() -> bool:
    """Whether this process may make device nodes (CAP_MKNOD: root's, as a rule). Known
    before a node is tried, so that a user's re-run writes nothing for the nodes it can
    never make (each try makes and removes a private folder)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) >> _CAP_MKNOD & 1)
    except (OSError, ValueError):
        pass
    return hasattr(os, "geteuid") and os.geteuid() == 0


def on_nodev(path: str) -> bool:
    """Whether the entry at `path` (never opened) lies on a mount made nodev (a stick, as
    udisks mounts it; a user's FUSE mount): its device nodes may not be used there, and
    anyone may have made them. Made where the copy lands, they could be (a `crw-rw-rw-`
    node of a disk). Asked of each node, not once a device: a bind mount of the same
    file system may be nodev or not."""
    try:
        return bool(os.statvfs(path).f_flag & _ST_NODEV)
    except OSError:
        return True  # not known: not made


def special_file_reason(mode: int) -> Reason:
    kinds = [
        (stat.S_ISFIFO, Code.FIFO),
        (stat.S_ISSOCK, Code.SOCKET),
        (stat.S_ISCHR, Code.CHAR_DEVICE),
        (stat.S_ISBLK, Code.BLOCK_DEVICE),
    ]
    for test, code in kinds:
        if test(mode):
            return Reason(code)
    return Reason(Code.NOT_REGULAR)


MAX_PATHS = 64  # a folder is copied at this many paths at most (links, bind mounts)


class Scanner:
    """Walks the source below `root`, parents before children, without recursion.

    Entries that cannot be copied (special files, unreadable folders, loops) come out as
    final FileResults. `totals` grows as files are found. With `avoid`, a followed link
    into that folder (the target) is not entered, nor is the folder itself wherever the
    walk meets it (a followed link to a folder above it). Entries `filters` exclude are
    only counted (None from classify), and an excluded folder is not entered.
    """

    def __init__(
        self,
        root: str,
        follow_symlinks: bool,
        totals: ScanTotals,
        root_id: Identity,
        avoid: str = "",
        filters: Filters | None = None,
        avoid_id: Identity | None = None,
    ) -> None:
        self.follow = follow_symlinks
        self.filters = filters if filters else None  # checked per entry: None is cheapest
        self.totals = totals
        self.folders = Folders(root, LIST_FLAGS, root_id, follow_symlinks)
        self.real = os.path.realpath(root)
        self.avoid = os.path.realpath(avoid) if avoid else ""
        # The target's identity as the job holds it, not as its path leads now.
        self.avoid_id = avoid_id or (_identity_of(self.avoid) if avoid else None)
        # Each folder's identity by its path: a folder that is one of its own parents is a
        # loop. The same folder reached by two paths that do not nest is no loop: it is
        # copied at both, as cp -aL and rsync -aL do (a link to it, a bind mount).
        self.folder_ids: dict[str, Identity] = {"": root_id}
        # ... but at most MAX_PATHS times: two links a level to the next one make 2**n
        # paths from a tiny source (a copy that would never end, or fill the disk).
        self._paths_to: Counter[Identity] = Counter({root_id: 1})

    def close(self) -> None:
        self.folders.close()

    def walk(self) -> Iterator[Entry | FileResult]:
        root = Entry("", EntryKind.DIR, os.stat(self._open("", None)))
        yield root
        yield from self._below(root)

    def _below(self, top: Entry) -> Iterator[Entry | FileResult]:
        """Everything inside the folder `top`, parents before children."""
        pending: list[tuple[str, Identity]] = [(top.path, identity(top.st))]
        while pending:
            rel, expected = pending.pop()
            try:
                with os.scandir(self._open(rel, expected)) as listing:
                    names = [child.name for child in listing]
            except OSError as exc:
                yield _failed(rel or ".", exc, Code.CANNOT_LIST_FOLDER)
                continue
            for name in names:
                item = self.classify(rel, name)
                if item is None:
                    continue
                if isinstance(item, Entry) and item.kind is EntryKind.DIR:
                    pending.append((item.path, identity(item.st)))
                yield item

    def _open(self, rel: str, expected: Identity | None) -> int | str:
        folder = self.folders.open(rel, expected)
        return folder.fd if folder.fd is not None else folder.path  # by path without dir_fd

    def classify(self, parent: str, name: str) -> Entry | FileResult | None:
        """The entry `name` in the (already listed) folder `parent`; None if excluded."""
        rel = f"{parent}{os.sep}{name}" if parent else name
        try:
            folder = self.folders.open(parent)
            ref = folder.ref(name)
            st = os.stat(ref, dir_fd=folder.fd, follow_symlinks=False)
        except FolderReplaced:
            return _result(rel, FileStatus.FAILED, Code.FOLDER_REPLACED)
        except OSError as exc:
            return _failed(rel, exc, Code.CANNOT_READ_ENTRY)
        followed = stat.S_ISLNK(st.st_mode) and self.follow
        if followed:
            try:
                st = os.stat(ref, dir_fd=folder.fd)
            except FileNotFoundError:
                return _result(rel, FileStatus.FAILED, Code.BROKEN_LINK)
            except OSError as exc:
                return _failed(rel, exc, Code.CANNOT_READ_ENTRY)
            if stat.S_ISDIR(st.st_mode) and self._leads_to_target(folder.entry_ref(name)):
                return _result(rel, FileStatus.SKIPPED, Code.LINK_TO_TARGET)
        if self.filters is not None and self.filters.excludes(rel, st):
            self.totals.excluded += 1
            return None
        if (
            self.follow
            and is_special(st.st_mode)
            and (followed or not inside(folder.entry_ref(name), self.real))
        ):
            # A link to /dev/sda, or to /dev: never made a node of (the copy checks again).
            return FileResult(rel, FileStatus.SKIPPED, why=special_file_reason(st.st_mode))
        if is_device(st.st_mode) and on_nodev(folder.entry_ref(name)):
            return _result(rel, FileStatus.SKIPPED, Code.DEVICE_ON_NODEV)
        return self._entry(rel, st)

    def _entry(self, rel: str, st: os.stat_result) -> Entry | FileResult:
        if stat.S_ISLNK(st.st_mode):
            self.totals.files += 1
            return Entry(rel, EntryKind.LINK, st)
        if stat.S_ISREG(st.st_mode):
            self.totals.files += 1
            self.totals.bytes += st.st_size
            return Entry(rel, EntryKind.FILE, st)
        if stat.S_ISDIR(st.st_mode):
            if is_private_folder_name(rel.rpartition(os.sep)[2]):
                # Its copy would be removed by the next run as a leftover: neither made
                # nor entered (its entries would fail for want of it, run after run).
                return _result(rel, FileStatus.SKIPPED, Code.TEMP_NAMED)
            if identity(st) == self.avoid_id:  # never copy the target into itself
                # Without links to follow, only an alias the checks missed leads here.
                code = Code.LINK_TO_TARGET if self.follow else Code.TARGET_INSIDE_SOURCE
                return _result(rel, FileStatus.SKIPPED, code)
            if self._is_own_parent(rel, identity(st)):
                return _result(rel, FileStatus.SKIPPED, Code.LINK_LOOP)
            self._paths_to[identity(st)] += 1
            if self._paths_to[identity(st)] > MAX_PATHS:
                return _result(rel, FileStatus.FAILED, Code.TOO_MANY_PATHS)
            self.folder_ids[rel] = identity(st)
            return Entry(rel, EntryKind.DIR, st)
        if MAKES_SPECIALS and is_special(st.st_mode):
            if is_device(st.st_mode) and not makes_device_nodes():
                why = Reason(Code.SPECIAL_NOT_MADE, (os.strerror(errno.EPERM),))
                return FileResult(rel, FileStatus.SKIPPED, why=why)
            self.totals.files += 1
            return Entry(rel, EntryKind.SPECIAL, st)
        return FileResult(rel, FileStatus.SKIPPED, why=special_file_reason(st.st_mode))

    def _is_own_parent(self, rel: str, folder: Identity) -> bool:
        parent = rel
        while parent:
            parent = parent.rpartition(os.sep)[0]
            if self.folder_ids.get(parent) == folder:
                return True
        return False

    def _leads_to_target(self, link: str) -> bool:
        return bool(self.avoid) and inside(link, self.avoid)

    def selected(self, paths: list[str]) -> Iterator[Entry | FileResult]:
        """Like walk(), but only the given relative paths (for "retry failed").

        A folder among them is walked whole; each entry comes out once.
        """
        yield Entry("", EntryKind.DIR, os.stat(self._open("", None)))
        seen = {""}
        for path in paths:
            parts = path.split(os.sep)
            for depth in range(1, len(parts) + 1):
                rel = os.sep.join(parts[:depth])
                if rel in seen:
                    continue
                seen.add(rel)
                item = self.classify(os.sep.join(parts[: depth - 1]), parts[depth - 1])
                if item is None:
                    break
                yield item
                if not (isinstance(item, Entry) and item.kind is EntryKind.DIR):
                    break  # the file itself, or a parent that is no folder any more
                if depth == len(parts):  # a folder that failed: retry all of it
                    for below in self._below(item):
                        # (A folder that still cannot be listed fails at its own path.)
                        if below.path not in seen or isinstance(below, FileResult):
                            seen.add(below.path)
                            yield below


def _identity_of(path: str) -> Identity | None:
    try:
        return identity(os.stat(path))
    except OSError:  # not made yet (a dry run): nothing of it to meet
        return None


def _result(rel: str, status: FileStatus, code: Code) -> FileResult:
    return FileResult(rel, status, why=Reason(code))


def _failed(rel: str, exc: OSError, code: Code) -> FileResult:
    if isinstance(exc, FileNotFoundError):
        return _result(rel, FileStatus.FAILED, Code.VANISHED)
    why = Reason(code, (exc.strerror or str(exc),))
    return FileResult(rel, FileStatus.FAILED, why=why, errno=exc.errno or 0)
