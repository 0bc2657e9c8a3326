"""The Ferry window: wires the panels to the copy (and verify) controller."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from app.core.events import ConflictQuestion, FileResult, Progress, printable
from app.core.options import Answer, ConflictPolicy, CopyOptions
from app.core.reasons import Reason
from app.core.report import CopyReport
from app.core.verify import VerifyReport
from app.ui.accessible import announce, name_buttons
from app.ui.alt_keys import guard_fields
from app.ui.conflict_dialog import ConflictDialog
from app.ui.control_bar import ControlBar
from app.ui.controller import CopyController
from app.ui.desktop import Desktop
from app.ui.dialogs import StopQuestion, open_folder
from app.ui.folders_panel import FoldersPanel
from app.ui.format import fill
from app.ui.geometry import fit_first
from app.ui.log_panel import LogPanel
from app.ui.options_panel import Mode, OptionsPanel
from app.ui.outcome import message_text
from app.ui.plan_gate import PlanGate
from app.ui.progress_panel import ProgressPanel
from app.ui.resources import resource_path
from app.ui.settings import Settings
from app.ui.summary_panel import SummaryPanel
from app.ui.verify_folder import ask_manifest_and_folder
from app.ui.window_body import WindowBody


class MainWindow(QMainWindow):
    """The panels in a WindowBody; the copying itself runs in CopyController."""

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
        self.verify_report: VerifyReport | None = None
        self.last_progress: Progress | None = None
        self.last_announcement = ""
        self._job_target = ""
        self._paused = False
        self._checking = False
        self._cancelling = False
        self._close_when_done = False
        self._answers: dict[str, Answer] = {}  # a preview's questions, answered
        # Retry failed, on its way through the plan gate: source, target, failed paths.
        self._retry: tuple[str, str, list[str]] | None = None
        self._mode = Mode.COPY  # of the last job started

        icon_file = resource_path("icons", "ferry-256.png")
        if icon_file.exists():
            self.setWindowIcon(QIcon(str(icon_file)))
        self.foldersPanel = FoldersPanel(self.settings)
        self.optionsPanel = OptionsPanel(self.foldersPanel.target)
        self.controlBar = ControlBar()
        self.progressPanel = ProgressPanel()
        self.summaryPanel = SummaryPanel()
        self.logPanel = LogPanel(self.settings)
        self.conflictDialog = ConflictDialog(self)
        self.stopQuestion = StopQuestion(self)
        self.planGate = PlanGate(self)
        self.desktop = Desktop(self)
        self.body = WindowBody(
            self.foldersPanel,
            self.optionsPanel,
            self.controlBar,
            self.progressPanel,
            self.summaryPanel,
            self.logPanel,
        )
        self.setCentralWidget(self.body)
        guard_fields(self)
        name_buttons(self)  # "开始(S)" was said: the shortcut letter is not its name
        self._connect()
        fit_first(self, self.settings.geometry())
        self.foldersPanel.set_folders(
            source if source is not None else self.settings.source(),
            target if target is not None else self.settings.target(),
        )
        options = self.settings.options()
        self.optionsPanel.set_options(options, self.settings.manifest())
        self.foldersPanel.set_options(options)
        self._set_running(False)
        self.foldersPanel.validate()
        first = self.foldersPanel.first_empty_field()
        first.setFocus()  # typing goes somewhere at once, and replaces a remembered folder
        first.selectAll()

    def _connect(self) -> None:
        self.foldersPanel.validated.connect(self._on_foldersPanel_validated)
        self.foldersPanel.edited.connect(self._on_foldersPanel_edited)
        self.foldersPanel.startRequested.connect(self._on_foldersPanel_startRequested)
        self.optionsPanel.changed.connect(self._on_optionsPanel_changed)
        self.controlBar.startClicked.connect(self._on_controlBar_startClicked)
        self.controlBar.previewClicked.connect(self._on_controlBar_previewClicked)
        self.logPanel.answered.connect(self._on_logPanel_answered)
        self.planGate.go.connect(self._on_planGate_go)
        self.controlBar.pauseClicked.connect(self._on_controlBar_pauseClicked)
        self.controlBar.cancelClicked.connect(self._on_controlBar_cancelClicked)
        self.controlBar.escapePressed.connect(self._on_controlBar_escapePressed)
        self.controlBar.detailsToggled.connect(self._on_controlBar_detailsToggled)
        self.controlBar.closeRequested.connect(self.close)
        self.controlBar.verifyFolderClicked.connect(self._on_controlBar_verifyFolderClicked)
        self.summaryPanel.retryClicked.connect(self._on_summaryPanel_retryClicked)
        self.summaryPanel.openTargetClicked.connect(self._on_summaryPanel_openTargetClicked)
        self.conflictDialog.decided.connect(self._on_conflictDialog_decided)
        self.stopQuestion.confirmed.connect(self._on_stopQuestion_confirmed)
        self.controller.progress.connect(self._on_controller_progress)
        self.controller.filesFinished.connect(self._on_controller_filesFinished)
        self.controller.filesChecked.connect(self.logPanel.add_checks)
        self.controller.sourcesStayed.connect(self.logPanel.stayed)
        self.controller.conflictAsked.connect(self._on_controller_conflictAsked)
        self.controller.notice.connect(self._on_controller_notice)
        self.controller.finished.connect(self._on_controller_finished)
        self.controller.verifyFinished.connect(self._on_controller_verifyFinished)

    # --- what the user does --------------------------------------------------------------

    def problem(self) -> str:
        return self.foldersPanel.problem()

    @Slot()
    def _on_foldersPanel_validated(self) -> None:
        if not self.controller.is_running():
            self.controlBar.set_running(False, self.foldersPanel.is_ready())

    @Slot(list)
    def _on_logPanel_answered(self, answers: list[Answer]) -> None:
        self._answers.update((answer.path, answer) for answer in answers)

    @Slot()
    def _on_foldersPanel_edited(self) -> None:
        self._answers = {}  # they answered about other folders
        if not self.controller.is_running():
            self._drop_summary()  # it told of other folders
            self._outdate_log()

    @Slot(object)
    def _on_optionsPanel_changed(self, options: CopyOptions) -> None:
        self.settings.set_options(options)
        self.foldersPanel.set_options(options)
        report = self.report
        if report is None or self.controller.is_running():
            return
        # A refusal, a preview (a plan of other options), a job of another mode (its
        # Retry failed would run in this one): stale once the options change.
        if report.refused is not None or report.dry_run or self.optionsPanel.mode() != self._mode:
            self._drop_summary()
            self._outdate_log()

    def _outdate_log(self) -> None:
        """The plan changed since the job the log shows: its preview's rows go, and the
        answers given in them (Start replaced files unasked after the preview was gone,
        review); a real job's rows stay, marked as the earlier job's."""
        self._answers = {}
        if self.report is not None:
            self.logPanel.outdate()

    def _drop_summary(self) -> None:
        self.summaryPanel.hide()
        self.progressPanel.failures_gone()
        if self.report is not None and (self.report.refused or self.report.dry_run):
            self.progressPanel.set_status("")  # (it said the refusal, or "Preview done.")
        self.body.update_results()

    def _set_running(self, running: bool) -> None:
        self.foldersPanel.set_running(running)
        self.optionsPanel.setEnabled(not running)
        self.summaryPanel.set_running(running)
        self.controlBar.set_running(running, self.foldersPanel.is_ready())
        self._show_title()

    def _show_title(self) -> None:
        waiting = self.conflictDialog.question() is not None
        running = self.controller.is_running()
        title = self.progressPanel.title(running, self._cancelling, waiting, self._paused)
        self.setWindowTitle(title)

    @Slot()
    def _on_foldersPanel_startRequested(self) -> None:
        self.start()

    @Slot()
    def _on_controlBar_startClicked(self) -> None:
        self.start()

    @Slot()
    def _on_controlBar_previewClicked(self) -> None:
        self.start(preview=True)

    def start(self, preview: bool = False) -> bool:
        """Start copying what the fields say; False (with the reason shown) if impossible.

        A move asks first; a mirror previews first and asks before it deletes anything.
        """
        if self.controller.is_running():
            return False
        self.foldersPanel.validate()
        if not self.foldersPanel.is_ready() or self.optionsPanel.problem():
            return False
        source, target = self.foldersPanel.source(), self.foldersPanel.target()
        self.settings.set_folders(source, target)
        self.settings.add_recent(source, target)
        self.settings.set_options(self.optionsPanel.options())
        self._retry = None
        self.planGate.start(self.optionsPanel.mode(), preview, self.foldersPanel.move_question())
        return True

    @Slot(bool)
    def _on_planGate_go(self, dry_run: bool) -> None:
        if self._retry is not None:
            source, target, failed = self._retry
            self._begin(source, target, failed, retry=True, dry_run=dry_run)
        else:
            source, target = self.foldersPanel.source(), self.foldersPanel.target()
            self._begin(source, target, None, dry_run=dry_run)

    def _begin(
        self,
        source: str,
        target: str,
        only: list[str] | None,
        retry: bool = False,
        dry_run: bool = False,
    ) -> None:
        self.logPanel.begin(source, target, keep=retry)
        answers = tuple(self._answers.values())
        if not dry_run:  # answers to the preview before this start, not to later runs
            self._answers = {}
        options = replace(self.optionsPanel.options(), dry_run=dry_run, decisions=answers)
        self._mode = self.optionsPanel.mode()
        self.controller.start(source, target, options, only)
        self._started(target, self.tr("Copying files"))

    @Slot()
    def _on_controlBar_verifyFolderClicked(self) -> None:
        chosen = ask_manifest_and_folder(self, self.settings)
        if chosen is not None and not self.controller.is_running():
            self.begin_verify(*chosen)

    def begin_verify(self, manifest: str, folder: str) -> None:
        """Check `folder` against the checksum file `manifest`: same log and summary."""
        self.logPanel.begin(folder, folder, checks_only=True)
        self.controller.start_verify(manifest, folder)
        self._started(folder, self.tr("Verifying files"), verify_only=True)
        self.controlBar.pauseButton.setEnabled(False)  # reading back cannot pause

    def _started(self, target: str, what: str, verify_only: bool = False) -> None:
        self._job_target = target
        self._checking = verify_only  # Verify a folder…: the stop question says so
        self.report = self.verify_report = None
        self.last_progress = None
        self._paused = self._cancelling = False
        self.conflictDialog.reset()
        self.progressPanel.begin(verify_only)
        self.summaryPanel.hide()
        self._set_running(True)
        self.controlBar.show_details_button(not self.settings.compact())
        self.desktop.copy_started(what)

    @Slot()
    def _on_controlBar_pauseClicked(self) -> None:
        if not self.controller.is_running():
            return
        self._paused = not self._paused
        self.controlBar.set_paused(self._paused)
        if self._paused:
            self.controller.pause()
            self.progressPanel.set_status(self.tr("Pausing…"))
        else:
            self.controller.resume()
        self._show_title()

    @Slot()
    def _on_controlBar_escapePressed(self) -> None:
        self.stopQuestion.ask(False, self._paused, self._checking)

    @Slot(bool)
    def _on_stopQuestion_confirmed(self, closing: bool) -> None:
        if self.controller.is_running():
            self._close_when_done = closing
            self.cancel()

    @Slot()
    def _on_controlBar_cancelClicked(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        if not self.controller.is_running():
            return
        self._cancelling = True
        self.controller.cancel()
        self.controller.resume()  # a paused job must wake up to notice the cancel
        self.controlBar.set_cancelling()
        self.progressPanel.freeze(self.tr("Cancelling…"))
        self.conflictDialog.close_all()
        self._show_title()

    @Slot(bool)
    def _on_controlBar_detailsToggled(self, details: bool) -> None:
        self.settings.set_compact(not details)
        self.body.show_details(details)

    @Slot()
    def _on_summaryPanel_retryClicked(self) -> None:
        report = self.report
        if report is None or report.dry_run or self.controller.is_running():
            return  # (a preview's failures: Start or Preview again, never a real run here)
        failed = [failure.path for failure in report.failures()]
        if not failed:
            return
        # The questions Start asks: a move asks first, a mirror previews and asks before
        # it deletes (Retry went straight to a real run: it moved and deleted unasked).
        self._retry = (report.source, report.target, failed)
        source = printable(os.path.basename(report.source.rstrip(os.sep)) or report.source)
        question = fill(
            self.tr("Move the %Ln item(s) that failed, from %1?", "", len(failed)), source
        )
        self.planGate.start(self.optionsPanel.mode(), False, question)

    @Slot()
    def _on_summaryPanel_openTargetClicked(self) -> None:
        open_folder(self, self._job_target or self.foldersPanel.target())

    @Slot(int, str, bool)
    def _on_conflictDialog_decided(self, conflict_id: int, decision: str, for_all: bool) -> None:
        self.controller.resolve_conflict(conflict_id, ConflictPolicy(decision), for_all)
        self._show_title()

    # --- what the controller reports -----------------------------------------------------

    @Slot(object)
    def _on_controller_progress(self, p: Progress) -> None:
        self.last_progress = p
        self.progressPanel.show_progress(p, self.conflictDialog.waiting())
        if not self._cancelling:
            self.desktop.show_progress(self.progressPanel.permille())
        self._show_title()

    @Slot(object)
    def _on_controller_filesFinished(self, results: list[FileResult]) -> None:
        self.logPanel.append(results)
        self.progressPanel.add_results(results)

    @Slot(object)
    def _on_controller_conflictAsked(self, question: ConflictQuestion) -> None:
        if not self._cancelling and self.conflictDialog.enqueue(question):
            self._show_title()
            self.desktop.attention.tell(
                self.tr("Ferry needs you"), self.tr("A file already exists in the target.")
            )

    @Slot(object)
    def _on_controller_notice(self, why: Reason) -> None:
        self.progressPanel.add_notice(message_text(why))

    @Slot(object)
    def _on_controller_finished(self, report: CopyReport) -> None:
        self.report = report
        if not report.dry_run:  # the plan sentence counted what is there no more
            self.foldersPanel.recount()
        panel = self.progressPanel
        panel.drop_notices({message_text(notice) for notice in report.notices})
        went_on = self._ended(
            self.summaryPanel.show_report(report, panel.rate, panel.scan_done),
            report.ran_to_the_end(),
            report.exit_code(),
        )
        # A mirror's preview is not the end: the gate asks before the real job.
        if went_on and not self.planGate.finished(report):
            if held := self.planGate.held_back():  # (the summary said "Preview")
                self.summaryPanel.summaryLabel.setText(held)
                self.progressPanel.set_status(self.tr("The mirror did not start."))
            self._announce()

    @Slot(object)
    def _on_controller_verifyFinished(self, report: VerifyReport) -> None:
        self.verify_report = report
        complete = report.error is None and not report.cancelled
        if self._ended(self.summaryPanel.show_verify_report(report), complete, report.exit_code()):
            self._announce()

    def _ended(self, status: str, complete: bool, exit_code: int) -> bool:
        """A job ended and the summary shows it: the rest of the window follows.

        False if the window closes or exits now.
        """
        self.conflictDialog.close_all()
        self.desktop.copy_ended()
        self._set_running(False)
        self.progressPanel.finish(status, complete, self.summaryPanel.lists_failures())
        self.body.update_results()
        self.body.fit_compact()
        self.body.show_results()
        if self._close_when_done:
            self._close_when_done = False
            self.close()
            return False
        if self.exit_when_done:
            QApplication.exit(exit_code)
            return False
        return True

    def _announce(self) -> None:
        self.last_announcement = self.summaryPanel.headline()
        announce(self, self.last_announcement)  # a screen reader says how it ended
        self.desktop.attention.tell(self.tr("Ferry"), self.last_announcement)

    # --- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.is_running():
            event.ignore()
            if not self._close_when_done:
                self.stopQuestion.ask(True, self._paused, self._checking)
            return
        self.resize(self.body.full_size())  # remember the full view, not the compact one
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_folders(self.foldersPanel.source(), self.foldersPanel.target())
        self.settings.sync()
        self.desktop.close()
        self.conflictDialog.hide()
        self.controller.shutdown()
        event.accept()
