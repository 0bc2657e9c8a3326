"""CopyJob: owns the spawn Pool and Manager queue, feeds and supervises the workers."""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import queue
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from typing import Any

from app.core.channel import ChannelManager, new_address, progress_queue, start_manager
from app.core.events import (
    ActiveFile,
    ConflictQuestion,
    FileProgress,
    FileResult,
    FilesFinished,
    FileStatus,
    JobEvent,
    Notice,
    Progress,
    TaskResults,
    TaskStarted,
)
from app.core.feeder import Batch, Feeder, apply_folder_metadata
from app.core.options import ConflictPolicy, CopyOptions
from app.core.report import CopyReport
from app.core.scan import Refusal, check_paths
from app.core.worker import (
    FileTask,
    WorkerContext,
    copy_batch,
    init_worker,
)

POLL_SECONDS = 0.05  # longest wait on the queue: bounds the reaction to pause and cancel
EMIT_EVERY = 0.1  # seconds between Progress events to the caller
SUPERVISE_EVERY = 0.5  # seconds between checks that every worker is alive
CANCEL_GRACE = 1.0  # seconds workers get to stop by themselves before they are killed
HOLD_START = 0.2  # seconds the scan may run alone first, so refusals come before writes
MAX_RETRIES = 1  # a file whose worker died is tried once more, alone


@dataclass
class _Task:
    items: Batch
    policy: ConflictPolicy
    retries: int = 0
    pid: int = 0  # the worker that took it, once known
    finished: set[str] = field(default_factory=set)

    def unfinished(self) -> list[FileTask]:
        return [item for item in self.items if item.path not in self.finished]


Callback = Callable[[JobEvent], None]


class CopyJob:
    """Copy the contents of `source` into `target`; run() blocks and returns the report.

    run() belongs to one thread (the caller's); pause(), resume(), cancel() and
    resolve_conflict() may be called from any other thread while it runs.
    """

    def __init__(
        self,
        source: str,
        target: str,
        options: CopyOptions | None = None,
        on_event: Callback | None = None,
        only: list[str] | None = None,
    ) -> None:
        self.source = os.path.abspath(source)
        self.target = os.path.abspath(target)
        self.options = options or CopyOptions()
        self.only = only
        self._emit: Callback = on_event or (lambda event: None)
        self._ctx = multiprocessing.get_context("spawn")
        self._cancel_requested = threading.Event()
        self._paused = threading.Event()
        self._decisions: queue.Queue[tuple[int, ConflictPolicy, bool]] = queue.Queue()
        self._policy = self.options.on_conflict
        self._tasks: dict[int, _Task] = {}
        self._next_task = 0
        self._crashes: queue.Queue[tuple[int, str]] = queue.Queue()
        self._results: list[FileResult] = []
        self._unsent: list[FileResult] = []
        self._conflicts: dict[int, tuple[FileTask, FileResult]] = {}
        self._active: dict[int, ActiveFile] = {}
        self._waiting: list[Batch] = []  # batches not yet handed to the pool
        self._notices: list[str] = []
        self._bytes_done = 0
        self._disk_full = False
        self._channel_lost = False
        self._pool: Pool | None = None
        self._pool_pids: set[int] = set()

    # --- control, from any thread ------------------------------------------------------

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def cancel(self) -> None:
        self._cancel_requested.set()

    def resolve_conflict(
        self, conflict_id: int, decision: ConflictPolicy, apply_to_all: bool = False
    ) -> None:
        """Answer a ConflictQuestion with OVERWRITE, SKIP or RENAME."""
        self._decisions.put((conflict_id, decision, apply_to_all))

    def worker_pids(self) -> list[int]:
        """Pids of the current pool's workers (for supervision tests and diagnostics)."""
        return sorted(self._pool_pids)

    def busy_worker_pids(self) -> list[int]:
        return sorted({task.pid for task in list(self._tasks.values()) if task.pid})

    # --- the job ------------------------------------------------------------------------

    def run(self) -> CopyReport:
        started = time.monotonic()
        try:
            created = self._prepare_target()
        except Refusal as refusal:
            return CopyReport(self.source, self.target, refused=str(refusal))
        stop_feeding = threading.Event()
        feeder = Feeder(self.source, self.target, self.options, self.only, stop_feeding)
        feeder.start()
        self._clock = _PausableClock()
        with self._processes() as (channel, context):
            self._loop(channel, context, feeder, started)
        stop_feeding.set()
        feeder.join()
        if feeder.error is not None:  # a bug or an OS error outside any one file
            reason = f"scanning stopped early: {feeder.error!r}"
            self._finish(FileResult(".", FileStatus.FAILED, reason=reason), 0)
            self._tell(f"Scanning stopped early: {feeder.error!r}")
        if feeder.refusal:
            feeder.remove_created_folders(including_root=created)
        else:
            self._notices += apply_folder_metadata(
                self.target, feeder.folders, skip_root=not created
            )
        self._flush_to_disk()
        self._emit_progress(feeder, final=True)
        return CopyReport(
            self.source,
            self.target,
            tuple(self._results),
            seconds=time.monotonic() - started,
            cancelled=self._cancel_requested.is_set() and not feeder.refusal,
            refused=feeder.refusal,
            disk_full=self._disk_full,
            channel_lost=self._channel_lost,
            notices=tuple(self._notices),
        )

    def _prepare_target(self) -> bool:
        """Check the paths and create the target; True if this job created it."""
        check_paths(self.source, self.target)
        if os.path.isdir(self.target):
            return False
        try:
            os.makedirs(self.target)
        except OSError as exc:
            raise Refusal(f"Cannot create the target folder: {exc.strerror}") from exc
        return True

    @contextlib.contextmanager
    def _processes(self) -> Iterator[tuple[_Channel, WorkerContext]]:
        """Start the Manager and the Pool side by side; always stop both, even on errors."""
        context = WorkerContext(
            manager_address=new_address(),
            cancel=self._ctx.Event(),
            running=self._ctx.Event(),
            options=self.options,
            source=self.source,
            target=self.target,
            token=secrets.token_hex(6),
        )
        context.running.set()
        with _interrupts_blocked():  # children inherit the mask, then ignore Ctrl-C
            channel = _Channel(context.manager_address, self._ctx)
        try:
            self._start_pool(context)
            yield channel, context
        finally:
            context.cancel.set()
            context.running.set()
            self._stop_pool()
            self._remove_temps(context, self._tasks.values())
            channel.shutdown()

    def _start_pool(self, context: WorkerContext) -> None:
        with _interrupts_blocked():
            self._pool = self._ctx.Pool(
                self.options.worker_count(), init_worker, (context, os.getpid())
            )
        self._pool_pids = {p.pid for p in _pool_processes(self._pool) if p.pid}

    def _stop_pool(self, broken: bool = False) -> None:
        """Stop the pool without ever hanging, even if a worker died holding a lock."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if broken:  # kill first: terminate() could wait forever on a dead worker's lock
            _kill_workers(pool)
        stopper = threading.Thread(target=pool.terminate, name="ferry-pool-stop", daemon=True)
        stopper.start()
        stopper.join(3)
        if stopper.is_alive():
            _kill_workers(pool)
            stopper.join(5)
        if stopper.is_alive():
            self._notices.append("A worker pool did not shut down in time and was abandoned.")

    def _loop(self, channel: _Channel, context: WorkerContext, feeder: Feeder, t0: float) -> None:
        last_emit = last_check = 0.0
        feeding = True
        while True:
            if self._cancel_requested.is_set() or feeder.refusal or self._disk_full:
                self._wind_down(channel, context)
                return
            self._apply_pause(context)
            if feeding:
                feeding = self._take_from_feeder(feeder)
            if time.monotonic() - t0 >= HOLD_START or not feeding:
                self._submit_waiting()
            if not self._drain(channel, block=True):
                return
            self._handle_decisions()
            self._handle_crashes()
            now = time.monotonic()
            if now - last_check >= SUPERVISE_EVERY:
                last_check = now
                self._supervise(channel, context)
            if now - last_emit >= EMIT_EVERY:
                last_emit = now
                self._emit_progress(feeder)
            if not feeding and not self._waiting and not self._tasks and not self._conflicts:
                return

    def _apply_pause(self, context: WorkerContext) -> None:
        if self._paused.is_set() and context.running.is_set():
            context.running.clear()
            self._clock.pause()
        elif not self._paused.is_set() and not context.running.is_set():
            context.running.set()
            self._clock.resume()

    def _take_from_feeder(self, feeder: Feeder) -> bool:
        """Move what the scan produced into the waiting list; False when it is done."""
        while True:
            try:
                item = feeder.out.get_nowait()
            except queue.Empty:
                return True
            if item is None:
                return False
            if isinstance(item, FileResult):  # decided without a worker, e.g. up to date
                self._finish(item, item.bytes)
            else:
                self._waiting.append(item)

    def _submit_waiting(self) -> None:
        # Keep a few tasks per worker queued, no more: later policy changes still apply.
        limit = 4 * self.options.worker_count()
        while self._waiting and len(self._tasks) < limit and self._pool is not None:
            self._submit(self._waiting.pop(0), self._policy)

    def _submit(self, items: Batch, policy: ConflictPolicy, retries: int = 0) -> None:
        assert self._pool is not None
        task_id = self._next_task
        self._next_task += 1
        self._tasks[task_id] = _Task(items, policy, retries)

        def crashed(exc: BaseException) -> None:  # runs in the pool's result thread
            self._crashes.put((task_id, f"worker error: {exc!r}"))

        self._pool.apply_async(copy_batch, (task_id, items, policy), error_callback=crashed)

    def _drain(self, channel: _Channel, block: bool) -> bool:
        """Handle what the workers said; False if the progress channel is lost.

        Blocking, it waits for one message and returns: every get is a round trip to
        the Manager, and one that finds the queue empty is wasted.
        Not blocking, it takes everything already there.
        """
        try:
            if block:
                self._handle_all(channel.get(timeout=POLL_SECONDS))
            while not block:
                self._handle_all(channel.get_nowait())
        except queue.Empty:
            pass
        except (EOFError, OSError) as exc:
            # The Manager died: nothing more will arrive. Stop everything, say so.
            self._channel_lost = True
            self._tell(f"Progress channel lost ({type(exc).__name__}); job stopped.")
            return False
        return True

    def _handle_all(self, messages: list[Any]) -> None:
        for message in messages:  # workers send lists of messages
            self._handle(message)

    def _handle(self, message: Any) -> None:
        task = self._tasks.get(message.task_id)
        if task is None:
            return  # from a task of a pool that was replaced: it is being redone
        if isinstance(message, TaskStarted):
            task.pid = message.pid
        elif isinstance(message, FileProgress):
            self._active[message.task_id] = ActiveFile(message.path, message.done, message.size)
        elif isinstance(message, TaskResults):
            self._active.pop(message.task_id, None)
            for index in message.copied:
                item = task.items[index]
                task.finished.add(item.path)
                result = FileResult(item.path, FileStatus.COPIED, item.size, item.note)
                self._finish(result, item.size)
            if message.results:
                items = {item.path: item for item in task.items}
                for result in message.results:
                    task.finished.add(result.path)
                    self._on_result(result, items[result.path])
            if message.finished:  # all its files reported, unless the job was cancelled
                del self._tasks[message.task_id]

    def _on_result(self, result: FileResult, item: FileTask) -> None:
        if result.status is FileStatus.CONFLICT:
            if self._policy is ConflictPolicy.ASK:
                conflict_id = item.serial  # unique within the job
                self._conflicts[conflict_id] = (item, result)
                self._emit(ConflictQuestion(conflict_id, result))
            else:
                self._waiting.insert(0, (item,))
            return
        if result.errno == errno.ENOSPC and not self._disk_full:  # stop new work, say so
            self._disk_full = True
            self._tell("The target disk is full: no new files were started.")
        if item.note and not result.reason:
            result = result._replace(reason=item.note)
        self._finish(result, item.size)

    def _tell(self, message: str) -> None:
        """A notice for the caller now, and in the report."""
        self._notices.append(message)
        self._emit(Notice(message))

    def _finish(self, result: FileResult, size: int) -> None:
        self._results.append(result)
        self._unsent.append(result)
        self._bytes_done += size

    def _handle_decisions(self) -> None:
        while True:
            try:
                conflict_id, decision, apply_to_all = self._decisions.get_nowait()
            except queue.Empty:
                return
            if apply_to_all:
                self._policy = decision
                chosen = list(self._conflicts)
            else:
                chosen = [conflict_id] if conflict_id in self._conflicts else []
            for key in chosen:
                item, _ = self._conflicts.pop(key)
                if decision is ConflictPolicy.SKIP:
                    self._finish(
                        FileResult(
                            item.path, FileStatus.SKIPPED, item.size, "exists in the target"
                        ),
                        item.size,
                    )
                elif self._pool is not None:
                    self._submit((item,), decision)

    def _handle_crashes(self) -> None:
        while True:
            try:
                task_id, reason = self._crashes.get_nowait()
            except queue.Empty:
                return
            task = self._tasks.pop(task_id, None)
            if task is not None:
                for item in task.unfinished():
                    self._finish(FileResult(item.path, FileStatus.FAILED, reason=reason), item.size)

    def _supervise(self, channel: _Channel, context: WorkerContext) -> None:
        """Replace the pool if a worker vanished: Pool would lose its task silently."""
        # WORKAROUND: https://github.com/python/cpython/issues/66587
        if self._pool is None:
            return
        alive = {p.pid for p in _pool_processes(self._pool) if p.exitcode is None}
        dead = self._pool_pids - alive
        if not dead:
            return
        pids = ", ".join(map(str, sorted(dead)))
        self._tell(f"A worker process ({pids}) died; its files are being retried.")
        self._stop_pool(broken=True)
        self._drain(channel, block=False)  # what arrived before the kill
        lost, self._tasks = self._tasks, {}
        self._active.clear()
        self._remove_temps(context, lost.values())
        self._start_pool(context)
        for task in lost.values():
            self._resubmit(task, blamed=task.pid in dead)

    def _resubmit(self, task: _Task, blamed: bool) -> None:
        items = task.unfinished()
        if not blamed:
            if items:
                self._submit(tuple(items), task.policy, task.retries)
            return
        for item in items:  # alone, so a file that kills its worker cannot take others along
            if task.retries >= MAX_RETRIES:
                reason = "its worker process died while copying it (tried twice)"
                self._finish(FileResult(item.path, FileStatus.FAILED, reason=reason), item.size)
            else:
                self._submit((item,), task.policy, task.retries + 1)

    def _wind_down(self, channel: _Channel, context: WorkerContext) -> None:
        """Cancel: workers stop between chunks; whatever is still running is killed."""
        context.cancel.set()
        context.running.set()
        deadline = time.monotonic() + CANCEL_GRACE
        while self._tasks and time.monotonic() < deadline:
            if not self._drain(channel, block=True):
                return
        self._waiting.clear()

    def _remove_temps(self, context: WorkerContext, tasks: Iterable[_Task]) -> None:
        """Delete what killed or cancelled workers may have left half-written."""
        for task in tasks:
            for item in task.unfinished():
                folder = os.path.dirname(os.path.join(self.target, item.path))
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, context.temp_name(item.serial)))

    def _emit_progress(self, feeder: Feeder, final: bool = False) -> None:
        if self._unsent:
            self._emit(FilesFinished(tuple(self._unsent)))
            self._unsent = []
        active = tuple(self._active.values())
        self._emit(
            Progress(
                files_done=len(self._results),
                files_total=feeder.totals.files,
                bytes_done=self._bytes_done + sum(a.done for a in active),
                bytes_total=feeder.totals.bytes,
                scan_done=final or not feeder.is_alive(),
                elapsed=self._clock.elapsed(),
                paused=self._paused.is_set(),
                active=() if final else active,
            )
        )

    def _flush_to_disk(self) -> None:
        # "Done" means on disk: without per-file fsync, one sync at the end.
        if not self.options.fsync and hasattr(os, "sync"):
            os.sync()


class _Channel:
    """The Manager's queue, as the job reads it, while the Manager may still be starting.

    The Manager starts in a thread, so the Pool's workers start (and copy) meanwhile; until
    it is ready, get() waits for it as it would for a message. If it cannot start, get()
    raises EOFError, as it would had the Manager died: the job stops as "channel lost".
    """

    def __init__(self, address: Any, ctx: Any) -> None:
        self._manager: ChannelManager | None = None
        self._queue: Any = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._starter = threading.Thread(
            target=self._start, args=(address, ctx), name="ferry-manager-start", daemon=True
        )
        self._starter.start()

    def _start(self, address: Any, ctx: Any) -> None:
        try:
            self._manager = start_manager(address, ctx)
            self._queue = progress_queue(self._manager)
        except BaseException as exc:  # handed to the job's thread by get()
            self._error = exc
        finally:
            self._ready.set()

    def _ready_queue(self, timeout: float) -> Any:
        if not self._ready.wait(timeout):
            raise queue.Empty
        if self._error is not None:
            raise EOFError(f"the Manager process did not start: {self._error!r}")
        return self._queue

    def get(self, timeout: float) -> Any:
        started = time.monotonic()
        waiting = self._ready_queue(timeout)
        return waiting.get(timeout=max(0.0, timeout - (time.monotonic() - started)))

    def get_nowait(self) -> Any:
        return self._ready_queue(0).get_nowait()

    def shutdown(self) -> None:
        self._starter.join()
        if self._manager is not None:
            self._manager.shutdown()


class _PausableClock:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.paused_at = 0.0
        self.paused_total = 0.0

    def pause(self) -> None:
        self.paused_at = time.monotonic()

    def resume(self) -> None:
        self.paused_total += time.monotonic() - self.paused_at
        self.paused_at = 0.0

    def elapsed(self) -> float:
        now = self.paused_at or time.monotonic()
        return now - self.start - self.paused_total


def _pool_processes(pool: Pool) -> list[Any]:
    # Pool keeps its worker Process objects in a private list; supervision needs them.
    return list(getattr(pool, "_pool", []))


def _kill_workers(pool: Pool) -> None:
    processes = _pool_processes(pool)
    for process in processes:
        if process.exitcode is None:
            process.kill()
    for process in processes:
        process.join(2)
    _release_locks_of_dead_workers(pool)


def _release_locks_of_dead_workers(pool: Pool) -> None:
    """A worker killed inside get() or put() holds a queue lock forever; hand it back.

    Only called once every worker is dead, so no living process can own these locks.
    """
    for queue_name, lock_name in (("_inqueue", "_rlock"), ("_outqueue", "_wlock")):
        lock = getattr(getattr(pool, queue_name, None), lock_name, None)
        if lock is None:
            continue
        if not lock.acquire(False):
            with contextlib.suppress(ValueError):
                lock.release()
            continue
        lock.release()


@contextlib.contextmanager
def _interrupts_blocked() -> Iterator[None]:
    """Block SIGINT while starting children: they inherit the mask, then ignore it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
