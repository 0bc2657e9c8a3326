"""The checks that refuse a job before anything is written, and the free space.

Opening the target folder itself, and holding it for one job: target.py."""

from __future__ import annotations

import contextlib
import os
import re
import shutil

from app.core.events import WINDOWS_REFUSED
from app.core.outfile import not_a_file, untrusted_way
from app.core.reasons import Code, Reason


class Refusal(Exception):
    """The job cannot start; `why` says why. Nothing has been written."""

    def __init__(self, code: Code, *args: object) -> None:
        self.why = Reason(code, args)
        super().__init__(str(self.why))


def check_paths(source: str, target: str, mirror: bool = False) -> None:
    """Raise Refusal if copying the contents of source into target cannot start (or,
    with `mirror`, deleting there what the source does not have)."""
    if not source or not target:
        raise Refusal(Code.NO_SOURCE if not source else Code.NO_TARGET)
    for path in (source, target):
        if "\0" in path:  # (a paste into the window; the system refuses it with a crash)
            raise Refusal(Code.PATH_HOLDS_NUL, path)
    if not os.path.lexists(source):
        raise Refusal(Code.SOURCE_MISSING, source)
    if not os.path.isdir(source):
        raise Refusal(Code.SOURCE_NOT_FOLDER, source)
    try:
        with os.scandir(source) as listing:
            next(listing, None)
    except OSError as exc:
        raise Refusal(Code.SOURCE_UNREADABLE, exc.strerror, source) from exc
    if os.path.lexists(target) and not os.path.isdir(target):
        raise Refusal(Code.TARGET_NOT_FOLDER, target)
    _refuse_target_inside_source(source, target)
    if mirror:
        check_mirror_target(target)
    existing = nearest_existing(target)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise Refusal(Code.TARGET_NOT_WRITABLE, existing)


# Folders whose own entries a mirror would delete, as a system's, not a user's: a
# script's "$DST/" with DST unset is "/" (a dry run there listed 639,589 deletions).
SYSTEM_FOLDERS = frozenset(
    {
        *("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64"),
        *("/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/usr", "/var"),
    }
)


def check_mirror_target(target: str) -> None:
    """Refusal if a mirror into `target` would delete in a system folder, a home folder
    (this user's, or any in /home) or a folder that holds this user's home. Links are
    looked through on both sides: /bin is /usr/bin where /usr is merged, /home may be
    /var/home."""
    real = os.path.realpath(target)
    system = SYSTEM_FOLDERS | {os.path.realpath(folder) for folder in SYSTEM_FOLDERS}
    homes = {"/home", os.path.realpath("/home")}
    home = os.path.realpath(os.path.expanduser("~"))
    if real in system or within(home, real) or os.path.dirname(real) in homes:
        raise Refusal(Code.MIRROR_INTO_SYSTEM, real)


def check_manifest(manifest: str, source: str, target: str) -> None:
    """Refusal if the manifest would be written into the source, or where the copy of a
    source entry goes: it would replace that copy, and on the next run look newer than
    its source. And where something other than a regular file holds its name."""
    if "\0" in manifest:  # (a paste into the window; the system refuses it with a crash)
        raise Refusal(Code.MANIFEST_HOLDS_NUL, manifest)
    if manifest and not_a_file(manifest):
        raise Refusal(Code.MANIFEST_NOT_A_FILE, manifest)
    if manifest and untrusted_way(os.path.dirname(os.path.abspath(manifest))):
        raise Refusal(Code.MANIFEST_LINK_OF_ANOTHER, manifest)
    if manifest and (clash := output_clash(manifest, source, target)) is not None:
        inside, entry = clash
        raise Refusal(Code.MANIFEST_IN_SOURCE if inside else Code.MANIFEST_OVER_COPY, entry)


def output_clash(path: str, source: str, target: str) -> tuple[bool, str] | None:
    """Where a file Ferry writes besides the copies (a manifest, a log) would land among
    the job's files: (True, path) inside the source; (False, source entry) where that
    entry's copy goes; None elsewhere. The name itself is not followed: it is replaced."""
    real = real_name(path)
    try:
        source_st = os.stat(source)
    except OSError:
        return None  # no source to clash with: the job refuses it, with why
    inside = _folder_of_or_above(os.path.dirname(real), source_st) is not None
    if within(real, os.path.realpath(source)) or inside:  # (a bind mount of it, too)
        return True, path
    place = os.path.relpath(real, os.path.realpath(target))
    if within(real, os.path.realpath(target)) and os.path.lexists(os.path.join(source, place)):
        return False, os.path.join(source, place)
    return None


def real_name(path: str) -> str:
    """The path with its folder's links resolved, not its name's (a name is replaced)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(folder), name)


def within(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def nearest_existing(path: str) -> str:
    path = os.path.abspath(path)
    while not os.path.exists(path):
        path = os.path.dirname(path)
    return path


def free_space(target: str) -> int | None:
    """Bytes free for the target; None where the file system does not say (ramfs, some
    network and FUSE file systems report a size of 0)."""
    usage = shutil.disk_usage(nearest_existing(target))
    return usage.free if usage.total else None


# File systems whose files cannot add up to more than the space they use: no compression,
# no extents shared between files (btrfs, ZFS, XFS, bcachefs and APFS can share or
# compress them: reflinks, snapshots, dedup).
PLAIN_FILE_SYSTEMS = {"ext2", "ext3", "ext4", "tmpfs", "vfat", "exfat"}


def could_run_out(
    source: str, free: int | None, follow_symlinks: bool, free_names: int | None = None
) -> bool:
    """Whether the scan might yet find more to write than the target has room for.

    No, when the target has more free space than the source's whole file system uses and
    that file system is a plain one (its files cannot add up to more than it uses), and
    more free inodes (`free_names`, None: not counted) than the source's uses. Yes
    wherever that is not known. Left out: another file system mounted inside the source;
    the job then stops as soon as it finds it cannot fit, after some files are written.
    """
    if free is None:  # the target does not say: nothing to refuse on
        return False
    if follow_symlinks or file_system_type(source) not in PLAIN_FILE_SYSTEMS:
        return True
    try:
        usage, names = shutil.disk_usage(source), os.statvfs(source)
    except OSError:
        return True
    if free_names is not None and names.f_files - names.f_ffree >= free_names:
        return True
    return not usage.total or usage.used >= free  # a size of 0: the source does not say


def _refuse_target_bound_inside_source(source: str, target: str) -> None:
    """Refuse a target that is, through a bind mount, the source or a folder inside it."""
    existing = nearest_existing(target)  # a target yet to be made goes where this is
    try:
        device = os.stat(source).st_dev
        if os.stat(existing).st_dev != device:
            return  # a bind mount shows the same file system: other ones cannot be inside
        with open("/proc/self/mountinfo", "rb") as mounts:
            table = [line.split() for line in mounts]
    except OSError:
        return
    inside = _place_in_file_system(source, device, table)
    path = _place_in_file_system(existing, device, table)
    if inside is None or path is None:
        return
    if path == inside and existing == os.path.abspath(target):
        raise Refusal(Code.TARGET_IS_SOURCE)
    if path == inside or path.startswith(inside.rstrip(b"/") + b"/"):
        raise Refusal(Code.TARGET_INSIDE_SOURCE)


def _place_in_file_system(path: str, device: int, table: list[list[bytes]]) -> bytes | None:
    """The path of a folder from its file system's own root; None if unknown.

    Linux only, from the rows of /proc/self/mountinfo: the mount `path` is under gives
    the folder of the file system it shows (its "root": not "/" for a bind mount).
    """
    real = os.fsencode(os.path.realpath(path))
    best: tuple[bytes, bytes] | None = None  # (mount point, root), the deepest; later wins
    for fields in table:
        try:
            major, minor = (int(n) for n in fields[2].split(b":"))
            point, root = _unescape_mount(fields[4]), _unescape_mount(fields[3])
        except (IndexError, ValueError):
            continue
        under = real == point or real.startswith(point.rstrip(b"/") + b"/")
        deeper = best is None or len(point) >= len(best[0])
        if os.makedev(major, minor) == device and under and deeper:
            best = (point, root)
    if best is None:
        return None
    point, root = best
    rest = real[len(point.rstrip(b"/")) :]
    return (root.rstrip(b"/") + rest) or b"/"


def _unescape_mount(field: bytes) -> bytes:
    """The kernel writes space, tab, newline and backslash in paths as \\ooo (octal)."""
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), field)


def file_system_type(path: str) -> str:
    """The type of the file system `path` is on ("ext4", "btrfs", ...); "" if unknown."""
    try:
        return file_system_of(os.stat(path).st_dev)
    except OSError:
        return ""


# The most bytes one file may hold, where a file system sets a bound a copy meets: FAT32.
_LARGEST_FILE = {"vfat": 2**32 - 1, "msdos": 2**32 - 1}


def largest_file(device: int) -> int:
    """The most bytes one file on `device` may hold; 0 if no bound is known."""
    return _LARGEST_FILE.get(file_system_of(device), 0)


_FAT_LIKE = {"vfat", "msdos", "exfat"}  # (USB sticks, cards): no hard links either


def refused_characters(device: int) -> str:
    """The characters no name on `device` may hold, where its type tells; "" if none known."""
    return WINDOWS_REFUSED if file_system_of(device) in _FAT_LIKE else ""


def keeps_hard_links(device: int) -> bool:
    """Whether `device` may hold hard links: not vfat or exFAT (True where not known)."""
    return file_system_of(device) not in _FAT_LIKE


def file_system_of(device: int) -> str:
    """The type of the file system of this device number; "" if unknown.

    Linux only (from /proc/self/mountinfo, read each time: a device number of a file
    system unmounted since may be another's now); "" elsewhere. (A btrfs subvolume shows
    a number of its own, which the table does not list: devices.learn_file_system.)
    """
    return mount_of(device)[0]


def mount_of(device: int) -> tuple[str, str]:
    """(type, source) of the file system mounted with this device number, as the mount
    table says it (the source is the device node of a disk, as a rule); ("", "") if none."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
            for line in mounts:
                fields = line.split()  # ... major:minor ... - type source options
                major, minor = (int(n) for n in fields[2].split(":"))
                if os.makedev(major, minor) == device:
                    kind = fields.index("-") + 1
                    return fields[kind], _unescaped(fields[kind + 1])
    except (OSError, ValueError, IndexError):
        pass
    return "", ""


def _unescaped(field: str) -> str:
    """A mountinfo field: space, tab, newline and backslash are written as octal escapes."""
    return re.sub(r"\\([0-7]{3})", lambda code: chr(int(code.group(1), 8)), field)


def _refuse_target_inside_source(source: str, target: str) -> None:
    # Compare inodes, not strings: this sees through symlinks and "..". A bind mount of
    # a source folder elsewhere is a place in the source the target's parents do not
    # lead to: the mount table tells.
    _refuse_target_bound_inside_source(source, target)
    found = _folder_of_or_above(target, os.stat(source))
    if found is not None:
        is_source = found == os.path.realpath(target)
        raise Refusal(Code.TARGET_IS_SOURCE if is_source else Code.TARGET_INSIDE_SOURCE)


def _folder_of_or_above(path: str, folder: os.stat_result) -> str | None:
    """`path` (links resolved) or the folder above it that is `folder`, by identity: a
    bind mount of the folder elsewhere is found too (as its root). None if neither."""
    probe = os.path.realpath(path)
    while True:
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(probe), folder):
                return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent
