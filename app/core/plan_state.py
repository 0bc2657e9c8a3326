"""What a dry run records as it walks, and the reads of the target each phase asks."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from enum import StrEnum

from app.core import mirror
from app.core.access import TargetAccess
from app.core.conflicts import Action, add_time_steps
from app.core.events import (
    FileResult,
    FilesFinished,
    FileStatus,
    Identity,
    JobEvent,
    Progress,
    TargetWays,
)
from app.core.failures import left_out
from app.core.namekeys import DeviceWays, ways_by_reading
from app.core.naming import NameClashes, kept_before
from app.core.options import CopyOptions
from app.core.reasons import Reason
from app.core.room import Room
from app.core.scan import Entry, Scanner, ScanTotals
from app.core.tree import Folder, Folders, child_of, lstat_in, parent_of

RESULTS_PER_EVENT = 256  # results per FilesFinished event


class Planned(StrEnum):
    """What a copy would do with an entry (the `action` of a dry run's results)."""

    COPY = "copy"  # the name is free in the target
    REPLACE = "replace"
    RENAME = "rename"  # keep both: the copy would get "name (2).ext"
    SKIP = "skip"  # up to date, kept, or cannot be copied (its status and reason say)
    DELETE = mirror.DELETE  # mirror: in the target only
    LINK = "link"  # a hard link to another name's copy, as in the source
    ASK = "ask"  # the caller would be asked


ACTIONS = {
    Action.COPY: Planned.COPY,
    Action.REPLACE: Planned.REPLACE,
    Action.RENAME: Planned.RENAME,
    Action.ASK: Planned.ASK,
}


class PlanState:
    """A dry run's state: the source folders found in the target (or not yet, or
    blocked), the first names of files with several, the room the copies would take, and
    the results so far; with what every phase asks of the target (how a folder compares
    names, what a copy takes, what is there). The phases build on it (plan_*.py);
    plan.DryRun joins them. A phase sets up no state of its own (no __init__): all of it
    is here, set once, whatever the order."""

    def __init__(
        self,
        source: str,
        target: str,
        options: CopyOptions,
        emit: Callable[[JobEvent], None],
        cancel: threading.Event,
    ) -> None:
        self.source, self.target = source, target
        self.options = options
        self.emit = emit
        self.cancel = cancel
        self.totals = ScanTotals()
        self.results: list[FileResult] = []
        self._sent = 0
        # Each source folder in the target: there (with both identities), not yet, or
        # blocked (a file or link holds its name: why).
        self._present: dict[str, tuple[Identity, Identity]] = {}
        self._absent: set[str] = set()
        self._linking: set[str] = set()  # source folders whose files a move links in
        self._kept: set[str] = set()  # target paths an earlier "keep both" made: not extras
        self._blocked: dict[str, Reason] = {}
        # Files with several names: the target copy of the first name, if up to date;
        # None if it is to be copied; plan_links.NOT_LANDING if it will not be (skipped,
        # failed).
        self._linked: dict[Identity, Identity | None] = {}
        self._look_alikes: set[Identity] = set()  # up to date, but not a copy to link to
        # Files whose first name's copy lacks its metadata: a move leaves all their names
        # (move.py holds the names linked to a copy it did not prove).
        self._lacking: set[Identity] = set()
        self._scanner: Scanner | None = None
        self._source_folders: set[Identity] = set()  # never a mirror's extras
        self._ways: DeviceWays | None = None  # how the target's file systems compare names
        self._new_target = TargetWays()  # ... or, where it is to be made, the disk's bound
        self._clashes = NameClashes(self.options.mirror, self.options.on_conflict)
        self._room = Room(None)  # what the copies would take, as the job counts it
        self._renewals: list[tuple[Entry, os.stat_result]] = []  # copies for a new owner
        self._access = TargetAccess(target)  # where a copy could not write, as it finds
        self._started_ns = time.time_ns()
        self._source_device = -1
        self._clearer: mirror.Mirror | None = None  # entries in another kind's way
        self._leftovers = 0  # what an interrupted run left in the target: results
        self._deleted = 0  # ... of them, and of the mirror's: deletions planned

    def _left_out(self, entry: Entry) -> tuple[FileStatus, Reason] | None:
        """As the copy leaves it out (FeederState._left_out), before its name counts as met."""
        parent, _, name = entry.path.rpartition(os.sep)
        if parent in self._blocked:
            return None
        return left_out(name, entry.kind, entry.size, self._ways_in(parent))

    def _clash(self, entry: Entry, targets: Folders | None) -> Reason | None:
        """Why this name fails: the target holds another entry's copy at it, or an earlier
        name of this folder is the same name to the target's file system there (the copy
        lands the first such name only), as the copy finds (FeederState._clash), read
        off the names there."""
        parent = parent_of(entry.path)
        ways = self._ways_in(parent)
        there = self._folders_at(parent, targets) if parent in self._present else None
        return self._clashes.why(entry.path, entry.st, ways, there)

    def _folders_at(
        self, parent: str, targets: Folders | None
    ) -> Callable[[], tuple[Folder, Folder]] | None:
        """Opens the target folder `parent` and its source folder (NameClashes.why)."""
        scanner = self._scanner
        if targets is None or scanner is None:
            return None
        return lambda: (targets.open(parent), scanner.folders.open(parent))

    def _ways_in(self, parent: str) -> TargetWays:
        """How the target folder `parent` compares names: read once a file system (one
        mounted inside the target too), whose time step then counts for its files."""
        if self._ways is None:  # a target the copy will make, on the disk it goes to
            return self._new_target
        while parent and parent not in self._present:  # one the copy will make: as the
            parent = parent_of(parent)  # folder it is in
        if parent not in self._present:
            return self._ways.root
        steps = self._ways.time_steps
        folder = os.path.join(self.target, parent)
        ways = self._ways.of(self._present[parent][1][0], lambda: ways_by_reading(folder))
        if self._ways.time_steps is not steps:
            add_time_steps(self._ways.time_steps)
        return ways

    def _moved_by_link(self, entry: Entry) -> bool:
        return parent_of(entry.path) in self._linking and self._room.links(entry.st)

    def _room_of(self, entry: Entry) -> int:
        if self._moved_by_link(entry):
            return 0  # (no data written)
        return entry.room_taken(self._ways_in(parent_of(entry.path)).holes)

    def _kept_before(self, targets: Folders | None, entry: Entry) -> str | None:
        """The name of this file's numbered copy an earlier "keep both" made (noted)."""
        parent, _, name = entry.path.rpartition(os.sep)
        if targets is None or self._scanner is None:
            return None
        try:
            source = self._scanner.folders.open(parent)
            kept = kept_before(targets.open(parent), name, entry.st, source)
        except OSError:
            return None
        if kept is not None:
            self._kept.add(child_of(parent, kept))
        return kept

    def _unwritable(
        self, parent: str, existing: os.stat_result | None, opens_own: bool = True
    ) -> Reason | None:
        """Why a copy could not be made in the target folder `parent`, if there already
        (`existing`: the file it would replace)."""
        if parent not in self._present:
            return None
        return self._access.refusal(parent, existing, opens_own)

    def _clear(self, path: str) -> bool:
        """As the feeder: a mirror deletes what holds a name where the source has another
        kind of entry, as it deletes an extra. Whether it would go (deletions planned)."""
        if self._clearer is None:
            roots, ids = (self.source, self.target), self._present[""]
            self._clearer = mirror.clearer(
                roots, ids, self.options, True, self.cancel, self._started_ns
            )
        self._clearer.protected |= self._source_folders
        before = len(self._clearer.results)
        gone = self._clearer.clear(path, self._present[parent_of(path)][1])
        for result in self._clearer.results[before:]:
            self._add(result)
        return gone

    @staticmethod
    def _lstat(targets: Folders, path: str) -> os.stat_result | None:
        try:
            folder = targets.open(parent_of(path))
            name = path.rpartition(os.sep)[2]
            return lstat_in(folder, name)
        except OSError:
            return None

    def _add(self, result: FileResult) -> None:
        self.results.append(result)
        if len(self.results) - self._sent >= RESULTS_PER_EVENT:
            self._send()

    def _send(self, final: bool = False, elapsed: float = 0.0) -> None:
        if len(self.results) > self._sent:
            self.emit(FilesFinished(tuple(self.results[self._sent :])))
            self._sent = len(self.results)
        if final:
            planned = sum(r.bytes for r in self.results if r.status is FileStatus.PLANNED)
            count = len(self.results)
            self.emit(Progress(count, count, planned, planned, True, elapsed))
