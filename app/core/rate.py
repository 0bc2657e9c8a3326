"""Speed and time left of a copy job, from bytes written, files finished and running time."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from app.core.events import FileResult, FilesFinished, FileStatus, JobEvent, Progress

WINDOW = 3.0  # seconds of running time the current speed is measured over
MIN_SPAN = 0.5  # below this much running time, the average stands in for the speed
WRITTEN = frozenset({FileStatus.COPIED, FileStatus.RENAMED})


class Rate:
    """One implementation of speed and time left, for the window and the command line.

    Feed it the job's events in order (`observe`), or results and progress separately.
    Only bytes written count: a file skipped as up to date moves Progress.bytes_done but
    writes nothing, so it must not look like speed. Only running time counts:
    Progress.elapsed stands still while the job is paused, and so does this clock.
    In the verify phase, speed and time left are those of reading back (in the move
    phase, none); the written bytes, running time and average stay the copy's.
    """

    def __init__(self, window: float = WINDOW) -> None:
        self._window = window
        self._finished = 0  # bytes of files written whole
        self._written = 0  # ... plus what the files in progress have written so far
        self._seconds = 0.0
        self._samples: deque[tuple[float, int, int]] = deque()  # (seconds, bytes, files)
        self._peak = 0.0
        self._paused = False
        self._left: int | None = None  # bytes still to go, once the scan has counted them
        self._files_waiting = 0  # ... and files not started yet
        self._phase = "copy"

    def observe(self, event: JobEvent) -> None:
        if isinstance(event, FilesFinished):
            self.add_results(event.results)
        elif isinstance(event, Progress):
            self.update(event)

    def add_results(self, results: Iterable[FileResult]) -> None:
        self._finished += sum(r.bytes for r in results if r.status in WRITTEN)

    def update(self, progress: Progress) -> None:
        """Take a snapshot; results that finished before it must be added first."""
        self._paused = progress.paused
        self._left = (
            max(0, progress.bytes_total - progress.bytes_done) if progress.scan_done else None
        )
        waiting = progress.files_total - progress.files_done - len(progress.active)
        self._files_waiting = max(0, waiting)
        if progress.phase != self._phase:
            self._phase = progress.phase
            self._samples.clear()
        if progress.phase != "copy":  # verify: bytes read back; move: none
            self._sample(progress.elapsed, progress.bytes_written, progress.files_done)
            return
        self._written = self._finished + sum(a.done for a in progress.active)
        self._sample(progress.elapsed, self._written, progress.files_done)
        self._seconds = max(self._seconds, progress.elapsed)
        if self._span() >= MIN_SPAN:
            self._peak = max(self._peak, self._recent())

    def _sample(self, elapsed: float, done: int, files: int) -> None:
        if self._samples and elapsed <= self._samples[-1][0]:
            # The clock stood still (paused, or two snapshots in one tick): newer bytes only.
            self._samples[-1] = (self._samples[-1][0], done, files)
        else:
            self._samples.append((elapsed, done, files))
        # Keep one sample at or before the window's start, so the window is always full.
        while len(self._samples) > 2 and self._samples[1][0] <= elapsed - self._window:
            self._samples.popleft()

    def _span(self) -> float:
        return self._samples[-1][0] - self._samples[0][0] if self._samples else 0.0

    def _recent(self) -> float:
        (t0, w0, _), (t1, w1, _) = self._samples[0], self._samples[-1]
        return max(0, w1 - w0) / (t1 - t0)

    @property
    def written(self) -> int:
        """Bytes written so far, files in progress included."""
        return self._written

    @property
    def running_seconds(self) -> float:
        """Seconds the job has run, pauses excluded."""
        return self._seconds

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def speed(self) -> float:
        """Bytes written per second lately; 0 while paused (nothing is being written)."""
        if self._paused:
            return 0.0
        if self._span() >= MIN_SPAN:
            return self._recent()
        return self.average if self._phase == "copy" else 0.0

    @property
    def average(self) -> float:
        """Bytes written per second of running time, over the whole job."""
        return self._written / self._seconds if self._seconds > 0 else 0.0

    @property
    def peak(self) -> float:
        return self._peak

    def seconds_left(self) -> float | None:
        """Time left at the current speed; None while unknown (scanning, paused, idle), and
        while the bytes say less than a window's time but more files wait to start than
        finished in the last window: after a big file, the bytes said 0:00 with 2,665
        small files to go, then 0:20 (review of the window). Once the window holds small
        files only, their bytes' speed tells their time."""
        speed = self.speed
        if self._left is None or speed <= 0:
            return None
        by_bytes = self._left / speed
        finished = self._samples[-1][2] - self._samples[0][2]
        if by_bytes < self._window and self._files_waiting > finished:
            return None
        return by_bytes
