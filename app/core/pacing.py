"""What a phase after the copy (mirror, move) starts from, and how it shows its progress
and holds for a pause: a snapshot at most every PROGRESS_EVERY, and while paused, held
between two entries."""

from __future__ import annotations

import time
from collections.abc import Callable

from app.core.clock import PausableClock
from app.core.copying import POLL_SECONDS, PROGRESS_EVERY, Controls
from app.core.events import Progress
from app.core.ledger import Callback
from app.core.options import CopyOptions


class AfterCopy:
    def __init__(
        self, options: CopyOptions, controls: Controls, emit: Callback, started_ns: int
    ) -> None:
        self.options = options
        self.controls = controls
        self.emit = emit
        # The job's start: a source changed since stays; what changed in the target
        # since is no extra.
        self.started_ns = started_ns


class Pacer:
    def __init__(
        self,
        controls: Controls,
        clock: PausableClock,
        emit: Callback,
        snapshot: Callable[[float, bool], Progress],
    ) -> None:
        """`snapshot(elapsed, paused)`: the phase's figures now."""
        self.paused, self.cancel = controls.pause, controls.cancel
        self.clock = clock
        self.emit = emit
        self.snapshot = snapshot
        self._last = 0.0  # when the last snapshot went

    def hold_while_paused(self) -> None:
        """Call between two entries: while paused, wait here (a cancel ends the wait),
        saying so again and again, as the copy says it (the caller may hold one)."""
        if not self.paused.is_set() or self.cancel.is_set():
            return
        self.clock.hold("paused")
        while self.paused.is_set() and not self.cancel.is_set():
            if time.monotonic() - self._last >= PROGRESS_EVERY:
                self._last = time.monotonic()
                self.emit(self.snapshot(self.clock.elapsed(), True))
            self.cancel.wait(POLL_SECONDS)
        self.clock.release("paused")
        self._last = 0.0

    def due(self, at_once: bool = False) -> bool:
        """Whether a snapshot is due now (the caller then sends it, with show)."""
        return at_once or time.monotonic() - self._last >= PROGRESS_EVERY

    def show(self) -> None:
        """The snapshot now (paused: pressed inside an entry, held after it)."""
        self._last = time.monotonic()
        self.emit(self.snapshot(self.clock.elapsed(), self.paused.is_set()))
