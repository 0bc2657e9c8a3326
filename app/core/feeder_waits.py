"""A mirror's entries in another kind's way, held until the scan is done."""

from __future__ import annotations

import os

from app.core.events import EntryKind, FileResult
from app.core.feeder_state import FeederState
from app.core.mirror import clearer
from app.core.scan import Entry
from app.core.tree import identity, parent_of


class FeederWaits(FeederState):
    """Holds an entry whose name another kind of entry holds in the target (and what is
    in a folder held so) until the scan is done; then the way is cleared as a mirror
    deletes an extra (_clear), and Feeder._clear_the_way adds the entry as any other."""

    def _defer(self, entry: Entry) -> None:
        """In a mirror, hold an entry whose way a deletion must clear first (what holds
        its name is of another kind), or that lies in a folder made so, until the scan
        is done: counted now, so that a job refused for want of room deletes nothing.
        A file with several names is counted once: here, unless another name of it that
        lands was met (one that lands, met later, takes the count over: _take_over)."""
        self._in_the_way.append(entry)
        if entry.kind is EntryKind.DIR:
            self._waiting.add(entry.path)
            return
        names = identity(entry.st) if entry.has_other_names else None
        leader = self._leader_of(entry)
        links = self.ways_in(parent_of(entry.path)).links  # (else each name is a copy)
        if links and ((leader is not None and leader.lands) or names in self._held_first):
            return  # another name of it is counted, or joins a copy there
        self._counted[entry.path] = counted = self._room_of(entry)  # (as taken back)
        self.room.add_new(counted)
        if names is not None and links:
            self._held_first[names] = entry
        if self.room.exceeded:
            self._refuse()

    def _take_over(self, entry: Entry) -> None:
        """A file with several names, one of which _defer counted: this one, the first
        name, lands (copied and counted, or up to date), and the held one will follow."""
        held = self._held_first.pop(identity(entry.st), None)
        if held is not None and held.path in self._counted:
            self.room.take_back(self._counted.pop(held.path))

    def _clear(self, path: str) -> os.stat_result | None:
        """What holds a name where the source has another kind of entry: a mirror deletes
        it as it deletes an extra (mirror.Mirror.clear); what is at the name then."""
        if self._clearer is None:
            roots = (self.roots.source, self.roots.target)
            self._clearer = clearer(
                roots, self.roots.ids, self.options, False, self.stop, self._since_ns
            )
        self._clearer.protected |= self._source_folders
        parent, _, name = path.rpartition(os.sep)
        self._clearer.clear(path, self._ids[parent].target)
        return self._existing(parent, name)

    @property
    def cleared(self) -> list[FileResult]:
        """What _clear deleted, or kept and why, and the temps an interrupted run left,
        deleted (read once the feeder is done)."""
        return self._stale + (self._clearer.results if self._clearer is not None else [])
