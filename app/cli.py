"""`python -m app copy|verify ...`: the engine with terminal progress or JSON lines."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from app.cli_plans import BadPlan, add_plan_arguments, plan_options, plan_text
from app.core.conflicts import ASKING
from app.core.events import (
    Cancelling,
    FilesChecked,
    FilesFinished,
    FileStatus,
    JobEvent,
    Notice,
    Progress,
    display_path,
    printable,
)
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.rate import Rate
from app.core.readback import Checked, CheckStatus
from app.core.reasons import UP_TO_DATE_CODES, Code, human_bytes
from app.core.report import EXIT_REFUSED, CopyReport, file_record, json_text
from app.core.verify import VerifyJob, VerifyProgress, VerifyReport
from app.parser import Parser

# A terminal cannot be asked.
CLI_POLICIES = [p.value for p in ConflictPolicy if p not in ASKING]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ferry copy",
        description="Copy the contents of SOURCE into TARGET (created when missing).",
    )
    parser.add_argument("source", help="folder whose contents are copied")
    parser.add_argument("target", help="folder that receives them")
    parser.add_argument("--workers", type=int, default=0, help="parallel workers (default: CPUs)")
    parser.add_argument(
        "--on-conflict",
        choices=CLI_POLICIES,
        default=ConflictPolicy.NEWER.value,
        help="when a target file exists (default: newer)",
    )
    parser.add_argument("--follow-symlinks", action="store_true", help="copy what links point to")
    parser.add_argument("--fsync", action="store_true", help="flush every file to disk")
    parser.add_argument("--json", action="store_true", help="JSON lines on stdout")
    parser.add_argument("--log", metavar="FILE", help="write every file's result (.csv or JSONL)")
    parser.add_argument(
        "--verify", action="store_true", help="read every copy back from the disk and compare"
    )
    parser.add_argument(
        "--manifest",
        metavar="FILE",
        help="write checksums of the copied tree (.sha256, .b3 or .xxh128; checked by "
        "sha256sum -c, b3sum -c, xxhsum -c in TARGET, or `ferry verify FILE TARGET`)",
    )
    add_plan_arguments(parser)
    return parser


class Output:
    """A stream that never stops the copy: a closed pipe (`| head`) only ends the printing.

    Text the stream's encoding cannot hold (latin-1, cp1252) is escaped, not fatal.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.open = True
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        self.utf8 = encoding in ("utf8", "utf_8")
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")

    def isatty(self) -> bool:
        return self.open and self.stream.isatty()

    def write(self, text: str) -> None:
        if not self.open:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (BrokenPipeError, ValueError):
            self.open = False
            _silence(self.stream)


def _silence(stream: TextIO) -> None:
    """Point a closed pipe at /dev/null, so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class TerminalView:
    """A live progress line on stderr (only on a terminal), then a summary."""

    def __init__(self, err: Output) -> None:
        self.err = err
        self.live = err.isatty()
        self.rate = Rate()

    def __call__(self, event: JobEvent) -> None:
        self.rate.observe(event)
        if isinstance(event, Notice):
            self._line(printable(event.message))
        elif isinstance(event, FilesFinished):
            for r in event.results:
                if r.status is FileStatus.FAILED:
                    self._line(f"failed: {printable(r.path)}: {printable(r.reason)}")
                elif r.status is FileStatus.PLANNED:  # a dry run lists what would change
                    why = f" ({printable(r.reason)})" if r.why else ""
                    self._line(f"{r.action}: {printable(r.path)}{why}")
        elif isinstance(event, FilesChecked):
            for checked in event.results:
                if checked.status is not CheckStatus.OK:
                    self._line(f"failed: {printable(checked.path)}: {printable(str(checked.why))}")
        elif isinstance(event, Progress) and self.live:
            self.err.write("\r\x1b[K" + progress_text(event, self.rate))

    def _line(self, text: str) -> None:
        self.err.write(("\r\x1b[K" if self.live else "") + text + "\n")

    def finish(self, report: CopyReport) -> None:
        if self.live:
            self.err.write("\r\x1b[K")
        self.err.write(summary_text(report, self.rate) + "\n")


def progress_text(p: Progress, rate: Rate) -> str:
    total = "" if p.scan_done else "+"
    left = rate.seconds_left()
    eta = "--" if left is None else f"{left:.0f}s"
    current = printable(p.active[0].path) if p.active else ""
    return ("verifying  " if p.phase == "verify" else "") + (
        f"{human_bytes(p.bytes_done)} / {human_bytes(p.bytes_total)}{total}  "
        f"{p.files_done}/{p.files_total}{total} files  {human_bytes(rate.speed)}/s  ETA {eta}  "
        f"{current[-40:]}"
    )


def summary_text(report: CopyReport, rate: Rate) -> str:
    if report.refused:
        return f"Refused: {printable(str(report.refused))}"
    s = report.summary()
    if report.dry_run:
        return plan_text(report)
    lines = [
        f"{_headline(report)}: {_counts_text(s)}; {human_bytes(s['bytes'])} in "
        f"{rate.running_seconds:.1f}s ({human_bytes(rate.average)}/s)"
    ]
    if report.verified is not None:
        lines[0] += f"; {report.verified} verified from the disk"
    if report.moved is not None:
        lines[0] += f"; {report.moved} moved, {report.stayed} stayed in the source"
    lines += [printable(str(notice)) for notice in report.notices]
    return "\n".join(lines)


KEPT_IN_TARGET = (Code.TARGET_NEWER, Code.EXISTS, Code.SAME_CONTENT, Code.OWNER_NOT_RENEWED)


def _headline(report: CopyReport) -> str:
    if report.stopped:
        return f"Stopped: {printable(str(report.stopped))}"
    if report.cancelled:
        return "Cancelled"
    written = report.count(FileStatus.COPIED) + report.count(FileStatus.RENAMED)
    if written + report.count(FileStatus.LINKED) or not report.was_successful():
        return "Done"
    skipped = [r.why.code for r in report.results if r.status is FileStatus.SKIPPED and r.why]
    kept = sum(code in KEPT_IN_TARGET for code in skipped)
    if kept:  # e.g. newer in the target: not "up to date", and the user should know
        return f"Nothing copied; {kept} file(s) in the target differ and were kept"
    others = sum(code not in UP_TO_DATE_CODES for code in skipped)  # special files, say
    if others:
        return f"Nothing copied; {others} entries cannot be copied as they are (--json says why)"
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
            self.unwritten = event
            if time.monotonic() - self.last_progress >= 0.5:
                self._write_progress()
        elif isinstance(event, Notice):
            self._write({"event": "notice", "message": printable(event.message)})
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
    record = {"event": event, "path": display_path(checked.path), "status": checked.status.value}
    if checked.why is not None:
        record["reason"] = display_path(str(checked.why))
    return record


def saying_cancel(view: Callable[[JobEvent], None], err: Output) -> Callable[[JobEvent], None]:
    """The view, and on stderr at once when a cancel has reached the workers: the summary
    may take a moment (files in progress are undone), and in either view."""

    def on_event(event: JobEvent) -> None:
        if isinstance(event, Cancelling):
            err.write("ferry: cancelling; files in progress are discarded\n")
        else:
            view(event)

    return on_event


@contextmanager
def cancelled_by_signals(cancel: Callable[[], None]) -> Iterator[None]:
    """Ctrl-C and SIGTERM cancel cleanly (nothing half-written, summary printed)."""
    stops = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {signum: signal.signal(signum, lambda *_: cancel()) for signum in stops}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_REFUSED if exit_.code else 0
    if args.workers < 0:
        parser.print_usage(sys.stderr)
        sys.stderr.write("ferry copy: --workers must be 0 (one per CPU) or more\n")
        return EXIT_REFUSED
    if args.manifest and not os.path.isdir(os.path.dirname(os.path.abspath(args.manifest))):
        sys.stderr.write(f"ferry copy: no folder to write {printable(args.manifest)} into\n")
        return EXIT_REFUSED
    try:
        plans = plan_options(args)
    except BadPlan as bad:
        sys.stderr.write(f"ferry copy: {printable(str(bad))}\n")
        return EXIT_REFUSED
    options = CopyOptions(
        workers=args.workers,
        on_conflict=ConflictPolicy(args.on_conflict),
        follow_symlinks=args.follow_symlinks,
        fsync=args.fsync,
        verify=args.verify,
        manifest=os.path.abspath(args.manifest) if args.manifest else "",
        **plans,
    )
    out, err = Output(sys.stdout), Output(sys.stderr)
    view: JsonView | TerminalView = JsonView(out) if args.json else TerminalView(err)
    # The view prints or streams every result as it comes; the report keeps all of them
    # only for --log, which writes them at the end.
    job = CopyJob(
        args.source,
        args.target,
        options,
        on_event=saying_cancel(view, err),
        keep_results=bool(args.log),
    )
    with cancelled_by_signals(job.cancel):
        report = job.run()
    view.finish(report)
    if args.json and report.refused:
        err.write(f"Refused: {printable(str(report.refused))}\n")
    if args.log:
        report.write_log(args.log)
    return report.exit_code()


# --- ferry verify MANIFEST [FOLDER] ---------------------------------------------------


def build_verify_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ferry verify",
        description="Check FOLDER against a checksum manifest, reading every file back "
        "from the disk (exit 0: all match; 1: a file differs or is missing; 2: the "
        "manifest cannot be read).",
    )
    parser.add_argument("manifest", help="a .sha256, .b3 or .xxh128 file (sha256sum format)")
    parser.add_argument("folder", nargs="?", help="default: the manifest's folder")
    parser.add_argument("--workers", type=int, default=0, help="files read at once")
    parser.add_argument("--json", action="store_true", help="JSON lines on stdout")
    return parser


def verify_main(argv: list[str]) -> int:
    try:
        args = build_verify_parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_REFUSED if exit_.code else 0
    out, err = Output(sys.stdout), Output(sys.stderr)
    json_out = JsonView(out)
    live = not args.json and err.isatty()

    def checked(result: Checked) -> None:
        if args.json:
            json_out.write(check_record(result, "file"))
        elif result.status is not CheckStatus.OK:
            err.write(("\r\x1b[K" if live else "") + verify_line(result) + "\n")

    def progress(p: VerifyProgress) -> None:
        if live:
            err.write(
                f"\r\x1b[Kverifying  {human_bytes(p.bytes_done)} / {human_bytes(p.bytes_total)}"
                f"  {p.files_done}/{p.files_total} files"
            )

    job = VerifyJob(args.manifest, args.folder, max(0, args.workers), checked, progress)
    with cancelled_by_signals(job.cancel):
        report = job.run()
    if live:
        err.write("\r\x1b[K")
    if args.json:
        json_out.write(report.summary())
    if report.error or not args.json:
        err.write(verify_summary(report) + "\n")
    return report.exit_code()


def verify_line(result: Checked) -> str:
    return f"{result.status.value}: {printable(result.path)}: {printable(str(result.why))}"


def verify_summary(report: VerifyReport) -> str:
    if report.error:
        return f"Cannot verify: {printable(report.error)}"
    s = report.summary()
    head = "Cancelled" if report.cancelled else "Verified" if report.exit_code() == 0 else "Differs"
    counts = f"{s['ok']} ok, {s['failed']} failed, {s['missing']} missing"
    return f"{head}: {counts} in {report.seconds:.1f}s"
