"""The feeder's folders: each target folder made or found, or why it cannot be."""

from __future__ import annotations

import os
import stat

from app.core import metadata
from app.core.conflicts import folder_replaces
from app.core.events import FileResult, FileStatus, FolderIds, Identity
from app.core.failures import why_failed
from app.core.feeder_waits import FeederWaits
from app.core.reasons import Code, Reason
from app.core.scan import Entry
from app.core.temps import remove_stale_temps
from app.core.tree import Folder, FolderReplaced, identity, mounted_at, stat_folder


class FeederFolders(FeederWaits):
    """Makes each target folder as the scan meets it (or finds it there), or blocks it
    and so its entries."""

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
            removed = remove_stale_temps(folder, entry.path)
            for result in removed:
                if result.status is FileStatus.DELETED:
                    self.room.give_back(result.bytes)
            self._stale += removed
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


class _InTheWay(Exception):
    """A file holds a folder's name, in a mirror: the folder waits (FeederWaits._defer)."""


class _Blocked(Exception):
    def __init__(self, code: Code) -> None:
        self.why = Reason(code)
