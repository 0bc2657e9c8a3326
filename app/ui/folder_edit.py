"""A path field that completes folder names and accepts a folder dropped from a file manager."""

from __future__ import annotations

import os
import threading
import time

from PySide6.QtCore import QDir, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QCompleter, QFileSystemModel, QLineEdit, QWidget


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
        model = QFileSystemModel(self)
        model.setFilter(QDir.Filter.AllDirs | QDir.Filter.NoDotAndDotDot | QDir.Filter.Drives)
        model.setRootPath("")
        completer = QCompleter(model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

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
    """Counts the files under a folder on a short-lived thread, for the plan sentence.

    Signals:
        counted(int generation, object count, bool complete): `complete` is False when the
            count stopped at its limit; results of an older generation should be ignored.
    """

    counted = Signal(int, object, bool)

    LIMIT = 1_000_000
    SECONDS = 2.0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0

    def count(self, folder: str) -> int:
        self.generation += 1
        generation = self.generation
        thread = threading.Thread(
            target=self._count, args=(generation, folder), name="ferry-count", daemon=True
        )
        thread.start()
        return generation

    def _count(self, generation: int, folder: str) -> None:
        deadline = time.monotonic() + self.SECONDS
        files = 0
        pending = [folder]
        complete = True
        while pending:
            if files >= self.LIMIT or time.monotonic() > deadline:
                complete = False
                break
            if generation != self.generation:
                return  # a newer count replaced this one
            try:
                with os.scandir(pending.pop()) as listing:
                    for entry in listing:
                        try:
                            if entry.is_dir(follow_symlinks=False):
                                pending.append(entry.path)
                            else:
                                files += 1
                        except OSError:
                            files += 1
            except OSError:
                continue
        if generation == self.generation:
            self.counted.emit(generation, files, complete)
