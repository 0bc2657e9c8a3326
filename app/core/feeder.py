"""Turns the streaming scan into target folders and batches of work, in a thread."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import stat
import threading
import time

from app.core.events import FileResult, FileStatus
from app.core.options import ConflictPolicy, CopyOptions
from app.core.scan import Entry, EntryKind, ScanTotals, scan, scan_selected
from app.core.worker import TEMP_PREFIX, TEMP_SUFFIX, FileTask

BATCH_FILES = 128  # small files per task: few tasks, few queue messages
BATCH_BYTES = 16 << 20  # ... and a bounded amount of work, so pause and retry stay cheap
BATCH_SECONDS = 0.2  # a slow scan still hands out what it has found
STALE_TEMP = re.compile(re.escape(TEMP_PREFIX) + r"[0-9a-f]{12}-\d+" + re.escape(TEMP_SUFFIX))

Batch = tuple[FileTask, ...]


class Feeder(threading.Thread):
    """Walks the source, creates each target folder, and queues batches of files.

    `out` receives Batches and final FileResults (things that cannot be copied), then
    None. Folder metadata is applied later, by apply_folder_metadata(), deepest first.
    """

    def __init__(
        self,
        source: str,
        target: str,
        options: CopyOptions,
        only: list[str] | None,
        stop: threading.Event,
    ) -> None:
        super().__init__(name="ferry-feeder", daemon=True)
        self.source = source
        self.target = target
        self.options = options
        self.only = only
        self.stop = stop
        self.out: queue.Queue[Batch | FileResult | None] = queue.Queue()
        self.totals = ScanTotals()
        self.folders: list[Entry] = []
        self.refusal = ""
        self.error: BaseException | None = None
        self._blocked: dict[str, str] = {}  # folders that could not be made -> why
        self._fresh: set[str] = set()  # folders this job created: nothing to compare
        self._batch: list[FileTask] = []
        self._batch_bytes = 0
        self._batch_started = 0.0
        self._next_index = 0
        self._needed = 0
        self._free = shutil.disk_usage(target).free
        # On a case-insensitive target, "README" and "readme" would land on one file.
        self._names_seen: set[str] | None = set() if ignores_case(target) else None

    def run(self) -> None:
        try:
            self._feed()
        except BaseException as exc:  # reported by the job; the feeder must always finish
            self.error = exc
        finally:
            self._flush()
            self.out.put(None)

    def _feed(self) -> None:
        follow = self.options.follow_symlinks
        if self.only is None:
            entries = scan(self.source, follow, self.totals)
        else:
            entries = scan_selected(self.source, self.only, follow, self.totals)
        for item in entries:
            if self.stop.is_set() or self.refusal:
                return
            if isinstance(item, FileResult):
                self.totals.files += 1
                self.out.put(item)
            elif item.kind is EntryKind.DIR:
                self._make_folder(item)
            else:
                self._add_file(item)
            if self._batch and time.monotonic() - self._batch_started > BATCH_SECONDS:
                self._flush()

    def remove_created_folders(self, including_root: bool) -> None:
        """Undo the folders of a refused job; only empty ones go, deepest first."""
        for entry in reversed(self.folders):
            if entry.path in self._fresh or (including_root and not entry.path):
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.join(self.target, entry.path))

    def _make_folder(self, entry: Entry) -> None:
        parent = entry.path.rpartition(os.sep)[0]
        if entry.path and parent in self._blocked:
            self._blocked[entry.path] = self._blocked[parent]
            return
        path = os.path.join(self.target, entry.path)
        try:
            os.mkdir(path, 0o700)
            self._fresh.add(entry.path)
        except FileExistsError:
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode):
                kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "a file"
                self._block(entry.path, f"the target has {kind} where this folder goes")
                return
            remove_stale_temps(path)
        except OSError as exc:
            self._block(entry.path, f"cannot create folder: {exc.strerror}")
            return
        self.folders.append(entry)

    def _block(self, path: str, reason: str) -> None:
        self._blocked[path] = reason
        self.totals.files += 1
        self.out.put(FileResult(path, FileStatus.FAILED, reason=reason))

    def _add_file(self, entry: Entry) -> None:
        parent = entry.path.rpartition(os.sep)[0]
        if parent in self._blocked:
            reason = f"its folder could not be created: {self._blocked[parent]}"
            self.out.put(FileResult(entry.path, FileStatus.FAILED, reason=reason))
            self.totals.bytes -= entry.size  # never to be copied: not part of the total
            return
        if self._names_seen is not None:
            folded = entry.path.casefold()
            if folded in self._names_seen:
                reason = "another file's name differs only in case; the target ignores case"
                self.out.put(FileResult(entry.path, FileStatus.FAILED, reason=reason))
                self.totals.bytes -= entry.size
                return
            self._names_seen.add(folded)
        fresh = parent in self._fresh
        existing = None if fresh else _lstat_or_none(os.path.join(self.target, entry.path))
        if existing is not None and self._up_to_date(entry, existing):
            # Decided here, in one thread, so a re-run never wakes the workers.
            self.out.put(
                FileResult(entry.path, FileStatus.SKIPPED, entry.size, "already up to date")
            )
            return
        self._account_space(entry.size - (existing.st_size if existing else 0))
        task = FileTask(entry.path, entry.kind, entry.size, self._next_index, fresh, entry.note)
        self._next_index += 1
        if entry.size >= BATCH_BYTES:
            self.out.put((task,))  # a large file goes alone, so both workers stay busy
            return
        if not self._batch:
            self._batch_started = time.monotonic()
        self._batch.append(task)
        self._batch_bytes += entry.size
        if len(self._batch) >= BATCH_FILES or self._batch_bytes >= BATCH_BYTES:
            self._flush()

    def _up_to_date(self, entry: Entry, existing: os.stat_result) -> bool:
        """Same type, size and mtime: every policy but overwrite and rename leaves it."""
        keeps = (ConflictPolicy.NEWER, ConflictPolicy.SKIP, ConflictPolicy.ASK)
        return (
            self.options.on_conflict in keeps
            and stat.S_IFMT(existing.st_mode) == stat.S_IFMT(entry.mode)
            and (existing.st_size, existing.st_mtime_ns) == (entry.size, entry.mtime_ns)
        )

    def _account_space(self, needed: int) -> None:
        """Refuse as soon as the known bytes to write exceed the free space."""
        self._needed += max(0, needed)
        if self._needed > self._free:
            self.refusal = (
                f"Not enough space in the target: {self._needed:,} bytes to write, "
                f"{self._free:,} free."
            )

    def _flush(self) -> None:
        if self._batch:
            self.out.put(tuple(self._batch))
            self._batch = []
            self._batch_bytes = 0


def ignores_case(folder: str) -> bool:
    """Probe whether names in folder are case-insensitive (vfat, NTFS, macOS, casefold)."""
    probe = os.path.join(folder, f"{TEMP_PREFIX}Case-{os.getpid()}{TEMP_SUFFIX}")
    before = os.stat(folder)
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        return False
    try:
        return os.path.lexists(os.path.join(folder, os.path.basename(probe).swapcase()))
    finally:
        os.unlink(probe)
        # The probe must not count as a change: a re-run leaves the target as it was.
        os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))


def _lstat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def remove_stale_temps(folder: str) -> None:
    """Delete temp files an interrupted earlier run left in this target folder."""
    try:
        with os.scandir(folder) as listing:
            stale = [e.path for e in listing if STALE_TEMP.fullmatch(e.name)]
    except OSError:
        return
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)


def apply_folder_metadata(target: str, folders: list[Entry], skip_root: bool) -> list[str]:
    """Set folder modes and mtimes, deepest first (writing inside bumps a folder's mtime)."""
    problems = []
    for entry in reversed(folders):
        if skip_root and not entry.path:
            continue
        path = os.path.join(target, entry.path)
        try:
            os.chmod(path, stat.S_IMODE(entry.mode))
            os.utime(path, ns=(entry.atime_ns, entry.mtime_ns))
        except OSError as exc:
            problems.append(f"{entry.path or '.'}: cannot set folder time or mode: {exc.strerror}")
    return problems
