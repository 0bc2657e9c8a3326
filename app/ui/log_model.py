"""The log of every file: a table model appended in batches, with each row's verify state."""

from __future__ import annotations

from array import array
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from app.core.events import FileResult, FileStatus, printable
from app.core.mirror import DELETE
from app.core.readback import Checked, CheckStatus
from app.core.reasons import Code, Reason
from app.ui.format import fill, human_bytes, plain_tip
from app.ui.icons import outcome_icon
from app.ui.outcome import (
    CHECKED_OUTCOME,
    Outcome,
    action_text,
    outcome,
    outcome_text,
    reason_text,
)

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # the FileStatus value, for filtering
RESULT_ROLE = Qt.ItemDataRole.UserRole + 2  # the FileResult itself

ModelIndex = QModelIndex | QPersistentModelIndex

# A row's verify state (one byte a row): not read back, or what reading back found.
UNCHECKED, MATCHED, MISMATCHED, MISSING = range(4)
_STATE = {CheckStatus.OK: MATCHED, CheckStatus.FAILED: MISMATCHED, CheckStatus.MISSING: MISSING}
CHECK_ONLY = 4  # flag: the row is a file checked against a manifest, not a copy
CACHED = 8  # flag: matched, but read through the system's cache only (fromdisk.py)
FLAGS = CHECK_ONLY | CACHED
_STATE_OUTCOME = {state: CHECKED_OUTCOME[status] for status, state in _STATE.items()}
# What a copy's verify phase reads: what it wrote, and files up to date (skipped) when a
# manifest needs their checksums.
_READ_BACK = (FileStatus.COPIED, FileStatus.RENAMED, FileStatus.SKIPPED)
# A row read back the same, but through the system's cache: its reason says so.
_THROUGH_CACHE = Reason(Code.READ_THROUGH_CACHE)


def _checked_state(checked: Checked) -> int:
    cached = checked.status is CheckStatus.OK and checked.cached
    return _STATE[checked.status] | (CACHED if cached else 0)


class LogModel(QAbstractTableModel):
    """One row per finished file. Rows get appended a batch at a time; a row read back
    (verify) changes its state, and a mismatch turns its result into a failure.

    Signals:
        rowsRevised(list[int]): these rows changed their verify state or their result.
    """

    rowsRevised = Signal(object)

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
        self._cached_text = self.tr("Verified, through the cache only")
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
                if result.action:  # a preview's row says what would be done
                    return action_text(result.action)
                if self._states[row] & CACHED:
                    return self._cached_text
                return self._status_text[self.outcome(row)]
            if column == self.PATH:
                return printable(result.path)
            if column == self.SIZE:
                return human_bytes(result.bytes) if result.bytes else ""
            if column == self.REASON:
                if result.target_path and result.status is FileStatus.RENAMED:
                    return fill(self.tr("saved as %1"), printable(result.target_path))
                return reason_text(result)
            if column == self.RUN:
                return self._run_text(self._runs[row])
        elif role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            kind = self.outcome(row)
            if kind is Outcome.PLANNED and result.action == DELETE:
                kind = Outcome.DELETED  # (a preview's deletions stand out from its copies)
            return self._icon(kind)
        elif role == Qt.ItemDataRole.ToolTipRole and column in (self.PATH, self.REASON):
            reason = reason_text(result)
            return plain_tip(printable(result.path) + ("\n" + reason if reason else ""))
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

    def stayed(self, results: list[FileResult]) -> None:
        """Sources a move left where they were: their rows (this run's latest of each
        path) now say why, in place of what their copy said."""
        revised = {result.path: result for result in results}
        changed = []
        for row in range(len(self._rows) - 1, -1, -1):
            if not revised or self._runs[row] != self._run:
                break
            if (result := revised.pop(self._rows[row].path, None)) is not None:
                self._rows[row] = result
                changed.append(row)
        self._rows_revised(changed)

    def set_action(self, rows: list[int], action: str) -> None:
        """A preview's rows now planned as `action` (the user answered their question).

        A reset, so that the filters sort the rows again (a rare, user-paced change).
        """
        self.beginResetModel()
        for row in rows:
            self._rows[row] = self._rows[row]._replace(action=action)
        self.endResetModel()

    def drop_planned(self) -> None:
        """A preview's rows go (those with a planned action); a real job's stay."""
        kept = [row for row, result in enumerate(self._rows) if not result.action]
        if len(kept) == len(self._rows):
            return
        self.beginResetModel()
        self._rows = [self._rows[row] for row in kept]
        self._runs = array("H", (self._runs[row] for row in kept))
        self._states = array("B", (self._states[row] for row in kept))
        self._by_target = {}
        self._indexed = 0
        self.endResetModel()

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
        state = self._states[row] & ~FLAGS
        return _STATE_OUTCOME[state] if state else outcome(self._rows[row])

    def state(self, row: int) -> int:
        return self._states[row]

    def verify_word(self, row: int) -> str:
        """What reading back found, as the CLI says it (ok, failed, missing), "" if not read."""
        state = self._states[row] & ~FLAGS
        return next((status.value for status, s in _STATE.items() if s == state), "")

    def states(self, start: int, stop: int) -> array[int]:
        return self._states[start:stop]

    def check(self, checks: list[Checked]) -> None:
        """A copy's verify phase read these back (paths in the target): mark their rows;
        a mismatch or a missing file makes the row's result a failure, as in the report.

        An up-to-date (skipped) file read back the same as its source is verified, as the
        report counts it (the engine sends no check of a file only hashed for a manifest):
        the summary said "21 verified from the disk" over a log of 0 verified."""
        self._index_targets()
        changed = []
        for checked in checks:
            row = self._by_target.get(checked.path)
            if row is None:
                continue
            self._states[row] = _checked_state(checked)
            if checked.status is not CheckStatus.OK:
                self._rows[row] = self._rows[row]._replace(
                    status=FileStatus.FAILED, why=checked.why
                )
            elif checked.cached and self._rows[row].why is None:
                self._rows[row] = self._rows[row]._replace(why=_THROUGH_CACHE)
            changed.append(row)
        self._rows_revised(changed)

    def append_checks(self, checks: list[Checked]) -> None:
        """Files checked against a manifest (Verify a folder): one row each."""
        if not checks:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(checks) - 1)
        for checked in checks:
            ok = checked.status is CheckStatus.OK
            status = FileStatus.SKIPPED if ok else FileStatus.FAILED  # nothing was written
            why = _THROUGH_CACHE if ok and checked.cached else checked.why
            self._rows.append(FileResult(checked.path, status, why=why))
            self._states.append(_checked_state(checked) | CHECK_ONLY)
        self._runs.extend([self._run] * len(checks))
        self.endInsertRows()

    def _index_targets(self) -> None:
        for row in range(self._indexed, len(self._rows)):
            result = self._rows[row]
            if result.status in _READ_BACK:
                self._by_target[result.target_path or result.path] = row
        self._indexed = len(self._rows)

    def _rows_revised(self, rows: list[int]) -> None:
        if not rows:
            return
        self.rowsRevised.emit(rows)
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
