"""The bytes of one file, in bounded chunks: holes kept, pause and cancel between chunks."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable

from app.core.events import WorkerContext

CHUNK = 4 << 20  # bytes per copy call: small enough to pause and report every few ms
PROGRESS_EVERY = 0.1  # seconds between progress messages of one file
WRITEBACK_MIN = 1 << 20  # files this large are written to disk while they are copied
# Errors meaning "this kernel or file system cannot copy_file_range here": use read/write.
_NO_COPY_FILE_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}

ProgressCallback = Callable[[str, int, int], None]  # (path, bytes done, size)


class Cancelled(Exception):
    pass


def wait_while_paused(ctx: WorkerContext) -> bool:
    """Block while paused; False once the job is cancelled."""
    while not ctx.running.is_set():
        if ctx.cancel.is_set():
            return False
        ctx.running.wait(0.1)
    return not ctx.cancel.is_set()


def copy_data(
    ctx: WorkerContext,
    fd_in: int,
    fd_out: int,
    st: os.stat_result,
    path: str,
    on_progress: ProgressCallback,
) -> int:
    """Copy the bytes; returns how many (short if the source shrank). Sparse stays sparse."""
    ticker = _Ticker(on_progress, path, st.st_size)
    blocks = getattr(st, "st_blocks", None)
    if blocks is None or blocks * 512 >= st.st_size or not hasattr(os, "SEEK_DATA"):
        return _copy_range(ctx, fd_in, fd_out, 0, st.st_size, ticker)
    for start, end in _data_ranges(fd_in, st.st_size):
        if _copy_range(ctx, fd_in, fd_out, start, end, ticker) != end - start:
            return start  # short: the source shrank
    os.ftruncate(fd_out, st.st_size)
    return st.st_size


def _data_ranges(fd: int, size: int) -> list[tuple[int, int]]:
    ranges = []
    position = 0
    while position < size:
        try:
            start = os.lseek(fd, position, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # only a hole is left
                break
            raise
        end = min(os.lseek(fd, start, os.SEEK_HOLE), size)
        ranges.append((start, end))
        position = end
    return ranges


class _Ticker:
    def __init__(self, on_progress: ProgressCallback, path: str, size: int) -> None:
        self.on_progress = on_progress
        self.path = path
        self.size = size
        self.next_report = time.monotonic() + PROGRESS_EVERY
        if size > CHUNK:  # a file that takes several chunks shows as current at once
            on_progress(path, 0, size)

    def tick(self, done: int) -> None:
        now = time.monotonic()
        if now >= self.next_report:
            self.on_progress(self.path, done, self.size)
            self.next_report = now + PROGRESS_EVERY


def _copy_range(
    ctx: WorkerContext, fd_in: int, fd_out: int, start: int, end: int, ticker: _Ticker
) -> int:
    """Copy bytes [start, end) at the same offsets; returns bytes copied (short if it shrank)."""
    offset = start
    use_kernel_copy = hasattr(os, "copy_file_range")
    while offset < end:
        count = min(CHUNK, end - offset)
        if use_kernel_copy:
            try:
                n = os.copy_file_range(fd_in, fd_out, count, offset, offset)
            except OSError as exc:
                if exc.errno not in _NO_COPY_FILE_RANGE or offset != start:
                    raise
                use_kernel_copy = False
                continue
        else:
            n = _read_write(fd_in, fd_out, count, offset)
        if n == 0:
            break  # the source shrank
        if ticker.size >= WRITEBACK_MIN:
            _start_writeback(fd_out, offset, n)
        offset += n
        if offset < end:
            if ctx.cancel.is_set() or not wait_while_paused(ctx):
                raise Cancelled
            ticker.tick(offset)
    return offset - start


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Have the kernel start writing this range to disk now, without waiting for it.

    Left alone, copied data sits in memory until the final sync, and the disk idles while
    Ferry copies and is then busy while Ferry shows 100 %. (Linux: POSIX_FADV_DONTNEED
    starts writeback of dirty pages; they leave the cache once written.)
    """
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def _read_write(fd_in: int, fd_out: int, count: int, offset: int) -> int:
    data = os.pread(fd_in, min(count, 1 << 20), offset)
    view = memoryview(data)
    while view:
        written = os.pwrite(fd_out, view, offset + len(data) - len(view))
        view = view[written:]
    return len(data)
