"""Move and Mirror ask before they remove anything; a mirror shows its count first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.ui.accessible import name_buttons
from app.ui.dialogs import without_yes_no_icons
from app.ui.format import sentences
from app.ui.options_panel import Mode


class PlanGate(QObject):
    """Between Start and a job that removes files: a move asks first; a mirror runs a
    preview, then asks with the number of entries it would delete. The question is
    window-modal and does not block; No (the default) removes nothing.

    Signals:
        go(bool dry_run): start the job (a preview when dry_run).
    """

    go = Signal(bool)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._mirror_previewing = False
        self._held = 0  # failures of the last mirror preview, which kept the mirror back
        self.box: QMessageBox | None = None

    def start(self, mode: Mode, preview: bool, move_question: str) -> None:
        """`move_question`: what to ask before a move (the files, and where)."""
        self._held = 0
        if preview or mode is Mode.COPY:
            self.go.emit(preview)
        elif mode is Mode.MOVE:
            self.ask_move(move_question)
        else:
            self._mirror_previewing = True
            self.go.emit(True)

    def finished(self, report: CopyReport) -> bool:
        """True if the report was a mirror's preview, which this gate takes over."""
        if not self._mirror_previewing:
            return False
        self._mirror_previewing = False
        if report.refused or report.cancelled:
            return False  # the summary says why; Start again once it is fixed
        if report.failures():  # held_back() says why: the preview's summary did not
            self._held = len(report.failures())
            return False
        # (What an interrupted run left goes whatever the mode: not the mirror's to ask.)
        left = Reason(Code.STALE_TEMP)
        deletes = sum(r.action == "delete" and r.why != left for r in report.results)
        # Folders the preview could not look into: the mirror may delete there what it
        # did not count (it asked nothing where it counted none, and deleted).
        unseen = any(why.code is Code.TARGET_FOLDERS_UNSEEN for why in report.notices)
        if deletes or unseen:
            self.ask_mirror(deletes, unseen)
        else:
            self.go.emit(False)
        return True

    def held_back(self) -> str:
        """Why the mirror the last preview was for did not start, empty if it was not held
        back (each Start previewed only, and the window said Start does what it lists)."""
        if not self._held:
            return ""
        held = self._held  # (self.tr: lupdate takes a plural only from tr)
        found = self.tr(
            "The mirror did not start: its preview found %Ln item(s) it could not copy.", "", held
        )
        what = QCoreApplication.translate(
            "Dialogs",
            "A mirror deletes only after a preview without failures (they are listed below "
            "and in the log, filter Failed). Fix them, or leave them out with Skip matching, "
            "then press Start again.",
        )
        return sentences(found, what)

    def ask_move(self, question: str) -> None:
        how = QCoreApplication.translate(
            "Dialogs",
            "Each source file is removed once its copy is on disk; files that are skipped "
            "or cannot be copied stay in the source.",
        )
        text = sentences(question, how)
        self._ask(QCoreApplication.translate("Dialogs", "&Move"), text)

    def ask_mirror(self, deletes: int, unseen: bool = False) -> None:
        """`deletes`: how many target entries the preview found that the source lacks;
        `unseen`: it could not look into some target folders."""
        text = self.tr(
            "Delete %Ln entry(ies) in the target that are not in the source?", "", deletes
        )
        if unseen:
            text += " " + QCoreApplication.translate(
                "Dialogs",
                "Some target folders of yours could not be looked into (see the summary): "
                "it may delete more there.",
            )
        self._ask(QCoreApplication.translate("Dialogs", "&Mirror and delete"), text)

    def _ask(self, yes: str, text: str) -> None:
        if self.box is not None:
            return
        self.box = box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Dialogs", "Remove files?"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._window,
        )
        box.setObjectName("planQuestion")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText(yes)
        box.button(QMessageBox.StandardButton.No).setText(
            QCoreApplication.translate("Dialogs", "&Do nothing")
        )
        without_yes_no_icons(box)
        name_buttons(box)
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter removes nothing
        box.finished.connect(self._on_box_finished)
        box.open()

    @Slot(int)
    def _on_box_finished(self, result: int) -> None:
        box, self.box = self.box, None
        if box is not None and box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.go.emit(False)
