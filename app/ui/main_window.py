"""The Ferry window: pick two folders, press Start, watch every file land live."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QSystemTrayIcon,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.events import ConflictQuestion, FileResult, FileStatus, Progress, display_path
from app.core.options import ConflictPolicy, CopyOptions, default_workers
from app.core.reasons import Reason
from app.core.report import EXIT_REFUSED, CopyReport
from app.ui.conflict_dialog import ConflictDialog
from app.ui.controller import CopyController
from app.ui.folder_edit import FileCounter, FolderEdit
from app.ui.format import human_bytes, human_count, human_duration, human_speed
from app.ui.log_model import LogFilter, LogModel
from app.ui.reasons import engine_text
from app.ui.resources import resource_path
from app.ui.settings import Settings
from app.ui.speed_graph import SpeedGraph

PERMILLE = 1000  # the bar runs 0..1000: QProgressBar takes a 32-bit int, totals can be TiB
BIG_FILE = 8 << 20  # files at least this big get their own progress bar while copying
SPEED_SMOOTHING = 0.3  # weight of the newest sample in the smoothed speed
MAX_FAILURES_SHOWN = 500  # the summary lists this many; the log (filter Failed) has all


class MainWindow(QMainWindow):
    """The window. Everything the user sees; the copying itself runs in CopyController."""

    def __init__(
        self,
        settings: Settings | None = None,
        source: str | None = None,
        target: str | None = None,
        exit_when_done: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or Settings()
        self.exit_when_done = exit_when_done
        self.controller = CopyController()
        self.report: CopyReport | None = None
        self.last_progress: Progress | None = None
        self.last_notification = ""
        self._job_source = ""
        self._job_target = ""
        self._paused = False
        self._cancelling = False
        self._close_when_done = False
        self._questions: list[ConflictQuestion] = []
        self._conflicts_for_all = False
        self._speed = 0.0
        self._last_sample: tuple[float, int] | None = None
        self._tray: QSystemTrayIcon | None = None
        self._plan_files: tuple[int, bool] | None = None
        self._close_box: QMessageBox | None = None

        self._build()
        self._connect()
        self._restore(source, target)
        self._set_running(False)
        self._validate()

    # --- construction ------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(self.tr("Ferry"))
        icon_file = resource_path("icons", "ferry-256.png")
        if icon_file.exists():
            self.setWindowIcon(QIcon(str(icon_file)))
        style = self.style()
        central = QWidget(self)
        self.setCentralWidget(central)
        layout = QVBoxLayout(central)
        layout.setSpacing(8)

        # Folders
        folders = QGridLayout()
        self.sourceEdit = FolderEdit()
        self.sourceEdit.setObjectName("sourceEdit")
        self.sourceEdit.setPlaceholderText(self.tr("Folder to copy (type, paste or drop)"))
        self.targetEdit = FolderEdit()
        self.targetEdit.setObjectName("targetEdit")
        self.targetEdit.setPlaceholderText(self.tr("Folder to copy into"))
        self.sourceBrowseButton = QPushButton(self.tr("Browse…"))
        self.sourceBrowseButton.setObjectName("sourceBrowseButton")
        self.targetBrowseButton = QPushButton(self.tr("Browse…"))
        self.targetBrowseButton.setObjectName("targetBrowseButton")
        self.sourceRecentButton = self._recent_button("sourceRecentButton")
        self.targetRecentButton = self._recent_button("targetRecentButton")
        source_label = QLabel(self.tr("&From:"))
        source_label.setBuddy(self.sourceEdit)
        target_label = QLabel(self.tr("&To:"))
        target_label.setBuddy(self.targetEdit)
        folders.addWidget(source_label, 0, 0)
        folders.addWidget(self.sourceEdit, 0, 1)
        folders.addWidget(self.sourceRecentButton, 0, 2)
        folders.addWidget(self.sourceBrowseButton, 0, 3)
        folders.addWidget(target_label, 1, 0)
        folders.addWidget(self.targetEdit, 1, 1)
        folders.addWidget(self.targetRecentButton, 1, 2)
        folders.addWidget(self.targetBrowseButton, 1, 3)
        folders.setColumnStretch(1, 1)
        layout.addLayout(folders)

        self.planLabel = QLabel()
        self.planLabel.setObjectName("planLabel")
        self.planLabel.setWordWrap(True)
        self.planLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.problemLabel = QLabel()
        self.problemLabel.setObjectName("problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.problemLabel.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.planLabel)
        layout.addWidget(self.problemLabel)

        # Options
        self.optionsBox = QGroupBox(self.tr("Options"))
        self.optionsBox.setObjectName("optionsBox")
        options = QFormLayout(self.optionsBox)
        options.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.conflictCombo = QComboBox()
        self.conflictCombo.setObjectName("conflictCombo")
        for text, policy in (
            (self.tr("Ask me"), ConflictPolicy.ASK),
            (self.tr("Replace if the source is newer"), ConflictPolicy.NEWER),
            (self.tr("Skip"), ConflictPolicy.SKIP),
            (self.tr("Replace"), ConflictPolicy.OVERWRITE),
            (self.tr("Keep both"), ConflictPolicy.RENAME),
        ):
            self.conflictCombo.addItem(text, policy.value)
        self.followSymlinksCheck = QCheckBox(self.tr("Follow symbolic links"))
        self.followSymlinksCheck.setObjectName("followSymlinksCheck")
        self.fsyncCheck = QCheckBox(self.tr("Flush each file to disk (slower, safer)"))
        self.fsyncCheck.setObjectName("fsyncCheck")
        self.workersSpin = QSpinBox()
        self.workersSpin.setObjectName("workersSpin")
        self.workersSpin.setRange(0, 64)
        self.workersSpin.setSpecialValueText(
            self.tr("Automatic (%1)").replace("%1", str(default_workers()))
        )
        checks = QHBoxLayout()
        checks.addWidget(self.followSymlinksCheck)
        checks.addWidget(self.fsyncCheck)
        checks.addStretch(1)
        options.addRow(self.tr("When a file exists:"), self.conflictCombo)
        options.addRow(self.tr("Parallel workers:"), self.workersSpin)
        options.addRow(checks)
        layout.addWidget(self.optionsBox)

        # Controls
        controls = QHBoxLayout()
        self.startButton = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), "")
        self.startButton.setObjectName("startButton")
        self.startButton.setText(self.tr("&Start"))
        self.startButton.setShortcut(QKeySequence("Ctrl+Return"))
        self.startButton.setToolTip(self.tr("Start copying (Ctrl+Enter)"))
        self.startButton.setDefault(True)
        self.pauseButton = QPushButton(self.tr("&Pause"))
        self.pauseButton.setObjectName("pauseButton")
        self.pauseButton.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))
        self.pauseButton.setShortcut(QKeySequence("Ctrl+P"))
        self.pauseButton.setToolTip(self.tr("Pause or resume (Ctrl+P)"))
        self.cancelButton = QPushButton(self.tr("&Cancel"))
        self.cancelButton.setObjectName("cancelButton")
        self.cancelButton.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop))
        self.cancelButton.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancelButton.setToolTip(self.tr("Stop copying (Esc)"))
        controls.addStretch(1)
        controls.addWidget(self.startButton)
        controls.addWidget(self.pauseButton)
        controls.addWidget(self.cancelButton)
        layout.addLayout(controls)

        # Progress
        self.totalProgress = QProgressBar()
        self.totalProgress.setObjectName("totalProgress")
        self.totalProgress.setRange(0, PERMILLE)
        self.totalProgress.setValue(0)
        self.totalProgress.setFormat("%p%")
        self.statusLabel = QLabel(self.tr("Ready."))
        self.statusLabel.setObjectName("statusLabel")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.currentLabel = QLabel()
        self.currentLabel.setObjectName("currentLabel")
        self.currentLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.currentLabel.setMinimumWidth(100)
        self.fileProgress = QProgressBar()
        self.fileProgress.setObjectName("fileProgress")
        self.fileProgress.setRange(0, PERMILLE)
        self.fileProgress.setMaximumWidth(160)
        self.fileProgress.setMaximumHeight(14)
        self.fileProgress.setTextVisible(False)
        self.fileProgress.hide()
        current = QHBoxLayout()
        current.addWidget(self.currentLabel, 1)
        current.addWidget(self.fileProgress)
        self.noticeLabel = QLabel()
        self.noticeLabel.setObjectName("noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.noticeLabel.setStyleSheet("color: #b9770e;")
        self.noticeLabel.hide()
        self.speedGraph = SpeedGraph()
        self.speedGraph.setObjectName("speedGraph")
        layout.addWidget(self.totalProgress)
        layout.addWidget(self.statusLabel)
        layout.addLayout(current)
        layout.addWidget(self.speedGraph)
        layout.addWidget(self.noticeLabel)

        # Summary, shown at the end
        self.summaryPanel = QFrame()
        self.summaryPanel.setObjectName("summaryPanel")
        self.summaryPanel.setFrameShape(QFrame.Shape.StyledPanel)
        summary = QVBoxLayout(self.summaryPanel)
        self.summaryLabel = QLabel()
        self.summaryLabel.setObjectName("summaryLabel")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summaryLabel.font()
        font.setBold(True)
        self.summaryLabel.setFont(font)
        self.summaryDetails = QLabel()
        self.summaryDetails.setObjectName("summaryDetails")
        self.summaryDetails.setWordWrap(True)
        self.summaryDetails.setTextFormat(Qt.TextFormat.PlainText)
        self.failuresList = QListWidget()
        self.failuresList.setObjectName("failuresList")
        self.failuresList.setMaximumHeight(110)
        self.retryButton = QPushButton(self.tr("&Retry failed"))
        self.retryButton.setObjectName("retryButton")
        self.retryButton.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.openTargetButton = QPushButton(self.tr("Open target folder"))
        self.openTargetButton.setObjectName("openTargetButton")
        summary_buttons = QHBoxLayout()
        summary_buttons.addStretch(1)
        summary_buttons.addWidget(self.openTargetButton)
        summary_buttons.addWidget(self.retryButton)
        summary.addWidget(self.summaryLabel)
        summary.addWidget(self.summaryDetails)
        summary.addWidget(self.failuresList)
        summary.addLayout(summary_buttons)
        self.summaryPanel.hide()
        layout.addWidget(self.summaryPanel)

        # Log
        log_bar = QHBoxLayout()
        self.logFilter = QComboBox()
        self.logFilter.setObjectName("logFilter")
        for _ in range(4):
            self.logFilter.addItem("")
        # Room for "Skipped (1,000,000)" in any language, without relayouts as counts grow.
        self.logFilter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.logFilter.setMinimumContentsLength(18)
        self.exportButton = QPushButton(self.tr("Export CSV…"))
        self.exportButton.setObjectName("exportButton")
        log_title = QLabel(self.tr("Files:"))
        log_bar.addWidget(log_title)
        log_bar.addWidget(self.logFilter)
        log_bar.addStretch(1)
        log_bar.addWidget(self.exportButton)
        layout.addLayout(log_bar)
        self.logModel = LogModel(self)
        self.logProxy = LogFilter(self)
        self.logProxy.setSourceModel(self.logModel)
        # A QTableView with fixed-height rows, not a QTreeView: QTreeView relayouts every
        # row on each insert (quadratic: 0.8 s per 2,000-row batch at 100,000 rows, seen).
        self.logView = QTableView()
        self.logView.setObjectName("logView")
        self.logView.setModel(self.logProxy)
        self.logView.setShowGrid(False)
        self.logView.setWordWrap(False)
        self.logView.setAlternatingRowColors(True)
        self.logView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.logView.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.logView.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.logView.setMinimumHeight(120)
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
        header.resizeSection(LogModel.REASON, 240)
        layout.addWidget(self.logView, 1)
        self._update_filter_texts()

        self.conflictDialog = ConflictDialog(self)
        self.counter = FileCounter(self)
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(250)

    def _recent_button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText("▾")
        button.setToolTip(self.tr("Recent folders"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(QMenu(button))
        return button

    def _connect(self) -> None:
        self.sourceBrowseButton.clicked.connect(self._on_sourceBrowseButton_clicked)
        self.targetBrowseButton.clicked.connect(self._on_targetBrowseButton_clicked)
        self.sourceEdit.textChanged.connect(self._on_sourceEdit_textChanged)
        self.targetEdit.textChanged.connect(self._on_targetEdit_textChanged)
        self.sourceEdit.editingFinished.connect(self._on_sourceEdit_editingFinished)
        self.sourceEdit.folderDropped.connect(self._on_sourceEdit_folderDropped)
        self.sourceRecentButton.menu().aboutToShow.connect(self._on_sourceRecentButton_aboutToShow)
        self.targetRecentButton.menu().aboutToShow.connect(self._on_targetRecentButton_aboutToShow)
        self.startButton.clicked.connect(self._on_startButton_clicked)
        self.pauseButton.clicked.connect(self._on_pauseButton_clicked)
        self.cancelButton.clicked.connect(self._on_cancelButton_clicked)
        self.retryButton.clicked.connect(self._on_retryButton_clicked)
        self.openTargetButton.clicked.connect(self._on_openTargetButton_clicked)
        self.exportButton.clicked.connect(self._on_exportButton_clicked)
        self.logFilter.currentIndexChanged.connect(self._on_logFilter_currentIndexChanged)
        self.logView.customContextMenuRequested.connect(self._on_logView_customContextMenuRequested)
        self.conflictCombo.currentIndexChanged.connect(self._on_options_changed)
        self.workersSpin.valueChanged.connect(self._on_options_changed)
        self.followSymlinksCheck.toggled.connect(self._on_options_changed)
        self.fsyncCheck.toggled.connect(self._on_options_changed)
        self.conflictDialog.decided.connect(self._on_conflictDialog_decided)
        self.counter.counted.connect(self._on_counter_counted)
        self._validate_timer.timeout.connect(self._on_validateTimer_timeout)
        self.controller.progress.connect(self._on_controller_progress)
        self.controller.filesFinished.connect(self._on_controller_filesFinished)
        self.controller.conflictAsked.connect(self._on_controller_conflictAsked)
        self.controller.notice.connect(self._on_controller_notice)
        self.controller.finished.connect(self._on_controller_finished)

    def _restore(self, source: str | None, target: str | None) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(880, 720)  # fallback: first start, or a screen that went away
        self.sourceEdit.setText(source if source is not None else self.settings.source())
        self.targetEdit.setText(target if target is not None else self.settings.target())
        self.set_options(self.settings.options())
        self.logFilter.setCurrentIndex(self.settings.log_filter())

    # --- options -----------------------------------------------------------------------

    def options(self) -> CopyOptions:
        return CopyOptions(
            workers=self.workersSpin.value(),
            on_conflict=ConflictPolicy(self.conflictCombo.currentData()),
            follow_symlinks=self.followSymlinksCheck.isChecked(),
            fsync=self.fsyncCheck.isChecked(),
        )

    def set_options(self, options: CopyOptions) -> None:
        index = self.conflictCombo.findData(options.on_conflict.value)
        self.conflictCombo.setCurrentIndex(max(0, index))
        self.workersSpin.setValue(options.workers)
        self.followSymlinksCheck.setChecked(options.follow_symlinks)
        self.fsyncCheck.setChecked(options.fsync)

    @Slot()
    def _on_options_changed(self) -> None:
        self.settings.set_options(self.options())

    # --- folders -----------------------------------------------------------------------

    def source(self) -> str:
        return os.path.expanduser(self.sourceEdit.text().strip())

    def target(self) -> str:
        return os.path.expanduser(self.targetEdit.text().strip())

    def suggested_target(self) -> str:
        source = self.source().rstrip(os.sep)
        return f"{source}_copy" if source else ""

    def _suggest_target(self) -> None:
        if not self.targetEdit.text().strip() and os.path.isdir(self.source()):
            self.targetEdit.setText(self.suggested_target())

    @Slot()
    def _on_sourceBrowseButton_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the folder to copy"), self.source() or os.path.expanduser("~")
        )
        if folder:
            self.sourceEdit.setText(folder)
            self._suggest_target()

    @Slot()
    def _on_targetBrowseButton_clicked(self) -> None:
        start = self.target() or os.path.dirname(self.source()) or os.path.expanduser("~")
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose where to copy it"), start)
        if folder:
            self.targetEdit.setText(folder)

    @Slot(str)
    def _on_sourceEdit_textChanged(self, text: str) -> None:
        self.targetEdit.setPlaceholderText(
            self.tr("Folder to copy into, e.g. %1").replace("%1", self.suggested_target())
            if text.strip()
            else self.tr("Folder to copy into")
        )
        self._plan_files = None
        self._validate_timer.start()

    @Slot(str)
    def _on_targetEdit_textChanged(self, text: str) -> None:
        self._validate_timer.start()

    @Slot()
    def _on_sourceEdit_editingFinished(self) -> None:
        self._suggest_target()

    @Slot(str)
    def _on_sourceEdit_folderDropped(self, folder: str) -> None:
        self._suggest_target()

    def _fill_recent(self, edit: FolderEdit, menu: QMenu) -> None:
        menu.clear()
        recent = self.settings.recent()
        if not recent:
            action = menu.addAction(self.tr("No recent folders"))
            action.setEnabled(False)
        for folder in recent:
            action = menu.addAction(folder)
            action.setData(folder)
            action.triggered.connect(lambda _=False, f=folder, e=edit: e.setText(f))

    @Slot()
    def _on_sourceRecentButton_aboutToShow(self) -> None:
        self._fill_recent(self.sourceEdit, self.sourceRecentButton.menu())

    @Slot()
    def _on_targetRecentButton_aboutToShow(self) -> None:
        self._fill_recent(self.targetEdit, self.targetRecentButton.menu())

    # --- the plan sentence and inline problems ---------------------------------------

    @Slot()
    def _on_validateTimer_timeout(self) -> None:
        self._validate()

    def problem(self) -> str:
        """Why Start cannot be pressed now, as a sentence ("" if it can)."""
        source, target = self.source(), self.target()
        if not source:
            return ""
        if not os.path.exists(source):
            return self.tr("The source folder does not exist.")
        if not os.path.isdir(source):
            return self.tr("The source is a file, not a folder.")
        if not target:
            return ""
        if os.path.exists(target) and not os.path.isdir(target):
            return self.tr("The target is a file, not a folder.")
        real_source = os.path.realpath(source)
        real_target = os.path.realpath(target)
        if real_target == real_source:
            return self.tr("The target is the source folder itself.")
        if real_target.startswith(real_source.rstrip(os.sep) + os.sep):
            return self.tr("The target is inside the source folder; the copy would never end.")
        return ""

    def _validate(self) -> None:
        problem = self.problem()
        self.problemLabel.setText(problem)
        self.problemLabel.setVisible(bool(problem))
        ready = bool(self.source() and self.target() and not problem)
        if not self.controller.is_running():
            self.startButton.setEnabled(ready)
        if problem or not self.source():
            self.planLabel.setText(self.tr("Choose a folder to copy and where to copy it."))
            return
        if self._plan_files is None:
            self._plan_files = (-1, False)
            self.counter.count(self.source())
        self._update_plan()

    def _update_plan(self) -> None:
        source_name = os.path.basename(self.source().rstrip(os.sep)) or self.source()
        target = self.target()
        if not target:
            self.planLabel.setText(self.tr("Now choose where to copy it."))
            return
        target_name = os.path.basename(target.rstrip(os.sep)) or target
        if not os.path.exists(target):
            target_name = self.tr("%1 (a new folder)").replace("%1", target_name)
        files, complete = self._plan_files or (-1, False)
        if files < 0:
            text = self.tr("Copy everything inside %1 into %2.")
        elif complete:
            text = self.tr("Copy the %Ln file(s) inside %1 into %2.", "", files)
        else:
            text = self.tr("Copy more than %Ln file(s) inside %1 into %2.", "", files)
        self.planLabel.setText(text.replace("%1", source_name).replace("%2", target_name))

    @Slot(int, object, bool)
    def _on_counter_counted(self, generation: int, files: int, complete: bool) -> None:
        if generation != self.counter.generation:
            return
        self._plan_files = (int(files), complete)
        if not self.problem() and self.source():
            self._update_plan()

    # --- running a job -----------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        for edit in (self.sourceEdit, self.targetEdit):
            edit.setReadOnly(running)  # still legible (disabled text is faint grey)
            edit.setClearButtonEnabled(not running)
        for widget in (
            self.sourceBrowseButton,
            self.targetBrowseButton,
            self.sourceRecentButton,
            self.targetRecentButton,
            self.optionsBox,
            self.retryButton,
        ):
            widget.setEnabled(not running)
        self.pauseButton.setEnabled(running)
        self.cancelButton.setEnabled(running)
        self.startButton.setEnabled(not running and not self.problem() and bool(self.target()))
        if not running:
            self.pauseButton.setText(self.tr("&Pause"))
            self.pauseButton.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause))

    def start(self) -> bool:
        """Start copying what the fields say; False (with the reason shown) if impossible."""
        if self.controller.is_running():
            return False
        self._validate()
        if self.problem() or not self.source() or not self.target():
            return False
        source, target = self.source(), self.target()
        self.settings.set_folders(source, target)
        self.settings.add_recent(source, target)
        self.settings.set_options(self.options())
        self._begin(source, target, None)
        return True

    def _begin(self, source: str, target: str, only: list[str] | None) -> None:
        self._job_source, self._job_target = source, target
        self.report = None
        self.last_progress = None
        self._paused = False
        self._cancelling = False
        self._questions = []
        self._conflicts_for_all = False
        self._speed = 0.0
        self._last_sample = None
        self.logModel.clear()
        self._update_filter_texts()
        self.speedGraph.clear()
        self.summaryPanel.hide()
        self.noticeLabel.hide()
        self.noticeLabel.clear()
        self.totalProgress.setValue(0)
        self.currentLabel.clear()
        self.fileProgress.hide()
        self.statusLabel.setText(self.tr("Scanning…"))
        self._set_running(True)
        self.controller.start(source, target, self.options(), only)

    @Slot()
    def _on_startButton_clicked(self) -> None:
        self.start()

    @Slot()
    def _on_pauseButton_clicked(self) -> None:
        if not self.controller.is_running():
            return
        self._paused = not self._paused
        style = self.style()
        if self._paused:
            self.controller.pause()
            self.pauseButton.setText(self.tr("&Resume"))
            self.pauseButton.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
            self.statusLabel.setText(self.tr("Pausing…"))
        else:
            self.controller.resume()
            self.pauseButton.setText(self.tr("&Pause"))
            self.pauseButton.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause))

    @Slot()
    def _on_cancelButton_clicked(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        if not self.controller.is_running():
            return
        self._cancelling = True
        self.controller.cancel()
        self.controller.resume()  # a paused job must wake up to notice the cancel
        self.cancelButton.setEnabled(False)
        self.pauseButton.setEnabled(False)
        self.statusLabel.setText(self.tr("Cancelling…"))
        self._close_conflict_dialog()

    # --- what the controller reports -------------------------------------------------

    @Slot(object)
    def _on_controller_progress(self, p: Progress) -> None:
        self.last_progress = p
        if p.bytes_total > 0:
            value = PERMILLE * p.bytes_done // p.bytes_total
        elif p.files_total > 0:
            value = PERMILLE * p.files_done // p.files_total
        else:
            value = PERMILLE if p.scan_done else 0
        self.totalProgress.setValue(min(PERMILLE, max(0, value)))
        if self._last_sample is not None:
            dt = p.elapsed - self._last_sample[0]
            if dt > 0:
                instant = max(0, p.bytes_done - self._last_sample[1]) / dt
                self._speed = (
                    instant
                    if self._speed == 0
                    else SPEED_SMOOTHING * instant + (1 - SPEED_SMOOTHING) * self._speed
                )
                self.speedGraph.add_sample(p.elapsed, self._speed)
        if self._last_sample is None or p.elapsed > self._last_sample[0]:
            self._last_sample = (p.elapsed, p.bytes_done)
        if self._cancelling:
            return
        self.statusLabel.setText(self._status_text(p))
        self._show_active(p)
        percent = self.totalProgress.value() // 10
        self.setWindowTitle(self.tr("%1% — Ferry").replace("%1", str(percent)))

    def _status_text(self, p: Progress) -> str:
        more = "" if p.scan_done else "+"
        parts = [
            self.tr("%1 of %2 files")
            .replace("%1", human_count(p.files_done))
            .replace("%2", human_count(p.files_total) + more),
            self.tr("%1 of %2")
            .replace("%1", human_bytes(p.bytes_done))
            .replace("%2", human_bytes(p.bytes_total) + more),
            human_speed(self._speed),
        ]
        remaining = p.bytes_total - p.bytes_done
        if p.scan_done and self._speed > 0 and remaining > 0:
            parts.append(self.tr("%1 left").replace("%1", human_duration(remaining / self._speed)))
        text = " · ".join(parts)
        if p.paused:
            return self.tr("Paused — %1").replace("%1", text)
        if p.scan_done and p.files_done >= p.files_total and not self._questions:
            return self.tr("Flushing to disk — %1").replace("%1", text)
        return text

    def _show_active(self, p: Progress) -> None:
        if not p.active:
            self.currentLabel.clear()
            self.fileProgress.hide()
            return
        active = sorted(p.active, key=lambda a: a.size, reverse=True)
        first = active[0]
        text = self.tr("Copying %1").replace("%1", display_path(first.path))
        if len(active) > 1:
            text += " " + self.tr("(and %n more)", "", len(active) - 1)
        metrics = self.currentLabel.fontMetrics()
        width = max(100, self.currentLabel.width())
        self.currentLabel.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width))
        self.currentLabel.setToolTip("\n".join(display_path(a.path) for a in active))
        if first.size >= BIG_FILE:
            self.fileProgress.setValue(min(PERMILLE, PERMILLE * first.done // first.size))
            self.fileProgress.setToolTip(
                self.tr("%1 of %2")
                .replace("%1", human_bytes(first.done))
                .replace("%2", human_bytes(first.size))
            )
            self.fileProgress.show()
        else:
            self.fileProgress.hide()

    @Slot(object)
    def _on_controller_filesFinished(self, results: list[FileResult]) -> None:
        bar = self.logView.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 2
        self.logModel.append(results)
        self._update_filter_texts()
        if follow:
            self.logView.scrollToBottom()

    def _update_filter_texts(self) -> None:
        names = {
            LogFilter.ALL: self.tr("All (%1)"),
            LogFilter.COPIED: self.tr("Copied (%1)"),
            LogFilter.SKIPPED: self.tr("Skipped (%1)"),
            LogFilter.FAILED: self.tr("Failed (%1)"),
        }
        for kind, name in names.items():
            count = human_count(self.logProxy.count(kind))
            self.logFilter.setItemText(kind, name.replace("%1", count))

    @Slot(object)
    def _on_controller_conflictAsked(self, question: ConflictQuestion) -> None:
        if self._conflicts_for_all or self._cancelling:
            return  # the engine already applied the "for all" answer to this one
        self._questions.append(question)
        if not self.conflictDialog.isVisible() or self.conflictDialog.question() is None:
            self._ask_next()
        else:
            self.conflictDialog.ask(
                self.conflictDialog.question() or question, len(self._questions) - 1
            )

    def _ask_next(self) -> None:
        if not self._questions:
            self._close_conflict_dialog()
            return
        self.conflictDialog.ask(self._questions[0], len(self._questions) - 1)
        if not self.isActiveWindow():
            self._notify(
                self.tr("Ferry needs you"), self.tr("A file already exists in the target.")
            )

    def _close_conflict_dialog(self) -> None:
        self._questions = []
        if self.conflictDialog.isVisible():
            self.conflictDialog.accept()

    @Slot(int, str, bool)
    def _on_conflictDialog_decided(self, conflict_id: int, decision: str, for_all: bool) -> None:
        self.controller.resolve_conflict(conflict_id, ConflictPolicy(decision), for_all)
        self._questions = [q for q in self._questions if q.conflict_id != conflict_id]
        if for_all:
            self._conflicts_for_all = True
            self._questions = []
        self._ask_next()

    @Slot(object)
    def _on_controller_notice(self, why: Reason) -> None:
        message = engine_text(why)
        current = self.noticeLabel.text()
        self.noticeLabel.setText(f"{current}\n{message}" if current else message)
        self.noticeLabel.show()

    @Slot(object)
    def _on_controller_finished(self, report: CopyReport) -> None:
        self.report = report
        self._close_conflict_dialog()
        self._set_running(False)
        self.currentLabel.clear()
        self.fileProgress.hide()
        self.setWindowTitle(self.tr("Ferry"))
        self._show_summary(report)
        if self._close_when_done:
            self._close_when_done = False
            self.close()
            return
        if self.exit_when_done:
            QApplication.exit(report.exit_code())
            return
        self._notify(self.tr("Ferry"), self.summaryLabel.text())

    def _show_summary(self, report: CopyReport) -> None:
        copied = report.count(FileStatus.COPIED) + report.count(FileStatus.RENAMED)
        skipped = report.count(FileStatus.SKIPPED)
        failures = report.failures()
        if report.refused:
            headline = self.tr("Nothing was copied: %1").replace("%1", engine_text(report.refused))
            self.statusLabel.setText(headline)
        elif report.cancelled:
            headline = self.tr(
                "Cancelled. Files already copied are complete; nothing is half-written."
            )
            self.statusLabel.setText(self.tr("Cancelled."))
        elif failures:
            headline = self.tr("Done, but %n file(s) could not be copied.", "", len(failures))
            self.statusLabel.setText(self.tr("Done, with failures."))
        else:
            headline = self.tr("Done. Everything is on disk.")
            self.statusLabel.setText(self.tr("Done."))
        if not report.refused and not report.cancelled:
            self.totalProgress.setValue(PERMILLE)
        details = self.tr("%1 copied, %2 skipped, %3 failed · %4 in %5 · average %6")
        for marker, value in (
            ("%1", human_count(copied)),
            ("%2", human_count(skipped)),
            ("%3", human_count(len(failures))),
            ("%4", human_bytes(report.bytes_copied)),
            ("%5", human_duration(report.seconds)),
            ("%6", human_speed(report.speed)),
        ):
            details = details.replace(marker, value)
        if report.notices:
            details += "\n" + "\n".join(engine_text(notice) for notice in report.notices)
        self.summaryLabel.setText(headline)
        self.summaryDetails.setText("" if report.refused else details)
        self.failuresList.clear()
        for failure in failures[:MAX_FAILURES_SHOWN]:
            reason = engine_text(failure.why)
            self.failuresList.addItem(f"{display_path(failure.path)} — {reason}")
        if len(failures) > MAX_FAILURES_SHOWN:
            self.failuresList.addItem(
                self.tr(
                    "… and %n more (filter the log by Failed)",
                    "",
                    len(failures) - MAX_FAILURES_SHOWN,
                )
            )
        self.failuresList.setVisible(bool(failures))
        self.retryButton.setVisible(bool(failures))
        self.retryButton.setEnabled(bool(failures))
        self.openTargetButton.setVisible(not report.refused)
        self.summaryPanel.show()

    @Slot()
    def _on_retryButton_clicked(self) -> None:
        if self.report is None or self.controller.is_running():
            return
        failed = [failure.path for failure in self.report.failures()]
        if failed:
            self._begin(self.report.source, self.report.target, failed)

    @Slot()
    def _on_openTargetButton_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self._job_target or self.target()))

    def _notify(self, title: str, message: str) -> None:
        """Tell a user who is looking elsewhere: a tray message, else a taskbar alert."""
        if self.isActiveWindow():
            return
        self.last_notification = message
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
            self._tray.show()
            self._tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        else:
            QApplication.alert(self)

    # --- the log -----------------------------------------------------------------------

    @Slot(int)
    def _on_logFilter_currentIndexChanged(self, index: int) -> None:
        self.logProxy.set_kind(index)
        self.settings.set_log_filter(index)

    def selected_results(self) -> list[FileResult]:
        rows = sorted({index.row() for index in self.logView.selectionModel().selectedRows()})
        return [
            self.logModel.result(self.logProxy.mapToSource(self.logProxy.index(r, 0)).row())
            for r in rows
        ]

    @Slot(QPoint)
    def _on_logView_customContextMenuRequested(self, pos: QPoint) -> None:
        index = self.logView.indexAt(pos)
        if not index.isValid():
            return
        result = self.logModel.result(self.logProxy.mapToSource(index).row())
        menu = QMenu(self)
        copy_action = menu.addAction(self.tr("Copy path"))
        open_action = menu.addAction(self.tr("Open containing folder"))
        chosen = menu.exec(self.logView.viewport().mapToGlobal(pos))
        if chosen is copy_action:
            self.copy_path(result)
        elif chosen is open_action:
            self.open_containing_folder(result)

    def target_file(self, result: FileResult) -> str:
        relative = result.target_path or result.path
        return os.path.join(self._job_target, relative)

    def copy_path(self, result: FileResult) -> None:
        QGuiApplication.clipboard().setText(display_path(self.target_file(result)))

    def open_containing_folder(self, result: FileResult) -> None:
        folder = os.path.dirname(self.target_file(result))
        if not os.path.isdir(folder):
            folder = os.path.dirname(os.path.join(self._job_source, result.path))
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    @Slot()
    def _on_exportButton_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the log"),
            os.path.join(os.path.expanduser("~"), "ferry-log.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if path:
            self.export_log(path)

    def export_log(self, path: str) -> None:
        # The engine's English reasons, untranslated: the CSV is a machine-readable log
        # (the same text as the CLI's --json), not a view of the window.
        report = CopyReport(self._job_source, self._job_target, tuple(self.logModel.results()))
        try:
            report.write_csv(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), f"{exc.strerror}: {exc.filename}")

    # --- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.is_running():
            event.ignore()
            if not self._close_when_done:
                self._confirm_close()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_folders(self.source(), self.target())
        self.settings.sync()
        if self._tray is not None:
            self._tray.hide()
        self.conflictDialog.hide()
        self.controller.shutdown()
        event.accept()

    def _confirm_close(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Cancel the copy?"),
            self.tr("A copy is running. Cancel it and close Ferry?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("closeConfirmDialog")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Cancel copy and close"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep copying"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_closeConfirmDialog_finished)
        self._close_box = box
        box.open()

    @Slot(int)
    def _on_closeConfirmDialog_finished(self, result: int) -> None:
        box, self._close_box = self._close_box, None
        if box is None:
            return
        yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        if yes and self.controller.is_running():
            self._close_when_done = True
            self.cancel()


def refuse_to_start(window: MainWindow) -> int:
    """--start with --exit-when-done, but the fields cannot start: say why, exit 2."""
    problem = window.problem() or QCoreApplication.translate(
        "MainWindow", "Both a source and a target folder are needed."
    )
    sys.stderr.write(f"ferry: {problem}\n")
    return EXIT_REFUSED
