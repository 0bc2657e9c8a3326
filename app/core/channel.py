"""The progress channel: a Manager process serving the job's one queue (no Qt, ever).

Workers find the queue by the Manager's address instead of being handed a proxy, so the
Pool and the Manager start side by side: each is an interpreter start-up, and waiting for
one before starting the other was a fixed cost before every copy. This module is also
all the Manager process imports, which keeps its start short.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from multiprocessing import connection
from multiprocessing.context import BaseContext
from multiprocessing.managers import BaseManager
from typing import Any

CONNECT_TIMEOUT = 30.0  # seconds a worker waits for the Manager to listen
CONNECT_RETRY = 0.01

_queue: queue.Queue[Any] | None = None


def _the_queue() -> queue.Queue[Any]:
    """Runs in the Manager process: every caller gets the same queue."""
    global _queue
    if _queue is None:
        _queue = queue.Queue()
    return _queue


class ChannelManager(BaseManager):
    """A Manager whose `progress_queue()` returns a proxy of its single queue."""


ChannelManager.register("progress_queue", callable=_the_queue)


def new_address() -> Any:
    """A fresh private address for the Manager (a socket in a 0700 temp folder on Unix)."""
    return connection.arbitrary_address(connection.default_family)  # type: ignore[attr-defined]


def start_manager(address: Any, ctx: BaseContext) -> ChannelManager:
    manager = ChannelManager(address=address, ctx=ctx)
    manager.start(init_manager, (os.getpid(),))
    return manager


def progress_queue(manager: ChannelManager) -> Any:
    """A proxy of the Manager's queue (put, get, get_nowait)."""
    return manager.progress_queue()  # type: ignore[attr-defined]


def connect(address: Any, timeout: float = CONNECT_TIMEOUT) -> Any:
    """From a worker: the queue of the Manager at `address`, waiting while it starts."""
    manager = ChannelManager(address=address)
    deadline = time.monotonic() + timeout
    while True:
        try:
            manager.connect()
            return progress_queue(manager)
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise
            time.sleep(CONNECT_RETRY)


def init_manager(parent_pid: int) -> None:
    """Manager process initializer: ignore Ctrl-C and die with the parent."""
    ignore_interrupts()
    start_parent_watchdog(parent_pid)


def ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; only the job's owner decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def start_parent_watchdog(parent_pid: int) -> None:
    """Exit this process soon after the parent dies (even by SIGKILL)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="ferry-parent-watchdog", daemon=True).start()
