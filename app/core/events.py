"""Small picklable records: tasks for workers, their reports, and the job's events."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from multiprocessing.synchronize import Event
from typing import Any, NamedTuple

from app.core.options import CopyOptions
from app.core.reasons import Reason

TEMP_PREFIX = ".ferry-"
TEMP_SUFFIX = ".part"
# What vfat, exFAT and Windows refuse in names (EINVAL): these, and control characters.
WINDOWS_REFUSED = '\\:*?"<>|' + "".join(map(chr, range(1, 32)))
# A temp file's name, a link's private folder's (WorkerContext.link_folder_name), a
# probe's (namekeys), or a manifest's or log's (outfile.output_temp_name): a job
# removes what it finds of them in the target as leftovers of a killed run.
TEMP_NAME = re.compile(
    re.escape(TEMP_PREFIX)
    + r"([0-9a-f]{12}-(\d+(-link)?|0-probe(-Case-(\u00e9|\u00c9|e\u0301|E\u0301)|-link|-node"
    + f"|-[{re.escape(WINDOWS_REFUSED)}])?)|out-[0-9a-f]{{12}})"
    + re.escape(TEMP_SUFFIX)
)


def is_temp_name(name: str) -> bool:
    """Whether a name is one of Ferry's temps (checked for every file: prefix first)."""
    return name.startswith(TEMP_PREFIX) and TEMP_NAME.fullmatch(name) is not None


# What some file systems drop from the end of a name: vfat and exFAT dots, Windows
# shares dots and spaces (`Wait...` is `Wait` there).
DROPPABLE_ENDS = ". "


def lands_as_temp(name: str) -> bool:
    """Whether a source file's copy would be taken for a temp, and removed by the next
    run: named as one, or so once a file system drops its trailing dots or spaces."""
    return is_temp_name(name.rstrip(DROPPABLE_ENDS))


def is_private_folder_name(name: str) -> bool:
    """Whether a name is (or lands as) a link's private folder's, which a job removes as a
    leftover where it holds just a link or special file (temps.remove_stale_temps)."""
    return lands_as_temp(name) and name.rstrip(DROPPABLE_ENDS).endswith("-link" + TEMP_SUFFIX)


Identity = tuple[int, int]  # (st_dev, st_ino): which folder or file, whatever its name


class FileStatus(StrEnum):
    COPIED = "copied"
    LINKED = "linked"  # a hard link to another copied name, as in the source
    SKIPPED = "skipped"
    FAILED = "failed"
    RENAMED = "renamed"  # copied under a new name beside an existing file
    CANCELLED = "cancelled"  # interrupted, or never started, because the job was cancelled
    CONFLICT = "conflict"  # ASK policy: waiting for the caller's decision (never final)
    DELETED = "deleted"  # mirror: a target entry the source does not have, removed
    PLANNED = "planned"  # dry run: would be done as its `action` says; nothing was written


class EntryKind(Enum):
    DIR = "dir"
    FILE = "file"
    LINK = "link"
    SPECIAL = "special"  # a named pipe, socket or device node: made anew, as cp -a does


# Where names may hold a backslash (not the separator), it is shown doubled, as `ls -b`
# does: else the byte 0xff and a name holding the four characters "\\xff" would read alike.
_BACKSLASH = "\\" if os.sep == "/" else ""


def display_path(path: str) -> str:
    """A path as text a person can read, and read back: undecodable bytes become \\xNN
    escapes and a backslash becomes \\\\, so no two names look the same."""
    if _BACKSLASH and _BACKSLASH in path:
        path = path.replace(_BACKSLASH, _BACKSLASH * 2)
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# Characters Python counts as printable that show as nothing (Unicode's default
# ignorables, and the blank braille pattern): "a\u034fb" must not read as "ab".
_INVISIBLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f"
    "\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def shows_as_is(text: str) -> bool:
    """Whether text reads as what it holds: valid UTF-8, no control or invisible character."""
    return text.isprintable() and not _INVISIBLE.search(text) and not _SURROGATE.search(text)


_SURROGATE = re.compile("[\udc80-\udcff]")  # an undecodable byte (surrogateescape)


def printable(text: str) -> str:
    """Text safe for a terminal or a label: control and invisible characters become
    visible escapes.

    A name like `big\\x1b]0;PWNED\\x07` must not set a terminal's title; `ls` quotes such
    names too. CSV cells use it as well; JSON holds display_path's text (a control
    character there is a \\u escape of json's).
    """
    text = display_path(text)
    # isprintable() is False for controls, bidirectional overrides and line separators.
    if not (text.isprintable() and not _INVISIBLE.search(text)):
        text = "".join(map(_escape, text))
    return _edge_spaces(text) if text[:1] == " " or text[-1:] == " " else text


def _edge_spaces(text: str) -> str:
    """Spaces at either end as \\x20: `name ` must not read as `name`."""
    inner = text.strip(" ")
    if not inner:
        return "\\x20" * len(text)
    start = text.index(inner)
    return "\\x20" * start + inner + "\\x20" * (len(text) - start - len(inner))


def _escape(char: str) -> str:
    if char.isprintable() and not _INVISIBLE.match(char):
        return char
    if ord(char) < 0x80:  # (\x80 and above: an undecodable byte, in display_path)
        return f"\\x{ord(char):02x}"
    return code_point_escape(char)


def code_point_escape(char: str) -> str:
    """\\uNNNN or \\UNNNNNNNN: a character, never mistaken for a byte of a name (\\xNN)."""
    code = ord(char)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class FileResult(NamedTuple):
    """The outcome for one source entry; `path` is relative to the source folder.

    A NamedTuple, not a dataclass: one is made, pickled and unpickled per file.
    """

    path: str
    status: FileStatus
    bytes: int = 0
    why: Reason | None = None
    errno: int = 0
    target_path: str = ""  # where a renamed copy went (or what a link joins), from the target
    # For conflicts: what the target holds, so the caller can show both files.
    target_size: int = 0
    target_mtime_ns: int = 0
    source_size: int = 0
    source_mtime_ns: int = 0
    digest: str = ""  # of the source's data, when the job verifies or writes a manifest
    action: str = ""  # dry run: copy, replace, rename, link, delete, skip or ask (plan.Planned)
    # Under --move, the copy as it landed: (inode, change time). A copy replaced or
    # written since is read back against its source before the source goes (move.py).
    landed: tuple[int, ...] = ()

    @property
    def reason(self) -> str:
        """The reason in English, as the CLI, JSON and CSV show it ("" if none)."""
        return "" if self.why is None else str(self.why)


# --- job -> worker ------------------------------------------------------------------------


class FileTask(NamedTuple):
    """One file, link, special file or hard link to make (a NamedTuple: pickled per file)."""

    path: str
    kind: EntryKind
    size: int
    serial: int  # unique within the job: names its temp file
    fresh: bool = False  # its target folder was created by this job, so it was empty
    link_to: str = ""  # a hard link: the target path of the copy it joins


class FolderIds(NamedTuple):
    """The source folder the scan saw and the target folder the feeder made or found.

    A worker checks that the folders it opens are these, so a folder swapped for another
    (or for a link) after the scan is never read or written through.
    """

    source: Identity
    target: Identity


NameKey = Callable[[str], str]  # a name as a target's file system compares it


class TargetWays(NamedTuple):
    """How a target's file system compares names and keeps times (namekeys.probe_target)."""

    name_key: NameKey | None = None  # None: byte for byte
    time_step: int = 1  # ns a time set is cut down to; 1: kept as given
    ends_dropped: str = ""  # trailing characters its names lose: "." on vfat (Wait... is Wait)
    largest_file: int = 0  # bytes one file may hold at most (FAT32: 4 GiB less one); 0: no bound
    refused: str = ""  # characters no name may hold: those of WINDOWS_REFUSED on vfat, exFAT
    links: bool = True  # hard links kept (False: vfat, exFAT; known from the mount's type)
    nodes: bool = True  # named pipes, sockets, devices made (False: vfat, exFAT, by type)
    holes: bool = True  # a sparse file's holes kept (False: vfat, exFAT: all of it written)
    stores_nfd: bool = False  # names stored decomposed, as given or not (HFS+; probed)
    ascii_only: bool = False  # names of other letters refused (fusefat: no Unicode; probed)


class Roots(NamedTuple):
    source: str
    target: str
    ids: FolderIds
    created: bool  # the job created the target folder: it was empty
    unfinished: bool = False  # a killed job created it: not the user's own folder
    ways: TargetWays = TargetWays()  # how the target root's file system behaves


class Batch(NamedTuple):
    """Files handed to a worker together, with the identity of every folder they are in."""

    items: tuple[FileTask, ...]
    folders: dict[str, FolderIds]
    room: int = 0  # what a replacement in it holds while written (app.core.room)
    # How finely file systems mounted inside the target keep times, as found so far:
    # (device, step) (namekeys.DeviceWays); the root's comes with the WorkerContext.
    time_steps: tuple[tuple[int, int], ...] = ()


class Follower(NamedTuple):
    """A hard link to make once the copy of `leader` (a source path) has landed."""

    leader: str
    batch: Batch
    size: int  # of the file: copied after all if the leader's copy does not land


@dataclass(frozen=True)
class WorkerContext:
    """Everything a worker needs, handed over once by the Pool initializer."""

    manager_address: Any  # each worker connects to the progress queue there
    cancel: Event
    running: Event  # cleared while paused
    options: CopyOptions
    source: str
    target: str
    token: str  # random per job: part of every temp name
    roots: FolderIds | None = None  # identities of the two roots, checked when opened
    time_step: int = 1  # how finely the target root's file system keeps times (Roots)

    def temp_name(self, serial: int) -> str:
        return f"{TEMP_PREFIX}{self.token}-{serial}{TEMP_SUFFIX}"

    def link_folder_name(self, serial: int) -> str:
        """The private folder a link or special file is made in (symlinks.make_private_folder)."""
        return f"{TEMP_PREFIX}{self.token}-{serial}-link{TEMP_SUFFIX}"


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
    `xattrs_lost` counts entries whose extended attributes the target would not take.
    """

    task_id: int
    results: tuple[FileResult, ...]
    copied: tuple[int, ...] = ()
    finished: bool = False
    xattrs_lost: int = 0
    xattrs_error: str = ""
    digests: tuple[str, ...] = ()  # of the files in `copied`, when the job hashes
    landed: tuple[tuple[int, ...], ...] = ()  # of the files in `copied`, under --move


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
    bytes_written: int = 0  # of bytes_done, those actually written (not skipped as up to date)
    # "copy"; then "verify": files read back (bytes_* count those); then "move": sources
    # removed (files_* count those gone through; no bytes)
    phase: str = "copy"


@dataclass(frozen=True, slots=True)
class FilesFinished:
    """Final results of a group of files, in the order they finished."""

    results: tuple[FileResult, ...]


@dataclass(frozen=True, slots=True)
class SourcesStayed:
    """Sources a move left where they were, for a reason worth saying: their results as
    finished, each `why` saying why the source stayed (sent once, after the removals)."""

    results: tuple[FileResult, ...]


@dataclass(frozen=True, slots=True)
class ConflictQuestion:
    """ASK policy: the caller answers with CopyJob.resolve_conflict(id, ...)."""

    conflict_id: int
    result: FileResult
    compared: bool = False  # asked after "skip identical for all": its content differs


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a person should read: a worker died, the disk is full, ..."""

    why: Reason

    @property
    def message(self) -> str:
        return str(self.why)


@dataclass(frozen=True, slots=True)
class FilesChecked:
    """Files read back and compared (verify phase): each Checked says ok, failed, missing."""

    results: tuple[Any, ...]  # app.core.readback.Checked


@dataclass(frozen=True, slots=True)
class Cancelling:
    """Cancel reached the workers: files in progress are being undone, then the report."""


JobEvent = (
    Progress | FilesFinished | SourcesStayed | ConflictQuestion | Notice | FilesChecked | Cancelling
)
