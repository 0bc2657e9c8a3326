"""Hard links: a file's second name waits until the copy of its first name has landed."""

from __future__ import annotations

from app.core.events import Batch, FileResult
from app.core.feeder import Follower
from app.core.ledger import LANDED
from app.core.reasons import up_to_date


class SecondNames:
    """Holds back the second names of hard-linked files until their first name is done.

    A second name then becomes a link to the first name's copy, or, if that was not
    copied, a copy of its own (its bytes then join the job's total: bytes_unlinked).
    """

    def __init__(self, leaders: set[str]) -> None:
        self.leaders = leaders  # first names: the feeder's set, which grows as it scans
        self._parked: dict[str, list[Follower]] = {}
        self._landed: dict[str, str | None] = {}  # first name -> its copy, None if none
        self.bytes_unlinked = 0

    @property
    def waiting(self) -> bool:
        return bool(self._parked)

    def ready(self, follower: Follower) -> Batch | None:
        """The batch for this second name, or None while its first name is in flight."""
        if follower.leader not in self._landed:
            self._parked.setdefault(follower.leader, []).append(follower)
            return None
        target_path = self._landed[follower.leader]
        task = follower.batch.items[0]
        if target_path is None:  # the first name was not copied: copy this one as it is
            self.bytes_unlinked += follower.size
            task = task._replace(link_to="", size=follower.size)
        else:
            task = task._replace(link_to=target_path)
        return follower.batch._replace(items=(task,))

    def first_done(self, result: FileResult) -> list[Batch]:
        """Note how a first name ended; the batches of the second names it held back."""
        landed = result.status in LANDED or up_to_date(result.why)
        self._landed[result.path] = (result.target_path or result.path) if landed else None
        batches = (self.ready(follower) for follower in self._parked.pop(result.path, []))
        return [batch for batch in batches if batch is not None]
