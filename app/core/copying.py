"""The copy phase of a job: hand the scan's batches to the workers, gather what they say."""

from __future__ import annotations

import contextlib
import queue
import secrets
import time
from collections.abc import Iterable, Iterator

from app.core.channel import Channel, new_address
from app.core.conflicts import ASKING
from app.core.copying_messages import POLL_SECONDS, CopyMessages
from app.core.copying_state import Controls, Task
from app.core.events import (
    Batch,
    Cancelling,
    FileResult,
    FileStatus,
    FolderIds,
    Follower,
    Progress,
    WorkerContext,
)
from app.core.feeder import Feeder
from app.core.options import ConflictPolicy
from app.core.pool import WorkerPool, interrupts_blocked
from app.core.processes import start_tracker
from app.core.reasons import Code, Reason
from app.core.temps import remove_task_temp
from app.core.tree import PATH_FLAGS, Folders

__all__ = ["POLL_SECONDS", "PROGRESS_EVERY", "Controls", "CopyPhase"]

PROGRESS_EVERY = 0.1  # seconds between Progress events to the caller
SUPERVISE_EVERY = 0.5  # seconds between checks that every worker is alive
CANCEL_GRACE = 1.0  # seconds workers get to stop by themselves before they are killed
MAX_RETRIES = 1  # a file whose worker died is tried once more, alone


class CopyPhase(CopyMessages):
    """Runs the Manager and the Pool for one job, feeds them and supervises them.

    A worker that dies has its task redone by a new pool (its own file alone, once); a
    conflict waits for an answer while the rest goes on; cancel stops the workers between
    chunks and kills what does not stop. Everything learned goes into the ledger.

    Its state and the steps all its parts take are in copying_state.py; what the workers
    say, with the conflicts and their answers, in copying_messages.py. This class runs the
    loop: the processes, the feeding, the supervision and the end.
    """

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
        start_tracker()  # (before the Events, whose semaphores would start it unprotected)
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

    def _resubmit(self, task: Task, blamed: bool) -> None:
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

    def _remove_temps(self, context: WorkerContext, tasks: Iterable[Task]) -> None:
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
