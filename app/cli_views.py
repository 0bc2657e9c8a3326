"""How a job shows in a terminal: the live progress line, failures and plans as they come,
the summary; or JSON lines for programs. Text from the job is escaped (printable)."""

from __future__ import annotations

import codecs
import os
import shutil
import time
import unicodedata
from collections.abc import Collection
from typing import Any, TextIO

from app.cli_plans import plan_text
from app.core.events import (
    FilesChecked,
    FilesFinished,
    FileStatus,
    JobEvent,
    Notice,
    Progress,
    SourcesStayed,
    code_point_escape,
    display_path,
    printable,
)
from app.core.rate import Rate
from app.core.readback import Checked, CheckStatus
from app.core.reasons import UP_TO_DATE_CODES, Code, human_bytes
from app.core.report import CopyReport, file_record, json_text


def _unicode_escape(error: UnicodeError) -> tuple[str, int]:
    """Characters a stream's encoding cannot hold, escaped as characters (é and the byte
    0xe9 of a name must not print alike)."""
    assert isinstance(error, UnicodeEncodeError)
    return "".join(map(code_point_escape, error.object[error.start : error.end])), error.end


codecs.register_error("ferry-escape", _unicode_escape)


class Output:
    """A stream that never stops the copy: a closed pipe (`| head`) only ends the printing,
    and so does a stream that cannot be written (a full disk: `error` says why).

    Text the stream's encoding cannot hold (latin-1, cp1252) is escaped, not fatal.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.open = True
        self.error = ""  # why the printing ended, if not a closed pipe
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        self.utf8 = encoding in ("utf8", "utf_8")
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="ferry-escape")

    def isatty(self) -> bool:
        return self.open and self.stream.isatty()

    def columns(self) -> int:
        """The width of the terminal the stream is on (else, or where it says 0, as the
        environment says: $COLUMNS, or 80)."""
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError):
            columns = 0
        return columns or shutil.get_terminal_size().columns

    def write(self, text: str) -> None:
        if getattr(self.stream, "ferry_closed", False):  # closed before Ferry started
            self.open, self.error = False, self.error or "the stream was closed"
        if not self.open:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError) as exc:
            self.open = False
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                self.error = exc.strerror or str(exc)
            _silence(self.stream)


def _silence(stream: TextIO) -> None:
    """Point a closed pipe at /dev/null, so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


# What a copy did not keep, or where it came from: said of each file, as `cp -a` warns.
# (Others, a group not kept say, are counted in one notice, or listed by --log and --json.)
TOLD_PER_FILE = {
    Code.LEFT_SOURCE,
    Code.SETID_DROPPED,
    Code.SPECIAL_BITS_REFUSED,
    Code.TIME_NOT_KEPT,
    Code.SETID_FROM_NOSUID,
    Code.DEVICE_ON_NODEV,
    Code.SPECIAL_NOT_MADE,
    Code.RECOPIED,
}


class TerminalView:
    """A live progress line on stderr (only on a terminal), then a summary."""

    def __init__(self, err: Output) -> None:
        self.err = err
        self.live = err.isatty()
        self.rate = Rate()
        self.told: set[str] = set()  # notices printed as they came: not again at the end

    def __call__(self, event: JobEvent) -> None:
        self.rate.observe(event)
        if isinstance(event, Notice):
            self._line(printable(event.message))
            self.told.add(event.message)
        elif isinstance(event, FilesFinished):
            for r in event.results:
                if r.status is FileStatus.FAILED:
                    self._line(f"failed: {printable(r.path)}: {printable(r.reason)}")
                elif r.status is FileStatus.PLANNED:  # a dry run lists what would change
                    why = f" ({printable(r.reason)})" if r.why else ""
                    self._line(f"{r.action}: {printable(r.path)}{why}")
                elif r.why is not None and r.why.code is Code.STALE_TEMP:
                    self._line(f"deleted: {printable(r.path)} ({printable(r.reason)})")
                elif r.why is not None and r.why.code in TOLD_PER_FILE:
                    self._line(f"note: {printable(r.path)}: {printable(r.reason)}")
        elif isinstance(event, SourcesStayed):
            for r in event.results:
                self._line(f"stayed: {printable(r.path)}: {printable(r.reason)}")
        elif isinstance(event, FilesChecked):
            for checked in event.results:
                if checked.status is not CheckStatus.OK:
                    self._line(f"failed: {printable(checked.path)}: {printable(str(checked.why))}")
        elif isinstance(event, Progress) and self.live:
            self.err.write("\r\x1b[K" + progress_text(event, self.rate, self.err.columns()))

    def _line(self, text: str) -> None:
        self.err.write(("\r\x1b[K" if self.live else "") + text + "\n")

    def finish(self, report: CopyReport) -> None:
        if self.live:
            self.err.write("\r\x1b[K")
        self.err.write(summary_text(report, self.rate, self.told) + "\n")


def progress_text(p: Progress, rate: Rate, columns: int = 80) -> str:
    """The live line, narrower than the terminal's `columns`: a line that wrapped would
    leave its first rows on the screen (\x1b[K clears only the last)."""
    total = "" if p.scan_done else "+"
    left = rate.seconds_left()
    eta = "--" if left is None else f"{left:.0f}s"
    if p.phase == "mirror":  # (how many to go is known only at the end)
        line = f"deleting what the source does not have  {p.files_done} deleted"
    elif p.phase == "move":  # (no bytes, no speed: most sources go without a read)
        line = f"removing moved sources  {p.files_done}/{p.files_total} files"
        if p.files_done >= p.files_total:  # then emptied folders go, and a sync follows
            line += "  flushing to disk"
    else:
        line = ("verifying  " if p.phase == "verify" else "") + (
            f"{human_bytes(p.bytes_done)} / {human_bytes(p.bytes_total)}{total}  "
            f"{p.files_done}/{p.files_total}{total} files  {human_bytes(rate.speed)}/s  ETA {eta}"
        )
    room = columns - 1 - len(line) - 2
    if not p.active or room < 10:
        return line[: max(columns - 1, 0)]
    return f"{line}  {_end_fitting(p.active[0].path, room)}"


def _end_fitting(name: str, columns: int) -> str:
    """The name escaped, or "..." and as much of its end as fits in `columns`: cut before
    it is escaped (a cut escape, "x1b", would read as part of the name)."""
    shown = printable(name)
    if _width(shown) <= columns:
        return shown
    low, high = 1, len(name)  # the first character of the longest end that fits
    while low < high:
        middle = (low + high) // 2
        if _width(printable(name[middle:])) + 3 <= columns:
            high = middle
        else:
            low = middle + 1
    while low < len(name) and unicodedata.combining(name[low]):
        low += 1  # (a mark cut from its letter would sit on the dots)
    return "..." + printable(name[low:])


def _width(text: str) -> int:
    """Terminal columns of printable text: wide (CJK) characters take two, marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def summary_text(report: CopyReport, rate: Rate, told: Collection[str] = ()) -> str:
    """The last lines: the headline, counts, and the notices not `told` already."""
    if report.refused:
        refused = f"Refused: {printable(str(report.refused))}"
        planned = report.dry_run and report.results  # e.g. too big for the target: the plan
        return f"{plan_text(report)}\n{refused}" if planned else refused
    lines = [plan_text(report) if report.dry_run else _done_text(report, rate)]
    lines += [printable(str(notice)) for notice in report.notices if str(notice) not in told]
    return "\n".join(lines)


def _done_text(report: CopyReport, rate: Rate) -> str:
    s = report.summary()
    text = (
        f"{_headline(report)}: {_counts_text(s)}; {human_bytes(s['bytes'])} in "
        f"{rate.running_seconds:.1f}s ({human_bytes(rate.average)}/s)"
    )
    if report.verified is not None:
        text += f"; {report.verified} verified from the disk"
        if report.verified_cached:  # (fromdisk: a FUSE stick as a user, data kept inline)
            text += f", {report.verified_cached} compared through the system's cache only"
    if report.moved is not None:
        text += f"; {report.moved} moved, {report.stayed} stayed in the source"
        if report.held:  # (the exit code is 1: the move did not do all it was asked)
            text += f", {report.held} of them as their copies could not take their place"
    return text


KEPT_IN_TARGET = (Code.TARGET_NEWER, Code.EXISTS, Code.SAME_CONTENT, Code.OWNER_NOT_RENEWED)


def _headline(report: CopyReport) -> str:
    if report.stopped:
        return f"Stopped: {printable(str(report.stopped))}"
    if report.cancelled:
        return "Cancelled"
    if report.disk_full:
        return "Stopped: the target disk is full"
    written = report.count(FileStatus.COPIED) + report.count(FileStatus.RENAMED)
    if written + report.count(FileStatus.LINKED) or not report.was_successful():
        return "Done"
    skipped = [r.why.code for r in report.results if r.status is FileStatus.SKIPPED and r.why]
    kept = sum(code in KEPT_IN_TARGET for code in skipped)
    if kept:  # e.g. newer in the target: not "up to date", and the user should know
        return f"Nothing copied; {kept} file(s) in the target differ and were kept"
    others = sum(code not in UP_TO_DATE_CODES for code in skipped)  # temp-named ones, say
    if others:
        return f"Nothing copied; {others} entries cannot be copied as they are (--json says why)"
    if report.deleted:  # a mirror's: not "up to date" before it
        return f"Nothing copied; {report.deleted} deleted from the target"
    if not report.count(FileStatus.SKIPPED) and report.excluded:
        return "Nothing copied (the filters left out every file)"
    refreshed = skipped.count(Code.METADATA_REFRESHED)
    if refreshed:
        return (
            "Everything was already up to date"
            f" (mode, group or attributes set again on {refreshed})"
        )
    return "Everything was already up to date"


def _counts_text(s: dict[str, Any]) -> str:
    parts = [f"{s['copied']} copied"]
    for key, label in (
        ("linked", "linked"),
        ("renamed", "renamed"),
        ("skipped", "skipped"),
        ("failed", "failed"),
        ("cancelled_files", "interrupted"),
        ("not_started", "not started"),
        ("excluded", "excluded"),
        ("deleted", "deleted"),
    ):
        if s[key] or key in ("skipped", "failed"):
            parts.append(f"{s[key]} {label}")
    return ", ".join(parts)


class JsonView:
    """One JSON object per line on stdout: file, progress (twice a second), summary."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.last_progress = 0.0
        self.unwritten: Progress | None = None

    def __call__(self, event: JobEvent) -> None:
        if isinstance(event, FilesFinished):
            for result in event.results:
                self._write(file_record(result))
        elif isinstance(event, Progress):
            if self.unwritten is not None and self.unwritten.phase != event.phase:
                self._write_progress()  # each phase's last figures (the copy's 100 %)
            self.unwritten = event
            if time.monotonic() - self.last_progress >= 0.5:
                self._write_progress()
        elif isinstance(event, Notice):
            self._write({"event": "notice", "message": printable(event.message)})
        elif isinstance(event, SourcesStayed):
            for result in event.results:
                self._write(file_record(result) | {"event": "stayed"})
        elif isinstance(event, FilesChecked):
            for checked in event.results:
                self._write(check_record(checked, "verify"))

    def _write_progress(self) -> None:
        event, self.unwritten = self.unwritten, None
        if event is None:
            return
        self.last_progress = time.monotonic()
        self._write(
            {
                "event": "progress",
                "files_done": event.files_done,
                "files_total": event.files_total,
                "bytes_done": event.bytes_done,
                "bytes_total": event.bytes_total,
                "scan_done": event.scan_done,
                "seconds": round(event.elapsed, 3),
                "phase": event.phase,
            }
        )

    def write(self, record: dict[str, Any]) -> None:
        self._write(record)

    def _write(self, record: dict[str, Any]) -> None:
        # ASCII-only JSON (\uXXXX escapes) where the stream cannot hold every character.
        self.out.write(json_text(record, ascii_only=not self.out.utf8) + "\n")

    def finish(self, report: CopyReport) -> None:
        self._write_progress()  # the final state, even if it came within the throttle
        self._write(report.summary())


def check_record(checked: Checked, event: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event": event,
        "path": display_path(checked.path),
        "status": checked.status.value,
    }
    if checked.cached:  # (matched, but as read through the system's cache: fromdisk)
        record["cached"] = True
    if checked.why is not None:  # (the reason's stable name too, as a file event's)
        record["reason"] = display_path(str(checked.why))
        record["code"] = checked.why.code.name.lower()
    return record
