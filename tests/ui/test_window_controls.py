"""Pause, resume and cancel a big copy; close the window while it copies."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.job import CopyJob
from app.ui import controller as controller_module
from app.ui.main_window import MainWindow
from tests.helpers import file_digest, regular_files_under, temps_under
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]
pytestmark = pytest.mark.slow


def bytes_done(window: MainWindow) -> int:
    return window.last_progress.bytes_done if window.last_progress else 0


def assert_only_complete_files(source: Path, target: Path) -> None:
    """Every file in the target is a whole copy of its source file; no temp is left."""
    assert temps_under(target) == []
    for relative in regular_files_under(target):
        name = relative.decode()
        assert (source / name).stat().st_size == (target / name).stat().st_size, name
        assert file_digest(source / name) == file_digest(target / name), name


def test_cancel_mid_copy_leaves_no_partial_file_and_the_window_usable(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    target = tmp_path / "dst"
    window = make_window()
    fill(window, big_source, target)
    click_start(qtbot, window)
    qtbot.waitUntil(lambda: bytes_done(window) > 0, timeout=20_000)
    assert (
        window.foldersPanel.sourceEdit.isReadOnly()
        and not window.controlBar.startButton.isEnabled()
    )
    qtbot.mouseClick(window.controlBar.cancelButton, Qt.MouseButton.LeftButton)
    wait_finished(qtbot, window)

    report = window.report
    assert report is not None and report.cancelled
    assert window.progressPanel.statusLabel.text() == "Cancelled."
    assert_only_complete_files(big_source, target)
    assert len(regular_files_under(target)) < len(list(big_source.iterdir()))
    # Usable again: the fields and Start are enabled, Pause and Cancel are not.
    assert (
        window.controlBar.startButton.isEnabled()
        and not window.foldersPanel.sourceEdit.isReadOnly()
    )
    assert (
        not window.controlBar.pauseButton.isEnabled()
        and not window.controlBar.cancelButton.isEnabled()
    )


def test_pause_stops_progress_and_resume_finishes(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    target = tmp_path / "dst"
    window = make_window()
    fill(window, big_source, target)
    click_start(qtbot, window)
    qtbot.waitUntil(lambda: bytes_done(window) > 0, timeout=20_000)
    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)
    assert window.controlBar.pauseButton.text() == "&Resume"
    qtbot.waitUntil(
        lambda: window.progressPanel.statusLabel.text().startswith("Paused"), timeout=20_000
    )
    qtbot.wait(1000)  # let chunks that were in flight land
    paused_at = bytes_done(window)
    qtbot.wait(1500)
    assert window.last_progress is not None and window.last_progress.paused
    assert bytes_done(window) == paused_at
    assert window.report is None

    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)
    assert window.controlBar.pauseButton.text() == "&Pause"
    wait_finished(qtbot, window, timeout=60_000)
    report = window.report
    assert report is not None and report.was_successful(), report
    assert (
        window.progressPanel.totalProgress.value() == window.progressPanel.totalProgress.maximum()
    )
    assert sorted(regular_files_under(target)) == sorted(
        p.name.encode() for p in big_source.iterdir()
    )
    assert temps_under(target) == []
    assert len(window.progressPanel.speedGraph.samples()) > 2


def test_closing_during_a_copy_asks_then_cancels_and_closes(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    target = tmp_path / "dst"
    window = make_window()
    fill(window, big_source, target)
    click_start(qtbot, window)
    qtbot.waitUntil(lambda: bytes_done(window) > 0, timeout=20_000)

    window.close()
    box = window.findChild(QMessageBox, "closeConfirmDialog")
    assert box is not None and box.isVisible()
    assert window.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert window.report is not None and window.report.cancelled
    assert not window.controller.is_running()
    assert window.controller._thread.isFinished()
    assert temps_under(target) == []


def test_pause_pressed_at_once_after_start_holds_the_copy(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pause pressed before the controller's thread had made the job was lost: the button
    said Resume, and the copy ran to its end."""
    made = threading.Event()

    class SlowToMake(CopyJob):  # the controller's thread, busy a moment longer
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.wait(10)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(controller_module, "CopyJob", SlowToMake)
    source, target = tmp_path / "src", tmp_path / "dst"
    make_tree(source)
    window = make_window()
    fill(window, source, target)
    click_start(qtbot, window)
    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)
    made.set()

    qtbot.waitUntil(lambda: bool(window.last_progress and window.last_progress.paused))
    assert not regular_files_under(target)  # nothing written while paused
    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)  # Resume
    wait_finished(qtbot, window)
    assert window.report is not None and window.report.was_successful()
