"""Mirror: delete what the target holds and the source does not, by descriptor only.

Every folder is reached with O_NOFOLLOW relative to its parent (tree.Folders), names are
removed with unlinkat/rmdir relative to their folder, so a link in the target is removed
itself and never followed, and nothing outside the target is ever touched. The target
folder itself is never deleted. Entries an exclude pattern matches stay (as rsync without
--delete-excluded), and so does a folder that still holds one.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable, Iterable
from typing import NamedTuple

from app.core import tree
from app.core.events import FileResult, FileStatus, Identity, NameKey, is_temp_name
from app.core.filters import Filters
from app.core.options import CopyOptions
from app.core.reasons import Code, Reason
from app.core.tree import (
    PATH_FLAGS,
    Folder,
    Folders,
    child_of,
    identity,
    inodes_in,
    names_in,
    stat_folder,
)

DELETE = "delete"  # the planned action of an entry a mirror removes


class Look(NamedTuple):
    """A folder present on both sides whose extras are deleted (path relative to the roots)."""

    path: str
    source: Identity | None  # identities expected when opened, if known
    target: Identity | None


class Mirror:
    """Finds and (unless `dry`) deletes extras; `results` lists each, deepest first."""

    def __init__(
        self,
        roots: tuple[str, str],
        ids: tuple[Identity, Identity],
        follow: bool,
        filters: Filters,
        keep: set[str],
        dry: bool,
        cancel: threading.Event,
        name_key: NameKey | None = None,
        probe: Callable[[Folder, str], NameKey | None] | None = None,
        since_ns: int | None = None,
        opened: frozenset[str] = frozenset(),
    ) -> None:
        self.sources = Folders(roots[0], PATH_FLAGS, ids[0], follow)
        # Dry: the folders of ours a copy into them will have opened to us by then.
        self.opened = opened
        self.targets = Folders(roots[1], PATH_FLAGS, ids[1])
        self.filters = filters
        # Target paths never deleted: names the job gave that the source has no name for,
        # and the folders the scan found in the source (a source folder gone since may be
        # a disk unplugged: its copy is not an extra).
        self.keep = keep
        # Source folders (the root first): a source inside the target, or bind-mounted
        # into it, is the source, never an extra.
        self.protected: set[Identity] = {ids[0]}
        self.dry = dry
        self.cancel = cancel
        # What changed in the target since the job began was never shown as an extra (a
        # file saved meanwhile): kept. (Change times come from a clock that lags behind,
        # never ahead: what changed before the start is never taken for new.)
        self.new_since = since_ns
        self.results: list[FileResult] = []
        self._deleted = 0  # of results: DELETED, or PLANNED in a dry run
        self.tick: Callable[[], None] = lambda: None  # called between two entries
        # A target that ignores case or Unicode form holds `README` for the source's
        # `Readme`: compare names as the target does (namekeys). Another file system
        # mounted inside the target is asked (probe: folder, path) how it compares.
        self.name_key = name_key
        self.probe = probe
        self._device_keys: dict[int, NameKey | None] = {}  # the root's device: name_key
        self._keys: tuple[str, set[str]] | None = None  # one source folder's name keys
        self._keep_keys: dict[NameKey, set[tuple[str, str]]] = {}  # keep: (folder, name key)
        self._listing: tuple[str | None, dict[str, int]] = (None, {})  # a target folder's

    @property
    def deleted(self) -> int:
        """Entries deleted (or that would be, in a dry run) so far: counted as they go, as
        the mirror phase shows it every 0.1 s (a sum over 600,000 results took 0.18 s)."""
        return self._deleted

    def run(self, folders: Iterable[Look]) -> None:
        try:
            self._look_into(folders)
        finally:
            self.close()

    def close(self) -> None:
        self.sources.close()
        self.targets.close()

    def clear(self, path: str, above: Identity) -> bool:
        """Delete what the target holds at `path` (in its folder `above`) where the source
        has another kind of entry, as an extra is deleted: what is excluded, new since
        the job began or another file system stays (and so does a folder holding it).
        Whether it went (or would go, in a dry run)."""
        if any(kept == path or kept.startswith(path + os.sep) for kept in self.keep):
            return False  # the job's own checksum file or log is in it
        before = len(self.results)
        self._remove_tree(path, above)
        gone = (FileStatus.DELETED, FileStatus.PLANNED)
        return any(r.path == path and r.status in gone for r in self.results[before:])

    def _look_into(self, folders: Iterable[Look]) -> None:
        for look in folders:
            self.tick()
            if self.cancel.is_set():
                return
            if (listed := self._names_of(look)) is None:
                continue
            st, key, names = listed
            for name in names:
                if self.cancel.is_set():
                    return
                if is_temp_name(name):
                    continue  # a killed run's leftover: the copy removes it (temps.py)
                rel = child_of(look.path, name)
                if not self._kept(rel, key) and not self._source_has(look, name, key):
                    self._remove_tree(rel, identity(st))

    def _names_of(self, look: Look) -> tuple[os.stat_result, NameKey | None, list[str]] | None:
        """A target folder's stat, how it compares names, and its names; None where none
        are to be looked at: a source folder, one replaced or gone since the copy, or one
        that cannot be listed, then failed (but in a plan, where the copy opens it to us:
        the plan's notice says it could not look into it)."""
        st = None
        try:
            target = self.targets.open(look.path, look.target)
            st = stat_folder(target)
            if identity(st) in self.protected:
                return None  # the source lies in the target: no extras
            return st, self._key_of(target, look.path, st.st_dev), names_in(target)
        except OSError as exc:
            # (opened to us means u+wx: a folder we may not read stays unlisted)
            readable = st is not None and st.st_mode & stat.S_IRUSR
            opens = self.dry and look.path in self.opened and readable
            if exc.errno in (errno.EACCES, errno.EPERM) and not opens:
                why = Reason(Code.CANNOT_LIST_FOLDER, (exc.strerror or str(exc),))
                self.results.append(FileResult(look.path or ".", FileStatus.FAILED, why=why))
            return None

    def _key_of(self, folder: Folder, path: str, device: int) -> NameKey | None:
        """How the file system of this target folder compares names, asked once each."""
        if not self._device_keys:  # the root's, found by the copy (or plan) before
            self._device_keys[stat_folder(self.targets.open("")).st_dev] = self.name_key
        if device not in self._device_keys:
            self._device_keys[device] = self.probe(folder, path) if self.probe else None
        return self._device_keys[device]

    def _kept(self, rel: str, key: NameKey | None) -> bool:
        """Whether a path to keep is this one, as the target compares names: keep-both
        named a copy `notes (2).`, which vfat lists as `notes (2)`."""
        if rel in self.keep or key is None:
            return rel in self.keep
        if key not in self._keep_keys:
            self._keep_keys[key] = {_keyed(path, key) for path in self.keep}
        return _keyed(rel, key) in self._keep_keys[key]

    def _source_has(self, look: Look, name: str, key: NameKey | None) -> bool:
        """Whether the source holds this name (excluded or not): if unsure, yes."""
        try:
            folder = self.sources.open(look.path, look.source)
        except OSError:  # gone or replaced since the scan (a disk unplugged): no answer
            return True
        try:
            os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
            return True
        except FileNotFoundError:
            return key is not None and self._has_key(look, name, key)
        except OSError:
            return True

    def _has_key(self, look: Look, name: str, key: NameKey) -> bool:
        """Whether a source name is the same name to the target (case, Unicode form)."""
        if self._keys is None or self._keys[0] != look.path:
            try:
                names = names_in(self.sources.open(look.path, look.source))
            except OSError:
                return True
            self._keys = (look.path, {key(each) for each in names})
        return key(name) in self._keys[1]

    def _remove_tree(self, top: str, above: Identity) -> None:
        """Delete `top` and, for a folder, what it holds: children first, without recursion
        (extras can be deeper than Python's stack or the open-file limit), each folder
        reached again by descriptor from the target root, and checked to be the folder
        seen (`above` is top's parent): not a mount that appeared on its path since."""
        stack = [(top, False)]
        kept: set[str] = set()  # folders that stay: something inside stayed
        seen = {top.rpartition(os.sep)[0]: above}  # folders of this tree, as first met
        while stack:
            self.tick()
            if self.cancel.is_set():
                return  # (what is left of the tree stays)
            rel, emptied = stack.pop()
            parent_rel, _, name = rel.rpartition(os.sep)
            try:
                parent = self.targets.open(parent_rel, seen[parent_rel])
                st = os.stat(parent.ref(name), dir_fd=parent.fd, follow_symlinks=False)
                is_dir = stat.S_ISDIR(st.st_mode)
                if rel in kept or (not emptied and self._stays(rel, is_dir, st)):
                    kept.add(parent_rel)  # excluded (or holds something excluded): stays
                elif not emptied and (spared := self._spared(parent, rel, st)):
                    self.results.append(FileResult(rel, FileStatus.SKIPPED, why=spared))
                    kept.add(parent_rel)
                elif is_dir and not emptied:
                    seen[rel] = identity(st)
                    children = names_in(self.targets.open(rel, identity(st)))
                    stack.append((rel, True))
                    stack += [(os.path.join(rel, child), False) for child in children]
                else:
                    self._delete(parent, name, is_dir, rel)
                    self._done(rel, st)
            except FileNotFoundError:
                continue  # gone meanwhile: nothing to delete
            except OSError as exc:
                self._failed(rel, exc)
                kept.add(parent_rel)

    def _stays(self, rel: str, is_dir: bool, st: os.stat_result) -> bool:
        """Excluded by a pattern, or a folder of the source itself."""
        return self.filters.matches(rel, is_dir) or (is_dir and identity(st) in self.protected)

    def _spared(self, parent: Folder, rel: str, st: os.stat_result) -> Reason | None:
        """Why an extra stays after all: new since the job began, or another file system
        mounted there (a disk, a bind mount of a folder outside the target)."""
        if self.new_since is not None and st.st_ctime_ns >= self.new_since:
            return Reason(Code.NEW_IN_TARGET)
        if stat.S_ISDIR(st.st_mode) and parent.fd is not None:
            if os.fstat(parent.fd).st_dev != st.st_dev:
                return Reason(Code.MOUNT_POINT_KEPT)
            above = tree.mount_id(parent.fd)  # (before opening another: it may close it)
            if above is None:  # no /proc: the folder's entry names the inode under a mount
                parent_rel, _, name = rel.rpartition(os.sep)
                if self._listing[0] != parent_rel:  # listed once for all its extras
                    self._listing = (parent_rel, inodes_in(parent))
                below = self._listing[1].get(name, st.st_ino)
                return Reason(Code.MOUNT_POINT_KEPT) if below != st.st_ino else None
            here = self.targets.open(rel, identity(st))
            if here.fd is not None and tree.mount_id(here.fd) != above:
                return Reason(Code.MOUNT_POINT_KEPT)
        return None

    def _delete(self, parent: Folder, name: str, is_dir: bool, rel: str) -> None:
        if self.dry:  # as the deletion would find: a folder not this user's to change
            here = parent.ref(".")
            folder = os.stat(here, dir_fd=parent.fd)
            writable = os.access(here, os.W_OK | os.X_OK, dir_fd=parent.fd)
            read_only = bool(os.statvfs(parent.self_ref()).f_flag & os.ST_RDONLY)
            owner = os.stat(parent.ref(name), dir_fd=parent.fd, follow_symlinks=False).st_uid
            # (a deletion opens no folder of ours to us; a copy into it may have)
            opens_own = rel.rpartition(os.sep)[0] in self.opened
            if error := tree.refusal_in(folder, writable, read_only, owner, opens_own):
                raise PermissionError(error, os.strerror(error))
            return
        if is_dir:
            self.targets.forget(rel)  # close it before it goes
            os.rmdir(parent.ref(name), dir_fd=parent.fd)
        else:
            os.unlink(parent.ref(name), dir_fd=parent.fd)

    def _done(self, rel: str, st: os.stat_result) -> None:
        self._deleted += 1
        size = st.st_size if stat.S_ISREG(st.st_mode) else 0
        if self.dry:
            self.results.append(FileResult(rel, FileStatus.PLANNED, 0, action=DELETE))
        else:
            self.results.append(FileResult(rel, FileStatus.DELETED, size))

    def _failed(self, rel: str, exc: OSError) -> bool:
        why = Reason(Code.CANNOT_DELETE, (exc.strerror or str(exc),))
        self.results.append(FileResult(rel, FileStatus.FAILED, why=why, errno=exc.errno or 0))
        return False


def clearer(
    roots: tuple[str, str],
    ids: tuple[Identity, Identity],
    options: CopyOptions,
    dry: bool,
    cancel: threading.Event,
    since_ns: int | None,
) -> Mirror:
    """A Mirror that clears the way for one entry at a time (Mirror.clear) as the copy
    or its plan meets them; the job's own checksum file and log stay."""
    keep = options.outputs_in(roots[1])
    return Mirror(
        roots, ids, options.follow_symlinks, options.filters, keep, dry, cancel, since_ns=since_ns
    )


def unlisted_folders(results: Iterable[FileResult]) -> set[str]:
    """Source folders the scan could not list: a mirror must not judge their contents."""
    paths = {r.path for r in results if r.why is not None and r.why.code in _NOT_LISTED}
    return {"" if path == "." else path for path in paths}


_NOT_LISTED = {Code.CANNOT_LIST_FOLDER, Code.FOLDER_REPLACED, Code.VANISHED, Code.SCAN_STOPPED}


def _keyed(path: str, key: NameKey) -> tuple[str, str]:
    folder, _, name = path.rpartition(os.sep)
    return folder, key(name)
