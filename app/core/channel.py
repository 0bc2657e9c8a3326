"""The progress channel: a Manager process serving the job's one queue (no Qt, ever).

Workers find the queue by the Manager's address instead of being handed a proxy, so the
Pool and the Manager start side by side: each is an interpreter start-up, and waiting for
one before starting the other was a fixed cost before every copy. This module is also
all the Manager process imports, which keeps its start short.
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import threading
import time
from multiprocessing import connection
from multiprocessing.context import BaseContext
from multiprocessing.managers import BaseManager
from typing import Any

from app.core.processes import GROUP_SIGNALS

CONNECT_TIMEOUT = 30.0  # seconds a worker waits for the Manager to listen
CONNECT_RETRY = 0.01
GROUP_SIGNAL_POLL = 0.05  # seconds between looks at the job once a group signal came

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


def init_manager(owner_pid: int) -> None:
    """Manager process initializer: ignore the group's signals, die with the job's owner."""
    ignore_interrupts()
    start_owner_watchdog(owner_pid)


def ignore_interrupts(signals: frozenset[int] = GROUP_SIGNALS) -> None:
    """Only the job's owner decides what the group's signals mean (GROUP_SIGNALS); its
    helpers end with it (start_owner_watchdog)."""
    for signum in signals:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)


def stop_only_for(owner_pid: int, stopping: ctypes.c_byte) -> frozenset[int]:
    """A worker ends on SIGTERM from the job's owner (Pool.terminate sends it), or when a
    signal to the group ended the owner (a window, which takes no such signal).
    Otherwise the owner decides (`timeout`, systemd, a closed terminal), as for Ctrl-C:
    the worker goes on, so that it stops as the job tells it, and sends every result it
    has (one that ended at once, the job cancelling, lost them: files on disk counted
    "not started"). After such a signal the owner's own SIGTERM may merge with it (a
    pending signal keeps one sender): the worker then also ends once its pool is being
    stopped (`stopping`). Called before the worker starts a thread: they all keep
    SIGTERM and SIGHUP blocked, and one of its own reads each with its sender. (Without
    sigwaitinfo, as on macOS: any SIGTERM.) Returns the signals it takes care of: the
    caller ignores the group's others."""
    if not hasattr(signal, "sigwaitinfo"):
        if hasattr(signal, "pthread_sigmask"):  # (blocked from birth: processes.py)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        return frozenset({signal.SIGTERM})
    read = frozenset({signal.SIGTERM, signal.SIGHUP})
    signal.pthread_sigmask(signal.SIG_BLOCK, read)  # (from birth, mostly)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)  # (blocked: read below, never lost)

    def wait() -> None:
        if signal.sigwaitinfo(read).si_pid != owner_pid:  # the group's
            while not stopping.value and _alive(owner_pid):
                got = signal.sigtimedwait(read, GROUP_SIGNAL_POLL)
                if got is not None and got.si_pid == owner_pid:
                    break
        os._exit(128 + signal.SIGTERM)

    threading.Thread(target=wait, name="ferry-stop", daemon=True).start()
    return read


def start_owner_watchdog(owner_pid: int) -> None:
    """Exit this process soon after the job's owner dies (even by SIGKILL).

    Under spawn the owner is this process's parent; under forkserver the parent is the
    fork server, which exits when the owner does. Either way the parent changes then.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent and _alive(owner_pid):
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="ferry-owner-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether `pid` runs. A zombie does not: killed, it stays a zombie until its caller
    reaps it, and a caller reading its output reaps it only once every process holding
    that output has ended (this one too): waiting for the reap, both wait for ever."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as status:
            state = status.read().rpartition(b")")[2].split()[0]  # after "(name)"
    except (OSError, IndexError):
        return True  # no /proc (macOS): kill() said enough
    return state not in (b"Z", b"X")


class Channel:
    """The Manager's queue, as the job reads it, while the Manager may still be starting.

    The Manager starts in a thread, so the Pool's workers start (and copy) meanwhile; until
    it is ready, get() waits for it as it would for a message. If it cannot start, get()
    raises EOFError, as it would had the Manager died: the job stops as "channel lost".
    """

    def __init__(self, address: Any, ctx: BaseContext) -> None:
        self._manager: ChannelManager | None = None
        self._queue: Any = None
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._starter = threading.Thread(
            target=self._start, args=(address, ctx), name="ferry-manager-start", daemon=True
        )
        self._starter.start()

    def _start(self, address: Any, ctx: BaseContext) -> None:
        try:
            self._manager = start_manager(address, ctx)
            self._queue = progress_queue(self._manager)
        except BaseException as exc:  # handed to the job's thread by get()
            self._error = exc
        finally:
            self._ready.set()

    def _ready_queue(self, timeout: float) -> Any:
        if not self._ready.wait(timeout):
            raise queue.Empty
        if self._error is not None:
            raise EOFError(f"the Manager process did not start: {self._error!r}")
        return self._queue

    def get(self, timeout: float) -> Any:
        started = time.monotonic()
        waiting = self._ready_queue(timeout)
        return waiting.get(timeout=max(0.0, timeout - (time.monotonic() - started)))

    def get_nowait(self) -> Any:
        return self._ready_queue(0).get_nowait()

    def shutdown(self) -> None:
        self._starter.join()
        if self._manager is not None:
            self._manager.shutdown()
