"""CopyController: runs a CopyJob or VerifyJob on its QThread, re-emits throttled signals."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from app.core.events import (
    ConflictQuestion,
    FileResult,
    FilesChecked,
    FilesFinished,
    JobEvent,
    Notice,
    Progress,
    SourcesStayed,
)
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.readback import Checked
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.core.verify import VerifyJob, VerifyProgress, VerifyReport

# The window's one refresh rate: at most ~20 updates a second, whatever the file rate.
# Panels, graph, title, taskbar and speed (app.core.rate) all follow these emissions
# and add no timer or throttle of their own.
UPDATE_EVERY = 0.05

# Controllers whose thread may still run. Holding them here means a QThread is never
# destroyed while running (that aborts the process), even if its window is gone.
_LIVE: set[CopyController] = set()


class CopyController(QObject):
    """Owns one worker QThread; each start() runs a CopyJob there, each start_verify() a
    VerifyJob (a folder checked against a manifest), one job at a time.

    Create it in the GUI thread. It moves itself to its thread; call start(), pause(),
    resume(), cancel() and resolve_conflict() from the GUI thread (they only touch
    thread-safe state). Connect its signals to bound slots of GUI-thread objects: they
    are delivered queued, in order.

    Signals:
        progress(Progress): the latest snapshot of the job (app.core.events.Progress;
            64-bit byte counts, so the signal carries an object). At most ~20 a second.
        filesFinished(list[FileResult]): final results of the files that finished since
            the previous emission, in order. Emitted just before `progress`.
        filesChecked(list[Checked]): files read back and compared since the previous
            emission (a copy's verify phase, or a VerifyJob); emitted after filesFinished.
            In a copy, a Checked's path is the file's path in the target.
        sourcesStayed(list[FileResult]): a move left these sources where they were; each
            result's `why` says why (their rows came in filesFinished already).
        conflictAsked(ConflictQuestion): Ask policy: a file exists in the target; answer
            with resolve_conflict(). Other files keep copying meanwhile.
        notice(Reason): something a person should read (a worker died, the disk is full).
        finished(CopyReport): the job ended (done, cancelled, refused or failed); data is
            on disk by then. Every start() is followed by exactly one finished.
        verifyFinished(VerifyReport): a VerifyJob ended; every start_verify() is followed
            by exactly one. Its progress comes as `progress` with phase "verify".
    """

    progress = Signal(object)
    filesFinished = Signal(object)
    filesChecked = Signal(object)
    sourcesStayed = Signal(object)
    conflictAsked = Signal(object)
    notice = Signal(object)
    finished = Signal(object)
    verifyFinished = Signal(object)

    _runRequested = Signal(str, str, object, object)
    _verifyRequested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()  # no parent: an object with a parent cannot change threads
        self._lock = threading.Lock()
        self._job: CopyJob | VerifyJob | None = None
        self._cancel_early = False
        self._paused_early = False  # Pause pressed before the job object exists
        self._running = False
        self._pending: list[FileResult] = []
        self._checked: list[Checked] = []
        self._latest: Progress | None = None
        self._phase = "copy"
        self._last_emit = 0.0
        self._thread = QThread()
        self._thread.setObjectName("ferry-copy")
        self.moveToThread(self._thread)
        self._runRequested.connect(self._run)  # queued: runs on self._thread
        self._verifyRequested.connect(self._run_verify)
        self._thread.start()
        _LIVE.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            # Direct: the slot must run in the GUI thread while it is quitting, not
            # queued to this object's (possibly busy) thread.
            app.aboutToQuit.connect(self.shutdown, Qt.ConnectionType.DirectConnection)

    # --- called from the GUI thread ----------------------------------------------------

    def is_running(self) -> bool:
        return self._running

    def start(
        self,
        source: str,
        target: str,
        options: CopyOptions,
        only: list[str] | None = None,
    ) -> None:
        if self._running:
            raise RuntimeError("a copy is already running")
        self._running = True
        with self._lock:
            self._cancel_early = self._paused_early = False
        self._runRequested.emit(source, target, options, only)

    def start_verify(self, manifest: str, folder: str) -> None:
        """Check `folder` against the checksum file `manifest` (cancel works, pause not)."""
        if self._running:
            raise RuntimeError("a job is already running")
        self._running = True
        with self._lock:
            self._cancel_early = self._paused_early = False
        self._verifyRequested.emit(manifest, folder)

    def pause(self) -> None:
        with self._lock:
            self._paused_early = True  # (pressed at once after Start: it was lost)
            if isinstance(self._job, CopyJob):
                self._job.pause()

    def resume(self) -> None:
        with self._lock:
            self._paused_early = False
            if isinstance(self._job, CopyJob):
                self._job.resume()

    def cancel(self) -> None:
        with self._lock:
            self._cancel_early = True  # in case the job object does not exist yet
            if self._job is not None:
                self._job.cancel()

    def resolve_conflict(
        self, conflict_id: int, decision: ConflictPolicy, apply_to_all: bool = False
    ) -> None:
        with self._lock:
            if isinstance(self._job, CopyJob):
                self._job.resolve_conflict(conflict_id, decision, apply_to_all)

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel any job and join the thread; True once the thread has ended."""
        self.cancel()
        self._thread.quit()
        done = self._thread.wait(timeout_ms)
        if done:
            _LIVE.discard(self)
        return bool(done)

    # --- on the worker thread ----------------------------------------------------------

    @Slot(str, str, object, object)
    def _run(self, source: str, target: str, options: CopyOptions, only: list[str] | None) -> None:
        # The window's log keeps every result (from the events); the report needs no copy.
        job = CopyJob(
            source, target, options, on_event=self._on_event, only=only, keep_results=False
        )
        self._adopt(job)
        try:
            report = job.run()
        except Exception as exc:  # an engine bug must not leave the window waiting forever
            why = Reason(Code.UNEXPECTED, (f"{type(exc).__name__}: {exc}",))
            report = CopyReport(source, target, refused=why)
        self._release()
        self.finished.emit(report)

    @Slot(str, str)
    def _run_verify(self, manifest: str, folder: str) -> None:
        job = VerifyJob(
            manifest, folder, on_checked=self._on_checked, on_progress=self._on_verify_progress
        )
        self._adopt(job)
        try:
            report = job.run()
        except Exception as exc:  # as above: the window must hear the end
            why = Reason(Code.UNEXPECTED, (f"{type(exc).__name__}: {exc}",))
            report = VerifyReport(manifest, folder, error=why)
        self._release()
        self.verifyFinished.emit(report)

    def _adopt(self, job: CopyJob | VerifyJob) -> None:
        with self._lock:
            self._job = job
            if self._cancel_early:
                job.cancel()
            if self._paused_early and isinstance(job, CopyJob):
                job.pause()
        self._pending = []
        self._checked = []
        self._latest = None
        self._phase = "copy"  # of the last snapshot
        self._last_emit = 0.0

    def _release(self) -> None:
        with self._lock:
            self._job = None
        self._flush()
        self._running = False

    def _on_checked(self, checked: Checked) -> None:
        self._checked.append(checked)

    def _on_verify_progress(self, p: VerifyProgress) -> None:
        """A VerifyJob's progress, as a verify phase's snapshot (bytes_written: read back)."""
        done, total = p.bytes_done, p.bytes_total
        self._on_event(
            Progress(
                p.files_done, p.files_total, done, total, True, p.elapsed, False, (), done, "verify"
            )
        )

    def _on_event(self, event: JobEvent) -> None:
        """The engine's callback, on this thread: coalesce, emit on a fixed budget."""
        if isinstance(event, FilesFinished):
            # The engine follows every FilesFinished with a Progress: emit both together,
            # so the counts on screen always match the rows in the log.
            self._pending.extend(event.results)
        elif isinstance(event, FilesChecked):
            self._checked.extend(event.results)
        elif isinstance(event, Progress):
            # A new phase shows at once, after the last figures of the one that ended
            # (the move's first step came right after the copy's last: both were held).
            new_phase = event.phase != self._phase
            if new_phase:
                self._flush()
            self._latest, self._phase = event, event.phase
            # A phase's last figures show at once too: a flush or a sync may follow,
            # which sends nothing for as long as it takes.
            last = event.scan_done and event.files_done >= event.files_total
            if new_phase or last or time.monotonic() - self._last_emit >= UPDATE_EVERY:
                self._flush()
        elif isinstance(event, SourcesStayed):
            self._flush()
            self.sourcesStayed.emit(list(event.results))
        elif isinstance(event, ConflictQuestion):
            self._flush()
            self.conflictAsked.emit(event)
        elif isinstance(event, Notice):
            self._flush()
            self.notice.emit(event.why)

    def _flush(self) -> None:
        self._last_emit = time.monotonic()
        if self._pending:
            batch, self._pending = self._pending, []
            self.filesFinished.emit(batch)
        if self._checked:
            checked, self._checked = self._checked, []
            self.filesChecked.emit(checked)
        if self._latest is not None:
            latest, self._latest = self._latest, None
            self.progress.emit(latest)


def shutdown_all(timeout_ms: int = 30000) -> None:
    """Join every controller thread still alive (tests call this between tests)."""
    for controller in list(_LIVE):
        controller.shutdown(timeout_ms)
