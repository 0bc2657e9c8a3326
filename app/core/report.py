"""The final report of a copy job, and its CSV / JSON-lines export."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.core.events import FileResult, FileStatus, display_path, printable
from app.core.outfile import replaced_text
from app.core.reasons import Code, Reason

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130
# PLANNED: a dry run's bytes are those it would write (deletes and links have none).
_WRITTEN = (FileStatus.COPIED, FileStatus.RENAMED, FileStatus.PLANNED)
# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...));
# also with a tab or CR, which csv_cell shows as escapes anyway.
_FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Tally:
    """What a report needs of every file: how many ended how, and the bytes written."""

    counts: Mapping[FileStatus, int]
    bytes_written: int

    @classmethod
    def of(cls, results: tuple[FileResult, ...]) -> Tally:
        written = sum(result.bytes for result in results if result.status in _WRITTEN)
        return cls(Counter(result.status for result in results), written)


@dataclass(frozen=True)
class CopyReport:
    """How a job ended. `results` holds every file's result, or, when the job was told
    not to keep them all, only those worth reading (see CopyJob); `tally` counts them all.
    """

    source: str
    target: str
    results: tuple[FileResult, ...] = ()
    seconds: float = 0.0  # running time, pauses excluded
    cancelled: bool = False
    refused: Reason | None = None  # why the job did not start: nothing was written
    stopped: Reason | None = None  # why the job stopped after writing began
    disk_full: bool = False
    channel_lost: bool = False  # the progress channel (Manager process) died
    notices: tuple[Reason, ...] = field(default_factory=tuple)
    not_started: int = 0  # files found but never started (cancelled or stopped)
    verified: int | None = None  # files read back from the disk and matched (--verify)
    verified_cached: int = 0  # files that matched, read through the system's cache (fromdisk)
    excluded: int = 0  # source entries the filters left out (not in results)
    deleted: int = 0  # target entries a mirror removed (files, links and folders)
    dry_run: bool = False  # results are a plan: nothing was written
    moved: int | None = None  # moving: source entries removed after their copy landed
    stayed: int = 0  # moving: source files left in place (skipped, failed, not reached)
    # moving: of those, sources kept because their copy could not be trusted to take
    # their place (counted in `notices`): the move did not do what it was asked. Their
    # results, each saying why the source stayed (the logs' rows for them).
    held_sources: tuple[FileResult, ...] = ()
    tally: Tally | None = None  # of every file; None: counted from `results` when asked

    @property
    def held(self) -> int:
        return len(self.held_sources)

    def logged(self) -> Iterator[FileResult]:
        """`results` as the logs give them: a source a move held back says why it stayed."""
        held = {result.path: result for result in self.held_sources}
        return (held.get(result.path, result) for result in self.results)

    def count(self, status: FileStatus) -> int:
        return self._counts.get(status, 0)

    @cached_property
    def _counted(self) -> Tally:
        # Once: the summary asks for several counts, each a pass over a million results.
        return self.tally if self.tally is not None else Tally.of(self.results)

    @property
    def _counts(self) -> Mapping[FileStatus, int]:
        return self._counted.counts

    @property
    def bytes_copied(self) -> int:
        return self._counted.bytes_written

    @property
    def speed(self) -> float:
        """Average bytes per second written, over the running time."""
        return self.bytes_copied / self.seconds if self.seconds > 0 else 0.0

    def failures(self) -> list[FileResult]:
        return [result for result in self.results if result.status is FileStatus.FAILED]

    def ran_to_the_end(self) -> bool:
        """Every file found was gone through: not refused, cancelled or stopped (a full
        disk starts no new file; a lost channel to the workers ends the copy)."""
        cut_short = self.refused or self.stopped or self.cancelled or self.disk_full
        return not (cut_short or self.channel_lost)

    def was_successful(self) -> bool:
        """Everything was copied or deliberately skipped, every source a move was to
        remove went, and the job ran to its end. A source held back (its copy changed,
        lacks its metadata, ...) fails the exit code: `ferry copy --move A B && rm -rf A`
        would otherwise remove the one good version."""
        return self.ran_to_the_end() and (
            self.count(FileStatus.FAILED) == 0 and self.not_started == 0 and self.held == 0
        )

    def exit_code(self) -> int:
        if self.refused:
            return EXIT_REFUSED
        if self.cancelled:
            return EXIT_INTERRUPTED
        return EXIT_OK if self.was_successful() else EXIT_FAILURES

    def _moves(self) -> dict[str, int | None]:
        return {"moved": self.moved, "stayed": self.stayed, "held": self.held}

    def summary(self) -> dict[str, Any]:
        return {
            "event": "summary",
            "copied": self.count(FileStatus.COPIED),
            "linked": self.count(FileStatus.LINKED),
            "skipped": self.count(FileStatus.SKIPPED),
            "failed": self.count(FileStatus.FAILED),
            "renamed": self.count(FileStatus.RENAMED),
            "cancelled_files": self.count(FileStatus.CANCELLED),
            "not_started": self.not_started,
            "bytes": self.bytes_copied,
            "seconds": round(self.seconds, 3),
            "cancelled": self.cancelled,
            "refused": display_path(str(self.refused or "")),
            "stopped": display_path(str(self.stopped or "")),
            "disk_full": self.disk_full,
            "channel_lost": self.channel_lost,
            **(
                {}
                if self.verified is None
                else {"verified": self.verified, "verified_cached": self.verified_cached}
            ),
            "excluded": self.excluded,
            "deleted": self.deleted,
            "dry_run": self.dry_run,
            **({} if self.moved is None else self._moves()),
            **({"planned": dict(self.actions())} if self.dry_run else {}),
        }

    def actions(self) -> Counter[str]:
        """A dry run's planned actions and how many entries each (copy: 12, skip: 3...).
        An entry that cannot be copied is counted as failed only (its action is skip)."""
        return Counter(
            result.action
            for result in self.results
            if result.action and result.status is not FileStatus.FAILED
        )

    def to_refresh(self) -> int:
        """A dry run's up-to-date files whose mode, group or xattrs a copy would set again."""
        return sum(
            r.why is not None and r.why.code is Code.METADATA_TO_REFRESH for r in self.results
        )

    def write_csv(self, path: str) -> None:
        """Cells as csv_cell makes them: control characters and undecodable bytes shown as
        escapes, a ' before what a spreadsheet would run as a formula."""
        with replaced_text(path) as out:
            writer = csv.writer(out)
            planned = ["action"] if self.dry_run else []  # a plan's rows say what it would do
            writer.writerow(["path", "status", "bytes", "reason", "target_path", *planned])
            for r in self.logged():
                cells = (r.path, r.status.value, r.bytes, r.reason, r.target_path)
                writer.writerow([csv_cell(cell) for cell in cells + (r.action,) * len(planned)])

    def write_jsonl(self, path: str) -> None:
        with replaced_text(path) as out:
            for result in self.logged():
                out.write(json_text(file_record(result)) + "\n")
            out.write(json_text(self.summary()) + "\n")

    def write_log(self, path: str) -> None:
        """CSV for a .csv name, JSON lines otherwise."""
        if path.lower().endswith(".csv"):
            self.write_csv(path)
        else:
            self.write_jsonl(path)


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, and `cat` as plain text: control characters
    escaped (printable), a leading ' where it would run a formula, and where the text
    starts with one already (else the names `=x` and `'=x` would read alike)."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if text.startswith((*_FORMULA_STARTS, "'")) else text


def json_text(record: dict[str, Any], ascii_only: bool = False) -> str:
    """One JSON line that no reader splits and no terminal acts on.

    json.dumps escapes only C0 controls; C1 controls (U+009B starts an escape sequence on
    some terminals), line and paragraph separators (str.splitlines() splits on them) and
    bidirectional overrides are escaped here too. The strings stay exact.
    """
    text = json.dumps(record, ensure_ascii=ascii_only)
    return text if text.isprintable() else "".join(map(_json_escape, text))


def _json_escape(char: str) -> str:
    if char.isprintable():
        return char
    if ord(char) <= 0xFFFF:
        return f"\\u{ord(char):04x}"
    high, low = divmod(ord(char) - 0x10000, 0x400)  # JSON spells these as a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def file_record(result: FileResult) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event": "file",
        "path": display_path(result.path),
        "status": result.status.value,
        "bytes": result.bytes,
        "reason": display_path(result.reason),  # may quote a path
    }
    if result.why is not None:
        record["code"] = result.why.code.name.lower()
    if result.target_path:
        record["target_path"] = display_path(result.target_path)
    if result.action:
        record["action"] = result.action
    return record
