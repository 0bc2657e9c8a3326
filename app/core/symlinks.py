"""Symbolic links and special files: made, and given their owner, xattrs, mode and times,
where no one else can reach them by name; then named like any copy (naming.publish).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from typing import NamedTuple

from app.core import metadata
from app.core.events import FileStatus
from app.core.failures import ChangedDuringCopy, Failed, step
from app.core.naming import NO_NODES, Linkable, remove
from app.core.reasons import Code, Reason
from app.core.scan import is_special
from app.core.tree import NOFOLLOW, PATH_FLAGS, Folder, names_in

Make = Callable[[Folder, str], None]  # makes the new entry `name` in a folder
Made = tuple[Linkable, str, list[Reason]]  # what to publish, xattr loss, notes (setid dropped)


class SourceEntry(NamedTuple):
    """A source link or special file: a path that reaches exactly it (/proc/self/fd/N of
    an O_PATH descriptor, followed; else its name, not followed), and its stat."""

    ref: str
    follow: bool
    st: os.stat_result


@contextlib.contextmanager
def new_link(
    folder: Folder, link_target: str, source_ref: str, st: os.stat_result, names: tuple[str, str]
) -> Iterator[Made]:
    """A new link to `link_target` with the metadata of the source link `st` (named by
    `source_ref`), for `folder`: (what to publish, xattr loss, notes). Gone again on exit.

    names: the private folder's name and the temp name of this entry in `folder`.
    """

    def make(place: Folder, name: str) -> None:
        os.symlink(link_target, place.ref(name), dir_fd=place.fd)

    source = SourceEntry(source_ref, False, st)
    with _made_privately(folder, make, source, names, shared_ok=True) as made:
        yield made


@contextlib.contextmanager
def new_special(folder: Folder, source: SourceEntry, names: tuple[str, str]) -> Iterator[Made]:
    """A new named pipe, socket or device node like `source`, as new_link. Where the
    target cannot make one, Failed: skipped, with the system's reason."""
    st = source.st

    def make(place: Folder, name: str) -> None:
        try:
            os.mknod(place.ref(name), st.st_mode, st.st_rdev, dir_fd=place.fd)
        except OSError as exc:
            if exc.errno not in NO_NODES:
                raise
            why = Reason(Code.SPECIAL_NOT_MADE, (exc.strerror or str(exc),))
            raise Failed(why, exc.errno, FileStatus.SKIPPED) from None

    with _made_privately(folder, make, source, names, shared_ok=False) as made:
        yield made


@contextlib.contextmanager
def _made_privately(
    folder: Folder,
    make: Make,
    source: SourceEntry,
    names: tuple[str, str],
    shared_ok: bool,
) -> Iterator[Made]:
    """The entry made in a private folder; where none can be had (make_private_folder),
    a link is made in `folder` itself with its times only (`shared_ok`: it has no mode to
    give away), a special file not at all: a device node there would take the folder's
    setgid group or default ACL, or a mode someone else gave it."""
    private_name, temp_name = names
    remove_private_folder(folder, private_name)  # left by an attempt whose worker died
    with step(Code.CANNOT_CREATE):
        private = make_private_folder(folder, private_name)
    try:
        if private is not None:
            yield _made_in(private, LINK_ENTRY, make, source.st, source)
        elif shared_ok:  # in the target folder itself, under its temp name: times only
            yield _made_in(folder, temp_name, make, source.st, None)
        else:
            raise Failed(Reason(Code.NO_PRIVATE_FOLDER))
    finally:
        if private is not None and private.fd is not None:
            os.close(private.fd)
        remove_private_folder(folder, private_name)
        remove(folder, temp_name)


def _made_in(
    folder: Folder, name: str, make: Make, st: os.stat_result, source: SourceEntry | None
) -> Made:
    """The entry, its owner and xattrs (from `source`; None: not where others may swap
    a file in for it), a special file's mode, and its times."""
    with step(Code.CANNOT_CREATE):
        make(folder, name)
    notes: list[Reason] = []
    with step(Code.CANNOT_SET_METADATA):
        if source is None:
            lost = ""
            metadata.link_times(folder.entry_ref(name), st)
        elif stat.S_ISLNK(st.st_mode):
            lost = metadata.apply_to_link(source.ref, folder.entry_ref(name), st)
        else:
            target = folder.entry_ref(name)
            notes, lost = metadata.apply_to_special(source.ref, target, st, source.follow)
    # follow=False: the new name is the entry itself, never a file a link points to.
    return Linkable(folder.ref(name), folder.fd, False), lost, notes


def refresh_in_place(
    folder: Folder, name: str, seen: os.stat_result, source: SourceEntry, private_name: str
) -> tuple[list[Reason], str] | None:
    """Set the owner, xattrs, mode and times of the source's special file again on its
    copy `name` itself, so the copy's other names keep sharing it:
    linked into a private folder, it is set there by name once checked to be the one
    `seen`. (notes, xattr loss), or None where it cannot be linked so (the caller makes it
    again instead); ChangedDuringCopy if it was replaced meanwhile."""
    remove_private_folder(folder, private_name)  # left by an attempt whose worker died
    try:
        private = make_private_folder(folder, private_name)
    except OSError:
        return None
    if private is None:
        return None
    try:
        try:
            os.link(
                folder.ref(name),
                private.ref(LINK_ENTRY),
                src_dir_fd=folder.fd,
                dst_dir_fd=private.fd,
                follow_symlinks=False,
            )
        except OSError:
            return None
        now = os.stat(private.ref(LINK_ENTRY), dir_fd=private.fd, follow_symlinks=False)
        if (now.st_dev, now.st_ino) != (seen.st_dev, seen.st_ino):
            drop_private_link(private)
            raise ChangedDuringCopy  # replaced since it was looked at: decide again
        with step(Code.CANNOT_SET_METADATA):
            target = private.entry_ref(LINK_ENTRY)
            held = metadata.xattr_names(target)
            return metadata.apply_to_special(source.ref, target, source.st, source.follow, held)
    finally:
        if private.fd is not None:
            os.close(private.fd)
        remove_private_folder(folder, private_name)


LINK_ENTRY = "link"  # the one entry of a private folder: a symbolic link or special file


def make_private_folder(folder: Folder, name: str) -> Folder | None:
    """A new folder in `folder` that only this user may enter, held open.

    A symbolic link cannot be opened, nor a special file without what opening it does (a
    pipe waits, a device acts), so their metadata is set by name. In a target folder
    others may write to, someone could rename a hard link to their own file over that
    name in between, and root would give their file the link's owner. No one else can
    rename anything inside this folder.

    None where the folder made is not this user's: a file system that gives new entries
    another owner (NFS with root squashed, some FUSE and idmapped mounts), where an owner
    cannot be given anyway, or someone swapped their own folder in.
    """
    os.mkdir(folder.ref(name), 0o700, dir_fd=folder.fd)
    path = os.path.join(folder.path, name)
    if folder.fd is None:
        return Folder(None, path)
    try:
        fd = os.open(folder.ref(name), PATH_FLAGS | NOFOLLOW, dir_fd=folder.fd)
    except OSError:
        remove_private_folder(folder, name)
        raise
    st = os.fstat(fd)
    if st.st_uid == os.geteuid() and not stat.S_IMODE(st.st_mode) & 0o077:
        return Folder(fd, path)
    os.close(fd)
    remove_private_folder(folder, name)
    return None


def drop_private_link(private: Folder) -> None:
    """Remove the private folder's hard link to an entry found not to be the one seen
    (someone swapped another in at its name), whatever it is: the name is this job's
    own, in a folder no one else may write, and the entry keeps its other name."""
    with contextlib.suppress(OSError):
        os.unlink(private.ref(LINK_ENTRY), dir_fd=private.fd)


def remove_private_folder(folder: Folder, name: str) -> None:
    """Remove a private folder (make_private_folder) and the link or special file it may
    still hold, or the empty file a file system that refuses links left instead.

    A folder of that name holding anything else is left as it is.
    """
    with contextlib.suppress(OSError):  # (not empty: not Ferry's)
        remove_private_leftover(folder, name)


def remove_private_leftover(folder: Folder, name: str) -> None:
    """remove_private_folder, saying why it failed (OSError: ENOTEMPTY where the folder
    holds anything but what a job made)."""
    _private_leftover(folder, name, remove=True)
    os.rmdir(folder.ref(name), dir_fd=folder.fd)


def is_private_leftover(folder: Folder, name: str) -> bool:
    """Whether remove_private_folder would remove this folder (read only, for a plan)."""
    return _private_leftover(folder, name, remove=False)


def _private_leftover(folder: Folder, name: str, remove: bool) -> bool:
    """Whether the private folder `name` holds nothing, or only the entry a job made (then
    removed, with `remove`: OSError if it cannot be)."""
    try:
        fd = (
            None
            if folder.fd is None
            else os.open(folder.ref(name), PATH_FLAGS | NOFOLLOW, dir_fd=folder.fd)
        )
    except OSError:
        return False  # nothing there, or not a folder
    private = Folder(fd, os.path.join(folder.path, name))
    try:
        made = _made_entries(private)
        if made and remove:
            os.unlink(private.ref(LINK_ENTRY), dir_fd=fd)
        return made is not None
    finally:
        if fd is not None:
            os.close(fd)


def _made_entries(private: Folder) -> list[str] | None:
    """What a private folder holds, if nothing or only the entry a job made; None if it
    holds anything else, or cannot be read."""
    try:
        names = names_in(private)
        if not names:
            return []
        there = os.stat(private.ref(LINK_ENTRY), dir_fd=private.fd, follow_symlinks=False)
    except OSError:
        return None
    # (fusefat refuses a link with ENOSYS and leaves an empty file in its place)
    refused = stat.S_ISREG(there.st_mode) and there.st_size == 0
    made = stat.S_ISLNK(there.st_mode) or is_special(there.st_mode) or refused
    return names if made and names == [LINK_ENTRY] else None
