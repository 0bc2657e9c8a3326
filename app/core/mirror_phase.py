"""The mirror phase of a job: once the whole source was scanned and copied, delete what
the target has and the source lacks (mirror.py), with progress of its own: the log gets
each deletion as it goes, and a pause holds between two entries."""

from __future__ import annotations

from app.core.clock import PausableClock
from app.core.events import Progress
from app.core.feeder import Feeder
from app.core.ledger import Ledger
from app.core.mirror import Look, Mirror, unlisted_folders
from app.core.pacing import AfterCopy, Pacer


def mirroring(deleted: int, elapsed: float, paused: bool = False) -> Progress:
    """How far the deletions are: entries deleted so far (how many are to go is known
    only at the end)."""
    return Progress(deleted, 0, 0, 0, True, elapsed, paused, phase="mirror")


class MirrorPhase(AfterCopy):
    def run(self, feeder: Feeder, ledger: Ledger, clock: PausableClock) -> int:
        """Delete the extras in the folders the scan listed; returns how many went."""
        results = ledger.results
        # Names the job gave, or found given by an earlier run (keep both).
        renamed = {r.target_path for r in results if r.target_path}
        scanned = set(feeder.folder_ids())  # never extras, even if gone from the source since
        roots = feeder.roots
        pruner = Mirror(
            (roots.source, roots.target),
            roots.ids,
            self.options.follow_symlinks,
            self.options.filters,
            renamed | scanned | self.options.outputs_in(roots.target),
            False,
            self.controls.cancel,
            roots.ways.name_key,
            lambda folder, path: feeder.ways_in(path).name_key,  # (as the feeder found)
            self.started_ns,
        )
        pruner.protected |= {ids.source for ids in feeder.folder_ids().values()}
        unlisted = unlisted_folders(results)
        sent = 0

        def send() -> None:  # the deletions so far to the log, then the count
            nonlocal sent
            ledger.add_late(pruner.results[sent:])
            sent = len(pruner.results)
            pacer.show()

        def tick() -> None:
            if self.controls.pause.is_set():
                send()  # (what went before the pause, in the log while it holds)
            pacer.hold_while_paused()
            if pacer.due():
                send()

        pacer = Pacer(
            self.controls,
            clock,
            self.emit,
            lambda elapsed, paused: mirroring(pruner.deleted, elapsed, paused),
        )
        pruner.tick = tick
        pruner.run(Look(p, *ids) for p, ids in feeder.folder_ids().items() if p not in unlisted)
        send()
        return pruner.deleted
