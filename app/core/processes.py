"""How Ferry starts its processes: from a fork server on Linux, else spawn.

Spawn starts a fresh interpreter for every worker and for the Manager, and each imports
the worker code again: about 0.1 s of CPU apiece, on a 2-core machine, before the first
file lands. A fork server is one interpreter that imports that code once, then forks
each child ready to run. It is started from this process by exec (never a fork of it),
so it holds no Qt and no threads; it lives until this process exits, and later jobs of
the same window reuse it. This module imports only multiprocessing, so that the entry
point can start the server before it imports the rest of Ferry.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from multiprocessing.context import BaseContext

# Signals sent to the whole process group: Ctrl-C; a closed terminal's SIGHUP; SIGTERM
# from `timeout`, systemd or `kill -- -PGID`. Only the job's owner decides what they
# mean: the Manager and the workers ignore them (the Manager dying of SIGTERM lost the
# results in flight, files written counted "not started", review).
GROUP_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
# Those ignored from birth (inherited): not SIGTERM, which Pool.terminate() sends to a
# worker that may not have set itself up yet. The helpers are born with it blocked, so
# that it waits for them (channel.stop_only_for); the fork server keeps it blocked (it
# must outlive the workers: the Pool takes each worker it forked as dead once it is gone).
IGNORED_FROM_BIRTH = GROUP_SIGNALS - {signal.SIGTERM}

# What every child runs (the Manager's code comes with it), and, for the server itself,
# the removal of the run's socket folder after a kill (runfolder.py).
PRELOADED = ["app.core.worker", "app.core.runfolder"]


# multiprocessing's sockets (the fork server's, each Manager's) go in a folder it makes in
# the temp dir, "pymp-XXXXXXXX/listener-XXXXXXXX": a socket's path holds 107 bytes.
_SOCKET_PATH_MAX = 107
_SOCKET_IN_TEMP = len("/pymp-12345678/listener-12345678")


def process_context() -> BaseContext:
    """The start method of the job's Pool and Manager."""
    _short_temp_dir()
    # Measured and tested on Linux only; macOS and Windows keep spawn.
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return context


def _short_temp_dir() -> None:
    """Where the temp dir (TMPDIR) is too long a path for a socket in it, this process
    takes the system's own for its temp files (only multiprocessing's folder): Ferry did
    not start at all, "OSError: AF_UNIX path too long"."""
    if os.name != "posix" or tempfile.tempdir is not None:  # (chosen already)
        return
    if len(os.fsencode(tempfile.gettempdir())) + _SOCKET_IN_TEMP <= _SOCKET_PATH_MAX:
        return
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            tempfile.tempdir = folder
            return


def start_early() -> None:
    """Start the fork server now, so it imports the worker code while this process
    imports its own; a job's first workers are then forked at once.

    Not in the one-file app: a command that ends first (a usage error, a refusal) has
    its launcher remove the unpacked folder the server is still importing from, and the
    server's traceback then comes after the exit. Started by the first job, the server
    is ready before that job can end."""
    if getattr(sys, "frozen", False):
        return
    if process_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver  # POSIX only

        start_tracker()
        # A Ctrl-C sent to Ferry's process group ended the server mid-import, with a
        # traceback after Ferry's own quiet exit; a SIGTERM or a closed terminal's SIGHUP
        # ended it mid-copy. It starts ignoring them, SIGTERM blocked instead (both kept
        # across exec, and by Python), as do the workers it forks. Blocked here
        # meanwhile, such a signal is not ignored by this process but held, then ends it
        # (Linux queues a blocked signal whatever its disposition).
        with _held(GROUP_SIGNALS, ignored=IGNORED_FROM_BIRTH):
            forkserver.ensure_running()


def start_tracker() -> None:
    """Start multiprocessing's resource tracker, deaf to a closed terminal's SIGHUP.

    It ignores SIGINT and SIGTERM itself, but a group SIGHUP killed it, and the one
    started in its place printed a KeyError traceback for each semaphore it had not seen
    (review). It starts with SIGHUP blocked, which it keeps (its own start unblocks
    SIGINT and SIGTERM in the calling thread: so it starts on its own, first). Any
    thread may call this: only the thread's mask changes. Where there is no tracker
    (Windows), nothing to do."""
    if not hasattr(signal, "SIGHUP") or not hasattr(signal, "pthread_sigmask"):
        return
    from multiprocessing import resource_tracker  # POSIX only

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
    try:
        resource_tracker.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


@contextlib.contextmanager
def _held(signals: frozenset[int], ignored: frozenset[int] | None = None) -> Iterator[None]:
    """Children started meanwhile are born with `signals` blocked, the `ignored` of them
    (all by default) ignored; this process gets them afterwards."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    ignored = signals if ignored is None else ignored
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in ignored}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
