"""A job's running time: a monotonic clock that stands still while the job is held: paused,
or waiting for nothing but a person's answers to its questions."""

from __future__ import annotations

import time


class PausableClock:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self._held: set[str] = set()  # why it stands still ("paused", "asking")
        self._held_since = 0.0
        self.held_total = 0.0

    def hold(self, why: str) -> None:
        if not self._held:
            self._held_since = time.monotonic()
        self._held.add(why)

    def release(self, why: str) -> None:
        if why in self._held:
            self._held.discard(why)
            if not self._held:
                self.held_total += time.monotonic() - self._held_since

    def elapsed(self) -> float:
        now = self._held_since if self._held else time.monotonic()
        return now - self.start - self.held_total
