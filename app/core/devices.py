"""What a file system keeps, by device number: modes, change times, owners and groups.

Asked of file after file (a re-run, a move), so each device's type is read from the mount
table once a job (forget_devices), and from each folder met where the table cannot tell.
"""

from __future__ import annotations

import functools
import os

from app.core.preflight import file_system_of

HAS_CHOWN = hasattr(os, "chown")
O_PATH = getattr(os, "O_PATH", 0)
CAP_CHOWN = 0  # its bit in /proc/self/status CapEff

# Local file systems that keep every owner they are given.
# Overlay (a container's disk, a live system's) keeps them in its upper layer.
OWNER_FILE_SYSTEMS = {
    *("ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "zfs", "tmpfs", "bcachefs", "overlay")
}


# File systems that show modes of their own, whatever chmod gave them: the mount's options
# say (vfat, exFAT, SMB), or the FUSE program does (NTFS through ntfs-3g is "fuseblk").
_MODES_OF_THEIR_OWN = {"vfat", "msdos", "exfat", "ntfs", "ntfs3", "cifs", "smb3"}


def keeps_modes(device: int) -> bool:
    """Whether a mode on `device` is the one given: not on those file systems, where a
    mode proves nothing and setting one changes nothing (any other, if unknown)."""
    kind = _file_system(device)
    return kind not in _MODES_OF_THEIR_OWN and not kind.startswith("fuse")


def shows_makers(device: int) -> bool:
    """Whether a new file or folder on `device` shows this process as its owner: not
    where the mount's options or the server decide every owner (vfat, exFAT, SMB and FUSE
    as keeps_modes has it; NFS, which squashes root to nobody)."""
    return keeps_modes(device) and not _file_system(device).startswith("nfs")


def keeps_change_times(device: int) -> bool:
    """Whether a file's change time on `device` is its own, moved by every write: the
    file systems that show modes of their own (keeps_modes) show the modification time
    as the change time (vfat, exFAT), or one the server keeps; FUSE's are not trusted."""
    return keeps_modes(device)


def sets_modes(device: int) -> bool:
    """Whether a chmod on `device` sets the mode it shows: not on the file systems that
    show modes of their own from the mount's options, nor on one found to (a FUSE one is
    taken at its word until then: exfat-fuse and ntfs-3g show one mode for all files)."""
    return device not in _IGNORES_CHMOD and _type_sets_modes(device)


def _type_sets_modes(device: int) -> bool:
    return _file_system(device) not in _MODES_OF_THEIR_OWN


@functools.lru_cache(maxsize=16)
def _file_system(device: int) -> str:
    # Cached, as a re-run or a move asks file after file (the mount table read for each
    # made a move of 20,000 files take 26 s among 330 mounts, review); each job starts
    # afresh (forget_devices).
    return file_system_of(device) or _learned.get(device, "")


_learned: dict[int, str] = {}  # devices the mount table does not list (learn_file_system)
_met: set[int] = set()  # devices whose folders this process met since the job began
# statfs(2)'s f_type of the file systems that show files under device numbers the mount
# table does not list: a btrfs subvolume's own; overlay's for each layer on a disk of its
# own (the overlay's folders show the listed one, its files not); FUSE's, mounted in
# another namespace.
_STATFS_TYPES = {0x9123683E: "btrfs", 0x794C7630: "overlay", 0x65735546: "fuse"}


def learn_file_system(path: str) -> None:
    """Note the file system of the folder `path` where the mount table cannot tell it: a
    btrfs subvolume shows its files under a device number of its own, so every btrfs was
    of no known type, and a copy's owner there never compared (review). Asked of a job's
    folders by the job and its workers; statfs(2) answers without a walk of other mounts
    (a stat of each btrfs mount point hung behind a stopped FUSE mount, review)."""
    try:
        device = os.stat(path).st_dev
    except (OSError, ValueError):
        return
    met_folder(path, device)


def met_folder(folder: int | str, device: int) -> None:
    """A folder of `device` (open as `folder`, or its path) was met: where the mount table
    does not list the device, statfs(2) of the folder tells its file system, once a job.
    Every folder a job opens is met (tree.Folders), not the job's own alone: a subvolume
    below the target (`dst/home`) has a number of its own, its copies' owners were never
    compared, and a move removed sources whose copies lacked them (review of devices)."""
    if device in _met:
        return
    _met.add(device)
    if _file_system(device):
        return
    kind = _STATFS_TYPES.get(_statfs_type(folder))
    if kind:
        _learned[device] = kind
        _file_system.cache_clear()


def met_entry(folder: int | None, ref: str, device: int) -> None:
    """An entry of `device` was met at `ref` (in the folder open as `folder`): as
    met_folder, for a file's device that its folder's is not (overlay's layers)."""
    if device in _met or not O_PATH:
        return
    try:
        fd = os.open(ref, O_PATH | os.O_NOFOLLOW, dir_fd=folder)
    except OSError:
        return
    try:
        if os.fstat(fd).st_dev == device:  # (still the entry looked at)
            met_folder(fd, device)
    finally:
        os.close(fd)


def _statfs_type(folder: int | str) -> int:
    """statfs(2)'s f_type of a path, or fstatfs(2)'s of a descriptor (an O_PATH one too);
    0 where there is none: not Linux, no libc."""
    import ctypes  # (here: asked once a device)

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        statfs = libc.fstatfs if isinstance(folder, int) else libc.statfs
    except (OSError, AttributeError):
        return 0
    buffer = ctypes.create_string_buffer(512)  # (struct statfs is 120 bytes on 64-bit Linux)
    where = folder if isinstance(folder, int) else os.fsencode(folder)
    if statfs(where, buffer) != 0:
        return 0
    return ctypes.c_long.from_buffer(buffer).value & 0xFFFFFFFF  # f_type, its first field


_IGNORES_CHMOD: set[int] = set()  # devices found to (ignores_chmod), in this process


def ignores_chmod(device: int) -> None:
    """A chmod on `device` was found to change no mode it shows."""
    _IGNORES_CHMOD.add(device)


def forget_devices() -> None:
    """A job starts: a device number may be another file system's by now."""
    _file_system.cache_clear()
    _learned.clear()
    _met.clear()
    _IGNORES_CHMOD.clear()


def gives_away(device: int) -> bool:
    """Whether the copies this process makes on `device` are owned by their sources'
    owners: root with CAP_CHOWN, outside a user namespace, on a local file system that
    keeps owners. Anywhere else a copy's owner says nothing about its source's: Ferry's
    own, or what NFS (root squashed), CIFS, FUSE, vfat or exFAT show or force."""
    return _root_may_chown() and _file_system(device) in OWNER_FILE_SYSTEMS


def gives_group(gid: int, device: int) -> bool:
    """Whether the copies this process makes on `device` get the group `gid`: where it
    gives owners (gives_away), and as a user, a group of the user's on a file system that
    keeps owners (keep_owner sets the group alone)."""
    if gives_away(device):
        return True
    return gid in _own_groups() and _file_system(device) in OWNER_FILE_SYSTEMS


@functools.lru_cache(maxsize=1)
def _own_groups() -> frozenset[int]:
    if not hasattr(os, "getgroups"):
        return frozenset()
    return frozenset({*os.getgroups(), os.getegid()})


@functools.lru_cache(maxsize=1)
def _root_may_chown() -> bool:
    if not (HAS_CHOWN and hasattr(os, "geteuid") and os.geteuid() == 0):
        return False
    try:
        with open("/proc/self/uid_map", encoding="ascii") as uid_map:
            if uid_map.read().split() != ["0", "0", "4294967295"]:
                return False  # a user namespace: uids outside its map cannot be given
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return bool(int(line.split()[1], 16) & 1 << CAP_CHOWN)
    except (OSError, ValueError):
        pass
    return False
