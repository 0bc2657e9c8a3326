"""The move phase of a job: once the copy is on disk (and verified, when asked), its
sources go (move.py), with progress of their own, which a pause holds between two files."""

from __future__ import annotations

from collections.abc import Collection

from app.core.clock import PausableClock
from app.core.events import FilesFinished, Progress, SourcesStayed
from app.core.feeder import Feeder
from app.core.ledger import Ledger
from app.core.move import Moved, SourceRemover, Step, moving
from app.core.pacing import AfterCopy, Pacer
from app.core.reasons import Reason


class MovePhase(AfterCopy):
    def run(
        self,
        feeder: Feeder,
        ledger: Ledger,
        clock: PausableClock,
        copies_done_ns: int,
        unset: Collection[str] = (),
    ) -> Moved:
        """Remove the sources of the copies in `ledger`, then the folders that emptied
        but those whose copies lack their metadata (`unset`: said by the folders' phase);
        failures to remove replace their copies' results. `copies_done_ns`: when the
        copy phase ended (a copy changed since is read back first)."""
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
            copies_done_ns=copies_done_ns,
        )
        step = self._paced(len(copied), clock)
        step(0, True)  # (shown at once; a pause pressed during the flush holds it here)
        folders = [entry.path for entry, _ in feeder.folders]
        moved = remover.run(copied, folders, step, unset)
        for code, (count, first) in moved.held.items():
            ledger.tell(Reason(code, (count, first)))
        if moved.held_results:
            self.emit(SourcesStayed(tuple(moved.held_results)))
        if moved.failures:
            failed = {r.path: r for r in moved.failures}
            ledger.results = [failed.get(r.path, r) for r in ledger.results]
            self.emit(FilesFinished(tuple(moved.failures)))
        return moved

    def _paced(self, total: int, clock: PausableClock) -> Step:
        """Progress of the removals, which take a while (a source on a disk without change
        times is read again, with its copy); held between two files while paused."""
        done, shown = 0, -1  # files gone through; the count last shown

        def snapshot(elapsed: float, paused: bool) -> Progress:
            return moving(done, total, elapsed, paused)

        pacer = Pacer(self.controls, clock, self.emit, snapshot)

        def step(gone_through: int, between: bool) -> None:
            nonlocal done, shown
            done = gone_through
            if between:
                pacer.hold_while_paused()
            # A comparison may take long: the count before it shows at once.
            starts_reading = not between and done != shown
            if pacer.due(at_once=done == total or starts_reading):
                shown = done
                pacer.show()

        return step
