"""Turns the streaming scan into target folders and batches of work, in a thread."""

from __future__ import annotations

import os
import queue
import stat
import threading
from collections.abc import Callable, Iterator
from typing import NamedTuple

from app.core import metadata
from app.core.batches import Batcher
from app.core.conflicts import (
    Action,
    StatFacts,
    add_time_steps,
    decide,
    facts,
    folder_replaces,
    refreshes,
    texts_differ,
    unshared,
)
from app.core.events import (
    Batch,
    EntryKind,
    FileResult,
    FileStatus,
    FileTask,
    FolderIds,
    Follower,
    Identity,
    Roots,
    TargetWays,
)
from app.core.failures import left_out, why_failed
from app.core.mirror import Mirror, clearer
from app.core.namekeys import DeviceWays, probe_target
from app.core.naming import NameClashes, kept_before
from app.core.options import CopyOptions
from app.core.reasons import Code, Reason
from app.core.room import Room, linked_from
from app.core.scan import Entry, Scanner, ScanTotals
from app.core.temps import remove_stale_temps
from app.core.tree import (
    PATH_FLAGS,
    Folder,
    FolderReplaced,
    Folders,
    identity,
    mounted_at,
    parent_of,
    stat_folder,
)

_OWNER_CHANGED = Reason(Code.OWNER_CHANGED)
_NO_ROOM = Reason(Code.OWNER_NOT_RENEWED)


class _Leader(NamedTuple):
    path: str
    target_id: Identity | None  # what the target held at its name, if it was up to date
    lands: bool = True  # False: kept or failed here, so the next name is copied instead


FeederOutput = Batch | FileResult | Follower | None


class Feeder(threading.Thread):
    """Walks the source, creates each target folder, and queues batches of files.

    `out` receives Batches, Followers and final FileResults (things settled without a
    worker), then None. Folder metadata is applied later, deepest first (folders.py).
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
        self._leaders: dict[Identity, _Leader] = {}  # files with several names, first seen
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

    def run(self) -> None:
        scanner = Scanner(
            self.roots.source,
            self.options.follow_symlinks,
            self.totals,
            self.roots.ids.source,
            avoid=self.roots.target,
            avoid_id=self.roots.ids.target,
            filters=self.options.filters,
        )
        try:
            self._feed(scanner.walk() if self.only is None else scanner.selected(self.only))
            if not (self.stop.is_set() or self.refusal):
                self._clear_the_way()
            if not (self.stop.is_set() or self.refusal):
                self._renew_owners()
        except BaseException as exc:  # reported by the job; the feeder must always finish
            self.error = exc
        finally:
            scanner.close()
            self._targets.close()
            self._sources.close()
            if self._clearer is not None:
                self._clearer.close()
            self.batches.flush()
            self.scan_done = True
            self.out.put(None)

    def _feed(self, entries: Iterator[Entry | FileResult]) -> None:
        for item in entries:
            if self.stop.is_set() or self.refusal is not None:
                return
            if isinstance(item, FileResult):
                self.totals.files += 1
                self.out.put(item)
            elif (out := self._left_out(item)) is not None:
                if item.kind is EntryKind.DIR:
                    self._block(item.path, out[1], out[0])
                else:
                    self._settle(item, *out)
            elif (clash := self._clash(item)) is not None:
                if item.kind is EntryKind.DIR:
                    self._block(item.path, clash)
                else:
                    self._settle(item, FileStatus.FAILED, clash)
            elif item.kind is EntryKind.DIR:
                self._make_folder(item)
            else:
                self._add_file(item)
            self.batches.flush_stale()

    # --- folders ------------------------------------------------------------------------

    def _make_folder(self, entry: Entry) -> None:
        parent_path = entry.path.rpartition(os.sep)[0]
        if entry.path and parent_path in self._blocked:
            self._blocked[entry.path] = self._blocked[parent_path]
            return
        if entry.path and parent_path in self._waiting:
            self._defer(entry)
            return
        try:
            if entry.path:
                fresh = self._mkdir(self._targets.open(parent_path), entry.path)
            else:
                fresh = self.roots.created
            folder = self._targets.open(entry.path)
            target_id = identity(stat_folder(folder))
        except _InTheWay:
            self._defer(entry)
            return
        except _Blocked as blocked:
            self._block(entry.path, blocked.why)
            return
        except FolderReplaced:
            self._block(entry.path, Reason(Code.LINK_WHERE_FOLDER_GOES))
            return
        except OSError as exc:
            self._block(entry.path, why_failed(Code.CANNOT_CREATE_FOLDER, exc))
            return
        self._source_folders.add(identity(entry.st))
        if target_id in self._source_folders or (
            not fresh and self._mounted_from_source(entry.path, target_id)
        ):  # the source, or a folder of it (a bind mount), is here: not to write into
            self._block(entry.path, Reason(Code.SOURCE_WHERE_FOLDER_GOES))
            return
        if not fresh and entry.path and parent_path in self._fresh:
            # A folder this job just made holds the name already: the target does not tell
            # two source names apart (case, Unicode form) although the probe said it would.
            self._block(entry.path, Reason(Code.NAME_CLASH))
            return
        if fresh:
            self._fresh.add(entry.path)
            self.room.add_folder()
            metadata.mark_unfinished(folder.self_ref())  # until its metadata is set
        else:
            self._stale += remove_stale_temps(folder, entry.path)
        ids = FolderIds(identity(entry.st), target_id)
        self._ids[entry.path] = ids
        self._folder_ways[entry.path] = self._ways_of(target_id[0], folder)
        if self.room.linked is not None and self._links_in(entry):
            self._linking.add(entry.path)
        self.folders.append((entry, ids))

    def _links_in(self, entry: Entry) -> bool:
        """Whether a move links in this source folder's files (Room.links_in)."""
        try:
            return self.room.links_in(self._sources.open(entry.path, identity(entry.st)).fd)
        except OSError:
            return False

    def _mounted_from_source(self, path: str, target_id: Identity) -> bool:
        """A mount of the source's disk here (a bind mount of a source folder, maybe one
        not scanned yet, or excluded): its files may be the source's own."""
        return target_id[0] == self.roots.ids.source[0] and mounted_at(self._targets, path)

    def _mkdir(self, parent: Folder, path: str) -> bool:
        """Create the folder, private until its contents are in; False if it existed. A
        file at its name goes first where conflicts.folder_replaces says so, once the
        scan is done (until then: _InTheWay)."""
        name = path.rpartition(os.sep)[2]
        try:
            os.mkdir(parent.ref(name), 0o700, dir_fd=parent.fd)
            return True
        except FileExistsError:
            st = os.stat(parent.ref(name), dir_fd=parent.fd, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            return False
        if folder_replaces(self.options.mirror, st):
            if not self._clearing:
                raise _InTheWay
            if self._clear(path) is None:
                os.mkdir(parent.ref(name), 0o700, dir_fd=parent.fd)
                return True
        is_link = stat.S_ISLNK(st.st_mode)
        raise _Blocked(Code.LINK_WHERE_FOLDER_GOES if is_link else Code.FILE_WHERE_FOLDER_GOES)

    def _block(self, path: str, why: Reason, status: FileStatus = FileStatus.FAILED) -> None:
        """A folder not made: its entries fail (the folder itself may be skipped)."""
        self._blocked[path] = why
        self.totals.files += 1
        self.out.put(FileResult(path, status, why=why))

    def folder_ids(self) -> dict[str, FolderIds]:
        """Every folder made or found, by path (read once the feeder is done)."""
        return self._ids

    def created_folders(self) -> list[str]:
        """Folders this job created, parents first (for undoing a refused job)."""
        return [entry.path for entry, _ in self.folders if entry.path in self._fresh]

    # --- files --------------------------------------------------------------------------

    def _left_out(self, entry: Entry) -> tuple[FileStatus, Reason] | None:
        parent, _, name = entry.path.rpartition(os.sep)
        if parent in self._blocked or parent in self._waiting:
            return None  # (said of its folder: _add_file; asked when it is made)
        return left_out(name, entry.kind, entry.size, self.ways_in(parent))

    def _room_of(self, entry: Entry) -> int:
        if self._linking and parent_of(entry.path) in self._linking and self.room.links(entry.st):
            return 0  # (moved by a link: no data written)
        return entry.room_taken(self.ways_in(parent_of(entry.path)).holes)

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
            self.room.add_new(self._room_of(entry))
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
            self._leaders[identity(entry.st)] = _Leader(
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

    def _clear_the_way(self) -> None:
        """The entries _defer held: each deletion goes as a mirror deletes an extra, then
        the entry is added as any other (counted again, so first taken back)."""
        self._clearing = True
        self._waiting = set()
        for entry in self._in_the_way:
            if self.stop.is_set() or self.refusal is not None:
                return
            if entry.kind is EntryKind.DIR:
                self._make_folder(entry)
                continue
            if entry.path in self._counted:
                self.room.take_back(self._counted.pop(entry.path))
            if (out := self._left_out(entry)) is not None:  # (its folder is known now)
                self._settle(entry, *out)
                continue
            self._add_file(entry)
            self.batches.flush_stale()
        self._in_the_way = []

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

    def _kept_before(self, parent: str, name: str, entry: Entry) -> bool:
        """Whether an earlier "keep both" made this file's numbered copy (naming.py)."""
        try:
            source = self._sources.open(parent, self._ids[parent].source)
            return kept_before(self._targets.open(parent), name, entry.st, source) is not None
        except OSError:
            return False  # counted as a new copy: the worker will see

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
            overlap = self.room.add(self._room_of(entry), copy)
            self.batches.add(self._task(entry, fresh), entry.size, overlap)
        self._renewals = []

    def _count(self, entry: Entry, existing: os.stat_result | None = None) -> int:
        """Count a copy's room (returns its overlap); stop as soon as the known bytes to
        write exceed the free space."""
        overlap = self.room.add(self._room_of(entry), existing)
        if self.room.exceeded:
            self._refuse()
        return overlap

    def _refuse(self) -> None:
        code = Code.NO_SPACE if self._clearing else Code.NO_SPACE_SO_FAR  # (scan done?)
        self.refusal = Reason(code, (self.room.peak, self.room.free))

    def _leader_of(self, entry: Entry) -> _Leader | None:
        if not entry.has_other_names:
            return None
        return self._leaders.get(identity(entry.st))

    def _add_follower(
        self, entry: Entry, leader: _Leader, existing: os.stat_result | None, fresh: bool
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

    def _stand_in(self, entry: Entry, leader: _Leader, existing: os.stat_result | None) -> None:
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

    def _existing(self, parent: str, name: str) -> os.stat_result | None:
        folder = self._targets.open(parent)
        try:
            return os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
        except OSError:
            return None

    def _settle(self, entry: Entry, status: FileStatus, why: Reason) -> None:
        self.totals.bytes -= entry.size  # never to be copied: not part of the total
        self.out.put(FileResult(entry.path, status, why=why))

    def _task(self, entry: Entry, fresh: bool) -> FileTask:
        self._next_serial += 1
        return FileTask(entry.path, entry.kind, entry.size, self._next_serial, fresh)

    # --- names the target cannot tell apart ------------------------------------------------

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


class _InTheWay(Exception):
    """A file holds a folder's name, in a mirror: the folder waits (Feeder._defer)."""


class _Blocked(Exception):
    def __init__(self, code: Code) -> None:
        self.why = Reason(code)
