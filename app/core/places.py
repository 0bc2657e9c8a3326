"""One entry's place (its name and its two open folders), and the results of copying it."""

from __future__ import annotations

import os
from typing import NamedTuple

from app.core.conflicts import Action, Decision
from app.core.events import FileResult, FileStatus, FileTask
from app.core.failures import Failed, why_failed
from app.core.reasons import Code, Reason
from app.core.tree import Folder, lstat_in

UP_TO_DATE = Reason(Code.UP_TO_DATE)
REFRESHED = Reason(Code.METADATA_REFRESHED)


class Place(NamedTuple):
    """One entry: its name, and its two open folders."""

    name: str
    src: Folder
    dst: Folder
    device: int  # of the target folder
    inherits_acl: bool  # the target folder has a default ACL: new files take it


def settled(
    item: FileTask, st: os.stat_result, decision: Decision, existing: os.stat_result | None
) -> FileResult:
    """The result of a decision not to copy (skip, fail, or ask the caller)."""
    if decision.action is Action.ASK and existing is not None:
        return FileResult(
            item.path,
            FileStatus.CONFLICT,
            why=decision.why,
            target_size=existing.st_size,
            target_mtime_ns=existing.st_mtime_ns,
            source_size=st.st_size,
            source_mtime_ns=st.st_mtime_ns,
        )
    status = FileStatus.FAILED if decision.action is Action.FAIL else FileStatus.SKIPPED
    return FileResult(item.path, status, item.size, decision.why)


def published(
    item: FileTask,
    place: Place,
    name: str,
    status: FileStatus,
    size: int,
    why: Reason | None,
    digest: str = "",
) -> FileResult:
    if name == place.name:
        return FileResult(item.path, status, size, why, digest=digest)
    parent = item.path.rpartition(os.sep)[0]
    target_path = f"{parent}{os.sep}{name}" if parent else name
    status = FileStatus.RENAMED if status is FileStatus.COPIED else status
    return FileResult(item.path, status, size, why, target_path=target_path, digest=digest)


def existing_at(place: Place, fresh: bool) -> os.stat_result | None:
    """What the target holds at the entry's name (None in a folder this job made)."""
    if fresh:  # the folder was created by this job: nothing there to conflict with
        return None
    try:
        return lstat_in(place.dst, place.name)
    except FileNotFoundError:
        return None
    except OSError as exc:  # (a folder not ours to enter: it read "unexpected error")
        raise Failed(why_failed(Code.CANNOT_CREATE, exc), exc.errno or 0) from None
