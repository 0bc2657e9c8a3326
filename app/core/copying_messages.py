"""What the workers say during a copy (progress, results, conflicts), and the answers."""

from __future__ import annotations

import errno
import queue

from app.core.channel import Channel
from app.core.conflicts import ASKING
from app.core.copying_state import CopyState, Task
from app.core.events import (
    ActiveFile,
    ConflictQuestion,
    FileProgress,
    FileResult,
    FileStatus,
    FileTask,
    TaskResults,
    TaskStarted,
    WorkerMessage,
)
from app.core.options import ConflictPolicy
from app.core.reasons import Code, Reason

POLL_SECONDS = 0.05  # longest wait on the queue: bounds the reaction to pause and cancel


class CopyMessages(CopyState):
    """Drains the Manager's queue: a task's worker, a file's progress, its results (a
    full disk stops new work), and its conflict, asked of the caller or settled by an
    answer given before the job; then the caller's answers, one file or all of them."""

    def _drain(self, channel: Channel, block: bool) -> bool:
        """Handle what the workers said; False if the progress channel is lost.

        Blocking, it waits for one message and returns: every get is a round trip to
        the Manager, and one that finds the queue empty is wasted.
        Not blocking, it takes everything already there.
        """
        if self.channel_lost:
            return False
        try:
            if block:
                self._handle_all(channel.get(timeout=POLL_SECONDS))
            while not block:
                self._handle_all(channel.get_nowait())
        except queue.Empty:
            pass
        except (EOFError, OSError) as exc:
            # The Manager died: nothing more will arrive. Stop everything, say so.
            self.channel_lost = True
            self.ledger.tell(Reason(Code.CHANNEL_LOST, (type(exc).__name__,)))
            return False
        return True

    def _handle_all(self, messages: list[WorkerMessage]) -> None:
        for message in messages:  # workers send lists of messages
            self._handle(message)

    def _handle(self, message: WorkerMessage) -> None:
        task = self._tasks.get(message.task_id)
        if task is None:
            return  # from a task of a pool that was replaced: it is being redone
        if isinstance(message, TaskStarted):
            task.pid = message.pid
        elif isinstance(message, FileProgress):
            self._active[message.task_id] = ActiveFile(message.path, message.done, message.size)
            if task.batch.items[0].link_to:  # a second name (alone in its batch), copied
                self._count_unlinked(message.path, message.size)
        elif isinstance(message, TaskResults):
            self._on_results(task, message)

    def _on_results(self, task: Task, message: TaskResults) -> None:
        self._active.pop(message.task_id, None)
        self.ledger.count_xattr_loss(message.xattrs_lost, message.xattrs_error)
        if message.copied:
            self._finish_copies(task, message)
        if message.results:
            items = {item.path: item for item in task.batch.items}
            for result in message.results:
                task.finished.add(result.path)
                self._on_result(result, items[result.path], task)
        if message.finished:  # all its files reported, unless the job was cancelled
            del self._tasks[message.task_id]

    def _finish_copies(self, task: Task, message: TaskResults) -> None:
        """_finish for each plain copy of a message, counted together: most files."""
        copied = [task.batch.items[index] for index in message.copied]
        digests = message.digests or ("",) * len(copied)
        landed = message.landed or ((),) * len(copied)
        results = [
            FileResult(item.path, FileStatus.COPIED, item.size, digest=digest, landed=stamp)
            for item, digest, stamp in zip(copied, digests, landed, strict=True)
        ]
        task.finished.update(item.path for item in copied)
        self.ledger.finish_copies(results)
        leaders = self._second_names.leaders
        for result in results if leaders else ():
            if result.path in leaders:
                self._waiting += self._second_names.first_done(result)

    def _on_result(self, result: FileResult, item: FileTask, task: Task) -> None:
        if result.status is FileStatus.CONFLICT:
            self._on_conflict(result, item, task)
            return
        if result.errno in (errno.ENOSPC, errno.EDQUOT) and not self.disk_full:
            self.disk_full = True  # stop new work, say so
            self.ledger.tell(Reason(Code.DISK_FULL))
        if result.why is not None and result.why.code is Code.COPIED_UNLINKED:
            self._count_unlinked(result.path, result.bytes)
            self.ledger.count_unlinked(result.path)
        # (a second name copied on its own counts for its bytes, landed or not)
        self._finish(result, item.size + self._unlinked.get(result.path, 0))

    def _count_unlinked(self, path: str, size: int) -> None:
        """A second name the target could not link, copied on its own: its bytes join
        the total once, before its progress counts (else the bar goes past its end)."""
        if path not in self._unlinked:
            self._unlinked[path] = size
            self._second_names.bytes_unlinked += size

    def _on_conflict(self, result: FileResult, item: FileTask, task: Task) -> None:
        self._handle_decisions()  # an answer "for all" given meanwhile may settle it
        alone = task.batch._replace(items=(item,))
        target = (result.target_size, result.target_mtime_ns)
        answer = self.options.policy_for(item.path, target)
        if answer not in ASKING and answer is not task.policy and self._pool is not None:
            self._submit(alone, answer)  # answered before the job (in a preview)
            return
        if answer in ASKING and self.options.answer_for(item.path):  # saved anew since
            self._answers_void.add(item.path)
        # Ask only under the policy the file was tried with: after "skip identical
        # for all", a file tried under ASK must first be compared.
        if self._policy in ASKING and task.policy is self._policy:
            conflict_id = item.serial  # unique within the job
            self._conflicts[conflict_id] = (item, alone)
            compared = task.policy is ConflictPolicy.SKIP_IDENTICAL
            self._emit(ConflictQuestion(conflict_id, result, compared))
        else:
            self._waiting.insert(0, alone)

    def _handle_decisions(self) -> None:
        while True:
            try:
                conflict_id, decision, apply_to_all = self._controls.decisions.get_nowait()
            except queue.Empty:
                return
            if apply_to_all:
                self._policy = decision
                chosen = list(self._conflicts)
            else:
                chosen = [conflict_id] if conflict_id in self._conflicts else []
            for key in chosen:
                item, batch = self._conflicts.pop(key)
                if decision is ConflictPolicy.SKIP:
                    why = Reason(Code.EXISTS)
                    self._finish(
                        FileResult(item.path, FileStatus.SKIPPED, item.size, why), item.size
                    )
                elif self._pool is not None:
                    self._submit(batch, decision)
