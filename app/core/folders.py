"""Folder work at the end of a job: metadata deepest first, or undoing a refused job."""

from __future__ import annotations

import contextlib
import os
import stat

from app.core import conflicts, devices, metadata, refresh
from app.core.events import FileResult, FileStatus, FolderIds, Roots
from app.core.reasons import Code, Reason
from app.core.scan import Entry
from app.core.tree import HAS_PROC_FD, PATH_FLAGS, PROC_FD, FolderReplaced, Folders


def apply_metadata(
    roots: Roots, done: list[tuple[Entry, FolderIds]], made: set[str], follow: bool
) -> tuple[list[FileResult], list[Reason], tuple[int, str], set[str]]:
    """Owner, xattrs, mode and times of every folder, deepest first (writing inside a
    folder moves its time). A target root that existed before keeps its own, and so does
    a folder found in the target (not `made` by this job) that may not be a copy of its
    source folder (_ours_to_set).

    Returns the folders that failed (a copy left more open than its source, say), notices
    to tell (MODES_NOT_KEPT: to tell once a job), (folders whose xattrs were not kept,
    why), and the folders whose copies did not get their source's metadata (a move keeps
    those source folders).
    """
    sources = Folders(roots.source, PATH_FLAGS, roots.ids.source, follow)
    targets = Folders(roots.target, PATH_FLAGS, roots.ids.target)
    failed: list[FileResult] = []
    problems: list[Reason] = []
    lost = metadata.XattrLoss()
    no_group: list[str] = []  # folders whose group could not be kept
    no_bits: list[str] = []  # ... whose setuid, setgid or sticky bit the target refused
    no_mode: Reason | None = None  # the first folder whose mode was not set
    kept_own: list[str] = []  # folders found that may not be copies: left as they are
    unset: set[str] = set()  # kept own, failed or someone else's: not their source's
    try:
        for entry, ids in reversed(done):
            if not entry.path and not (roots.created or roots.unfinished):
                continue
            target: str | int | None = None
            try:
                target = targets.open(entry.path, ids.target).self_ref()
                if entry.path and entry.path not in made and not _ours_to_set(target, entry.st):
                    kept_own.append(entry.path)
                    continue
                source = _source_ref(sources, entry.path, ids)
                if _as_its_source(source, target, entry.st):
                    continue
                xattrs, notes = metadata.apply_to_folder(source, target, entry.st)
                refresh.chmod_ignored(entry.st, os.stat(target))  # (then the next are not set)
                lost = lost.add(xattrs)
                if Reason(Code.GROUP_DROPPED) in notes:
                    no_group.append(entry.path or roots.target)  # (not ".")
                for note in notes:
                    if note.code is Code.SPECIAL_BITS_REFUSED:
                        no_bits.append(entry.path or roots.target)
                    if note.code is Code.MODE_NOT_KEPT and no_mode is None:
                        no_mode = Reason(Code.MODES_NOT_KEPT, (*note.args, entry.path or "."))
            except FolderReplaced:
                unset.add(entry.path)
                why = Reason(Code.FOLDER_REPLACED)
                failed.append(FileResult(entry.path or ".", FileStatus.FAILED, why=why))
            except OSError as exc:
                unset.add(entry.path)
                error = exc.strerror or str(exc)
                if target is not None and _someone_elses(target):  # as its owner set it
                    problems.append(Reason(Code.FOLDER_METADATA, (entry.path or ".", error)))
                else:  # ours, left as it was: maybe more open than the source
                    why = Reason(Code.CANNOT_SET_METADATA, (error,))
                    failed.append(FileResult(entry.path or ".", FileStatus.FAILED, why=why))
    finally:
        sources.close()
        targets.close()
    if no_group:  # one notice, not one a folder
        problems.append(Reason(Code.FOLDERS_GROUP_DROPPED, (len(no_group), no_group[-1])))
    if kept_own:
        problems.append(Reason(Code.FOLDERS_KEPT_OWN, (len(kept_own), kept_own[-1])))
    if no_bits:
        problems.append(Reason(Code.FOLDERS_SPECIAL_BITS_REFUSED, (len(no_bits), no_bits[-1])))
    if no_mode is not None:
        problems.append(no_mode)
    return failed, problems, (lost.entries, lost.error), unset | set(kept_own)


def open_to_us(folder: str | int) -> bool:
    """Give a target folder of ours our own write and search bits where it lacks them
    (its source's mode 000 or 555, kept by an earlier run), when a copy into it was
    refused: else nothing could be copied into it but by root. Its mode, now another
    than its source's, is set again with the folders' metadata, at the end
    (_as_its_source). True if it was opened so."""
    try:
        st = os.stat(folder)
        if st.st_uid != os.geteuid() or os.geteuid() == 0 or st.st_mode & 0o300 == 0o300:
            return False
        os.chmod(folder, stat.S_IMODE(st.st_mode) | 0o300)
    except OSError:  # (cannot say, or may not: as it is)
        return False
    return True


def _ours_to_set(folder: str | int, source: os.stat_result) -> bool:
    """Whether a folder found in the target is to get its source folder's owner, mode,
    xattrs and times: where the copies are owned by their sources' owners (root), only
    a folder of the source's owner, or one a killed run made (marked, and still this
    process's and private, as that run left it). Any other folder
    may have been renamed there by whoever may write its parent (another copied folder,
    private, or root's own): root would hand it, and what it holds, to the source's owner,
    or open it to all."""
    st = os.stat(folder)
    if st.st_uid == source.st_uid or not devices.gives_away(st.st_dev):
        return True  # (the owner first: gives_away reads the mount table)
    # The mark is a user xattr: anyone who may write a folder may set it. A killed run
    # leaves its folders its own and private: so must a marked folder be.
    ours = st.st_uid == os.geteuid() and not st.st_mode & 0o077
    return ours and metadata.is_unfinished(folder)


def _as_its_source(source: str | int | None, folder: str | int, st: os.stat_result) -> bool:
    """Whether a folder's copy already has its source folder's owner, mode, xattrs and
    modification time (as its file system keeps times): a re-run then writes nothing to
    it, so a read-only card inside the target does not fail it, nor a stick take a write
    per folder each run. Access times are not compared: listing a folder moves them, as
    reading moves a file's, which a re-run does not set again either.

    Where the mode shown is the mount's (vfat, NTFS, SMB), a source changed since its
    copy was (a chmod moves no modification time) is set again, as refresh.stale has it
    for files: ntfs3 keeps the modes set, and a folder made private must be so there."""
    copy = os.stat(folder)
    same_mode = stat.S_IMODE(copy.st_mode) == stat.S_IMODE(st.st_mode)
    return (
        (copy.st_uid, copy.st_gid) == (st.st_uid, st.st_gid)
        and (same_mode or not devices.sets_modes(copy.st_dev))
        and not refresh.changed_since(st.st_ctime_ns, st.st_mtime_ns, copy)
        and conflicts.same_time(st.st_mtime_ns, copy)
        and (source is None or metadata.same_xattrs(source, folder))
    )


def _someone_elses(folder: str | int) -> bool:
    """A folder another user owns (this process, not root, may not set its mode)."""
    try:
        owner = os.stat(folder).st_uid
    except OSError:
        return False
    return hasattr(os, "geteuid") and os.geteuid() not in (0, owner)


def _source_ref(sources: Folders, path: str, ids: FolderIds) -> str | int | None:
    """The source folder, for its extended attributes (None if it is gone or replaced)."""
    try:
        return sources.open(path, ids.source).self_ref()
    except OSError:
        return None


UNFINISHED = metadata.UNFINISHED


def mark_unfinished(target: str, fd: int, created: bool) -> bool:
    """Mark a target folder the job created, until the job ends (mark_finished); or tell
    whether a job that created it was killed (it is still marked).

    The folder stays 0700 until its metadata is set at the end. After a kill, a later run
    would take it for a folder of the user's, whose metadata it keeps: the mark says it
    is Ferry's to finish. Where xattrs cannot be set, it is not marked.
    """
    if not metadata.HAS_XATTRS:
        return False
    folder = f"{PROC_FD}/{fd}" if HAS_PROC_FD else target  # (the folder opened, not a path)
    try:
        if created:
            os.setxattr(folder, UNFINISHED, b"1")
            return False
        os.getxattr(folder, UNFINISHED)
        return True
    except OSError:
        return False


def mark_finished(roots: Roots) -> None:
    if metadata.HAS_XATTRS and (roots.created or roots.unfinished):
        with contextlib.suppress(OSError):
            os.removexattr(roots.target, UNFINISHED)


def remove_created(roots: Roots, created: list[str]) -> None:
    """Undo the folders of a refused job: only empty ones go, deepest first."""
    targets = Folders(roots.target, PATH_FLAGS, roots.ids.target)
    try:
        for path in reversed(created):
            parent, _, name = path.rpartition(os.sep)
            with contextlib.suppress(OSError):
                folder = targets.open(parent)
                os.rmdir(folder.ref(name), dir_fd=folder.fd)
                targets.forget(path)
    finally:
        targets.close()
    if roots.created:
        with contextlib.suppress(OSError):
            os.rmdir(roots.target)
