"""What runs in the Pool's worker processes: a batch of files, its reports (no Qt, ever)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import threading
import time
from typing import Any

from app.core import devices
from app.core.channel import connect, ignore_interrupts, start_owner_watchdog, stop_only_for
from app.core.conflicts import add_time_steps, set_time_steps
from app.core.datacopy import wait_while_paused
from app.core.events import (
    Batch,
    FileProgress,
    FileResult,
    FileStatus,
    FileTask,
    TaskResults,
    TaskStarted,
    WorkerContext,
)
from app.core.filecopy import Copier
from app.core.options import ConflictPolicy
from app.core.processes import GROUP_SIGNALS

FLUSH_EVERY = 0.1  # seconds a finished result may wait in the worker before it is sent
FLUSH_COUNT = 512  # ... or this many results (a whole task of small files)
MESSAGES_PER_PUT = 256  # the forwarder sends at most this many messages to the job at once
CHECK_EVERY = 0.02  # seconds between checks for pause and cancel while copying small files

_context: WorkerContext | None = None
_outbox: _Forwarder | None = None
_copier: Copier | None = None


def init_worker(context: WorkerContext, owner_pid: int, stopping: ctypes.c_byte) -> None:
    """Pool initializer: ignore the group's signals, stop when the owner says so or dies,
    connect to the queue."""
    global _context, _outbox, _copier
    taken = stop_only_for(owner_pid, stopping)  # (first: before any thread starts)
    ignore_interrupts(GROUP_SIGNALS - taken)
    start_owner_watchdog(owner_pid)
    _outbox = _Forwarder(context.manager_address)
    _context = context
    if context.roots is not None:
        set_time_steps({context.roots.target[0]: context.time_step})
    devices.learn_file_system(context.target)  # (a btrfs subvolume: as the job)
    _copier = Copier(context, lambda path, done, size: None)


def copy_batch(task_id: int, batch: Batch, policy: ConflictPolicy) -> None:
    """Copy a group of files, reporting through the queue; never raises for a file."""
    ctx, outbox, copier = _context, _outbox, _copier
    assert ctx and outbox and copier, "copy_batch runs only in a worker set up by init_worker"
    # Sent before any file is touched: a worker that dies on this task is then known to
    # have held it. Unknown, the job could not blame the task, and a file that kills
    # every worker at once would be retried forever.
    outbox.put_and_wait(TaskStarted(task_id, os.getpid()))
    add_time_steps(batch.time_steps)
    reporter = _Reporter(outbox, task_id, copier)
    copier.on_progress = reporter.progress
    next_check = 0.0
    for index, item in enumerate(batch.items):
        if time.monotonic() >= next_check:  # Events cost more than a small file's copy
            if not wait_while_paused(ctx):
                break  # the job counts what was not started
            next_check = time.monotonic() + CHECK_EVERY
        reporter.add(index, item, copier.copy(item, batch.folders, policy))
    reporter.flush(finished=True)


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

    def put_and_wait(self, item: Any) -> None:
        """Send `item` and return once it is in the job's queue."""
        receipt = threading.Event()
        self.local.put(item)
        self.local.put(receipt)
        receipt.wait()  # the forwarder sets it, or ends the process

    def _forward(self, address: Any) -> None:
        try:
            target = connect(address)
            while True:
                batch = [self.local.get()]
                with contextlib.suppress(queue.Empty):
                    while len(batch) < MESSAGES_PER_PUT:
                        batch.append(self.local.get_nowait())
                receipts = [item for item in batch if isinstance(item, threading.Event)]
                messages = [item for item in batch if not isinstance(item, threading.Event)]
                if messages:
                    target.put(messages)
                for receipt in receipts:
                    receipt.set()
        except BaseException:
            # Reports can no longer reach the job: die, so that it notices and retries.
            os._exit(1)


class _Reporter:
    """Coalesces results into few queue messages; sends progress of long files.

    A file copied whole with nothing to say (most files) is sent as its position in the
    task: pickling a FileResult through the Manager costs more than copying a small file.
    """

    def __init__(self, outbox: _Forwarder, task_id: int, copier: Copier) -> None:
        self.outbox = outbox
        self.task_id = task_id
        self.copier = copier
        self.pending: list[FileResult] = []
        self.copied: list[int] = []
        self.digests: list[str] = []
        self.landed: list[tuple[int, ...]] = []  # under --move only (Copier._stamp)
        self.stamps = copier.ctx.options.move
        self.last_flush = time.monotonic()

    def add(self, index: int, item: FileTask, result: FileResult) -> None:
        if result.status is FileStatus.COPIED and result.bytes == item.size and not result.why:
            self.copied.append(index)
            self.digests.append(result.digest)  # "" for a link, and when nothing is hashed
            if self.stamps:
                self.landed.append(result.landed)  # () for a link or special file
        else:
            self.pending.append(result)
        if (
            len(self.pending) + len(self.copied) >= FLUSH_COUNT
            or time.monotonic() - self.last_flush > FLUSH_EVERY
        ):
            self.flush()

    def flush(self, finished: bool = False) -> None:
        lost = self.copier.xattrs
        if self.pending or self.copied or finished or lost.entries:
            message = TaskResults(
                self.task_id,
                tuple(self.pending),
                tuple(self.copied),
                finished,
                lost.entries,
                lost.error,
                tuple(self.digests) if any(self.digests) else (),
                tuple(self.landed),
            )
            self.outbox.put(message)
            self.pending = []
            self.copied = []
            self.digests = []
            self.landed = []
            self.copier.xattrs = type(lost)()
        self.last_flush = time.monotonic()

    def progress(self, path: str, done: int, size: int) -> None:
        self.flush()  # results first, so the caller's view stays in order
        self.outbox.put(FileProgress(self.task_id, path, done, size))
