"""The log of every file: a table model appended in batches, and its status filter."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.core.events import FileResult, FileStatus, display_path
from app.ui.format import human_bytes

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # the FileStatus value, for filtering
RESULT_ROLE = Qt.ItemDataRole.UserRole + 2  # the FileResult itself

ModelIndex = QModelIndex | QPersistentModelIndex


class LogModel(QAbstractTableModel):
    """One row per finished file. Rows only ever get appended, a batch at a time."""

    STATUS, PATH, SIZE, REASON = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FileResult] = []
        self._icons: dict[FileStatus, QIcon] = {}
        self._status_text: dict[FileStatus, str] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self._status_text = {
            FileStatus.COPIED: self.tr("Copied"),
            FileStatus.RENAMED: self.tr("Kept both"),
            FileStatus.SKIPPED: self.tr("Skipped"),
            FileStatus.FAILED: self.tr("Failed"),
            FileStatus.CONFLICT: self.tr("Conflict"),
        }
        self._headers = [self.tr("Status"), self.tr("File"), self.tr("Size"), self.tr("Reason")]

    def _icon(self, status: FileStatus) -> QIcon:
        icon = self._icons.get(status)
        if icon is None:
            pixmap = {
                FileStatus.COPIED: QStyle.StandardPixmap.SP_DialogApplyButton,
                FileStatus.RENAMED: QStyle.StandardPixmap.SP_FileDialogNewFolder,
                FileStatus.SKIPPED: QStyle.StandardPixmap.SP_ArrowRight,
                FileStatus.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
            }.get(status, QStyle.StandardPixmap.SP_MessageBoxQuestion)
            icon = QApplication.style().standardIcon(pixmap)
            self._icons[status] = icon
        return icon

    # --- the model API -----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATUS:
                return self._status_text.get(result.status, result.status.value)
            if column == self.PATH:
                return display_path(result.path)
            if column == self.SIZE:
                return human_bytes(result.bytes) if result.bytes else ""
            if column == self.REASON:
                if result.target_path and result.status is FileStatus.RENAMED:
                    return self.tr("saved as %1").replace("%1", display_path(result.target_path))
                return result.reason
        elif role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return self._icon(result.status)
        elif role == Qt.ItemDataRole.ToolTipRole and column in (self.PATH, self.REASON):
            return display_path(result.path) + ("\n" + result.reason if result.reason else "")
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == STATUS_ROLE:
            return result.status.value
        elif role == RESULT_ROLE:
            return result
        return None

    # --- appending ---------------------------------------------------------------------

    def append(self, results: list[FileResult] | tuple[FileResult, ...]) -> None:
        """Add a batch of rows with one insert notification."""
        if not results:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(results) - 1)
        self._rows.extend(results)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def results(self) -> list[FileResult]:
        return list(self._rows)

    def result(self, row: int) -> FileResult:
        return self._rows[row]


class LogFilter(QSortFilterProxyModel):
    """Show all rows, or only those of some statuses.

    Filtering is a regular expression on STATUS_ROLE, evaluated in C++; "All" is an
    empty pattern, which Qt accepts without asking the model for any data.
    """

    ALL, COPIED, SKIPPED, FAILED = range(4)
    _PATTERNS: ClassVar[dict[int, str]] = {
        ALL: "",
        COPIED: "^(copied|renamed)$",
        SKIPPED: "^skipped$",
        FAILED: "^failed$",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterRole(STATUS_ROLE)
        self.setDynamicSortFilter(False)

    def set_kind(self, kind: int) -> None:
        self.setFilterRegularExpression(QRegularExpression(self._PATTERNS.get(kind, "")))
