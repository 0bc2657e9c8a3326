"""A dry run's folders: each source folder as the copy would find or make it."""

from __future__ import annotations

import contextlib
import functools
import os
import stat

from app.core.conflicts import folder_replaces
from app.core.events import FileResult, FileStatus
from app.core.plan_state import Planned, PlanState
from app.core.reasons import Code, Reason
from app.core.scan import Entry
from app.core.temps import planned_stale_temps
from app.core.tree import Folders, identity, mounted_at, parent_of


class PlanFolders(PlanState):
    """Plans each folder: there already, to be made, or blocked (and with it what it
    holds); and what an interrupted run left in those there."""

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
            freed = self._room.give_back
            for result in planned_stale_temps(targets.open(path), path, refusal, freed):
                self._leftovers += 1  # (no source entries: they neither move nor stay)
                self._deleted += result.status is FileStatus.PLANNED
                self._add(result)
