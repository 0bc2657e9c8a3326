"""The log of every file: a table model appended in batches, its verify state, its filter."""

from __future__ import annotations

import bisect
from array import array
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from app.core.events import FileResult, FileStatus, display_path
from app.core.readback import Checked, CheckStatus
from app.ui.format import fill, human_bytes
from app.ui.icons import outcome_icon
from app.ui.outcome import CHECKED_OUTCOME, Outcome, outcome, outcome_text, reason_text

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # the FileStatus value, for filtering
RESULT_ROLE = Qt.ItemDataRole.UserRole + 2  # the FileResult itself

ModelIndex = QModelIndex | QPersistentModelIndex

# A row's verify state (one byte a row): not read back, or what reading back found.
UNCHECKED = 0
_STATE = {CheckStatus.OK: 1, CheckStatus.FAILED: 2, CheckStatus.MISSING: 3}
CHECK_ONLY = 4  # flag: the row is a file checked against a manifest, not a copy
_STATE_OUTCOME = {state: CHECKED_OUTCOME[status] for status, state in _STATE.items()}
# What a copy's verify phase reads: what it wrote, and files up to date (skipped) when a
# manifest needs their checksums.
_READ_BACK = (FileStatus.COPIED, FileStatus.RENAMED, FileStatus.SKIPPED)


class LogModel(QAbstractTableModel):
    """One row per finished file. Rows get appended a batch at a time; a row read back
    (verify) changes its state, and a mismatch turns its result into a failure.

    Signals:
        rowsChecked(list[int]): these rows changed their verify state (and maybe result).
    """

    rowsChecked = Signal(object)

    STATUS, PATH, SIZE, REASON, RUN = range(5)
    COLUMNS = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FileResult] = []
        self._runs = array("H")  # per row: 1 for the first copy, 2 for its first retry, ...
        self._states = array("B")  # per row: UNCHECKED or a verify state, maybe CHECK_ONLY
        self._by_target: dict[str, int] = {}  # where a copy landed -> its (latest) row
        self._indexed = 0  # rows looked at for _by_target so far
        self._run = 1
        self._icons: dict[Outcome, QIcon] = {}
        self._palette: QPalette | None = None
        self._status_text: dict[Outcome, str] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self._status_text = {kind: outcome_text(kind) for kind in Outcome}
        self._headers = [
            self.tr("Status"),
            self.tr("File"),
            self.tr("Size"),
            self.tr("Reason"),
            self.tr("Run"),
        ]

    def set_palette(self, palette: QPalette) -> None:
        """The palette of the view: icons are drawn to show on its rows."""
        self._palette = QPalette(palette)
        self._icons = {}
        if self._rows:
            last = self.index(len(self._rows) - 1, self.STATUS)
            self.dataChanged.emit(self.index(0, self.STATUS), last)

    def _icon(self, kind: Outcome) -> QIcon:
        icon = self._icons.get(kind)
        if icon is None:
            palette = self._palette or QGuiApplication.palette()
            icon = self._icons[kind] = outcome_icon(kind, palette)
        return icon

    # --- the model API -----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """data() without a QModelIndex: the filter calls it directly (hot path)."""
        result = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATUS:
                return self._status_text[self.outcome(row)]
            if column == self.PATH:
                return display_path(result.path)
            if column == self.SIZE:
                return human_bytes(result.bytes) if result.bytes else ""
            if column == self.REASON:
                if result.target_path and result.status is FileStatus.RENAMED:
                    return fill(self.tr("saved as %1"), display_path(result.target_path))
                return reason_text(result)
            if column == self.RUN:
                return self._run_text(self._runs[row])
        elif role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return self._icon(self.outcome(row))
        elif role == Qt.ItemDataRole.ToolTipRole and column in (self.PATH, self.REASON):
            reason = reason_text(result)
            return display_path(result.path) + ("\n" + reason if reason else "")
        elif role == Qt.ItemDataRole.TextAlignmentRole and column in (self.SIZE, self.RUN):
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
        self._runs.extend([self._run] * len(results))
        self._states.extend(bytes(len(results)))
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._runs = array("H")
        self._states = array("B")
        self._by_target = {}
        self._indexed = 0
        self._run = 1
        self.endResetModel()

    # --- verify ------------------------------------------------------------------------

    def outcome(self, row: int) -> Outcome:
        """What the row shows: what reading back found, else what the copy did."""
        state = self._states[row] & ~CHECK_ONLY
        return _STATE_OUTCOME[state] if state else outcome(self._rows[row])

    def state(self, row: int) -> int:
        return self._states[row]

    def verify_word(self, row: int) -> str:
        """What reading back found, as the CLI says it (ok, failed, missing), "" if not read."""
        state = self._states[row] & ~CHECK_ONLY
        return next((status.value for status, s in _STATE.items() if s == state), "")

    def states(self, start: int, stop: int) -> array[int]:
        return self._states[start:stop]

    def check(self, checks: list[Checked]) -> None:
        """A copy's verify phase read these back (paths in the target): mark their rows;
        a mismatch or a missing file makes the row's result a failure, as in the report."""
        self._index_targets()
        changed = []
        for checked in checks:
            row = self._by_target.get(checked.path)
            if row is None:
                continue
            if checked.status is CheckStatus.OK and self._rows[row].status is FileStatus.SKIPPED:
                continue  # up to date, read for the manifest: not a verified copy
            self._states[row] = _STATE[checked.status]
            if checked.status is not CheckStatus.OK:
                self._rows[row] = self._rows[row]._replace(
                    status=FileStatus.FAILED, why=checked.why
                )
            changed.append(row)
        self._rows_checked(changed)

    def append_checks(self, checks: list[Checked]) -> None:
        """Files checked against a manifest (Verify a folder): one row each."""
        if not checks:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(checks) - 1)
        for checked in checks:
            ok = checked.status is CheckStatus.OK
            status = FileStatus.SKIPPED if ok else FileStatus.FAILED  # nothing was written
            self._rows.append(FileResult(checked.path, status, why=checked.why))
            self._states.append(_STATE[checked.status] | CHECK_ONLY)
        self._runs.extend([self._run] * len(checks))
        self.endInsertRows()

    def _index_targets(self) -> None:
        for row in range(self._indexed, len(self._rows)):
            result = self._rows[row]
            if result.status in _READ_BACK:
                self._by_target[result.target_path or result.path] = row
        self._indexed = len(self._rows)

    def _rows_checked(self, rows: list[int]) -> None:
        if not rows:
            return
        self.rowsChecked.emit(rows)
        top, bottom = min(rows), max(rows)
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, self.COLUMNS - 1))

    def next_run(self) -> None:
        """Rows appended from now on belong to the next run (a retry)."""
        self._run += 1

    def runs(self) -> int:
        """How many runs the log holds."""
        return self._runs[-1] if self._runs else 0

    def run(self, row: int) -> int:
        return self._runs[row]

    def _run_text(self, run: int) -> str:
        return fill(self.tr("retry %1"), str(run - 1)) if run > 1 else self.tr("first")

    def results(self) -> list[FileResult]:
        return list(self._rows)

    def result(self, row: int) -> FileResult:
        return self._rows[row]

    def slice(self, start: int, stop: int) -> list[FileResult]:
        return self._rows[start:stop]


class LogFilter(QAbstractProxyModel):
    """The log seen through a filter: All, Copied (incl. kept both), Skipped, Failed,
    Cancelled, Verified (read back and the same), Mismatch (read back: different or gone).

    A row read back keeps its copy's filter too (a verified file was copied; a mismatch
    failed); a file checked against a manifest only shows under Verified, or Failed and
    Mismatch.

    A proxy that keeps, per filter, the source rows it shows, extended a batch at a time
    as the log grows. Switching filters is then instant even at 1,000,000 rows, where a
    QSortFilterProxyModel re-asks the (Python) model about every row: 3.6 s for 100,000
    rows was measured here.
    """

    ALL, COPIED, SKIPPED, FAILED, CANCELLED, VERIFIED, MISMATCH = range(7)
    KINDS = (ALL, COPIED, SKIPPED, FAILED, CANCELLED, VERIFIED, MISMATCH)
    _CHECKED_KINDS: ClassVar[dict[int, tuple[int, ...]]] = {
        UNCHECKED: (),
        1: (VERIFIED,),
        2: (MISMATCH,),
        3: (MISMATCH,),
    }
    RESET_ABOVE = 200  # more rows changing filter at once: reset the view, not row by row
    _KIND: ClassVar[dict[Outcome, int]] = {
        Outcome.COPIED: COPIED,
        Outcome.KEPT_BOTH: COPIED,
        Outcome.SKIPPED: SKIPPED,
        Outcome.FAILED: FAILED,
        Outcome.CANCELLED: CANCELLED,
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
        model.rowsChecked.connect(self._on_source_rowsChecked)
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
        return new

    def _kinds(self, result: FileResult, state: int) -> tuple[int, ...]:
        """The filters that show a row."""
        checked = self._CHECKED_KINDS[state & ~CHECK_ONLY]
        if state & CHECK_ONLY:
            return (self.FAILED, *checked) if result.status is FileStatus.FAILED else checked
        kind = self._KIND.get(outcome(result))
        return checked if kind is None else (kind, *checked)

    @Slot(object)
    def _on_source_rowsChecked(self, rows: list[int]) -> None:
        """Rows read back: they join Verified or Mismatch, and a mismatch moves from
        Copied to Failed. The arrays stay sorted (mapFromSource bisects them)."""
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
