"""A dry run: every entry's action, decided as a copy decides it, with nothing written.

The plan looks at the target only through reads (no folder, probe or temp is made, not
even the target folder), with the same scan, filters and conflict decision as a copy.
Its report is a CopyReport whose results carry an `action`; a window can show it as is.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import threading
import time
from collections.abc import Callable
from enum import StrEnum

from app.core import metadata, mirror
from app.core.access import TargetAccess, unreadable
from app.core.conflicts import (
    Action,
    Decision,
    StatFacts,
    add_time_steps,
    decide,
    facts,
    folder_replaces,
    heals_link,
    is_copy_of,
    refreshes,
    set_time_steps,
    texts_differ,
    unshared,
)
from app.core.events import (
    EntryKind,
    FileResult,
    FilesFinished,
    FileStatus,
    Identity,
    JobEvent,
    Notice,
    Progress,
    TargetWays,
)
from app.core.failures import left_out
from app.core.namekeys import DeviceWays, name_key_by_reading, ways_by_reading, ways_by_type
from app.core.naming import NameClashes, kept_before
from app.core.options import CopyOptions
from app.core.preflight import (
    Refusal,
    check_manifest,
    check_paths,
    free_space,
    nearest_existing,
)
from app.core.reasons import Code, Reason, frees_the_source
from app.core.report import CopyReport
from app.core.room import Room, linked_from
from app.core.scan import Entry, Scanner, ScanTotals
from app.core.target import open_target, refuse_if_within
from app.core.temps import planned_stale_temps
from app.core.tree import PATH_FLAGS, Folder, Folders, identity, mounted_at, parent_of

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


NOT_LANDING: Identity = (-1, -1)  # a first name whose copy will not land (see _linked)

_LINKED = (Action.COPY, Action.REPLACE, Action.RENAME)  # a second name: linked

_ACTIONS = {
    Action.COPY: Planned.COPY,
    Action.REPLACE: Planned.REPLACE,
    Action.RENAME: Planned.RENAME,
    Action.ASK: Planned.ASK,
}


class DryRun:
    """Plan a copy of `source` into `target`; run() returns the report, writes nothing."""

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
        # None if it is to be copied; NOT_LANDING if it will not be (skipped, failed).
        self._linked: dict[Identity, Identity | None] = {}
        self._look_alikes: set[Identity] = set()  # up to date, but not a copy to link to
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

    def run(self) -> CopyReport:
        started = time.monotonic()
        self._started_ns = time.time_ns()
        try:
            check_paths(self.source, self.target)
            check_manifest(self.options.manifest, self.source, self.target)
            source_id = identity(os.stat(self.source))
            self._source_device = source_id[0]
            fd, _ = open_target(self.target, create=False)
            try:
                target_id = None if fd is None else refuse_if_within(fd, source_id)
            finally:
                if fd is not None:
                    os.close(fd)
        except Refusal as refusal:
            return CopyReport(self.source, self.target, refused=refusal.why, dry_run=True)
        nearest = nearest_existing(self.target)
        self._new_target = ways_by_type(os.stat(nearest).st_dev)
        linked = linked_from(self.options, self.source, nearest, self._new_target.links)
        self._room = Room(free_space(self.target), nearest, linked)
        targets = Folders(self.target, PATH_FLAGS, target_id) if target_id else None
        # As the copy's probe would find: the names and times there show it.
        ways = ways_by_reading(self.target) if target_id else TargetWays()
        self._ways = DeviceWays(target_id[0], ways) if target_id else None
        set_time_steps({target_id[0]: ways.time_step} if target_id else {})
        whole = self._walk(source_id, targets)
        self._plan_renewals()
        if self._clearer is not None:
            self._clearer.close()
            self._deleted += self._clearer.deleted
        if self.options.mirror and whole and not self.cancel.is_set():
            self._deleted += self._mirror(source_id, target_id)
        self._send(final=True, elapsed=time.monotonic() - started)
        notices = self._access.notices()
        for notice in notices:
            self.emit(Notice(notice))
        room = self._room  # the job would refuse, having written nothing
        too_big = Reason(Code.NO_SPACE, (room.peak, room.free)) if room.exceeded else None
        moving = sum(map(_moves, self.results)) if self.options.move else None
        return CopyReport(
            self.source,
            self.target,
            tuple(self.results),
            refused=too_big,
            seconds=time.monotonic() - started,
            cancelled=self.cancel.is_set(),
            excluded=self.totals.excluded,
            deleted=self._deleted,
            dry_run=True,
            moved=moving,
            stayed=len(self.results) - self._leftovers - (moving or 0),
            notices=notices,
        )

    def _walk(self, source_id: Identity, targets: Folders | None) -> bool:
        """Plan every entry the scan finds; False if the scan stopped early (then it cannot
        say what the source lacks: a folder is found before it is listed)."""
        scanner = self._scanner = Scanner(
            self.source,
            self.options.follow_symlinks,
            self.totals,
            source_id,
            avoid=self.target,
            filters=self.options.filters,
            avoid_id=targets.root_id if targets else None,
        )
        try:
            for item in scanner.walk():
                if self.cancel.is_set():
                    return False
                self._plan(item, targets)
        except OSError as exc:  # outside any one entry (the job's feeder says the same)
            why = Reason(Code.SCAN_STOPPED, (repr(exc),))
            self._add(FileResult(".", FileStatus.FAILED, why=why, action=Planned.SKIP))
            return False
        finally:
            scanner.close()
            if targets is not None:
                targets.close()
        return True

    def _plan(self, item: Entry | FileResult, targets: Folders | None) -> None:
        if isinstance(item, FileResult):
            self._add(item._replace(action=Planned.SKIP))
        elif (out := self._left_out(item)) is not None:
            if item.kind is EntryKind.DIR:
                self._blocked[item.path] = out[1]
            self._add(FileResult(item.path, out[0], why=out[1], action=Planned.SKIP))
        elif item.path and (why := self._clash(item, targets)) is not None:
            if item.kind is EntryKind.DIR:
                self._blocked[item.path] = why
            self._add(FileResult(item.path, FileStatus.FAILED, why=why, action=Planned.SKIP))
        elif item.kind is EntryKind.DIR:
            self._plan_folder(item, targets)
        else:
            self._plan_file(item, targets)

    def _left_out(self, entry: Entry) -> tuple[FileStatus, Reason] | None:
        """As the copy leaves it out (feeder._left_out), before its name counts as met."""
        parent, _, name = entry.path.rpartition(os.sep)
        if parent in self._blocked:
            return None
        return left_out(name, entry.kind, entry.size, self._ways_in(parent))

    def _clash(self, entry: Entry, targets: Folders | None) -> Reason | None:
        """Why this name fails: the target holds another entry's copy at it, or an earlier
        name of this folder is the same name to the target's file system there (the copy
        lands the first such name only), as the copy finds (feeder._clash), read off the
        names there."""
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

    def _plan_folder(self, entry: Entry, targets: Folders | None) -> None:
        self._source_folders.add(identity(entry.st))
        if self._room.linked is not None and self._scanner is not None:
            with contextlib.suppress(OSError):  # (as the feeder: _links_in)
                if self._room.links_in(self._scanner.folders.open(entry.path).fd):
                    self._linking.add(entry.path)
        parent = parent_of(entry.path)
        if entry.path and parent in self._blocked:
            self._blocked[entry.path] = self._blocked[parent]  # as the copy says it
            return
        if targets is None or (entry.path and parent in self._absent):
            self._absent.add(entry.path)
            self._room.add_folder()
            return
        if not entry.path:  # the target folder itself, which exists
            assert targets.root_id is not None
            self._present[""] = (identity(entry.st), targets.root_id)
            self._access.note_folder("", os.stat(self.target))
            self._plan_stale_temps("", targets)
            return
        existing = self._lstat(targets, entry.path)
        if existing is None and (denied := self._unwritable(parent, None, opens_own=False)):
            # As the copy finds: the folder cannot be made there, nor what it holds.
            why = self._blocked[entry.path] = Reason(Code.CANNOT_CREATE_FOLDER, denied.args)
            self._add(FileResult(entry.path, FileStatus.FAILED, why=why, action=Planned.SKIP))
        elif existing is None:
            self._absent.add(entry.path)
            self._room.add_folder()
        elif identity(existing) in self._source_folders or (
            stat.S_ISDIR(existing.st_mode)
            and existing.st_dev == self._source_device
            and mounted_at(targets, entry.path)
        ):  # as the copy finds: the source, or a folder of it mounted here: not written to
            why = self._blocked[entry.path] = Reason(Code.SOURCE_WHERE_FOLDER_GOES)
            self._add(FileResult(entry.path, FileStatus.FAILED, why=why, action=Planned.SKIP))
        elif stat.S_ISDIR(existing.st_mode):
            self._present[entry.path] = (identity(entry.st), identity(existing))
            self._access.note_folder(entry.path, existing)
            self._plan_stale_temps(entry.path, targets)
        elif folder_replaces(self.options.mirror, existing) and self._clear(entry.path):
            self._absent.add(entry.path)  # as the feeder will: the file goes, a folder comes
            self._room.add_folder()
        else:
            code = Code.LINK_WHERE_FOLDER_GOES
            if not stat.S_ISLNK(existing.st_mode):
                code = Code.FILE_WHERE_FOLDER_GOES
            why = self._blocked[entry.path] = Reason(code)
            self._add(FileResult(entry.path, FileStatus.FAILED, why=why, action=Planned.SKIP))

    def _plan_stale_temps(self, path: str, targets: Folders) -> None:
        """As the copy deletes them (feeder), before it writes there (opens nothing to
        us): what an interrupted run left in the target folder `path`."""
        refusal = functools.partial(self._access.refusal, path, None, opens_own=False)
        with contextlib.suppress(OSError):
            for result in planned_stale_temps(targets.open(path), path, refusal):
                self._leftovers += 1  # (no source entries: they neither move nor stay)
                self._deleted += result.status is FileStatus.PLANNED
                self._add(result)

    def _moved_by_link(self, entry: Entry) -> bool:
        return parent_of(entry.path) in self._linking and self._room.links(entry.st)

    def _room_of(self, entry: Entry) -> int:
        if self._moved_by_link(entry):
            return 0  # (no data written)
        return entry.room_taken(self._ways_in(parent_of(entry.path)).holes)

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
        if decision.action in _ACTIONS:
            replaced = existing if decision.action is Action.REPLACE else None  # (not kept)
            denied = self._unreadable(entry) or self._unwritable(parent, replaced)
        self._note_leader(entry, existing, decision, denied is None)
        if denied is not None:
            self._add(FileResult(entry.path, FileStatus.FAILED, why=denied, action=Planned.SKIP))
            return
        if decision.action is Action.RENAME and self._kept_before(targets, entry):
            why = Reason(Code.UP_TO_DATE)  # as the worker will find: kept both before
            self._add(
                FileResult(entry.path, FileStatus.SKIPPED, entry.size, why, action=Planned.SKIP)
            )
            return
        if decision.why == Reason(Code.OWNER_CHANGED) and existing is not None:
            self._renewals.append((entry, existing))  # last, as the job: _plan_renewals
            return
        if decision.action in _ACTIONS:
            action = _ACTIONS[decision.action]
            self._room.add(self._room_of(entry), existing if action is Planned.REPLACE else None)
            size, mtime = facts(existing) or (0, 0)  # what an answer to "ask" is about
            linked = self._moved_by_link(entry)  # (as the copy: 0 bytes)
            self._add(
                FileResult(
                    entry.path,
                    FileStatus.PLANNED,
                    0 if linked else entry.size,
                    decision.why,  # (a copy again for a new owner says so)
                    action=action,
                    target_size=size,
                    target_mtime_ns=mtime,
                )
            )
            return
        status = FileStatus.FAILED if decision.action is Action.FAIL else FileStatus.SKIPPED
        refresh = refreshes(decision, entry.st, existing)
        said = Reason(Code.METADATA_TO_REFRESH) if refresh else decision.why
        self._add(FileResult(entry.path, status, entry.size, said, action=Planned.SKIP))

    def _plan_renewals(self) -> None:
        """Copies again for a new owner, as the job decides them (feeder._renew_owners):
        after all else, each only where it fits beside the largest other replacement."""
        others = self.options.worker_count() - 1
        for entry, existing in self._renewals:
            if not self._room.renewal_fits(self._room_of(entry), others):
                why = Reason(Code.OWNER_NOT_RENEWED)
                self._add(
                    FileResult(entry.path, FileStatus.SKIPPED, entry.size, why, action=Planned.SKIP)
                )
                continue
            self._room.add(self._room_of(entry), existing)
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

    def _kept_before(self, targets: Folders | None, entry: Entry) -> bool:
        """Whether an earlier "keep both" made this file's numbered copy (noted)."""
        parent, _, name = entry.path.rpartition(os.sep)
        if targets is None or self._scanner is None:
            return False
        try:
            source = self._scanner.folders.open(parent)
            kept = kept_before(targets.open(parent), name, entry.st, source)
        except OSError:
            return False
        if kept is not None:
            self._kept.add(os.path.join(parent, kept) if parent else kept)
        return kept is not None

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
            why = Reason(Code.UP_TO_DATE)
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
                why = Reason(Code.UP_TO_DATE)
                self._add(FileResult(entry.path, FileStatus.SKIPPED, 0, why, action=Planned.SKIP))
            elif denied := self._unwritable(  # (as a copy: another's file only if replaced)
                parent_of(entry.path), existing if decision.action is Action.REPLACE else None
            ):
                why = Reason(Code.CANNOT_NAME, denied.args)  # (the link is its naming)
                self._add(FileResult(entry.path, FileStatus.FAILED, 0, why, action=Planned.SKIP))
            else:
                self._add(FileResult(entry.path, FileStatus.PLANNED, action=Planned.LINK))
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
        elif decision.action in _ACTIONS and readable:
            self._linked[key] = None
        else:
            self._linked[key] = NOT_LANDING

    def _unwritable(
        self, parent: str, existing: os.stat_result | None, opens_own: bool = True
    ) -> Reason | None:
        """Why a copy could not be made in the target folder `parent`, if there already
        (`existing`: the file it would replace)."""
        if parent not in self._present:
            return None
        return self._access.refusal(parent, existing, opens_own)

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
            return os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
        except OSError:
            return None

    def _mirror(self, source_id: Identity, target_id: Identity | None) -> int:
        if target_id is None:
            return 0
        pruner = mirror.Mirror(
            (self.source, self.target),
            (source_id, target_id),
            self.options.follow_symlinks,
            self.options.filters,
            # As the copy: folders scanned and the job's own files are no extras.
            self._kept | set(self._present) | self.options.outputs_in(self.target),
            True,
            self.cancel,
            self._ways.root.name_key if self._ways else None,
            lambda folder, path: name_key_by_reading(os.path.join(self.target, path)),
            self._started_ns,
            frozenset(self._access.opened),
        )
        pruner.protected |= self._source_folders
        unlisted = mirror.unlisted_folders(self.results)
        pruner.run(
            mirror.Look(path, *ids) for path, ids in self._present.items() if path not in unlisted
        )
        for result in pruner.results:
            self._add(result)
        return pruner.deleted

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


def _moves(result: FileResult) -> bool:
    """Whether a move would remove this planned entry's source once the copy is done: it
    lands, or the target holds its data already (compared byte for byte by the move)."""
    if result.action in (Planned.COPY, Planned.REPLACE, Planned.RENAME, Planned.LINK):
        return True
    why = result.why
    if why is not None and why.code is Code.METADATA_TO_REFRESH:
        return True
    return frees_the_source(why)
