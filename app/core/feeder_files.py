"""The feeder's files: each decided as far as it can be here, or batched for a worker."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from app.core import metadata
from app.core.conflicts import Action, StatFacts, decide, facts, refreshes, texts_differ, unshared
from app.core.events import EntryKind, FileResult, FileStatus
from app.core.feeder_links import FeederLinks
from app.core.feeder_state import Leader
from app.core.feeder_waits import FeederWaits
from app.core.reasons import Code, Reason
from app.core.scan import Entry
from app.core.tree import identity

_OWNER_CHANGED = Reason(Code.OWNER_CHANGED)
_NO_ROOM = Reason(Code.OWNER_NOT_RENEWED)


class FeederFiles(FeederLinks, FeederWaits):
    """Settles each file that needs no worker (up to date, kept, failed), counts the room
    of the rest and batches them; copies again for a new owner come last."""

    def _add_file(self, entry: Entry) -> None:
        parent, _, name = entry.path.rpartition(os.sep)
        if parent in self._blocked:
            self._settle(
                entry, FileStatus.FAILED, Reason(Code.FOLDER_NOT_CREATED, (self._blocked[parent],))
            )
            return
        if parent in self._waiting:
            self._defer(entry)
            return
        fresh = parent in self._fresh
        if fresh and entry.st.st_nlink == 1:  # most files: nothing there, nothing to decide
            self.room.add_new(self._room_of(entry), self._links(entry))
            if self.room.exceeded:
                self._refuse()
            self.batches.add(self._task(entry, fresh), entry.size)
            return
        existing = None if fresh else self._existing(parent, name)
        if existing is not None and stat.S_ISDIR(existing.st_mode) and self.options.mirror:
            if not self._clearing:
                self._defer(entry)
                return
            existing = self._clear(entry.path)
        leader = self._leader_of(entry)
        if leader is not None:
            self._add_follower(entry, leader, existing, fresh)
            return
        policy = self.options.policy_for(entry.path, facts(existing))
        decision = decide(
            policy, StatFacts.of(entry.st), existing, self._retargeted(entry, existing)
        )
        decision = unshared(decision, policy, entry.st, existing, self._xattrs_of(entry))
        if entry.has_other_names:
            up_to_date = decision.why == Reason(Code.UP_TO_DATE) and existing is not None
            lands = up_to_date or decision.action not in (Action.SKIP, Action.FAIL)
            self._leaders[identity(entry.st)] = Leader(
                entry.path, identity(existing) if up_to_date and existing else None, lands
            )
            self.leaders.add(entry.path)
            if lands and self._held_first:
                self._take_over(entry)
        if refreshes(decision, entry.st, existing):  # up to date but for mode or xattrs
            self.batches.add(self._task(entry, fresh), 0)  # a worker sets them: no data, no space
            return
        if decision.action in (Action.SKIP, Action.FAIL):
            # Decided here, in one thread, so a re-run never wakes the workers.
            status = FileStatus.SKIPPED if decision.action is Action.SKIP else FileStatus.FAILED
            self.out.put(FileResult(entry.path, status, entry.size, decision.why))
            return
        if decision.why == _OWNER_CHANGED and existing is not None:
            self._renewals.append((entry, fresh, existing))  # last: see _renew_owners
            return
        if decision.action is Action.RENAME and self._kept_before(parent, name, entry):
            self.batches.add(self._task(entry, fresh), 0)  # its worker finds it: nothing to write
            return
        replaced = existing if decision.action is Action.REPLACE else None  # not kept both
        overlap = self._count(entry, replaced)
        self.batches.add(self._task(entry, fresh), entry.size, overlap)

    def _retargeted(self, entry: Entry, existing: os.stat_result | None) -> bool:
        """A link whose copy has its size and time but points elsewhere (texts_differ)."""
        if entry.kind is not EntryKind.LINK or existing is None:
            return False
        parent, _, name = entry.path.rpartition(os.sep)
        source = self._sources.open(parent, self._ids[parent].source)
        target = self._targets.open(parent)
        here = (source.fd, source.ref(name))
        return texts_differ(here, (target.fd, target.ref(name)), StatFacts.of(entry.st), existing)

    def _xattrs_of(self, entry: Entry) -> Callable[[], bool]:
        """Whether the entry's copy holds other xattrs or ACLs (conflicts.unshared)."""
        parent, _, name = entry.path.rpartition(os.sep)

        def differ() -> bool:
            try:
                source = self._sources.open(parent, self._ids[parent].source)
                copy = self._targets.open(parent, self._ids[parent].target)
            except OSError:
                return False  # (the worker says what it finds)
            return metadata.xattrs_differ(source.entry_ref(name), copy.entry_ref(name))

        return differ

    def _renew_owners(self) -> None:
        """Copies made again for a new owner, once all the job writes is counted: each
        is written before the old one goes, while the other workers may be writing a
        replacement each (at most the largest). Those that would not fit next to that
        stay as they are, for a later run: a full disk would stop the job."""
        others = self.options.worker_count() - 1
        for entry, fresh, copy in self._renewals:
            if not self.room.renewal_fits(self._room_of(entry), others):
                self.out.put(FileResult(entry.path, FileStatus.SKIPPED, entry.size, _NO_ROOM))
                continue
            overlap = self.room.add(self._room_of(entry), copy, self._links(entry))
            self.batches.add(self._task(entry, fresh), entry.size, overlap)
        self._renewals = []
