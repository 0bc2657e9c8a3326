"""The Pool of workers: started, watched, killed and replaced without ever hanging."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from typing import Any

from app.core.events import Batch, WorkerContext
from app.core.options import ConflictPolicy
from app.core.processes import GROUP_SIGNALS
from app.core.worker import copy_batch, init_worker


class WorkerPool:
    """multiprocessing.Pool, supervised.

    Pool silently loses the task of a worker that is killed (SIGKILL, OOM), and then
    close()+join() hang forever (CPython gh-66587); a worker killed while idle may die
    holding the pool's queue lock, and then even terminate() hangs. So the job watches
    worker pids (dead()), and a broken pool is killed and replaced (stop(broken=True)).
    """

    def __init__(self, mp: BaseContext, size: int, context: WorkerContext) -> None:
        # Set once the pool is being stopped (channel.stop_only_for). A flag in shared
        # memory, not an Event: a worker killed while it looks at an Event holds its lock,
        # and stop() would then wait for ever (review).
        self._stopping: ctypes.c_byte = mp.RawValue(ctypes.c_byte, 0)
        with interrupts_blocked():  # children inherit the mask, then ignore those signals
            self._pool: Pool = mp.Pool(size, init_worker, (context, os.getpid(), self._stopping))
        self.pids = {p.pid for p in _processes(self._pool) if p.pid}

    def submit(
        self,
        task_id: int,
        batch: Batch,
        policy: ConflictPolicy,
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._pool.apply_async(copy_batch, (task_id, batch, policy), error_callback=on_error)

    def dead(self) -> set[int]:
        """Pids of workers that have exited since the pool started."""
        # WORKAROUND: https://github.com/python/cpython/issues/66587
        alive = {p.pid for p in _processes(self._pool) if p.exitcode is None}
        return self.pids - alive

    def stop(self, broken: bool = False) -> bool:
        """Stop every worker; False if the pool had to be abandoned."""
        self._stopping.value = 1
        if broken:  # kill first: terminate() could wait forever on a dead worker's lock
            _kill_workers(self._pool)
        stopper = threading.Thread(target=self._pool.terminate, name="ferry-pool-stop", daemon=True)
        stopper.start()
        stopper.join(3)
        if stopper.is_alive():
            _kill_workers(self._pool)
            stopper.join(5)
        return not stopper.is_alive()


def _processes(pool: Pool) -> list[Any]:
    # Pool keeps its worker Process objects in a private list; supervision needs them.
    return list(getattr(pool, "_pool", []))


def _kill_workers(pool: Pool) -> None:
    processes = _processes(pool)
    for process in processes:
        if process.exitcode is None:
            process.kill()
    for process in processes:
        process.join(2)
    _release_locks_of_dead_workers(pool)


def _release_locks_of_dead_workers(pool: Pool) -> None:
    """A worker killed inside get() or put() holds a queue lock forever; hand it back.

    Only called once every worker is dead, so no living process can own these locks.
    """
    for queue_name, lock_name in (("_inqueue", "_rlock"), ("_outqueue", "_wlock")):
        lock = getattr(getattr(pool, queue_name, None), lock_name, None)
        if lock is None:
            continue
        if not lock.acquire(False):
            with contextlib.suppress(ValueError):
                lock.release()
            continue
        lock.release()


@contextlib.contextmanager
def interrupts_blocked() -> Iterator[None]:
    """Block the group's signals while starting children: they inherit the mask, then
    ignore them (channel.ignore_interrupts), and a worker any SIGTERM but the job
    owner's (channel.stop_only_for)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, GROUP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
