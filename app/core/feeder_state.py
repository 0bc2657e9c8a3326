"""What the feeder knows as it scans, and the questions each of its phases asks."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import NamedTuple

from app.core.batches import Batcher
from app.core.conflicts import add_time_steps
from app.core.events import (
    Batch,
    FileResult,
    FileStatus,
    FileTask,
    FolderIds,
    Follower,
    Identity,
    Roots,
    TargetWays,
)
from app.core.failures import left_out
from app.core.mirror import Mirror
from app.core.namekeys import DeviceWays, probe_target
from app.core.naming import NameClashes, kept_before
from app.core.options import CopyOptions
from app.core.reasons import Reason
from app.core.room import Room, linked_from
from app.core.scan import Entry, ScanTotals
from app.core.tree import PATH_FLAGS, Folder, Folders, identity, lstat_in, parent_of


class Leader(NamedTuple):
    """The first name met of a file with several (its other names follow it)."""

    path: str
    target_id: Identity | None  # what the target held at its name, if it was up to date
    lands: bool = True  # False: kept or failed here, so the next name is copied instead


FeederOutput = Batch | FileResult | Follower | None


class FeederState(threading.Thread):
    """The feeder's state: the target folders made or found, the room counted, the first
    names of files with several, and a mirror's entries held back; with what every phase
    asks of them (how a target folder compares names, what a copy takes, what is there).
    The phases build on it (feeder_*.py); feeder.Feeder joins them. A phase sets up no
    state of its own (no __init__): all of it is here, set once, whatever the order.
    """

    def __init__(
        self,
        roots: Roots,
        options: CopyOptions,
        only: list[str] | None,
        stop: threading.Event,
        free: int | None,
        since_ns: int | None = None,
    ) -> None:
        super().__init__(name="ferry-feeder", daemon=True)
        self.roots = roots
        self.options = options
        self.only = only
        self.stop = stop
        self.out: queue.Queue[FeederOutput] = queue.Queue()
        self.totals = ScanTotals()
        self.folders: list[tuple[Entry, FolderIds]] = []
        self.scan_done = False
        self.refusal: Reason | None = None  # not enough space: set once, feeding stops
        self.error: BaseException | None = None
        linked = linked_from(options, roots.source, roots.target, roots.ways.links)
        self.room = Room(free, roots.target, linked)
        self._renewals: list[tuple[Entry, bool, os.stat_result]] = []  # (entry, fresh, copy)
        self._ids: dict[str, FolderIds] = {}
        self._blocked: dict[str, Reason] = {}  # folders that could not be made -> why
        self._linking: set[str] = set()  # source folders whose files a move links in
        self._fresh: set[str] = set()  # folders this job created: nothing to compare
        self._source_folders: set[Identity] = {roots.ids.source}  # scanned so far
        self._leaders: dict[Identity, Leader] = {}  # files with several names, first seen
        self.leaders: set[str] = set()  # ... their paths, for the job to note where they land
        self._next_serial = 0
        self._targets = Folders(roots.target, PATH_FLAGS, roots.ids.target)
        follow = options.follow_symlinks  # (the source's folders: keep-both's names, links' texts)
        self._sources = Folders(roots.source, PATH_FLAGS, roots.ids.source, follow)
        self._ways = DeviceWays(roots.ids.target[0], roots.ways)  # also of mounts in it
        self.batches = Batcher(self.out, self._ids, self._ways)
        self._folder_ways: dict[str, TargetWays] = {}  # ... each target folder's
        self._clashes = NameClashes(self.options.mirror, self.options.on_conflict)
        self._since_ns = since_ns  # the job's start: what changed since in the target stays
        self._clearer: Mirror | None = None  # a mirror's: entries where the source has others
        self._stale: list[FileResult] = []  # what an interrupted run left, deleted
        # In a mirror, entries whose way a deletion must clear first (_defer), in scan
        # order, and the folders among them whose name a file holds: what is in them waits.
        self._in_the_way: list[Entry] = []
        self._counted: dict[str, int] = {}  # ... the room counted of files among them
        self._held_first: dict[Identity, Entry] = {}  # ... counted for all its names
        self._waiting: set[str] = set()
        self._clearing = False  # the scan is done: the way may be cleared now

    def ways_in(self, parent: str) -> TargetWays:
        """How the target folder `parent` compares names and keeps times: as its file
        system does (for one not made yet, its nearest made folder's: its entries fail or
        wait). The job's mirror asks it too, once the feeder is done: no second probe."""
        ways = self._folder_ways.get(parent)
        while ways is None and parent:
            parent = parent_of(parent)
            ways = self._folder_ways.get(parent)
        return ways or self.roots.ways

    def _ways_of(self, device: int, folder: Folder) -> TargetWays:
        """How the file system of a target folder behaves. One met for the first time is
        probed, and its time step goes to this process's comparisons now and to the
        workers' with each batch (Batch.time_steps)."""
        steps = self._ways.time_steps
        try:
            ways = self._ways.of(device, lambda: probe_target(folder))
        except OSError:  # (asked again at its next folder)
            return self.roots.ways
        if self._ways.time_steps is not steps:
            add_time_steps(self._ways.time_steps)
        return ways

    def _left_out(self, entry: Entry) -> tuple[FileStatus, Reason] | None:
        parent, _, name = entry.path.rpartition(os.sep)
        if parent in self._blocked or parent in self._waiting:
            return None  # (said of its folder: _add_file; asked when it is made)
        return left_out(name, entry.kind, entry.size, self.ways_in(parent))

    def _clash(self, entry: Entry) -> Reason | None:
        """On a target that ignores case or Unicode form, or drops trailing dots, a
        second such name fails: one that the target holds another entry's copy at (a
        retry of `a.txt` must not land on the copy of `A.txt`), or one after a name met
        earlier in this job (the first that did not fail)."""
        if not entry.path:
            return None
        parent = parent_of(entry.path)
        ways = self.ways_in(parent)
        there = self._folders_at(parent) if parent in self._ids else None
        return self._clashes.why(entry.path, entry.st, ways, there)

    def _folders_at(self, parent: str) -> Callable[[], tuple[Folder, Folder]]:
        """Opens the target folder `parent` and its source folder (NameClashes.why)."""
        source = self._ids[parent].source
        return lambda: (self._targets.open(parent), self._sources.open(parent, source))

    def _links(self, entry: Entry) -> bool:
        """Whether a move links this file in: no data written, no inode taken."""
        linking = bool(self._linking) and parent_of(entry.path) in self._linking
        return linking and self.room.links(entry.st)

    def _room_of(self, entry: Entry) -> int:
        if self._links(entry):
            return 0  # (moved by a link: no data written)
        return entry.room_taken(self.ways_in(parent_of(entry.path)).holes)

    def _count(self, entry: Entry, existing: os.stat_result | None = None) -> int:
        """Count a copy's room (returns its overlap); stop as soon as the known bytes to
        write exceed the free space."""
        overlap = self.room.add(self._room_of(entry), existing, self._links(entry))
        if self.room.exceeded:
            self._refuse()
        return overlap

    def _refuse(self) -> None:
        self.refusal = self.room.refusal(scan_done=self._clearing)

    def _leader_of(self, entry: Entry) -> Leader | None:
        if not entry.has_other_names:
            return None
        return self._leaders.get(identity(entry.st))

    def _kept_before(self, parent: str, name: str, entry: Entry) -> bool:
        """Whether an earlier "keep both" made this file's numbered copy (naming.py)."""
        try:
            source = self._sources.open(parent, self._ids[parent].source)
            return kept_before(self._targets.open(parent), name, entry.st, source) is not None
        except OSError:
            return False  # counted as a new copy: the worker will see

    def _existing(self, parent: str, name: str) -> os.stat_result | None:
        folder = self._targets.open(parent)
        try:
            return lstat_in(folder, name)
        except OSError:
            return None

    def _settle(self, entry: Entry, status: FileStatus, why: Reason) -> None:
        self.totals.bytes -= entry.size  # never to be copied: not part of the total
        self.out.put(FileResult(entry.path, status, why=why))

    def _task(self, entry: Entry, fresh: bool) -> FileTask:
        self._next_serial += 1
        return FileTask(entry.path, entry.kind, entry.size, self._next_serial, fresh)
