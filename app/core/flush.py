"""One flush of the target's file systems at the end of a job: syncfs(2), else sync()."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Mapping

from app.core.events import Identity
from app.core.tree import LIST_FLAGS, Folders

SyncFs = Callable[[int], int]


def flush_file_systems(target: str, folders: Mapping[str, Identity]) -> str | None:
    """Write out the dirty data of every file system the job wrote to, and wait for it.

    `folders`: the target folders the job made or found, by path relative to `target`,
    with their identities: a disk mounted inside the target is one more file system.
    sync() writes every file system out: a USB stick's or another job's dirty data made
    Ferry wait too; syncfs(2) (Linux) writes only the one a folder is on, and says when
    that failed (an I/O error, a disk gone read-only). Python has no os.syncfs, so it is
    called through libc; where there is none, sync(), which says nothing. Returns why a
    flush failed, or None.
    """
    syncfs = _syncfs()
    if syncfs is None:
        if hasattr(os, "sync"):
            os.sync()
        return None
    nearest: dict[int, str] = {}  # a folder on each file system, the one nearest the root
    for rel, (device, _) in folders.items():
        if len(rel) < len(nearest.get(device, rel + "?")):
            nearest[device] = rel
    opened = Folders(target, LIST_FLAGS, folders.get(""))  # walked: no path is too long
    try:
        for rel in nearest.values():
            try:
                folder = opened.open(rel, folders[rel])
            except PermissionError:  # a folder we may write into, not read (0300): every
                os.sync()  # file system then (it says nothing of a failure; it failed
                continue  # every such job, which wrote its copies)
            except OSError as exc:  # FolderReplaced too: what is there now is not known
                return f"{rel or '.'}: {exc.strerror or exc}"
            assert folder.fd is not None  # (always, where there is syncfs)
            if syncfs(folder.fd) != 0:
                return f"{rel or '.'}: {os.strerror(_errno())}"
    finally:
        opened.close()
    return None


def sync_file_system(fd: int) -> None:
    """Write out the one file system `fd` is on (syncfs), else all (sync)."""
    syncfs = _syncfs()
    if syncfs is not None:
        syncfs(fd)
    elif hasattr(os, "sync"):
        os.sync()


def _errno() -> int:
    import ctypes

    return ctypes.get_errno() or errno.EIO


def _syncfs() -> SyncFs | None:
    import ctypes  # here: only the job's end needs it, not every process start

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols: libc's too
        function = libc.syncfs
    except (OSError, AttributeError):  # no libc found, or one without syncfs (macOS)
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    result: SyncFs = function
    return result
