"""CopyController: runs a CopyJob on its own QThread and re-emits a few throttled signals."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from app.core.events import ConflictQuestion, FileResult, FilesFinished, JobEvent, Notice, Progress
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.reasons import Code, Reason
from app.core.report import CopyReport

UPDATE_EVERY = 0.05  # seconds: at most ~20 GUI updates a second, whatever the file rate

# Controllers whose thread may still run. Holding them here means a QThread is never
# destroyed while running (that aborts the process), even if its window is gone.
_LIVE: set[CopyController] = set()


class CopyController(QObject):
    """Owns one worker QThread; each start() runs a CopyJob there, one job at a time.

    Create it in the GUI thread. It moves itself to its thread; call start(), pause(),
    resume(), cancel() and resolve_conflict() from the GUI thread (they only touch
    thread-safe state). Connect its signals to bound slots of GUI-thread objects: they
    are delivered queued, in order.

    Signals:
        progress(Progress): the latest snapshot of the job (app.core.events.Progress;
            64-bit byte counts, so the signal carries an object). At most ~20 a second.
        filesFinished(list[FileResult]): final results of the files that finished since
            the previous emission, in order. Emitted just before `progress`.
        conflictAsked(ConflictQuestion): Ask policy: a file exists in the target; answer
            with resolve_conflict(). Other files keep copying meanwhile.
        notice(Reason): something a person should read (a worker died, the disk is full).
        finished(CopyReport): the job ended (done, cancelled, refused or failed); data is
            on disk by then. Every start() is followed by exactly one finished.
    """

    progress = Signal(object)
    filesFinished = Signal(object)
    conflictAsked = Signal(object)
    notice = Signal(object)
    finished = Signal(object)

    _runRequested = Signal(str, str, object, object)

    def __init__(self) -> None:
        super().__init__()  # no parent: an object with a parent cannot change threads
        self._lock = threading.Lock()
        self._job: CopyJob | None = None
        self._cancel_early = False
        self._running = False
        self._pending: list[FileResult] = []
        self._latest: Progress | None = None
        self._last_emit = 0.0
        self._thread = QThread()
        self._thread.setObjectName("ferry-copy")
        self.moveToThread(self._thread)
        self._runRequested.connect(self._run)  # queued: runs on self._thread
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
            self._cancel_early = False
        self._runRequested.emit(source, target, options, only)

    def pause(self) -> None:
        with self._lock:
            if self._job is not None:
                self._job.pause()

    def resume(self) -> None:
        with self._lock:
            if self._job is not None:
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
            if self._job is not None:
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
        with self._lock:
            self._job = job
            if self._cancel_early:
                job.cancel()
        self._pending = []
        self._latest = None
        self._last_emit = 0.0
        try:
            report = job.run()
        except Exception as exc:  # an engine bug must not leave the window waiting forever
            why = Reason(Code.UNEXPECTED, (f"{type(exc).__name__}: {exc}",))
            report = CopyReport(source, target, refused=why)
        with self._lock:
            self._job = None
        self._flush()
        self._running = False
        self.finished.emit(report)

    def _on_event(self, event: JobEvent) -> None:
        """The engine's callback, on this thread: coalesce, emit on a fixed budget."""
        if isinstance(event, FilesFinished):
            # The engine follows every FilesFinished with a Progress: emit both together,
            # so the counts on screen always match the rows in the log.
            self._pending.extend(event.results)
        elif isinstance(event, Progress):
            self._latest = event
            if time.monotonic() - self._last_emit >= UPDATE_EVERY:
                self._flush()
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
        if self._latest is not None:
            latest, self._latest = self._latest, None
            self.progress.emit(latest)


def shutdown_all(timeout_ms: int = 30000) -> None:
    """Join every controller thread still alive (tests call this between tests)."""
    for controller in list(_LIVE):
        controller.shutdown(timeout_ms)
