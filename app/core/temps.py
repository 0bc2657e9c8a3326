"""What a cancelled or killed job may leave in the target, found and removed: named temps
(`.ferry-<token>-<n>.part`) and the private folders links are made in."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from typing import NamedTuple

from app.core.events import (
    EntryKind,
    FileResult,
    FileStatus,
    FileTask,
    FolderIds,
    WorkerContext,
    is_private_folder_name,
    is_temp_name,
)
from app.core.mirror import DELETE
from app.core.naming import remove
from app.core.reasons import Code, Reason
from app.core.symlinks import is_private_leftover, remove_private_folder, remove_private_leftover
from app.core.tree import Folder, Folders, child_of, names_in


class Leftover(NamedTuple):
    """What an interrupted run left in a target folder."""

    name: str
    size: int
    private_folder: bool  # a link's private folder (else a file, link or node)


def stale_temps(folder: Folder) -> list[Leftover]:
    """What an interrupted earlier run left in this target folder: its temps, and its
    links' private folders that hold nothing else (never a user's)."""
    try:
        names = [name for name in names_in(folder) if is_temp_name(name)]
    except OSError:
        return []  # a folder we may write to but not read: nothing we can find
    found = []
    for name in names:
        with contextlib.suppress(OSError):
            st = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
            if not stat.S_ISDIR(st.st_mode):
                found.append(Leftover(name, st.st_size, False))
            elif is_private_folder_name(name) and is_private_leftover(folder, name):
                found.append(Leftover(name, 0, True))
    return found


def remove_stale_temps(folder: Folder, path: str) -> list[FileResult]:
    """Delete what stale_temps finds in the target folder `path`: each deleted, or
    failed and why."""
    results = []
    for left in stale_temps(folder):
        where = child_of(path, left.name)
        try:
            if left.private_folder:
                remove_private_leftover(folder, left.name)
            else:
                os.unlink(folder.ref(left.name), dir_fd=folder.fd)
        except OSError as exc:
            if left.private_folder and exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                continue  # (something else in it by now: not ours)
            why = Reason(Code.CANNOT_DELETE, (exc.strerror or str(exc),))
            results.append(FileResult(where, FileStatus.FAILED, why=why, errno=exc.errno or 0))
            continue
        results.append(FileResult(where, FileStatus.DELETED, left.size, _LEFT_BEHIND))
    return results


def planned_stale_temps(
    folder: Folder, path: str, refusal: Callable[[], Reason | None], freed: Callable[[int], None]
) -> list[FileResult]:
    """The deletions remove_stale_temps would make, for a plan: each planned, or failed
    where the folder `path` refuses a change (`refusal`, asked only if there are any);
    `freed` is told the size of each planned."""
    found = stale_temps(folder)
    refused = refusal() if found else None
    if refused is not None:
        why = Reason(Code.CANNOT_DELETE, refused.args)
        return [FileResult(child_of(path, left.name), FileStatus.FAILED, why=why) for left in found]
    for left in found:
        freed(left.size)
    return [
        FileResult(child_of(path, left.name), FileStatus.PLANNED, 0, _LEFT_BEHIND, action=DELETE)
        for left in found
    ]


_LEFT_BEHIND = Reason(Code.STALE_TEMP)


def remove_task_temp(
    context: WorkerContext, targets: Folders, ids: dict[str, FolderIds], item: FileTask
) -> None:
    """Remove what a worker killed or cancelled mid-file may have left of `item`: a named
    temp, or a link's private folder (unnamed O_TMPFILE data vanished with the worker)."""
    parent = os.path.dirname(item.path)
    try:
        folder = targets.open(parent, ids[parent].target if parent in ids else None)
    except OSError:
        return
    with contextlib.suppress(OSError):
        remove(folder, context.temp_name(item.serial))
    if item.kind in (EntryKind.LINK, EntryKind.SPECIAL):
        remove_private_folder(folder, context.link_folder_name(item.serial))
