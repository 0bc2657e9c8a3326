"""Reason codes: why a file was skipped or failed, why a job was refused, what to notice."""

from __future__ import annotations

import string
from enum import StrEnum
from typing import Any, NamedTuple


class Code(StrEnum):
    """Each code's value is its English text; {0}, {1}... are the reason's arguments.

    `{0:size}` renders a byte count for people. `{0:error}` is the operating system's
    error text (strerror, English), which the window shows in its own language. The
    window translates by code (app/ui/reasons.py), so rewording a text here never breaks
    it.
    """

    # Refusals: the job did not start, nothing was written.
    NO_SOURCE = "No source folder given (the path is empty)."
    NO_TARGET = "No target folder given (the path is empty)."
    PATH_HOLDS_NUL = "A folder's path holds a NUL character, which no path may hold: {0}"
    SOURCE_MISSING = "Source folder does not exist: {0}"
    SOURCE_NOT_FOLDER = "Source is not a folder: {0}"
    SOURCE_UNREADABLE = "Cannot read the source folder: {0:error} ({1})"
    TARGET_NOT_FOLDER = "Target exists and is not a folder: {0}"
    TARGET_IS_SOURCE = "Target is the source folder itself."
    TARGET_INSIDE_SOURCE = "Target is inside the source folder; the copy would never end."
    TARGET_NOT_WRITABLE = "Target folder is not writable: {0}"
    MIRROR_INTO_SYSTEM = (
        "A mirror deletes what the source does not have: not in a system folder, a home"
        " folder or what holds one ({0}). Choose or make a folder of its own for it (such"
        " as ~/Backup, or a folder on the backup disk)."
    )
    TARGET_NOT_CREATED = "Cannot create the target folder: {0:error}"
    TARGET_REPLACED = (
        "The target folder was replaced while it was being opened (by a link, or another"
        " folder): {0}"
    )
    TARGET_LINK_OF_ANOTHER = (
        "A link on the target's path was made by another user, or sits in a folder another"
        " user may change: it could lead the copy anywhere. Name the folder it leads to"
        " instead: {0}"
    )
    TARGET_BUSY = (
        "Another copy is writing into this target folder, or into a folder above or"
        " inside it; start this one when it has ended."
    )
    NO_SPACE = "Not enough space in the target: {0:size} to write, {1:size} free."
    NO_INODES = (
        "Not enough room for new files in the target: {0:count} files and folders to make,"
        " but its file system can make only {1:count} more (it has no inodes for more,"
        " whatever space is free)."
    )
    NO_INODES_SO_FAR = (
        "Not enough room for new files in the target: its file system can make only"
        " {1:count} more files and folders (it has no inodes for more, whatever space is"
        " free), and the source holds more: {0:count} found so far."
    )
    MANIFEST_LINK_OF_ANOTHER = (
        "A link on the checksum file's path was made by another user, or sits in a folder"
        " another user may change: name its folder itself: {0}"
    )
    MANIFEST_HOLDS_NUL = (
        "The checksum file's path holds a NUL character, which no path may hold: {0}"
    )
    MANIFEST_NOT_A_FILE = (
        "Something other than a regular file holds the checksum file's name (a device, a"
        " link, a pipe): {0}"
    )
    MANIFEST_OVER_COPY = (
        "The checksum file would replace the copy of {0}: save the checksums under another name."
    )
    MANIFEST_IN_SOURCE = (
        "The checksum file would be written inside the source folder ({0}): save it elsewhere."
    )
    NO_SPACE_SO_FAR = (
        "Not enough space: the files found so far need more than the {1:size} free (at"
        " least {0:size}: the count stops at the first byte too many)."
    )
    # Files settled without copying.
    UP_TO_DATE = "already up to date"
    # Up to date, but the source's owner, mode or xattrs changed since (refresh.stale).
    METADATA_REFRESHED = "already up to date; its mode, group and attributes set again"
    METADATA_TO_REFRESH = "already up to date; its mode, group and attributes to set again"
    # A move's dry run: up to date by size and time, its copy lacking (move.lacks_metadata).
    COPY_LACKS_METADATA = (
        "already up to date, but its copy lacks the source's owner, permissions, extended"
        " attributes or ACLs: the source would stay"
    )
    TARGET_NEWER = "target is newer, kept"
    OWNER_NOT_RENEWED = (
        "the copy's owner differs from the source's; kept: no room to write a new copy first"
    )
    SAME_CONTENT = "the target's file has the same content"
    EXISTS = "exists in the target"
    CANCELLED = "cancelled"
    LINKED = "hard link to {0}"
    # Files that cannot be copied as they are.
    TEMP_NAMED = "named like a Ferry temp file, which a later run would remove: skipped"
    FIFO = "not a regular file: a named pipe (FIFO), skipped"
    SOCKET = "not a regular file: a socket, skipped"
    CHAR_DEVICE = "not a regular file: a character device, skipped"
    BLOCK_DEVICE = "not a regular file: a block device, skipped"
    NOT_REGULAR = "not a regular file, skipped"
    SPECIAL_NOT_MADE = "a named pipe, socket or device the target cannot make ({0:error}): skipped"
    DEVICE_ON_NODEV = (
        "a device node on a file system mounted nodev, where it may not be used: not made"
    )
    NO_PRIVATE_FOLDER = (
        "not made: the folder it is made in first, where no one else can reach it, was not"
        " this user's (a file system that gives new entries another owner, or another"
        " user's doing)"
    )
    BROKEN_LINK = "broken symbolic link"
    TOO_MANY_PATHS = "a folder reached by more than 64 paths (links or mounts): not copied again"
    LINK_LOOP = "a loop: this folder is one of its own parents (by a link or a mount)"
    LINK_TO_TARGET = "a symbolic link leads into the target folder: not followed"
    LEFT_SOURCE = "followed a symbolic link out of the source, to {0}"
    VANISHED = "vanished from the source before it could be copied"
    CHANGED = "changed during copy"
    RECOPIED = "changed while it was copied: copied again, as it is now"
    BECAME_LINK = "became a symbolic link during the copy"
    FOLDER_REPLACED = (
        "a folder on its path is not the one the job found there"
        " (replaced, or a link): not followed"
    )
    FOLDER_IN_THE_WAY = "a folder of that name exists in the target"
    FILE_WHERE_FOLDER_GOES = "the target has a file where this folder goes"
    LINK_WHERE_FOLDER_GOES = "the target has a symbolic link where this folder goes"
    SOURCE_WHERE_FOLDER_GOES = (
        "the source folder itself is where this folder goes: its copy would land in the source"
    )
    NAME_CLASH = (
        "another name differs only in case, Unicode form or trailing dots: the target cannot tell"
    )
    NAME_HELD_BY_GONE = (
        "the target holds another copy here, spelled {0}, whose source name is gone; it is"
        " not replaced: rename or remove it in the target to copy this one"
    )
    NAME_APPEARED = "a file of this name appeared in the target during the copy; it was kept"
    NO_FREE_NAME = "no free name for a renamed copy"
    LINKED_COPY_REPLACED = "the copy it should be linked to was replaced in the target"
    FOLDER_NOT_CREATED = "its folder could not be created: {0}"
    # An operating-system error, with what Ferry was doing when it happened.
    CANNOT_LIST_FOLDER = "cannot read the folder: {0:error}"
    CANNOT_READ_ENTRY = "cannot read its details: {0:error}"
    CANNOT_OPEN_FOLDER = "cannot open its folder: {0:error}"
    CANNOT_CREATE_FOLDER = "cannot create folder: {0:error}"
    CANNOT_OPEN_SOURCE = "cannot open the source file: {0:error}"
    CANNOT_READ = "cannot read the source file: {0:error}"
    CANNOT_CREATE = "cannot create the copy: {0:error}"
    CANNOT_WRITE = "cannot write the copy: {0:error}"
    CANNOT_SET_METADATA = "cannot set the copy's permissions or times: {0:error}"
    CANNOT_NAME = "cannot give the copy its name: {0:error}"
    CANNOT_LINK = "cannot create the hard link: {0:error}"
    NAME_NOT_ALLOWED = (
        "the target's file system does not allow this name ({0:error}): vfat and exFAT refuse"
        ' \\ : * ? " < > | and control characters in names'
    )
    NAME_NOT_ASCII = (
        "the target's file system takes names of ASCII letters only (a FAT driver without"
        " Unicode, such as fusefat): this name has others"
    )
    DISK_FULL_FILE = "the target disk is full: {0:error}"
    FILE_TOO_BIG = (
        "larger than the target's file system holds in one file ({0:error}); on FAT32 (vfat)"
        " that is 4 GiB less a byte"
    )
    UNEXPECTED = "unexpected error: {0:error}"
    CANNOT_DELETE = "cannot delete it from the target: {0:error}"
    NEW_IN_TARGET = "changed in the target after the job began: kept"
    MOUNT_POINT_KEPT = "another file system is mounted here: kept"
    CANNOT_REMOVE_SOURCE = "copied, but the source could not be removed: {0:error}"
    # Said of one source a move left where it was (the MOVE_* notices count them).
    STAYED_CHANGED = "the source stayed: it changed after the job began"
    STAYED_COPY_DIFFERS = (
        "the source stayed: its copy in the target, of the same size and time, does not"
        " hold its bytes"
    )
    STAYED_COPY_LACKS = (
        "the source stayed: its copy, already in the target, lacks its owner, permissions,"
        " extended attributes or ACLs"
    )
    STAYED_COPY_GONE = (
        "the source stayed: its copy is no longer in the target as it was copied (gone, or"
        " changed there)"
    )
    STAYED_FOLDER_GONE = (
        "the source stayed: its folder, in the source or the target, was moved or replaced"
        " meanwhile"
    )
    # Said of one file that was copied, but not quite as the source is.
    SETID_DROPPED = "copied without its setuid/setgid bits: its owner or group could not be kept"
    SETID_FROM_NOSUID = (
        "copied without its setuid/setgid bits and file capabilities: its file system is"
        " mounted nosuid, where they do nothing"
    )
    GROUP_DROPPED = "its group could not be kept: group permissions were cleared"
    SPECIAL_BITS_REFUSED = (
        "kept without its setuid, setgid or sticky bit, which the target's file system"
        " refuses ({0:error})"
    )
    TIME_NOT_KEPT = (
        "its time lies beyond the years the target's file system keeps: it has the nearest (in {0})"
    )
    MODE_NOT_KEPT = "its mode could not be set ({0:error}): it has the mode its file system shows"
    OWNER_CHANGED = "the copy's owner differs from the source's"
    SHARED_COPY_RENEWED = (
        "its permissions, group or attributes changed, and its copy has other names: copied"
        " again, not changed in place"
    )
    POWERS_RENEWED = (
        "its source gained a setuid or setgid bit or a file capability: copied again, as"
        " these are never added to a copy in place"
    )
    MOVED_IN_PLACE = "moved within its disk: no data had to be copied"
    # Copied over what the target held at its name (conflicts.replaced_why): said, so a
    # log tells what was overwritten, not only what was new.
    REPLACED_OLDER = "replaced the target's older file of this name"
    REPLACED_NEWER = "replaced the target's newer file of this name, as chosen for existing files"
    REPLACED_SAME_TIME = "replaced the target's file of this name and the same time"
    REPLACED_OTHER_TYPE = (
        "replaced what the target held at this name, an entry of another type: {0}"
    )
    # What type of entry a reason names (REPLACED_OTHER_TYPE's argument: conflicts.kind_of).
    KIND_FILE = "a file"
    KIND_FOLDER = "a folder"
    KIND_LINK = "a symbolic link"
    KIND_FIFO = "a named pipe (FIFO)"
    KIND_SOCKET = "a socket"
    KIND_CHAR_DEVICE = "a character device"
    KIND_BLOCK_DEVICE = "a block device"
    KIND_UNKNOWN = "an entry of a type this system does not name"
    COPIED_UNLINKED = (
        "copied as a file of its own: the target cannot hard-link it to {0} ({1:error})"
    )
    # Verification: read back from the device and compared.
    VERIFY_MISMATCH = (
        "verification failed: the copy on disk differs from the source ({0}); it was left in place"
    )
    MANIFEST_MISMATCH = "differs from the manifest ({0})"
    VERIFY_MISSING = "missing from the folder"
    NOT_A_FILE = "not a regular file: nothing to compare"
    NOT_A_FOLDER_ON_PATH = "a link or a file stands for a folder on its path: not followed"
    CANNOT_VERIFY = "cannot read it back: {0:error}"
    # Matched, as read through the system's cache: not proven from the disk (fromdisk.py).
    READ_THROUGH_CACHE = (
        "the same, compared through the system's cache only, not read from the disk"
    )
    MANIFEST_NOT_WRITTEN = "The checksum manifest could not be written: {0:error}"
    # `ferry verify`: a manifest or folder it cannot check at all (nothing was checked).
    MANIFEST_UNREADABLE = "cannot read {0}: {1:error}"
    MANIFEST_NOT_REGULAR = "cannot read {0}: not a regular file"
    MANIFEST_BAD_LINE = "line {0}: {1}"
    MANIFEST_LINE_TOO_LONG = "a line longer than {0} bytes"
    MANIFEST_NOT_A_LINE = "not a {0} checksum line"
    MANIFEST_NUL_IN_NAME = "a file name holds a NUL byte"
    MANIFEST_PATH_OUTSIDE = "a path that leads out of the folder (absolute, or ..)"
    MANIFEST_PATH_IS_FOLDER = "a path that names a folder, not a file"
    MANIFEST_BAD_ESCAPE = "bad escape in a file name"
    MANIFEST_OTHER_HASH = "Ferry reads sha256, b3 and xxh128 checksums, not {0}"
    MANIFEST_LISTS_NOTHING = "the manifest lists no files, but the folder holds some"
    VERIFY_NOT_A_FOLDER = "not a folder: {0}"
    VERIFY_FOLDER_UNREADABLE = "cannot open the folder {0}: {1:error}"
    STALE_TEMP = "left behind by an interrupted run of Ferry"
    # Worker trouble.
    WORKER_DIED = "its worker process died while copying it (tried twice)"
    WORKER_ERROR = "worker error: {0}"
    # Notices: said once per job.
    SCAN_STOPPED = "Scanning stopped early: {0}"
    SCAN_ABANDONED = "The scan did not answer (a hung folder?) and was abandoned."
    CHANNEL_LOST = "Progress channel lost ({0}); job stopped."
    WORKER_DIED_RETRYING = "A worker process ({0}) died; its files are being retried."
    DISK_FULL = "The target disk is full: no new files were started."
    POOL_ABANDONED = "A worker pool did not shut down in time and was abandoned."
    FOLDER_METADATA = "{0}: cannot set folder owner, mode or time: {1:error}"
    # Counts stand after a colon, as in NOT_HARD_LINKED: "1 folders" never reads.
    FOLDERS_KEPT_OWN = (
        "Folders found in the target that kept their own owner, mode and times, as each"
        " belongs to another user than its source folder and so may not be its copy: {0}"
        " (the first: {1})"
    )
    FOLDERS_GROUP_DROPPED = (
        "Folders that could not keep their group, so their group permissions were cleared:"
        " {0} (the first: {1})"
    )
    FOLDERS_SPECIAL_BITS_REFUSED = (
        "Folders kept without their setuid, setgid or sticky bit, which the target's file"
        " system refuses: {0} (the first: {1})"
    )
    MODES_NOT_KEPT = (
        "The target's file system sets no modes ({0:error}): copies have the modes it"
        " shows (the first: {1})"
    )
    NOT_HARD_LINKED = (
        "Names of hard-linked files copied as files of their own, as the target cannot"
        " hard-link them: {0} (the first: {1})"
    )
    TARGET_FOLDERS_UNSEEN = (
        "Target folders of yours that this plan could not look into, as their mode does"
        " not let you enter them: {0} (the first: {1}). The copy opens them to you, and may"
        " then replace files there, or a mirror delete them, that this plan does not list."
    )
    XATTRS_NOT_KEPT = (
        "Extended attributes or ACLs could not be kept (entries: {0}; the first error: {1:error})"
    )
    STOPPED = "Stopped (files written: {0}): {1}"
    MOVE_SOURCE_CHANGED = (
        "Source files that stayed, as they changed after the job began: {0} (the first: {1})."
    )
    MOVE_COPY_DIFFERS = (
        "Source files that stayed, as their copies in the target, of the same size and time,"
        " do not hold their bytes: {0} (the first: {1})."
    )
    MOVE_COPY_LACKS = (
        "Source files that stayed, as their copies, already in the target, lack their owner,"
        " permissions, extended attributes or ACLs: {0} (the first: {1}). To move them, move"
        " again replacing existing files (--on-conflict overwrite; in the window, When a file"
        " exists: Replace)."
    )
    MOVE_COPY_GONE = (
        "Source files that stayed, as their copies are no longer in the target as they were"
        " copied (gone, or changed there): {0} (the first: {1})."
    )
    MOVE_FOLDER_GONE = (
        "Source files that stayed, as their folder, in the source or the target, was moved"
        " or replaced meanwhile: {0} (the first: {1})."
    )
    NOT_FLUSHED = (
        "The copies could not be written out to the disk ({0:error}): they may not all be there."
    )


class Reason(NamedTuple):
    """A code and its arguments (text, numbers, or a nested Reason)."""

    code: Code
    args: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return _ENGLISH.format(self.code.value, *self.args)


# The target holds the source's data: listed in manifests, joined by second names.
UP_TO_DATE_CODES = (
    Code.UP_TO_DATE,
    Code.METADATA_REFRESHED,
    Code.OWNER_NOT_RENEWED,
    Code.SAME_CONTENT,
    Code.COPY_LACKS_METADATA,
)


# A copy written over the target's entry of that name (status copied, all the same).
REPLACED_CODES = (
    Code.REPLACED_OLDER,
    Code.REPLACED_NEWER,
    Code.REPLACED_SAME_TIME,
    Code.REPLACED_OTHER_TYPE,
)


# A source a move left where it was (its result's reason, said after the move).
STAYED_CODES = (
    Code.STAYED_CHANGED,
    Code.STAYED_COPY_DIFFERS,
    Code.STAYED_COPY_LACKS,
    Code.STAYED_COPY_GONE,
    Code.STAYED_FOLDER_GONE,
)


def replaced(why: Reason | None) -> bool:
    """Whether a result says its copy took the place of what the target held."""
    return why is not None and why.code in REPLACED_CODES


def up_to_date(why: Reason | None) -> bool:
    """Whether a result says its target already holds the source's data (as copied)."""
    return why is not None and why.code in UP_TO_DATE_CODES


def frees_the_source(why: Reason | None) -> bool:
    """up_to_date, and a copy a move may remove the source of: not one kept for its old
    owner (OWNER_NOT_RENEWED), which the source's new owner does not own, nor one that
    lacks its source's metadata (COPY_LACKS_METADATA)."""
    return up_to_date(why) and why is not None and why.code not in _KEEPS_THE_SOURCE


_KEEPS_THE_SOURCE = (Code.OWNER_NOT_RENEWED, Code.COPY_LACKS_METADATA)


def reason(code: Code, *args: Any) -> Reason:
    return Reason(code, args)


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


class _English(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "size":
            return human_bytes(value)
        if format_spec == "count":
            return f"{value:,}"
        return str(value)  # a Reason in its English, an error text as it is


_ENGLISH = _English()
