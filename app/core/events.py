"""Small picklable messages: workers to job (over the Manager queue), job to caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class FileStatus(StrEnum):
    COPIED = "copied"
    SKIPPED = "skipped"
    FAILED = "failed"
    RENAMED = "renamed"  # copied under a new name beside an existing file
    CONFLICT = "conflict"  # ASK policy: waiting for the caller's decision (never final)


def display_path(path: str) -> str:
    """A path as text a person can read: undecodable bytes become visible \\xNN escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class FileResult(NamedTuple):
    """The outcome for one source entry; `path` is relative to the source folder.

    A NamedTuple, not a dataclass: one is made, pickled and unpickled per file.
    """

    path: str
    status: FileStatus
    bytes: int = 0
    reason: str = ""
    errno: int = 0
    target_path: str = ""  # where a renamed copy went, relative to the target
    # For conflicts: what the target holds, so the caller can show both files.
    target_size: int = 0
    target_mtime_ns: int = 0
    source_size: int = 0
    source_mtime_ns: int = 0


# --- worker -> job, over the Manager queue --------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskStarted:
    task_id: int
    pid: int


@dataclass(frozen=True, slots=True)
class TaskResults:
    """Results of some files of a task; `finished` marks the task's last message.

    `copied` holds the positions in the task of files copied whole with nothing to say,
    which are most files: small ints pickle far faster than a FileResult each.
    """

    task_id: int
    results: tuple[FileResult, ...]
    copied: tuple[int, ...] = ()
    finished: bool = False


@dataclass(frozen=True, slots=True)
class FileProgress:
    """Bytes copied so far of one large file; sent at most every ~100 ms."""

    task_id: int
    path: str
    done: int
    size: int


WorkerMessage = TaskStarted | TaskResults | FileProgress


# --- job -> caller ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActiveFile:
    path: str
    done: int
    size: int


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of the whole job; totals grow until `scan_done`."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    scan_done: bool
    elapsed: float  # seconds of copying, pauses excluded
    paused: bool = False
    active: tuple[ActiveFile, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class FilesFinished:
    """Final results of a group of files, in the order they finished."""

    results: tuple[FileResult, ...]


@dataclass(frozen=True, slots=True)
class ConflictQuestion:
    """ASK policy: the caller answers with CopyJob.resolve_conflict(id, ...)."""

    conflict_id: int
    result: FileResult


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a person should read: a worker died, the disk is full, ..."""

    message: str


JobEvent = Progress | FilesFinished | ConflictQuestion | Notice
