"""A dry run's second names: a file's other names, linked to its first name's copy."""

from __future__ import annotations

import os

from app.core.conflicts import Action, Decision, StatFacts, decide, facts, heals_link, is_copy_of
from app.core.events import FileResult, FileStatus, Identity
from app.core.plan_state import ACTIONS, Planned, PlanState
from app.core.reasons import Code, Reason
from app.core.scan import Entry
from app.core.tree import Folders, identity, parent_of

NOT_LANDING: Identity = (-1, -1)  # a first name whose copy will not land (see _linked)

_LINKED = (Action.COPY, Action.REPLACE, Action.RENAME)  # a second name: linked


class PlanLinks(PlanState):
    """Notes where the first name of a file with several lands, and plans its later
    names as the job does: linked, up to date, or copied on their own."""

    def _planned_link(
        self, entry: Entry, existing: os.stat_result | None, targets: Folders | None
    ) -> bool:
        """A second name of a file seen before: linked to its copy, or already linked."""
        if not entry.has_other_names:
            return False
        key = identity(entry.st)
        if key not in self._linked:
            return False
        if not self._ways_in(parent_of(entry.path)).links:
            return False  # (vfat, exFAT) as the job does: copied as a file of its own
        copy = self._linked[key]
        if copy == NOT_LANDING:  # as the job does: copied on its own
            return False
        if existing is not None and copy == identity(existing):
            why = Reason(Code.COPY_LACKS_METADATA if key in self._lacking else Code.UP_TO_DATE)
            self._add(FileResult(entry.path, FileStatus.SKIPPED, 0, why, action=Planned.SKIP))
            return True
        if key in self._look_alikes:  # as the worker finds it: not linked to
            why = Reason(Code.LINKED_COPY_REPLACED)
            self._add(FileResult(entry.path, FileStatus.FAILED, 0, why, action=Planned.SKIP))
            return True
        # As the worker decides it: the same data is linked; else as for a file.
        policy = self.options.policy_for(entry.path, facts(existing))
        decision = decide(policy, StatFacts.of(entry.st), existing)
        if heals_link(decision, policy) or decision.action in _LINKED:
            if decision.action is Action.RENAME and self._kept_before(targets, entry):
                why = Reason(Code.COPY_LACKS_METADATA if key in self._lacking else Code.UP_TO_DATE)
                self._add(FileResult(entry.path, FileStatus.SKIPPED, 0, why, action=Planned.SKIP))
            elif denied := self._unwritable(  # (as a copy: another's file only if replaced)
                parent_of(entry.path), existing if decision.action is Action.REPLACE else None
            ):
                why = Reason(Code.CANNOT_NAME, denied.args)  # (the link is its naming)
                self._add(FileResult(entry.path, FileStatus.FAILED, 0, why, action=Planned.SKIP))
            else:
                # (linked to a copy the move does not prove: its source stays, as the first's)
                lacks = Reason(Code.COPY_LACKS_METADATA) if key in self._lacking else None
                self._add(FileResult(entry.path, FileStatus.PLANNED, 0, lacks, action=Planned.LINK))
        elif decision.action is Action.ASK:
            self._add(FileResult(entry.path, FileStatus.PLANNED, action=Planned.ASK))
        else:
            status = FileStatus.FAILED if decision.action is Action.FAIL else FileStatus.SKIPPED
            self._add(FileResult(entry.path, status, 0, decision.why, action=Planned.SKIP))
        return True

    def _note_leader(
        self, entry: Entry, existing: os.stat_result | None, decision: Decision, readable: bool
    ) -> None:
        """The first name of a file with several: where its copy is if up to date, and
        whether it will have one (else its other names are copied on their own)."""
        key = identity(entry.st)
        if not entry.has_other_names:
            return
        if self._linked.get(key, NOT_LANDING) != NOT_LANDING:
            return  # a later name: linked (the first name's copy lands, or this one's)
        if existing is not None and decision.why == Reason(Code.UP_TO_DATE):
            self._linked[key] = identity(existing)
            if not is_copy_of(existing, entry.st):  # e.g. another user's file of that look
                self._look_alikes.add(key)
        elif decision.action in ACTIONS and readable:
            self._linked[key] = None
        else:
            self._linked[key] = NOT_LANDING
