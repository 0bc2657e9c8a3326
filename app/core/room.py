"""The room a job's copies take on the target's disk, counted as the scan finds them.

A new copy takes its blocks. A replacement is written in full before the copy it replaces
goes, so it takes what it adds to that copy for good, and all of that copy's room again
while it is written: `overlap`. Two such writes at once can fill a disk that holds either
alone, so the copy phase starts one only where it fits beside those in flight (fits).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from app.core.scan import on_disk
from app.core.tree import mount_id


class Room:
    """Bytes the job's copies will take on the target, against what was free at its start
    (None: unknown, nothing is held back)."""

    def __init__(self, free: int | None, block_size: int) -> None:
        self.free = free
        self.need = 0  # bytes the copies will take on disk, as far as the scan got
        self.largest_overlap = 0  # the most a replacement holds while both copies exist
        self._block_size = block_size
        self._entries = 0  # files and new folders: each takes whole blocks

    def add_new(self, allocated: int) -> None:
        """Count a copy under a free name (most files: kept short, it runs for each)."""
        self.need += allocated
        self._entries += 1

    def add(self, allocated: int, existing: os.stat_result | None = None) -> int:
        """Count a copy of a file taking `allocated` bytes, over `existing` if it replaces
        one. Returns its overlap; `exceeded` says whether the total still fits."""
        replaced = freed_by_replacing(existing)
        self.need += max(0, allocated - replaced)  # over a sparse copy: more
        self._entries += 1
        overlap = min(allocated, replaced)
        self.largest_overlap = max(self.largest_overlap, overlap)
        return overlap

    def add_folder(self) -> None:
        self._entries += 1

    @property
    def peak(self) -> int:
        """The most the copies take at once: their room, and the largest replacement's
        old copy beside it while it is written."""
        return self.need + self.largest_overlap

    @property
    def exceeded(self) -> bool:
        """Whether the copies cannot all land (counting the peak: else a replacement that
        cannot fit beside its old copy started, and filled the disk)."""
        return self.free is not None and self.peak > self.free

    def fits(self, extra: int) -> bool:
        """Whether `extra` bytes fit beside everything counted, each file and new folder
        at a whole block at least (small files take more than their bytes)."""
        blocks = self._entries * self._block_size
        return self.free is None or self.need + blocks + extra <= self.free


class MovedByLink:
    """Which files a move links in rather than copies: they take no room. Only a file on
    the target's very mount is (a bind mount of the same disk is another mount, and
    link() fails across mounts; then the file is copied). Unknown (no /proc): copied."""

    def __init__(self, target_fd: int | None, move: bool) -> None:
        self._mount: tuple[int, int | None] | None = None
        if move and target_fd is not None:
            self._mount = (os.fstat(target_fd).st_dev, mount_id(target_fd))
        self._folders: dict[str, bool] = {}  # source folder -> on the target's mount

    def __call__(self, parent: str, st: os.stat_result, folder: Callable[[], int | None]) -> bool:
        """Whether the file `st` in the source folder `parent` (whose descriptor `folder`
        gives) is linked in."""
        if self._mount is None or self._mount[1] is None or st.st_dev != self._mount[0]:
            return False
        if parent not in self._folders:
            fd = folder()
            self._folders[parent] = fd is not None and mount_id(fd) == self._mount[1]
        return self._folders[parent]


def freed_by_replacing(existing: os.stat_result | None) -> int:
    """Room a replaced file gives back: none while it has other names (a snapshot's)."""
    if existing is None or not stat.S_ISREG(existing.st_mode) or existing.st_nlink > 1:
        return 0
    return on_disk(existing)


def block_size(path: str) -> int:
    try:
        return os.statvfs(path).f_frsize
    except (AttributeError, OSError):  # no statvfs (Windows)
        return 4096
