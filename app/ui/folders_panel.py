"""The two folders (From, To) with browse and recent buttons, the plan sentence, problems."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.events import printable
from app.core.filters import Filters
from app.core.options import CopyOptions
from app.core.target import problem
from app.ui.folder_edit import FileCounter, FolderEdit
from app.ui.format import fill, human_bytes
from app.ui.outcome import message_text
from app.ui.settings import Settings
from app.ui.tones import Tone, ToneLabel

VALIDATE_AFTER_MS = 250  # typing pauses this long before paths are checked and counted


class FoldersPanel(QWidget):
    """Where from and where to, and what pressing Start would do.

    Signals:
        edited(): the text of a folder field changed.
        startRequested(): Enter in a folder field (the window starts if it can).
        validated(): the fields were checked; problem() and is_ready() are current.
    """

    edited = Signal()
    startRequested = Signal()
    validated = Signal()

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.setObjectName("foldersPanel")
        self.settings = settings
        self._plan: tuple[int, int, bool] | None = None  # files, bytes, complete
        self._follow_symlinks = False
        self._filters = Filters()
        self._move = self._mirror = False  # the plan sentence says what Start will do
        self._problem = ""
        self._running = False

        self.sourceEdit = FolderEdit()
        self.sourceEdit.setObjectName("sourceEdit")
        self.sourceEdit.setPlaceholderText(self.tr("Folder to copy (type, paste or drop)"))
        self.targetEdit = FolderEdit()
        self.targetEdit.setObjectName("targetEdit")
        self.targetEdit.setPlaceholderText(self.tr("Folder to copy into"))
        self.sourceBrowseButton = QPushButton(self.tr("&Browse…"))
        self.sourceBrowseButton.setObjectName("sourceBrowseButton")
        self.targetBrowseButton = QPushButton(self.tr("Bro&wse…"))
        self.targetBrowseButton.setObjectName("targetBrowseButton")
        self.sourceRecentButton = self._recent_button("sourceRecentButton")
        self.targetRecentButton = self._recent_button("targetRecentButton")
        source_label = QLabel(self.tr("&From:"))
        source_label.setBuddy(self.sourceEdit)
        target_label = QLabel(self.tr("&To:"))
        target_label.setBuddy(self.targetEdit)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for row, (label, edit, recent, browse) in enumerate(
            (
                (source_label, self.sourceEdit, self.sourceRecentButton, self.sourceBrowseButton),
                (target_label, self.targetEdit, self.targetRecentButton, self.targetBrowseButton),
            )
        ):
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(recent, row, 2)
            grid.addWidget(browse, row, 3)
        grid.setColumnStretch(1, 1)
        # Said by screen readers: two "Browse…" and two arrows told nothing apart.
        self.sourceEdit.setAccessibleName(self.tr("Folder to copy"))
        self.targetEdit.setAccessibleName(self.tr("Folder to copy into"))
        self.sourceBrowseButton.setAccessibleName(self.tr("Choose the folder to copy"))
        self.targetBrowseButton.setAccessibleName(self.tr("Choose where to copy it"))
        self.sourceRecentButton.setAccessibleName(self.tr("Recent folders to copy"))
        self.targetRecentButton.setAccessibleName(self.tr("Recent folders to copy into"))

        self.planLabel = QLabel()
        self.planLabel.setObjectName("planLabel")
        self.planLabel.setWordWrap(True)
        self.planLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.problemLabel = ToneLabel(Tone.PROBLEM)
        self.problemLabel.setObjectName("problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.planLabel)
        layout.addWidget(self.problemLabel)

        # No Qt parent: its thread may end after the window is deleted, and would then
        # emit from a deleted object (it raised there). Python keeps it while it counts.
        self.counter = FileCounter()
        self._validateTimer = QTimer(self)
        self._validateTimer.setSingleShot(True)
        self._validateTimer.setInterval(VALIDATE_AFTER_MS)

        self.sourceBrowseButton.clicked.connect(self._on_sourceBrowseButton_clicked)
        self.targetBrowseButton.clicked.connect(self._on_targetBrowseButton_clicked)
        self.sourceEdit.textChanged.connect(self._on_sourceEdit_textChanged)
        self.targetEdit.textChanged.connect(self._on_targetEdit_textChanged)
        self.sourceEdit.editingFinished.connect(self._on_sourceEdit_editingFinished)
        self.sourceEdit.folderDropped.connect(self._on_sourceEdit_folderDropped)
        self.sourceRecentButton.clicked.connect(self._on_sourceRecentButton_clicked)
        self.targetRecentButton.clicked.connect(self._on_targetRecentButton_clicked)
        self.sourceEdit.returnPressed.connect(self.startRequested)
        self.targetEdit.returnPressed.connect(self.startRequested)
        self.counter.counted.connect(self._on_counter_counted)
        self._validateTimer.timeout.connect(self._on_validateTimer_timeout)

    def _recent_button(self, name: str) -> QToolButton:
        # The button draws one arrow itself; a text "▾" plus a menu's indicator drew two.
        button = QToolButton()
        button.setObjectName(name)
        button.setArrowType(Qt.ArrowType.DownArrow)
        button.setToolTip(self.tr("Recent folders"))
        return button

    # --- the fields ----------------------------------------------------------------------

    # As typed: a folder's name may end in a space ("photos " is not "photos").
    def source(self) -> str:
        return os.path.expanduser(self.sourceEdit.text())

    def target(self) -> str:
        return os.path.expanduser(self.targetEdit.text())

    def recount(self) -> None:
        """Count again (a copy made the target, a move emptied the source)."""
        self._plan = None
        self._validateTimer.start()

    def first_empty_field(self) -> FolderEdit:
        """Where a person starts typing: the first folder still to choose (From if both
        are chosen)."""
        if self.sourceEdit.text() and not self.targetEdit.text():
            return self.targetEdit
        return self.sourceEdit

    def set_folders(self, source: str, target: str) -> None:
        self.sourceEdit.setText(source)
        self.targetEdit.setText(target)

    def suggested_target(self) -> str:
        source = self.source().rstrip(os.sep)
        return f"{source}_copy" if source else ""

    def _suggest_target(self) -> None:
        if not self.targetEdit.text().strip() and os.path.isdir(self.source()):
            self.targetEdit.setText(self.suggested_target())
            # Selected, so typing replaces it: the source may finish its editing only
            # once the focus is in this field already (Alt+T with its list open).
            self.targetEdit.selectAll()

    def set_running(self, running: bool) -> None:
        self._running = running
        self.sourceEdit.set_running(running)
        self.targetEdit.set_running(running)
        for button in (
            self.sourceBrowseButton,
            self.targetBrowseButton,
            self.sourceRecentButton,
            self.targetRecentButton,
        ):
            button.setEnabled(not running)

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
            fill(self.tr("Folder to copy into, e.g. %1"), self.suggested_target())
            if text.strip()
            else self.tr("Folder to copy into")
        )
        self._plan = None
        self._validateTimer.start()
        self.edited.emit()

    @Slot(str)
    def _on_targetEdit_textChanged(self, text: str) -> None:
        self._validateTimer.start()
        self.edited.emit()

    @Slot()
    def _on_sourceEdit_editingFinished(self) -> None:
        self._suggest_target()

    @Slot(str)
    def _on_sourceEdit_folderDropped(self, folder: str) -> None:
        self._suggest_target()

    def recent_folders(self, button: QToolButton) -> list[str]:
        """The folders a recent button offers: sources and targets each have their own.
        Not a relative path an older Ferry remembered: the field refuses it."""
        if button is self.sourceRecentButton:
            recent = self.settings.recent_sources()
        else:
            recent = self.settings.recent_targets()
        return [folder for folder in recent if os.path.isabs(folder)]

    def _show_recent(self, button: QToolButton, edit: FolderEdit) -> QMenu:
        menu = QMenu(button)
        menu.setObjectName("recentMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        recent = self.recent_folders(button)
        if not recent:
            action = menu.addAction(self.tr("No recent folders"))
            action.setEnabled(False)
        for folder in recent:
            # Shown escaped ("a&b" is no mnemonic, a tab no shortcut); taken as it is.
            action = menu.addAction(printable(folder).replace("&", "&&"))
            action.setData(folder)
        menu.triggered.connect(edit.take_folder)
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        return menu

    @Slot()
    def _on_sourceRecentButton_clicked(self) -> None:
        self._show_recent(self.sourceRecentButton, self.sourceEdit)

    @Slot()
    def _on_targetRecentButton_clicked(self) -> None:
        self._show_recent(self.targetRecentButton, self.targetEdit)

    # --- the plan sentence and inline problems -----------------------------------------

    @Slot()
    def _on_validateTimer_timeout(self) -> None:
        self.validate()

    def problem(self) -> str:
        """Why Start cannot be pressed, as the engine would refuse ("" if it can), as of
        the last validate()."""
        return self._problem

    def _check(self) -> str:
        source, target = self.source(), self.target()
        # A relative path is relative to wherever the window was started from ($HOME or
        # "/" from a launcher), which the window never shows: "2030" copied out of sight.
        if source and not os.path.isabs(source):
            return self.tr("Type the full path of the folder to copy (it starts with /).")
        if target and not os.path.isabs(target):
            return self.tr("Type the full path of the folder to copy into (it starts with /).")
        if not source or not target:
            return ""
        return message_text(problem(source, target, self._mirror))

    def set_options(self, options: CopyOptions) -> None:
        """The plan counts what the copy would (links followed or not, filters applied)
        and says whether it copies, moves or mirrors."""
        if (options.move, options.mirror) != (self._move, self._mirror):
            mirror_changed = options.mirror != self._mirror  # (refused in some folders)
            self._move, self._mirror = options.move, options.mirror
            if mirror_changed:
                self._validateTimer.start()
            elif self._plan is not None and not self.problem() and self.source():
                self._update_plan()
        follow, filters = options.follow_symlinks, options.filters
        if (follow, filters) != (self._follow_symlinks, self._filters):
            self._follow_symlinks, self._filters = follow, filters
            self._plan = None
            self._validateTimer.start()

    def is_ready(self) -> bool:
        return bool(self.source() and self.target() and not self.problem())

    def validate(self) -> None:
        """Check the folders now (the engine's own check) and update plan and problem."""
        self._problem = problem = self._check()
        self.problemLabel.setText(problem)
        self.problemLabel.setVisible(bool(problem))
        if problem or not self.source():
            self.planLabel.setText(self.tr("Choose a folder to copy and where to copy it."))
        else:
            if self._plan is None:
                self._plan = (-1, 0, False)
                self.counter.count(self.source(), self._follow_symlinks, self._filters)
            self._update_plan()
        self.validated.emit()

    def _update_plan(self) -> None:
        # (Names as the log shows them: a right-to-left override in a folder's name must
        # not turn the sentence around, nor a newline break it.)
        source_name = printable(os.path.basename(self.source().rstrip(os.sep)) or self.source())
        target = self.target()
        if not target:
            self.planLabel.setText(self.tr("Now choose where to copy it."))
            return
        target_name = printable(os.path.basename(target.rstrip(os.sep)) or target)
        if not os.path.exists(target):
            target_name = fill(self.tr("%1 (a new folder)"), target_name)
        files, size, complete = self._plan or (-1, 0, False)
        text = fill(self._what(files, complete), source_name, target_name, human_bytes(size))
        if self._mirror and os.path.exists(target):  # (a new folder has nothing to delete)
            then = self.tr("Then delete from %2 what %1 lacks.")
            text = _joined(text, fill(then, source_name, target_name))  # (an existing one)
        if self._filters:
            text = _joined(text, fill(self.tr("Leaving out: %1."), self._left_out()))
        self.planLabel.setText(text)

    def _what(self, files: int, complete: bool) -> str:
        """The plan's verb and count: %1 source, %2 target, %3 size."""
        if files == 0 and complete:  # (an empty source, or filters that leave out all)
            return self.tr("There is no file to copy inside %1.")
        if self._move:
            if files < 0:
                return self.tr("Move everything inside %1 into %2.")
            if complete:
                return self.tr("Move the %Ln file(s) (%3) inside %1 into %2.", "", files)
            return self.tr("Move more than %Ln file(s) (%3) inside %1 into %2.", "", files)
        if files < 0:
            return self.tr("Copy everything inside %1 into %2.")
        if complete:
            return self.tr("Copy the %Ln file(s) (%3) inside %1 into %2.", "", files)
        return self.tr("Copy more than %Ln file(s) (%3) inside %1 into %2.", "", files)

    def move_question(self) -> str:
        """What is asked before a move: the files the plan sentence counted, and where."""
        files, _, complete = self._plan or (-1, 0, False)
        source = printable(os.path.basename(self.source().rstrip(os.sep)) or self.source())
        if files < 0:
            return fill(self.tr("Move the files inside %1?"), source)
        if complete:
            return fill(self.tr("Move the %Ln file(s) inside %1?", "", files), source)
        return fill(self.tr("Move more than %Ln file(s) inside %1?", "", files), source)

    def _left_out(self) -> str:
        limits = self._filters.newer_than_ns, self._filters.larger_than, self._filters.smaller_than
        parts = [printable(pattern) for pattern in self._filters.patterns]
        if any(limit is not None for limit in limits):
            parts.append(self.tr("files outside the size or date limits"))
        return ", ".join(parts)

    @Slot(int, object, object, bool)
    def _on_counter_counted(self, generation: int, files: int, size: int, complete: bool) -> None:
        if generation != self.counter.generation:
            return
        self._plan = (int(files), int(size), complete)
        if not self.problem() and self.source():
            self._update_plan()


def _joined(sentence: str, more: str) -> str:
    """Two sentences: a space between them, none after a full-width stop (Chinese)."""
    return sentence + ("" if sentence.endswith(_FULL_WIDTH_STOPS) else " ") + more


_FULL_WIDTH_STOPS = ("\u3002", "\uff01", "\uff1f")  # the ideographic full stop, ! and ?
