"""The log of every file: status filter, export, and a context menu on its rows."""

from __future__ import annotations

import os
import re
from typing import cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.events import FileResult, printable, shows_as_is
from app.core.export import write_log_csv
from app.core.options import Answer, ConflictPolicy
from app.core.readback import Checked
from app.ui.dialogs import open_folder
from app.ui.format import fill, human_count, plain_tip
from app.ui.log_filter import LogFilter
from app.ui.log_model import LogModel
from app.ui.log_view import LogView
from app.ui.os_errors import os_error_text
from app.ui.settings import Settings

_REASON_WIDTH = 240  # the Reason column's width before any reason is longer
_ROWS_MEASURED = 2000  # rows of a batch measured: a batch of 100,000 would stall the window
_CELL_MARGINS = 16

# A preview's "Will ask" rows can be answered now: the copy then does as answered.
_ANSWERS = (
    (ConflictPolicy.OVERWRITE, "replace", QT_TRANSLATE_NOOP("LogPanel", "Answer: &replace")),
    (ConflictPolicy.SKIP, "skip", QT_TRANSLATE_NOOP("LogPanel", "Answer: &skip")),
    (ConflictPolicy.RENAME, "rename", QT_TRANSLATE_NOOP("LogPanel", "Answer: &keep both")),
)


class LogPanel(QWidget):
    """Rows arrive in batches (append); the user filters, exports and copies paths.

    Signals:
        answered(list of Answer): a preview's questions answered ahead, each bound to the
            target file the preview found.
    """

    answered = Signal(list)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.setObjectName("logPanel")
        self.settings = settings
        self._source = ""
        self._target = ""
        self._checks_only = False
        self.logFilter = QComboBox()
        self.logFilter.setObjectName("logFilter")
        for _ in LogFilter.KINDS:
            self.logFilter.addItem("")
        # Room for "Skipped (1,000,000)" in any language, without relayouts as counts grow.
        self.logFilter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.logFilter.setMinimumContentsLength(18)
        self.exportButton = QPushButton(self.tr("E&xport CSV…"))
        self.exportButton.setObjectName("exportButton")
        bar = QHBoxLayout()
        show = QLabel(self.tr("S&how:"))
        show.setBuddy(self.logFilter)
        bar.addWidget(show)
        bar.addWidget(self.logFilter)
        bar.addStretch(1)
        self.exportedLabel = QLabel()
        self.exportedLabel.setObjectName("exportedLabel")
        self.exportedLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.exportedLabel.hide()
        self.earlierLabel = QLabel(self.tr("Earlier job, before the folders or mode changed"))
        self.earlierLabel.setObjectName("earlierLabel")
        self.earlierLabel.hide()
        bar.addWidget(self.earlierLabel)
        bar.addWidget(self.exportedLabel)
        bar.addWidget(self.exportButton)
        self.logModel = LogModel(self)
        self.logProxy = LogFilter(self)
        self.logProxy.setSourceModel(self.logModel)
        self.logModel.set_palette(self.palette())
        # A QTableView with fixed-height rows, not a QTreeView: QTreeView relayouts every
        # row on each insert (quadratic: 0.8 s per 2,000-row batch at 100,000 rows, seen).
        self.logView = LogView()
        # A reason says what happened first, then the detail (the tooltip has it all):
        # elided in the middle, "(Function not imp…ted)" hid both.
        self.logView.elide_by_column[LogModel.REASON] = Qt.TextElideMode.ElideRight
        self.logView.setObjectName("logView")
        self.logView.setModel(self.logProxy)
        self.logView.setShowGrid(False)
        self.logView.setWordWrap(False)
        self.logView.setAlternatingRowColors(True)
        self.logView.setAccessibleName(self.tr("Files copied, skipped and failed"))
        rows = self.logView.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.logView.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LogModel.PATH, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(LogModel.STATUS, 110)
        header.resizeSection(LogModel.SIZE, 90)
        self._needed = {LogModel.PATH: 0, LogModel.REASON: 0}  # widest texts so far
        self._reason_width = 0  # the width Ferry last gave the column
        self._size_reason_column(_REASON_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.logView, 1)
        self.logView.setColumnHidden(LogModel.RUN, True)
        header.resizeSection(LogModel.RUN, 60)
        self._rows_changed()

        self.logFilter.currentIndexChanged.connect(self._on_logFilter_currentIndexChanged)
        self.logView.menuRequested.connect(self._on_logView_menuRequested)
        self.logView.copyRequested.connect(self._on_logView_copyRequested)
        self.exportButton.clicked.connect(self._on_exportButton_clicked)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.logModel.set_palette(self.logView.palette())

    # --- rows ----------------------------------------------------------------------------

    def begin(
        self, source: str, target: str, keep: bool = False, checks_only: bool = False
    ) -> None:
        """A new job: its folders, for paths; the log shown unfiltered.

        `keep` (a retry): the rows so far stay, and the new ones are marked as the next
        run, so an export holds both. `checks_only`: a folder checked against a manifest.
        """
        self._source, self._target = source, target
        self._checks_only = checks_only
        self.earlierLabel.hide()
        # Never a remembered filter: "Skipped" left on showed a 3,000-file copy as empty.
        self.logFilter.setCurrentIndex(LogFilter.ALL)
        self.exportedLabel.hide()
        if keep and self.logModel.rowCount():
            self.logModel.next_run()
        else:
            self.logModel.clear()
            self._needed = {LogModel.PATH: 0, LogModel.REASON: 0}
            self._size_reason_column(_REASON_WIDTH)
        self.logView.setColumnHidden(LogModel.RUN, self.logModel.runs() < 2 and not keep)
        self._rows_changed()

    def clear(self) -> None:
        """No rows: the plan they showed is not the one the window holds now."""
        self.logModel.clear()
        self.earlierLabel.hide()
        self.exportedLabel.hide()
        self._rows_changed()

    def outdate(self) -> None:
        """The plan changed: a preview's rows go (what it listed, "Will delete" too, is
        another job's plan); a real job's rows stay, said to be the earlier job's (what
        was done, for its export), a retry's preview among them too."""
        self.logModel.drop_planned()
        self.exportedLabel.hide()
        self.earlierLabel.setVisible(self.logModel.rowCount() > 0)
        self._rows_changed()

    def append(self, results: list[FileResult]) -> None:
        follow = self._at_bottom()
        first = self.logModel.rowCount()
        self.logModel.append(results)
        self._grown(follow, first)

    @Slot(object)
    def stayed(self, results: list[FileResult]) -> None:
        """Sources a move left where they were: their rows say why, under Stayed too."""
        self.logModel.stayed(results)
        self._rows_changed()

    @Slot(object)
    def add_checks(self, checks: list[Checked]) -> None:
        """Files read back: in a copy, their rows show what was found; checked against a
        manifest (begin with `checks_only`), a row each."""
        if not self._checks_only:
            self.logModel.check(checks)
            self._rows_changed()
            return
        follow = self._at_bottom()
        first = self.logModel.rowCount()
        self.logModel.append_checks(checks)
        self._grown(follow, first)

    def _at_bottom(self) -> bool:
        bar = self.logView.verticalScrollBar()
        return bar.value() >= bar.maximum() - 2

    def _grown(self, follow: bool, first: int) -> None:
        self._rows_changed()
        self._widen_reasons(first)
        if follow:
            self.logView.scrollToBottom()

    def _widen_reasons(self, first: int) -> None:
        """Reasons are read whole where the File column can spare the room: the Reason
        column takes what the widest path so far leaves, at least half, up to its need."""
        metrics = self.logView.fontMetrics()
        for row in range(first, min(self.logModel.rowCount(), first + _ROWS_MEASURED)):
            for column in (LogModel.PATH, LogModel.REASON):
                text = self.logModel.cell(row, column, Qt.ItemDataRole.DisplayRole)
                width = metrics.horizontalAdvance(text) + _CELL_MARGINS if text else 0
                self._needed[column] = max(self._needed[column], width)
        self._fit_reason_column()

    def _fit_reason_column(self) -> None:
        header = self.logView.horizontalHeader()
        if header.sectionSize(LogModel.REASON) != self._reason_width:
            return  # the user sized it: theirs until the next job
        shared = header.sectionSize(LogModel.PATH) + self._reason_width
        room = max(shared // 2, shared - self._needed[LogModel.PATH])
        self._size_reason_column(max(_REASON_WIDTH, min(self._needed[LogModel.REASON], room)))

    def _size_reason_column(self, width: int) -> None:
        self._reason_width = width
        self.logView.horizontalHeader().resizeSection(LogModel.REASON, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_reason_column()

    def _rows_changed(self) -> None:
        self._update_filter_texts()
        self.exportButton.setEnabled(self.logProxy.rowCount() > 0)

    def _update_filter_texts(self) -> None:
        names = {
            LogFilter.ALL: self.tr("All (%1)"),
            LogFilter.COPIED: self.tr("Copied (%1)"),
            LogFilter.SKIPPED: self.tr("Skipped (%1)"),
            LogFilter.FAILED: self.tr("Failed (%1)"),
            LogFilter.CANCELLED: self.tr("Cancelled (%1)"),
            LogFilter.PLANNED: self.tr("Planned (%1)"),
            LogFilter.DELETED: self.tr("Deleted (%1)"),
            LogFilter.VERIFIED: self.tr("Verified (%1)"),
            LogFilter.MISMATCH: self.tr("Mismatch (%1)"),
            LogFilter.STAYED: self.tr("Stayed in the source (%1)"),
        }
        for kind, name in names.items():
            count = self.logProxy.count(kind)
            self.logFilter.setItemText(kind, fill(name, human_count(count)))
        # Only a preview plans, only a mirror deletes and only a move leaves sources:
        # otherwise these stay out of sight.
        for kind in (LogFilter.PLANNED, LogFilter.DELETED, LogFilter.STAYED):
            seen = self.logProxy.count(kind) > 0 or self.logFilter.currentIndex() == kind
            cast(QListView, self.logFilter.view()).setRowHidden(kind, not seen)

    @Slot(int)
    def _on_logFilter_currentIndexChanged(self, index: int) -> None:
        self.logProxy.set_kind(index)
        self.exportButton.setEnabled(self.logProxy.rowCount() > 0)

    # --- rows the user points at ---------------------------------------------------------

    def selected_results(self) -> list[FileResult]:
        rows = sorted({index.row() for index in self.logView.selectionModel().selectedRows()})
        return [
            self.logModel.result(self.logProxy.mapToSource(self.logProxy.index(r, 0)).row())
            for r in rows
        ]

    @Slot(QPoint)
    def _on_logView_menuRequested(self, pos: QPoint) -> None:
        """The rows' menu, not modal: the log keeps filling while it is open."""
        rows = len(self.selected_results())
        if not rows:
            return
        menu = QMenu(self)
        menu.setObjectName("logMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        copy = menu.addAction(self.tr("&Copy path(s)", "", rows))
        copy.triggered.connect(self._on_logView_copyRequested)
        show = menu.addAction(self.tr("&Open containing folder"))
        show.setEnabled(rows == 1)
        show.triggered.connect(self._on_openAction_triggered)
        if all(result.action == "ask" for result in self.selected_results()):
            menu.addSeparator()
            for policy, action, text in _ANSWERS:
                item = menu.addAction(QCoreApplication.translate("LogPanel", str(text)))
                item.triggered.connect(lambda _=False, p=policy, a=action: self.answer(p, a))
        menu.popup(pos)

    def answer(self, policy: ConflictPolicy, action: str) -> None:
        """Answer the selected rows' questions ahead of the copy; their rows say so."""
        rows = sorted({index.row() for index in self.logView.selectionModel().selectedRows()})
        source_rows = [self.logProxy.mapToSource(self.logProxy.index(r, 0)).row() for r in rows]
        results = [self.logModel.result(row) for row in source_rows]
        self.logModel.set_action(source_rows, action)
        self.answered.emit(
            [Answer(r.path, policy, r.target_size, r.target_mtime_ns) for r in results]
        )

    @Slot()
    def _on_logView_copyRequested(self) -> None:
        self.copy_paths(self.selected_results())

    @Slot()
    def _on_openAction_triggered(self) -> None:
        chosen = self.selected_results()
        if chosen:
            self.open_containing_folder(chosen[0])

    def target_file(self, result: FileResult) -> str:
        relative = result.target_path or result.path
        return os.path.join(self._target, relative)

    def copy_paths(self, results: list[FileResult]) -> None:
        """Where the files are now: target paths, one a line, as a shell reads them.
        (Text only: a QMimeData made here, with file URLs, is still on the clipboard when
        Python ends, and PySide crashes there.)"""
        paths = [self.target_file(result) for result in results]
        quoted = not all(map(shows_as_is, paths))  # then every line is, alike
        QGuiApplication.clipboard().setText("\n".join(pasted(path, quoted) for path in paths))

    def copy_path(self, result: FileResult) -> None:
        self.copy_paths([result])

    def open_containing_folder(self, result: FileResult) -> None:
        folder = os.path.dirname(self.target_file(result))
        if not os.path.isdir(folder):
            folder = os.path.dirname(os.path.join(self._source, result.path))
        open_folder(self, folder)

    # --- export --------------------------------------------------------------------------

    @Slot()
    def _on_exportButton_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the log"), self.export_start_path(), self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_log(path)

    def export_start_path(self) -> str:
        """Where the save dialog opens: the last export's folder, else the copy's target."""
        folder = self.settings.export_folder()
        if not folder or not os.path.isdir(folder):
            folder = self._target if os.path.isdir(self._target) else os.path.expanduser("~")
        return os.path.join(folder, "ferry-log.csv")

    def export_log(self, path: str) -> None:
        """Write the rows the filter shows, with the run each belongs to and its verify state."""
        # The engine's English reasons, untranslated: the CSV is a machine-readable log
        # (the same text as the CLI's --json), not a view of the window.
        model, shown = self.logModel, self.logProxy
        rows = (shown.source_row(row) for row in range(shown.rowCount()))
        try:
            records = ((model.result(r), model.run(r), model.verify_word(r)) for r in rows)
            written = write_log_csv(path, records)
        except OSError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Export failed"),
                f"{os_error_text(exc.strerror or str(exc))}:\n{printable(str(exc.filename))}",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("exportFailedDialog")
            box.setTextFormat(Qt.TextFormat.PlainText)  # a folder named <a href=...> stays text
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return
        self.settings.set_export_folder(os.path.dirname(os.path.abspath(path)))
        name = printable(os.path.basename(path))
        self.exportedLabel.setText(fill(self.tr("Saved %Ln row(s) to %1.", "", written), name))
        self.exportedLabel.setToolTip(plain_tip(printable(os.path.abspath(path))))
        self.exportedLabel.show()


# What a shell does not read as itself: a space splits, $ and ` run commands, ; & | end
# one, quotes, globs, # and the rest change it. A path holding one is pasted quoted.
_SHELL_SPECIAL = re.compile(r"[^\w@%+=:,./-]")


def pasted(path: str, quoted: bool = False) -> str:
    """A path as clipboard text a shell reads back as that path, and as nothing else: as
    it is where it holds nothing a shell reads otherwise; '...' where it shows as it is
    (as `ls` quotes it: `x; rm -r ~ #` must not run, nor `a ` read as `a`); else, or if
    `quoted`, as $'...\\xff...': an undecodable byte, a newline (two paths) or an
    invisible character must not name another, existing file."""
    if quoted or not shows_as_is(path):
        return "$'" + "".join(map(_shell_char, path)) + "'"
    if _SHELL_SPECIAL.search(path):
        return "'" + path.replace("'", "'\\''") + "'"
    return path


def _shell_char(char: str) -> str:
    if char in "\\'":
        return "\\" + char
    if shows_as_is(char):
        return char
    # Its bytes (UTF-8, or the undecodable byte itself), as the shell reads \xNN: one
    # byte each, whatever the locale (\xa0 is the byte, not U+00A0).
    return "".join(f"\\x{byte:02x}" for byte in os.fsencode(char))
