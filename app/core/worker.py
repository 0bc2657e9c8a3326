"""Top-level functions that run inside the Pool's worker processes (no Qt, ever)."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import queue
import signal
import stat
import threading
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from typing import Any, NamedTuple, Protocol

from app.core.events import FileProgress, FileResult, FileStatus, TaskResults, TaskStarted
from app.core.options import ConflictPolicy, CopyOptions
from app.core.scan import EntryKind, special_file_reason

CHUNK = 4 << 20  # bytes per copy call: small enough to pause and report every few ms
PROGRESS_EVERY = 0.1  # seconds between progress messages of one file
FLUSH_EVERY = 0.1  # seconds a finished result may wait in the worker before it is sent
FLUSH_COUNT = 128  # ... or this many results
TEMP_PREFIX = ".ferry-"
TEMP_SUFFIX = ".part"
# Errors meaning "this kernel or file system cannot copy_file_range here": use read/write.
_NO_COPY_FILE_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}
_CLOEXEC_BINARY = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# O_NONBLOCK: a FIFO swapped in after the scan must not block the open.
READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC_BINARY
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | _CLOEXEC_BINARY
OWNER = (os.geteuid(), os.getegid()) if hasattr(os, "geteuid") else (0, 0)


class Queue(Protocol):
    def put(self, item: Any) -> None: ...


class FileTask(NamedTuple):
    """One file or symlink to copy (a NamedTuple: one is pickled per file)."""

    path: str
    kind: EntryKind
    size: int
    serial: int  # unique within the job: names its temp file
    fresh: bool = False  # its target folder was created by this job, so it is empty
    note: str = ""  # from the scan, added to the result's reason


@dataclass(frozen=True)
class WorkerContext:
    """Everything a worker needs, handed over once by the Pool initializer."""

    queue: Queue
    cancel: Event
    running: Event  # cleared while paused
    options: CopyOptions
    source: str
    target: str
    token: str  # random per job: part of every temp name

    def temp_name(self, serial: int) -> str:
        return f"{TEMP_PREFIX}{self.token}-{serial}{TEMP_SUFFIX}"


class Cancelled(Exception):
    pass


class ChangedDuringCopy(Exception):
    pass


_context: WorkerContext | None = None


def init_worker(context: WorkerContext, parent_pid: int) -> None:
    """Pool initializer: keep the context, ignore Ctrl-C, die with the parent."""
    global _context
    _context = dataclasses.replace(context, queue=_Forwarder(context.queue))
    ignore_interrupts()
    start_parent_watchdog(parent_pid)


def ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; only the job's owner decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def start_parent_watchdog(parent_pid: int) -> None:
    """Exit this process soon after the parent dies (even by SIGKILL)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="ferry-parent-watchdog", daemon=True).start()


def copy_batch(task_id: int, items: tuple[FileTask, ...], policy: ConflictPolicy) -> None:
    """Copy a group of files, reporting through the queue; never raises for a file."""
    ctx = _context
    assert ctx is not None, "copy_batch runs only in a Pool worker set up by init_worker"
    ctx.queue.put(TaskStarted(task_id, os.getpid()))
    reporter = _Reporter(ctx.queue, task_id)
    for item in items:
        if not _wait_while_paused(ctx):
            break
        reporter.add(copy_entry(ctx, item, policy, reporter))
    reporter.flush(finished=True)


def _wait_while_paused(ctx: WorkerContext) -> bool:
    """Block while paused; False once the job is cancelled."""
    while not ctx.running.is_set():
        if ctx.cancel.is_set():
            return False
        ctx.running.wait(0.1)
    return not ctx.cancel.is_set()


class _Forwarder:
    """Sends messages to the Manager queue from a thread, several per round trip.

    A Manager queue put is a synchronous round trip to another process; on a busy machine
    waiting for it cost more than copying a small file. The copy loop only appends here.
    """

    def __init__(self, target: Queue) -> None:
        self.target = target
        self.local: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threading.Thread(target=self._forward, name="ferry-forwarder", daemon=True).start()

    def put(self, item: Any) -> None:
        self.local.put(item)

    def _forward(self) -> None:
        while True:
            batch = [self.local.get()]
            with contextlib.suppress(queue.Empty):
                while len(batch) < 256:
                    batch.append(self.local.get_nowait())
            self.target.put(batch)


class _Reporter:
    """Coalesces results into few queue messages; sends progress of long files."""

    def __init__(self, queue: Queue, task_id: int) -> None:
        self.queue = queue
        self.task_id = task_id
        self.pending: list[FileResult] = []
        self.last_flush = time.monotonic()

    def add(self, result: FileResult) -> None:
        self.pending.append(result)
        if len(self.pending) >= FLUSH_COUNT or time.monotonic() - self.last_flush > FLUSH_EVERY:
            self.flush()

    def flush(self, finished: bool = False) -> None:
        if self.pending or finished:
            self.queue.put(TaskResults(self.task_id, tuple(self.pending), finished))
            self.pending = []
        self.last_flush = time.monotonic()

    def progress(self, path: str, done: int, size: int) -> None:
        self.flush()  # results first, so the caller's view stays in order
        self.queue.put(FileProgress(self.task_id, path, done, size))


def copy_entry(
    ctx: WorkerContext, item: FileTask, policy: ConflictPolicy, reporter: _Reporter
) -> FileResult:
    """Copy one file or symlink; every failure becomes a FileResult with the OS reason."""
    attempts = 2  # a file that changes while copied is tried once more
    for attempt in range(attempts):
        try:
            if item.kind is EntryKind.LINK:
                return _copy_link(ctx, item, policy)
            return _copy_file(ctx, item, policy, reporter)
        except ChangedDuringCopy:
            if attempt == attempts - 1:
                return FileResult(item.path, FileStatus.FAILED, reason="changed during copy")
        except Cancelled:
            return FileResult(item.path, FileStatus.SKIPPED, reason="cancelled")
        except OSError as exc:
            return _os_failure(item.path, exc)
    raise AssertionError("unreachable")


def _os_failure(path: str, exc: OSError) -> FileResult:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT:
        reason = "vanished before it could be copied"
    elif exc.errno == errno.ELOOP:
        reason = "became a symbolic link during the copy"
    return FileResult(path, FileStatus.FAILED, reason=reason, errno=exc.errno or 0)


def _copy_file(
    ctx: WorkerContext, item: FileTask, policy: ConflictPolicy, reporter: _Reporter
) -> FileResult:
    source = os.path.join(ctx.source, item.path)
    fd_in = os.open(source, READ_FLAGS if ctx.options.follow_symlinks else READ_FLAGS | NOFOLLOW)
    try:
        st = os.fstat(fd_in)
        if not stat.S_ISREG(st.st_mode):
            return FileResult(item.path, FileStatus.SKIPPED, reason=special_file_reason(st.st_mode))
        plan = _plan(ctx, item.path, st, policy, item.fresh)
        if isinstance(plan, FileResult):
            return plan
        final, status = plan
        temp = os.path.join(os.path.dirname(final), ctx.temp_name(item.serial))
        _write_temp(ctx, fd_in, st, temp, item.path, reporter)
    finally:
        os.close(fd_in)
    return _publish(temp, final, status, item.path, ctx.target, st.st_size)


def _write_temp(
    ctx: WorkerContext,
    fd_in: int,
    st: os.stat_result,
    temp: str,
    path: str,
    reporter: _Reporter,
) -> None:
    """Write the data and metadata of fd_in to a fresh temp file, or leave no temp."""
    try:
        fd_out = os.open(temp, TEMP_FLAGS, 0o600)
    except FileExistsError:  # left by an attempt whose worker died: ours to replace
        os.unlink(temp)
        fd_out = os.open(temp, TEMP_FLAGS, 0o600)
    try:
        _fill(ctx, fd_in, st, fd_out, path, reporter)
    except BaseException:
        os.close(fd_out)
        _remove_if_exists(temp)
        raise
    os.close(fd_out)


def _fill(
    ctx: WorkerContext, fd_in: int, st: os.stat_result, fd_out: int, path: str, reporter: _Reporter
) -> None:
    """Copy data, check the source did not change, then set mode and times."""
    copied = _copy_data(ctx, fd_in, fd_out, st, path, reporter)
    _check_unchanged(ctx, fd_in, st, copied, path)
    _apply_metadata(ctx.options, fd_out, st)
    if ctx.options.fsync:
        os.fsync(fd_out)


def _check_unchanged(
    ctx: WorkerContext, fd_in: int, st: os.stat_result, copied: int, path: str
) -> None:
    """Raise ChangedDuringCopy if the source was written, replaced or deleted meanwhile."""
    after = os.fstat(fd_in)
    if copied != st.st_size or (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
        raise ChangedDuringCopy
    if st.st_size > CHUNK:  # copied over a while: is the name still this file?
        try:
            now = os.stat(
                os.path.join(ctx.source, path), follow_symlinks=ctx.options.follow_symlinks
            )
        except FileNotFoundError:
            raise ChangedDuringCopy from None
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise ChangedDuringCopy


def _apply_metadata(options: CopyOptions, fd: int, st: os.stat_result) -> None:
    if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != OWNER:
        with contextlib.suppress(PermissionError):  # only root may give files away
            os.fchown(fd, st.st_uid, st.st_gid)
    mode = stat.S_IMODE(st.st_mode)
    if not options.keep_setid_bits:
        mode &= ~(stat.S_ISUID | stat.S_ISGID)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))


def _publish(
    temp: str, final: str, status: FileStatus, path: str, target_root: str, size: int
) -> FileResult:
    """Give the finished temp its real name: atomic, never a half-written file."""
    if status is FileStatus.RENAMED:
        final = _link_to_free_name(temp, final)
        return FileResult(path, status, size, target_path=os.path.relpath(final, target_root))
    try:
        os.replace(temp, final)
    except OSError:
        _remove_if_exists(temp)
        raise
    return FileResult(path, status, size)


def _link_to_free_name(temp: str, wanted: str) -> str:
    """Rename temp to "name (N).ext" for the first N nobody holds, without a race."""
    stem, ext = os.path.splitext(wanted)
    if os.path.basename(stem) == "":
        stem, ext = wanted, ""
    try:
        for n in range(2, 10_000):
            candidate = f"{stem} ({n}){ext}"
            try:
                os.link(temp, candidate)  # fails if the name exists, unlike rename
                return candidate
            except FileExistsError:
                continue
        raise OSError(errno.EEXIST, "no free name for a renamed copy")
    finally:
        _remove_if_exists(temp)


def _copy_data(
    ctx: WorkerContext,
    fd_in: int,
    fd_out: int,
    st: os.stat_result,
    path: str,
    reporter: _Reporter,
) -> int:
    """Copy the bytes in bounded chunks; holes of sparse files stay holes."""
    progress = _ProgressTicker(reporter, path, st.st_size)
    blocks = getattr(st, "st_blocks", None)
    if blocks is None or blocks * 512 >= st.st_size or not hasattr(os, "SEEK_DATA"):
        return _copy_range(ctx, fd_in, fd_out, 0, st.st_size, progress)
    for start, end in _data_ranges(fd_in, st.st_size):
        if _copy_range(ctx, fd_in, fd_out, start, end, progress) != end - start:
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


class _ProgressTicker:
    def __init__(self, reporter: _Reporter, path: str, size: int) -> None:
        self.reporter = reporter
        self.path = path
        self.size = size
        self.next_report = time.monotonic() + PROGRESS_EVERY
        if size > CHUNK:  # a file that takes several chunks shows as current at once
            reporter.progress(path, 0, size)

    def tick(self, done: int) -> None:
        now = time.monotonic()
        if now >= self.next_report:
            self.reporter.progress(self.path, done, self.size)
            self.next_report = now + PROGRESS_EVERY


def _copy_range(
    ctx: WorkerContext,
    fd_in: int,
    fd_out: int,
    start: int,
    end: int,
    progress: _ProgressTicker,
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
        offset += n
        if offset < end:
            if ctx.cancel.is_set() or not _wait_while_paused(ctx):
                raise Cancelled
            progress.tick(offset)
    return offset - start


def _read_write(fd_in: int, fd_out: int, count: int, offset: int) -> int:
    data = os.pread(fd_in, min(count, 1 << 20), offset)
    view = memoryview(data)
    while view:
        written = os.pwrite(fd_out, view, offset + len(data) - len(view))
        view = view[written:]
    return len(data)


def _plan(
    ctx: WorkerContext, path: str, st: os.stat_result, policy: ConflictPolicy, fresh: bool
) -> tuple[str, FileStatus] | FileResult:
    """Where the copy goes and with which status, or a final result if it must not."""
    final = os.path.join(ctx.target, path)
    if fresh:  # the folder was created by this job: nothing there to conflict with
        return final, FileStatus.COPIED
    try:
        existing = os.lstat(final)
    except FileNotFoundError:
        return final, FileStatus.COPIED
    if stat.S_ISDIR(existing.st_mode):
        return FileResult(
            path, FileStatus.FAILED, reason="a folder of that name exists in the target"
        )
    same = (existing.st_size, existing.st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    same = same and stat.S_IFMT(existing.st_mode) == stat.S_IFMT(st.st_mode)
    if policy is ConflictPolicy.OVERWRITE:
        return final, FileStatus.COPIED
    if policy is ConflictPolicy.RENAME:
        return final, FileStatus.RENAMED
    if same:
        return FileResult(path, FileStatus.SKIPPED, st.st_size, reason="already up to date")
    if policy is ConflictPolicy.SKIP:
        return FileResult(path, FileStatus.SKIPPED, st.st_size, reason="exists in the target")
    if policy is ConflictPolicy.ASK:
        return FileResult(
            path,
            FileStatus.CONFLICT,
            reason="exists in the target",
            target_size=existing.st_size,
            target_mtime_ns=existing.st_mtime_ns,
            source_size=st.st_size,
            source_mtime_ns=st.st_mtime_ns,
        )
    if st.st_mtime_ns > existing.st_mtime_ns or (
        st.st_mtime_ns == existing.st_mtime_ns and st.st_size != existing.st_size
    ):
        return final, FileStatus.COPIED
    return FileResult(path, FileStatus.SKIPPED, st.st_size, reason="target is newer, kept")


def _copy_link(ctx: WorkerContext, item: FileTask, policy: ConflictPolicy) -> FileResult:
    source = os.path.join(ctx.source, item.path)
    st = os.lstat(source)
    if not stat.S_ISLNK(st.st_mode):
        raise ChangedDuringCopy
    link_target = os.readlink(source)
    plan = _plan(ctx, item.path, st, policy, item.fresh)
    if isinstance(plan, FileResult):
        return plan
    final, status = plan
    temp = os.path.join(os.path.dirname(final), ctx.temp_name(item.serial))
    _remove_if_exists(temp)
    os.symlink(link_target, temp)
    try:
        if os.utime in os.supports_follow_symlinks:
            os.utime(temp, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    except BaseException:
        _remove_if_exists(temp)
        raise
    return _publish(temp, final, status, item.path, ctx.target, 0)


def _remove_if_exists(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
