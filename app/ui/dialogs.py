"""Small messages the window shows: stop the copy? (Esc, close), a folder that cannot open."""

from __future__ import annotations

import os
from urllib.parse import quote_from_bytes

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.events import printable
from app.ui.format import fill


def stop_question(
    parent: QWidget, closing: bool, paused: bool, checking: bool = False
) -> QMessageBox:
    """A window-modal question, not yet shown; Yes stops the copy, No is the default.

    `checking`: the job is Verify a folder… (never paused), not a copy."""
    if checking:
        title = QCoreApplication.translate("Dialogs", "Cancel the check?")
        if closing:
            text = QCoreApplication.translate(
                "Dialogs", "A folder is being checked. Cancel it and close Ferry?"
            )
            yes = QCoreApplication.translate("Dialogs", "Cancel check and close")
        else:
            text = QCoreApplication.translate("Dialogs", "A folder is being checked. Cancel it?")
            yes = QCoreApplication.translate("Dialogs", "Cancel check")
        box = _question(parent, closing, title, text, yes)
        no = QCoreApplication.translate("Dialogs", "Keep checking")
        box.button(QMessageBox.StandardButton.No).setText(no)
        return box
    title = QCoreApplication.translate("Dialogs", "Cancel the copy?")
    if closing and paused:
        text = QCoreApplication.translate("Dialogs", "A copy is paused. Cancel it and close Ferry?")
    elif closing:
        text = QCoreApplication.translate(
            "Dialogs", "A copy is running. Cancel it and close Ferry?"
        )
    elif paused:
        text = QCoreApplication.translate("Dialogs", "A copy is paused. Cancel it?")
    else:
        text = QCoreApplication.translate("Dialogs", "A copy is running. Cancel it?")
    if closing:
        yes = QCoreApplication.translate("Dialogs", "Cancel copy and close")
    else:
        yes = QCoreApplication.translate("Dialogs", "Cancel copy")
    box = _question(parent, closing, title, text, yes)
    if paused:  # ("Keep copying" left it paused)
        no = QCoreApplication.translate("Dialogs", "Keep it paused")
    else:
        no = QCoreApplication.translate("Dialogs", "Keep copying")
    box.button(QMessageBox.StandardButton.No).setText(no)
    return box


def _question(parent: QWidget, closing: bool, title: str, text: str, yes: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setObjectName("closeConfirmDialog" if closing else "cancelConfirmDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    without_yes_no_icons(box)
    # The harmless answer is the default: Enter or Esc keep the copy going.
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def without_yes_no_icons(box: QMessageBox) -> None:
    """Buttons whose text says what they do carry no Yes and No icons: a style's green
    mark sat on "Cancel copy" and "Move", its red one on "Keep copying" and "Do nothing"."""
    for button in box.buttons():
        button.setIcon(QIcon())


class StopQuestion(QObject):
    """Asks "Cancel the copy?" once at a time (Esc, closing) without blocking the copy.

    Signals:
        confirmed(bool closing): the user chose to stop; `closing`: and close Ferry.
    """

    confirmed = Signal(bool)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._box: QMessageBox | None = None
        self._closing = False

    def ask(self, closing: bool, paused: bool, checking: bool = False) -> None:
        if self._box is not None:
            return  # already asking
        self._box = stop_question(self._window, closing, paused, checking)
        self._closing = closing
        self._box.finished.connect(self._on_box_finished)
        self._box.open()

    @Slot(int)
    def _on_box_finished(self, result: int) -> None:
        box, self._box = self._box, None
        if box is not None and box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.confirmed.emit(self._closing)


def file_url(path: str) -> QUrl:
    """A file URL of the path's bytes (QUrl.fromLocalFile drops an undecodable byte:
    "src\\xff" would become "src", another folder)."""
    return QUrl.fromEncoded(b"file://" + quote_from_bytes(os.fsencode(path)).encode())


def open_folder(parent: QWidget, folder: str) -> bool:
    """Show a folder in the file manager; if none can, say so and where the folder is."""
    if QDesktopServices.openUrl(file_url(folder)):
        return True
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("Dialogs", "Cannot open the folder"),
        fill(
            QCoreApplication.translate(
                "Dialogs", "No file manager could open the folder. It is:\n%1"
            ),
            printable(folder),
        ),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("openFailedDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a folder named <a href=...> stays text
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return False
