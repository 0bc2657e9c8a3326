"""The command line's filters, dry run, move and mirror: arguments and the plan's summary."""

from __future__ import annotations

import argparse
from typing import Any

from app.core.events import FileStatus
from app.core.filters import (
    BadFilter,
    Filters,
    check_patterns,
    parse_date,
    parse_size,
    read_pattern_file,
    reads_as_comment,
)
from app.core.reasons import human_bytes
from app.core.report import CopyReport


class BadPlan(ValueError):
    """Arguments that cannot make a plan: exit 2 before anything is written."""


def _pattern_problem(pattern: str, option: str) -> str:
    """Why a pattern typed on the command line would leave out nothing, unsaid ("" if
    it would not): gitignore drops a blank one and reads one starting with # as a
    comment (--include '' read "bad pattern '!'"); not --include's, which is `!#x`."""
    if not pattern.strip():
        return "an empty pattern"
    if reads_as_comment(pattern) and option != "--include":
        return f"'{pattern}' reads as a comment in gitignore: put a backslash before the #"
    return ""


class _Pattern(argparse.Action):
    """--exclude, --include and --exclude-from add to one list, in command-line order,
    because gitignore patterns are evaluated in order (the last match wins)."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: Any, value: Any, option: Any = None
    ) -> None:
        if option == "--exclude-from" and not value:
            parser.error(f"argument {option}: an empty path")
        if option != "--exclude-from" and (problem := _pattern_problem(value, option)):
            parser.error(f"argument {option}: {problem}")
        patterns = list(getattr(namespace, "patterns", None) or [])
        if option == "--include":
            patterns.append("!" + value)
        elif option == "--exclude-from":
            patterns.append(_FromFile(value))
        else:
            patterns.append(value)
        namespace.patterns = patterns


class _FromFile(str):
    """A pattern file named on the command line: read when the options are built."""


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("what to copy (gitignore patterns, relative to SOURCE)")
    for flag, metavar, text in (
        ("--exclude", "PATTERN", "leave out what PATTERN matches (*.log, node_modules/, /build)"),
        ("--include", "PATTERN", "take back what an earlier pattern left out (like !PATTERN)"),
        ("--exclude-from", "FILE", "read patterns from FILE (a .gitignore works)"),
    ):
        group.add_argument(
            flag, action=_Pattern, dest="patterns", default=[], metavar=metavar, help=text
        )
    group.add_argument("--newer-than", metavar="DATE", help="only files modified after DATE")
    group.add_argument("--larger-than", metavar="SIZE", help="only files of more than SIZE")
    group.add_argument("--smaller-than", metavar="SIZE", help="only files of less than SIZE")
    mode = parser.add_argument_group("plan and mode")
    mode.add_argument(
        "--dry-run", action="store_true", help="show what would happen, write nothing"
    )
    mode.add_argument(
        "--move", action="store_true", help="remove each source file once its copy is on disk"
    )
    mode.add_argument(
        "--mirror",
        action="store_true",
        help="delete what the target has and the source lacks (excluded entries stay)",
    )


def plan_options(args: argparse.Namespace) -> dict[str, Any]:
    """CopyOptions fields the arguments ask for; BadPlan says what cannot be done."""
    if args.move and args.follow_symlinks:  # followed links lead to files not ours to remove
        raise BadPlan("--move cannot be combined with --follow-symlinks")
    if args.move and args.mirror:  # a second run would delete what the first one moved
        raise BadPlan("--move cannot be combined with --mirror")
    try:
        filters = filters_from(args)
    except BadFilter as bad:
        raise BadPlan(str(bad)) from None
    if filters.keeps_no_size():
        raise BadPlan("--larger-than and --smaller-than leave no file of any size to copy")
    return {"filters": filters, "dry_run": args.dry_run, "move": args.move, "mirror": args.mirror}


def filters_from(args: argparse.Namespace) -> Filters:
    """The Filters the arguments ask for; BadFilter says what cannot be understood."""
    patterns: list[str] = []
    for item in args.patterns:
        patterns += read_pattern_file(item) if isinstance(item, _FromFile) else [item]
    check_patterns(tuple(patterns))
    return Filters(
        tuple(patterns),
        newer_than_ns=parse_date(args.newer_than) if args.newer_than is not None else None,
        larger_than=parse_size(args.larger_than) if args.larger_than is not None else None,
        smaller_than=parse_size(args.smaller_than) if args.smaller_than is not None else None,
    )


def plan_text(report: CopyReport) -> str:
    """What a dry run found: each action's count and the bytes a copy would write."""
    actions = report.actions()
    planned = (
        ", ".join(f"{actions[a]} to {a}" for a in _PLAN_ORDER if actions[a]) or "nothing to do"
    )
    extra = [
        f"{n} {label}"
        for n, label in (
            (report.count(FileStatus.FAILED), "cannot be copied"),
            (report.to_refresh(), "up to date but for their mode, group or attributes (set again)"),
            (report.excluded, "excluded"),
        )
        if n
    ]
    head = "Dry run, nothing written" + (" (cancelled)" if report.cancelled else "")
    text = f"{head}: {planned}; {human_bytes(report.bytes_copied)} to write"
    if report.moved is not None:  # as a move's summary counts them
        text += f"; {report.moved} to move, {report.stayed} to stay in the source"
    return "; ".join([text, *extra])


_PLAN_ORDER = ("copy", "replace", "rename", "link", "delete", "skip", "ask")
