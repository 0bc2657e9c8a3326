"""A job's running time: a monotonic clock that stands still while the job is paused."""

from __future__ import annotations

import time


class PausableClock:
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
