"""The log's table: menus and Ctrl+C act on the selected rows, by mouse or by keyboard."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.ui.tones import GRAPHIC_CONTRAST, readable

ModelIndex = QModelIndex | QPersistentModelIndex


class RowFocusDelegate(QStyledItemDelegate):
    """Marks the current row of a focused view with a frame across all its cells.

    Fusion only tinted the current cell faintly (1.2:1): keyboard users could not see
    where they were.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        view = self.parent()
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_HasFocus
        elide = getattr(view, "elide_by_column", {}).get(index.column())
        if elide is not None:
            plain.textElideMode = elide
        super().paint(painter, plain, index)
        if not isinstance(view, QTableView) or not view.hasFocus():
            return
        current = view.currentIndex()
        if not current.isValid() or current.row() != index.row():
            return
        palette = option.palette
        colour = readable(
            palette.color(QPalette.ColorRole.Highlight),
            palette.color(QPalette.ColorRole.Base),
            GRAPHIC_CONTRAST,
        )
        box = QRectF(option.rect).adjusted(0, 1, 0, -1)
        painter.save()
        painter.setPen(QPen(colour, 2))
        painter.drawLine(box.topLeft(), box.topRight())
        painter.drawLine(box.bottomLeft(), box.bottomRight())
        if index.column() == 0:
            painter.drawLine(box.topLeft(), box.bottomLeft())
        if index.column() == index.model().columnCount() - 1 or _last_shown(view, index):
            painter.drawLine(box.topRight(), box.bottomRight())
        painter.restore()


def _last_shown(view: QTableView, index: ModelIndex) -> bool:
    columns = range(index.column() + 1, index.model().columnCount())
    return all(view.isColumnHidden(column) for column in columns)


class LogView(QTableView):
    """A QTableView whose menu and copy follow the selection.

    Signals:
        menuRequested(QPoint): show the row menu at this global position; the rows it is
            about are selected by then (a right click selects the row under the mouse).
        copyRequested(): Ctrl+C (or the platform's Copy) on the selected rows.
    """

    menuRequested = Signal(QPoint)
    copyRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Deep paths differ at their ends: elided at the end, five files read the same.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.elide_by_column: dict[int, Qt.TextElideMode] = {}  # (others: as above)
        self.setItemDelegate(RowFocusDelegate(self))
        # Tab leaves the log, as it leaves any other control: it moved cell by cell,
        # through every row, before it reached the buttons below.
        self.setTabKeyNavigation(False)

    def sizeHint(self) -> QSize:
        # A few rows, not Qt's 192 px: where the window is short, the log then gives up
        # less of its room to what is above it (it gets all the extra room anyway).
        return QSize(super().sizeHint().width(), self._height(rows=6))

    def minimumSizeHint(self) -> QSize:
        # Never squeezed below a few readable rows: a summary or notices above take
        # room from elsewhere first (or the window scrolls).
        return QSize(super().minimumSizeHint().width(), self._height(rows=4))

    def _height(self, rows: int) -> int:
        row = self.verticalHeader().defaultSectionSize()
        return rows * row + self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # The Menu key's event carries a position of Qt's choosing (the mouse pointer or
        # the middle of the view), not the current row: "Copy path" on ok_027 copied
        # ok_024. By keyboard the menu is about the selection, shown at the current row.
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.indexAt(event.pos())
            if not index.isValid():
                return
            if not self.selectionModel().isRowSelected(index.row(), QModelIndex()):
                self._select_row(index)
            self.menuRequested.emit(event.globalPos())
            return
        current = self.currentIndex()
        if not self.selectionModel().hasSelection():
            if not current.isValid():
                return
            self._select_row(current)
        anchor = current if current.isValid() else self.selectionModel().selectedRows()[0]
        self.scrollTo(anchor)
        below = self.visualRect(anchor).bottomLeft()
        self.menuRequested.emit(self.viewport().mapToGlobal(below))

    def currentChanged(self, current: ModelIndex, previous: ModelIndex) -> None:
        super().currentChanged(current, previous)
        self.viewport().update()  # the focus frame spans the row: repaint old and new

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def _select_row(self, index: QModelIndex) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selectionModel().setCurrentIndex(index, flags)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()  # paths, not the text of the current cell
            event.accept()
            return
        super().keyPressEvent(event)
