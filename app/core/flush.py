"""One flush of the target's file system at the end of a job: syncfs(2), else sync()."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

SyncFs = Callable[[int], int]


def flush_file_system(path: str) -> None:
    """Write out the dirty data of the file system that holds `path`, and wait for it.

    sync() writes every file system out: a USB stick's or another job's dirty data made
    Ferry wait too. syncfs(2) (Linux) writes only the one `path` is on. Python has no
    os.syncfs, so it is called through libc; where that fails, sync() as before.
    """
    syncfs = _syncfs()
    if syncfs is not None:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                if syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
    if hasattr(os, "sync"):
        os.sync()


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
