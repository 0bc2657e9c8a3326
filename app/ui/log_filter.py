"""The log seen through a status filter: a proxy that keeps, per filter, the rows it shows."""

from __future__ import annotations

import bisect
from array import array
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QModelIndex, QObject, Qt, Slot

from app.core.events import FileResult, FileStatus
from app.core.reasons import STAYED_CODES
from app.ui.log_model import (
    CHECK_ONLY,
    FLAGS,
    MATCHED,
    MISMATCHED,
    MISSING,
    UNCHECKED,
    LogModel,
    ModelIndex,
)
from app.ui.outcome import Outcome, outcome


def stayed(result: FileResult) -> bool:
    """Whether a row is of a source a move left where it was (LogModel.stayed)."""
    return result.why is not None and result.why.code in STAYED_CODES


class LogFilter(QAbstractProxyModel):
    """The log seen through a filter: All, Copied (incl. kept both), Skipped, Failed,
    Cancelled, Verified (read back and the same), Mismatch (read back: different or gone),
    a preview's Planned or a mirror's Deleted rows, and the sources a move left where they
    were (Stayed; under their copy's filter too). A preview's rows are also under the
    filter of what they will do (Copied, Skipped, Deleted).

    A row read back keeps its copy's filter too (a verified file was copied; a mismatch
    failed); a file checked against a manifest only shows under Verified, or Failed and
    Mismatch.

    A proxy that keeps, per filter, the source rows it shows, extended a batch at a time
    as the log grows. Switching filters is then instant even at 1,000,000 rows, where a
    QSortFilterProxyModel re-asks the (Python) model about every row: 3.6 s for 100,000
    rows was measured here.
    """

    KINDS = tuple(range(10))  # (the order of the Show list)
    ALL, COPIED, SKIPPED, FAILED, CANCELLED, VERIFIED, MISMATCH, PLANNED, DELETED, STAYED = KINDS
    _CHECKED_KINDS: ClassVar[dict[int, tuple[int, ...]]] = {
        UNCHECKED: (),
        MATCHED: (VERIFIED,),
        MISMATCHED: (MISMATCH,),
        MISSING: (MISMATCH,),
    }
    RESET_ABOVE = 200  # more rows changing filter at once: reset the view, not row by row
    _KIND: ClassVar[dict[Outcome, int]] = {
        Outcome.COPIED: COPIED,
        Outcome.KEPT_BOTH: COPIED,
        Outcome.SKIPPED: SKIPPED,
        Outcome.FAILED: FAILED,
        Outcome.CANCELLED: CANCELLED,
        Outcome.PLANNED: PLANNED,
        Outcome.DELETED: DELETED,
    }
    # A preview's Planned rows are also filtered by action: what will be copied, deleted
    # or skipped (plan.Planned values); "ask" rows only under Planned.
    _PLANNED_KIND: ClassVar[dict[str, int]] = {
        "copy": COPIED,
        "replace": COPIED,
        "rename": COPIED,
        "link": COPIED,
        "skip": SKIPPED,  # an answered question (a plan's own skips are Skipped rows)
        "delete": DELETED,
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind = self.ALL
        self._count = 0  # rows of the source seen so far (the ALL view)
        self._rows = self._empty()

    @staticmethod
    def _empty() -> dict[int, array[int]]:
        return {kind: array("q") for kind in LogFilter.KINDS[1:]}

    def log(self) -> LogModel:
        model = self.sourceModel()
        assert isinstance(model, LogModel)
        return model

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, LogModel)
        self.beginResetModel()
        super().setSourceModel(model)
        self._log = model
        model.rowsInserted.connect(self._on_source_rowsInserted)
        model.rowsRevised.connect(self._on_source_rowsRevised)
        model.modelAboutToBeReset.connect(self._on_source_modelAboutToBeReset)
        model.modelReset.connect(self._on_source_modelReset)
        self._rebuild()
        self.endResetModel()

    def kind(self) -> int:
        return self._kind

    def set_kind(self, kind: int) -> None:
        if kind == self._kind:
            return
        self.beginResetModel()
        self._kind = kind if kind in (self.ALL, *self._rows) else self.ALL
        self.endResetModel()

    def count(self, kind: int) -> int:
        """How many rows the filter `kind` shows."""
        return self._count if kind == self.ALL else len(self._rows[kind])

    def _rebuild(self) -> None:
        self._rows = self._empty()
        self._count = 0
        self._add(self._classify(0, self.log().rowCount() - 1), self.log().rowCount())

    def _classify(self, first: int, last: int) -> dict[int, array[int]]:
        """Source rows first..last sorted into the filters that show them."""
        new = self._empty()
        kind_of = self._KIND.get
        appenders = {kind: rows.append for kind, rows in new.items()}
        states = self.log().states(first, last + 1)
        for row, result in enumerate(self.log().slice(first, last + 1), first):
            if states[row - first]:  # read back (rare on append): the slow way
                for each in self._kinds(result, states[row - first]):
                    appenders[each](row)
                continue
            kind = kind_of(outcome(result))
            if kind is not None:
                appenders[kind](row)
            if stayed(result):
                appenders[self.STAYED](row)
            if result.status is FileStatus.PLANNED:  # also under what it will do
                planned = self._PLANNED_KIND.get(result.action)
                if planned is not None:
                    appenders[planned](row)
        return new

    def _kinds(self, result: FileResult, state: int) -> tuple[int, ...]:
        """The filters that show a row."""
        checked = self._CHECKED_KINDS[state & ~FLAGS]
        if state & CHECK_ONLY:
            return (self.FAILED, *checked) if result.status is FileStatus.FAILED else checked
        kind = self._KIND.get(outcome(result))
        kinds = checked if kind is None else (kind, *checked)
        return (*kinds, self.STAYED) if stayed(result) else kinds

    @Slot(object)
    def _on_source_rowsRevised(self, rows: list[int]) -> None:
        """Rows read back (they join Verified or Mismatch, and a mismatch moves from
        Copied to Failed), or sources a move left (they join Stayed). The arrays stay
        sorted (mapFromSource bisects them)."""
        log = self.log()
        reset = len(rows) > self.RESET_ABOVE and self._kind != self.ALL
        if reset:
            self.beginResetModel()
        for row in rows:
            wanted = self._kinds(log.result(row), log.state(row))
            for kind, shown in self._rows.items():
                at = bisect.bisect_left(shown, row)
                present = at < len(shown) and shown[at] == row
                if present == (kind in wanted):
                    continue
                visible = kind == self._kind and not reset
                if present:
                    if visible:
                        self.beginRemoveRows(QModelIndex(), at, at)
                    del shown[at]
                    if visible:
                        self.endRemoveRows()
                else:
                    if visible:
                        self.beginInsertRows(QModelIndex(), at, at)
                    shown.insert(at, row)
                    if visible:
                        self.endInsertRows()
        if reset:
            self.endResetModel()
        elif self.rowCount():  # texts and icons of rows that stayed in view changed
            last = self.index(self.rowCount() - 1, LogModel.COLUMNS - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _add(self, new: dict[int, array[int]], count: int) -> None:
        for kind, rows in new.items():
            self._rows[kind].extend(rows)
        self._count = count

    @Slot(QModelIndex, int, int)
    def _on_source_rowsInserted(self, parent: QModelIndex, first: int, last: int) -> None:
        # The log only appends: announce exactly the rows this filter gains.
        new = self._classify(first, last)
        if self._kind == self.ALL:
            gained, before = last - first + 1, self._count
        else:
            gained, before = len(new[self._kind]), len(self._rows[self._kind])
        if gained:
            self.beginInsertRows(QModelIndex(), before, before + gained - 1)
        self._add(new, last + 1)
        if gained:
            self.endInsertRows()

    @Slot()
    def _on_source_modelAboutToBeReset(self) -> None:
        self.beginResetModel()

    @Slot()
    def _on_source_modelReset(self) -> None:
        self._rebuild()
        self.endResetModel()

    # --- the proxy API -----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self._count if self._kind == self.ALL else len(self._rows[self._kind])

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else LogModel.COLUMNS

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < LogModel.COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def source_row(self, row: int) -> int:
        return row if self._kind == self.ALL else self._rows[self._kind][row]

    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= self.rowCount():
            return QModelIndex()
        return self.log().index(self.source_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        if self._kind != self.ALL:
            rows = self._rows[self._kind]
            found = bisect.bisect_left(rows, row)
            if found >= len(rows) or rows[found] != row:
                return QModelIndex()
            row = found
        elif row >= self._count:
            return QModelIndex()
        return self.createIndex(row, source_index.column())

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if self._kind != self.ALL:
            row = self._rows[self._kind][row]
        return self._log.cell(row, index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self.log().headerData(section, orientation, role)
