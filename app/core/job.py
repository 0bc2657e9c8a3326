"""CopyJob: the phases of a copy (scan and copy, mirror, folder metadata, flush, verify,
move) and the report they add up to."""

from __future__ import annotations

import contextlib
import os
import threading
import time

from app.core import devices, folders
from app.core.clock import PausableClock
from app.core.conflicts import set_time_steps
from app.core.copying import Controls, CopyPhase
from app.core.events import (
    Cancelling,
    FileResult,
    FilesChecked,
    FileStatus,
    FolderIds,
    JobEvent,
    Roots,
)
from app.core.feeder import Feeder
from app.core.flush import flush_file_systems
from app.core.ledger import Callback, Ledger
from app.core.mirror_phase import MirrorPhase
from app.core.move import Moved
from app.core.move_phase import MovePhase
from app.core.namekeys import probe_target
from app.core.options import ConflictPolicy, CopyOptions
from app.core.plan import DryRun
from app.core.preflight import (
    Refusal,
    check_manifest,
    check_paths,
    could_run_out,
    free_space,
)
from app.core.readback import Checked, Checker
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.core.target import TargetHold, open_target, refuse_if_within
from app.core.tree import Folder, identity
from app.core.verify import VerifyPhase

SCAN_GRACE = 2.0  # seconds a cancelled scan gets to stop before it is abandoned
# Seconds the scan may run alone first, so that a job that cannot fit is refused before
# anything is written; only where it might not fit (preflight.could_run_out).
HOLD_START = 0.2
CLOCK_LAG_NS = 20_000_000  # file times lag the clock by a tick (HZ 100: 10 ms)


def retry_paths(paths: list[str]) -> list[str] | None:
    """The paths to copy again ("retry failed"), checked: each one inside the source.

    "." (a failure of the source folder itself) asks for everything: None. A path that
    leads out of the source ("..", absolute) is a caller's bug: ValueError.
    """
    if "." in paths:
        return None
    for path in paths:
        parts = path.split(os.sep)
        if os.path.isabs(path) or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"not a path inside the source: {path!r}")
    return paths


class CopyJob:
    """Copy the contents of `source` into `target`; run() blocks and returns the report.

    run() belongs to one thread (the caller's); pause(), resume(), cancel() and
    resolve_conflict() may be called from any other thread while it runs.

    With keep_results=False the report keeps only the results worth reading and counts
    the rest (see Ledger): a million plain copies would otherwise stay in memory until
    the end. Verify, move and mirror keep them all: their phases work through them.
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
        # An empty path is refused (check_paths), never taken for the current folder: a
        # script's unset $DST would mirror into it.
        self.source = os.path.abspath(source) if source else ""
        self.target = os.path.abspath(target) if target else ""
        self.options = options or CopyOptions()
        self.only = None if only is None else retry_paths(only)
        options = self.options
        keep_all = keep_results or options.hashing() is not None or options.move or options.mirror
        self._on_event: Callback = on_event or (lambda event: None)
        self._said_cancelling = False  # Cancelling sent (by the copy phase, or a later one)
        self._ledger = Ledger(keep_all, self._emit)
        self._controls = Controls()
        self._copying: CopyPhase | None = None  # once run() has started the copy
        self._verified: int | None = None  # files read back and matched, when verifying
        self._verified_cached = 0  # of those, read through the system's cache (fromdisk)
        self._proven = False  # read back when asked, and the manifest written when asked
        self._deleted = 0  # target entries a mirror removed
        self._started_ns = time.time_ns()  # what changed in the target since is no extra
        self._moved: Moved | None = None  # what a move removed from the source
        self._copies_done_ns = 0  # when the copy phase ended
        self._folders_unset: set[str] = set()  # folders whose copies lack their metadata

    def _emit(self, event: JobEvent) -> None:
        self._said_cancelling |= isinstance(event, Cancelling)
        self._on_event(event)

    def _say_cancelled(self) -> None:
        """A phase after the copy stopped for a cancel: said once, as the copy says it."""
        if self._controls.cancel.is_set() and not self._said_cancelling:
            self._emit(Cancelling())

    # --- control, from any thread ------------------------------------------------------

    def pause(self) -> None:
        self._controls.pause.set()

    def resume(self) -> None:
        self._controls.pause.clear()

    def cancel(self) -> None:
        self._controls.cancel.set()

    def resolve_conflict(
        self, conflict_id: int, decision: ConflictPolicy, apply_to_all: bool = False
    ) -> None:
        """Answer a ConflictQuestion with OVERWRITE, SKIP, RENAME or NEWER."""
        self._controls.decisions.put((conflict_id, decision, apply_to_all))

    def worker_pids(self) -> list[int]:
        """Pids of the current pool's workers (for supervision tests and diagnostics)."""
        return self._copying.worker_pids() if self._copying else []

    def busy_worker_pids(self) -> list[int]:
        return self._copying.busy_worker_pids() if self._copying else []

    # --- the job ------------------------------------------------------------------------

    def run(self) -> CopyReport:
        self._started_ns = time.time_ns()
        devices.forget_devices()
        devices.learn_file_system(self.source)
        if self.options.dry_run:
            devices.learn_file_system(self.target)  # (a real job's, once made: _run)
            return DryRun(
                self.source, self.target, self.options, self._emit, self._controls.cancel
            ).run()
        started = time.monotonic()
        try:
            roots, hold = self._prepare_target()
        except Refusal as refusal:
            return CopyReport(self.source, self.target, refused=refusal.why)
        with contextlib.closing(hold):
            return self._run(roots, started)

    def _run(self, roots: Roots, started: float) -> CopyReport:
        devices.learn_file_system(roots.target)
        set_time_steps({roots.ids.target[0]: roots.ways.time_step})
        stop_feeding = threading.Event()
        free = free_space(self.target)
        feeder = Feeder(roots, self.options, self.only, stop_feeding, free, self._started_ns)
        follow, free_names = self.options.follow_symlinks, feeder.room.free_names
        tight = could_run_out(self.source, free, follow, free_names)
        writes_from = started + (HOLD_START if tight else 0.0)
        feeder.start()
        copying = CopyPhase(feeder, self.options, self._ledger, self._controls, self._emit)
        self._copying = copying
        copying.run(writes_from)
        # A copy changed since is read back (move). File times come from a clock that
        # lags (a tick, 4 ms) and are cut to the file system's step: what changed just
        # after would look older than the end, so copies of the last moments count too.
        self._copies_done_ns = time.time_ns() - CLOCK_LAG_NS - roots.ways.time_step
        stop_feeding.set()
        self._finish_scan(feeder)
        self._ledger.add_late(feeder.cleared)  # a mirror's entries where others now go
        self._deleted = sum(r.status is FileStatus.DELETED for r in feeder.cleared)
        wrote = copying.writing_began or self._deleted > 0
        refused = feeder.refusal is not None and not wrote
        if refused:
            folders.remove_created(roots, feeder.created_folders())
        else:
            whole = self._ran_to_the_end(feeder, copying) and feeder.error is None
            if self.options.mirror and whole:
                # Only a whole scan tells what the source lacks. Before the folders get
                # their times (a deletion changes its folder's) and before a move (it
                # asks the source what it still has).
                self._mirror(feeder, copying)
                self._say_cancelled()
            self._apply_folder_metadata(roots, feeder)
        flushed = refused or self._flush_to_disk(feeder)  # refused: nothing was written
        copying.emit_progress(final=True)
        if self.options.hashing() and self._ran_to_the_end(feeder, copying):
            self._verify(feeder, copying.clock)
            self._say_cancelled()
        if self.options.move and not refused:
            self._move(feeder, copying, flushed)
            self._say_cancelled()
        if self._moved and hasattr(os, "sync"):
            os.sync()  # "done" means on disk, the move's removals included
        return self._report(feeder, copying, refused)

    def _mirror(self, feeder: Feeder, copying: CopyPhase) -> None:
        """Delete what the target has and the source lacks, in folders the scan listed."""
        copying.emit_progress(final=True)  # (the copy's last figures, kept on show)
        phase = MirrorPhase(self.options, self._controls, self._emit, self._started_ns)
        self._deleted += phase.run(feeder, self._ledger, copying.clock)
        copying.emit_progress(final=True)  # (the copy's figures again, as it flushes)

    def _move(self, feeder: Feeder, copying: CopyPhase, flushed: bool) -> None:
        """Remove the sources of copies on disk (synced above, verified when asked)."""
        cut_short = self._controls.cancel.is_set() or copying.channel_lost or not flushed
        if cut_short or (self.options.hashing() and not self._proven):
            ledger = self._ledger
            self._moved = Moved(stayed=len(ledger.results) - ledger.late)
            return
        phase = MovePhase(self.options, self._controls, self._emit, self._started_ns)
        done_ns, unset = self._copies_done_ns, self._folders_unset
        self._moved = phase.run(feeder, self._ledger, copying.clock, done_ns, unset)

    def _ran_to_the_end(self, feeder: Feeder, copying: CopyPhase) -> bool:
        cancelled = self._controls.cancel.is_set()
        stopped = cancelled or copying.channel_lost or copying.disk_full
        return not (stopped or feeder.refusal or feeder.is_alive())

    def _verify(self, feeder: Feeder, clock: PausableClock) -> None:
        """Read back what was written (after the sync), compare, write the manifest."""
        algorithm = self.options.hashing()
        assert algorithm is not None
        phase = VerifyPhase(
            self._ledger.results, self.target, algorithm, self.options.verify, self.options.manifest
        )
        running = threading.Event()
        ids, folders = feeder.roots.ids, feeder.folder_ids()
        common = (algorithm, self.options.worker_count(), self._controls.cancel, running)
        # Up-to-date files' sources first (their digests), then the copies.
        source_ids = {path: folder.source for path, folder in folders.items()}
        follow = self.options.follow_symlinks  # (the sources as the scan found them)
        sources = Checker(self.source, *common, ids.source, source_ids, follow=follow)
        target_ids = {path: folder.target for path, folder in folders.items()}
        dates = self.options.replaces_what_differs()
        checker = Checker(self.target, *common, ids.target, target_ids, date_mismatches=dates)
        paused = self._controls.pause

        def tick() -> None:
            if paused.is_set():
                running.clear()
                clock.hold("paused")
            else:
                running.set()
                clock.release("paused")
            read = sources.bytes_done + checker.bytes_done
            self._emit(phase.progress(read, clock.elapsed(), paused))

        def source_read(result: Checked) -> None:
            if (unproven := phase.record_source(result)) is not None:
                self._emit(FilesChecked((unproven,)))

        def checked(result: Checked) -> None:
            if phase.record(result):
                self._emit(FilesChecked((result,)))

        tick()
        sources.check(phase.source_items(), source_read, tick)
        checker.check(phase.items(), checked, tick)
        if bad_links := phase.count_links():
            self._emit(FilesChecked(tuple(bad_links)))
        if links := phase.link_items(ids.target, target_ids):
            checker.check(links, checked, tick)
        tick()  # (its final figures: the checkers tick before each file)
        self._verified = phase.verified if self.options.verify else None  # (a manifest alone)
        self._verified_cached = phase.verified_cached
        if self._controls.cancel.is_set():
            return
        if self.options.manifest:
            try:
                phase.write_manifest()
            except OSError as exc:  # a failure: the record asked for is not there
                why = Reason(Code.MANIFEST_NOT_WRITTEN, (exc.strerror or str(exc),))
                self._ledger.add_late(
                    [FileResult(self.options.manifest, FileStatus.FAILED, why=why)]
                )
                return
        self._proven = True  # (a move may remove the sources)

    def _prepare_target(self) -> tuple[Roots, TargetHold]:
        """Check the paths, create the target (private until the end) and hold it for
        this job, note identities."""
        check_paths(self.source, self.target, self.options.mirror)
        check_manifest(self.options.manifest, self.source, self.target)
        hold = TargetHold(self.target)  # before anything is made
        fd, created = None, False
        try:
            fd, created = open_target(self.target, create=True)
            assert fd is not None  # (made when missing)
            hold.take()
            source_id = identity(os.stat(self.source))
            ids = FolderIds(source_id, refuse_if_within(fd, source_id))
            unfinished = folders.mark_unfinished(self.target, fd, created)
            # Before anything is decided: what a copy there shows of its name and time.
            ways = probe_target(Folder(fd, self.target))
        except Refusal:
            hold.close()
            if created:
                with contextlib.suppress(OSError):
                    os.rmdir(self.target)
            raise
        finally:
            if fd is not None:
                os.close(fd)
        return Roots(self.source, self.target, ids, created, unfinished, ways), hold

    def _finish_scan(self, feeder: Feeder) -> None:
        feeder.join(SCAN_GRACE if self._controls.cancel.is_set() else None)
        if feeder.is_alive():  # blocked in a hung folder: nothing can interrupt readdir
            self._ledger.tell(Reason(Code.SCAN_ABANDONED))
        elif feeder.error is not None:  # a bug or an OS error outside any one file
            why = Reason(Code.SCAN_STOPPED, (repr(feeder.error),))
            self._ledger.finish(FileResult(".", FileStatus.FAILED, why=why), 0)
            self._ledger.tell(why)

    def _apply_folder_metadata(self, roots: Roots, feeder: Feeder) -> None:
        done = list(feeder.folders)  # a copy: an abandoned scan may still append
        made = set(feeder.created_folders())
        follow = self.options.follow_symlinks
        failed, problems, lost, self._folders_unset = folders.apply_metadata(
            roots, done, made, follow
        )
        folders.mark_finished(roots)
        self._ledger.add_late(failed)  # (a folder left more open than its source: exit 1)
        for problem in problems:
            if problem.code is Code.MODES_NOT_KEPT:  # (said of a file already?)
                self._ledger.tell_once(problem)
            else:
                self._ledger.tell(problem)
        self._ledger.count_xattr_loss(*lost)
        self._ledger.tell_xattr_loss()
        self._ledger.tell_unlinked()

    def _report(self, feeder: Feeder, copying: CopyPhase, refused: bool) -> CopyReport:
        ledger = self._ledger
        stopped = None
        if feeder.refusal is not None and not refused:
            stopped = Reason(Code.STOPPED, (ledger.landed(), feeder.refusal))
        cancelled = self._controls.cancel.is_set()
        not_started = max(0, feeder.totals.files - ledger.files_done)
        return CopyReport(
            self.source,
            self.target,
            tuple(ledger.results),
            seconds=copying.clock.elapsed(),
            cancelled=cancelled and feeder.refusal is None,
            refused=feeder.refusal if refused else None,
            stopped=stopped,
            disk_full=copying.disk_full,
            channel_lost=copying.channel_lost,
            notices=tuple(ledger.notices),
            not_started=not_started,
            verified=self._verified,
            verified_cached=self._verified_cached,
            excluded=feeder.totals.excluded,
            deleted=self._deleted,
            moved=None if self._moved is None else self._moved.removed,
            stayed=0 if self._moved is None else self._moved.stayed + not_started,
            held_sources=() if self._moved is None else tuple(self._moved.held_results),
            tally=ledger.tally(),
        )

    def _flush_to_disk(self, feeder: Feeder) -> bool:
        """ "Done" means on disk: without per-file fsync, one flush at the end, of every
        file system the job wrote to. A move flushes even with fsync, which makes data
        durable but not names and folders: the sources go next, only if this worked."""
        if self.options.fsync and not self.options.move:
            return True
        folders = {path: ids.target for path, ids in feeder.folder_ids().items()}
        failed = flush_file_systems(self.target, folders)
        if failed is not None:
            why = Reason(Code.NOT_FLUSHED, (failed,))
            self._ledger.finish(FileResult(".", FileStatus.FAILED, why=why), 0)
            self._ledger.tell(why)
        return failed is None
