"""Helpers to drive the real window in tests."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from app.core.options import ConflictPolicy
from app.ui.main_window import MainWindow
from tests.helpers import REPO

FINISH_TIMEOUT = 30_000  # ms; generous: two cores shared with other engineers' tests


def fill(window: MainWindow, source: Path, target: Path, **options: object) -> None:
    window.foldersPanel.sourceEdit.setText(str(source))
    window.foldersPanel.targetEdit.setText(str(target))
    policy = options.get("policy")
    if isinstance(policy, ConflictPolicy):
        window.optionsPanel.set_policy(policy)
    workers = options.get("workers")
    if isinstance(workers, int):
        window.optionsPanel.workersSpin.setValue(workers)


def click_start(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(window.controlBar.startButton.isEnabled, timeout=5000)
    qtbot.mouseClick(window.controlBar.startButton, Qt.MouseButton.LeftButton)
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


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Make the window the active one: window shortcuts only reach an active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a button as a user would, and fail clearly if the click cannot reach it."""
    assert button.isVisible() and button.isEnabled(), button.objectName()
    blocker = QApplication.activeModalWidget() or QApplication.activePopupWidget()
    assert blocker is None, f"{blocker!r} takes the click meant for {button.objectName()}"
    QApplication.sendPostedEvents()  # pending layouts: the button is where it will be drawn
    top = button.window()
    centre = button.mapTo(top, button.rect().center())
    under = top.childAt(centre)
    assert under is button, (
        f"{button.objectName()} at {centre} is under {under!r} "
        f"({under.objectName() if under else ''}), geometry {button.geometry()}"
    )
    with qtbot.waitSignal(button.clicked, timeout=2000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def chinese_translations(context: str) -> dict[str | None, ElementTree.Element | None]:
    """Each source text of `context` in ferry_zh_CN.ts -> its <translation> element."""
    ts = ElementTree.parse(REPO / "resources" / "translations" / "ferry_zh_CN.ts")
    return {
        message.findtext("source"): message.find("translation")
        for each in ts.getroot()
        if each.findtext("name") == context
        for message in each.findall("message")
    }
