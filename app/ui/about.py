"""Help (F1) and About: short texts in message boxes that do not block the copy."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__
from app.ui.format import fill


def _box(parent: QWidget, name: str, title: str, text: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.NoIcon, title, text, QMessageBox.StandardButton.Close, parent
    )
    box.setObjectName(name)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowModality(Qt.WindowModality.NonModal)  # the copy's window stays usable
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if not parent.windowIcon().isNull():
        box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.show()
    return box


def show_help(parent: QWidget) -> QMessageBox:
    text = QCoreApplication.translate(
        "About",
        "Ferry copies everything inside the From folder into the To folder (created when "
        "missing), in parallel, and never leaves a half-written file under a real name.\n\n"
        "Choose the two folders (type, paste, Browse, a recent folder, or drop a folder "
        "from the file manager), choose what happens when a file exists, then press Start.\n\n"
        "Keys:\n"
        "Ctrl+Enter or Enter in a folder field: start\n"
        "Ctrl+P: pause or resume\n"
        "Esc: cancel (asks first)\n"
        "Ctrl+C in the log: copy the paths of the selected files\n"
        "Menu key in the log: copy a path or open its folder\n"
        "Ctrl+W, Ctrl+Q: close Ferry (asks first while copying)\n"
        "F1: this help\n\n"
        "Details off shows only the progress while copying. Failed files can be retried; "
        "the log can be filtered and exported as CSV.",
    )
    return _box(parent, "helpDialog", QCoreApplication.translate("About", "Ferry help"), text)


def show_about(parent: QWidget) -> QMessageBox:
    text = fill(
        QCoreApplication.translate(
            "About",
            "Ferry %1\n\nCopy a folder tree safely, in parallel, and watch it happen.\n\n"
            "Qt %2, PySide6.",
        ),
        __version__,
        qVersion(),
    )
    return _box(parent, "aboutDialog", QCoreApplication.translate("About", "About Ferry"), text)
