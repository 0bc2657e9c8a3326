"""Read files back from the storage device, hash them, and compare: proof, not a cache hit.

A re-read right after writing comes from the page cache and proves nothing. After the
data is synced (fdatasync, for each file), the read goes past the page cache (O_DIRECT)
where the file system allows it. Elsewhere posix_fadvise(DONTNEED) drops the file's
clean pages first, so the read comes from the device, but for pages another process has
mapped, which stay (tmpfs and some FUSE file systems; elsewhere than Linux the read may
be served from memory). Where even that cannot reach the device (a FUSE file system of a
block device, data kept inline), fromdisk.py says so, and the result is marked `cached`.
Reading and hashing release the GIL, so a few threads keep a device busy.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
import queue
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import NamedTuple

from app.core import fromdisk, metadata
from app.core.events import Identity
from app.core.hashing import Algorithm
from app.core.reasons import Code, Reason
from app.core.tree import NOFOLLOW, PATH_FLAGS, FolderReplaced, Folders, identity

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

CHUNK = 1 << 20  # bytes per read: large enough that hashing releases the GIL
READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
TICK = 0.1  # seconds between progress calls
QUEUED = 4  # items waiting for the readers, a reader: taken from their iterable as they go
# Results waiting for the caller, a reader, before the readers wait for it (a caller held
# up by its output, a pipe nobody reads): their memory stays bounded. Enough for a
# caller's few milliseconds, so that readers who wait WAIT at a time never leave it idle.
RESULTS_AHEAD = 1024
WAIT = 0.005


class CheckStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    MISSING = "missing"


class CheckItem(NamedTuple):
    path: str  # relative to the folder checked
    size: int  # expected, for progress (0 if unknown)
    expected: str = ""  # hex digest to compare with; "" only computes it


class Checked(NamedTuple):
    path: str
    status: CheckStatus
    digest: str = ""
    why: Reason | None = None
    inode: Identity | None = None  # (device, inode) of the file read, when one was
    cached: bool = False  # read through the system's cache, not from the device (fromdisk)


class _Cancelled(Exception):
    pass


def drop_cached_pages(fd: int) -> None:
    """Forget a file's pages, so the next read comes from the device. Pages not yet
    written out are written first (`ferry verify` runs without a flush before it, and
    DONTNEED leaves such pages be): OSError if that fails, as the device lacks them."""
    if hasattr(os, "fdatasync"):
        try:
            os.fdatasync(fd)
        except OSError as exc:  # squashfs, iso9660, erofs: read-only, no fsync, no dirt
            if exc.errno not in (errno.EINVAL, errno.EROFS, errno.ENOSYS, errno.ENOTSUP):
                raise
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def device_chunks(fd: int) -> Iterator[memoryview]:
    """A file's bytes as its device holds them, a chunk at a time (see the module's text);
    each chunk is valid until the next one.

    O_DIRECT reads need a buffer aligned to the device's blocks: an mmap'ed (page
    aligned) buffer, one a thread, kept (mapping one a file made reading tens of
    thousands of small files four times slower).
    """
    drop_cached_pages(fd)  # written out first: O_DIRECT reads what the device has
    direct = _set_direct(fd, True)
    view = _buffer()
    while True:
        try:
            count = os.readv(fd, [view])
        except OSError as exc:  # an alignment other than a page's is wanted
            if not direct or exc.errno != errno.EINVAL:
                raise
            direct = _set_direct(fd, False)
            continue
        if not count:
            return
        if direct and count < CHUNK:  # the end: what follows is not aligned
            direct = _set_direct(fd, False)
        with view[:count] as chunk:
            yield chunk


_buffers = threading.local()


def _buffer() -> memoryview:
    """This thread's read buffer (kept for the thread's life)."""
    view: memoryview | None = getattr(_buffers, "view", None)
    if view is None:
        view = _buffers.view = memoryview(mmap.mmap(-1, CHUNK))
    return view


def _set_direct(fd: int, on: bool) -> bool:
    """Turn O_DIRECT on or off for `fd`; whether it is on (False where not supported)."""
    direct = getattr(os, "O_DIRECT", 0)
    if not direct or fcntl is None:
        return False
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | direct if on else flags & ~direct)
    except OSError:  # tmpfs, some FUSE file systems
        return False
    return on


class Checker:
    """Reads items under `root` back from the device in `threads` threads.

    check() blocks in the caller's thread, which gets every result (on_checked) and a
    progress call every 0.1 s (on_tick); `cancel` stops it between chunks, and while
    `running` is clear the threads wait (pause).
    """

    def __init__(
        self,
        root: str,
        algorithm: Algorithm,
        threads: int,
        cancel: threading.Event,
        running: threading.Event | None = None,
        root_id: Identity | None = None,
        folder_ids: dict[str, Identity] | None = None,
        mismatch: Code = Code.VERIFY_MISMATCH,
        replaced: Code = Code.FOLDER_REPLACED,
        date_mismatches: bool = False,
        follow: bool = False,
    ) -> None:
        """`date_mismatches`: a copy that differs is dated for the next run to copy again
        (metadata.date_as_stale): the job's own copies, not a folder `ferry verify` reads.
        `follow`: links are followed, as the scan followed them (a source read in follow
        mode); else a link is never read."""
        self.root = root
        self.algorithm = algorithm
        self.threads = max(1, threads)
        self.cancel = cancel
        self.running = running
        self.root_id = root_id
        self.folder_ids = folder_ids or {}
        self.mismatch = mismatch
        self.replaced = replaced  # said of a path through a link, or a folder swapped
        self.date_mismatches = date_mismatches
        self.follow = follow
        self._flags = READ_FLAGS & ~NOFOLLOW if follow else READ_FLAGS
        self._done_bytes = [0] * self.threads  # one counter per thread: no lock needed
        self._devices = fromdisk.Devices()
        self._abandoned = threading.Event()  # the caller of check() failed

    @property
    def bytes_done(self) -> int:
        return sum(self._done_bytes)

    def check(
        self,
        items: Iterable[CheckItem],
        on_checked: Callable[[Checked], None],
        on_tick: Callable[[], None] = lambda: None,
    ) -> None:
        todo: queue.Queue[CheckItem | None] = queue.Queue(maxsize=QUEUED * self.threads)
        done: queue.Queue[Checked | None] = queue.Queue()  # (bounded by _hand_over)
        threads = [
            threading.Thread(
                target=self._work, args=(slot, todo, done), name="ferry-verify", daemon=True
            )
            for slot in range(self.threads)
        ]
        for thread in threads:
            thread.start()
        feeder = threading.Thread(
            target=self._feed, args=(items, todo), name="ferry-verify-feed", daemon=True
        )
        feeder.start()
        finished, last_tick = 0, 0.0
        try:
            while finished < self.threads:
                with contextlib.suppress(queue.Empty):
                    result = done.get(timeout=TICK)
                    if result is None:
                        finished += 1
                    else:
                        on_checked(result)
                if time.monotonic() - last_tick >= TICK:
                    last_tick = time.monotonic()
                    on_tick()
        except BaseException:
            # The caller failed: no one takes results now. Else its readers waited for
            # it (_hand_over) for ever, their folders and the manifest open (review).
            self._abandoned.set()
            raise
        finally:
            feeder.join()
            for thread in threads:
                thread.join()

    def _feed(self, items: Iterable[CheckItem], todo: queue.Queue[CheckItem | None]) -> None:
        try:
            for item in items:
                if self._stopping():
                    break
                todo.put(item)
        finally:
            for _ in range(self.threads):
                todo.put(None)

    def _work(
        self, slot: int, todo: queue.Queue[CheckItem | None], done: queue.Queue[Checked | None]
    ) -> None:
        folders = Folders(self.root, PATH_FLAGS, self.root_id, self.follow)
        try:
            while (item := todo.get()) is not None:
                try:
                    self._hand_over(done, self._check_one(slot, folders, item))
                except _Cancelled:
                    pass
                except Exception as exc:  # this file fails; a reader that died would hang us
                    why = Reason(Code.CANNOT_VERIFY, (repr(exc),))
                    done.put(Checked(item.path, CheckStatus.FAILED, why=why))
        finally:
            folders.close()
            done.put(None)

    def _hand_over(self, done: queue.Queue[Checked | None], result: Checked) -> None:
        """Queue a result for the caller, once it is less than RESULTS_AHEAD a reader
        behind. (A bounded queue, blocking, woke a reader for each result taken once
        full: a thread switch a file, 1.6x the time of a verify of missing files.)"""
        while done.qsize() >= RESULTS_AHEAD * self.threads and not self._stopping():
            time.sleep(WAIT)
        done.put(result)

    def _check_one(self, slot: int, folders: Folders, item: CheckItem) -> Checked:
        self._wait_while_paused()
        parent, _, name = item.path.rpartition(os.sep)
        try:
            folder = folders.open(parent, self.folder_ids.get(parent))
            fd = os.open(folder.ref(name), self._flags, dir_fd=folder.fd)
        except FileNotFoundError:
            return Checked(item.path, CheckStatus.MISSING, why=Reason(Code.VERIFY_MISSING))
        except FolderReplaced:
            return Checked(item.path, CheckStatus.FAILED, why=Reason(self.replaced))
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link, never followed (O_NOFOLLOW)
                return Checked(item.path, CheckStatus.FAILED, why=Reason(Code.NOT_A_FILE))
            why = Reason(Code.CANNOT_VERIFY, (exc.strerror or str(exc),))
            return Checked(item.path, CheckStatus.FAILED, why=why)
        try:
            st = os.fstat(fd)
            cached = not self._devices.reached(st.st_dev, fd) or fromdisk.inline(fd, st.st_size)
            digest = self._read_back(slot, fd, st)
            differs = digest is not None and item.expected and digest != item.expected
            if differs and self.date_mismatches:
                metadata.date_as_stale(fd)
        except OSError as exc:
            why = Reason(Code.CANNOT_VERIFY, (exc.strerror or str(exc),))
            return Checked(item.path, CheckStatus.FAILED, why=why)
        finally:
            os.close(fd)
        if digest is None:
            return Checked(item.path, CheckStatus.FAILED, why=Reason(Code.NOT_A_FILE))
        if differs:
            why = Reason(self.mismatch, (self.algorithm.value,))
            return Checked(item.path, CheckStatus.FAILED, digest, why)
        return Checked(item.path, CheckStatus.OK, digest, inode=identity(st), cached=cached)

    def _wait_while_paused(self) -> None:
        while self.running is not None and not self.running.is_set():
            if self._stopping():
                break
            self.running.wait(0.1)
        if self._stopping():
            raise _Cancelled

    def _stopping(self) -> bool:
        return self.cancel.is_set() or self._abandoned.is_set()

    def _read_back(self, slot: int, fd: int, st: os.stat_result) -> str | None:
        """The digest of the file's bytes as the device holds them (None: not a file)."""
        if not stat.S_ISREG(st.st_mode):
            return None
        hasher = self.algorithm.new()
        for chunk in device_chunks(fd):
            self._wait_while_paused()
            hasher.update(chunk)
            self._done_bytes[slot] += len(chunk)
        return hasher.hexdigest()
