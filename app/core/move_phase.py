"""The move phase of a job: once the copy is on disk (and verified, when asked), its
sources go (move.py), with progress of their own, which a pause holds between two files."""

from __future__ import annotations

import time

from app.core.clock import PausableClock
from app.core.copying import POLL_SECONDS, PROGRESS_EVERY, Controls
from app.core.events import FilesFinished
from app.core.feeder import Feeder
from app.core.ledger import Callback, Ledger
from app.core.move import Moved, SourceRemover, Step, moving
from app.core.options import CopyOptions
from app.core.reasons import Reason


class MovePhase:
    def __init__(
        self, options: CopyOptions, controls: Controls, emit: Callback, started_ns: int
    ) -> None:
        self.options = options
        self.controls = controls
        self.emit = emit
        self.started_ns = started_ns  # the job's start: a source changed since stays

    def run(self, feeder: Feeder, ledger: Ledger, clock: PausableClock) -> Moved:
        """Remove the sources of the copies in `ledger`, then the folders that emptied;
        failures to remove replace their copies' results."""
        roots = feeder.roots
        copied = ledger.results[: len(ledger.results) - ledger.late]
        remover = SourceRemover(
            (roots.source, roots.target),
            roots.ids,
            feeder.folder_ids(),
            self.options.follow_symlinks,
            self.controls.cancel,
            self.started_ns,
            dates_look_alikes=self.options.replaces_what_differs(),
        )
        step = self._paced(len(copied), clock)
        step(0, True)  # (shown at once; a pause pressed during the flush holds it here)
        moved = remover.run(copied, [entry.path for entry, _ in feeder.folders], step)
        for code, (count, first) in moved.held.items():
            ledger.tell(Reason(code, (count, first)))
        if moved.failures:
            failed = {r.path: r for r in moved.failures}
            ledger.results = [failed.get(r.path, r) for r in ledger.results]
            self.emit(FilesFinished(tuple(moved.failures)))
        return moved

    def _paced(self, total: int, clock: PausableClock) -> Step:
        """Progress of the removals, which take a while (a source on a disk without change
        times is read again, with its copy); held between two files while paused."""
        paused, cancel = self.controls.pause, self.controls.cancel
        last, shown = 0.0, -1

        def step(done: int, between: bool) -> None:
            nonlocal last, shown
            if between and paused.is_set() and not cancel.is_set():
                clock.hold("paused")
                while paused.is_set() and not cancel.is_set():
                    # Said again and again, as the copy says it: the caller may hold one.
                    if time.monotonic() - last >= PROGRESS_EVERY:
                        last = time.monotonic()
                        self.emit(moving(done, total, clock.elapsed(), paused=True))
                    cancel.wait(POLL_SECONDS)
                clock.release("paused")
                last = 0.0
            now = time.monotonic()
            # A comparison may take long: the count before it shows at once.
            starts_reading = not between and done != shown
            if now - last >= PROGRESS_EVERY or done == total or starts_reading:
                last, shown = now, done  # (paused: pressed during a comparison, held after)
                self.emit(moving(done, total, clock.elapsed(), paused.is_set()))

        return step
