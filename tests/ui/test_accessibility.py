"""Every control has a name a screen reader can say; progress is said as a percentage."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.events import Progress
from app.ui.main_window import MainWindow
from app.ui.speed_graph import SpeedGraph
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]
CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QProgressBar,
    SpeedGraph,
)


def said(widget: QWidget, text: QAccessible.Text = QAccessible.Text.Name) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return interface.text(text)


def controls(window: MainWindow) -> list[QWidget]:
    found = [w for w in window.findChildren(QWidget) if isinstance(w, CONTROLS)]
    # Qt's own parts of other widgets (a combo's list, a line edit's clear button, the
    # scroll bars' buttons) are named by Qt; ours are the ones with an object name.
    return [w for w in found if w.objectName() and not w.objectName().startswith("qt_")]


def names(window: MainWindow) -> dict[str, str]:
    return {w.objectName(): said(w) for w in controls(window)}


def copy_something(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)


def test_every_control_has_a_name_of_its_own(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    copy_something(qtbot, window, tmp_path)
    named = names(window)
    assert len(named) >= 20, named
    for name, text in named.items():
        assert text and text.strip("▾ ") == text.strip(), (name, text)
    assert len(set(named.values())) == len(named), named  # the two Browse buttons too
    log_labels = [
        label for label in window.findChildren(QLabel) if label.buddy() is window.logPanel.logFilter
    ]
    assert log_labels, "the log filter has a label that leads to it"


def test_names_are_translated(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    copy_something(qtbot, window, tmp_path)
    for name, text in names(window).items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (name, text)


def test_progress_is_said_as_a_percentage_and_the_end_is_announced(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    gib = 1 << 30
    # Emitted in the GUI thread, so the slot runs now, as it does when queued.
    window.controller.progress.emit(Progress(1, 4, gib, 4 * gib, True, 3.0))
    window.controller.progress.emit(Progress(2, 4, 2 * gib, 4 * gib, True, 5.0))
    total = window.progressPanel.totalProgress
    assert said(total, QAccessible.Text.Value) == "50%"
    assert said(total)
    graph = window.progressPanel.speedGraph
    assert said(graph) and "/s" in said(graph, QAccessible.Text.Description)

    copy_something(qtbot, window, tmp_path)
    assert window.last_announcement == window.summaryPanel.headline() != ""


def test_chinese_names_leave_out_the_shortcut_letter(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Buttons were said "开始(S)", "预览(V)", "更多筛选(I)", "复制后校验(G)": Qt drops only
    the & of "开始(&S)"."""
    window = make_window()
    shown = [
        window.controlBar.startButton,
        window.controlBar.previewButton,
        window.optionsPanel.filtersBox.moreButton,
        window.optionsPanel.verifyCheck,
        window.conflictDialog.skipButton,
    ]
    for button in shown:
        assert "(&" in button.text(), button.text()  # (the shortcut is still there)
        assert said(button) == button.text().split("(&")[0], (said(button), button.text())
    window.controlBar.set_paused(True)
    assert said(window.controlBar.pauseButton) == "继续"
    window.planGate.ask_move("?")
    box = window.planGate.box
    assert box is not None
    assert all("(" not in said(b) for b in box.buttons()), [said(b) for b in box.buttons()]
    box.reject()
    for name, text in names(window).items():
        assert not re.search(r"[(\uff08][A-Z][)\uff09]", text), (name, text)
