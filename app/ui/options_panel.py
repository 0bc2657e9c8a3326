"""The options of a copy: mode, filters, existing files, workers, links, flushing."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QSpinBox

from app.core.filters import Filters
from app.core.options import ConflictPolicy, CopyOptions, default_workers
from app.ui.filters_box import FiltersBox
from app.ui.format import fill
from app.ui.tones import Tone, ToneLabel


class Mode(StrEnum):
    COPY = "copy"
    MOVE = "move"  # each source file is removed once its copy is on disk
    MIRROR = "mirror"  # the target's entries the source lacks are deleted


class OptionsPanel(QGroupBox):
    """The copy options as a group of controls.

    Signals:
        changed(CopyOptions): the user changed an option.
    """

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("optionsBox")
        self.setTitle(self.tr("Options"))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.modeCombo = QComboBox()
        self.modeCombo.setObjectName("modeCombo")
        for text, mode in (
            (self.tr("Copy"), Mode.COPY),
            (self.tr("Move: remove each source file once it is copied"), Mode.MOVE),
            (self.tr("Mirror: also delete what the source does not have"), Mode.MIRROR),
        ):
            self.modeCombo.addItem(text, mode.value)
        self.filtersBox = FiltersBox()
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
        self.followSymlinksCheck = QCheckBox(self.tr("Follow symbolic &links"))
        self.followSymlinksCheck.setObjectName("followSymlinksCheck")
        self.fsyncCheck = QCheckBox(self.tr("Fl&ush each file to disk (slower, safer)"))
        self.fsyncCheck.setObjectName("fsyncCheck")
        self.workersSpin = QSpinBox()
        self.workersSpin.setObjectName("workersSpin")
        self.workersSpin.setRange(0, 64)
        self.workersSpin.setSpecialValueText(
            fill(self.tr("Automatic (%1)"), str(default_workers()))
        )
        checks = QHBoxLayout()
        checks.addWidget(self.followSymlinksCheck)
        checks.addWidget(self.fsyncCheck)
        checks.addStretch(1)
        form.addRow(self.tr("&Mode:"), self.modeCombo)
        form.addRow(self.filtersBox)
        form.addRow(self.tr("When a file &exists:"), self.conflictCombo)
        form.addRow(self.tr("Parallel wor&kers:"), self.workersSpin)
        form.addRow(checks)
        self.problemLabel = ToneLabel(Tone.PROBLEM)
        self.problemLabel.setObjectName("optionsProblem")
        self.problemLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.problemLabel.setWordWrap(True)
        self.problemLabel.hide()
        form.addRow(self.problemLabel)

        self.modeCombo.currentIndexChanged.connect(self._on_control_changed)
        self.filtersBox.changed.connect(self._on_control_changed)
        self.conflictCombo.currentIndexChanged.connect(self._on_control_changed)
        self.workersSpin.valueChanged.connect(self._on_control_changed)
        self.followSymlinksCheck.toggled.connect(self._on_control_changed)
        self.fsyncCheck.toggled.connect(self._on_control_changed)

    def options(self) -> CopyOptions:
        """The options the controls say (filters that cannot be read: see problem())."""
        mode = self.mode()
        return CopyOptions(
            workers=self.workersSpin.value(),
            on_conflict=ConflictPolicy(self.conflictCombo.currentData()),
            follow_symlinks=self.followSymlinksCheck.isChecked(),
            fsync=self.fsyncCheck.isChecked(),
            filters=self.filtersBox.filters() if not self.problem() else Filters(),
            move=mode is Mode.MOVE,
            mirror=mode is Mode.MIRROR,
        )

    def mode(self) -> Mode:
        return Mode(self.modeCombo.currentData())

    def problem(self) -> str:
        """Why the options cannot start a copy ("" if they can)."""
        if self.mode() is Mode.MOVE and self.followSymlinksCheck.isChecked():
            return self.tr(
                "Move cannot follow symbolic links: the files they lead to are not ours to remove."
            )
        return self.filtersBox.problem()

    def set_options(self, options: CopyOptions) -> None:
        self.blockSignals(True)
        index = self.conflictCombo.findData(options.on_conflict.value)
        self.conflictCombo.setCurrentIndex(max(0, index))
        self.workersSpin.setValue(options.workers)
        self.followSymlinksCheck.setChecked(options.follow_symlinks)
        self.fsyncCheck.setChecked(options.fsync)
        self.blockSignals(False)

    def set_policy(self, policy: ConflictPolicy) -> None:
        self.conflictCombo.setCurrentIndex(self.conflictCombo.findData(policy.value))

    @Slot()
    def _on_control_changed(self) -> None:
        problem = self.problem()
        self.problemLabel.setText(problem)
        self.problemLabel.setVisible(bool(problem))
        self.changed.emit(self.options())
