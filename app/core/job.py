"""CopyJob: scans, feeds and supervises the workers, and gathers what they report."""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.core import folders
from app.core.channel import Channel, new_address
from app.core.conflicts import ASKING
from app.core.events import (
    ActiveFile,
    Batch,
    Cancelling,
    ConflictQuestion,
    FileProgress,
    FileResult,
    FilesChecked,
    FilesFinished,
    FileStatus,
    FileTask,
    FolderIds,
    JobEvent,
    Notice,
    Progress,
    TaskResults,
    TaskStarted,
    WorkerContext,
)
from app.core.feeder import Feeder, Follower, Roots
from app.core.flush import flush_file_system
from app.core.mirror import Look, Mirror, unlisted_folders
from app.core.move import Moved, SourceRemover
from app.core.options import ConflictPolicy, CopyOptions
from app.core.plan import DryRun
from app.core.pool import WorkerPool, interrupts_blocked
from app.core.preflight import Refusal, check_paths, could_run_out, free_space
from app.core.processes import process_context
from app.core.readback import Checked, Checker
from app.core.reasons import Code, Reason
from app.core.report import CopyReport, Tally
from app.core.tree import identity
from app.core.verify import VerifyPhase

POLL_SECONDS = 0.05  # longest wait on the queue: bounds the reaction to pause and cancel
EMIT_EVERY = 0.1  # seconds between Progress events to the caller
SUPERVISE_EVERY = 0.5  # seconds between checks that every worker is alive
CANCEL_GRACE = 1.0  # seconds workers get to stop by themselves before they are killed
SCAN_GRACE = 2.0  # seconds a cancelled scan gets to stop before it is abandoned
# Seconds the scan may run alone first, so that a job that cannot fit is refused before
# anything is written; only where it might not fit (preflight.could_run_out).
HOLD_START = 0.2
MAX_RETRIES = 1  # a file whose worker died is tried once more, alone
_LANDED = {FileStatus.COPIED, FileStatus.RENAMED}


@dataclass
class _Task:
    batch: Batch
    policy: ConflictPolicy
    retries: int = 0
    pid: int = 0  # the worker that took it, once known
    finished: set[str] = field(default_factory=set)

    def unfinished(self) -> list[FileTask]:
        return [item for item in self.batch.items if item.path not in self.finished]


Callback = Callable[[JobEvent], None]


class CopyJob:
    """Copy the contents of `source` into `target`; run() blocks and returns the report.

    run() belongs to one thread (the caller's); pause(), resume(), cancel() and
    resolve_conflict() may be called from any other thread while it runs.

    With keep_results=False the report keeps only the results worth reading (failures,
    renamed copies, files kept in the target) and counts the rest: a caller that shows or
    streams the FilesFinished events has every result already, and a million plain
    copies would otherwise stay in memory until the end. Verify, move and mirror keep
    them all: their phases after the copy work through them.
    """

    def __init__(
        self,
        source: str,
        target: str,
        options: CopyOptions | None = None,
        on_event: Callback | None = None,
        only: list[str] | None = None,
        keep_results: bool = True,
    ) -> None:
        self.source = os.path.abspath(source)
        self.target = os.path.abspath(target)
        self.options = options or CopyOptions()
        self.only = only
        # Verify, move and mirror work on the copy's results after the copy: keep them all.
        options = self.options
        self._keep_all = (
            keep_results or options.hashing() is not None or options.move or options.mirror
        )
        self._emit: Callback = on_event or (lambda event: None)
        self._mp = process_context()
        self._cancel_requested = threading.Event()
        self._paused = threading.Event()
        self._decisions: queue.Queue[tuple[int, ConflictPolicy, bool]] = queue.Queue()
        self._policy = self.options.on_conflict
        self._tasks: dict[int, _Task] = {}
        self._next_task = 0
        self._crashes: queue.Queue[tuple[int, str]] = queue.Queue()
        self._results: list[FileResult] = []  # every result, or those worth keeping
        self._counts: Counter[FileStatus] = Counter()  # of every result
        self._files_done = 0
        self._unsent: list[FileResult] = []
        self._conflicts: dict[int, tuple[FileTask, Batch]] = {}
        self._active: dict[int, ActiveFile] = {}
        self._waiting: list[Batch] = []  # batches not yet handed to the pool
        self._parked: dict[str, list[Follower]] = {}  # hard links waiting for their copy
        self._leaders: set[str] = set()  # first names of hard-linked files (the feeder's)
        self._landed: dict[str, str | None] = {}  # ... and where their copies went
        self._notices: list[Reason] = []
        self._bytes_done = 0
        self._bytes_written = 0
        self._bytes_unlinked = 0  # hard links copied as files after all: added to the total
        self._xattr_loss: tuple[int, str] = (0, "")
        self._disk_full = False
        self._channel_lost = False
        self._writing_began = False
        self._pool: WorkerPool | None = None
        self._clock = _PausableClock()
        self._verified: int | None = None  # files read back and matched, when verifying
        self._deleted = 0  # target entries a mirror removed
        self._late = 0  # results of the mirror, after the copy's (not source entries)
        self._moved: Moved | None = None  # what a move removed from the source

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
        """Answer a ConflictQuestion with OVERWRITE, SKIP, RENAME or NEWER."""
        self._decisions.put((conflict_id, decision, apply_to_all))

    def worker_pids(self) -> list[int]:
        """Pids of the current pool's workers (for supervision tests and diagnostics)."""
        return sorted(self._pool.pids) if self._pool else []

    def busy_worker_pids(self) -> list[int]:
        return sorted({task.pid for task in list(self._tasks.values()) if task.pid})

    # --- the job ------------------------------------------------------------------------

    def run(self) -> CopyReport:
        if self.options.dry_run:
            return DryRun(
                self.source, self.target, self.options, self._emit, self._cancel_requested
            ).run()
        started = time.monotonic()
        try:
            roots = self._prepare_target()
        except Refusal as refusal:
            return CopyReport(self.source, self.target, refused=refusal.why)
        stop_feeding = threading.Event()
        free = free_space(self.target)
        feeder = Feeder(roots, self.options, self.only, stop_feeding, free)
        tight = could_run_out(self.source, free, self.options.follow_symlinks)
        writes_from = started + (HOLD_START if tight else 0.0)
        self._leaders = feeder.leaders
        feeder.start()
        self._clock = _PausableClock()
        with self._processes(roots.ids) as (channel, context):
            self._loop(channel, context, feeder, writes_from)
        stop_feeding.set()
        self._finish_scan(feeder)
        refused = feeder.refusal is not None and not self._writing_began
        if refused:
            folders.remove_created(roots, feeder.created_folders())
        else:
            if self.options.mirror and self._ran_to_the_end(feeder) and feeder.error is None:
                # Only a whole scan tells what the source lacks. Before the folders get
                # their times (a deletion changes its folder's) and before a move (it
                # asks the source what it still has).
                self._mirror(feeder)
            self._apply_folder_metadata(roots, feeder)
        self._flush_to_disk()
        self._emit_progress(feeder, final=True)
        if self.options.hashing() and self._ran_to_the_end(feeder):
            self._verify(feeder)
        if self.options.move and not refused:
            self._move(feeder)
        if self._moved and hasattr(os, "sync"):
            os.sync()  # "done" means on disk, the move's removals included
        return self._report(feeder, started, refused)

    def _mirror(self, feeder: Feeder) -> None:
        """Delete what the target has and the source lacks, in folders the scan listed."""
        renamed = {r.target_path for r in self._results if r.status is FileStatus.RENAMED}
        pruner = Mirror(
            (self.source, self.target),
            feeder.roots.ids,
            self.options.follow_symlinks,
            self.options.filters,
            renamed,
            False,
            self._cancel_requested,
            feeder.name_key,
        )
        pruner.protected |= {ids.source for ids in feeder.folder_ids().values()}
        unlisted = unlisted_folders(self._results)
        pruner.run(Look(p, *ids) for p, ids in feeder.folder_ids().items() if p not in unlisted)
        self._deleted = pruner.deleted
        self._add_late(pruner.results)

    def _move(self, feeder: Feeder) -> None:
        """Remove the sources of copies on disk (synced above, verified when asked)."""
        stopped = self._cancel_requested.is_set() or self._channel_lost
        if stopped or (self.options.verify and self._verified is None):
            self._moved = Moved(stayed=len(self._results) - self._late)
            return
        remover = SourceRemover(
            (self.source, self.target),
            feeder.roots.ids,
            feeder.folder_ids(),
            self.options.follow_symlinks,
            self._cancel_requested,
        )
        copied = self._results[: len(self._results) - self._late]
        self._moved = remover.run(copied, [entry.path for entry, _ in feeder.folders])
        if self._moved.failures:
            failed = {r.path: r for r in self._moved.failures}
            self._results = [failed.get(r.path, r) for r in self._results]
            self._emit(FilesFinished(tuple(self._moved.failures)))

    def _add_late(self, results: list[FileResult]) -> None:
        """Results of a phase after the copy (the copy's own were already sent)."""
        self._results += results
        self._late += len(results)
        if results:
            self._emit(FilesFinished(tuple(results)))

    def _ran_to_the_end(self, feeder: Feeder) -> bool:
        stopped = self._cancel_requested.is_set() or self._channel_lost or self._disk_full
        return not (stopped or feeder.refusal or feeder.is_alive())

    def _verify(self, feeder: Feeder) -> None:
        """Read back what was written (after the sync), compare, write the manifest."""
        algorithm = self.options.hashing()
        assert algorithm is not None
        phase = VerifyPhase(
            self._results, self.target, algorithm, self.options.verify, self.options.manifest
        )
        running = threading.Event()
        checker = Checker(
            self.target,
            algorithm,
            self.options.worker_count(),
            self._cancel_requested,
            running,
            feeder.roots.ids.target,
            {path: ids.target for path, ids in feeder.folder_ids().items()},
        )
        items = phase.items()

        def tick() -> None:
            if self._paused.is_set():
                running.clear()
                self._clock.pause_once()
            else:
                running.set()
                self._clock.resume_once()
            self._emit(phase.progress(checker.bytes_done, self._clock.elapsed(), self._paused))

        def checked(result: Checked) -> None:
            phase.record(result)
            self._emit(FilesChecked((result,)))

        tick()
        checker.check(items, checked, tick)
        phase.count_links()
        self._verified = phase.verified
        if self.options.manifest and not self._cancel_requested.is_set():
            try:
                phase.write_manifest()
            except OSError as exc:
                self._tell(Reason(Code.MANIFEST_NOT_WRITTEN, (exc.strerror or str(exc),)))

    def _prepare_target(self) -> Roots:
        """Check the paths, create the target (private until the end), note identities."""
        check_paths(self.source, self.target)
        created = not os.path.isdir(self.target)
        if created:
            try:
                os.makedirs(self.target, 0o700)
            except OSError as exc:
                raise Refusal(Code.TARGET_NOT_CREATED, exc.strerror) from exc
        ids = FolderIds(identity(os.stat(self.source)), identity(os.stat(self.target)))
        return Roots(self.source, self.target, ids, created)

    def _finish_scan(self, feeder: Feeder) -> None:
        feeder.join(SCAN_GRACE if self._cancel_requested.is_set() else None)
        if feeder.is_alive():  # blocked in a hung folder: nothing can interrupt readdir
            self._tell(Reason(Code.SCAN_ABANDONED))
        elif feeder.error is not None:  # a bug or an OS error outside any one file
            why = Reason(Code.SCAN_STOPPED, (repr(feeder.error),))
            self._finish(FileResult(".", FileStatus.FAILED, why=why), 0)
            self._tell(why)

    def _apply_folder_metadata(self, roots: Roots, feeder: Feeder) -> None:
        done = list(feeder.folders)  # a copy: an abandoned scan may still append
        problems, lost = folders.apply_metadata(roots, done, self.options.follow_symlinks)
        self._notices += problems
        self._count_xattr_loss(*lost)
        count, error = self._xattr_loss
        if count:
            self._tell(Reason(Code.XATTRS_NOT_KEPT, (count, error)))

    def _report(self, feeder: Feeder, started: float, refused: bool) -> CopyReport:
        stopped = None
        if feeder.refusal is not None and not refused:
            written = sum(self._counts[status] for status in _LANDED)
            stopped = Reason(Code.STOPPED, (written, feeder.refusal))
        cancelled = self._cancel_requested.is_set()
        not_started = max(0, feeder.totals.files - self._files_done)
        return CopyReport(
            self.source,
            self.target,
            tuple(self._results),
            seconds=self._clock.elapsed(),
            cancelled=cancelled and feeder.refusal is None,
            refused=feeder.refusal if refused else None,
            stopped=stopped,
            disk_full=self._disk_full,
            channel_lost=self._channel_lost,
            notices=tuple(self._notices),
            not_started=not_started,
            verified=self._verified,
            excluded=feeder.totals.excluded,
            deleted=self._deleted,
            moved=None if self._moved is None else self._moved.removed,
            stayed=0 if self._moved is None else self._moved.stayed + not_started,
            # With every result kept, the results say more (verify mismatches, a move's
            # sources it could not remove): count those.
            tally=None if self._keep_all else Tally(self._counts, self._bytes_written),
        )

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
            self._notices.append(Reason(Code.POOL_ABANDONED))

    def _loop(
        self, channel: Channel, context: WorkerContext, feeder: Feeder, writes_from: float
    ) -> None:
        """Feed, submit and collect until all is done; no task goes out before
        `writes_from` (monotonic) while the scan is still running."""
        last_emit = last_check = 0.0
        feeding = True
        while True:
            if self._cancel_requested.is_set() or feeder.refusal or self._disk_full:
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
            if now - last_emit >= EMIT_EVERY:
                last_emit = now
                self._emit_progress(feeder)
            if not (feeding or self._waiting or self._tasks or self._conflicts or self._parked):
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
                feeder.flush_stale()
                return True
            if item is None:
                return False
            if isinstance(item, FileResult):  # decided without a worker, e.g. up to date
                self._finish(item, item.bytes)
            elif isinstance(item, Follower):
                self._follow(item)
            else:
                self._waiting.append(item)

    # --- hard links: a second name waits until the first one's copy has landed ------------

    def _follow(self, follower: Follower) -> None:
        if follower.leader not in self._landed:
            self._parked.setdefault(follower.leader, []).append(follower)
            return
        target_path = self._landed[follower.leader]
        task = follower.batch.items[0]
        if target_path is None:  # the first name was not copied: copy this one as it is
            self._bytes_unlinked += follower.size
            task = task._replace(link_to="", size=follower.size)
        else:
            task = task._replace(link_to=target_path)
        self._waiting.append(follower.batch._replace(items=(task,)))

    def _note_landing(self, result: FileResult) -> None:
        landed = result.status in _LANDED or result.why == Reason(Code.UP_TO_DATE)
        self._landed[result.path] = (result.target_path or result.path) if landed else None
        for follower in self._parked.pop(result.path, []):
            self._follow(follower)

    # --- the pool -----------------------------------------------------------------------

    def _submit_waiting(self) -> None:
        # Keep a few tasks per worker queued, no more: later policy changes still apply.
        limit = 4 * self.options.worker_count()
        while self._waiting and len(self._tasks) < limit and self._pool is not None:
            self._submit(self._waiting.pop(0), self._policy)

    def _submit(self, batch: Batch, policy: ConflictPolicy, retries: int = 0) -> None:
        assert self._pool is not None
        self._writing_began = True
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
            self._tell(Reason(Code.CHANNEL_LOST, (type(exc).__name__,)))
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
            self._on_results(task, message)

    def _on_results(self, task: _Task, message: TaskResults) -> None:
        self._active.pop(message.task_id, None)
        self._count_xattr_loss(message.xattrs_lost, message.xattrs_error)
        if message.copied:
            self._finish_copies(task, message)
        if message.results:
            items = {item.path: item for item in task.batch.items}
            for result in message.results:
                task.finished.add(result.path)
                self._on_result(result, items[result.path], task)
        if message.finished:  # all its files reported, unless the job was cancelled
            del self._tasks[message.task_id]

    def _on_result(self, result: FileResult, item: FileTask, task: _Task) -> None:
        if result.status is FileStatus.CONFLICT:
            self._handle_decisions()  # an answer "for all" given meanwhile may settle it
            alone = task.batch._replace(items=(item,))
            answer = self.options.policy_for(item.path)
            if answer not in ASKING and answer is not task.policy and self._pool is not None:
                self._submit(alone, answer)  # answered before the job (in a preview)
                return
            # Ask only under the policy the file was tried with: after "skip identical
            # for all", a file tried under ASK must first be compared.
            if self._policy in ASKING and task.policy is self._policy:
                conflict_id = item.serial  # unique within the job
                self._conflicts[conflict_id] = (item, alone)
                self._emit(ConflictQuestion(conflict_id, result))
            else:
                self._waiting.insert(0, alone)
            return
        if result.errno in (errno.ENOSPC, errno.EDQUOT) and not self._disk_full:
            self._disk_full = True  # stop new work, say so
            self._tell(Reason(Code.DISK_FULL))
        self._finish(result, item.size)

    def _count_xattr_loss(self, count: int, error: str) -> None:
        if count:
            self._xattr_loss = (self._xattr_loss[0] + count, self._xattr_loss[1] or error)

    def _tell(self, why: Reason) -> None:
        """A notice for the caller now, and in the report."""
        self._notices.append(why)
        self._emit(Notice(why))

    def _finish(self, result: FileResult, size: int) -> None:
        self._files_done += 1
        self._counts[result.status] += 1
        if self._keep_all or _worth_keeping(result):
            self._results.append(result)
        self._unsent.append(result)
        self._bytes_done += size
        if result.status in _LANDED:
            self._bytes_written += result.bytes
        if result.path in self._leaders:
            self._note_landing(result)

    def _finish_copies(self, task: _Task, message: TaskResults) -> None:
        """_finish for each plain copy of a message, counted together: most files."""
        copied = [task.batch.items[index] for index in message.copied]
        digests = message.digests or ("",) * len(copied)
        results = [
            FileResult(item.path, FileStatus.COPIED, item.size, digest=digest)
            for item, digest in zip(copied, digests, strict=True)
        ]
        task.finished.update(item.path for item in copied)
        size = sum(item.size for item in copied)
        self._files_done += len(results)
        self._counts[FileStatus.COPIED] += len(results)
        self._bytes_done += size
        self._bytes_written += size
        self._unsent += results
        if self._keep_all:
            self._results += results
        for result in results if self._leaders else ():
            if result.path in self._leaders:
                self._note_landing(result)

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
                item, batch = self._conflicts.pop(key)
                if decision is ConflictPolicy.SKIP:
                    why = Reason(Code.EXISTS)
                    self._finish(
                        FileResult(item.path, FileStatus.SKIPPED, item.size, why), item.size
                    )
                elif self._pool is not None:
                    self._submit(batch, decision)

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
        self._tell(Reason(Code.WORKER_DIED_RETRYING, (", ".join(map(str, sorted(dead))),)))
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
        if self._cancel_requested.is_set():
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
        partial = sum(a.done for a in active)
        self._emit(
            Progress(
                files_done=self._files_done,
                files_total=feeder.totals.files,
                bytes_done=self._bytes_done + partial,
                bytes_total=feeder.totals.bytes + self._bytes_unlinked,
                scan_done=final or feeder.scan_done,
                elapsed=self._clock.elapsed(),
                paused=self._paused.is_set(),
                active=() if final else active,
                bytes_written=self._bytes_written + partial,
            )
        )

    def _flush_to_disk(self) -> None:
        # "Done" means on disk: without per-file fsync, one flush of the target at the end.
        if not self.options.fsync:
            flush_file_system(self.target)


def _worth_keeping(result: FileResult) -> bool:
    """A result a person may want to read after the job: not a plain copy, link or skip."""
    if result.status is FileStatus.SKIPPED:
        return result.why != Reason(Code.UP_TO_DATE)  # e.g. newer in the target: kept
    return result.status in (FileStatus.FAILED, FileStatus.RENAMED)


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

    def pause_once(self) -> None:
        if not self.paused_at:
            self.pause()

    def resume_once(self) -> None:
        if self.paused_at:
            self.resume()
