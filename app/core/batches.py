"""Files gathered into batches for the workers: few enough tasks, each a bounded amount
of work, and none held back for long by a slow scan."""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from app.core.events import Batch, FileTask, FolderIds
from app.core.namekeys import DeviceWays
from app.core.tree import parent_of

BATCH_FILES = 512  # small files per task: each task costs the main process ~1 ms
BATCH_BYTES = 16 << 20  # ... and a bounded amount of work, so pause and retry stay cheap
BATCH_SECONDS = 0.2  # a slow scan still hands out what it has found


class Batcher:
    """Puts Batches on `out`: small files together, a large one alone.

    `ids` is the feeder's map of folder identities by path (read, never written), and
    `ways` how the target's file systems keep times (each batch carries the steps found).
    """

    def __init__(self, out: queue.Queue[Any], ids: dict[str, FolderIds], ways: DeviceWays) -> None:
        self.out = out
        self._ids = ids
        self._ways = ways
        self._tasks: list[FileTask] = []
        self._bytes = 0
        self._room = 0  # the largest overlap of a replacement in it (room.py)
        self._started = 0.0
        self._lock = threading.Lock()  # the job's thread may hand out a batch (flush_stale)

    def add(self, task: FileTask, size: int, overlap: int = 0) -> None:
        if size >= BATCH_BYTES:  # a large file goes alone, so both workers stay busy
            self.out.put(self.of((task,), self.folders_of((task,)), overlap))
            return
        with self._lock:
            if not self._tasks:
                self._started = time.monotonic()
            self._tasks.append(task)
            self._bytes += size
            self._room = max(self._room, overlap)  # its files go one by one
            full = len(self._tasks) >= BATCH_FILES or self._bytes >= BATCH_BYTES
        if full:
            self.flush()

    def of(
        self, items: tuple[FileTask, ...], folders: dict[str, FolderIds], room: int = 0
    ) -> Batch:
        """A batch of `items`, whose folders are `folders`."""
        return Batch(items, folders, room, self._ways.time_steps)

    def folders_of(self, items: tuple[FileTask, ...] | list[FileTask]) -> dict[str, FolderIds]:
        return {parent: self._ids[parent] for parent in {parent_of(t.path) for t in items}}

    def flush_stale(self) -> None:
        """From the job's thread: hand out a batch the scan has been sitting on.

        A scan blocked in a slow or hung folder must not hold back files it already found.
        """
        if self._tasks and time.monotonic() - self._started > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        # Put while locked: from the job's thread (flush_stale), a batch put after the
        # lock went could follow the feeder's last flush and its end mark, and be lost.
        with self._lock:
            tasks, self._tasks, self._bytes = self._tasks, [], 0
            room, self._room = self._room, 0
            if tasks:
                self.out.put(self.of(tuple(tasks), self.folders_of(tasks), room))
