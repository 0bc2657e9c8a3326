"""The bytes of one file, in bounded chunks: holes kept, pause and cancel between chunks."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable

from app.core.events import WorkerContext
from app.core.failures import step
from app.core.hashing import Hasher, update_zeros
from app.core.reasons import Code

CHUNK = 4 << 20  # bytes per copy call: small enough to pause and report every few ms
BUFFER = 1 << 20  # bytes read at a time when the data passes through this process
PROGRESS_EVERY = 0.1  # seconds between progress messages of one file
WRITEBACK_MIN = 1 << 20  # files this large are written to disk while they are copied
# Errors meaning "this kernel or file system cannot copy_file_range here": use read/write.
_NO_COPY_FILE_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}

HAS_COPY_FILE_RANGE = hasattr(os, "copy_file_range")

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
    hasher: Hasher | None = None,
) -> int:
    """Copy the bytes; returns how many (short if the source shrank). Sparse stays sparse.

    With a hasher, the data passes through this process once and is hashed on the way
    (holes as the zeros they read as), so a verified copy reads its source only once.
    """
    blocks = getattr(st, "st_blocks", None)
    dense = blocks is None or blocks * 512 >= st.st_size or not hasattr(os, "SEEK_DATA")
    in_kernel = hasher is None and HAS_COPY_FILE_RANGE
    if in_kernel and dense and st.st_size < WRITEBACK_MIN:
        copied = _small_in_kernel(fd_in, fd_out, st.st_size)
        if copied is not None:
            return copied
        in_kernel = False
    ticker = _Ticker(on_progress, path, st.st_size)
    copy = _Copy(ctx, fd_in, fd_out, ticker, hasher, in_kernel)
    if dense:
        return copy.range(0, st.st_size)
    position = 0
    for start, end in _data_ranges(fd_in, st.st_size):
        if hasher is not None:
            update_zeros(hasher, start - position)
        if copy.range(start, end) != end - start:
            return start  # short: the source shrank
        position = end
    if hasher is not None:
        update_zeros(hasher, st.st_size - position)
    os.ftruncate(fd_out, st.st_size)
    return st.st_size


def _small_in_kernel(fd_in: int, fd_out: int, size: int) -> int | None:
    """A small file in one kernel call, without the chunk loop's objects (most files are
    small, and those cost more than the call); None where the kernel cannot copy it."""
    offset = 0
    while offset < size:
        try:
            n = os.copy_file_range(fd_in, fd_out, size - offset, offset, offset)
        except OSError as exc:
            if exc.errno == errno.EIO:
                return None  # through a buffer, which tells a bad source from a bad target
            if exc.errno not in _NO_COPY_FILE_RANGE or offset:
                raise
            return None
        if n == 0:
            break  # the source shrank
        offset += n
    return offset


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


class _Copy:
    """Copies ranges of one file: in the kernel (copy_file_range), or through a buffer
    when the data must be hashed or the kernel cannot."""

    def __init__(
        self,
        ctx: WorkerContext,
        fd_in: int,
        fd_out: int,
        ticker: _Ticker,
        hasher: Hasher | None,
        in_kernel: bool,
    ) -> None:
        self.ctx = ctx
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.ticker = ticker
        self.hasher = hasher
        self.in_kernel = in_kernel
        self.buffer = bytearray(0 if self.in_kernel else BUFFER)

    def range(self, start: int, end: int) -> int:
        """Copy bytes [start, end) at the same offsets; returns bytes copied (short if
        the source shrank)."""
        offset = start
        while offset < end:
            count = min(CHUNK, end - offset)
            n = self._kernel_copy(count, offset, start) if self.in_kernel else None
            if n is None:
                n = self._buffered_copy(count, offset)
            if n == 0:
                break  # the source shrank
            if self.ticker.size >= WRITEBACK_MIN:
                _start_writeback(self.fd_out, offset, n)
            offset += n
            if offset < end:
                if self.ctx.cancel.is_set() or not wait_while_paused(self.ctx):
                    raise Cancelled
                self.ticker.tick(offset)
        return offset - start

    def _kernel_copy(self, count: int, offset: int, start: int) -> int | None:
        """Bytes copied by the kernel; None if it cannot here (then through a buffer)."""
        try:
            return os.copy_file_range(self.fd_in, self.fd_out, count, offset, offset)
        except OSError as exc:
            # EIO: through a buffer, which tells a bad source from a bad target.
            if exc.errno != errno.EIO and (exc.errno not in _NO_COPY_FILE_RANGE or offset != start):
                raise
            self.in_kernel = False
            self.buffer = bytearray(BUFFER)
            return None

    def _buffered_copy(self, count: int, offset: int) -> int:
        """Read up to `count` bytes into the buffer (hashing them) and write them all."""
        view = memoryview(self.buffer)[: min(count, len(self.buffer))]
        with step(Code.CANNOT_READ):  # (the caller's step says "cannot write")
            n = os.preadv(self.fd_in, [view], offset)
        if self.hasher is not None:
            self.hasher.update(view[:n])
        written = 0
        while written < n:
            written += os.pwritev(self.fd_out, [view[written:n]], offset + written)
        return n


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Have the kernel start writing this range to disk now, without waiting for it.

    Left alone, copied data sits in memory until the final sync, and the disk idles while
    Ferry copies and is then busy while Ferry shows 100 %. (Linux: POSIX_FADV_DONTNEED
    starts writeback of dirty pages; they leave the cache once written.)
    """
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)
