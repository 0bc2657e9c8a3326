"""A dry run's files: each file's action, decided as the worker will decide it."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable

from app.core import metadata
from app.core.access import unreadable
from app.core.conflicts import (
    Action,
    StatFacts,
    decide,
    facts,
    refreshes,
    refreshes_kept,
    texts_differ,
    unshared,
    why_copied,
)
from app.core.events import EntryKind, FileResult, FileStatus
from app.core.plan_links import PlanLinks
from app.core.plan_state import ACTIONS, Planned
from app.core.reasons import Code, Reason, frees_the_source
from app.core.refresh import lacks_metadata
from app.core.scan import Entry
from app.core.tree import Folders, child_of, identity, parent_of

_MOVED_IN_PLACE = Reason(Code.MOVED_IN_PLACE)  # (as the worker says it: filecopy)


class PlanFiles(PlanLinks):
    """Plans each file (a link or special file too) as the copy would decide it, and
    copies again for a new owner last."""

    def _plan_file(self, entry: Entry, targets: Folders | None) -> None:
        parent = parent_of(entry.path)
        if parent in self._blocked:
            why = Reason(Code.FOLDER_NOT_CREATED, (self._blocked[parent],))
            self._add(FileResult(entry.path, FileStatus.FAILED, why=why, action=Planned.SKIP))
            return
        existing = None
        if targets is not None and parent in self._present:
            existing = self._lstat(targets, entry.path)
        if existing is not None and stat.S_ISDIR(existing.st_mode) and self.options.mirror:
            existing = None if self._clear(entry.path) else existing
        if self._planned_link(entry, existing, targets):
            return
        # The stat as the worker sees it (a link's size is its text's length): the worker
        # decides last, and the plan must say what it will decide.
        policy = self.options.policy_for(entry.path, facts(existing))
        decision = decide(
            policy, StatFacts.of(entry.st), existing, self._retargeted(entry, existing, targets)
        )
        decision = unshared(decision, policy, entry.st, existing, self._xattrs_of(entry, targets))
        denied = None
        if decision.action in ACTIONS:
            replaced = existing if decision.action is Action.REPLACE else None  # (not kept)
            denied = self._unreadable(entry) or self._unwritable(parent, replaced)
        self._note_leader(entry, existing, decision, denied is None)
        if denied is not None:
            self._add(FileResult(entry.path, FileStatus.FAILED, why=denied, action=Planned.SKIP))
            return
        if decision.action is Action.RENAME and (kept := self._kept_before(targets, entry)):
            self._plan_kept(entry, targets, kept)
            return
        if decision.why == Reason(Code.OWNER_CHANGED) and existing is not None:
            self._renewals.append((entry, existing))  # last, as the job: _plan_renewals
            return
        if decision.action in ACTIONS:
            action = ACTIONS[decision.action]
            replaced = existing if action is Planned.REPLACE else None
            linked = self._moved_by_link(entry)  # (as the copy: 0 bytes, no inode)
            self._room.add(self._room_of(entry), replaced, linked)
            size, mtime = facts(existing) or (0, 0)  # what an answer to "ask" is about
            # As the copy will say it: what it replaces (a newer file...), unless its own
            # reason; a move's re-run names the source's own inode again: not replaced.
            held = (
                None if replaced is None or identity(replaced) == identity(entry.st) else replaced
            )
            said = why_copied(decision, StatFacts.of(entry.st), held)
            self._add(
                FileResult(
                    entry.path,
                    FileStatus.PLANNED,
                    0 if linked else entry.size,
                    said or (_MOVED_IN_PLACE if linked else None),
                    action=action,
                    target_size=size,
                    target_mtime_ns=mtime,
                )
            )
            return
        status = FileStatus.FAILED if decision.action is Action.FAIL else FileStatus.SKIPPED
        refresh = refreshes(decision, entry.st, existing)
        said = Reason(Code.METADATA_TO_REFRESH) if refresh else decision.why
        if self.options.move and frees_the_source(said) and self._lacks(entry, targets):
            said = Reason(Code.COPY_LACKS_METADATA)  # (as the move will find it)
            self._lacking.add(identity(entry.st))
        self._add(FileResult(entry.path, status, entry.size, said, action=Planned.SKIP))

    def _plan_kept(self, entry: Entry, targets: Folders | None, kept: str) -> None:
        """As the worker will find: kept both before, its metadata set again where the
        source's changed (conflicts.refreshes_kept); and the move: what it lacks."""
        at = child_of(parent_of(entry.path), kept)
        copy = None if targets is None else self._lstat(targets, at)
        refreshing = entry.kind is EntryKind.FILE and copy and refreshes_kept(entry.st, copy)
        said = Reason(Code.METADATA_TO_REFRESH if refreshing else Code.UP_TO_DATE)
        if self.options.move and frees_the_source(said) and self._lacks(entry, targets, kept):
            said = Reason(Code.COPY_LACKS_METADATA)
            self._lacking.add(identity(entry.st))  # (its other names stay too)
        self._add(FileResult(entry.path, FileStatus.SKIPPED, entry.size, said, action=Planned.SKIP))

    def _plan_renewals(self) -> None:
        """Copies again for a new owner, as the job decides them (FeederFiles._renew_owners):
        after all else, each only where it fits beside the largest other replacement."""
        others = self.options.worker_count() - 1
        for entry, existing in self._renewals:
            if not self._room.renewal_fits(self._room_of(entry), others):
                why = Reason(Code.OWNER_NOT_RENEWED)
                self._add(
                    FileResult(entry.path, FileStatus.SKIPPED, entry.size, why, action=Planned.SKIP)
                )
                continue
            self._room.add(self._room_of(entry), existing, self._moved_by_link(entry))
            self._add(
                FileResult(
                    entry.path,
                    FileStatus.PLANNED,
                    entry.size,
                    Reason(Code.OWNER_CHANGED),
                    action=Planned.REPLACE,
                    target_size=existing.st_size,
                    target_mtime_ns=existing.st_mtime_ns,
                )
            )
        self._renewals = []

    def _xattrs_of(self, entry: Entry, targets: Folders | None) -> Callable[[], bool]:
        """Whether the entry's copy holds other xattrs or ACLs (as the feeder asks it)."""
        parent, _, name = entry.path.rpartition(os.sep)

        def differ() -> bool:
            if targets is None or self._scanner is None:
                return False
            try:
                source, copy = self._scanner.folders.open(parent), targets.open(parent)
            except OSError:
                return False
            return metadata.xattrs_differ(source.entry_ref(name), copy.entry_ref(name))

        return differ

    def _lacks(self, entry: Entry, targets: Folders | None, copy_name: str = "") -> bool:
        """Whether the entry's up-to-date copy (at its name, or `copy_name` in its folder)
        lacks its metadata (refresh.lacks_metadata)."""
        if targets is None or self._scanner is None or not stat.S_ISREG(entry.st.st_mode):
            return False
        parent, _, name = entry.path.rpartition(os.sep)
        try:
            source, folder = self._scanner.folders.open(parent), targets.open(parent)
            copy = os.stat(folder.ref(copy_name or name), dir_fd=folder.fd, follow_symlinks=False)
        except OSError:
            return False
        if identity(copy) == identity(entry.st):
            return False  # (the source itself, linked in: nothing to lack)
        at = folder.entry_ref(copy_name or name)
        return lacks_metadata(entry.st, copy, source.entry_ref(name), at)

    def _unreadable(self, entry: Entry) -> Reason | None:
        if entry.kind is not EntryKind.FILE or self._scanner is None:
            return None
        parent, _, name = entry.path.rpartition(os.sep)
        with contextlib.suppress(OSError):  # (else a copy will say what it finds then)
            return unreadable(
                self._scanner.folders.open(parent), name, self.options.follow_symlinks
            )
        return None

    def _retargeted(
        self, entry: Entry, existing: os.stat_result | None, targets: Folders | None
    ) -> bool:
        """As the copy finds it: a link of the same size and time pointing elsewhere."""
        if entry.kind is not EntryKind.LINK or existing is None or targets is None:
            return False
        assert self._scanner is not None
        parent, _, name = entry.path.rpartition(os.sep)
        source, target = self._scanner.folders.open(parent), targets.open(parent)
        here = (source.fd, source.ref(name))
        return texts_differ(here, (target.fd, target.ref(name)), StatFacts.of(entry.st), existing)
