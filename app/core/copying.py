"""The copy phase of a job: hand the scan's batches to the workers, gather what they say."""

from __future__ import annotations

import contextlib
import errno
import queue
import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from app.core.channel import Channel, new_address
from app.core.clock import PausableClock
from app.core.conflicts import ASKING
from app.core.events import (
    ActiveFile,
    Batch,
    Cancelling,
    ConflictQuestion,
    FileProgress,
    FileResult,
    FileStatus,
    FileTask,
    FolderIds,
    Follower,
    Progress,
    TaskResults,
    TaskStarted,
    WorkerContext,
    WorkerMessage,
)
from app.core.feeder import Feeder
from app.core.hardlinks import SecondNames
from app.core.ledger import Callback, Ledger
from app.core.options import ConflictPolicy, CopyOptions
from app.core.pool import WorkerPool, interrupts_blocked
from app.core.processes import process_context
from app.core.reasons import Code, Reason
from app.core.temps import remove_task_temp
from app.core.tree import PATH_FLAGS, Folders

POLL_SECONDS = 0.05  # longest wait on the queue: bounds the reaction to pause and cancel
PROGRESS_EVERY = 0.1  # seconds between Progress events to the caller
SUPERVISE_EVERY = 0.5  # seconds between checks that every worker is alive
CANCEL_GRACE = 1.0  # seconds workers get to stop by themselves before they are killed
MAX_RETRIES = 1  # a file whose worker died is tried once more, alone


@dataclass(frozen=True)
class Controls:
    """How other threads steer a running job: cancel, pause, answers to conflicts."""

    cancel: threading.Event = field(default_factory=threading.Event)
    pause: threading.Event = field(default_factory=threading.Event)
    # (conflict id, decision, apply to all)
    decisions: queue.Queue[tuple[int, ConflictPolicy, bool]] = field(default_factory=queue.Queue)


@dataclass
class _Task:
    batch: Batch
    policy: ConflictPolicy
    retries: int = 0
    pid: int = 0  # the worker that took it, once known
    finished: set[str] = field(default_factory=set)

    def unfinished(self) -> list[FileTask]:
        return [item for item in self.batch.items if item.path not in self.finished]


class CopyPhase:
    """Runs the Manager and the Pool for one job, feeds them and supervises them.

    A worker that dies has its task redone by a new pool (its own file alone, once); a
    conflict waits for an answer while the rest goes on; cancel stops the workers between
    chunks and kills what does not stop. Everything learned goes into the ledger.
    """

    def __init__(
        self,
        feeder: Feeder,
        options: CopyOptions,
        ledger: Ledger,
        controls: Controls,
        emit: Callback,
    ) -> None:
        self.source, self.target = feeder.roots.source, feeder.roots.target
        self.options = options
        self.ledger = ledger
        self.clock = PausableClock()  # the job's running time starts with the copy
        self._feeder = feeder
        self._controls = controls
        self._emit = emit
        self._mp = process_context()
        self._policy = options.on_conflict
        self._tasks: dict[int, _Task] = {}
        self._next_task = 0
        self._crashes: queue.Queue[tuple[int, str]] = queue.Queue()
        self._conflicts: dict[int, tuple[FileTask, Batch]] = {}
        self._answers_void: set[str] = set()  # a preview's answers about files since changed
        self._active: dict[int, ActiveFile] = {}
        self._waiting: list[Batch] = []  # batches not yet handed to the pool
        self._second_names = SecondNames(feeder.leaders)  # a set the scan adds to
        self._unlinked: dict[str, int] = {}  # second names copied on their own: bytes
        self._pool: WorkerPool | None = None
        self.disk_full = False
        self.channel_lost = False
        self.writing_began = False

    def worker_pids(self) -> list[int]:
        pool = self._pool  # (called from other threads: the pool may be replaced)
        return sorted(pool.pids) if pool else []

    def busy_worker_pids(self) -> list[int]:
        return sorted({task.pid for task in list(self._tasks.values()) if task.pid})

    def run(self, writes_from: float) -> None:
        """Copy all the feeder finds; no task goes out before `writes_from` (monotonic)
        while the scan is still running."""
        with self._processes(self._feeder.roots.ids) as (channel, context):
            try:
                self._loop(channel, context, writes_from)
            finally:  # (however it ended: the phases after it take time)
                self.clock.release("asking")

    def emit_progress(self, final: bool = False) -> None:
        self.ledger.send_finished()
        # At the end, files still in progress are those a cancel stopped: none count.
        active = () if final else tuple(self._active.values())
        partial = sum(a.done for a in active)
        ledger, feeder = self.ledger, self._feeder
        self._emit(
            Progress(
                files_done=ledger.files_done,
                files_total=feeder.totals.files,
                bytes_done=ledger.bytes_done + partial,
                bytes_total=feeder.totals.bytes + self._second_names.bytes_unlinked,
                scan_done=final or feeder.scan_done,
                elapsed=self.clock.elapsed(),
                paused=self._controls.pause.is_set(),
                active=active,
                bytes_written=ledger.bytes_written + partial,
            )
        )

    # --- the loop -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _processes(self, ids: FolderIds) -> Iterator[tuple[Channel, WorkerContext]]:
        """Start the Manager and the Pool side by side; always stop both, even on errors."""
        context = WorkerContext(
            manager_address=new_address(),
            cancel=self._mp.Event(),
            running=self._mp.Event(),
            options=self.options,
            source=self.source,
            target=self.target,
            token=secrets.token_hex(6),
            roots=ids,
            time_step=self._feeder.roots.ways.time_step,
        )
        context.running.set()
        with interrupts_blocked():
            channel = Channel(context.manager_address, self._mp)
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
        self._pool = WorkerPool(self._mp, self.options.worker_count(), context)

    def _stop_pool(self, broken: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is not None and not pool.stop(broken):
            self.ledger.notices.append(Reason(Code.POOL_ABANDONED))  # for the report

    def _loop(self, channel: Channel, context: WorkerContext, writes_from: float) -> None:
        feeder = self._feeder
        last_emit = last_check = 0.0
        feeding = True
        while True:
            if self._controls.cancel.is_set() or feeder.refusal or self.disk_full:
                self.clock.release("asking")  # (winding down takes time)
                self._wind_down(channel, context)
                return
            self._apply_pause(context)
            if feeding:
                feeding = self._take_from_feeder(feeder)
            if time.monotonic() >= writes_from or not feeding:
                self._submit_waiting()
            if not self._drain(channel, block=True):
                return
            self._handle_decisions()
            self._handle_crashes()
            now = time.monotonic()
            if now - last_check >= SUPERVISE_EVERY:
                last_check = now
                self._supervise(channel, context)
            if now - last_emit >= PROGRESS_EVERY:
                last_emit = now
                self.emit_progress()
            working = feeding or self._waiting or self._tasks or self._second_names.waiting
            # Waiting for answers alone is no copy time (the summary's speed, time left).
            asking = bool(self._conflicts) and not working
            (self.clock.hold if asking else self.clock.release)("asking")
            if not (working or asking):
                return

    def _apply_pause(self, context: WorkerContext) -> None:
        paused = self._controls.pause.is_set()
        if paused and context.running.is_set():
            context.running.clear()
            self.clock.hold("paused")
        elif not paused and not context.running.is_set():
            context.running.set()
            self.clock.release("paused")

    def _take_from_feeder(self, feeder: Feeder) -> bool:
        """Move what the scan produced into the waiting list; False when it is done."""
        while True:
            try:
                item = feeder.out.get_nowait()
            except queue.Empty:
                feeder.batches.flush_stale()
                return True
            if item is None:
                return False
            if isinstance(item, FileResult):  # decided without a worker, e.g. up to date
                self._finish(item, item.bytes)
            elif isinstance(item, Follower):
                self._follow(item)
            else:
                self._waiting.append(item)

    def _follow(self, follower: Follower) -> None:
        batch = self._second_names.ready(follower)
        if batch is not None:
            self._waiting.append(batch)

    def _finish(self, result: FileResult, size: int) -> None:
        self.ledger.finish(result, size)
        if result.path in self._second_names.leaders:
            self._waiting += self._second_names.first_done(result)

    # --- the pool -------------------------------------------------------------------------

    def _submit_waiting(self) -> None:
        # Keep a few tasks per worker queued, no more: later policy changes still apply.
        limit = 4 * self.options.worker_count()
        held = []
        while self._waiting and len(self._tasks) < limit and self._pool is not None:
            batch = self._waiting.pop(0)
            if not self._has_room_for(batch):
                held.append(batch)
            elif self._policy in ASKING or not self.options.decisions:
                self._submit(batch, self._policy)  # answers before the job: on conflict
            else:
                self._submit_answered_apart(batch)
        self._waiting[:0] = held

    def _has_room_for(self, batch: Batch) -> bool:
        """A replacement starts only where it fits beside those being written (each holds
        its old copy's room until it lands: room.py); alone, it always starts."""
        if not batch.room:
            return True
        in_flight = sum(task.batch.room for task in self._tasks.values())
        return not in_flight or self._feeder.room.fits(in_flight + batch.room)

    def _submit_answered_apart(self, batch: Batch) -> None:
        """Under an answer "for all", files answered one by one before the job (in a
        preview) keep their own answer: each goes alone, under ASK, so that its conflict
        shows whether the target file is still the one answered about (_on_conflict)."""
        rest = []
        for item in batch.items:
            if item.path in self._answers_void or self.options.policy_for(item.path) in ASKING:
                rest.append(item)
            else:
                self._submit(batch._replace(items=(item,)), ConflictPolicy.ASK)
        if rest:
            self._submit(batch._replace(items=tuple(rest)), self._policy)

    def _submit(self, batch: Batch, policy: ConflictPolicy, retries: int = 0) -> None:
        assert self._pool is not None
        self.writing_began = True
        task_id = self._next_task
        self._next_task += 1
        self._tasks[task_id] = _Task(batch, policy, retries)

        def crashed(exc: BaseException) -> None:  # runs in the pool's result thread
            self._crashes.put((task_id, repr(exc)))

        self._pool.submit(task_id, batch, policy, crashed)

    def _drain(self, channel: Channel, block: bool) -> bool:
        """Handle what the workers said; False if the progress channel is lost.

        Blocking, it waits for one message and returns: every get is a round trip to
        the Manager, and one that finds the queue empty is wasted.
        Not blocking, it takes everything already there.
        """
        if self.channel_lost:
            return False
        try:
            if block:
                self._handle_all(channel.get(timeout=POLL_SECONDS))
            while not block:
                self._handle_all(channel.get_nowait())
        except queue.Empty:
            pass
        except (EOFError, OSError) as exc:
            # The Manager died: nothing more will arrive. Stop everything, say so.
            self.channel_lost = True
            self.ledger.tell(Reason(Code.CHANNEL_LOST, (type(exc).__name__,)))
            return False
        return True

    def _handle_all(self, messages: list[WorkerMessage]) -> None:
        for message in messages:  # workers send lists of messages
            self._handle(message)

    def _handle(self, message: WorkerMessage) -> None:
        task = self._tasks.get(message.task_id)
        if task is None:
            return  # from a task of a pool that was replaced: it is being redone
        if isinstance(message, TaskStarted):
            task.pid = message.pid
        elif isinstance(message, FileProgress):
            self._active[message.task_id] = ActiveFile(message.path, message.done, message.size)
            if task.batch.items[0].link_to:  # a second name (alone in its batch), copied
                self._count_unlinked(message.path, message.size)
        elif isinstance(message, TaskResults):
            self._on_results(task, message)

    def _on_results(self, task: _Task, message: TaskResults) -> None:
        self._active.pop(message.task_id, None)
        self.ledger.count_xattr_loss(message.xattrs_lost, message.xattrs_error)
        if message.copied:
            self._finish_copies(task, message)
        if message.results:
            items = {item.path: item for item in task.batch.items}
            for result in message.results:
                task.finished.add(result.path)
                self._on_result(result, items[result.path], task)
        if message.finished:  # all its files reported, unless the job was cancelled
            del self._tasks[message.task_id]

    def _finish_copies(self, task: _Task, message: TaskResults) -> None:
        """_finish for each plain copy of a message, counted together: most files."""
        copied = [task.batch.items[index] for index in message.copied]
        digests = message.digests or ("",) * len(copied)
        results = [
            FileResult(item.path, FileStatus.COPIED, item.size, digest=digest)
            for item, digest in zip(copied, digests, strict=True)
        ]
        task.finished.update(item.path for item in copied)
        self.ledger.finish_copies(results)
        leaders = self._second_names.leaders
        for result in results if leaders else ():
            if result.path in leaders:
                self._waiting += self._second_names.first_done(result)

    def _on_result(self, result: FileResult, item: FileTask, task: _Task) -> None:
        if result.status is FileStatus.CONFLICT:
            self._on_conflict(result, item, task)
            return
        if result.errno in (errno.ENOSPC, errno.EDQUOT) and not self.disk_full:
            self.disk_full = True  # stop new work, say so
            self.ledger.tell(Reason(Code.DISK_FULL))
        if result.why is not None and result.why.code is Code.COPIED_UNLINKED:
            self._count_unlinked(result.path, result.bytes)
            self.ledger.count_unlinked(result.path)
        # (a second name copied on its own counts for its bytes, landed or not)
        self._finish(result, item.size + self._unlinked.get(result.path, 0))

    def _count_unlinked(self, path: str, size: int) -> None:
        """A second name the target could not link, copied on its own: its bytes join
        the total once, before its progress counts (else the bar goes past its end)."""
        if path not in self._unlinked:
            self._unlinked[path] = size
            self._second_names.bytes_unlinked += size

    def _on_conflict(self, result: FileResult, item: FileTask, task: _Task) -> None:
        self._handle_decisions()  # an answer "for all" given meanwhile may settle it
        alone = task.batch._replace(items=(item,))
        target = (result.target_size, result.target_mtime_ns)
        answer = self.options.policy_for(item.path, target)
        if answer not in ASKING and answer is not task.policy and self._pool is not None:
            self._submit(alone, answer)  # answered before the job (in a preview)
            return
        if answer in ASKING and self.options.answer_for(item.path):  # saved anew since
            self._answers_void.add(item.path)
        # Ask only under the policy the file was tried with: after "skip identical
        # for all", a file tried under ASK must first be compared.
        if self._policy in ASKING and task.policy is self._policy:
            conflict_id = item.serial  # unique within the job
            self._conflicts[conflict_id] = (item, alone)
            compared = task.policy is ConflictPolicy.SKIP_IDENTICAL
            self._emit(ConflictQuestion(conflict_id, result, compared))
        else:
            self._waiting.insert(0, alone)

    def _handle_decisions(self) -> None:
        while True:
            try:
                conflict_id, decision, apply_to_all = self._controls.decisions.get_nowait()
            except queue.Empty:
                return
            if apply_to_all:
                self._policy = decision
                chosen = list(self._conflicts)
            else:
                chosen = [conflict_id] if conflict_id in self._conflicts else []
            for key in chosen:
                item, batch = self._conflicts.pop(key)
                if decision is ConflictPolicy.SKIP:
                    why = Reason(Code.EXISTS)
                    self._finish(
                        FileResult(item.path, FileStatus.SKIPPED, item.size, why), item.size
                    )
                elif self._pool is not None:
                    self._submit(batch, decision)

    # --- supervision ----------------------------------------------------------------------

    def _handle_crashes(self) -> None:
        while True:
            try:
                task_id, error = self._crashes.get_nowait()
            except queue.Empty:
                return
            task = self._tasks.pop(task_id, None)
            if task is not None:
                why = Reason(Code.WORKER_ERROR, (error,))
                for item in task.unfinished():
                    self._finish(FileResult(item.path, FileStatus.FAILED, why=why), item.size)

    def _supervise(self, channel: Channel, context: WorkerContext) -> None:
        """Replace the pool if a worker vanished: Pool would lose its task silently."""
        if self._pool is None:
            return
        dead = self._pool.dead()
        if not dead:
            return
        self.ledger.tell(Reason(Code.WORKER_DIED_RETRYING, (", ".join(map(str, sorted(dead))),)))
        self._stop_pool(broken=True)
        if not self._drain(channel, block=False):  # what arrived before the kill
            return  # nothing more can be heard from a new pool either: the job ends
        lost, self._tasks = self._tasks, {}
        self._active.clear()
        self._remove_temps(context, lost.values())
        self._start_pool(context)
        for task in lost.values():
            self._resubmit(task, blamed=task.pid in dead)

    def _resubmit(self, task: _Task, blamed: bool) -> None:
        # Not fresh any more: the dead worker may have copied some before it could say so.
        items = [item._replace(fresh=False) for item in task.unfinished()]
        if not blamed:
            if items:
                self._submit(task.batch._replace(items=tuple(items)), task.policy, task.retries)
            return
        for item in items:  # alone, so a file that kills its worker cannot take others along
            if task.retries >= MAX_RETRIES:
                why = Reason(Code.WORKER_DIED)
                self._finish(FileResult(item.path, FileStatus.FAILED, why=why), item.size)
            else:
                alone = task.batch._replace(items=(item,))
                self._submit(alone, task.policy, task.retries + 1)

    def _wind_down(self, channel: Channel, context: WorkerContext) -> None:
        """Cancel: workers stop between chunks; whatever is still running is killed."""
        context.cancel.set()
        context.running.set()
        if self._controls.cancel.is_set():
            self._emit(Cancelling())
        deadline = time.monotonic() + CANCEL_GRACE
        while self._tasks and time.monotonic() < deadline:
            if not self._drain(channel, block=True):
                return
        self._waiting.clear()

    def _remove_temps(self, context: WorkerContext, tasks: Iterable[_Task]) -> None:
        """Delete named temps that killed or cancelled workers may have left half-written.

        (Unnamed O_TMPFILE data vanishes with its worker; only named temps can be left.)
        """
        roots = self._feeder.roots
        ids = self._feeder.folder_ids()
        # Reached by descriptor, as the workers wrote them: a folder swapped for a link
        # since is not followed (its names could be anyone's elsewhere).
        try:
            targets = Folders(self.target, PATH_FLAGS, roots.ids.target)
        except OSError:
            return  # the target itself was replaced: nothing of ours to reach
        try:
            for task in tasks:
                for item in task.unfinished():
                    remove_task_temp(context, targets, ids, item)
        finally:
            targets.close()
