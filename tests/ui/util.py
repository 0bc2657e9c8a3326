"""Helpers to drive the real window in tests."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.options import ConflictPolicy
from app.ui.main_window import MainWindow

FINISH_TIMEOUT = 30_000  # ms; generous: two cores shared with other engineers' tests


def fill(window: MainWindow, source: Path, target: Path, **options: object) -> None:
    window.sourceEdit.setText(str(source))
    window.targetEdit.setText(str(target))
    policy = options.get("policy")
    if isinstance(policy, ConflictPolicy):
        window.conflictCombo.setCurrentIndex(window.conflictCombo.findData(policy.value))
    workers = options.get("workers")
    if isinstance(workers, int):
        window.workersSpin.setValue(workers)


def click_start(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(window.startButton.isEnabled, timeout=5000)
    qtbot.mouseClick(window.startButton, Qt.MouseButton.LeftButton)
    assert window.controller.is_running()


def wait_finished(qtbot: QtBot, window: MainWindow, timeout: int = FINISH_TIMEOUT) -> None:
    """Wait for the summary panel: shown by the GUI-thread slot of `finished`."""
    qtbot.waitUntil(lambda: window.report is not None, timeout=timeout)
    assert window.summaryPanel.isVisible()


def make_tree(root: Path, folders: int = 4, files_per_folder: int = 6) -> int:
    """A small real tree; returns its number of files."""
    count = 0
    for f in range(folders):
        folder = root / f"folder {f}" / "inner"
        folder.mkdir(parents=True)
        for i in range(files_per_folder):
            (folder / f"file{i}.txt").write_bytes(os.urandom(1000 * (i + 1)))
            count += 1
    (root / "top.txt").write_text("top level\n")
    return count + 1
