"""Hard links: a file's second name waits until the copy of its first name has landed."""

from __future__ import annotations

from app.core.events import Batch, FileResult, FolderIds, Follower
from app.core.ledger import LANDED
from app.core.reasons import up_to_date


class SecondNames:
    """Holds back the second names of hard-linked files until their first name is done.

    A second name then becomes a link to the first name's copy. If that was not copied
    (kept in the target, failed), the next name is copied on its own (its bytes then join
    the job's total: bytes_unlinked) and stands in as the first name of the rest, which
    are linked to its copy: the names stay one file.
    """

    def __init__(self, leaders: set[str]) -> None:
        self.leaders = leaders  # first names: the feeder's set, which grows as it scans
        self._parked: dict[str, list[Follower]] = {}
        self._landed: dict[str, str | None] = {}  # first name -> its copy, None if none
        self._stand_ins: dict[str, str] = {}  # a first name not copied -> who stands in
        self._folders_of: dict[str, dict[str, FolderIds]] = {}  # a stand-in's folders
        self.bytes_unlinked = 0

    @property
    def waiting(self) -> bool:
        return bool(self._parked)

    def ready(self, follower: Follower) -> Batch | None:
        """The batch for this second name, or None while its first name is in flight."""
        leader = follower.leader
        while leader in self._stand_ins:
            leader = self._stand_ins[leader]
        if leader not in self._landed:
            self._parked.setdefault(leader, []).append(follower)
            return None
        target_path = self._landed[leader]
        batch = follower.batch
        task = batch.items[0]
        if target_path is None:  # the first name was not copied: copy this one as it is
            self.bytes_unlinked += follower.size
            self._stand_ins[leader] = task.path  # ... and link the others to its copy
            self._folders_of[task.path] = batch.folders
            self.leaders.add(task.path)
            task = task._replace(link_to="", size=follower.size)
        else:
            task = task._replace(link_to=target_path)
            if leader in self._folders_of:  # the worker opens the stand-in's folder too
                batch = batch._replace(folders={**batch.folders, **self._folders_of[leader]})
        return batch._replace(items=(task,))

    def first_done(self, result: FileResult) -> list[Batch]:
        """Note how a first name ended; the batches of the second names it held back."""
        landed = result.status in LANDED or up_to_date(result.why)
        self._landed[result.path] = (result.target_path or result.path) if landed else None
        batches = (self.ready(follower) for follower in self._parked.pop(result.path, []))
        return [batch for batch in batches if batch is not None]
