"""The Ask-policy dialog: both files side by side, Replace / Skip / Keep both, for all."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.events import ConflictQuestion, display_path
from app.core.options import ConflictPolicy
from app.ui.format import human_bytes, human_time_ns


class ConflictDialog(QDialog):
    """Non-blocking: shown with open(), the copy of other files goes on meanwhile.

    Signals:
        decided(int conflict_id, str ConflictPolicy value, bool apply_to_all)
    """

    decided = Signal(int, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("File already exists"))
        self.setModal(False)
        self._question: ConflictQuestion | None = None

        self.headline = QLabel()
        self.headline.setObjectName("conflictHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("<b>Size</b>")), 0, 1)
        grid.addWidget(QLabel(self.tr("<b>Modified</b>")), 0, 2)
        grid.addWidget(QLabel(self.tr("Copying (source):")), 1, 0)
        grid.addWidget(QLabel(self.tr("Existing (target):")), 2, 0)
        self.source_size = QLabel()
        self.source_time = QLabel()
        self.target_size = QLabel()
        self.target_time = QLabel()
        grid.addWidget(self.source_size, 1, 1)
        grid.addWidget(self.source_time, 1, 2)
        grid.addWidget(self.target_size, 2, 1)
        grid.addWidget(self.target_time, 2, 2)
        grid.setColumnStretch(2, 1)

        self.remaining = QLabel()
        self.remaining.setObjectName("conflictRemaining")
        self.applyToAllCheck = QCheckBox(self.tr("Do this for all conflicts"))
        self.applyToAllCheck.setObjectName("applyToAllCheck")
        self.replaceButton = QPushButton(self.tr("&Replace"))
        self.replaceButton.setObjectName("replaceButton")
        self.skipButton = QPushButton(self.tr("&Skip"))
        self.skipButton.setObjectName("skipButton")
        self.keepBothButton = QPushButton(self.tr("&Keep both"))
        self.keepBothButton.setObjectName("keepBothButton")
        self.replaceButton.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.applyToAllCheck)
        buttons.addStretch(1)
        buttons.addWidget(self.replaceButton)
        buttons.addWidget(self.skipButton)
        buttons.addWidget(self.keepBothButton)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(grid)
        layout.addWidget(self.remaining)
        layout.addLayout(buttons)

        self.replaceButton.clicked.connect(self._on_replaceButton_clicked)
        self.skipButton.clicked.connect(self._on_skipButton_clicked)
        self.keepBothButton.clicked.connect(self._on_keepBothButton_clicked)

    def ask(self, question: ConflictQuestion, waiting: int = 0) -> None:
        """Show one question; `waiting` is how many more are queued behind it."""
        self._question = question
        result = question.result
        self.headline.setText(
            self.tr("The target already has a file named “%1”.").replace(
                "%1", display_path(result.path)
            )
        )
        self.source_size.setText(human_bytes(result.source_size))
        self.target_size.setText(human_bytes(result.target_size))
        self.source_time.setText(human_time_ns(result.source_mtime_ns))
        self.target_time.setText(human_time_ns(result.target_mtime_ns))
        newer = result.source_mtime_ns > result.target_mtime_ns
        self.source_time.setToolTip(self.tr("newer") if newer else "")
        self.remaining.setText(
            self.tr("%n more conflict(s) waiting", "", waiting) if waiting else ""
        )
        self.remaining.setVisible(waiting > 0)
        if not self.isVisible():
            self.applyToAllCheck.setChecked(False)
            self.open()

    def question(self) -> ConflictQuestion | None:
        return self._question

    def _answer(self, decision: ConflictPolicy) -> None:
        question, self._question = self._question, None
        if question is None:
            return
        self.decided.emit(question.conflict_id, decision.value, self.applyToAllCheck.isChecked())

    @Slot()
    def _on_replaceButton_clicked(self) -> None:
        self._answer(ConflictPolicy.OVERWRITE)

    @Slot()
    def _on_skipButton_clicked(self) -> None:
        self._answer(ConflictPolicy.SKIP)

    @Slot()
    def _on_keepBothButton_clicked(self) -> None:
        self._answer(ConflictPolicy.RENAME)

    def reject(self) -> None:
        # Escape or the close button: skipping is the answer that changes nothing.
        # The window hides the dialog once no question is left.
        if self._question is not None:
            self._answer(ConflictPolicy.SKIP)
        else:
            super().reject()
