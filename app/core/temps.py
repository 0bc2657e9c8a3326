"""What a cancelled or killed job may leave in the target, found and removed: named temps
(`.ferry-<token>-<n>.part`) and the private folders links are made in."""

from __future__ import annotations

import contextlib
import os
import stat

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
from app.core.symlinks import is_private_leftover, remove_private_folder
from app.core.tree import Folder, Folders, names_in


def stale_temps(folder: Folder) -> list[tuple[str, int]]:
    """What an interrupted earlier run left in this target folder, by name and size: its
    temps, and its links' private folders that hold nothing else (never a user's)."""
    try:
        names = [name for name in names_in(folder) if is_temp_name(name)]
    except OSError:
        return []  # a folder we may write to but not read: nothing we can find
    found = []
    for name in names:
        with contextlib.suppress(OSError):
            st = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
            if not stat.S_ISDIR(st.st_mode):
                found.append((name, st.st_size))
            elif is_private_folder_name(name) and is_private_leftover(folder, name):
                found.append((name, 0))
    return found


def remove_stale_temps(folder: Folder) -> list[tuple[str, int]]:
    """Delete what stale_temps finds; what is gone."""
    gone = []
    for name, size in stale_temps(folder):
        if is_private_folder_name(name):
            if remove_private_folder(folder, name):
                gone.append((name, size))
            continue
        with contextlib.suppress(OSError):
            os.unlink(folder.ref(name), dir_fd=folder.fd)
            gone.append((name, size))
    return gone


def stale_results(folder: str, found: list[tuple[str, int]], removed: bool) -> list[FileResult]:
    """What an interrupted run left in the target folder `folder`, as results: deleted
    (`removed`), or a plan's deletions."""
    why = Reason(Code.STALE_TEMP)
    if removed:
        return [
            FileResult(_joined(folder, name), FileStatus.DELETED, size, why) for name, size in found
        ]
    return [
        FileResult(_joined(folder, name), FileStatus.PLANNED, 0, why, action=DELETE)
        for name, _ in found
    ]


def _joined(folder: str, name: str) -> str:
    return os.path.join(folder, name) if folder else name


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
