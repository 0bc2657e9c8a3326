"""Up-to-date copies whose owner, mode or extended attributes went stale: when a copy's
are to be set again (a chmod, setfacl or setxattr of its source since), and setting them
again on the copy itself, by descriptor, without granting what the copy did not have.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable

from app.core.devices import gives_away, gives_group, ignores_chmod, keeps_modes, sets_modes
from app.core.metadata import (
    CAPABILITY,
    Kept,
    copy_xattrs,
    from_nosuid,
    keep_owner,
    safe_mode,
    set_mode,
    xattr_names,
    xattrs_missing,
)

# This process's user where it is not root (-1: root, or no users here).
_USER = (os.geteuid() or -1) if hasattr(os, "geteuid") else -1


def stale(source: os.stat_result, copy: os.stat_result) -> bool:
    """Whether an up-to-date copy's owner, mode and xattrs are to be set again.

    The source's inode changed at or after its copy's last change (its ctime: chmod,
    setfacl, setxattr since the last run), or the copy's permission bits differ (a copy
    another tool made, or a chmod of the copy), so a file made private in the source
    does not stay readable in the copy. Only where the copy is owned by the source's owner,
    and has no more names than the source: a file at that name owned by anyone else may
    have been renamed there by someone who may write to the target folder. Owned by root,
    it is not proof of being Ferry's copy when Ferry runs as root: setting it from their
    source would hand them a root-owned file (or their data the setuid bit). The same
    holds for a user's own file (see narrowed).

    A change time says so only where it is the copy's own (changed_since). Permission
    bits say so only where a chmod sets them (not vfat, exFAT, NTFS or SMB, whose modes
    come from the mount's options), a group only where this process gives copies their
    sources' owners (other_group). Never the source itself (a `cp -al` of it, or what a
    move within one disk killed before it removed the source leaves): its change time is
    the copy's, so each run set it again, and moved the source's change time too.
    """
    return (
        copy.st_uid == source.st_uid
        and copy.st_nlink <= source.st_nlink
        and (copy.st_dev, copy.st_ino) != (source.st_dev, source.st_ino)  # (see above)
        and (
            changed_since(source.st_ctime_ns, source.st_mtime_ns, copy)
            or (other_permissions(source, copy) and sets_modes(copy.st_dev))
            or other_group(source, copy)
        )
    )


def narrowed(source: os.stat_result, copy: os.stat_result) -> bool:
    """Whether a user's own up-to-date copy (not root's) grants permission bits its source
    no longer does: copying as a user, every copy is the user's, never its source's
    owner's (stale), so a file made private in the source stayed readable by all in its
    copy (review of fidelity). Such bits are only ever taken away (narrow): another
    user who may write into the target folder could rename a file of this user's to
    that name, and a mode set from their source would hand it to them (review of the
    fix). Only for a regular file of one name (not a hard link to one elsewhere), where
    a chmod sets modes."""
    return (
        copy.st_uid == _USER
        and stat.S_ISREG(copy.st_mode)
        and copy.st_nlink == 1
        and bool(copy.st_mode & 0o777 & ~source.st_mode)
        and sets_modes(copy.st_dev)
    )


def narrow(fd: int, source: os.stat_result) -> None:
    """Take from the copy open as `fd` the permission bits its source no longer has."""
    now = stat.S_IMODE(os.fstat(fd).st_mode)
    set_mode(fd, now & ~(0o777 & ~source.st_mode))


def other_group(source: os.stat_result, copy: os.stat_result) -> bool:
    """A group that differs where the copy could have had its source's (root, on a file
    system that keeps owners): seen in the stat, as a change time may not tell (a `cp
    -al` snapshot of the target, or another name's replacement, moved the copy's).
    (Where root may not give a group, an idmapped mount's unmapped one, the copy is set
    or copied again on every run.)"""
    return copy.st_gid != source.st_gid and gives_away(copy.st_dev)


def changed_since(source_ctime_ns: int, source_mtime_ns: int, copy: os.stat_result) -> bool:
    """Whether the source changed (its change time) at or after its copy last did, where
    both change times are their own: not their modification times, as vfat and exFAT
    show them. (A copy's comes before its modification time where the source's is in
    the future: a camera's wrong clock. The card itself, as the source, shows those
    future times as change times: taken for changes, a refresh would never catch up.)
    A source's metadata changed since its data was written has a change time of its
    own; one written last is not up to date anyway."""
    own = source_ctime_ns != source_mtime_ns
    return own and source_ctime_ns >= copy.st_ctime_ns != copy.st_mtime_ns


def lacks_powers(
    fd: int, fd_in: int, st: os.stat_result, copy: os.stat_result, nosuid: Callable[[], bool]
) -> bool:
    """Whether the source (open as `fd_in`) has a setuid or setgid bit or a file
    capability its copy (`fd`) lacks, which a new copy gets: as root, where the file
    system keeps owners, not from a source mounted nosuid; a file of one name, as is its
    copy (another name would keep the old copy, and a snapshot's should). A refresh
    never grants them (the copy's data may be another's), so such a copy is made again
    from its source."""
    single = st.st_nlink == copy.st_nlink == 1  # (else its names would split: one renewed)
    if not single or not gives_away(copy.st_dev):  # (asked first: no xattr read)
        return False
    lacks = setid_gained(st, copy) or (
        (source_capability := _capability(fd_in)) is not None
        and source_capability != _capability(fd)
    )
    return lacks and not nosuid()


def setid_gained(source: os.stat_result, copy: os.stat_result) -> bool:
    """Whether the source has a setuid or setgid bit its copy lacks."""
    return bool(source.st_mode & ~copy.st_mode & (stat.S_ISUID | stat.S_ISGID))


def _capability(fd: int) -> bytes | None:
    try:
        return os.getxattr(fd, CAPABILITY)
    except OSError:
        return None


def _same_capability(fd_in: int, fd: int, held: tuple[str, ...]) -> bool:
    if CAPABILITY not in held:
        return False
    try:
        return os.getxattr(fd_in, CAPABILITY) == os.getxattr(fd, CAPABILITY)
    except OSError:
        return False


def other_permissions(source: os.stat_result, copy: os.stat_result) -> bool:
    """Read, write or execute bits that differ, with the same group (a copy made or
    changed by another tool since): seen in the stat, so checked on every run. Only
    with the same group: a copy whose group was not kept has its group bits cleared."""
    other = (source.st_mode ^ copy.st_mode) & 0o777
    return bool(other) and copy.st_gid == source.st_gid


def refresh_file(
    fd: int, fd_in: int, st: os.stat_result, copy: os.stat_result, nosuid: Callable[[], bool]
) -> str:
    """Group, xattrs and mode of an up-to-date copy, again; returns the xattr loss.

    Its data and times already are the source's, as far as size and time tell: the owner
    of the source may have swapped their own program in for the copy, if they may write
    into the target folder. So a refresh never grants: setuid and setgid stay only
    where the copy had them, a file capability only where the copy holds the source's
    very value, and none is added (a copy of the data brings them); setgid goes with a
    change of group (for another group, it would grant). Attributes the source no
    longer has are removed. The ctime this changes keeps the next run from doing it again.
    From a source mounted `nosuid` (asked only of a copy that has either), neither setid
    bits nor a capability stay, as on a new copy.
    """
    held = xattr_names(fd)  # (before a chown, which drops setid bits and capabilities)
    setid = stat.S_ISUID | stat.S_ISGID
    had = stat.S_IMODE(copy.st_mode)
    powerless = (had & setid or CAPABILITY in held) and nosuid()
    # The capability stays only if the copy holds the source's very value: any other
    # (a namespaced one its owner may set) would become the source's real one.
    kept_capability = not powerless and _same_capability(fd_in, fd, held)
    withheld = () if kept_capability else (CAPABILITY,)
    dropped = _drop_capability(fd) if powerless and CAPABILITY in held else ""
    had &= ~setid if powerless else ~0
    if copy.st_gid != st.st_gid:
        keep_owner(lambda uid, gid: os.fchown(fd, uid, gid), st.st_uid, st.st_gid)
        had &= ~stat.S_ISGID  # setgid of another group than it had: that would grant
    now = os.fstat(fd)
    lost = copy_xattrs(fd_in, fd, inherited=held, withheld=withheld)
    mode, _ = safe_mode(st.st_mode, Kept(True, now.st_gid == st.st_gid))
    if hasattr(os, "fchmod"):  # (a file system that keeps no modes: as it shows them)
        set_mode(fd, mode & ~setid | mode & had & setid)
    return dropped or lost


def _drop_capability(fd: int) -> str:
    """Remove a copy's file capability; "" or why it stays."""
    try:
        os.removexattr(fd, CAPABILITY)
    except OSError as exc:
        return f"{CAPABILITY}: {exc.strerror or exc}"
    return ""


def chmod_ignored(source: os.stat_result, copy: os.stat_result) -> bool:
    """After a refresh: the copy still shows other permission bits than its source's, with
    its group: its file system shows a mode of its own. Noted for the job (ignores_chmod),
    so that no other copy there is refreshed for its mode."""
    if not other_permissions(source, copy):
        return False
    ignores_chmod(copy.st_dev)
    return True


def lacks_metadata(
    source: os.stat_result, copy: os.stat_result, source_ref: str, copy_ref: str
) -> bool:
    """Whether a copy found up to date (an earlier run's, or another tool's: `rsync -a`
    without -A and -X, `cp` without -a) lacks what a copy this process makes would have:
    its source's owner and group where this process gives them, its permission bits
    (fewer where its group could not be kept, never more), setid bits and a capability
    (not from a nosuid source), its extended attributes and ACLs (xattrs_missing). A
    re-run does not set them on such a copy (stale says why), and a move removed their
    source: they were lost for good (review of moves). For a regular file and its own
    copy (not its inode linked in); `*_ref`: their path-only names."""
    owners = gives_away(copy.st_dev)
    if owners and copy.st_uid != source.st_uid:
        return True
    if copy.st_gid != source.st_gid and gives_group(source.st_gid, copy.st_dev):
        return True  # (a user's copy too, in a group of the user's: review)
    nosuid = functools.partial(from_nosuid, source_ref)
    if keeps_modes(copy.st_dev) and (
        other_permissions(source, copy)
        or copy.st_mode & ~source.st_mode & 0o777
        or (owners and setid_gained(source, copy) and not nosuid())
    ):
        return True
    return xattrs_missing(source_ref, copy_ref, copy.st_gid == source.st_gid, nosuid)
