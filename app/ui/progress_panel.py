"""Progress of the running job: the bar, the status line, the current file, graph, notices.

A copy that verifies ends with a verify phase: the bar and the status line then tell of
reading back (files and bytes to re-read, speed, time left); a move ends with its
removals (files gone through). The copy's own figures stay where the copy left them,
frozen, on the line below.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.events import FileResult, Progress, printable
from app.core.rate import Rate
from app.ui.accessible import PercentBar
from app.ui.accessible import install as install_accessible
from app.ui.format import (
    fill,
    human_bytes,
    human_count,
    human_duration,
    human_speed,
    plain_tip,
)
from app.ui.speed_graph import SpeedGraph
from app.ui.tones import Tone, ToneLabel

PERMILLE = 1000  # the bar runs 0..1000: QProgressBar takes a 32-bit int, totals can be TiB
BIG_FILE = 8 << 20  # files at least this big get their own progress bar while copying


class ProgressPanel(QWidget):
    """Shows the snapshots the controller sends; knows nothing of how they are made.

    Signals:
        percentChanged(int): the whole copy's progress in percent changed.
    """

    percentChanged = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("progressPanel")
        self.rate = Rate()
        self.scan_done = False  # as of the last snapshot shown (not after a cancel)
        self._percent = -1
        self._frozen = False
        self._phase = "copy"
        self._last_copy: Progress | None = None  # the copy's figures, for the phases after
        self._details = True  # the full view (not the compact one)
        self._failures_listed = False  # the summary lists a job's failures

        install_accessible()
        self.totalProgress = PercentBar()
        self.totalProgress.setObjectName("totalProgress")
        self.totalProgress.setRange(0, PERMILLE)
        self.totalProgress.setValue(0)
        self.totalProgress.setFormat("%p%")
        self.statusLabel = QLabel(self.tr("Ready."))
        self.statusLabel.setObjectName("statusLabel")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        # Wrapped: a refusal's long reason on one line made the window wider than its
        # frame, which scrolled sideways, Start out of sight (review of stop 38).
        self.statusLabel.setWordWrap(True)
        self.currentLabel = QLabel()
        self.currentLabel.setObjectName("currentLabel")
        self.currentLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.currentLabel.setMinimumWidth(100)
        self.currentLabel.hide()  # until a copy runs
        self.fileProgress = PercentBar()
        self.fileProgress.setObjectName("fileProgress")
        self.fileProgress.setRange(0, PERMILLE)
        self.fileProgress.setMaximumWidth(160)
        self.fileProgress.setMaximumHeight(14)
        self.fileProgress.setTextVisible(False)
        self.fileProgress.hide()
        current = QHBoxLayout()
        current.addWidget(self.currentLabel, 1)
        current.addWidget(self.fileProgress)
        self.noticeLabel = ToneLabel(Tone.NOTICE)
        self.noticeLabel.setObjectName("noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.noticeLabel.hide()
        self.speedGraph = SpeedGraph()
        self.speedGraph.setObjectName("speedGraph")
        self.totalProgress.setAccessibleName(self.tr("Progress of the whole copy"))
        self.fileProgress.setAccessibleName(self.tr("Progress of the current file"))
        self.speedGraph.setAccessibleName(self.tr("Speed graph"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.totalProgress)
        layout.addWidget(self.statusLabel)
        layout.addLayout(current)
        layout.addWidget(self.speedGraph)
        layout.addWidget(self.noticeLabel)

    def begin(self, verify_only: bool = False) -> None:
        """A new job; `verify_only`: a folder checked against a manifest (no copy)."""
        self._frozen = False
        self._phase = "copy"
        self._last_copy = None
        self.rate = Rate()
        self.scan_done = False
        self.speedGraph.clear()
        self._failures_listed = False
        self._show_graph()
        self.noticeLabel.hide()
        self.noticeLabel.clear()
        self._set_bar(0)
        self.currentLabel.clear()
        self.currentLabel.show()
        self.fileProgress.hide()
        reading = self.tr("Reading the checksums…") if verify_only else self.tr("Scanning…")
        self.statusLabel.setText(reading)

    def _set_bar(self, value: int) -> None:
        self.totalProgress.setValue(min(PERMILLE, max(0, value)))
        percent = self.totalProgress.value() // 10
        if percent != self._percent:
            self._percent = percent
            self.percentChanged.emit(percent)

    def percent(self) -> int:
        return self.totalProgress.value() // 10

    def permille(self) -> int:
        return self.totalProgress.value()

    def set_details(self, details: bool) -> None:
        """The compact view hides the graph and the notices."""
        self._details = details
        self._show_graph()
        self.noticeLabel.setVisible(details and bool(self.noticeLabel.text()))

    def _show_graph(self) -> None:
        # After a job with failures the summary lists them: they take the graph's room
        # (at 1366x768 the window scrolled its folders away, in Chinese by 72 px).
        self.speedGraph.setVisible(self._details and not self._failures_listed)

    def freeze(self, status: str) -> None:
        """Cancelling: the bar stays where it is. Files cut short count as done in the
        engine's totals, so the last snapshots would jump it forward (25 % to 50 %, seen)."""
        self._frozen = True
        self.statusLabel.setText(status)

    def show_progress(self, p: Progress, waiting: bool) -> None:
        """A snapshot; `waiting`: a question to the user is open, so nothing is flushing."""
        if self._frozen:
            return
        self.scan_done = p.scan_done
        if p.bytes_total > 0:
            value = PERMILLE * p.bytes_done // p.bytes_total
        elif p.files_total > 0:
            value = PERMILLE * p.files_done // p.files_total
        else:
            value = PERMILLE if p.scan_done else 0
        self._set_bar(value)
        self.rate.update(p)
        if p.phase == "verify":
            self._show_verify(p)
            return
        if p.phase == "move":
            self._show_move(p)
            return
        if p.phase == "mirror":
            self._show_mirror(p)
            return
        self._phase = p.phase  # (the copy's figures again after a mirror, as it flushes)
        self._last_copy = p
        self.speedGraph.set_paused(p.paused)
        if not p.paused:
            self.speedGraph.add_sample(p.elapsed, self.rate.speed)
        self.statusLabel.setText(self._status_text(p, waiting))
        self._show_active(p)

    def _copy_figures(self) -> str:
        copy = self._last_copy
        if copy is None:  # a folder checked against a manifest: no copy
            return ""
        return fill(
            self.tr("Copy: %Ln file(s), %2 · average %3", "", copy.files_done),
            "",  # (%1: the count, filled in by tr)
            human_bytes(copy.bytes_done),
            human_speed(self.rate.average),
        )

    def _of_files(self, done: int, total: int, counted: bool = True) -> str:
        """ "3 of 5 files": the plural of the total ("0 of 1 files" was said); "3 of 5+
        files" while the scan still counts."""
        if not counted:
            return fill(self.tr("%1 of %2 files"), human_count(done), human_count(total) + "+")
        return fill(self.tr("%1 of %Ln file(s)", "", total), human_count(done))

    def verifying(self) -> bool:
        return self._phase == "verify"

    def _enter(self, phase: str) -> None:
        """A phase after the copy: its own figures; the copy's stay as they were (and so
        does the graph, which shows writing)."""
        if self._phase != phase:
            self._phase = phase
            self.speedGraph.set_paused(False)  # (it shows the copy's writing, now over)
            self.fileProgress.hide()
            self.currentLabel.setToolTip("")
            self.currentLabel.setText(self._copy_figures())

    def _show_mirror(self, p: Progress) -> None:
        """Deleting what the source lacks: entries deleted (how many to go is unknown)."""
        self._enter("mirror")
        deleted = human_count(p.files_done)
        if p.paused:
            text = self.tr("Paused — deleting what the source does not have: %1 deleted")
        else:
            text = self.tr("Deleting what the source does not have: %1 deleted")
        self.statusLabel.setText(fill(text, deleted))

    def _show_move(self, p: Progress) -> None:
        """Removing the sources of a move: files gone through (most go without a read)."""
        self._enter("move")
        files = self._of_files(p.files_done, p.files_total)
        if p.paused:
            self.statusLabel.setText(fill(self.tr("Paused — removing moved sources: %1"), files))
        elif p.files_done >= p.files_total:  # then emptied folders go, and a sync follows
            self.statusLabel.setText(
                fill(self.tr("Moved sources removed: %1 — flushing to disk"), files)
            )
        else:
            self.statusLabel.setText(fill(self.tr("Removing moved sources: %1"), files))

    def _show_verify(self, p: Progress) -> None:
        """Reading back: files and bytes, speed and time left of reading."""
        self._enter("verify")
        parts = [
            self._of_files(p.files_done, p.files_total),
            fill(self.tr("%1 of %2"), human_bytes(p.bytes_done), human_bytes(p.bytes_total)),
        ]
        if p.paused:
            self.statusLabel.setText(fill(self.tr("Paused — verifying: %1"), " · ".join(parts)))
            return
        if self.rate.speed > 0:  # 0: not measured yet (reading back has just begun)
            parts.append(human_speed(self.rate.speed))
        left = self.rate.seconds_left()
        if left is not None and p.bytes_done < p.bytes_total:
            parts.append(fill(self.tr("%1 left"), human_duration(left)))
        self.statusLabel.setText(fill(self.tr("Verifying: %1"), " · ".join(parts)))

    def add_results(self, results: list[FileResult]) -> None:
        """Files that finished; call before the snapshot that follows them."""
        self.rate.add_results(results)

    def _status_text(self, p: Progress, waiting: bool) -> str:
        more = "" if p.scan_done else "+"
        parts = [
            self._of_files(p.files_done, p.files_total, p.scan_done),
            fill(self.tr("%1 of %2"), human_bytes(p.bytes_done), human_bytes(p.bytes_total) + more),
        ]
        if p.paused:  # nothing is written meanwhile: no speed, no time left
            return fill(self.tr("Paused — %1"), " · ".join(parts))
        parts.append(human_speed(self.rate.speed))
        left = self.rate.seconds_left()
        if left is not None and p.bytes_done < p.bytes_total:
            parts.append(fill(self.tr("%1 left"), human_duration(left)))
        text = " · ".join(parts)
        if p.scan_done and p.files_done >= p.files_total and not waiting:
            return fill(self.tr("Flushing to disk — %1"), text)
        return text

    def _show_active(self, p: Progress) -> None:
        if not p.active:
            self.currentLabel.clear()
            self.fileProgress.hide()
            return
        active = sorted(p.active, key=lambda a: a.size, reverse=True)
        first = active[0]
        text = fill(self.tr("Copying %1"), printable(first.path))
        if len(active) > 1:
            text += " " + self.tr("(and %Ln more)", "", len(active) - 1)
        metrics = self.currentLabel.fontMetrics()
        width = max(100, self.currentLabel.width())
        self.currentLabel.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width))
        self.currentLabel.setToolTip(plain_tip("\n".join(printable(a.path) for a in active)))
        if first.size >= BIG_FILE:
            self.fileProgress.setValue(min(PERMILLE, PERMILLE * first.done // first.size))
            self.fileProgress.setToolTip(
                fill(self.tr("%1 of %2"), human_bytes(first.done), human_bytes(first.size))
            )
            self.fileProgress.show()
        else:
            self.fileProgress.hide()

    def title(self, running: bool, cancelling: bool, waiting: bool, paused: bool) -> str:
        """The window title: the state a taskbar should show, and the percentage."""
        percent = str(self.percent())
        if not running:
            return self.tr("Ferry")
        if cancelling:
            return self.tr("Cancelling — Ferry")
        if self._phase == "verify":
            return fill(self.tr("Verifying — %1% — Ferry"), percent)
        if waiting:
            return fill(self.tr("Waiting for you — %1% — Ferry"), percent)
        if paused:
            return fill(self.tr("Paused — %1% — Ferry"), percent)
        if self._phase == "move":
            return fill(self.tr("Removing moved sources — %1% — Ferry"), percent)
        if self._phase == "mirror":
            return fill(self.tr("Mirroring — %1% — Ferry"), percent)
        return fill(self.tr("%1% — Ferry"), percent)

    def set_status(self, text: str) -> None:
        self.statusLabel.setText(text)

    def add_notice(self, message: str) -> None:
        current = self.noticeLabel.text()
        self.noticeLabel.setText(f"{current}\n{message}" if current else message)
        self.noticeLabel.show()

    def drop_notices(self, said: set[str]) -> None:
        """Notices the summary says too are not said twice (the summary keeps them)."""
        kept = [line for line in self.noticeLabel.text().split("\n") if line and line not in said]
        self.noticeLabel.setText("\n".join(kept))
        if not kept:
            self.noticeLabel.hide()

    def failures_gone(self) -> None:
        """The summary that listed failures went (the folders or options changed)."""
        self._failures_listed = False
        self._show_graph()

    def finish(self, status: str, complete: bool, failures_listed: bool = False) -> None:
        """The job ended: `status` for the status line; a complete job fills the bar;
        `failures_listed`: the summary lists failures, in the graph's room."""
        self._failures_listed = failures_listed
        self._show_graph()
        self.speedGraph.set_paused(False)  # (cancelled while paused)
        self.currentLabel.clear()
        self.currentLabel.hide()  # no current file any more: no empty line either
        self.fileProgress.hide()
        self.statusLabel.setText(status)
        if complete:
            self._set_bar(PERMILLE)
