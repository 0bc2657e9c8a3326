"""Copy one entry: open it, decide, write the data, keep its metadata, publish its name.

Nothing appears under a real name before it is complete: data goes to an unnamed file
(Linux O_TMPFILE) or a private temp name, and is named (naming.publish) only when whole,
so nothing the job did not decide to replace is ever replaced.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
from collections.abc import Callable

from app.core import metadata, refresh
from app.core.conflicts import (
    Action,
    Decision,
    StatFacts,
    decide,
    heals_link,
    is_copy_of,
    refreshes,
    refreshes_kept,
    unshared,
    why_copied,
)
from app.core.datacopy import CHUNK, Cancelled, ProgressCallback, copy_data
from app.core.events import (
    EntryKind,
    FileResult,
    FileStatus,
    FileTask,
    FolderIds,
    Identity,
    WorkerContext,
)
from app.core.failures import ChangedDuringCopy, Failed, reading_the_source, step
from app.core.folders import open_to_us
from app.core.heldcopy import HeldCopies, same_file
from app.core.naming import NO_LINKS, Linkable, kept_before, open_file, publish, remove
from app.core.nodecopy import NodeCopier
from app.core.options import ConflictPolicy
from app.core.outfile import NO_TMPFILE, O_TMPFILE
from app.core.places import (
    REFRESHED,
    UP_TO_DATE,
    Place,
    existing_at,
    published,
    settled,
)
from app.core.reasons import Code, Reason, replaced
from app.core.scan import special_file_reason
from app.core.tree import (
    EUID,
    HAS_PROC_FD,
    NOFOLLOW,
    O_PATH,
    PATH_FLAGS,
    PROC_FD,
    Folder,
    FolderReplaced,
    Folders,
    inside,
    version,
)

_CLOEXEC = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# O_NONBLOCK: a FIFO swapped in after the scan must not block the open.
READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC
TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | _CLOEXEC
ATTEMPTS = 2  # a file that changes while copied is tried once more
_MOVED_IN_PLACE = Reason(Code.MOVED_IN_PLACE)
_RECOPIED = Reason(Code.RECOPIED)
_POWERS = Reason(Code.POWERS_RENEWED)
_LANDED = (FileStatus.COPIED, FileStatus.RENAMED)
_NAMED = (*_LANDED, FileStatus.LINKED)


class Copier:
    """Copies entries for one worker; keeps the folders it opened for the next files."""

    def __init__(self, ctx: WorkerContext, on_progress: ProgressCallback) -> None:
        self.ctx = ctx
        self.on_progress = on_progress
        roots = ctx.roots
        follow = ctx.options.follow_symlinks
        self.sources = Folders(ctx.source, PATH_FLAGS, roots.source if roots else None, follow)
        self.targets = Folders(ctx.target, PATH_FLAGS, roots.target if roots else None)
        self.source_real = os.path.realpath(ctx.source)
        self.xattrs = metadata.XattrLoss()
        self._tmpfile_devices: dict[int, bool] = {}
        self._acl_folders: dict[Identity, bool] = {}  # target folders with a default ACL
        self.held_copies = HeldCopies(ctx, self.targets)  # what second names join
        self.nodes = NodeCopier(ctx, self.source_real, self._lose)
        self._landed: tuple[int, ...] = ()  # the copy just named, under --move (_stamp)

    def copy(
        self, item: FileTask, folders: dict[str, FolderIds], policy: ConflictPolicy
    ) -> FileResult:
        """Copy one entry (file, link, special file); every failure becomes a FileResult."""
        changed = False  # (then copied again: said, its size may be another)
        for attempt in range(ATTEMPTS):
            place: Place | None = None
            self._landed = ()
            try:
                place = self._place(item, folders)
                result = self._copy_at(item, place, folders, policy)
                if self._landed and result.status in _NAMED:
                    result = result._replace(landed=self._landed)
                # (said over what it replaced, as a note on what a copy lacks is)
                if (
                    changed
                    and result.status in _LANDED
                    and (not result.why or replaced(result.why))
                ):
                    return result._replace(why=_RECOPIED)
                return result
            except ChangedDuringCopy:
                changed = True
                if attempt == ATTEMPTS - 1:
                    return FileResult(item.path, FileStatus.FAILED, why=Reason(Code.CHANGED))
            except Cancelled:
                return FileResult(item.path, FileStatus.CANCELLED, why=Reason(Code.CANCELLED))
            except Failed as failed:
                if _opened_to_us(failed.errno, failed.why, place, attempt):
                    continue
                return FileResult(item.path, failed.status, why=failed.why, errno=failed.errno)
            except OSError as exc:  # a step not named above: still this file's failure only
                if _opened_to_us(exc.errno, None, place, attempt):
                    continue
                why = Reason(Code.UNEXPECTED, (exc.strerror or str(exc),))
                return FileResult(item.path, FileStatus.FAILED, why=why, errno=exc.errno or 0)
        raise AssertionError("unreachable")

    def _copy_at(
        self, item: FileTask, place: Place, folders: dict[str, FolderIds], policy: ConflictPolicy
    ) -> FileResult:
        if item.link_to:
            return self._link_or_copy(item, place, folders, policy)
        if item.kind is EntryKind.LINK:
            return self.nodes.symlink(item, place, policy)
        if item.kind is EntryKind.SPECIAL:
            return self.nodes.special(item, place, policy)
        return self._file(item, place, policy)

    def _lose(self, lost: str) -> None:
        """Count an entry's xattrs not kept (one notice for the job: metadata.XattrLoss)."""
        self.xattrs = self.xattrs.add(lost)

    # --- where ----------------------------------------------------------------------------

    def _place(self, item: FileTask, folders: dict[str, FolderIds]) -> Place:
        parent, _, name = item.path.rpartition(os.sep)
        ids = folders[parent]
        with step(Code.CANNOT_OPEN_FOLDER):
            src = self.sources.open(parent, ids.source)
            try:
                dst = self.targets.open(parent, ids.target)
            except FileNotFoundError:  # moved or deleted in the target: not "vanished"
                raise FolderReplaced(parent) from None
        return Place(name, src, dst, ids.target[0], self._inherits_acl(dst, ids))

    def _inherits_acl(self, folder: Folder, ids: FolderIds) -> bool:
        """Whether a new file here may take an ACL of the folder's default ACL: asked once
        a folder of ours; taken as yes in another's, whose owner may give it one between
        two files (the ACL would let them read the copies of files they may not read)."""
        known = self._acl_folders.get(ids.target)
        if known is None:
            ref = folder.self_ref()
            theirs = os.stat(ref).st_uid != EUID
            known = self._acl_folders[ids.target] = theirs or metadata.inherits_acl(ref)
        return known

    # --- regular files --------------------------------------------------------------------

    def _file(self, item: FileTask, place: Place, policy: ConflictPolicy) -> FileResult:
        fd_in, note = self._open_source(place)
        try:
            st = os.fstat(fd_in)
            if not stat.S_ISREG(st.st_mode):
                return FileResult(
                    item.path, FileStatus.SKIPPED, why=special_file_reason(st.st_mode)
                )
            existing = existing_at(place, item.fresh)
            facts = StatFacts.of(st)
            decided = decide(policy, facts, existing)
            differ = functools.partial(_xattrs_differ, fd_in, place)  # (asked rarely)
            decision = unshared(decided, policy, st, existing, differ)
            if (
                decision.action is Action.ASK
                and policy is ConflictPolicy.SKIP_IDENTICAL
                and existing is not None
                and self._same_content(fd_in, place, existing)
            ):
                same = Reason(Code.SAME_CONTENT)
                return FileResult(item.path, FileStatus.SKIPPED, item.size, same)
            if existing and refreshes(decision, st, existing):
                renews = policy is ConflictPolicy.NEWER  # (as for a new owner)
                return self._refresh(fd_in, st, place, item, existing, renews)
            if decision.action not in (Action.COPY, Action.REPLACE, Action.RENAME):
                return settled(item, st, decision, existing)
            if decision.action is Action.RENAME and (
                kept := kept_before(place.dst, place.name, st, place.src)
            ):
                return self._kept_again(fd_in, st, place, item, kept)
            moved = self._move_by_link(fd_in, st, place, item, decision.action, existing)
            if moved is not None:
                # (a name that already was the source's inode, a move's re-run: not replaced)
                held = None if existing is None or same_file(existing, st) else existing
                said = why_copied(decision, facts, held)
                return moved._replace(why=said or _MOVED_IN_PLACE)
            notes, name, digest = self._write(fd_in, st, place, item, decision.action, existing)
        finally:
            os.close(fd_in)
        # A note on what the copy could not keep comes first (one reason a file), then
        # why it was copied again (owner changed), then what it replaced.
        why = note or (notes[0] if notes else None) or why_copied(decision, facts, existing)
        # Its size as copied: the scan's, unless it changed since (then copied again).
        return published(item, place, name, FileStatus.COPIED, st.st_size, why, digest)

    def _refresh(
        self,
        fd_in: int,
        st: os.stat_result,
        place: Place,
        item: FileTask,
        copy: os.stat_result,
        renews: bool,
    ) -> FileResult:
        """Up to date, but the source's owner, mode or xattrs changed: set them again on
        the copy found (refresh.stale), by descriptor; its data is left alone. A user's
        own copy only loses permission bits (refresh.narrowed). Copied again, where
        `renews`, if the source gained powers a refresh never grants (lacks_powers)."""
        with step(Code.CANNOT_SET_METADATA):
            try:
                fd = os.open(place.dst.ref(place.name), READ_FLAGS | NOFOLLOW, dir_fd=place.dst.fd)
            except OSError as exc:
                if exc.errno in (errno.ENOENT, errno.ELOOP):  # gone or a link: decide again
                    raise ChangedDuringCopy from None
                raise
            try:
                if not same_file(os.fstat(fd), copy):
                    raise ChangedDuringCopy  # replaced since it was looked at: decide again
                nosuid = functools.partial(metadata.from_nosuid, fd_in)
                renew = renews and refresh.lacks_powers(fd, fd_in, st, copy, nosuid)
                ignored = False
                if not refresh.stale(st, copy):  # a user's own copy (refresh.narrowed)
                    refresh.narrow(fd, st)
                elif not renew:
                    self._lose(refresh.refresh_file(fd, fd_in, st, copy, nosuid))
                    ignored = refresh.chmod_ignored(st, os.fstat(fd))
            finally:
                os.close(fd)
        if renew:
            _, name, digest = self._write(fd_in, st, place, item, Action.REPLACE, copy)
            return published(item, place, name, FileStatus.COPIED, st.st_size, _POWERS, digest)
        # Set again for its mode alone, where a chmod sets none (exfat-fuse): as it was.
        as_it_was = ignored and not refresh.changed_since(st.st_ctime_ns, st.st_mtime_ns, copy)
        return FileResult(
            item.path, FileStatus.SKIPPED, item.size, UP_TO_DATE if as_it_was else REFRESHED
        )

    def _kept_again(
        self, fd_in: int, st: os.stat_result, place: Place, item: FileTask, kept: str
    ) -> FileResult:
        """Keep both, once more: the numbered copy `kept` an earlier run made is this
        file's, its metadata set again where the source's changed (refreshes_kept)."""
        numbered = place._replace(name=kept)
        copy = existing_at(numbered, False)
        if copy is None or not refreshes_kept(st, copy):
            return published(item, place, kept, FileStatus.SKIPPED, item.size, UP_TO_DATE)
        done = self._refresh(fd_in, st, numbered, item, copy, False)
        return published(item, place, kept, done.status, done.bytes, done.why)

    def _same_content(self, fd_in: int, place: Place, existing: os.stat_result) -> bool:
        """Whether the target's regular file holds the source's bytes (both read).

        A target that cannot be read is not the same: the caller is asked about it.
        """
        if not stat.S_ISREG(existing.st_mode) or existing.st_size != os.fstat(fd_in).st_size:
            return False
        flags = READ_FLAGS | NOFOLLOW
        try:
            fd_target = os.open(place.dst.ref(place.name), flags, dir_fd=place.dst.fd)
        except OSError:
            return False
        try:
            offset = 0
            while True:
                with step(Code.CANNOT_READ):
                    ours = os.pread(fd_in, CHUNK, offset)
                try:
                    theirs = os.pread(fd_target, CHUNK, offset)
                except OSError:
                    return False
                if ours != theirs or not ours:
                    return ours == theirs
                offset += len(ours)
        finally:
            os.close(fd_target)

    def _move_by_link(
        self,
        fd_in: int,
        st: os.stat_result,
        place: Place,
        item: FileTask,
        action: Action,
        existing: os.stat_result | None,
    ) -> FileResult | None:
        """Moving within one file system: name the source file itself in the target (no
        data copied, metadata and all); the job removes the source name once synced.

        None where that cannot be done (another file system, no hard links): copy then.
        """
        options = self.ctx.options
        if not options.move or options.follow_symlinks or st.st_dev != place.device:
            return None  # (followed links may lead out of the source: never linked to)
        source = (
            open_file(fd_in)
            if HAS_PROC_FD
            else Linkable(place.src.ref(place.name), place.src.fd, False, own=False)
        )
        temp_name = self.ctx.temp_name(item.serial)
        try:
            name = publish(
                place.dst, place.name, source, action, temp_name, item.fresh, existing, place.src
            )
        except Failed as failed:
            if failed.errno in NO_LINKS or failed.errno == errno.EXDEV:
                return None
            raise
        finally:
            # Replacing a name that already is this file leaves the temp: rename() of two
            # names of one inode does nothing.
            remove(place.dst, temp_name)
        self._stamp(lambda: os.fstat(fd_in))
        return published(item, place, name, FileStatus.COPIED, 0, None)  # nothing written

    def _open_source(self, place: Place) -> tuple[int, Reason | None]:
        """Open the source file for reading; in follow mode, say where a link led."""
        src = place.src
        with step(Code.CANNOT_OPEN_SOURCE):
            if not self.ctx.options.follow_symlinks:
                try:
                    return os.open(src.ref(place.name), READ_FLAGS | NOFOLLOW, dir_fd=src.fd), None
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        raise Failed(Reason(Code.BECAME_LINK), errno.ELOOP) from None
                    raise
            if not (O_PATH and HAS_PROC_FD):
                return os.open(src.ref(place.name), READ_FLAGS, dir_fd=src.fd), None
            # Follow mode: look at what the name leads to before opening it for real, so
            # that a link swapped in to a device (/dev/tty, a tape) is never opened.
            handle = os.open(src.ref(place.name), O_PATH | _CLOEXEC, dir_fd=src.fd)
            try:
                st = os.fstat(handle)
                if not stat.S_ISREG(st.st_mode):
                    raise Failed(special_file_reason(st.st_mode), 0, FileStatus.SKIPPED)
                real = os.path.realpath(f"{PROC_FD}/{handle}")
                fd = os.open(f"{PROC_FD}/{handle}", READ_FLAGS)
            finally:
                os.close(handle)
        return fd, None if inside(real, self.source_real) else Reason(Code.LEFT_SOURCE, (real,))

    def _write(
        self,
        fd_in: int,
        st: os.stat_result,
        place: Place,
        item: FileTask,
        action: Action,
        existing: os.stat_result | None,
    ) -> tuple[list[Reason], str, str]:
        """Data and metadata into a temp, then the name: (notes, name used, digest or "")."""
        temp_name = self.ctx.temp_name(item.serial)
        fd_out, named = self._create_temp(place, temp_name)
        algorithm = self.ctx.options.hashing()
        hasher = algorithm.new() if algorithm else None
        try:
            with step(Code.CANNOT_WRITE):
                copied = copy_data(self.ctx, fd_in, fd_out, st, item.path, self.on_progress, hasher)
            self._check_unchanged(fd_in, st, copied, place)
            with step(Code.CANNOT_SET_METADATA):
                nosuid = functools.partial(metadata.from_nosuid, fd_in)
                notes, lost = metadata.apply_to_file(fd_out, fd_in, st, place.inherits_acl, nosuid)
                if self.ctx.options.fsync:
                    os.fsync(fd_out)
            self._lose(lost)
            data = (
                Linkable(place.dst.ref(temp_name), place.dst.fd, False)
                if named
                else open_file(fd_out)
            )
            kept = os.fstat(fd_out)  # (the times as the target keeps them)
            name = publish(
                place.dst, place.name, data, action, temp_name, item.fresh, existing, place.src
            )
            if named or action is not Action.COPY:  # (renamed: see _times_back)
                _times_back(fd_out, kept)
            self._stamp(lambda: os.fstat(fd_out))
        except BaseException:
            if named:
                remove(place.dst, temp_name)
            raise
        finally:
            os.close(fd_out)
        if named:
            remove(place.dst, temp_name)
        return notes, name, hasher.hexdigest() if hasher else ""

    def _create_temp(self, place: Place, temp_name: str) -> tuple[int, bool]:
        """An unnamed file in the target folder where the OS allows, else a private temp."""
        dst = place.dst
        with step(Code.CANNOT_CREATE):
            if O_TMPFILE and self._tmpfile_devices.get(place.device, True):
                try:
                    return os.open(
                        dst.ref("."), O_TMPFILE | os.O_WRONLY | _CLOEXEC, 0o600, dir_fd=dst.fd
                    ), False
                except OSError as exc:
                    if exc.errno not in NO_TMPFILE:
                        raise
                    self._tmpfile_devices[place.device] = False
            remove(dst, temp_name)  # left by an attempt whose worker died: ours to replace
            return os.open(dst.ref(temp_name), TEMP_FLAGS, 0o600, dir_fd=dst.fd), True

    def _check_unchanged(self, fd_in: int, st: os.stat_result, copied: int, place: Place) -> None:
        """Raise ChangedDuringCopy if the source was written, replaced or deleted meanwhile."""
        try:
            after = os.fstat(fd_in)
        except OSError:  # a network or FUSE file system may say so for a deleted file
            raise ChangedDuringCopy from None
        # The change time too: an edit in place that restores the mtime keeps size and
        # mtime, and would leave a mix of two versions. (Not an mmap writer's writes to
        # pages already dirty: they move no time, and no copier can see them.)
        if copied != st.st_size or version(after) != version(st):
            raise ChangedDuringCopy
        if st.st_size > CHUNK:  # copied over a while: is the name still this file?
            src = place.src
            try:
                now = os.stat(
                    src.ref(place.name),
                    dir_fd=src.fd,
                    follow_symlinks=self.ctx.options.follow_symlinks,
                )
            except FileNotFoundError:
                raise ChangedDuringCopy from None
            if not same_file(now, st):
                raise ChangedDuringCopy

    # --- hard links -----------------------------------------------------------------------

    def _link_or_copy(
        self, item: FileTask, place: Place, folders: dict[str, FolderIds], policy: ConflictPolicy
    ) -> FileResult:
        """A second name, linked to its first name's copy; where the target cannot link
        them (vfat and exFAT keep no hard links; another file system is mounted between
        them), copied as a file of its own, and said so: nothing is left out."""
        try:
            return self._link(item, place, folders, policy)
        except Failed as failed:
            if failed.errno not in NO_LINKS and failed.errno != errno.EXDEV:
                raise
            why = Reason(Code.COPIED_UNLINKED, (item.link_to, os.strerror(failed.errno)))
        place = self._place(item, folders)
        if item.kind is EntryKind.LINK:
            result = self.nodes.symlink(item._replace(link_to=""), place, policy)
        elif item.kind is EntryKind.SPECIAL:
            result = self.nodes.special(item._replace(link_to=""), place, policy)
        else:
            with step(Code.CANNOT_OPEN_SOURCE):
                size = os.stat(
                    place.src.ref(place.name),
                    dir_fd=place.src.fd,
                    follow_symlinks=self.ctx.options.follow_symlinks,
                ).st_size
            result = self._file(item._replace(link_to="", size=size), place, policy)
        landed = result.status in (FileStatus.COPIED, FileStatus.RENAMED)
        return result._replace(why=why) if landed else result

    def _link(
        self, item: FileTask, place: Place, folders: dict[str, FolderIds], policy: ConflictPolicy
    ) -> FileResult:
        """A second name of a file already copied: link it to that copy, as the source is."""
        with step(Code.CANNOT_OPEN_SOURCE):
            st = os.stat(
                place.src.ref(place.name),
                dir_fd=place.src.fd,
                follow_symlinks=self.ctx.options.follow_symlinks,
            )
        with self.held_copies.held(item, folders) as (copy_st, linkable):
            if not is_copy_of(copy_st, st):
                raise Failed(Reason(Code.LINKED_COPY_REPLACED))
            place = self._place(item, folders)  # opening the copy's folder may close ours
            existing = existing_at(place, item.fresh)
            if existing is not None and same_file(existing, copy_st):
                return FileResult(item.path, FileStatus.SKIPPED, 0, Reason(Code.UP_TO_DATE))
            decision = decide(policy, StatFacts.of(st), existing)
            if heals_link(decision, policy):
                decision = Decision(Action.REPLACE)
            if decision.action not in (Action.COPY, Action.REPLACE, Action.RENAME):
                return settled(item, st, decision, existing)
            if decision.action is Action.RENAME and (
                kept := kept_before(place.dst, place.name, st, place.src)
            ):  # kept both before: linked then
                return published(item, place, kept, FileStatus.SKIPPED, 0, UP_TO_DATE)
            with step(Code.CANNOT_LINK):
                data = linkable()
                place = self._place(item, folders)  # (naming the copy may close ours)
                name = publish(
                    place.dst,
                    place.name,
                    data,
                    decision.action,
                    self.ctx.temp_name(item.serial),
                    item.fresh,
                    existing,
                    place.src,
                )
            at = place.dst.ref(name), place.dst.fd  # (held: named, it is the one linked)
            self._stamp(lambda: os.stat(at[0], dir_fd=at[1], follow_symlinks=False), copy_st.st_ino)
        why = Reason(Code.LINKED, (item.link_to,))
        return published(item, place, name, FileStatus.LINKED, 0, why)

    def _stamp(self, stat_copy: Callable[[], os.stat_result], inode: int = 0) -> None:
        """Under --move, the copy just named, as it is now: its change time moves with any
        write or rename since, and move.py then reads it back. `inode`: the one it must be."""
        if self.ctx.options.move:
            with contextlib.suppress(OSError):  # (unstamped: move.py's older rule)
                st = stat_copy()
                if inode in (0, st.st_ino):
                    self._landed = (st.st_ino, st.st_ctime_ns)


def _times_back(fd: int, kept: os.stat_result) -> None:
    """Set the copy's times again where its rename changed them: fusefat dates a file
    it renames "now" (`cp -a`, which sets them by name after closing, keeps them there).
    The copy has its name by now: where they cannot be set, it stays (a later run finds
    it dated otherwise, and copies it again)."""
    with contextlib.suppress(OSError):
        now = os.fstat(fd)
        if (now.st_atime_ns, now.st_mtime_ns) != (kept.st_atime_ns, kept.st_mtime_ns):
            os.utime(fd, ns=(kept.st_atime_ns, kept.st_mtime_ns))


def _opened_to_us(error: int | None, why: Reason | None, place: Place | None, attempt: int) -> bool:
    """Refused by a target folder of ours that lacks our write bit (its source's mode,
    kept by an earlier run), now opened to us: try once more. Asked only where writing
    the copy was refused (not reading its source), so an up-to-date re-run writes
    nothing to such a folder."""
    if error != errno.EACCES or place is None or attempt == ATTEMPTS - 1:
        return False
    if reading_the_source(why):
        return False
    return open_to_us(place.dst.self_ref())


def _xattrs_differ(fd_in: int, place: Place) -> bool:
    """Whether the copy at `place` holds other xattrs or ACLs than its source."""
    return metadata.xattrs_differ(fd_in, place.dst.entry_ref(place.name))
