"""The room a job's copies take on the target's disk, counted as the scan finds them.

A new copy takes its blocks: its bytes rounded up to the target's block size (a file of
5,000 bytes takes 8 KiB; counted by its bytes, 1,400 small files "fitted" a disk they
filled), but for a file small enough to be kept in the file system's metadata (btrfs).
A replacement is written in full before the copy it replaces goes, so it takes what it
adds to that copy for good, and all of that copy's room again while it is written:
`overlap`. Two such writes at once can fill a disk that holds either
alone, so the copy phase starts one only where it fits beside those in flight (fits).

Each new name takes an inode too: a file system made for big files (`mkfs -T largefile`)
or a small one fills its inodes with space to spare, and copying a million small files
there stopped half-way with "the disk is full" while `df` showed room (new_names).
"""

from __future__ import annotations

import os
import stat

from app.core.options import CopyOptions
from app.core.preflight import file_system_of, file_system_type
from app.core.reasons import Code, Reason
from app.core.scan import on_disk
from app.core.tree import EUID, PATH_FLAGS, mount_id

# btrfs keeps a file of up to 2 KiB (its default max_inline) in its metadata, in no block.
# (So may ext4 made with inline_data, which its type does not tell: counted in blocks.)
_INLINE = {"btrfs": 2048}


class Room:
    """Bytes the job's copies will take on the target, against what was free at its start
    (None: unknown, nothing is held back)."""

    def __init__(
        self, free: int | None, target: str = "", linked: tuple[int, int] | None = None
    ) -> None:
        """`target`: a folder on the copies' file system (none: bytes are counted as they
        are). `linked`: for a move within one disk, the (device, mount) whose files are
        linked in, not written: they take no room (links_in, links: the caller counts
        them so), and a replacement is never written beside its old copy."""
        self.free = free
        self.linked = linked
        self.overlaps = linked is None
        self.need = 0  # bytes the copies will take on disk, as far as the scan got
        self.largest_overlap = 0  # the most a replacement holds while both copies exist
        kind = file_system_type(target) if target else ""  # (the mount table read once)
        self._block, self._inline = _blocks_of(target, kind) if target else (1, 0)
        self._folders = 0  # new folders: each takes a block, counted only by `fits`
        # Names the target's file system can still make (None: it does not say, as vfat,
        # exFAT and btrfs do not), and those the copies make: files, links, folders.
        self.free_names = _free_inodes(target, kind) if target and free is not None else None
        self.new_names = 0
        # A move's link to its source's inode takes no inode, but on tmpfs (each name
        # holds memory there: it counts links as inodes).
        self._links_take_names = kind == "tmpfs"

    def add_new(self, allocated: int, linked: bool = False) -> None:
        """Count a copy under a free name (most files: kept short, it runs for each);
        `linked`: a move's link to its source's inode, a name that takes no inode."""
        if allocated > self._inline:  # (in whole blocks, as _in_blocks, without a call)
            allocated = -(-allocated // self._block) * self._block
        self.need += allocated
        self.new_names += not linked or self._links_take_names

    def take_back(self, allocated: int) -> None:
        """Uncount a copy counted with add_new (counted ahead: the feeder's _defer)."""
        self.need -= self._in_blocks(allocated)
        self.new_names -= 1

    def add(
        self, allocated: int, existing: os.stat_result | None = None, linked: bool = False
    ) -> int:
        """Count a copy of a file taking `allocated` bytes, over `existing` if it replaces
        one (`linked`: as add_new). Returns its overlap; `exceeded` says whether the total
        still fits."""
        allocated = self._in_blocks(allocated)
        replaced = self._in_blocks(freed_by_replacing(existing))  # (as it was counted)
        self.need += max(0, allocated - replaced)  # over a sparse copy: more
        self.new_names += existing is None and (not linked or self._links_take_names)
        overlap = min(allocated, replaced) if self.overlaps else 0
        self.largest_overlap = max(self.largest_overlap, overlap)
        return overlap

    def give_back(self, allocated: int) -> None:
        """Count as free a file of `allocated` bytes the job deletes (a killed run's
        temp): on a full stick, a re-run refused for want of the room it frees."""
        if self.free is not None:
            self.free += self._in_blocks(allocated)
        if self.free_names is not None:
            self.free_names += 1

    def add_folder(self) -> None:
        self._folders += 1
        self.new_names += 1

    def links_in(self, folder: int | None) -> bool:
        """Whether a move links in the files of the source folder open as `folder`: on
        the very mount of the target (a bind mount of the disk inside the source is
        another: its files are copied)."""
        if self.linked is None or folder is None:
            return False
        return mount_id(folder) == self.linked[1]

    def links(self, st: os.stat_result) -> bool:
        """Whether a move links in this file of a folder it links in: one on the disk
        (not bind-mounted from another), which this process may link: Linux's
        protected_hardlinks lets a user link files of their own (and some others'
        they may read and write: counted as copies here). Only a regular file is linked
        in: a symbolic link or special file is made anew, an inode each (counted as
        linked, a move of links stopped half-way on a disk short of inodes, review)."""
        assert self.linked is not None
        linkable = stat.S_ISREG(st.st_mode) and st.st_dev == self.linked[0]
        return linkable and EUID in (0, st.st_uid)

    def _in_blocks(self, allocated: int) -> int:
        """`allocated` bytes rounded up to whole blocks (none for a file kept inline)."""
        if allocated <= self._inline:
            return allocated
        return -(-allocated // self._block) * self._block

    @property
    def peak(self) -> int:
        """The most the copies take at once: their room, and the largest replacement's
        old copy beside it while it is written."""
        return self.need + self.largest_overlap

    @property
    def exceeded(self) -> bool:
        """Whether the copies cannot all land (counting the peak: else a replacement that
        cannot fit beside its old copy started, and filled the disk)."""
        return (self.free is not None and self.peak > self.free) or self.out_of_names

    @property
    def out_of_names(self) -> bool:
        """Whether the copies make more new names than the file system has inodes left."""
        return self.free_names is not None and self.new_names > self.free_names

    def refusal(self, scan_done: bool) -> Reason:
        """Why the copies cannot all land (exceeded); `scan_done`: counted to the end."""
        if self.out_of_names:
            code = Code.NO_INODES if scan_done else Code.NO_INODES_SO_FAR
            return Reason(code, (self.new_names, self.free_names))
        code = Code.NO_SPACE if scan_done else Code.NO_SPACE_SO_FAR
        return Reason(code, (self.peak, self.free))

    def fits(self, extra: int) -> bool:
        """Whether `extra` bytes fit beside everything counted, new folders too."""
        folders = self._folders * self._block
        return self.free is None or self.need + folders + extra <= self.free

    def renewal_fits(self, allocated: int, other_workers: int) -> bool:
        """Whether a copy made again for a new owner fits, decided once all else is
        counted: it is written before the old one goes, while each other worker may be
        writing a replacement (the largest, at most). A move in place takes no room."""
        return not self.overlaps or self.fits(allocated + other_workers * self.largest_overlap)


def linked_from(
    options: CopyOptions, source: str, target: str, links: bool
) -> tuple[int, int] | None:
    """The (device, mount) whose files a move links in rather than copies (Room's
    `linked`): the source root's, where the target is on that very mount (a link to another mount of
    the disk fails, and the file is copied) and keeps hard links, but for overlay (a
    link copies a lower file up). Links followed out of the source are copied."""
    if not options.move or options.follow_symlinks or not links:
        return None
    try:
        device = os.stat(source).st_dev
        if file_system_of(device) == "overlay":
            return None
        fds = [os.open(path, PATH_FLAGS) for path in (source, target)]
    except OSError:
        return None
    try:
        mounts = {mount_id(fd) for fd in fds}
    finally:
        for fd in fds:
            os.close(fd)
    mount = mounts.pop() if len(mounts) == 1 else None
    return None if mount is None else (device, mount)


def freed_by_replacing(existing: os.stat_result | None) -> int:
    """Room a replaced file gives back: none while it has other names (a snapshot's)."""
    if existing is None or not stat.S_ISREG(existing.st_mode) or existing.st_nlink > 1:
        return 0
    return on_disk(existing)


def _free_inodes(path: str, kind: str) -> int | None:
    """Inodes this process may still take on the file system at `path`; None where it
    does not count them (a total of 0), or keeps none: FAT and exFAT, which exfat-fuse
    says its free clusters as (an empty file takes none: 40 of them onto a stick with
    10 clusters free were refused, review), and FUSE, whose program says what it likes."""
    if kind in _NO_INODES or kind.startswith("fuse"):
        return None
    try:
        usage = os.statvfs(path)
    except (AttributeError, OSError):
        return None
    return usage.f_favail if usage.f_files else None


_NO_INODES = {"vfat", "msdos", "exfat"}


def _blocks_of(path: str, kind: str) -> tuple[int, int]:
    """The block size of the file system at `path` (of type `kind`), and the most bytes a
    file there may hold in no block of its own."""
    try:
        return max(1, os.statvfs(path).f_frsize), _INLINE.get(kind, 0)
    except (AttributeError, OSError):  # no statvfs (Windows)
        return 4096, 0
