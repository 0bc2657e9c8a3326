"""What a finished job did: a headline, the counts, the failures, Retry and Open target.

The job is a copy (maybe verified), or a folder checked against a manifest.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
)

from app.core.events import FileResult, FileStatus, printable
from app.core.rate import Rate
from app.core.readback import CheckStatus
from app.core.reasons import Code
from app.core.report import CopyReport
from app.core.verify import VerifyReport
from app.ui.format import (
    fill,
    human_bytes,
    human_count,
    human_duration,
    human_speed,
    plain_tip,
)
from app.ui.geometry import WrappingColumn
from app.ui.icons import Glyph, button_icon
from app.ui.outcome import message_text, not_copied, reason_text

MAX_FAILURES_SHOWN = 500  # the summary lists this many; the log (filter Failed) has all
FAILURE_ROWS = 3  # rows of that list on screen (the log below lists them all)
# Failures that reading back found (a copy that verifies): counted as mismatches.
READ_BACK_CODES = frozenset({Code.VERIFY_MISMATCH, Code.VERIFY_MISSING, Code.CANNOT_VERIFY})


def mismatches(report: CopyReport) -> int:
    return sum(1 for r in report.failures() if r.why is not None and r.why.code in READ_BACK_CODES)


class SummaryPanel(QFrame):
    """Hidden until a copy ends.

    Signals:
        retryClicked(), openTargetClicked()
    """

    retryClicked = Signal()
    openTargetClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("summaryPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._compact = False
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
        self.failuresList.setAccessibleName(self.tr("Files that could not be copied"))
        # Deep paths differ at their ends: keep both ends, the whole text in the tooltip.
        self.failuresList.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.failuresList.setUniformItemSizes(True)
        # A row wider than the list brings a scroll bar, which covered the only row.
        self.failuresList.horizontalScrollBar().rangeChanged.connect(self._fit_failures)
        self.retryButton = QPushButton(self.tr("Retr&y failed"))
        self.retryButton.setObjectName("retryButton")
        self.retryButton.setIcon(button_icon(Glyph.RETRY, self.palette()))
        self.openTargetButton = QPushButton(self.tr("&Open target folder"))
        self.openTargetButton.setObjectName("openTargetButton")
        # The buttons share the headline's row: on a row of their own they cost the
        # window a line, and in Chinese (taller text) the window had to scroll on a
        # 1366 x 768 screen once a job ended.
        headline = QHBoxLayout()
        headline.addWidget(self.summaryLabel, 1)
        headline.addWidget(self.openTargetButton)
        headline.addWidget(self.retryButton)
        layout = WrappingColumn(self)  # (the splitter asks no height for width)
        layout.addLayout(headline)
        layout.addWidget(self.summaryDetails)
        layout.addWidget(self.failuresList)
        self.hide()

        self.retryButton.clicked.connect(self.retryClicked)
        self.openTargetButton.clicked.connect(self.openTargetClicked)

    def _plan_text(self, report: CopyReport) -> str:
        """A preview's counts: what each action would touch, and the bytes to write."""
        counts = report.actions()
        words = (
            ("copy", self.tr("%1 to copy")),
            ("replace", self.tr("%1 to replace")),
            ("rename", self.tr("%1 to keep both")),
            ("link", self.tr("%1 to link")),
            ("delete", self.tr("%1 to delete")),
            ("skip", self.tr("%1 to skip")),
            ("ask", self.tr("%1 to ask about")),
        )
        parts = [fill(text, human_count(counts[a])) for a, text in words if counts[a]]
        if refresh := report.to_refresh():
            text = self.tr("%1 up to date but for mode, group or attributes")
            parts.append(fill(text, human_count(refresh)))
        separator = self.tr(", ", "between a plan's counts")  # (Chinese has its own comma)
        planned = separator.join(parts) or self.tr("nothing to do")
        return planned + " · " + fill(self.tr("%1 to write"), human_bytes(report.bytes_copied))

    def _removals_text(self, report: CopyReport) -> str:
        """What filters left out, and what a move or a mirror removed."""
        text = ""
        if report.excluded:
            text += " · " + fill(self.tr("%1 excluded"), human_count(report.excluded))
        if report.moved is not None:
            moved = self.tr("%1 moved, %2 stayed in the source")
            if report.dry_run:
                moved = self.tr("%1 to move, %2 to stay in the source")
            text += " · " + fill(moved, human_count(report.moved), human_count(report.stayed))
        if report.deleted and not report.dry_run:  # a preview's deletes are in its counts
            text += " · " + fill(self.tr("%1 deleted from the target"), human_count(report.deleted))
        return text

    def show_report(self, report: CopyReport, rate: Rate, scan_done: bool) -> str:
        """Fill in and show the summary; returns the short status ("Done.", ...).

        Duration and average come from `rate`: running time only, unlike report.seconds.
        `scan_done`: whether the scan had finished counting, so the files a cancel left
        uncopied are a count, not a lower bound.
        """
        copied = sum(map(report.count, (FileStatus.COPIED, FileStatus.RENAMED, FileStatus.LINKED)))
        skipped = report.count(FileStatus.SKIPPED)
        failures = report.failures()
        if report.refused:
            headline = fill(self.tr("Nothing was copied: %1"), message_text(report.refused))
            status = headline
        elif report.dry_run and not report.cancelled:
            headline = self.tr("Preview: nothing was written. Start does what it lists.")
            status = self.tr("Preview done.")
        elif report.cancelled:
            headline = self.tr(
                "Cancelled. Files already copied are complete; nothing is half-written."
            )
            status = self.tr("Cancelled.")
        elif report.stopped:
            headline = message_text(report.stopped)  # how many were written, and why
            status = self.tr("Stopped.")
        elif report.disk_full:  # (Retry failed would leave out the files never started)
            headline = self.tr(
                "Stopped: the target disk is full. Make room, then press Start: "
                "it copies what is missing."
            )
            status = self.tr("Stopped: the target disk is full.")
        elif failures:
            headline = self.tr("Done, but %Ln item(s) could not be copied.", "", len(failures))
            status = self.tr("Done, with failures.")
        elif report.held:  # a move left sources it was asked to remove: not plain "Done"
            headline = self.tr(
                "Done, but %Ln source file(s) stayed: their copies could not take their place"
                " (why below).",
                "",
                report.held,
            )
            status = self.tr("Done, with files left in the source.")
        elif not copied and not skipped and report.excluded:
            headline = self.tr("Nothing copied: the filters left out everything.")
            status = self.tr("Done.")
        else:
            headline = self.tr("Done. Everything is on disk.")
            status = self.tr("Done.")
        details = fill(
            self.tr("%1 copied, %2 skipped, %3 failed · %4 in %5"),
            human_count(copied),
            human_count(skipped),
            human_count(len(failures)),
            human_bytes(report.bytes_copied),
            human_duration(rate.running_seconds),
        )
        # Of the bytes said, not of all written: a cancel discards what was in progress
        # ("0 B in 0:08 · average 10.7 MiB/s"). None of nothing.
        if report.bytes_copied and rate.running_seconds > 0:
            average = human_speed(report.bytes_copied / rate.running_seconds)
            details += " · " + fill(self.tr("average %1"), average)
        if report.dry_run:
            details = self._plan_text(report)
        details += self._removals_text(report)
        if report.verified is not None:
            details += " · " + fill(
                self.tr("%1 verified from the disk, %2 mismatched"),
                human_count(report.verified),
                human_count(mismatches(report)),
            )
            details += self._cached_text(report.verified_cached)
        if (report.cancelled or report.stopped) and not report.dry_run:
            left = human_count(not_copied(report))
            if scan_done:
                details += " · " + fill(self.tr("not copied: %1 (cancelled)"), left)
            else:
                details += " · " + fill(self.tr("not copied: at least %1 (cancelled)"), left)
        elif report.not_started and not report.dry_run:  # a full disk, a lost channel
            left = human_count(report.not_started)
            if scan_done:
                details += " · " + fill(self.tr("not started: %1"), left)
            else:
                details += " · " + fill(self.tr("not started: at least %1"), left)
        if report.notices:
            details += "\n" + "\n".join(message_text(notice) for notice in report.notices)
        self._show(headline, "" if report.refused else details, failures)
        # Only where every file was gone through: else Start copies what is missing.
        # Not after a preview: it wrote nothing to retry, and a retry is a real run.
        retry = bool(failures) and report.ran_to_the_end() and not report.not_started
        retry = retry and not report.dry_run
        self.retryButton.setVisible(retry)
        self.retryButton.setEnabled(retry)
        self.openTargetButton.setVisible(not report.refused)
        return status

    def _cached_text(self, cached: int) -> str:
        """Files that matched as read through the system's cache (a FUSE stick when not
        run as root, data kept inline): not proven from the disk, and said so."""
        if not cached:
            return ""
        text = self.tr("%1 compared through the system's cache only, not read from the disk")
        return " · " + fill(text, human_count(cached))

    def show_verify_report(self, report: VerifyReport) -> str:
        """A folder checked against a manifest: what matched, differs, is missing."""
        counts = report.counts
        ok, failed, missing = (counts.get(status.value, 0) for status in CheckStatus)
        checked = ok + failed + missing
        if report.error is not None and checked:  # (the manifest changed as it was read)
            headline = fill(self.tr("The check stopped: %1"), message_text(report.error))
            status = self.tr("Verifying stopped.")
        elif report.error is not None:
            headline = fill(self.tr("Nothing was checked: %1"), message_text(report.error))
            status = headline
        elif report.cancelled:
            headline = status = self.tr("Verifying cancelled.")
        elif failed or missing:
            headline = self.tr(
                "%Ln file(s) differ from the checksums or are missing.", "", failed + missing
            )
            status = self.tr("Verified, with mismatches.")
        else:
            headline = self.tr("All %Ln file(s) match their checksums.", "", ok)
            status = self.tr("Verified.")
        cached = counts.get("cached", 0)  # (of those ok: said apart, _cached_text)
        details = fill(
            self.tr("%1 verified, %2 mismatched, %3 missing · in %4"),
            human_count(ok - cached),
            human_count(failed),
            human_count(missing),
            human_duration(report.seconds),
        )
        details += self._cached_text(cached)
        bad = [
            FileResult(c.path, FileStatus.FAILED, why=c.why)
            for c in report.failures
            if c.status is not CheckStatus.OK
        ]
        # (the report keeps the first failures only: "… and N more" counts them all)
        nothing = report.error is not None and not checked
        self._show(headline, "" if nothing else details, bad, failed + missing)
        self.retryButton.hide()  # nothing to copy again
        self.openTargetButton.setVisible(report.error is None)
        return status

    def _show(
        self, headline: str, details: str, failures: list[FileResult], total: int = 0
    ) -> None:
        """`total`: how many failures there are, where `failures` holds only the first."""
        self.summaryLabel.setText(headline)
        self.summaryDetails.setText(details)
        self.failuresList.clear()
        for failure in failures[:MAX_FAILURES_SHOWN]:
            path, reason = printable(failure.path), reason_text(failure)
            item = QListWidgetItem(f"{path} — {reason}")
            item.setToolTip(plain_tip(f"{path}\n{reason}"))
            self.failuresList.addItem(item)
        more = max(total, len(failures)) - min(len(failures), MAX_FAILURES_SHOWN)
        if more > 0:
            self.failuresList.addItem(
                self.tr("… and %Ln more (filter the log by Failed)", "", more)
            )
        self._fit_failures()
        self.failuresList.setVisible(bool(failures) and not self._compact)
        self.summaryDetails.setVisible(not self._compact)
        self.show()

    def _fit_failures(self) -> None:
        """Whole rows, up to FAILURE_ROWS of them, then a scroll bar (every failure is in
        the log too, filter Failed): no row cut in half, and the log keeps its room; and
        room for the scroll bar a row wider than the list brings, below the rows."""
        rows = min(self.failuresList.count(), FAILURE_ROWS)
        row = max(self.failuresList.sizeHintForRow(0), 1) if rows else 0
        bar = self.failuresList.horizontalScrollBar()
        wide = bar.sizeHint().height() if rows and bar.maximum() > 0 else 0
        frames = 2 * self.failuresList.frameWidth()
        self.failuresList.setFixedHeight(row * rows + wide + frames)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.retryButton.setIcon(button_icon(Glyph.RETRY, self.palette()))

    def set_compact(self, compact: bool) -> None:
        """The compact view keeps the headline and the buttons."""
        self._compact = compact
        self.summaryDetails.setVisible(not compact)
        self.failuresList.setVisible(not compact and self.failuresList.count() > 0)

    def headline(self) -> str:
        return self.summaryLabel.text()

    def lists_failures(self) -> bool:
        return self.failuresList.count() > 0 and not self.isHidden()

    def set_running(self, running: bool) -> None:
        self.retryButton.setEnabled(not running)
