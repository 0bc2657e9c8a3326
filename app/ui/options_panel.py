"""The options of a copy: mode, filters, existing files, workers, links, flushing, verify
and checksums."""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from app.core.filters import Filters
from app.core.hashing import Algorithm
from app.core.options import MAX_WORKERS, ConflictPolicy, CopyOptions, default_workers
from app.ui.filters_box import FiltersBox
from app.ui.format import fill
from app.ui.tones import Tone, ToneLabel


class Mode(StrEnum):
    COPY = "copy"
    MOVE = "move"  # each source file is removed once its copy is on disk
    MIRROR = "mirror"  # the target's entries the source lacks are deleted


MANIFEST_NAME = "checksums.sha256"  # the chooser's first suggestion, in the target


class OptionsPanel(QGroupBox):
    """The copy options as a group of controls.

    `target` tells where the copy goes: the checksum chooser starts there.

    Signals:
        changed(CopyOptions): the user changed an option.
    """

    changed = Signal(object)

    def __init__(self, target: Callable[[], str] = lambda: "") -> None:
        super().__init__()
        self.setObjectName("optionsBox")
        self.setTitle(self.tr("Options"))
        self._target = target
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
        self.verifyCheck = QCheckBox(self.tr("Verify after copyin&g"))
        self.verifyCheck.setObjectName("verifyCheck")
        self.verifyCheck.setToolTip(
            self.tr("Read every copy back from the disk and compare it with the source")
        )
        self.workersSpin = QSpinBox()
        self.workersSpin.setObjectName("workersSpin")
        self.workersSpin.setRange(0, MAX_WORKERS)
        self.workersSpin.setSpecialValueText(fill(self.tr("Auto (%1)"), str(default_workers())))
        self.manifestCheck = QCheckBox(self.tr("Save checksums to:"))
        self.manifestCheck.setObjectName("manifestCheck")
        extensions = self.tr(
            "The file's extension chooses the checksum: .sha256 (sha256sum -c), "
            ".b3 (b3sum -c) or .xxh128 (xxhsum -c --strict), run in the target folder"
        )
        self.manifestCheck.setToolTip(extensions)
        self.manifestEdit = QLineEdit()
        self.manifestEdit.setObjectName("manifestEdit")
        self.manifestEdit.setAccessibleName(self.tr("Checksum file"))
        self.manifestEdit.setToolTip(extensions)
        self.manifestEdit.setPlaceholderText(MANIFEST_NAME)
        self.manifestEdit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 44)
        self.manifestButton = QPushButton(self.tr("Choose file…"))
        self.manifestButton.setObjectName("manifestButton")
        self.manifestButton.setAccessibleName(self.tr("Choose the checksum file"))
        checks = QHBoxLayout()
        checks.addWidget(self.followSymlinksCheck)
        checks.addWidget(self.fsyncCheck)
        checks.addWidget(self.verifyCheck)
        checks.addStretch(1)
        manifest = QHBoxLayout()
        manifest.addWidget(self.manifestEdit, 1)
        manifest.addWidget(self.manifestButton)
        form.addRow(self.tr("&Mode:"), self.modeCombo)
        form.addRow(self.filtersBox)
        # Two short fields on one row: a row fewer for the window to fit a small screen.
        conflict_label = QLabel(self.tr("When a file &exists:"))
        conflict_label.setBuddy(self.conflictCombo)
        workers_label = QLabel(self.tr("Parallel wor&kers:"))
        workers_label.setBuddy(self.workersSpin)
        exists = QHBoxLayout()
        exists.addWidget(self.conflictCombo)
        exists.addSpacing(form.horizontalSpacing())  # (it labels the spin box, not the combo)
        exists.addWidget(workers_label)
        exists.addWidget(self.workersSpin)
        exists.addStretch(1)
        form.addRow(conflict_label, exists)
        form.addRow(checks)
        form.addRow(self.manifestCheck, manifest)
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
        self.verifyCheck.toggled.connect(self._on_control_changed)
        self.manifestCheck.toggled.connect(self._on_manifestCheck_toggled)
        self.manifestEdit.textEdited.connect(self._on_manifestEdit_textEdited)
        self.manifestButton.clicked.connect(self._on_manifestButton_clicked)

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
            verify=self.verifyCheck.isChecked(),
            manifest=self.manifest() if self.manifestCheck.isChecked() else "",
        )

    def mode(self) -> Mode:
        return Mode(self.modeCombo.currentData())

    def problem(self) -> str:
        """Why the options cannot start a copy ("" if they can)."""
        if self.mode() is Mode.MOVE and self.followSymlinksCheck.isChecked():
            return self.tr(
                "Move cannot follow symbolic links: the files they lead to are not ours to remove."
            )
        if self.manifestCheck.isChecked() and (other := Algorithm.named_other(self.manifest())):
            return fill(
                self.tr(
                    "Checksum files are .sha256, .b3 or .xxh128, not .%1: md5sum and the "
                    "like could not check it."
                ),
                other,
            )
        return self.filtersBox.problem()

    def manifest(self) -> str:
        """The checksum file's path as typed or chosen (absolute), "" if none."""
        text = self.manifestEdit.text()
        return os.path.abspath(os.path.expanduser(text)) if text else ""

    def set_options(self, options: CopyOptions, manifest: str = "") -> None:
        """`manifest`: the remembered checksum file, shown when options.manifest is off."""
        self.blockSignals(True)  # no `changed`: nothing was changed by the user
        self.manifestCheck.blockSignals(True)  # and no chooser: this is no click
        index = self.conflictCombo.findData(options.on_conflict.value)
        self.conflictCombo.setCurrentIndex(max(0, index))
        self.workersSpin.setValue(options.workers)
        self.followSymlinksCheck.setChecked(options.follow_symlinks)
        self.fsyncCheck.setChecked(options.fsync)
        self.verifyCheck.setChecked(options.verify)
        self.manifestEdit.setText(options.manifest or manifest)
        self.manifestCheck.setChecked(bool(options.manifest))
        self.manifestCheck.blockSignals(False)
        self.blockSignals(False)

    def set_policy(self, policy: ConflictPolicy) -> None:
        self.conflictCombo.setCurrentIndex(self.conflictCombo.findData(policy.value))

    def choose_manifest(self) -> bool:
        """Ask where to save the checksums; True if a file was chosen (and turned on)."""
        start = self.manifest() or os.path.join(self._target() or os.path.expanduser("~"), "")
        if os.path.isdir(start) or start.endswith(os.sep):
            start = os.path.join(start, MANIFEST_NAME)
        # In a folder that exists: Qt opens the dialog in the current directory otherwise
        # (a target not made yet), where Enter saved it.
        start = os.path.join(_nearest_folder(os.path.dirname(start)), os.path.basename(start))
        kinds = {
            self.tr("SHA-256 checksums (*.sha256)"): Algorithm.SHA256,
            self.tr("BLAKE3 checksums (*.b3)"): Algorithm.BLAKE3,
            self.tr("XXH3-128 checksums (*.xxh128)"): Algorithm.XXH128,
        }
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Save checksums to"), start, ";;".join(kinds)
        )
        if not path:
            return False
        if os.path.splitext(path)[1].lower().lstrip(".") not in {a.value for a in Algorithm}:
            path += "." + kinds.get(chosen, Algorithm.SHA256).value  # the extension decides
        self.manifestEdit.setText(path)
        self.manifestCheck.setChecked(True)  # emits changed when it was off
        self._on_control_changed()
        return True

    @Slot(bool)
    def _on_manifestCheck_toggled(self, checked: bool) -> None:
        if checked and not self.manifestEdit.text().strip() and not self.choose_manifest():
            self.manifestCheck.setChecked(False)
            return
        self._on_control_changed()

    @Slot(str)
    def _on_manifestEdit_textEdited(self, text: str) -> None:
        if self.manifestCheck.isChecked():
            self._on_control_changed()

    @Slot()
    def _on_manifestButton_clicked(self) -> None:
        self.choose_manifest()

    @Slot()
    def _on_control_changed(self) -> None:
        problem = self.problem()
        self.problemLabel.setText(problem)
        self.problemLabel.setVisible(bool(problem))
        self.changed.emit(self.options())


def _nearest_folder(path: str) -> str:
    """The folder `path`, or the nearest of its parents that exists (home if none)."""
    path = os.path.abspath(path or os.path.expanduser("~"))
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path if os.path.isdir(path) else os.path.expanduser("~")
