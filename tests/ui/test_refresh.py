"""One throttle: the controller's refresh rate; the log and the counts always agree."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from pytestqt.qtbot import QtBot

from app.core.events import Progress
from app.ui.controller import UPDATE_EVERY
from app.ui.main_window import MainWindow
from tests.ui.util import click_start, fill, wait_finished

WindowFactory = Callable[..., MainWindow]


class Recorder(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.seen: list[tuple[float, int, int]] = []

    @Slot(object)
    def record(self, p: Progress) -> None:
        rows = self.window.logPanel.logModel.rowCount()
        self.seen.append((time.monotonic(), p.files_done, rows))


def test_the_window_refreshes_at_the_controllers_rate_and_counts_match_the_log(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    for folder in range(20):
        (source / f"d{folder}").mkdir(parents=True)
        for index in range(150):
            (source / f"d{folder}" / f"f{index}.txt").write_bytes(b"x" * 100)
    window = make_window()
    recorder = Recorder(window)
    # A bound slot of a GUI-thread object, connected after the window's: it runs in the
    # GUI thread, after the window has shown the same snapshot.
    window.controller.progress.connect(recorder.record)
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    seen = recorder.seen
    assert len(seen) >= 2
    # Every count on screen matches the rows in the log at that moment.
    assert all(done == rows for _, done, rows in seen), seen[:5]
    # At most one refresh per UPDATE_EVERY (a little slack for the final one).
    per_second = max(sum(1 for t, _, _ in seen if start <= t < start + 1) for start, _, _ in seen)
    assert per_second <= 1 / UPDATE_EVERY + 1
    # The window adds no timer of its own to what it shows (typing has its debounce; the
    # end of a job, one second of bringing the log into view as the summary is laid out).
    timers = [t for t in window.findChildren(QTimer) if t.isActive() and t.interval() > 0]
    allowed = (window.foldersPanel, window.body)
    assert all(t.parent() in allowed and t.isSingleShot() for t in timers), timers
