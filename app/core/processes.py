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

import multiprocessing
import signal
import sys
from multiprocessing.context import BaseContext

PRELOADED = ["app.core.worker"]  # what every child runs (the Manager's code comes with it)


def process_context() -> BaseContext:
    """The start method of the job's Pool and Manager."""
    # Measured and tested on Linux only; macOS and Windows keep spawn.
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOADED)
    return context


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
        from multiprocessing import forkserver, resource_tracker  # POSIX only

        # A Ctrl-C sent to Ferry's process group ended the server mid-import, with a
        # traceback after Ferry's own quiet exit. It starts ignoring it (kept across
        # exec, and by Python), as it does once started. Blocked here meanwhile, a
        # Ctrl-C is not ignored by this process but held, then ends it (Linux queues a
        # blocked signal whatever its disposition). The resource tracker, which the
        # server starts first, unblocks SIGINT when it starts: started before, it
        # leaves the mask alone.
        resource_tracker.ensure_running()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
