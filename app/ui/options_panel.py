"""The options of a copy: what to do with existing files, workers, links, flushing."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QSpinBox

from app.core.options import ConflictPolicy, CopyOptions, default_workers
from app.ui.format import fill


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
        form.addRow(self.tr("When a file &exists:"), self.conflictCombo)
        form.addRow(self.tr("Parallel wor&kers:"), self.workersSpin)
        form.addRow(checks)

        self.conflictCombo.currentIndexChanged.connect(self._on_control_changed)
        self.workersSpin.valueChanged.connect(self._on_control_changed)
        self.followSymlinksCheck.toggled.connect(self._on_control_changed)
        self.fsyncCheck.toggled.connect(self._on_control_changed)

    def options(self) -> CopyOptions:
        return CopyOptions(
            workers=self.workersSpin.value(),
            on_conflict=ConflictPolicy(self.conflictCombo.currentData()),
            follow_symlinks=self.followSymlinksCheck.isChecked(),
            fsync=self.fsyncCheck.isChecked(),
        )

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
        self.changed.emit(self.options())
