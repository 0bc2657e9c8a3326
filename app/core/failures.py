"""How one entry fails: Failed (with its reason) and step(), which names the refused step."""

from __future__ import annotations

import errno
import os

from app.core.events import (
    EntryKind,
    FileStatus,
    TargetWays,
    lands_as_temp,
)
from app.core.reasons import Code, Reason
from app.core.tree import FolderReplaced

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_SOURCE_STEPS = {Code.CANNOT_OPEN_SOURCE, Code.CANNOT_READ, Code.CANNOT_OPEN_FOLDER}
# Steps that give an entry its name in the target: there, EINVAL is a name the target's
# file system refuses (a colon on vfat or exFAT), which "Invalid argument" does not say.
_NAMING_STEPS = {Code.CANNOT_NAME, Code.CANNOT_LINK, Code.CANNOT_CREATE_FOLDER}


class ChangedDuringCopy(Exception):
    """The source was written, replaced or deleted while it was copied: try again."""


class Failed(Exception):
    """This entry is not copied: `why` says why (skipped for what cannot be copied)."""

    def __init__(self, why: Reason, err: int = 0, status: FileStatus = FileStatus.FAILED) -> None:
        self.why = why
        self.errno = err
        self.status = status


class _Step:
    """Names what was being attempted when the OS refused, e.g. "cannot write the copy".

    A plain class, not a generator context manager: it wraps several calls of every file,
    and contextlib's version cost more than some of the system calls it wraps.
    """

    __slots__ = ("code",)

    def __init__(self, code: Code) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _: object
    ) -> None:
        if exc is None:
            return
        if isinstance(exc, FolderReplaced):
            raise Failed(Reason(Code.FOLDER_REPLACED), errno.ELOOP) from None
        if isinstance(exc, OSError):
            raise Failed(why_failed(self.code, exc), exc.errno or 0) from None


def left_out(
    name: str, kind: EntryKind, size: int, ways: TargetWays
) -> tuple[FileStatus, Reason] | None:
    """Why a source entry is not copied at all, known before anything is decided (the
    feeder and the plan ask first, so that its name does not count as met): its copy
    would be taken for a temp, the target's file system refuses its name, the file is
    larger than that file system holds, or it makes no special files. (Before a byte is
    written: vfat has no unnamed files, so a file's name is given last.)"""
    # (A folder named as a link's private one never gets here: scan.Scanner skips it.)
    if kind is not EntryKind.DIR and lands_as_temp(name):
        return FileStatus.SKIPPED, Reason(Code.TEMP_NAMED)  # a later run would remove it
    if ways.refused and any(char in ways.refused for char in name):
        return FileStatus.FAILED, Reason(Code.NAME_NOT_ALLOWED, (os.strerror(errno.EINVAL),))
    if ways.ascii_only and not name.isascii():  # (its data written, then its name refused)
        return FileStatus.FAILED, Reason(Code.NAME_NOT_ASCII)
    if kind is EntryKind.FILE and size > ways.largest_file > 0:  # (FAT32: before 4 GiB)
        return FileStatus.FAILED, Reason(Code.FILE_TOO_BIG, (os.strerror(errno.EFBIG),))
    if kind is EntryKind.SPECIAL and not ways.nodes:  # (as its mknod would say: symlinks)
        return FileStatus.SKIPPED, Reason(Code.SPECIAL_NOT_MADE, (os.strerror(errno.EPERM),))
    return None


def reading_the_source(why: Reason | None) -> bool:
    """Whether a failure is of a step that reads the source (not of writing the copy)."""
    return why is not None and why.code in _SOURCE_STEPS - {Code.CANNOT_OPEN_FOLDER}


def why_failed(code: Code, exc: OSError) -> Reason:
    """What an error met at a step says: the step's words, or plainer ones where the
    error number tells more (the source vanished, the disk is full, a name refused)."""
    if isinstance(exc, FileNotFoundError) and code in _SOURCE_STEPS:
        return Reason(Code.VANISHED)
    if exc.errno in _DISK_FULL:
        code = Code.DISK_FULL_FILE
    elif exc.errno == errno.EFBIG:
        code = Code.FILE_TOO_BIG
    elif exc.errno == errno.EINVAL and code in _NAMING_STEPS:
        code = Code.NAME_NOT_ALLOWED
    return Reason(code, (exc.strerror or str(exc),))


_STEPS = {code: _Step(code) for code in Code}


def step(code: Code) -> _Step:
    """`with step(Code.CANNOT_WRITE): ...` turns an OSError into this file's Failed."""
    return _STEPS[code]
