"""Whether reading a file back reaches its device: FUSE block file systems, inline data.

Two kinds of files defeat fdatasync + DONTNEED + O_DIRECT (readback.py), which act on
the file's own pages:

- On a FUSE file system of a block device (`fuseblk`: exfat-fuse, ntfs-3g, a USB stick),
  the FUSE program reads the device through the device's page cache, which still holds
  what was written: a byte flipped on the device passed. The file system is synced and
  the device's buffers flushed (BLKFLSBUF, root only) once, before its first file is read.
- Data kept inline in the file system's metadata (btrfs inline extents, up to 2 KiB by
  default; ext4 `inline_data`): O_DIRECT falls back to a buffered read and DONTNEED
  leaves metadata cached (the device counted 0 sectors read). FIEMAP tells them, asked
  only of files of 4 KiB or less.

What cannot be flushed so is said to have been read through the system's cache.
"""

from __future__ import annotations

import os
import stat
import struct
import threading

from app.core.flush import sync_file_system
from app.core.preflight import mount_of

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

BLKFLSBUF = 0x1261  # _IO(0x12, 97): write out and drop a block device's buffers
FS_IOC_FIEMAP = 0xC020660B  # _IOWR('f', 11, struct fiemap)
FIEMAP_FLAG_SYNC = 0x1
FIEMAP_EXTENT_DATA_INLINE = 0x200
INLINE_MAX = 4096  # bytes: no file system keeps a larger file's data inline
_FIEMAP = struct.Struct("=QQIIII")  # start, length, flags, mapped extents, extent count, -
_EXTENT = struct.Struct("=QQQ16xI12x")  # logical, physical, length, flags


def fiemap_request() -> bytes:
    """struct fiemap asking for the first extent of the whole file (synced first)."""
    return _FIEMAP.pack(0, (1 << 64) - 1, FIEMAP_FLAG_SYNC, 0, 1, 0) + bytes(_EXTENT.size)


def first_extent_inline(answer: bytes) -> bool:
    """Whether FIEMAP's answer maps a first extent, and it is kept inline."""
    mapped = _FIEMAP.unpack_from(answer)[3]
    return mapped > 0 and bool(
        _EXTENT.unpack_from(answer, _FIEMAP.size)[3] & FIEMAP_EXTENT_DATA_INLINE
    )


def inline(fd: int, size: int) -> bool:
    """Whether the open file's data is kept in its file system's metadata."""
    if fcntl is None or not 0 < size <= INLINE_MAX:
        return False
    try:
        return first_extent_inline(fcntl.ioctl(fd, FS_IOC_FIEMAP, fiemap_request()))
    except OSError:  # no FIEMAP (tmpfs, FUSE, network file systems): no inline data either
        return False


def fuseblk_source(device: int) -> str | None:
    """The source a `fuseblk` file system on `device` was mounted from (a device node,
    as a rule); None if no fuseblk is mounted on that device."""
    kind, source = mount_of(device)
    return source if kind == "fuseblk" else None


class Devices:
    """The devices one read-back meets, each made ready once: whether reads of its
    files reach the device (thread-safe: the checker's threads share it)."""

    def __init__(self) -> None:
        self._reached: dict[int, bool] = {}
        self._lock = threading.Lock()

    def reached(self, device: int, fd: int) -> bool:
        """Whether reads of files on `device` (`fd`: one of them, open) reach it."""
        with self._lock:
            if device not in self._reached:
                self._reached[device] = _made_ready(device, fd)
            return self._reached[device]


def _made_ready(device: int, fd: int) -> bool:
    """False where the files on `device` are read through a cache that cannot be flushed.
    Only the file system of `fd` is written out, and only where its device can then be
    flushed: sync() of every file system waited for any other disk, a stalled one for
    ever, unkillable (review)."""
    source = fuseblk_source(device)
    if source is None:
        return True  # the file's own pages are all there is to drop (readback.py)
    try:
        node = os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:  # not root, or no such node (a file, a name this mount namespace lacks)
        return False
    try:
        st = os.fstat(node)
        if fcntl is None or not stat.S_ISBLK(st.st_mode) or st.st_rdev != device:
            return False
        sync_file_system(fd)  # what the FUSE program holds, written to the device
        fcntl.ioctl(node, BLKFLSBUF, 0)  # (CAP_SYS_ADMIN: root)
        return True
    except OSError:
        return False
    finally:
        os.close(node)
