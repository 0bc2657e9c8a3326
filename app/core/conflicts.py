"""The one conflict decision: (policy, source, what the target holds) -> what to do."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

from app.core import devices, metadata, refresh
from app.core.options import ConflictPolicy, TargetFacts
from app.core.reasons import Code, Reason
from app.core.scan import is_device, is_special


class Action(StrEnum):
    COPY = "copy"  # the name is free
    REPLACE = "replace"  # the name holds something older or different: replaced atomically
    RENAME = "rename"  # keep both: the copy goes to "name (2).ext"
    SKIP = "skip"
    ASK = "ask"  # the caller decides
    FAIL = "fail"


class StatFacts(NamedTuple):
    """What the decision looks at of the source entry: of its lstat, or of what a followed
    link points to. A link's size is its text's length, as the target's lstat says."""

    mode: int
    size: int
    mtime_ns: int
    uid: int
    ctime_ns: int
    nlink: int
    rdev: int = 0  # the device a device node names

    @classmethod
    def of(cls, st: os.stat_result) -> StatFacts:
        return cls(
            st.st_mode,
            st.st_size,
            st.st_mtime_ns,
            st.st_uid,
            st.st_ctime_ns,
            st.st_nlink,
            getattr(st, "st_rdev", 0),
        )


class Decision(NamedTuple):
    action: Action
    why: Reason | None = None


ASKING = (ConflictPolicy.ASK, ConflictPolicy.SKIP_IDENTICAL)  # policies that ask the caller
COPY = Decision(Action.COPY)
_UP_TO_DATE = Decision(Action.SKIP, Reason(Code.UP_TO_DATE))
_OWNER_CHANGED = Decision(Action.REPLACE, Reason(Code.OWNER_CHANGED))
_SHARED_COPY = Decision(Action.REPLACE, Reason(Code.SHARED_COPY_RENEWED))


def heals_link(decision: Decision, policy: ConflictPolicy) -> bool:
    """A second name whose target holds its data, but as a file of its own: linked to the
    first name's copy by the policy that replaces files (skip and keep-both leave what is
    there: it may be someone else's look-alike)."""
    return decision == _UP_TO_DATE and policy is ConflictPolicy.NEWER


def is_copy_of(copy: os.stat_result, source: os.stat_result) -> bool:
    """Whether the file (or link) a second name is to join still looks like its first
    name's copy, and is owned by the source's owner or by this process. In a target folder
    others may write to, a file planted at the first name's copy meanwhile is theirs:
    linking to it would put their data under a name of this copy."""
    owners = (source.st_uid, os.geteuid() if hasattr(os, "geteuid") else source.st_uid)
    return looks_copied(source, copy) and copy.st_uid in owners


def looks_copied(source: os.stat_result, copy: os.stat_result) -> bool:
    """Same type, size and time (same_time), and a device node the same device."""
    return (
        stat.S_IFMT(copy.st_mode) == stat.S_IFMT(source.st_mode)
        and copy.st_size == source.st_size
        and same_time(source.st_mtime_ns, copy)
        and not other_device(source.st_mode, getattr(source, "st_rdev", 0), copy)
    )


def other_device(mode: int, rdev: int, copy: os.stat_result) -> bool:
    """Whether a device node's copy names another device than its source (mode, rdev)."""
    return is_device(mode) and getattr(copy, "st_rdev", 0) != rdev


# How finely the job's target keeps times, by device: the step its file system cuts a
# time set down to (namekeys.probe_target), known before anything is decided.
_time_steps: dict[int, int] = {}


def set_time_steps(steps: dict[int, int]) -> None:
    """What the job found of how finely its target keeps times (a step by device)."""
    _time_steps.clear()
    _time_steps.update(steps)


def add_time_steps(steps: tuple[tuple[int, int], ...]) -> None:
    """(device, step) of file systems met inside the job's target (namekeys.DeviceWays)."""
    _time_steps.update(steps)


def same_time(source_ns: int, copy: os.stat_result) -> bool:
    """Whether a copy's modification time is its source's as its file system keeps it:
    exactly, or cut down to its step (on vfat, a copy of a file saved at 12:00:01.5
    shows 12:00:00). As with rsync's --modify-window there, a file saved again within
    that step of its copy's time, its size kept, is missed."""
    copy_ns = copy.st_mtime_ns
    if source_ns == copy_ns or metadata.kept_within_32_bits(source_ns) == copy_ns:
        return True
    step = _time_steps.get(copy.st_dev, 1)
    return step > 1 and source_ns - source_ns % step == copy_ns


def unshared(
    decision: Decision,
    policy: ConflictPolicy,
    source: os.stat_result,
    copy: os.stat_result | None,
    xattrs_differ: Callable[[], bool] = lambda: False,
) -> Decision:
    """`decision`, or a copy again where an up-to-date copy of a file has other names and
    is not as its source is: other permission bits; as root, another group
    (refresh.other_group); or, where the source changed after its copy did, another
    group, a setuid or setgid bit the copy lacks (never added in place:
    refresh.lacks_powers) or other xattrs and ACLs (`xattrs_differ`, asked only then, as
    few files are). Set in place, they would reach those names too: another source
    file's, where a hard link was broken in the source (the file made private, say: its
    old partner's copy would turn private, then back, and then both files' names joined
    the copy), or a snapshot's (`cp -al`). Only by the policy that replaces files (skip
    and keep-both leave what is there), where the file system keeps modes (else every
    run would copy it again), and never the source's own inode (a move within one disk)."""
    if (
        decision == _UP_TO_DATE
        and policy is ConflictPolicy.NEWER
        and copy is not None
        and copy.st_nlink > 1
        and (stat.S_ISREG(copy.st_mode) or is_special(copy.st_mode))
        and copy.st_uid == source.st_uid  # (as refresh.stale: another's is not looked into)
        and (copy.st_dev, copy.st_ino) != (source.st_dev, source.st_ino)
        and (
            refresh.other_permissions(source, copy)
            or refresh.other_group(source, copy)
            or (
                refresh.changed_since(source.st_ctime_ns, source.st_mtime_ns, copy)
                and (
                    copy.st_gid != source.st_gid
                    or refresh.setid_gained(source, copy)
                    or xattrs_differ()
                )
            )
        )
        and devices.keeps_modes(copy.st_dev)
    ):
        return _SHARED_COPY
    return decision


def refreshes_kept(source: os.stat_result, copy: os.stat_result) -> bool:
    """Keep both, once more: whether the numbered copy an earlier run made of this file
    (naming.kept_before) is to have its mode, group or xattrs set again, as `refreshes`
    has it of a copy at the source's own name (a source made private stayed readable by
    all in it, review of stop 37). Only a copy of one name: set in place, they would
    reach a snapshot's name too (unshared says why; keep-both never replaces)."""
    return copy.st_nlink == 1 and refreshes(_UP_TO_DATE, source, copy)


def refreshes(decision: Decision, source: os.stat_result, target: os.stat_result | None) -> bool:
    """Up to date, but the copy's mode, group or xattrs are to be set again: a regular
    or special file whose source changed them since (refresh.stale). A special file is
    made again (it holds no data); a link has no mode."""
    return (
        decision == _UP_TO_DATE
        and target is not None
        and (stat.S_ISREG(source.st_mode) or is_special(source.st_mode))
        and (refresh.stale(source, target) or refresh.narrowed(source, target))
    )


def owner_changed(source: StatFacts, copy: os.stat_result) -> bool:
    """An up-to-date copy of a file, link or special file not owned by its source's owner, where
    this process made its copies its sources' owners' (devices.gives_away), and the
    source changed since the copy (a chown changes its ctime).

    Copied again rather than chowned in place: the copy belongs to its owner, who may have
    written into it; a new copy holds the source's data, with the source's owner. Its
    ctime is then newer than the source's: once (refresh.changed_since). A file with
    several names too: its other names are linked to the new copy (heals_link).
    """
    return (
        copy.st_uid != source.uid  # first: on a re-run, every up-to-date file is asked
        and not stat.S_ISDIR(source.mode)
        and refresh.changed_since(source.ctime_ns, source.mtime_ns, copy)
        and devices.gives_away(copy.st_dev)
    )


def facts(target: os.stat_result | None) -> TargetFacts | None:
    """What an answer given beforehand is bound to: the target file's (size, mtime_ns)."""
    return None if target is None else (target.st_size, target.st_mtime_ns)


def decide(
    policy: ConflictPolicy,
    source: StatFacts,
    target: os.stat_result | None,
    other_text: bool = False,
) -> Decision:
    """What to do with `source` when the target's entry of that name is `target`.

    Identical (same type, size and mtime, the mtime as a file system keeps it:
    same_time) is up to date for every policy but overwrite, so a re-run never copies,
    and "keep both" never makes a second identical copy.
    `other_text`: two links of the same size and time that point elsewhere (texts_differ);
    two device nodes of different devices differ too.
    A change of type is always one to copy, whatever the times (as rsync --update has it).
    """
    if target is None:
        return COPY
    if stat.S_ISDIR(target.st_mode) and not stat.S_ISDIR(source.mode):
        return Decision(Action.FAIL, Reason(Code.FOLDER_IN_THE_WAY))
    same_type = stat.S_IFMT(target.st_mode) == stat.S_IFMT(source.mode)
    same_mtime = same_time(source.mtime_ns, target)
    other = other_text or other_device(source.mode, source.rdev, target)
    same = same_type and target.st_size == source.size and same_mtime and not other
    if policy is ConflictPolicy.OVERWRITE:
        return Decision(Action.REPLACE)
    if same:  # replaced only where the policy replaces: skip and keep-both never do
        renew = policy is ConflictPolicy.NEWER and owner_changed(source, target)
        return _OWNER_CHANGED if renew else _UP_TO_DATE
    if policy is ConflictPolicy.RENAME:
        return Decision(Action.RENAME)
    if policy is ConflictPolicy.SKIP:
        return Decision(Action.SKIP, Reason(Code.EXISTS))
    if policy in ASKING:
        return Decision(Action.ASK, Reason(Code.EXISTS))
    if not same_type or source.mtime_ns > target.st_mtime_ns:
        return Decision(Action.REPLACE)
    if same_mtime and (source.size != target.st_size or other):
        return Decision(Action.REPLACE)
    return Decision(Action.SKIP, Reason(Code.TARGET_NEWER))


def why_copied(
    decision: Decision, source: StatFacts, target: os.stat_result | None
) -> Reason | None:
    """What a landed copy says of its decision: its own reason (a new owner's copy says
    so), else, where it replaced `target`, what it replaced (replaced_why)."""
    if decision.why is not None or decision.action is not Action.REPLACE or target is None:
        return decision.why
    return replaced_why(source, target)


def replaced_why(source: StatFacts, target: os.stat_result) -> Reason:
    """What a copy written over `target` (the entry the decision to replace saw) took the
    place of, by type and time: the log says what was overwritten, as a plan says
    "replace". Newer is only ever replaced as the conflict choice said (overwrite, or
    Replace when asked): the default policy keeps a newer file of the same type."""
    if stat.S_IFMT(target.st_mode) != stat.S_IFMT(source.mode):
        return Reason(Code.REPLACED_OTHER_TYPE, (kind_of(target.st_mode),))
    if same_time(source.mtime_ns, target):
        return Reason(Code.REPLACED_SAME_TIME)
    older = target.st_mtime_ns < source.mtime_ns
    return Reason(Code.REPLACED_OLDER if older else Code.REPLACED_NEWER)


_KINDS = (
    (stat.S_ISREG, Code.KIND_FILE),
    (stat.S_ISDIR, Code.KIND_FOLDER),
    (stat.S_ISLNK, Code.KIND_LINK),
    (stat.S_ISFIFO, Code.KIND_FIFO),
    (stat.S_ISSOCK, Code.KIND_SOCKET),
    (stat.S_ISCHR, Code.KIND_CHAR_DEVICE),
    (stat.S_ISBLK, Code.KIND_BLOCK_DEVICE),
)


def kind_of(mode: int) -> Reason:
    """The type of entry `mode` is, named for a reason (as special_file_reason names it)."""
    for test, code in _KINDS:
        if test(mode):
            return Reason(code)
    return Reason(Code.KIND_UNKNOWN)  # (a door, a whiteout: not on Linux's file systems)


def folder_replaces(mirror: bool, target: os.stat_result) -> bool:
    """Whether a source folder takes the place of what the target holds at its name: a
    file only, and only in a mirror (a plain copy says it is in the way). Never a link:
    it may be how the user put that folder on another disk."""
    return mirror and not stat.S_ISLNK(target.st_mode)


def texts_differ(
    source: tuple[int | None, str],
    target: tuple[int | None, str],
    facts: StatFacts,
    existing: os.stat_result | None,
) -> bool:
    """Whether a source link and the link at its copy's place, of the same size and time,
    point to different places (retargeted, its time kept). Each place is (folder
    descriptor, name); a link that cannot be read differs. Read only when it matters."""
    if existing is None or not (stat.S_ISLNK(facts.mode) and stat.S_ISLNK(existing.st_mode)):
        return False
    if facts.size != existing.st_size or not same_time(facts.mtime_ns, existing):
        return False
    try:
        return os.readlink(source[1], dir_fd=source[0]) != os.readlink(target[1], dir_fd=target[0])
    except OSError:
        return True
