"""What `cp -a` keeps besides the bytes: owner, mode, times, extended attributes, ACLs.

The order matters: chown clears setuid bits and file capabilities, so the owner comes
first, then extended attributes (POSIX ACLs are the `system.posix_acl_*` ones), then the
mode (which also sets an ACL's mask), and the times last.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from typing import NamedTuple

from app.core.devices import HAS_CHOWN, ignores_chmod
from app.core.reasons import Code, Reason

HAS_XATTRS = hasattr(os, "listxattr")
# On a target folder a job made, until its metadata is set (the source lacks it, so the
# copy of xattrs removes it): a later run tells a folder a killed run left from another.
UNFINISHED = "user.ferry.unfinished"
GROUP_BITS = stat.S_IRWXG
_UNSUPPORTED = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}

XattrRef = int | str  # a descriptor, or a path
ACCESS_ACL = "system.posix_acl_access"
DEFAULT_ACL = "system.posix_acl_default"  # folders: what new entries inside inherit
_ST_NOSUID = getattr(os, "ST_NOSUID", 0)  # statvfs's flag (Linux only)
_EUID = os.geteuid() if hasattr(os, "geteuid") else -1
_ACL_GROUP_OBJ, _ACL_MASK = 0x04, 0x10  # tags of a POSIX ACL's entries (acl_ea.h)
CAPABILITY = "security.capability"  # file capabilities: privileges for whoever runs it


class Kept(NamedTuple):
    owner: bool
    group: bool


class XattrLoss(NamedTuple):
    """Extended attributes that could not be copied: how many entries, and one reason."""

    entries: int = 0
    error: str = ""

    def add(self, error: str) -> XattrLoss:
        return XattrLoss(self.entries + 1, self.error or error) if error else self


def set_mode(target: int | str, mode: int) -> Reason | None:
    """chmod a copy (by descriptor or path), where its file system may keep no modes at
    all: fusefat answers every chmod with ENOSYS, and a copy failed there for its mode,
    each of them (`cp -a` copies and warns). Then the copy keeps the mode it shows, if
    that lets no one but its owner do more than `mode` does (else the error stands), and
    the note says why; no other copy on that device is set again (ignores_chmod).
    exFAT refuses only setuid, setgid and sticky bits (EPERM): the copy keeps the rest."""
    try:
        os.chmod(target, mode)
    except OSError as exc:
        if exc.errno == errno.EPERM and mode & ~0o777:  # exFAT's answer (cp -a: warns)
            # Without its sticky bit, a folder others may write lets them delete what is
            # not theirs: it loses their write bits too.
            shared = 0o022 if mode & stat.S_ISVTX else 0
            os.chmod(target, mode & 0o777 & ~shared)  # (if this fails, that error stands)
            return Reason(Code.SPECIAL_BITS_REFUSED, (exc.strerror or str(exc),))
        if exc.errno not in _UNSUPPORTED:
            raise
        shown = os.stat(target)
        if stat.S_IMODE(shown.st_mode) & ~mode & ~stat.S_IRWXU:  # (setid bits too)
            raise
        ignores_chmod(shown.st_dev)
        return Reason(Code.MODE_NOT_KEPT, (exc.strerror or str(exc),))
    return None


_SECONDS_32 = (-(2**31) * 10**9, (2**31 - 1) * 10**9)  # 1901-12-13 to 2038-01-19


def kept_within_32_bits(time_ns: int) -> int:
    """The time a file system of 32-bit seconds (ext4 of small inodes, XFS without
    bigtime, ext3) keeps for `time_ns`: beyond its bounds, the bound. A copy of a file
    dated 2400 there shows 2038-01-19, and was copied again on every run."""
    low, high = _SECONDS_32
    return min(max(time_ns, low), high)


def _with_note(notes: list[Reason], said: Reason | None) -> list[Reason]:
    """The notes of a mode, with set_mode's: a mode not set at all clears or sets nothing."""
    if said is None:
        return notes
    return [said] if said.code is Code.MODE_NOT_KEPT else [*notes, said]


def date_as_stale(fd: int) -> None:
    """Date a copy found, read back, not to hold its source's bytes to 1970 (its data left
    for a look): its size and time still matched its source's, so every later run took
    it for up to date, and said so; now the next run copies it again."""
    with contextlib.suppress(OSError):
        os.utime(fd, ns=(os.fstat(fd).st_atime_ns, 0))


def keep_owner(chown: Callable[[int, int], None], uid: int, gid: int) -> Kept:
    """chown to the source's owner; when refused (not root), try the group alone."""
    if not HAS_CHOWN:
        return Kept(True, True)
    try:
        chown(uid, gid)
        return Kept(True, True)
    except OSError:
        pass
    try:
        chown(-1, gid)
        return Kept(False, True)
    except OSError:
        return Kept(False, False)


def safe_mode(st_mode: int, kept: Kept) -> tuple[int, list[Reason]]:
    """The source's mode, minus what would grant rights to the wrong owner or group."""
    mode = stat.S_IMODE(st_mode)
    notes = []
    # As cp -a: both go unless owner and group were both kept (a setgid file of root's
    # group, copied by its member, would otherwise run as that group for anyone).
    dropped = 0 if kept.owner and kept.group else stat.S_ISUID | stat.S_ISGID
    if mode & dropped and not stat.S_ISDIR(st_mode):
        mode &= ~dropped
        notes.append(Reason(Code.SETID_DROPPED))
    if not kept.group and mode & (GROUP_BITS | stat.S_ISGID):
        mode &= ~(GROUP_BITS | stat.S_ISGID)
        notes.append(Reason(Code.GROUP_DROPPED))
    return mode, notes


def copy_xattrs(
    source: XattrRef,
    target: XattrRef,
    follow: bool = True,
    inherited: tuple[str, ...] = (),
    withheld: tuple[str, ...] = (),
    withhold: Callable[[str], bool] | None = None,
) -> str:
    """Copy every extended attribute the process may read; "" or why some were not kept.

    follow=False for links, named by path: their own attributes, not their target's.
    `inherited`: attributes the target may hold that the source may not, removed unless
    the source has them: ACLs a new target took from its folder's default ACL (as `cp -a`
    does, else a named user of that default ACL could read a copy its source never let
    them read), or all of an earlier copy's (refresh_file). `withheld`: never set, nor
    those `withhold` says (asked only of attributes the source holds).
    """
    if not HAS_XATTRS:
        return ""
    try:
        names = os.listxattr(source, follow_symlinks=follow)
    except OSError as exc:
        return "" if exc.errno in _UNSUPPORTED else exc.strerror or str(exc)
    problem = ""
    for name in names:
        if name in withheld or (withhold is not None and withhold(name)):
            continue
        try:
            value = os.getxattr(source, name, follow_symlinks=follow)
            os.setxattr(target, name, value, follow_symlinks=follow)
        except OSError as exc:
            problem = problem or f"{name}: {exc.strerror or exc}"
    for name in inherited:
        if name not in names:
            try:
                os.removexattr(target, name, follow_symlinks=follow)
            except OSError as exc:  # ENODATA: not inherited after all
                if exc.errno not in (errno.ENODATA, *_UNSUPPORTED):
                    problem = problem or f"{name}: {exc.strerror or exc}"
    return problem


def same_xattrs(source: XattrRef, copy: XattrRef, follow: bool = True) -> bool:
    """Whether both hold the same extended attributes, ACLs among them (False where
    either cannot be read). `follow=False`: paths whose last link is not followed."""
    held = _xattrs(source, follow)
    return held is not None and held == _xattrs(copy, follow)


def xattrs_differ(source: XattrRef, copy: XattrRef) -> bool:
    """Whether a copy holds other extended attributes or ACLs than its source (paths:
    their last links not followed; True where either cannot be read)."""
    return not same_xattrs(source, copy, follow=False)


def xattrs_missing(
    source: str, copy: str, group_kept: bool = True, nosuid: Callable[[], bool] = lambda: False
) -> bool:
    """Whether a copy (paths: their last links not followed) lacks or holds other
    extended attributes or ACLs than its source, of those a user keeps with a file:
    user.* and ACLs, and as root a capability (not from a `nosuid` source: withheld,
    _owner_xattrs_mode). Not trusted.* nor other security.* (labels a system gives;
    copy_xattrs tries them, and says where a target refuses them); none where the
    copy's file system keeps none (vfat). An ACL's group and mask bits count only where
    the copy has its source's group (else they are cleared, as the mode's group bits:
    safe_mode)."""
    try:
        held = _read_xattrs(copy, follow=False)
    except OSError as exc:
        return exc.errno not in _UNSUPPORTED
    wanted = _xattrs(source, follow=False)
    if wanted is None:
        return True
    both = [
        {name: value for name, value in each.items() if _kept_with_a_file(name)}
        for each in (wanted, held)
    ]
    if CAPABILITY in both[0] and nosuid():
        for each in both:
            each.pop(CAPABILITY, None)
    if not group_kept:
        for each in both:
            if ACCESS_ACL in each:
                each[ACCESS_ACL] = _without_group_bits(each[ACCESS_ACL])
    return both[0] != both[1]


def _kept_with_a_file(name: str) -> bool:
    return name.startswith(("user.", "system.posix_acl_")) or (name == CAPABILITY and _EUID == 0)


def _without_group_bits(acl: bytes) -> bytes:
    """A POSIX ACL xattr (a 4-byte version, then 8-byte entries: tag, permissions, id)
    with its group owner's and mask's permissions cleared."""
    entries = bytearray(acl)
    for at in range(4, len(entries) - 7, 8):
        tag = int.from_bytes(entries[at : at + 2], "little")
        if tag in (_ACL_GROUP_OBJ, _ACL_MASK):
            entries[at + 2 : at + 4] = b"\0\0"
    return bytes(entries)


def from_nosuid(ref: XattrRef) -> bool:
    """Whether a file (open, or a path) lies on a mount made nosuid: asked of each file
    that has setid bits or a capability (a bind mount of one file system may be nosuid
    or not), and taken as so where it cannot be told (its powers are then not copied)."""
    try:
        return bool(_ST_NOSUID) and bool(os.statvfs(ref).f_flag & _ST_NOSUID)
    except OSError:
        return True


def _xattrs(ref: XattrRef, follow: bool = True) -> dict[str, bytes] | None:
    """Its attributes ({} where its file system keeps none), None where unreadable."""
    try:
        return _read_xattrs(ref, follow)
    except OSError as exc:
        return {} if exc.errno in _UNSUPPORTED else None


def _read_xattrs(ref: XattrRef, follow: bool = True) -> dict[str, bytes]:
    if not HAS_XATTRS:
        return {}
    follow = follow or isinstance(ref, int)  # (a descriptor is the entry itself)
    names = os.listxattr(ref, follow_symlinks=follow)
    return {name: os.getxattr(ref, name, follow_symlinks=follow) for name in names}


def inherits_acl(folder: XattrRef) -> bool:
    """Whether new entries in this folder take an ACL from it (its default ACL)."""
    if not HAS_XATTRS:
        return False
    try:
        os.getxattr(folder, DEFAULT_ACL)
        return True
    except OSError:
        return False


def apply_to_file(
    fd: int,
    fd_in: int,
    st: os.stat_result,
    inherited_acl: bool = False,
    nosuid: Callable[[], bool] = lambda: False,
) -> tuple[list[Reason], str]:
    """Owner, xattrs, mode and times of a copied file; (notes for its log line, xattr loss).

    inherited_acl: the file was made in a folder with a default ACL (inherits_acl).
    nosuid: whether the source's file system is mounted nosuid (setid bits and file
    capabilities do nothing there: a stick, as udisks mounts it), asked only of a file
    that has either. They are not copied: anyone may have set them there, and on the
    copy's disk a setuid-root program would run as root.
    """
    inherited = (ACCESS_ACL,) if inherited_acl else ()
    notes, lost = _owner_xattrs_mode(fd, fd_in, st, inherited, nosuid)
    os.utime(fd, ns=(st.st_atime_ns, st.st_mtime_ns))
    if kept_within_32_bits(st.st_mtime_ns) != st.st_mtime_ns:  # (asked only then)
        kept = os.fstat(fd).st_mtime_ns
        if kept != st.st_mtime_ns:
            notes.append(Reason(Code.TIME_NOT_KEPT, (_year(kept),)))
    return notes, lost


def _year(time_ns: int) -> int:
    return 1970 + time_ns // (10**9 * 31_556_952)  # (Gregorian years on average)


def xattr_names(ref: XattrRef) -> tuple[str, ...]:
    """The extended attributes an entry holds (none where they cannot be listed)."""
    try:
        return tuple(os.listxattr(ref)) if HAS_XATTRS else ()
    except OSError:
        return ()


def _owner_xattrs_mode(
    fd: int, fd_in: int, st: os.stat_result, inherited: tuple[str, ...], nosuid: Callable[[], bool]
) -> tuple[list[Reason], str]:
    kept = keep_owner(lambda uid, gid: os.fchown(fd, uid, gid), st.st_uid, st.st_gid)
    withheld: list[str] = []  # a capability from a nosuid mount

    def withhold(name: str) -> bool:
        if name != CAPABILITY or not nosuid():
            return False
        withheld.append(name)
        return True

    lost = copy_xattrs(fd_in, fd, inherited=inherited, withhold=withhold)
    mode, notes = safe_mode(st.st_mode, kept)
    setid = stat.S_ISUID | stat.S_ISGID
    if withheld or (mode & setid and nosuid()):
        mode &= ~setid
        notes.append(Reason(Code.SETID_FROM_NOSUID))
    if hasattr(os, "fchmod"):
        notes = _with_note(notes, set_mode(fd, mode))
    return notes, lost


def apply_to_link(source: str, target: str, st: os.stat_result) -> str:
    """Owner, xattrs and times of a copied symbolic link (paths, never followed)."""
    if HAS_CHOWN and os.chown in os.supports_follow_symlinks:
        # Only root may give links away; a link has no rights of its own to protect.
        with contextlib.suppress(OSError):
            os.chown(target, st.st_uid, st.st_gid, follow_symlinks=False)
    lost = copy_xattrs(source, target, follow=False)
    link_times(target, st)
    return lost


def apply_to_special(
    source: str, target: str, st: os.stat_result, follow: bool, held: tuple[str, ...] = ()
) -> tuple[list[Reason], str]:
    """Owner, xattrs (ACLs), mode and times of a named pipe, socket or device node, by
    path: (notes, xattr loss). `follow`: `source` is a /proc/self/fd link to the source
    itself (symlinks.SourceEntry). `held`: the attributes an earlier copy holds, gone
    unless the source has them. Set where no one else can swap another file in for the
    target (symlinks.make_private_folder)."""
    kept = keep_owner(
        lambda uid, gid: os.chown(target, uid, gid, follow_symlinks=False), st.st_uid, st.st_gid
    )
    # A new node in a folder with a default ACL takes an ACL of it: gone unless the source's.
    lost = copy_xattrs(source, target, follow=follow, inherited=(ACCESS_ACL, *held))
    mode, notes = safe_mode(st.st_mode, kept)
    notes = _with_note(notes, set_mode(target, mode))  # (follows: the node, in a private folder)
    link_times(target, st)
    return notes, lost


def link_times(target: str, st: os.stat_result) -> None:
    """An entry's own times, by path, never followed (a link's own, not its target's)."""
    if os.utime in os.supports_follow_symlinks:
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)


def apply_to_folder(
    source: XattrRef | None, target: XattrRef, st: os.stat_result
) -> tuple[str, list[Reason]]:
    """Owner, xattrs, mode and times of a folder, set after its contents (times last).

    Returns the xattr loss, and notes: its group bits cleared (group not kept), its mode
    not set (set_mode).
    """
    kept = keep_owner(lambda uid, gid: os.chown(target, uid, gid), st.st_uid, st.st_gid)
    # What the copy holds the source does not goes: ACLs of a parent's default ACL, or
    # attributes an earlier run copied that the source has dropped since.
    try:
        inherited = tuple(os.listxattr(target)) if HAS_XATTRS else ()
    except OSError:
        inherited = (ACCESS_ACL, DEFAULT_ACL)
    lost = "" if source is None else copy_xattrs(source, target, inherited=inherited)
    mode, notes = safe_mode(st.st_mode, kept)
    notes = _with_note(notes, set_mode(target, mode))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    return lost, notes


def mark_unfinished(folder: XattrRef) -> None:
    if HAS_XATTRS:
        with contextlib.suppress(OSError):  # (no xattrs here: a killed run's folders then
            os.setxattr(folder, UNFINISHED, b"1")  # count as any other folder found)


def is_unfinished(folder: XattrRef) -> bool:
    try:
        return HAS_XATTRS and os.getxattr(folder, UNFINISHED) == b"1"
    except OSError:
        return False
