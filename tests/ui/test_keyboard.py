"""The window by keyboard alone: shortcuts that keep working, Esc that asks, Enter, menus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus
from app.ui.dialogs import stop_question
from app.ui.log_view import LogView
from app.ui.main_window import MainWindow
from app.ui.tones import contrast
from tests.ui.util import activate, fill

WindowFactory = Callable[..., MainWindow]


def bytes_done(window: MainWindow) -> int:
    return window.last_progress.bytes_done if window.last_progress else 0


def start_big_copy(qtbot: QtBot, window: MainWindow, source: Path, target: Path) -> None:
    fill(window, source, target)
    qtbot.waitUntil(window.controlBar.startButton.isEnabled, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bytes_done(window) > 0, timeout=20_000)


def press_ctrl_p(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.slow
def test_ctrl_p_pauses_resumes_and_still_works_in_the_next_copy(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    activate(qtbot, window)
    start_big_copy(qtbot, window, big_source, tmp_path / "first")

    press_ctrl_p(qtbot, window)
    qtbot.waitUntil(lambda: window.last_progress is not None and window.last_progress.paused)
    press_ctrl_p(qtbot, window)  # the button now reads Resume: Ctrl+P must still work
    qtbot.waitUntil(lambda: window.last_progress is not None and not window.last_progress.paused)
    assert window.controlBar.pauseButton.text() == "&Pause"
    window.cancel()
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)

    start_big_copy(qtbot, window, big_source, tmp_path / "second")
    press_ctrl_p(qtbot, window)
    qtbot.waitUntil(lambda: window.last_progress is not None and window.last_progress.paused)
    window.cancel()
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)


def cancel_box(window: MainWindow) -> QMessageBox | None:
    box = window.findChild(QMessageBox, "cancelConfirmDialog")
    return box if box is not None and box.isVisible() else None


@pytest.mark.slow
def test_esc_asks_before_it_cancels_and_esc_again_keeps_copying(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    activate(qtbot, window)
    start_big_copy(qtbot, window, big_source, tmp_path / "dst")

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: cancel_box(window) is not None, timeout=5000)
    box = cancel_box(window)
    assert box is not None and window.controller.is_running()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)  # keep copying
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # a second Esc closes the question, nothing more
    qtbot.waitUntil(lambda: cancel_box(window) is None, timeout=5000)
    assert window.controller.is_running() and window.report is None

    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: cancel_box(window) is not None, timeout=5000)
    box = cancel_box(window)
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert window.report is not None and window.report.cancelled


@pytest.mark.slow
def test_the_cancel_button_cancels_without_asking(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    start_big_copy(qtbot, window, big_source, tmp_path / "dst")
    qtbot.mouseClick(window.controlBar.cancelButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert window.report is not None and window.report.cancelled
    assert cancel_box(window) is None


@pytest.mark.slow
def test_closing_while_paused_says_paused_and_keep_copying_is_the_default(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    start_big_copy(qtbot, window, big_source, tmp_path / "dst")
    qtbot.mouseClick(window.controlBar.pauseButton, Qt.MouseButton.LeftButton)
    window.close()
    box = window.findChild(QMessageBox, "closeConfirmDialog")
    assert box is not None and box.isVisible()
    assert "paused" in box.text() and "running" not in box.text(), box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps copying
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    assert window.isVisible() and window.controller.is_running()
    window.cancel()
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)


def mnemonic(text: str) -> str:
    """The Alt+letter of a text ("" if none): "&Browse" -> "b"; "&&" is a plain "&"."""
    text = text.replace("&&", "")
    at = text.find("&")
    return text[at + 1].lower() if 0 <= at < len(text) - 1 else ""


def test_every_action_has_its_own_alt_letter(make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window(source=str(tmp_path), target=str(tmp_path / "out"))
    panels = window.foldersPanel, window.optionsPanel, window.logPanel, window.summaryPanel
    wanted = {
        "source Browse": panels[0].sourceBrowseButton.text(),
        "target Browse": panels[0].targetBrowseButton.text(),
        "Export": panels[2].exportButton.text(),
        "Open target folder": panels[3].openTargetButton.text(),
        "Follow links": panels[1].followSymlinksCheck.text(),
        "Flush": panels[1].fsyncCheck.text(),
        "for all": window.conflictDialog.applyToAllCheck.text(),
    }
    missing = [name for name, text in wanted.items() if not mnemonic(text)]
    assert not missing, missing
    # Within the window, no two controls share a letter (one would never be reached).
    texts = [
        w.text()
        for w in window.findChildren(QAbstractButton)
        if w.window() is window and not isinstance(w, QToolButton)
    ]
    texts += [label.text() for label in window.findChildren(QLabel) if label.buddy() is not None]
    letters = sorted((mnemonic(text), text) for text in texts if mnemonic(text))
    assert len(letters) == len({letter for letter, _ in letters}), letters


def test_enter_in_a_folder_field_starts_the_copy(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    window = make_window()
    activate(qtbot, window)
    fill(window, source, tmp_path / "dst")
    qtbot.waitUntil(window.controlBar.startButton.isEnabled, timeout=5000)
    window.foldersPanel.targetEdit.setFocus()
    qtbot.keyClick(window.foldersPanel.targetEdit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert (tmp_path / "dst" / "a.txt").read_text() == "a"


def test_alt_and_a_letter_types_nothing_while_its_button_is_disabled(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Before both folders are valid, Alt+S (Start) and Alt+V (Preview) typed "s" and
    "v" into the path being typed (review of the window); with Start enabled, Alt+S
    still starts."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    window = make_window()
    activate(qtbot, window)
    field = window.foldersPanel.sourceEdit
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    assert not window.controlBar.startButton.isEnabled()
    for key in (Qt.Key.Key_S, Qt.Key.Key_V):
        qtbot.keyClick(field, key, Qt.KeyboardModifier.AltModifier)
    assert field.text() == ""
    qtbot.keyClicks(field, "sv")  # (a letter alone still types)
    for char in "é@~":  # (AltGr's, sent as Alt by a remote desktop)
        alt_gr = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.AltModifier, char)
        QApplication.sendEvent(field, alt_gr)
    assert field.text() == "své@~"
    field.clear()
    popup = field.completer().popup()  # (its open list hands keys to the field directly)
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier, "s")
    QApplication.sendEvent(popup, press)
    assert field.text() == ""

    fill(window, source, tmp_path / "dst")
    qtbot.waitUntil(window.controlBar.startButton.isEnabled, timeout=5000)
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)
    assert (tmp_path / "dst" / "a.txt").read_text() == "a"


@pytest.mark.parametrize(
    ("source", "target", "focused"),
    [("", "", "sourceEdit"), ("/photos", "", "targetEdit"), ("/photos", "/backup", "sourceEdit")],
)
def test_typing_at_once_goes_into_the_first_folder_still_to_choose(
    qtbot: QtBot, make_window: WindowFactory, source: str, target: str, focused: str
) -> None:
    """The window opened with the focus on its invisible scroll area: typing went nowhere."""
    window = make_window(source=source, target=target)
    activate(qtbot, window)
    field = getattr(window.foldersPanel, focused)
    assert window.focusWidget() is field
    assert field.selectedText() == field.text()  # a remembered folder: typing replaces it
    assert window.body.focusPolicy() == Qt.FocusPolicy.NoFocus  # no invisible tab stop


@pytest.mark.parametrize("key", [Qt.Key.Key_Q, Qt.Key.Key_W])
def test_ctrl_q_and_ctrl_w_close_the_window(
    qtbot: QtBot, make_window: WindowFactory, key: Qt.Key
) -> None:
    window = make_window()
    activate(qtbot, window)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def log_of(qtbot: QtBot, window: MainWindow, tmp_path: Path, rows: int) -> LogView:
    """The window's log, active, holding `rows` copied files."""
    activate(qtbot, window)
    window.logPanel.begin(str(tmp_path), str(tmp_path / "dst"))
    window.controller.filesFinished.emit(
        [FileResult(f"file {i}.txt", FileStatus.COPIED, 10) for i in range(rows)]
    )
    return window.logPanel.logView


def test_the_log_shows_which_row_has_the_keyboard_focus(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    view = log_of(qtbot, window, tmp_path, 10)
    model = view.model()
    view.setCurrentIndex(model.index(4, 1))
    view.clearSelection()  # a current row that is not selected: only the focus marks it
    first, last = view.visualRect(model.index(4, 0)), view.visualRect(model.index(4, 3))
    row = first.united(last)
    window.logPanel.exportButton.setFocus()
    qtbot.waitUntil(lambda: not view.hasFocus())
    without = view.viewport().grab(row).toImage()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    focused = view.viewport().grab(row).toImage()
    changed = [
        (x, y)
        for y in range(row.height())
        for x in range(row.width())
        if focused.pixelColor(x, y) != without.pixelColor(x, y)
    ]
    # The whole row is marked, at both ends, and visibly (WCAG: 3:1 against what was there).
    assert any(x < first.width() for x, _ in changed), "the Status end of the row is unmarked"
    assert any(x >= last.left() - row.left() for x, _ in changed), "the Reason end is unmarked"
    strongest = max(
        (contrast(focused.pixelColor(x, y), without.pixelColor(x, y)) for x, y in changed),
        default=1.0,
    )
    assert strongest >= 3, f"the focus mark has {strongest:.1f}:1"


def test_tab_leaves_the_log(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    """Tab moved cell by cell through every row of the log (1,408 rows, 4 cells each)
    before it reached anything else."""
    window = make_window()
    view = log_of(qtbot, window, tmp_path, 5)
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    assert view.currentIndex().row() == 0  # (Qt marks the first row, selecting none)

    qtbot.keyClick(view, Qt.Key.Key_Tab)

    qtbot.waitUntil(lambda: not view.hasFocus())


class ButtonsWithIcons(QProxyStyle):
    """A style that puts icons on dialog buttons, as some desktops' do."""

    def styleHint(self, hint: QStyle.StyleHint, *args: Any) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, *args)


def test_the_cancel_question_shows_no_yes_or_no_icons_and_says_what_no_keeps(
    qapp: QApplication, make_window: WindowFactory
) -> None:
    """A desktop style's Yes icon (a green mark) sat on "Cancel copy" and its No icon (a
    red one) on "Keep copying", which, paused, left the copy paused; so on "Move" and
    "Do nothing" before a move."""
    window = make_window()
    previous = qapp.style().name()
    qapp.setStyle(ButtonsWithIcons())
    try:
        for paused, keep in ((False, "Keep copying"), (True, "Keep it paused")):
            box = stop_question(window, closing=False, paused=paused)
            assert box.button(QMessageBox.StandardButton.No).text() == keep
            assert all(button.icon().isNull() for button in box.buttons())
            box.close()
        window.planGate.ask_move("Move the 2 files inside src?")  # (and "Do nothing")
        asked = window.findChild(QMessageBox, "planQuestion")
        assert asked is not None and all(button.icon().isNull() for button in asked.buttons())
        asked.close()
    finally:
        qapp.setStyle(previous)
