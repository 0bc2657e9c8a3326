"""What the copy phase knows as it runs, and the two steps all its parts take."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field

from app.core.clock import PausableClock
from app.core.events import ActiveFile, Batch, FileResult, FileTask
from app.core.feeder import Feeder
from app.core.hardlinks import SecondNames
from app.core.ledger import Callback, Ledger
from app.core.options import ConflictPolicy, CopyOptions
from app.core.pool import WorkerPool
from app.core.processes import process_context


@dataclass(frozen=True)
class Controls:
    """How other threads steer a running job: cancel, pause, answers to conflicts."""

    cancel: threading.Event = field(default_factory=threading.Event)
    pause: threading.Event = field(default_factory=threading.Event)
    # (conflict id, decision, apply to all)
    decisions: queue.Queue[tuple[int, ConflictPolicy, bool]] = field(default_factory=queue.Queue)


@dataclass
class Task:
    """A batch handed to the pool: its policy, its retries, its worker, its files done."""

    batch: Batch
    policy: ConflictPolicy
    retries: int = 0
    pid: int = 0  # the worker that took it, once known
    finished: set[str] = field(default_factory=set)

    def unfinished(self) -> list[FileTask]:
        return [item for item in self.batch.items if item.path not in self.finished]


class CopyState:
    """The copy phase's state: the tasks handed to the pool, the batches still waiting,
    the conflicts waiting for an answer, the files in progress and the second names copied
    on their own; with the two steps every part takes (a file finished, a batch submitted).
    The parts build on it (copying_messages.py); copying.CopyPhase joins them. A part sets
    up no state of its own (no __init__): all of it is here, set once, whatever the order.
    """

    def __init__(
        self,
        feeder: Feeder,
        options: CopyOptions,
        ledger: Ledger,
        controls: Controls,
        emit: Callback,
    ) -> None:
        self.source, self.target = feeder.roots.source, feeder.roots.target
        self.options = options
        self.ledger = ledger
        self.clock = PausableClock()  # the job's running time starts with the copy
        self._feeder = feeder
        self._controls = controls
        self._emit = emit
        self._mp = process_context()
        self._policy = options.on_conflict
        self._tasks: dict[int, Task] = {}
        self._next_task = 0
        self._crashes: queue.Queue[tuple[int, str]] = queue.Queue()
        self._conflicts: dict[int, tuple[FileTask, Batch]] = {}
        self._answers_void: set[str] = set()  # a preview's answers about files since changed
        self._active: dict[int, ActiveFile] = {}
        self._waiting: list[Batch] = []  # batches not yet handed to the pool
        self._second_names = SecondNames(feeder.leaders)  # a set the scan adds to
        self._unlinked: dict[str, int] = {}  # second names copied on their own: bytes
        self._pool: WorkerPool | None = None
        self.disk_full = False
        self.channel_lost = False
        self.writing_began = False

    def worker_pids(self) -> list[int]:
        pool = self._pool  # (called from other threads: the pool may be replaced)
        return sorted(pool.pids) if pool else []

    def busy_worker_pids(self) -> list[int]:
        return sorted({task.pid for task in list(self._tasks.values()) if task.pid})

    def _finish(self, result: FileResult, size: int) -> None:
        self.ledger.finish(result, size)
        if result.path in self._second_names.leaders:
            self._waiting += self._second_names.first_done(result)

    def _submit(self, batch: Batch, policy: ConflictPolicy, retries: int = 0) -> None:
        assert self._pool is not None
        self.writing_began = True
        task_id = self._next_task
        self._next_task += 1
        self._tasks[task_id] = Task(batch, policy, retries)

        def crashed(exc: BaseException) -> None:  # runs in the pool's result thread
            self._crashes.put((task_id, repr(exc)))

        self._pool.submit(task_id, batch, policy, crashed)
