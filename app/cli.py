"""`python -m app copy|verify ...`: the engine with terminal progress or JSON lines."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.cli_plans import BadPlan, add_plan_arguments, plan_options
from app.cli_views import JsonView, Output, TerminalView, check_record
from app.core.conflicts import ASKING
from app.core.events import (
    Cancelling,
    JobEvent,
    printable,
)
from app.core.hashing import Algorithm
from app.core.job import CopyJob
from app.core.options import MAX_WORKERS, ConflictPolicy, CopyOptions
from app.core.outfile import not_a_file, untrusted_way
from app.core.preflight import output_clash, real_name, within
from app.core.processes import GROUP_SIGNALS
from app.core.readback import Checked, CheckStatus
from app.core.reasons import human_bytes
from app.core.report import EXIT_FAILURES, EXIT_REFUSED, CopyReport
from app.core.verify import VerifyJob, VerifyProgress, VerifyReport
from app.parser import Parser, a_file_path, a_path, one_of, whole_number

# A terminal cannot be asked.
CLI_POLICIES = [p.value for p in ConflictPolicy if p not in ASKING]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ferry copy",
        description="Copy the contents of SOURCE into TARGET (created when missing).",
    )
    parser.add_argument("source", type=a_path, help="folder whose contents are copied")
    parser.add_argument("target", type=a_path, help="folder that receives them")
    parser.add_argument(
        "--workers",
        type=whole_number,
        default=0,
        help="parallel workers (default: CPUs; at most 64)",
    )
    parser.add_argument(
        "--on-conflict",
        choices=CLI_POLICIES,
        type=one_of(CLI_POLICIES),
        default=ConflictPolicy.NEWER.value,
        help="when a target file exists (default: newer)",
    )
    parser.add_argument("--follow-symlinks", action="store_true", help="copy what links point to")
    parser.add_argument("--fsync", action="store_true", help="flush every file to disk")
    parser.add_argument("--json", action="store_true", help="JSON lines on stdout")
    parser.add_argument(
        "--log", metavar="FILE", type=a_file_path, help="write every file's result (.csv or JSONL)"
    )
    parser.add_argument(
        "--verify", action="store_true", help="read every copy back from the disk and compare"
    )
    parser.add_argument(
        "--manifest",
        metavar="FILE",
        type=a_file_path,
        help="write checksums of the copied tree (.sha256, .b3 or .xxh128), for "
        "`ferry verify FILE TARGET` or, in TARGET, sha256sum -c (both check every line), "
        "b3sum -c or xxhsum -c --strict; b3sum 1.x cannot check a name ending in a carriage "
        "return nor one not in UTF-8 (it stops there), xxhsum 0.8 one with a newline or "
        "ending in a carriage return; both then fail",
    )
    add_plan_arguments(parser)
    return parser


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
    """Ctrl-C, SIGTERM and a closed terminal's SIGHUP cancel cleanly (nothing
    half-written, summary printed where it still can be)."""
    previous = {signum: signal.signal(signum, lambda *_: cancel()) for signum in GROUP_SIGNALS}
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
    if not workers_in_range(parser, args.workers):
        return EXIT_REFUSED
    args.log = os.path.abspath(args.log) if args.log else ""  # written as checked
    if problem := _outputs_problem(args):
        sys.stderr.write(f"ferry copy: {printable(problem)}\n")
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
        outputs=(args.log,) if args.log else (),
        **plans,
    )
    out, err = Output(sys.stdout), Output(sys.stderr)
    if args.dry_run and (args.verify or args.manifest):  # (the real run's line, previewed)
        err.write("note: a dry run writes nothing: no copy to verify, no checksum file\n")
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
    # To the end: a Ctrl-C while the log is written, the job's record, cancels nothing
    # (before, it ended Ferry at once: no log, and its temp left behind).
    with cancelled_by_signals(job.cancel):
        report = job.run()
        return _told(report, args, view, out, err)


def _told(
    report: CopyReport,
    args: argparse.Namespace,
    view: JsonView | TerminalView,
    out: Output,
    err: Output,
) -> int:
    """The summary, and the log asked for; the exit code."""
    view.finish(report)
    if args.json and report.refused:
        err.write(f"Refused: {printable(str(report.refused))}\n")
    code = with_output_checked(out, err, report.exit_code())
    if args.log:
        try:
            report.write_log(args.log)
        except OSError as exc:
            err.write(f"The log could not be written: {printable(f'{exc.strerror}: {args.log}')}\n")
            return code or EXIT_FAILURES
    return code


def workers_in_range(parser: argparse.ArgumentParser, workers: int) -> bool:
    """Whether --workers is one Ferry takes; else said, with the usage."""
    if 0 <= workers <= MAX_WORKERS:  # (100,000 forked until the OOM killer came)
        return True
    parser.print_usage(sys.stderr)
    sys.stderr.write(f"{parser.prog}: --workers must be 0 (one per CPU) to {MAX_WORKERS}\n")
    return False


def with_output_checked(out: Output, err: Output, code: int) -> int:
    """`code`, or 1 where the output asked for could not all be written (said on stderr,
    if that still can be)."""
    if out.error:
        err.write(f"The output could not be written: {printable(out.error)}\n")
    return code or (EXIT_FAILURES if out.error or err.error else 0)


def _outputs_problem(args: argparse.Namespace) -> str:
    """Why --manifest or --log cannot be written as asked ("" if they can), before the
    copy: found after it, the copy's record would be lost (a move's sources gone). Both
    are absolute here, as they are written ("out/link/../x" is "out/x", not via link).

    Inside the target, only in the target folder itself: the copy may not make a folder
    below it (a link, excluded, in the way) and a mirror may delete one."""
    outputs = [(flag, path) for flag, path in (("--manifest", args.manifest), ("--log", args.log))]
    outputs = [(flag, os.path.abspath(path)) for flag, path in outputs if path]
    if len(outputs) == 2 and real_name(outputs[0][1]) == real_name(outputs[1][1]):
        return "--manifest and --log name the same file"
    target = os.path.abspath(args.target)
    for flag, path in outputs:
        folder = os.path.dirname(path)
        if path in (os.path.abspath(args.source), target) or os.path.isdir(path):
            return f"{flag} {path} is a folder"
        if not_a_file(path):
            return f"{flag} {path}: something other than a regular file holds that name"
        if untrusted_way(folder):
            return f"{flag} {path}: a link on its way is another user's, or in their folder"
        if real_name(folder) != real_name(target) and within(real_name(path), real_name(target)):
            return f"{flag} {path}: inside the target, only in the target folder itself"
        # (The copy makes the target folder; a dry run does not, and writes only its log.)
        made = folder == target and not (args.dry_run and flag == "--log")
        if not os.path.isdir(folder) and not made:
            return f"no folder to write {path} into"
        if flag == "--manifest" and (other := Algorithm.named_other(path)):
            return f"Ferry writes .sha256, .b3 or .xxh128 manifests, not .{other}: {path}"
        clash = output_clash(path, args.source, args.target) if flag == "--log" else None
        if clash is not None:  # (the job refuses such a manifest itself, in its words)
            inside, entry = clash
            if inside:
                return f"--log {path} would be written inside the source folder"
            return f"--log {path} would replace the copy of {entry}"
    return ""


# --- ferry verify MANIFEST [FOLDER] ---------------------------------------------------


def build_verify_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ferry verify",
        description="Check FOLDER against a checksum manifest, reading every file back "
        "from the disk (exit 0: all match; 1: a file differs or is missing; 2: the "
        "manifest cannot be read).",
    )
    parser.add_argument(
        "manifest", type=a_file_path, help="a .sha256, .b3 or .xxh128 file (sha256sum format)"
    )
    parser.add_argument("folder", nargs="?", type=a_path, help="default: the manifest's folder")
    parser.add_argument("--workers", type=whole_number, default=0, help="files read at once")
    parser.add_argument("--json", action="store_true", help="JSON lines on stdout")
    return parser


def verify_main(argv: list[str]) -> int:
    parser = build_verify_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_REFUSED if exit_.code else 0
    if not workers_in_range(parser, args.workers):
        return EXIT_REFUSED
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

    job = VerifyJob(args.manifest, args.folder, args.workers, checked, progress)
    with cancelled_by_signals(job.cancel):  # (to the end, as copy's)
        report = job.run()
        if live:
            err.write("\r\x1b[K")
        if args.json:
            json_out.write(report.summary())
        if report.error is not None or not args.json:
            err.write(verify_summary(report) + "\n")
        return with_output_checked(out, err, report.exit_code())


def verify_line(result: Checked) -> str:
    return f"{result.status.value}: {printable(result.path)}: {printable(str(result.why))}"


def verify_summary(report: VerifyReport) -> str:
    if report.error is not None:
        return f"Cannot verify: {printable(str(report.error))}"
    s = report.summary()
    head = "Cancelled" if report.cancelled else "Verified" if report.exit_code() == 0 else "Differs"
    cached = f" ({s['cached']} through the system's cache only)" if s["cached"] else ""
    counts = f"{s['ok']} ok{cached}, {s['failed']} failed, {s['missing']} missing"
    return f"{head}: {counts} in {report.seconds:.1f}s"
