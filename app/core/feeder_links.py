"""The feeder's second names: a file's other names, linked to its first name's copy."""

from __future__ import annotations

import os

from app.core.conflicts import Action, StatFacts, decide, facts
from app.core.events import FileResult, FileStatus, Follower
from app.core.feeder_state import FeederState, Leader
from app.core.reasons import Code, Reason
from app.core.scan import Entry
from app.core.tree import identity, parent_of


class FeederLinks(FeederState):
    """Sends a file's later names as Followers of its first name's copy, and counts the
    room of those the worker copies instead."""

    def _add_follower(
        self, entry: Entry, leader: Leader, existing: os.stat_result | None, fresh: bool
    ) -> None:
        """A second name of a file already seen: linked to its copy, never copied again;
        where the target keeps no hard links (vfat, exFAT), the worker copies it as a file
        of its own, and its room is counted now."""
        self.totals.bytes -= entry.size  # no data to write (else added with its result)
        if existing is not None and leader.target_id == identity(existing):
            self.out.put(FileResult(entry.path, FileStatus.SKIPPED, 0, Reason(Code.UP_TO_DATE)))
            return
        if not leader.lands:  # this name may stand in (hardlinks.py): as the worker will
            self._stand_in(entry, leader, existing)
        elif not self.ways_in(parent_of(entry.path)).links:
            self._count_as_own(entry, existing)  # (the worker decides it so)
        task = self._task(entry, fresh)._replace(size=0, link_to=leader.path)
        folders = {p: self._ids[p] for p in (parent_of(entry.path), parent_of(leader.path))}
        self.out.put(Follower(leader.path, self.batches.of((task,), folders), entry.size))

    def _stand_in(self, entry: Entry, leader: Leader, existing: os.stat_result | None) -> None:
        """The first name's copy will not land: this name is decided as a file of its own
        (by the worker), and counted as such; if it lands, the rest link to it (else the
        next name stands in)."""
        if self._count_as_own(entry, existing):
            self._leaders[identity(entry.st)] = leader._replace(lands=True)

    def _count_as_own(self, entry: Entry, existing: os.stat_result | None) -> bool:
        """Count the room of a name the worker decides as a file of its own, as it will
        decide it (nothing where it is up to date or kept; a question as a new copy, as
        any file's); whether its copy lands (a question's is taken to, as the plan
        takes it: the next names then link to it, or count as its copies)."""
        policy = self.options.policy_for(entry.path, facts(existing))
        decision = decide(policy, StatFacts.of(entry.st), existing)
        parent, _, name = entry.path.rpartition(os.sep)
        if decision.action is Action.RENAME and self._kept_before(parent, name, entry):
            return True  # kept both before: up to date, nothing written
        if decision.action in (Action.COPY, Action.REPLACE, Action.RENAME, Action.ASK):
            self._count(entry, existing if decision.action is Action.REPLACE else None)
            return True
        return decision.why == Reason(Code.UP_TO_DATE)
