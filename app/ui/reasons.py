"""The engine's reasons, refusals and notices in the window's language, by reason code."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.events import printable
from app.core.reasons import Code, Reason
from app.ui.format import QT_TRANSLATE_NOOP, fill, human_bytes, human_count
from app.ui.os_errors import os_error_text

# app/core says why in codes with arguments and renders English for the CLI, JSON and
# CSV; the window translates the code instead. Every code has its template here, the
# engine's English with %1, %2... (tests/ui/test_engine_text.py checks both match).
# lupdate only reads string literals, hence the repeated context name.
CONTEXT = "EngineText"


TEMPLATES: dict[Code, str] = {
    Code.NO_SOURCE: QT_TRANSLATE_NOOP("EngineText", "No source folder given (the path is empty)."),
    Code.NO_TARGET: QT_TRANSLATE_NOOP("EngineText", "No target folder given (the path is empty)."),
    Code.PATH_HOLDS_NUL: QT_TRANSLATE_NOOP(
        "EngineText", "A folder's path holds a NUL character, which no path may hold: %1"
    ),
    Code.SOURCE_MISSING: QT_TRANSLATE_NOOP("EngineText", "Source folder does not exist: %1"),
    Code.SOURCE_NOT_FOLDER: QT_TRANSLATE_NOOP("EngineText", "Source is not a folder: %1"),
    Code.SOURCE_UNREADABLE: QT_TRANSLATE_NOOP(
        "EngineText", "Cannot read the source folder: %1 (%2)"
    ),
    Code.TARGET_NOT_FOLDER: QT_TRANSLATE_NOOP(
        "EngineText", "Target exists and is not a folder: %1"
    ),
    Code.TARGET_IS_SOURCE: QT_TRANSLATE_NOOP("EngineText", "Target is the source folder itself."),
    Code.TARGET_INSIDE_SOURCE: QT_TRANSLATE_NOOP(
        "EngineText", "Target is inside the source folder; the copy would never end."
    ),
    Code.TARGET_NOT_WRITABLE: QT_TRANSLATE_NOOP("EngineText", "Target folder is not writable: %1"),
    Code.MIRROR_INTO_SYSTEM: QT_TRANSLATE_NOOP(
        "EngineText",
        "A mirror deletes what the source does not have: not in a system folder, a home"
        " folder or what holds one (%1). Choose or make a folder of its own for it (such"
        " as ~/Backup, or a folder on the backup disk).",
    ),
    Code.TARGET_NOT_CREATED: QT_TRANSLATE_NOOP("EngineText", "Cannot create the target folder: %1"),
    Code.TARGET_REPLACED: QT_TRANSLATE_NOOP(
        "EngineText",
        "The target folder was replaced while it was being opened (by a link, or another"
        " folder): %1",
    ),
    Code.TARGET_LINK_OF_ANOTHER: QT_TRANSLATE_NOOP(
        "EngineText",
        "A link on the target's path was made by another user, or sits in a folder another"
        " user may change: it could lead the copy anywhere. Name the folder it leads to"
        " instead: %1",
    ),
    Code.TARGET_BUSY: QT_TRANSLATE_NOOP(
        "EngineText",
        "Another copy is writing into this target folder, or into a folder above or"
        " inside it; start this one when it has ended.",
    ),
    Code.MANIFEST_LINK_OF_ANOTHER: QT_TRANSLATE_NOOP(
        "EngineText",
        "A link on the checksum file's path was made by another user, or sits in a folder"
        " another user may change: name its folder itself: %1",
    ),
    Code.MANIFEST_HOLDS_NUL: QT_TRANSLATE_NOOP(
        "EngineText",
        "The checksum file's path holds a NUL character, which no path may hold: %1",
    ),
    Code.MANIFEST_NOT_A_FILE: QT_TRANSLATE_NOOP(
        "EngineText",
        "Something other than a regular file holds the checksum file's name (a device, a"
        " link, a pipe): %1",
    ),
    Code.MANIFEST_OVER_COPY: QT_TRANSLATE_NOOP(
        "EngineText",
        "The checksum file would replace the copy of %1: save the checksums under another name.",
    ),
    Code.MANIFEST_IN_SOURCE: QT_TRANSLATE_NOOP(
        "EngineText",
        "The checksum file would be written inside the source folder (%1): save it elsewhere.",
    ),
    Code.NO_SPACE: QT_TRANSLATE_NOOP(
        "EngineText", "Not enough space in the target: %1 to write, %2 free."
    ),
    Code.NO_SPACE_SO_FAR: QT_TRANSLATE_NOOP(
        "EngineText",
        "Not enough space: the files found so far need more than the %2 free (at least %1:"
        " the count stops at the first byte too many).",
    ),
    Code.NO_INODES: QT_TRANSLATE_NOOP(
        "EngineText",
        "Not enough room for new files in the target: %1 files and folders to make, but its"
        " file system can make only %2 more (it has no inodes for more, whatever space is"
        " free).",
    ),
    Code.NO_INODES_SO_FAR: QT_TRANSLATE_NOOP(
        "EngineText",
        "Not enough room for new files in the target: its file system can make only %2 more"
        " files and folders (it has no inodes for more, whatever space is free), and the"
        " source holds more: %1 found so far.",
    ),
    Code.UP_TO_DATE: QT_TRANSLATE_NOOP("EngineText", "already up to date"),
    Code.TEMP_NAMED: QT_TRANSLATE_NOOP(
        "EngineText", "named like a Ferry temp file, which a later run would remove: skipped"
    ),
    Code.METADATA_REFRESHED: QT_TRANSLATE_NOOP(
        "EngineText", "already up to date; its mode, group and attributes set again"
    ),
    Code.METADATA_TO_REFRESH: QT_TRANSLATE_NOOP(
        "EngineText", "already up to date; its mode, group and attributes to set again"
    ),
    Code.TARGET_NEWER: QT_TRANSLATE_NOOP("EngineText", "target is newer, kept"),
    Code.COPY_LACKS_METADATA: QT_TRANSLATE_NOOP(
        "EngineText",
        "already up to date, but its copy lacks the source's owner, permissions, extended"
        " attributes or ACLs: the source would stay",
    ),
    Code.OWNER_NOT_RENEWED: QT_TRANSLATE_NOOP(
        "EngineText",
        "the copy's owner differs from the source's; kept: no room to write a new copy first",
    ),
    Code.SAME_CONTENT: QT_TRANSLATE_NOOP("EngineText", "the target's file has the same content"),
    Code.EXISTS: QT_TRANSLATE_NOOP("EngineText", "exists in the target"),
    Code.CANCELLED: QT_TRANSLATE_NOOP("EngineText", "cancelled"),
    Code.LINKED: QT_TRANSLATE_NOOP("EngineText", "hard link to %1"),
    Code.FIFO: QT_TRANSLATE_NOOP("EngineText", "not a regular file: a named pipe (FIFO), skipped"),
    Code.SOCKET: QT_TRANSLATE_NOOP("EngineText", "not a regular file: a socket, skipped"),
    Code.CHAR_DEVICE: QT_TRANSLATE_NOOP(
        "EngineText", "not a regular file: a character device, skipped"
    ),
    Code.BLOCK_DEVICE: QT_TRANSLATE_NOOP(
        "EngineText", "not a regular file: a block device, skipped"
    ),
    Code.NOT_REGULAR: QT_TRANSLATE_NOOP("EngineText", "not a regular file, skipped"),
    Code.SPECIAL_NOT_MADE: QT_TRANSLATE_NOOP(
        "EngineText", "a named pipe, socket or device the target cannot make (%1): skipped"
    ),
    Code.SETID_FROM_NOSUID: QT_TRANSLATE_NOOP(
        "EngineText",
        "copied without its setuid/setgid bits and file capabilities: its file system is"
        " mounted nosuid, where they do nothing",
    ),
    Code.DEVICE_ON_NODEV: QT_TRANSLATE_NOOP(
        "EngineText",
        "a device node on a file system mounted nodev, where it may not be used: not made",
    ),
    Code.NO_PRIVATE_FOLDER: QT_TRANSLATE_NOOP(
        "EngineText",
        "not made: the folder it is made in first, where no one else can reach it, was not"
        " this user's (a file system that gives new entries another owner, or another"
        " user's doing)",
    ),
    Code.BROKEN_LINK: QT_TRANSLATE_NOOP("EngineText", "broken symbolic link"),
    Code.TOO_MANY_PATHS: QT_TRANSLATE_NOOP(
        "EngineText",
        "a folder reached by more than 64 paths (links or mounts): not copied again",
    ),
    Code.LINK_LOOP: QT_TRANSLATE_NOOP(
        "EngineText", "a loop: this folder is one of its own parents (by a link or a mount)"
    ),
    Code.LINK_TO_TARGET: QT_TRANSLATE_NOOP(
        "EngineText", "a symbolic link leads into the target folder: not followed"
    ),
    Code.LEFT_SOURCE: QT_TRANSLATE_NOOP(
        "EngineText", "followed a symbolic link out of the source, to %1"
    ),
    Code.VANISHED: QT_TRANSLATE_NOOP(
        "EngineText", "vanished from the source before it could be copied"
    ),
    Code.CHANGED: QT_TRANSLATE_NOOP("EngineText", "changed during copy"),
    Code.BECAME_LINK: QT_TRANSLATE_NOOP("EngineText", "became a symbolic link during the copy"),
    Code.FOLDER_REPLACED: QT_TRANSLATE_NOOP(
        "EngineText",
        "a folder on its path is not the one the job found there"
        " (replaced, or a link): not followed",
    ),
    Code.FOLDER_IN_THE_WAY: QT_TRANSLATE_NOOP(
        "EngineText", "a folder of that name exists in the target"
    ),
    Code.FILE_WHERE_FOLDER_GOES: QT_TRANSLATE_NOOP(
        "EngineText", "the target has a file where this folder goes"
    ),
    Code.SOURCE_WHERE_FOLDER_GOES: QT_TRANSLATE_NOOP(
        "EngineText",
        "the source folder itself is where this folder goes: its copy would land in the source",
    ),
    Code.LINK_WHERE_FOLDER_GOES: QT_TRANSLATE_NOOP(
        "EngineText", "the target has a symbolic link where this folder goes"
    ),
    Code.NAME_CLASH: QT_TRANSLATE_NOOP(
        "EngineText",
        "another name differs only in case, Unicode form or trailing dots: the target cannot tell",
    ),
    Code.NAME_HELD_BY_GONE: QT_TRANSLATE_NOOP(
        "EngineText",
        "the target holds another copy here, spelled %1, whose source name is gone; it is"
        " not replaced: rename or remove it in the target to copy this one",
    ),
    Code.NAME_APPEARED: QT_TRANSLATE_NOOP(
        "EngineText", "a file of this name appeared in the target during the copy; it was kept"
    ),
    Code.NO_FREE_NAME: QT_TRANSLATE_NOOP("EngineText", "no free name for a renamed copy"),
    Code.LINKED_COPY_REPLACED: QT_TRANSLATE_NOOP(
        "EngineText", "the copy it should be linked to was replaced in the target"
    ),
    Code.FOLDER_NOT_CREATED: QT_TRANSLATE_NOOP("EngineText", "its folder could not be created: %1"),
    Code.CANNOT_LIST_FOLDER: QT_TRANSLATE_NOOP("EngineText", "cannot read the folder: %1"),
    Code.CANNOT_READ_ENTRY: QT_TRANSLATE_NOOP("EngineText", "cannot read its details: %1"),
    Code.CANNOT_OPEN_FOLDER: QT_TRANSLATE_NOOP("EngineText", "cannot open its folder: %1"),
    Code.CANNOT_CREATE_FOLDER: QT_TRANSLATE_NOOP("EngineText", "cannot create folder: %1"),
    Code.CANNOT_OPEN_SOURCE: QT_TRANSLATE_NOOP("EngineText", "cannot open the source file: %1"),
    Code.CANNOT_READ: QT_TRANSLATE_NOOP("EngineText", "cannot read the source file: %1"),
    Code.CANNOT_CREATE: QT_TRANSLATE_NOOP("EngineText", "cannot create the copy: %1"),
    Code.CANNOT_WRITE: QT_TRANSLATE_NOOP("EngineText", "cannot write the copy: %1"),
    Code.CANNOT_SET_METADATA: QT_TRANSLATE_NOOP(
        "EngineText", "cannot set the copy's permissions or times: %1"
    ),
    Code.CANNOT_NAME: QT_TRANSLATE_NOOP("EngineText", "cannot give the copy its name: %1"),
    Code.CANNOT_LINK: QT_TRANSLATE_NOOP("EngineText", "cannot create the hard link: %1"),
    Code.NAME_NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "EngineText",
        "the target's file system does not allow this name (%1): vfat and exFAT refuse"
        ' \\ : * ? " < > | and control characters in names',
    ),
    Code.NAME_NOT_ASCII: QT_TRANSLATE_NOOP(
        "EngineText",
        "the target's file system takes names of ASCII letters only (a FAT driver without"
        " Unicode, such as fusefat): this name has others",
    ),
    Code.DISK_FULL_FILE: QT_TRANSLATE_NOOP("EngineText", "the target disk is full: %1"),
    Code.FILE_TOO_BIG: QT_TRANSLATE_NOOP(
        "EngineText",
        "larger than the target's file system holds in one file (%1); on FAT32 (vfat)"
        " that is 4 GiB less a byte",
    ),
    Code.UNEXPECTED: QT_TRANSLATE_NOOP("EngineText", "unexpected error: %1"),
    Code.CANNOT_DELETE: QT_TRANSLATE_NOOP("EngineText", "cannot delete it from the target: %1"),
    Code.NEW_IN_TARGET: QT_TRANSLATE_NOOP(
        "EngineText", "changed in the target after the job began: kept"
    ),
    Code.MOUNT_POINT_KEPT: QT_TRANSLATE_NOOP(
        "EngineText", "another file system is mounted here: kept"
    ),
    Code.CANNOT_REMOVE_SOURCE: QT_TRANSLATE_NOOP(
        "EngineText", "copied, but the source could not be removed: %1"
    ),
    Code.STAYED_CHANGED: QT_TRANSLATE_NOOP(
        "EngineText", "the source stayed: it changed after the job began"
    ),
    Code.STAYED_COPY_DIFFERS: QT_TRANSLATE_NOOP(
        "EngineText",
        "the source stayed: its copy in the target, of the same size and time, does not"
        " hold its bytes",
    ),
    Code.STAYED_COPY_LACKS: QT_TRANSLATE_NOOP(
        "EngineText",
        "the source stayed: its copy, already in the target, lacks its owner, permissions,"
        " extended attributes or ACLs",
    ),
    Code.STAYED_COPY_GONE: QT_TRANSLATE_NOOP(
        "EngineText",
        "the source stayed: its copy is no longer in the target as it was copied (gone, or"
        " changed there)",
    ),
    Code.STAYED_FOLDER_GONE: QT_TRANSLATE_NOOP(
        "EngineText",
        "the source stayed: its folder, in the source or the target, was moved or replaced"
        " meanwhile",
    ),
    Code.SETID_DROPPED: QT_TRANSLATE_NOOP(
        "EngineText", "copied without its setuid/setgid bits: its owner or group could not be kept"
    ),
    Code.GROUP_DROPPED: QT_TRANSLATE_NOOP(
        "EngineText", "its group could not be kept: group permissions were cleared"
    ),
    Code.SPECIAL_BITS_REFUSED: QT_TRANSLATE_NOOP(
        "EngineText",
        "kept without its setuid, setgid or sticky bit, which the target's file system"
        " refuses (%1)",
    ),
    Code.TIME_NOT_KEPT: QT_TRANSLATE_NOOP(
        "EngineText",
        "its time lies beyond the years the target's file system keeps: it has the nearest (in %1)",
    ),
    Code.MODE_NOT_KEPT: QT_TRANSLATE_NOOP(
        "EngineText", "its mode could not be set (%1): it has the mode its file system shows"
    ),
    Code.RECOPIED: QT_TRANSLATE_NOOP(
        "EngineText", "changed while it was copied: copied again, as it is now"
    ),
    Code.OWNER_CHANGED: QT_TRANSLATE_NOOP(
        "EngineText", "the copy's owner differs from the source's"
    ),
    Code.SHARED_COPY_RENEWED: QT_TRANSLATE_NOOP(
        "EngineText",
        "its permissions, group or attributes changed, and its copy has other names: copied"
        " again, not changed in place",
    ),
    Code.POWERS_RENEWED: QT_TRANSLATE_NOOP(
        "EngineText",
        "its source gained a setuid or setgid bit or a file capability: copied again, as"
        " these are never added to a copy in place",
    ),
    Code.MOVED_IN_PLACE: QT_TRANSLATE_NOOP(
        "EngineText", "moved within its disk: no data had to be copied"
    ),
    Code.REPLACED_OLDER: QT_TRANSLATE_NOOP(
        "EngineText", "replaced the target's older file of this name"
    ),
    Code.REPLACED_NEWER: QT_TRANSLATE_NOOP(
        "EngineText", "replaced the target's newer file of this name, as chosen for existing files"
    ),
    Code.REPLACED_SAME_TIME: QT_TRANSLATE_NOOP(
        "EngineText", "replaced the target's file of this name and the same time"
    ),
    Code.REPLACED_OTHER_TYPE: QT_TRANSLATE_NOOP(
        "EngineText", "replaced what the target held at this name, an entry of another type: %1"
    ),
    Code.KIND_FILE: QT_TRANSLATE_NOOP("EngineText", "a file"),
    Code.KIND_FOLDER: QT_TRANSLATE_NOOP("EngineText", "a folder"),
    Code.KIND_LINK: QT_TRANSLATE_NOOP("EngineText", "a symbolic link"),
    Code.KIND_FIFO: QT_TRANSLATE_NOOP("EngineText", "a named pipe (FIFO)"),
    Code.KIND_SOCKET: QT_TRANSLATE_NOOP("EngineText", "a socket"),
    Code.KIND_CHAR_DEVICE: QT_TRANSLATE_NOOP("EngineText", "a character device"),
    Code.KIND_BLOCK_DEVICE: QT_TRANSLATE_NOOP("EngineText", "a block device"),
    Code.KIND_UNKNOWN: QT_TRANSLATE_NOOP(
        "EngineText", "an entry of a type this system does not name"
    ),
    Code.COPIED_UNLINKED: QT_TRANSLATE_NOOP(
        "EngineText", "copied as a file of its own: the target cannot hard-link it to %1 (%2)"
    ),
    Code.VERIFY_MISMATCH: QT_TRANSLATE_NOOP(
        "EngineText",
        "verification failed: the copy on disk differs from the source (%1); it was left in place",
    ),
    Code.MANIFEST_MISMATCH: QT_TRANSLATE_NOOP("EngineText", "differs from the manifest (%1)"),
    Code.VERIFY_MISSING: QT_TRANSLATE_NOOP("EngineText", "missing from the folder"),
    Code.NOT_A_FILE: QT_TRANSLATE_NOOP("EngineText", "not a regular file: nothing to compare"),
    Code.NOT_A_FOLDER_ON_PATH: QT_TRANSLATE_NOOP(
        "EngineText", "a link or a file stands for a folder on its path: not followed"
    ),
    Code.CANNOT_VERIFY: QT_TRANSLATE_NOOP("EngineText", "cannot read it back: %1"),
    Code.READ_THROUGH_CACHE: QT_TRANSLATE_NOOP(
        "EngineText",
        "the same, compared through the system's cache only, not read from the disk",
    ),
    Code.MANIFEST_NOT_WRITTEN: QT_TRANSLATE_NOOP(
        "EngineText", "The checksum manifest could not be written: %1"
    ),
    Code.MANIFEST_UNREADABLE: QT_TRANSLATE_NOOP("EngineText", "cannot read %1: %2"),
    Code.MANIFEST_NOT_REGULAR: QT_TRANSLATE_NOOP(
        "EngineText", "cannot read %1: not a regular file"
    ),
    Code.MANIFEST_BAD_LINE: QT_TRANSLATE_NOOP("EngineText", "line %1: %2"),
    Code.MANIFEST_LINE_TOO_LONG: QT_TRANSLATE_NOOP("EngineText", "a line longer than %1 bytes"),
    Code.MANIFEST_NOT_A_LINE: QT_TRANSLATE_NOOP("EngineText", "not a %1 checksum line"),
    Code.MANIFEST_NUL_IN_NAME: QT_TRANSLATE_NOOP("EngineText", "a file name holds a NUL byte"),
    Code.MANIFEST_PATH_OUTSIDE: QT_TRANSLATE_NOOP(
        "EngineText", "a path that leads out of the folder (absolute, or ..)"
    ),
    Code.MANIFEST_PATH_IS_FOLDER: QT_TRANSLATE_NOOP(
        "EngineText", "a path that names a folder, not a file"
    ),
    Code.MANIFEST_BAD_ESCAPE: QT_TRANSLATE_NOOP("EngineText", "bad escape in a file name"),
    Code.MANIFEST_OTHER_HASH: QT_TRANSLATE_NOOP(
        "EngineText", "Ferry reads sha256, b3 and xxh128 checksums, not %1"
    ),
    Code.MANIFEST_LISTS_NOTHING: QT_TRANSLATE_NOOP(
        "EngineText", "the manifest lists no files, but the folder holds some"
    ),
    Code.VERIFY_NOT_A_FOLDER: QT_TRANSLATE_NOOP("EngineText", "not a folder: %1"),
    Code.VERIFY_FOLDER_UNREADABLE: QT_TRANSLATE_NOOP("EngineText", "cannot open the folder %1: %2"),
    Code.STALE_TEMP: QT_TRANSLATE_NOOP("EngineText", "left behind by an interrupted run of Ferry"),
    Code.WORKER_DIED: QT_TRANSLATE_NOOP(
        "EngineText", "its worker process died while copying it (tried twice)"
    ),
    Code.WORKER_ERROR: QT_TRANSLATE_NOOP("EngineText", "worker error: %1"),
    Code.SCAN_STOPPED: QT_TRANSLATE_NOOP("EngineText", "Scanning stopped early: %1"),
    Code.SCAN_ABANDONED: QT_TRANSLATE_NOOP(
        "EngineText", "The scan did not answer (a hung folder?) and was abandoned."
    ),
    Code.CHANNEL_LOST: QT_TRANSLATE_NOOP("EngineText", "Progress channel lost (%1); job stopped."),
    Code.WORKER_DIED_RETRYING: QT_TRANSLATE_NOOP(
        "EngineText", "A worker process (%1) died; its files are being retried."
    ),
    Code.DISK_FULL: QT_TRANSLATE_NOOP(
        "EngineText", "The target disk is full: no new files were started."
    ),
    Code.POOL_ABANDONED: QT_TRANSLATE_NOOP(
        "EngineText", "A worker pool did not shut down in time and was abandoned."
    ),
    Code.FOLDER_METADATA: QT_TRANSLATE_NOOP(
        "EngineText", "%1: cannot set folder owner, mode or time: %2"
    ),
    Code.FOLDERS_KEPT_OWN: QT_TRANSLATE_NOOP(
        "EngineText",
        "Folders found in the target that kept their own owner, mode and times, as each"
        " belongs to another user than its source folder and so may not be its copy: %1"
        " (the first: %2)",
    ),
    Code.FOLDERS_GROUP_DROPPED: QT_TRANSLATE_NOOP(
        "EngineText",
        "Folders that could not keep their group, so their group permissions were cleared:"
        " %1 (the first: %2)",
    ),
    Code.FOLDERS_SPECIAL_BITS_REFUSED: QT_TRANSLATE_NOOP(
        "EngineText",
        "Folders kept without their setuid, setgid or sticky bit, which the target's file"
        " system refuses: %1 (the first: %2)",
    ),
    Code.MODES_NOT_KEPT: QT_TRANSLATE_NOOP(
        "EngineText",
        "The target's file system sets no modes (%1): copies have the modes it"
        " shows (the first: %2)",
    ),
    Code.NOT_HARD_LINKED: QT_TRANSLATE_NOOP(
        "EngineText",
        "Names of hard-linked files copied as files of their own, as the target cannot"
        " hard-link them: %1 (the first: %2)",
    ),
    Code.TARGET_FOLDERS_UNSEEN: QT_TRANSLATE_NOOP(
        "EngineText",
        "Target folders of yours that this plan could not look into, as their mode does"
        " not let you enter them: %1 (the first: %2). The copy opens them to you, and may"
        " then replace files there, or a mirror delete them, that this plan does not list.",
    ),
    Code.XATTRS_NOT_KEPT: QT_TRANSLATE_NOOP(
        "EngineText",
        "Extended attributes or ACLs could not be kept (entries: %1; the first error: %2)",
    ),
    Code.STOPPED: QT_TRANSLATE_NOOP("EngineText", "Stopped (files written: %1): %2"),
    Code.MOVE_SOURCE_CHANGED: QT_TRANSLATE_NOOP(
        "EngineText",
        "Source files that stayed, as they changed after the job began: %1 (the first: %2).",
    ),
    Code.MOVE_COPY_DIFFERS: QT_TRANSLATE_NOOP(
        "EngineText",
        "Source files that stayed, as their copies in the target, of the same size and time,"
        " do not hold their bytes: %1 (the first: %2).",
    ),
    Code.MOVE_COPY_LACKS: QT_TRANSLATE_NOOP(
        "EngineText",
        "Source files that stayed, as their copies, already in the target, lack their owner,"
        " permissions, extended attributes or ACLs: %1 (the first: %2). To move them, move"
        " again replacing existing files (--on-conflict overwrite; in the window, When a file"
        " exists: Replace).",
    ),
    Code.MOVE_COPY_GONE: QT_TRANSLATE_NOOP(
        "EngineText",
        "Source files that stayed, as their copies are no longer in the target as they were"
        " copied (gone, or changed there): %1 (the first: %2).",
    ),
    Code.MOVE_FOLDER_GONE: QT_TRANSLATE_NOOP(
        "EngineText",
        "Source files that stayed, as their folder, in the source or the target, was moved"
        " or replaced meanwhile: %1 (the first: %2).",
    ),
    Code.NOT_FLUSHED: QT_TRANSLATE_NOOP(
        "EngineText",
        "The copies could not be written out to the disk (%1): they may not all be there.",
    ),
}
_ARGUMENT = re.compile(r"\{(\d+)(?::(\w+))?\}")


def engine_text(why: Reason | str | None) -> str:
    """A reason from app/core in the window's language ("" for none).

    Only for display: logs written for machines keep the engine's English. Arguments
    that are paths or OS error texts are shown with their control characters and
    bidirectional overrides escaped (events.printable); byte counts as sizes, OS error
    texts in the window's language.
    """
    if why is None:
        return ""
    if isinstance(why, str):  # not the engine's (an exception's text): as it is
        return why
    translated = QCoreApplication.translate(CONTEXT, TEMPLATES[why.code])
    kinds = {int(m.group(1)): m.group(2) for m in _ARGUMENT.finditer(why.code.value)}
    values = [_shown(arg, kinds.get(index)) for index, arg in enumerate(why.args)]
    return fill(translated, *values)  # one pass: a path holding "%2" stays as it is


def _shown(arg: Any, kind: str | None) -> str:
    if isinstance(arg, Reason):
        return engine_text(arg)
    if kind == "size":
        return human_bytes(arg)
    if kind == "count":
        return human_count(arg)
    if kind == "error":
        return printable(os_error_text(str(arg)))
    return printable(str(arg))
