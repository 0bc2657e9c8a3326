"""A dry run: every entry's action, decided as a copy decides it, with nothing written.

The plan looks at the target only through reads (no folder, probe or temp is made, not
even the target folder), with the same scan, filters and conflict decision as a copy.
Its report is a CopyReport whose results carry an `action`; a window can show it as is.
"""

from __future__ import annotations

import os
import time

from app.core import mirror
from app.core.conflicts import set_time_steps
from app.core.events import EntryKind, FileResult, FileStatus, Identity, Notice, TargetWays
from app.core.namekeys import DeviceWays, name_key_by_reading, ways_by_reading, ways_by_type
from app.core.plan_files import PlanFiles
from app.core.plan_folders import PlanFolders
from app.core.plan_state import Planned
from app.core.preflight import Refusal, check_manifest, check_paths, free_space, nearest_existing
from app.core.reasons import Code, Reason, frees_the_source
from app.core.report import CopyReport
from app.core.room import Room, linked_from
from app.core.scan import Entry, Scanner
from app.core.target import open_target, refuse_if_within
from app.core.tree import PATH_FLAGS, Folders, identity


class DryRun(PlanFiles, PlanFolders):
    """Plan a copy of `source` into `target`; run() returns the report, writes nothing.

    Each phase is a class of its own module, on the state they share (plan_state.py):
    folders (plan_folders.py), files (plan_files.py) and a file's second names
    (plan_links.py), as the feeder has them. This class runs the scan through them, then
    plans a mirror's deletions.
    """

    def run(self) -> CopyReport:
        started = time.monotonic()
        self._started_ns = time.time_ns()
        try:
            check_paths(self.source, self.target, self.options.mirror)
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
        too_big = room.refusal(scan_done=True) if room.exceeded else None
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


def _moves(result: FileResult) -> bool:
    """Whether a move would remove this planned entry's source once the copy is done: it
    lands, or the target holds its data already (compared byte for byte by the move)."""
    if result.action in (Planned.COPY, Planned.REPLACE, Planned.RENAME, Planned.LINK):
        return result.why is None or result.why.code is not Code.COPY_LACKS_METADATA
    why = result.why
    if why is not None and why.code is Code.METADATA_TO_REFRESH:
        return True
    return frees_the_source(why)
