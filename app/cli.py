"""`python -m app copy SOURCE TARGET`: the engine with terminal progress or JSON lines."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from typing import Any, TextIO

from app.core.events import FilesFinished, JobEvent, Notice, Progress, display_path
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.report import EXIT_REFUSED, CopyReport, file_record

CLI_POLICIES = [p.value for p in ConflictPolicy if p is not ConflictPolicy.ASK]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    return parser


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


class TerminalView:
    """A live progress line on stderr (only on a terminal), then a summary."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.live = err.isatty()

    def __call__(self, event: JobEvent) -> None:
        if isinstance(event, Notice):
            self._line(display_path(event.message))
        elif isinstance(event, FilesFinished):
            for r in event.results:
                if r.status.value == "failed":
                    self._line(f"failed: {display_path(r.path)}: {display_path(r.reason)}")
        elif isinstance(event, Progress) and self.live:
            self.err.write("\r\x1b[K" + progress_text(event))
            self.err.flush()

    def _line(self, text: str) -> None:
        self.err.write(("\r\x1b[K" if self.live else "") + text + "\n")

    def finish(self, report: CopyReport) -> None:
        if self.live:
            self.err.write("\r\x1b[K")
        self.err.write(summary_text(report) + "\n")


def progress_text(p: Progress) -> str:
    speed = p.bytes_done / p.elapsed if p.elapsed > 0 else 0.0
    total = "" if p.scan_done else "+"
    eta = "--"
    if p.scan_done and speed > 0:
        eta = f"{(p.bytes_total - p.bytes_done) / speed:.0f}s"
    current = display_path(p.active[0].path) if p.active else ""
    return (
        f"{human_bytes(p.bytes_done)} / {human_bytes(p.bytes_total)}{total}  "
        f"{p.files_done}/{p.files_total}{total} files  {human_bytes(speed)}/s  ETA {eta}  "
        f"{current[-40:]}"
    )


def summary_text(report: CopyReport) -> str:
    if report.refused:
        return f"Refused: {display_path(report.refused)}"
    s = report.summary()
    head = "Cancelled" if report.cancelled else "Done"
    if report.was_successful() and s["copied"] + s["renamed"] == 0:
        head = "Everything was already up to date"
    lines = [
        f"{head}: {s['copied']} copied, {s['renamed']} renamed, {s['skipped']} skipped, "
        f"{s['failed']} failed; {human_bytes(s['bytes'])} in {report.seconds:.1f}s "
        f"({human_bytes(report.speed)}/s)"
    ]
    lines += [display_path(notice) for notice in report.notices]
    return "\n".join(lines)


class JsonView:
    """One JSON object per line on stdout: file, progress (twice a second), summary."""

    def __init__(self, out: TextIO) -> None:
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
            self._write({"event": "notice", "message": display_path(event.message)})

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
            }
        )

    def _write(self, record: dict[str, Any]) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()

    def finish(self, report: CopyReport) -> None:
        self._write_progress()  # the final state, even if it came within the throttle
        self._write(report.summary())


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
    options = CopyOptions(
        workers=args.workers,
        on_conflict=ConflictPolicy(args.on_conflict),
        follow_symlinks=args.follow_symlinks,
        fsync=args.fsync,
    )
    view: JsonView | TerminalView = JsonView(sys.stdout) if args.json else TerminalView(sys.stderr)
    job = CopyJob(args.source, args.target, options, on_event=view)
    # Ctrl-C and SIGTERM cancel cleanly (temps removed, summary printed), never mid-write.
    stops = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {signum: signal.signal(signum, lambda *_: job.cancel()) for signum in stops}
    try:
        report = job.run()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    view.finish(report)
    if args.json and report.refused:
        sys.stderr.write(f"Refused: {display_path(report.refused)}\n")
    if args.log:
        report.write_log(args.log)
    return report.exit_code()
