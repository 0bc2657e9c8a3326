"""What the progress panel says while copying, paused and cancelled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus, Progress
from app.core.options import ConflictPolicy
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.ui.log_filter import LogFilter
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from tests.ui.util import click_start, fill

WindowFactory = Callable[..., MainWindow]


def bytes_done(window: MainWindow) -> int:
    return window.last_progress.bytes_done if window.last_progress else 0


def pause_mid_copy(qtbot: QtBot, window: MainWindow, source: Path, target: Path) -> None:
    fill(window, source, target, workers=2)
    click_start(qtbot, window)
    qtbot.waitUntil(lambda: bytes_done(window) > 0, timeout=20_000)
    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.last_progress is not None and window.last_progress.paused, timeout=20_000
    )


@pytest.mark.slow
def test_cancel_never_moves_the_bar(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    pause_mid_copy(qtbot, window, big_source, tmp_path / "dst")
    bar = window.progressPanel.totalProgress
    shown = bar.value()
    assert 0 <= shown < bar.maximum()
    values = [shown]
    bar.valueChanged.connect(values.append)

    qtbot.mouseClick(window.controlBar.cancelButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert window.report is not None and window.report.cancelled
    # Files cut short count as "done" in the engine's totals: the bar must not jump.
    assert set(values) == {shown}, values


GIB = 1 << 30


def snapshot(elapsed: float, done: int, paused: bool = False, total: int = 100 * GIB) -> Progress:
    return Progress(1, 100, done, total, True, elapsed, paused)


def test_files_skipped_as_up_to_date_are_no_speed(make_window: WindowFactory) -> None:
    window = make_window()
    window.progressPanel.begin()
    # Emitted in the GUI thread: the window's slots run now, as they do when queued.
    for tick in range(1, 20):
        skipped = [FileResult(f"f{tick}", FileStatus.SKIPPED, GIB, Reason(Code.UP_TO_DATE))]
        window.controller.filesFinished.emit(skipped)
        window.controller.progress.emit(snapshot(tick / 10, tick * GIB))
    graph = window.progressPanel.speedGraph
    assert graph.samples() and max(speed for _, speed in graph.samples()) == 0
    status = window.progressPanel.statusLabel.text()
    assert "0 B/s" in status and "left" not in status


def test_paused_shows_no_speed_and_the_summary_counts_running_time_only(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    window.progressPanel.begin()
    for tick in range(1, 11):  # 10 s at 1 GiB/s
        window.controller.filesFinished.emit([FileResult(f"f{tick}", FileStatus.COPIED, GIB)])
        window.controller.progress.emit(snapshot(float(tick), tick * GIB))
    assert "1.0 GiB/s" in window.progressPanel.statusLabel.text()
    for _ in range(5):  # paused: the job's clock stands still
        window.controller.progress.emit(snapshot(10.0, 10 * GIB, paused=True))
    status = window.progressPanel.statusLabel.text()
    assert status.startswith("Paused")
    assert "/s" not in status and "left" not in status
    graph = window.progressPanel.speedGraph  # (it said "Now 1.0 GiB/s" all along, review)
    assert graph.accessibleDescription() == "Paused, peak 1.0 GiB/s"
    verifying = Progress(0, 10, 0, 10 * GIB, True, 10.0, False, phase="verify")
    window.controller.progress.emit(verifying)  # (resumed as the verify began)
    assert graph.accessibleDescription() == "Now 1.0 GiB/s, peak 1.0 GiB/s"
    window.controller.progress.emit(snapshot(10.0, 10 * GIB))  # (as before this test's end)

    # The report's wall-clock seconds include a long pause; the summary must not.
    report = CopyReport(
        "/src",
        "/dst",
        tuple(FileResult(f"f{i}", FileStatus.COPIED, GIB) for i in range(1, 11)),
        seconds=70.0,
    )
    window.controller.finished.emit(report)
    details = window.summaryPanel.summaryDetails.text()
    assert "in 0:10" in details and "average 1.0 GiB/s" in details, details
    assert graph.accessibleDescription() == "Now 1.0 GiB/s, peak 1.0 GiB/s"  # (ended)


def test_a_cancelled_copy_of_nothing_shows_no_average_speed(make_window: WindowFactory) -> None:
    """Cancelled mid-file, it said "0 B in 0:08 · average 10.7 MiB/s" (the speed of bytes
    written and discarded, beside the bytes kept), or "average 0 B/s". The average is of
    the bytes said, and none of nothing."""
    window = make_window()
    window.progressPanel.begin()
    for tick in range(1, 11):  # one big file, 10 s at 1 GiB/s, never finished
        window.controller.progress.emit(snapshot(float(tick), tick * GIB))

    window.controller.finished.emit(CopyReport("/src", "/dst", cancelled=True, seconds=10.0))

    details = window.summaryPanel.summaryDetails.text()
    assert "0 B in 0:10" in details and "average" not in details, details


@pytest.mark.slow
def test_after_cancel_the_summary_counts_what_was_not_copied_and_rows_say_cancelled(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    pause_mid_copy(qtbot, window, big_source, tmp_path / "dst")
    qtbot.mouseClick(window.controlBar.cancelButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    report = window.report
    assert report is not None and report.cancelled

    model = window.logPanel.logModel
    rows = [model.result(row) for row in range(model.rowCount())]
    interrupted = [r for r in rows if r.reason == "cancelled"]
    assert interrupted, "both workers were mid-file when the copy was cancelled"
    for row, result in enumerate(rows):
        status = model.data(model.index(row, LogModel.STATUS))
        assert (status == "Cancelled") == (result in interrupted), (status, result)
    copied = sum(1 for r in rows if r.status is FileStatus.COPIED)
    not_copied = len(list(big_source.iterdir())) - copied
    details = window.summaryPanel.summaryDetails.text()
    assert f"not copied: {not_copied} (cancelled)" in details, details
    # Interrupted files are not "skipped": they have a filter of their own.
    assert window.logPanel.logProxy.count(LogFilter.SKIPPED) == 0
    assert window.logPanel.logProxy.count(LogFilter.CANCELLED) == len(interrupted)


@pytest.mark.slow
def test_the_title_says_paused(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    pause_mid_copy(qtbot, window, big_source, tmp_path / "dst")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Paused"), timeout=5000)
    assert window.windowTitle().endswith("% — Ferry")
    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.windowTitle().startswith("Paused"), timeout=20_000)
    window.cancel()
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert window.windowTitle() == "Ferry"


def test_the_title_says_when_ferry_waits_for_an_answer(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "a.txt").write_text("new")
    (target / "a.txt").write_text("old")
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK)
    click_start(qtbot, window)
    qtbot.waitUntil(window.conflictDialog.isVisible, timeout=20_000)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Waiting for you"), timeout=5000)
    window.conflictDialog.skipButton.click()
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert window.windowTitle() == "Ferry"
