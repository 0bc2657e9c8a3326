"""Move: remove source entries whose copies are on disk, then the folders that emptied.

Runs after the copy is synced (and verified, when asked), so a crash at any point leaves
each file in the source, in the target, or in both, never in neither. Within one file
system the worker gave the copy the source's own inode (a hard link, no data copied);
removing the source name then completes an instant move. A source entry is removed only
if the target still holds its copy: the same file, or the same type, size and time (and,
for a copy an earlier run made, the same bytes, read back from the disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from app.core import devices, metadata
from app.core.conflicts import looks_copied
from app.core.events import FileResult, FileStatus, FolderIds, Progress
from app.core.readback import device_chunks
from app.core.reasons import Code, Reason, frees_the_source
from app.core.refresh import lacks_metadata
from app.core.scan import is_special
from app.core.tree import (
    HAS_PROC_FD,
    NOFOLLOW,
    O_PATH,
    PATH_FLAGS,
    PROC_FD,
    Folder,
    Folders,
    identity,
    inodes_in,
    lstat_in,
    version,
)

# Copies that landed; an up-to-date skip (a move cut short before) counts if it is the
# source's own inode, or a file of its own that holds the source's bytes (_same_bytes).
_LANDED = {FileStatus.COPIED, FileStatus.RENAMED, FileStatus.LINKED}
# Why a source stayed, said of that one file (the notice's code counts them).
STAYED = {
    Code.MOVE_SOURCE_CHANGED: Code.STAYED_CHANGED,
    Code.MOVE_COPY_DIFFERS: Code.STAYED_COPY_DIFFERS,
    Code.MOVE_COPY_LACKS: Code.STAYED_COPY_LACKS,
    Code.MOVE_COPY_GONE: Code.STAYED_COPY_GONE,
    Code.MOVE_FOLDER_GONE: Code.STAYED_FOLDER_GONE,
}
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK  # (non-blocking: a pipe never waits for a writer)
# Files gone through, and whether between two (a pause may hold it there) or inside a
# comparison (none may: it would widen the window the comparison checks).
Step = Callable[[int, bool], None]


def unseen(done: int, between: bool) -> None:
    """A Step for a caller that shows no progress."""


def moving(done: int, total: int, elapsed: float, paused: bool = False) -> Progress:
    """How far the move's removals are: files gone through (no bytes: most are removed
    without a read, and those compared with their copies are read at the device's pace)."""
    return Progress(done, total, 0, 0, True, elapsed, paused, phase="move")


@dataclass
class Moved:
    removed: int = 0  # source files and links removed
    stayed: int = 0  # source files and links left where they are
    failures: list[FileResult] = field(default_factory=list)  # sources that could not go
    held: dict[Code, tuple[int, str]] = field(default_factory=dict)  # why some stayed
    # Those sources' results, each saying why it stayed (the log's rows for them).
    held_results: list[FileResult] = field(default_factory=list)

    def hold(self, why: Code, result: FileResult) -> None:
        """One more source left for a reason worth a notice (counted, the first named)."""
        count, first = self.held.get(why, (0, result.path))
        self.held[why] = (count + 1, first)
        self.held_results.append(result._replace(why=Reason(STAYED[why])))

    def hold_folder(self, path: str) -> None:
        """An emptied source folder left as its copy lacks its metadata (the folders'
        own notices said so): it stays, counted with the sources held."""
        self.stayed += 1
        why = Reason(Code.STAYED_COPY_LACKS)
        self.held_results.append(FileResult(path, FileStatus.SKIPPED, why=why))


class SourceRemover:
    def __init__(
        self,
        roots: tuple[str, str],
        ids: FolderIds,
        folders: dict[str, FolderIds],
        follow: bool,
        cancel: threading.Event,
        since_ns: int,
        dates_look_alikes: bool = False,
        copies_done_ns: int | None = None,
    ) -> None:
        """`dates_look_alikes`: a copy of the same size and time whose bytes differ is
        dated 1970 for the next run to replace (metadata.date_as_stale), if it has no
        more names than its source (one more may be a snapshot's). `copies_done_ns`:
        when the copy phase ended; a copy changed since (its change time) is read back
        against its source before the source goes."""
        self.sources = Folders(roots[0], PATH_FLAGS, ids.source, follow)
        self.dates_look_alikes = dates_look_alikes
        self.since_ns = since_ns  # the job's start: a source changed since stays
        self.copies_done_ns = copies_done_ns
        # Change times of files with several names after this move removed one of them:
        # that change is the move's own, not an edit (the others may go too).
        self._own_changes: dict[tuple[int, int], int] = {}
        self._listing: tuple[str | None, dict[str, int]] = (None, {})  # a target folder's
        # Copies that passed the checks for their source to go: a second name linked to
        # one of them may go too; one linked to a copy not proven (a look-alike) may not.
        self._proven: set[str] = set()
        self._lacking: set[str] = set()  # copies held for their metadata (their links too)
        self._last_changes: dict[int, int] = {}  # a landed copy's inode: its change time
        self.targets = Folders(roots[1], PATH_FLAGS, ids.target)
        self.folders = folders
        self.cancel = cancel
        self._done = 0  # results gone through (run)
        self._step: Step = unseen

    def run(
        self,
        results: Iterable[FileResult],
        folders: list[str],
        step: Step = unseen,
        unset: Collection[str] = (),
    ) -> Moved:
        """Remove the sources of `results` that landed, then emptied `folders` (parents
        first in the list; the source root itself stays) but those of `unset`, whose
        copies did not get their metadata (another user's folder found in the target, or
        one that could not be set): they stay, counted. `step(done, between)` says how
        many of `results` it has been through: after each (between two), and before and
        during a comparison, which may take long (the caller shows progress, and holds it
        between two while paused)."""
        moved = Moved()
        self._step = step
        results = list(results)
        for each in results:  # the last change this job made to each copy it landed
            if each.landed:
                inode, changed = each.landed
                self._last_changes[inode] = max(changed, self._last_changes.get(inode, changed))
        try:
            for result in results:
                if self.cancel.is_set() or not self._remove(result, moved):
                    moved.stayed += 1
                self._done += 1
                step(self._done, True)
            if not self.cancel.is_set():
                self._remove_folders(folders, unset, moved)
        finally:
            self.sources.close()
            self.targets.close()
        return moved

    def _remove(self, result: FileResult, moved: Moved) -> bool:
        if result.path not in self.folders and result.path != ".":
            try:
                source, copy = self._source(result.path), self._copy(result)
            except (OSError, KeyError):  # its folder is gone, replaced, or was never made
                if _would_go(result):
                    moved.hold(Code.MOVE_FOLDER_GONE, result)
                return False
            if source is None:  # gone already (moved, or deleted by someone else)
                moved.removed += result.status in _LANDED  # (vanished uncopied: no move)
                return True  # (and none stayed)
            changed = self._changed(source)
            if copy is not None and _may_remove(result, source, copy, changed):
                if stat.S_ISLNK(source.st_mode) and not self._same_link(result):
                    moved.hold(Code.MOVE_SOURCE_CHANGED, result)
                    return False  # pointed elsewhere since it was copied
                # (a copy changed since it landed too: another file of its bytes renamed
                # over it, another user's or open to all, let its source go, review)
                judged = _up_to_date(result) or self._touched(result, copy)
                if judged and self._lacks_metadata(result, source, copy):
                    moved.hold(Code.MOVE_COPY_LACKS, result)
                    self._lacking.add(result.target_path or result.path)
                    return False  # only its source has them
                if self._proof_needed(result, source, copy) and not self._same_bytes(
                    result, source, copy
                ):
                    if not self.cancel.is_set():  # (else not compared to the end)
                        self._hold_differing(result, copy, moved)
                    return False  # its size and time match, its bytes do not
                if identity(source) == identity(copy) and not self._named_in_target(result, source):
                    return False  # the source itself, bind-mounted at the copy's name
                if identity(source) != identity(copy) and (held := self._unproven_join(result)):
                    moved.hold(held, result)
                    return False  # linked to a copy whose own source stayed
                self._proven.add(result.target_path or result.path)  # (its own unlink
                return self._unlink(result, moved, source)  # may fail: the copy is good)
            if _would_go(result):  # each source that stays is said why (review of moves)
                gone = Code.MOVE_SOURCE_CHANGED if changed else Code.MOVE_COPY_GONE
                moved.hold(gone, result)
            elif _old_owners(result):  # its copy is not the new owner's (no room to renew)
                moved.hold(Code.MOVE_COPY_LACKS, result)
        return False

    def _unproven_join(self, result: FileResult) -> Code | None:
        """A second name is linked to its first name's copy: it goes only if that copy
        passed the checks; else why it stays, as that first name did (an up-to-date
        look-alike there, or a copy lacking its metadata)."""
        if result.status is not FileStatus.LINKED or result.why is None:
            return None
        joined = str(result.why.args[0])
        if joined in self._proven:
            return None
        return Code.MOVE_COPY_LACKS if joined in self._lacking else Code.MOVE_COPY_DIFFERS

    def _hold_differing(self, result: FileResult, copy: os.stat_result, moved: Moved) -> None:
        """A source stays whose copy, of its size and time, holds other bytes. Found under
        another spelling (a target that folds names), it is another file's, never
        replaced: the source then fails with what to do, as it would stay for ever."""
        listed = self._listed(result)
        if _name_of(result) in listed:
            moved.hold(Code.MOVE_COPY_DIFFERS, result)
            return
        # By inode; through FUSE a listing may show other numbers than a lookup (said
        # "spelled ?", review): then by the spelling a case-folding target took for it.
        mine = _name_of(result).casefold()
        same = (name for name, ino in listed.items() if ino == copy.st_ino)
        alike = (name for name in listed if name.casefold() == mine)
        held = next(same, None) or next(alike, "?")
        why = Reason(Code.NAME_HELD_BY_GONE, (held,))
        moved.failures.append(FileResult(result.path, FileStatus.FAILED, result.bytes, why))

    def _named_in_target(self, result: FileResult, source: os.stat_result) -> bool:
        """Whether the copy's folder holds the source's inode under the copy's name. A
        file bind-mounted there shows it too, but its entry holds another inode."""
        return self._listed(result).get(_name_of(result)) == source.st_ino

    def _listed(self, result: FileResult) -> dict[str, int]:
        """The names in the copy's folder, with their inodes (results come a folder at a
        time: one listing kept)."""
        parent = (result.target_path or result.path).rpartition(os.sep)[0]
        if self._listing[0] != parent:
            folder, _ = self._copy_place(result)
            self._listing = (parent, inodes_in(folder))
        return self._listing[1]

    def _proof_needed(
        self, result: FileResult, source: os.stat_result, copy: os.stat_result
    ) -> bool:
        """Whether the copy is read back against its source first: judged by size and
        time (up to date, or a source whose disk keeps no change times), or changed
        since the copy phase ended (written over in place, its size and time put back:
        its source went, the copy alone left, review of moves)."""
        unknown = _from_the_future(source)  # (its change time tells nothing: _changed)
        own_file = _own_file(source, copy)
        touched = self._touched(result, copy)
        return _proof_needed(result, source, copy) or ((touched or unknown) and own_file)

    def _touched(self, result: FileResult, copy: os.stat_result) -> bool:
        """Whether the copy changed since it landed: another inode at its name, or a
        later change time than the last this job gave it (its other names linked since
        move it); a copy changed while others were still copied went uncompared (review
        of moves). Without that record, since the copy phase ended."""
        if result.landed:
            inode = result.landed[0]
            return (copy.st_ino, copy.st_ctime_ns) != (inode, self._last_changes[inode])
        done = self.copies_done_ns
        return done is not None and copy.st_ctime_ns >= done

    def _lacks_metadata(
        self, result: FileResult, source: os.stat_result, copy: os.stat_result
    ) -> bool:
        """refresh.lacks_metadata, of a copy of its own."""
        if not _own_file(source, copy):
            return False
        (folder, name), (target, at) = self._source_place(result.path), self._copy_place(result)
        return lacks_metadata(source, copy, folder.entry_ref(name), target.entry_ref(at))

    def _changed(self, source: os.stat_result) -> bool:
        """Whether the source changed since the job began, by anything but this move. A
        change time still to come (set while the clock was ahead: a wrong hardware clock,
        a restored virtual machine) tells nothing: such a source never moved, said
        changed on every run (review of moves); its copy is read back instead."""
        own = self._own_changes.get((source.st_dev, source.st_ino))
        since = source.st_ctime_ns >= self.since_ns and not _from_the_future(source)
        return since and source.st_ctime_ns != own

    def _source(self, path: str) -> os.stat_result | None:
        return _lstat(*self._source_place(path))

    def _copy(self, result: FileResult) -> os.stat_result | None:
        return _lstat(*self._copy_place(result))

    def _same_link(self, result: FileResult) -> bool:
        (source, name), (target, copy_name) = (
            self._source_place(result.path),
            self._copy_place(result),
        )
        try:
            source_text = os.readlink(source.ref(name), dir_fd=source.fd)
            return source_text == os.readlink(target.ref(copy_name), dir_fd=target.fd)
        except OSError:
            return False

    def _same_bytes(
        self, result: FileResult, seen: os.stat_result, copy_seen: os.stat_result
    ) -> bool:
        """Whether the copy, read back from the disk, holds the source's bytes, and the
        source is still as `seen` once read (not edited during a long compare)."""
        self._step(self._done, False)
        try:
            with (
                _opened(*self._source_place(result.path), seen) as source,
                _opened(*self._copy_place(result), copy_seen) as copy,
            ):
                for chunk in device_chunks(copy):
                    if self.cancel.is_set():
                        return False  # (it stays, compared or not)
                    if _read_exactly(source, len(chunk)) != chunk:
                        break
                    self._step(self._done, False)
                else:
                    if os.read(source, 1) == b"":
                        return version(os.fstat(source)) == version(seen)
                unchanged = version(os.fstat(source)) == version(seen)  # (not edited since)
                # Not a copy found under another spelling (a target that folds names):
                # that is another file's, maybe the only copy of one moved already.
                own_name = _name_of(result) in self._listed(result)
                lone = copy_seen.st_nlink <= seen.st_nlink
                # (Never the target's own file that skip identical kept: not a copy.)
                dates = self.dates_look_alikes and not _skipped_identical(result)
                if unchanged and own_name and dates and lone:
                    metadata.date_as_stale(copy)
                return False
        except OSError:
            return False

    def _source_place(self, path: str) -> tuple[Folder, str]:
        parent, _, name = path.rpartition(os.sep)
        return self.sources.open(parent, self.folders[parent].source), name

    def _copy_place(self, result: FileResult) -> tuple[Folder, str]:
        path = result.target_path or result.path  # a kept-both copy has its own name
        parent, _, name = path.rpartition(os.sep)
        ids = self.folders[result.path.rpartition(os.sep)[0]]
        return self.targets.open(parent, ids.target), name

    def _unlink(self, result: FileResult, moved: Moved, source: os.stat_result) -> bool:
        parent, _, name = result.path.rpartition(os.sep)
        try:
            folder = self.sources.open(parent, self.folders[parent].source)
            # (Without O_PATH, a special file is never opened: a pipe would wait.)
            holds = O_PATH or not is_special(source.st_mode)
            held = _hold(folder, name) if holds else None
            try:
                if held is not None and not _still(held, source):
                    moved.hold(Code.MOVE_SOURCE_CHANGED, result)
                    return False
                os.unlink(folder.ref(name), dir_fd=folder.fd)
                if held is not None and source.st_nlink > 1:  # its other names' change
                    own = os.fstat(held).st_ctime_ns  # time moved: by this move
                    self._own_changes[(source.st_dev, source.st_ino)] = own
            finally:
                if held is not None:
                    os.close(held)
        except OSError as exc:
            why = Reason(Code.CANNOT_REMOVE_SOURCE, (exc.strerror or str(exc),))
            moved.failures.append(
                FileResult(result.path, FileStatus.FAILED, result.bytes, why, exc.errno or 0)
            )
            return False
        moved.removed += 1
        return True

    def _remove_folders(self, folders: list[str], unset: Collection[str], moved: Moved) -> None:
        for path in reversed(folders):
            if not path:
                continue
            parent, _, name = path.rpartition(os.sep)
            try:
                folder = self.sources.open(parent, self.folders[parent].source)
                if path in unset:  # its owner, mode, xattrs, ACLs: in the source only
                    # (emptied, it went with them, for good: review of moves)
                    if not inodes_in(self.sources.open(path, self.folders[path].source)):
                        moved.hold_folder(path)
                    continue
                self.sources.forget(path)
                os.rmdir(folder.ref(name), dir_fd=folder.fd)
            except OSError:
                pass  # not empty: something stayed (skipped, failed, excluded)


@contextlib.contextmanager
def _opened(folder: Folder, name: str, seen: os.stat_result) -> Iterator[int]:
    """The regular file `seen`, open for reading; OSError if another entry is at its name
    now. Nothing else is ever opened for reading: a pipe swapped in at its name would make
    a plain open wait for ever, and opening a tape's device node rewinds the tape."""
    fd = _held_if_seen(folder, name, seen)
    try:
        if O_PATH and HAS_PROC_FD:  # looked at before opened: now open it for reading
            handle, fd = fd, os.open(f"{PROC_FD}/{fd}", _READ_FLAGS)
            os.close(handle)
        yield fd
    finally:
        os.close(fd)


def _held_if_seen(folder: Folder, name: str, seen: os.stat_result) -> int:
    """The entry at `name`, held (by O_PATH where there is one); OSError unless it is the
    regular file `seen`."""
    flags = (O_PATH if O_PATH and HAS_PROC_FD else _READ_FLAGS) | NOFOLLOW
    fd = os.open(folder.ref(name), flags, dir_fd=folder.fd)
    now = os.fstat(fd)
    if not stat.S_ISREG(now.st_mode) or identity(now) != identity(seen):
        os.close(fd)
        raise OSError(errno.ESTALE, "replaced since it was looked at")
    return fd


def _name_of(result: FileResult) -> str:
    """The name of a result's copy in its folder."""
    return (result.target_path or result.path).rpartition(os.sep)[2]


def _proof_needed(result: FileResult, source: os.stat_result, copy: os.stat_result) -> bool:
    """Up to date (an earlier run's copy, say of a move cut short) is judged by size and
    time: a file of its own is compared byte for byte before its source goes. So is any
    copy of a source whose file system shows no change time of its own (vfat, exFAT;
    FUSE and SMB may not): there a source replaced or written since it was copied, its
    time put back, looks unchanged, and went (review of moves)."""
    unseen_changes = not devices.keeps_change_times(source.st_dev)
    skipped = result.status is FileStatus.SKIPPED
    return _own_file(source, copy) and (skipped or unseen_changes)


def _from_the_future(st: os.stat_result) -> bool:
    return st.st_ctime_ns > time.time_ns()


def _own_file(source: os.stat_result, copy: os.stat_result) -> bool:
    """A regular file whose copy is a file of its own (not its inode linked in)."""
    return stat.S_ISREG(source.st_mode) and identity(source) != identity(copy)


def _still(held: int, seen: os.stat_result) -> bool:
    """Whether the entry held is the source checked, unwritten since: looked at again
    just before its name goes. Checked seconds earlier (its copy read back meanwhile), a
    file an editor saved at the name since (a new file renamed over it) was removed
    uncopied (review of races). A save in the microseconds left is not seen (only a
    rename aside first could see it, and a kill then would leave the file so named)."""
    now = os.fstat(held)
    return identity(now) == identity(seen) and version(now) == version(seen)


def _hold(folder: Folder, name: str) -> int | None:
    """The entry itself, open (a link too, where O_PATH allows), to read its change time
    once its name is gone; None where it cannot be held."""
    flags = (O_PATH or os.O_RDONLY) | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(folder.ref(name), flags, dir_fd=folder.fd)
    except OSError:
        return None


def _may_remove(
    result: FileResult, source: os.stat_result, copy: os.stat_result, changed: bool
) -> bool:
    """The target holds this source's copy, as it was when copied."""
    if identity(source) == identity(copy):
        # The same file, moved within the file system: then it has a second name, the
        # copy's. With one name only, the copy is the source itself, seen through a bind
        # mount in the target: removing it would lose it.
        return source.st_nlink > 1
    if result.status not in _LANDED and not _up_to_date(result):
        return False
    if changed:
        # Changed since the job began: edited in place with its time restored, or
        # another file saved under its name (same size and time): its copy may not be it.
        return False
    if stat.S_IFMT(source.st_mode) != stat.S_IFMT(copy.st_mode):
        return False
    if stat.S_ISLNK(source.st_mode):  # its text is compared too (_same_link)
        return source.st_size == copy.st_size
    if _skipped_identical(result):
        # Skipped as identical: the target's own file, of its own time, holds the
        # source's bytes (read back from the disk: _proof_needed). Taken by its time,
        # it was said gone or changed, and its source stayed (review of moves).
        return stat.S_ISREG(source.st_mode) and source.st_size == copy.st_size
    return looks_copied(source, copy)


def _skipped_identical(result: FileResult) -> bool:
    """Skipped as the target's own file holds the same bytes (skip identical)."""
    return result.why is not None and result.why.code is Code.SAME_CONTENT


def _would_go(result: FileResult) -> bool:
    """Whether the result lets its source go, if its copy is as it was (a failure or a
    file kept in the target stays, said by its own result)."""
    return result.status in _LANDED or _up_to_date(result)


def _old_owners(result: FileResult) -> bool:
    """Up to date but kept for its old owner, not made again for the source's new one
    (no room): the move did not do what it was asked (review of stop 38)."""
    return result.why is not None and result.why.code is Code.OWNER_NOT_RENEWED


def _up_to_date(result: FileResult) -> bool:
    """Skipped as the same data already there (not a copy kept for a new owner)."""
    return result.status is FileStatus.SKIPPED and frees_the_source(result.why)


def _read_exactly(fd: int, size: int) -> bytes:
    """`size` bytes, fewer only at the end of the file."""
    data = os.read(fd, size)
    while len(data) < size and (more := os.read(fd, size - len(data))):
        data += more
    return data


def _lstat(folder: Folder, name: str) -> os.stat_result | None:
    try:
        return lstat_in(folder, name)
    except FileNotFoundError:
        return None
