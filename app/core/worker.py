"""Top-level functions that run inside the Pool's worker processes (no Qt, ever)."""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import stat
import threading
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from typing import Any, NamedTuple

from app.core.channel import connect, ignore_interrupts, start_parent_watchdog
from app.core.events import FileProgress, FileResult, FileStatus, TaskResults, TaskStarted
from app.core.options import ConflictPolicy, CopyOptions
from app.core.scan import EntryKind, special_file_reason

CHUNK = 4 << 20  # bytes per copy call: small enough to pause and report every few ms
PROGRESS_EVERY = 0.1  # seconds between progress messages of one file
FLUSH_EVERY = 0.1  # seconds a finished result may wait in the worker before it is sent
FLUSH_COUNT = 128  # ... or this many results
WRITEBACK_MIN = 1 << 20  # files this large are written to disk while they are copied
CHECK_EVERY = 0.02  # seconds between checks for pause and cancel while copying small files
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
# O_PATH: a folder we may write into but not list (mode -wx) can still be opened.
DIR_FLAGS = getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC_BINARY
# Names relative to open folders (openat & co) where every call used here supports it.
# (os.replace and os.lstat take dir_fd wherever os.rename and os.stat do, but are not listed.)
_USE_DIR_FD = {os.open, os.stat, os.unlink, os.rename, os.link, os.symlink} <= os.supports_dir_fd


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

    manager_address: Any  # each worker connects to the progress queue there
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
_outbox: _Forwarder | None = None


def init_worker(context: WorkerContext, parent_pid: int) -> None:
    """Pool initializer: ignore Ctrl-C, die with the parent, connect to the progress queue."""
    global _context, _outbox
    ignore_interrupts()
    start_parent_watchdog(parent_pid)
    _outbox = _Forwarder(context.manager_address)
    _context = context


def copy_batch(task_id: int, items: tuple[FileTask, ...], policy: ConflictPolicy) -> None:
    """Copy a group of files, reporting through the queue; never raises for a file."""
    ctx, outbox = _context, _outbox
    assert ctx and outbox, "copy_batch runs only in a Pool worker set up by init_worker"
    outbox.put(TaskStarted(task_id, os.getpid()))
    reporter = _Reporter(outbox, task_id)
    folders = _FolderPair(ctx)
    next_check = 0.0
    try:
        for index, item in enumerate(items):
            if time.monotonic() >= next_check:  # Events cost more than a small file's copy
                if not _wait_while_paused(ctx):
                    break
                next_check = time.monotonic() + CHECK_EVERY
            result = copy_entry(ctx, item, policy, reporter, folders)
            reporter.add(index, item, result)
    finally:
        folders.close()
    reporter.flush(finished=True)


def _wait_while_paused(ctx: WorkerContext) -> bool:
    """Block while paused; False once the job is cancelled."""
    while not ctx.running.is_set():
        if ctx.cancel.is_set():
            return False
        ctx.running.wait(0.1)
    return not ctx.cancel.is_set()


class _Forwarder:
    """Sends messages to the Manager's queue from a thread, several per round trip.

    A Manager queue put is a synchronous round trip to another process; on a busy machine
    waiting for it cost more than copying a small file. The copy loop only appends here.
    The thread also connects to the Manager, which may still be starting: copying starts
    at once, and what it reports waits here meanwhile.
    """

    def __init__(self, address: Any) -> None:
        self.local: queue.SimpleQueue[Any] = queue.SimpleQueue()
        thread = threading.Thread(
            target=self._forward, args=(address,), name="ferry-forwarder", daemon=True
        )
        thread.start()

    def put(self, item: Any) -> None:
        self.local.put(item)

    def _forward(self, address: Any) -> None:
        try:
            target = connect(address)
            while True:
                batch = [self.local.get()]
                with contextlib.suppress(queue.Empty):
                    while len(batch) < 256:
                        batch.append(self.local.get_nowait())
                target.put(batch)
        except BaseException:
            # Reports can no longer reach the job: die, so that it notices and retries.
            os._exit(1)


class _Reporter:
    """Coalesces results into few queue messages; sends progress of long files.

    A file copied whole with nothing to say (most files) is sent as its position in the
    task: pickling a FileResult through the Manager costs more than copying a small file.
    """

    def __init__(self, outbox: _Forwarder, task_id: int) -> None:
        self.outbox = outbox
        self.task_id = task_id
        self.pending: list[FileResult] = []
        self.copied: list[int] = []
        self.last_flush = time.monotonic()

    def add(self, index: int, item: FileTask, result: FileResult) -> None:
        if result.status is FileStatus.COPIED and result.bytes == item.size and not result.reason:
            self.copied.append(index)
        else:
            self.pending.append(result)
        if (
            len(self.pending) + len(self.copied) >= FLUSH_COUNT
            or time.monotonic() - self.last_flush > FLUSH_EVERY
        ):
            self.flush()

    def flush(self, finished: bool = False) -> None:
        if self.pending or self.copied or finished:
            message = TaskResults(self.task_id, tuple(self.pending), tuple(self.copied), finished)
            self.outbox.put(message)
            self.pending = []
            self.copied = []
        self.last_flush = time.monotonic()

    def progress(self, path: str, done: int, size: int) -> None:
        self.flush()  # results first, so the caller's view stays in order
        self.outbox.put(FileProgress(self.task_id, path, done, size))


class _Folder(NamedTuple):
    """An open folder: names inside it are used relative to its descriptor (openat & co).

    The kernel then does not walk the whole path again for every file. Where the OS has
    no such calls (Windows), fd is None and names are joined to the path instead.
    """

    fd: int | None
    path: str

    @classmethod
    def open(cls, path: str) -> _Folder:
        if not _USE_DIR_FD:
            return cls(None, path)
        return cls(os.open(path, DIR_FLAGS), path)

    def ref(self, name: str) -> str:
        """What to pass, with dir_fd=self.fd, to name `name` inside this folder."""
        return name if self.fd is not None else os.path.join(self.path, name)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)


class _FolderPair:
    """The source and target folders of the current file, kept open while files share them."""

    def __init__(self, ctx: WorkerContext) -> None:
        self.ctx = ctx
        self.parent: str | None = None
        self.opened: list[_Folder] = []

    def enter(self, parent: str) -> tuple[_Folder, _Folder]:
        if parent != self.parent or len(self.opened) != 2:
            self.close()
            self.opened.append(_Folder.open(os.path.join(self.ctx.source, parent)))
            self.opened.append(_Folder.open(os.path.join(self.ctx.target, parent)))
            self.parent = parent
        return self.opened[0], self.opened[1]

    def close(self) -> None:
        for folder in self.opened:
            folder.close()
        self.opened = []
        self.parent = None


def copy_entry(
    ctx: WorkerContext,
    item: FileTask,
    policy: ConflictPolicy,
    reporter: _Reporter,
    folders: _FolderPair,
) -> FileResult:
    """Copy one file or symlink; every failure becomes a FileResult with the OS reason."""
    parent, _, name = item.path.rpartition(os.sep)
    attempts = 2  # a file that changes while copied is tried once more
    for attempt in range(attempts):
        try:
            src, dst = folders.enter(parent)
            where = _Where(item.path, name, src, dst)
            if item.kind is EntryKind.LINK:
                return _copy_link(ctx, where, item.serial, policy, item.fresh)
            return _copy_file(ctx, where, item, policy, reporter)
        except ChangedDuringCopy:
            if attempt == attempts - 1:
                return FileResult(item.path, FileStatus.FAILED, reason="changed during copy")
        except Cancelled:
            return FileResult(item.path, FileStatus.SKIPPED, reason="cancelled")
        except OSError as exc:
            return _os_failure(item.path, exc)
    raise AssertionError("unreachable")


class _Where(NamedTuple):
    """One entry: its path relative to the roots, its name, and its two open folders."""

    path: str
    name: str
    src: _Folder
    dst: _Folder


def _os_failure(path: str, exc: OSError) -> FileResult:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOENT:
        reason = "vanished before it could be copied"
    elif exc.errno == errno.ELOOP:
        reason = "became a symbolic link during the copy"
    return FileResult(path, FileStatus.FAILED, reason=reason, errno=exc.errno or 0)


def _copy_file(
    ctx: WorkerContext, where: _Where, item: FileTask, policy: ConflictPolicy, reporter: _Reporter
) -> FileResult:
    flags = READ_FLAGS if ctx.options.follow_symlinks else READ_FLAGS | NOFOLLOW
    fd_in = os.open(where.src.ref(where.name), flags, dir_fd=where.src.fd)
    try:
        st = os.fstat(fd_in)
        if not stat.S_ISREG(st.st_mode):
            return FileResult(
                where.path, FileStatus.SKIPPED, reason=special_file_reason(st.st_mode)
            )
        plan = _plan(where, st, policy, item.fresh)
        if isinstance(plan, FileResult):
            return plan
        temp = ctx.temp_name(item.serial)
        _write_temp(ctx, fd_in, st, where, temp, reporter)
    finally:
        os.close(fd_in)
    return _publish(where, temp, plan, ctx.target, st.st_size)


def _write_temp(
    ctx: WorkerContext,
    fd_in: int,
    st: os.stat_result,
    where: _Where,
    temp: str,
    reporter: _Reporter,
) -> None:
    """Write the data and metadata of fd_in to a fresh temp file, or leave no temp."""
    dst = where.dst
    try:
        fd_out = os.open(dst.ref(temp), TEMP_FLAGS, 0o600, dir_fd=dst.fd)
    except FileExistsError:  # left by an attempt whose worker died: ours to replace
        os.unlink(dst.ref(temp), dir_fd=dst.fd)
        fd_out = os.open(dst.ref(temp), TEMP_FLAGS, 0o600, dir_fd=dst.fd)
    try:
        _fill(ctx, fd_in, st, fd_out, where, reporter)
    except BaseException:
        os.close(fd_out)
        _remove_if_exists(dst, temp)
        raise
    os.close(fd_out)


def _fill(
    ctx: WorkerContext,
    fd_in: int,
    st: os.stat_result,
    fd_out: int,
    where: _Where,
    reporter: _Reporter,
) -> None:
    """Copy data, check the source did not change, then set mode and times."""
    copied = _copy_data(ctx, fd_in, fd_out, st, where.path, reporter)
    _check_unchanged(ctx, fd_in, st, copied, where)
    _apply_metadata(ctx.options, fd_out, st)
    if ctx.options.fsync:
        os.fsync(fd_out)


def _check_unchanged(
    ctx: WorkerContext, fd_in: int, st: os.stat_result, copied: int, where: _Where
) -> None:
    """Raise ChangedDuringCopy if the source was written, replaced or deleted meanwhile."""
    after = os.fstat(fd_in)
    if copied != st.st_size or (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
        raise ChangedDuringCopy
    if st.st_size > CHUNK:  # copied over a while: is the name still this file?
        src = where.src
        try:
            now = os.stat(
                src.ref(where.name), dir_fd=src.fd, follow_symlinks=ctx.options.follow_symlinks
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
    where: _Where, temp: str, status: FileStatus, target_root: str, size: int
) -> FileResult:
    """Give the finished temp its real name: atomic, never a half-written file."""
    dst = where.dst
    if status is FileStatus.RENAMED:
        name = _link_to_free_name(dst, temp, where.name)
        target_path = os.path.relpath(os.path.join(dst.path, name), target_root)
        return FileResult(where.path, status, size, target_path=target_path)
    try:
        os.replace(dst.ref(temp), dst.ref(where.name), src_dir_fd=dst.fd, dst_dir_fd=dst.fd)
    except OSError:
        _remove_if_exists(dst, temp)
        raise
    return FileResult(where.path, status, size)


def _link_to_free_name(dst: _Folder, temp: str, wanted: str) -> str:
    """Link temp to "name (N).ext" for the first N nobody holds, without a race."""
    stem, ext = os.path.splitext(wanted)
    try:
        for n in range(2, 10_000):
            candidate = f"{stem} ({n}){ext}"
            try:  # link fails if the name exists, unlike rename
                os.link(dst.ref(temp), dst.ref(candidate), src_dir_fd=dst.fd, dst_dir_fd=dst.fd)
                return candidate
            except FileExistsError:
                continue
        raise OSError(errno.EEXIST, "no free name for a renamed copy")
    finally:
        _remove_if_exists(dst, temp)


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
        if progress.size >= WRITEBACK_MIN:
            _start_writeback(fd_out, offset, n)
        offset += n
        if offset < end:
            if ctx.cancel.is_set() or not _wait_while_paused(ctx):
                raise Cancelled
            progress.tick(offset)
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


def _plan(
    where: _Where, st: os.stat_result, policy: ConflictPolicy, fresh: bool
) -> FileStatus | FileResult:
    """The status the copy will have, or a final result if it must not happen."""
    if fresh:  # the folder was created by this job: nothing there to conflict with
        return FileStatus.COPIED
    path = where.path
    try:
        existing = os.lstat(where.dst.ref(where.name), dir_fd=where.dst.fd)
    except FileNotFoundError:
        return FileStatus.COPIED
    if stat.S_ISDIR(existing.st_mode):
        return FileResult(
            path, FileStatus.FAILED, reason="a folder of that name exists in the target"
        )
    same = (existing.st_size, existing.st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    same = same and stat.S_IFMT(existing.st_mode) == stat.S_IFMT(st.st_mode)
    if policy is ConflictPolicy.OVERWRITE:
        return FileStatus.COPIED
    if policy is ConflictPolicy.RENAME:
        return FileStatus.RENAMED
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
        return FileStatus.COPIED
    return FileResult(path, FileStatus.SKIPPED, st.st_size, reason="target is newer, kept")


def _copy_link(
    ctx: WorkerContext, where: _Where, serial: int, policy: ConflictPolicy, fresh: bool
) -> FileResult:
    src, dst = where.src, where.dst
    st = os.lstat(src.ref(where.name), dir_fd=src.fd)
    if not stat.S_ISLNK(st.st_mode):
        raise ChangedDuringCopy
    link_target = os.readlink(src.ref(where.name), dir_fd=src.fd)
    plan = _plan(where, st, policy, fresh)
    if isinstance(plan, FileResult):
        return plan
    temp = ctx.temp_name(serial)
    _remove_if_exists(dst, temp)
    os.symlink(link_target, dst.ref(temp), dir_fd=dst.fd)
    try:
        if os.utime in os.supports_follow_symlinks:
            times = (st.st_atime_ns, st.st_mtime_ns)
            os.utime(dst.ref(temp), ns=times, dir_fd=dst.fd, follow_symlinks=False)
    except BaseException:
        _remove_if_exists(dst, temp)
        raise
    return _publish(where, temp, plan, ctx.target, 0)


def _remove_if_exists(folder: _Folder, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder.ref(name), dir_fd=folder.fd)
