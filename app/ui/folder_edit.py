"""A path field that completes folder names and accepts a folder dropped from a file manager."""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QDir, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
)
from PySide6.QtWidgets import QApplication, QCompleter, QFileSystemModel, QLineEdit, QWidget

from app.core.filters import Filters
from app.core.tree_count import count_tree


def dropped_folder(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> str:
    """The local folder a drag carries ("" if none): a folder URL, or the folder of a file."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return ""
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = url.toLocalFile()
        if len(path) > 1:
            path = path.rstrip("/")
        if os.path.isdir(path):
            return path
    return ""


class FolderEdit(QLineEdit):
    """A QLineEdit for a folder path.

    Signals:
        folderDropped(str): a folder was dropped on the field (the text is already set).
    """

    folderDropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setClearButtonEnabled(True)
        self._model = QFileSystemModel(self)
        self._model.setFilter(QDir.Filter.AllDirs | QDir.Filter.NoDotAndDotDot | QDir.Filter.Drives)
        self._model.setRootPath("")
        self._closing_list = False  # Enter closed the completion list: it starts nothing
        self._complete()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _complete(self) -> None:
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        if (popup := completer.popup()) is not None:
            popup.installEventFilter(self)
        self.setCompleter(completer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the completion list takes the folder it shows (or just closes it):
        the list is how the folder is chosen, not how the copy starts."""
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            self._closing_list = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        self._keep_escape(event)
        return False  # the completer handles it, then hands it to this field

    def event(self, event: QEvent) -> bool:
        self._keep_escape(event)
        return super().event(event)

    def _keep_escape(self, event: QEvent) -> None:
        """Escape with the list open closes the list: the window's Cancel shortcut took
        the key first, and the list stayed open over the other field."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and (popup := self._list()) is not None
            and popup.isVisible()
        ):
            event.accept()  # delivered as a key press: the completer closes its list

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._closing_list and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._closing_list = False
            self._hide_list()
            event.accept()
            return
        super().keyPressEvent(event)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        """Focus went elsewhere (Alt+T): the completion list goes too, else it keeps
        taking the keys typed into the other field."""
        if now is not self and now is not self._list() and self._hide_list():
            # This field lost its focus to its own list, which keeps its cursor blinking
            # beside the one of the field that has the focus now.
            QApplication.sendEvent(self, QFocusEvent(QEvent.Type.FocusOut))

    def _list(self) -> QWidget | None:
        completer = self.completer()
        return completer.popup() if completer is not None else None

    def _hide_list(self) -> bool:
        if (popup := self._list()) is not None and popup.isVisible():
            popup.hide()
            return True
        return False

    def set_running(self, running: bool) -> None:
        """Read-only while a copy runs, and without completion.

        A completer whose popup hid for lack of a match reopens by itself when the model
        later lists a match: the copy creating the typed target did that, and the popup
        stayed over the window. A fresh completer after the copy forgets that state.
        """
        self.setReadOnly(running)  # still legible (disabled text is faint grey)
        self.setClearButtonEnabled(not running)
        old = self.completer()
        if running and old is not None:
            self._hide_list()
            # Enter in its popup starts the copy from inside the completer's own event
            # filter; detached (and so deleted) there, Qt went on in freed memory and the
            # window crashed. It goes once that event is over.
            QTimer.singleShot(0, self._drop_completer)
        elif not running and old is None:
            self._complete()

    @Slot()
    def _drop_completer(self) -> None:
        if self.isReadOnly() and self.completer() is not None:  # (still running)
            self.setCompleter(None)  # type: ignore[arg-type]  # Qt takes nullptr

    @Slot(QAction)
    def take_folder(self, action: QAction) -> None:
        """A folder chosen from a menu of folders (the action's data)."""
        if isinstance(action.data(), str):
            self.setText(action.data())

    def folder_model(self) -> QFileSystemModel:
        """The folders offered for completion."""
        return self._model

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.isReadOnly() and dropped_folder(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.isReadOnly() and dropped_folder(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        folder = "" if self.isReadOnly() else dropped_folder(event)
        if not folder:
            event.ignore()
            return
        event.acceptProposedAction()
        self.setText(folder)
        self.folderDropped.emit(folder)


class FileCounter(QObject):
    """Counts what a copy of a folder would copy, on a short-lived thread, for the plan.

    The walk is the engine's (app.core.tree_count.count_tree), so the plan's count is the
    count the copy will show.

    Signals:
        counted(int generation, object files, object bytes, bool complete): `complete` is
            False when the count stopped at its limit; ignore results of an older generation.
    """

    counted = Signal(int, object, object, bool)

    LIMIT = 1_000_000
    SECONDS = 2.0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0

    def count(self, folder: str, follow_symlinks: bool, filters: Filters | None = None) -> int:
        self.generation += 1
        generation = self.generation
        thread = threading.Thread(
            target=self._count,
            args=(generation, folder, follow_symlinks, filters),
            name="ferry-count",
            daemon=True,
        )
        thread.start()
        return generation

    def _count(
        self, generation: int, folder: str, follow_symlinks: bool, filters: Filters | None
    ) -> None:
        def replaced() -> bool:
            return generation != self.generation

        found = count_tree(folder, follow_symlinks, self.SECONDS, self.LIMIT, replaced, filters)
        if found is not None and not replaced():
            self.counted.emit(generation, found.files, found.bytes, found.complete)
