"""What a cancelled or killed job may leave in the target, found and removed: named temps
(`.ferry-<token>-<n>.part`) and the private folders links are made in."""

from __future__ import annotations

import contextlib
import os

from app.core.events import (
    EntryKind,
    FileTask,
    FolderIds,
    WorkerContext,
    is_private_folder_name,
    is_temp_name,
)
from app.core.naming import remove
from app.core.symlinks import remove_private_folder
from app.core.tree import Folder, Folders, names_in


def remove_stale_temps(folder: Folder) -> None:
    """Delete temp files an interrupted earlier run left in this target folder."""
    try:
        stale = [name for name in names_in(folder) if is_temp_name(name)]
    except OSError:
        return  # a folder we may write to but not read: nothing we can find
    for name in stale:
        if is_private_folder_name(name):
            remove_private_folder(folder, name)
            continue
        with contextlib.suppress(OSError):
            os.unlink(folder.ref(name), dir_fd=folder.fd)


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
