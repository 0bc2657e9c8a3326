"""The final report of a copy job, and its CSV / JSON-lines export."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from app.core.events import FileResult, FileStatus, display_path

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    results: tuple[FileResult, ...] = ()
    seconds: float = 0.0
    cancelled: bool = False
    refused: str = ""  # why the job did not start (or was stopped as impossible)
    disk_full: bool = False
    channel_lost: bool = False  # the progress channel (Manager process) died
    notices: tuple[str, ...] = field(default_factory=tuple)

    def count(self, status: FileStatus) -> int:
        return self._counts[status]

    @property
    def _counts(self) -> Counter[FileStatus]:
        return Counter(result.status for result in self.results)

    @property
    def bytes_copied(self) -> int:
        done = (FileStatus.COPIED, FileStatus.RENAMED)
        return sum(result.bytes for result in self.results if result.status in done)

    @property
    def speed(self) -> float:
        """Average bytes per second over the whole job."""
        return self.bytes_copied / self.seconds if self.seconds > 0 else 0.0

    def failures(self) -> list[FileResult]:
        return [result for result in self.results if result.status is FileStatus.FAILED]

    def was_successful(self) -> bool:
        """Everything was copied or deliberately skipped, and the job ran to its end."""
        return not (self.refused or self.cancelled or self.channel_lost or self.disk_full) and (
            self.count(FileStatus.FAILED) == 0
        )

    def exit_code(self) -> int:
        if self.refused:
            return EXIT_REFUSED
        if self.cancelled:
            return EXIT_INTERRUPTED
        return EXIT_OK if self.was_successful() else EXIT_FAILURES

    def summary(self) -> dict[str, Any]:
        counts = self._counts
        return {
            "event": "summary",
            "copied": counts[FileStatus.COPIED],
            "skipped": counts[FileStatus.SKIPPED],
            "failed": counts[FileStatus.FAILED],
            "renamed": counts[FileStatus.RENAMED],
            "bytes": self.bytes_copied,
            "seconds": round(self.seconds, 3),
            "cancelled": self.cancelled,
            "refused": display_path(self.refused),
            "disk_full": self.disk_full,
            "channel_lost": self.channel_lost,
        }

    def write_csv(self, path: str) -> None:
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["path", "status", "bytes", "reason", "target_path"])
            for r in self.results:
                writer.writerow(
                    [
                        display_path(r.path),
                        r.status.value,
                        r.bytes,
                        display_path(r.reason),
                        display_path(r.target_path),
                    ]
                )

    def write_jsonl(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as out:
            for result in self.results:
                out.write(json.dumps(file_record(result), ensure_ascii=False) + "\n")
            out.write(json.dumps(self.summary(), ensure_ascii=False) + "\n")

    def write_log(self, path: str) -> None:
        """CSV for a .csv name, JSON lines otherwise."""
        if path.lower().endswith(".csv"):
            self.write_csv(path)
        else:
            self.write_jsonl(path)


def file_record(result: FileResult) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event": "file",
        "path": display_path(result.path),
        "status": result.status.value,
        "bytes": result.bytes,
        "reason": display_path(result.reason),  # may quote a path
    }
    if result.target_path:
        record["target_path"] = display_path(result.target_path)
    return record
