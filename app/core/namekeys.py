"""How a target file system compares names: byte for byte (most Linux), or ignoring
case and maybe the Unicode form (exFAT, NTFS, macOS, ext4 casefold; Linux vfat the case
of A-Z only), or dropping trailing dots (vfat, exFAT: `Wait...` is `Wait`) or spaces
(Windows shares); how finely it keeps times: to the nanosecond (most Linux), or cut
down to a step (NTFS and SMB 100 ns, exFAT 10 ms, HFS+ and ext4 with small inodes a
second, vfat 2 s); how large one file may be (FAT32); and which characters no name may
hold (vfat, exFAT: `:` and the like). Found by a probe file in each file system met (the
job), or by reading what is already there and the mount's type (a dry run, which writes
nothing, and a job where no probe file can be made)."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator

from app.core.events import (
    DROPPABLE_ENDS,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    WINDOWS_REFUSED,
    NameKey,
    TargetWays,
)
from app.core.naming import NO_LINKS, NO_NODES
from app.core.preflight import keeps_hard_links, largest_file, refused_characters
from app.core.scan import MAKES_SPECIALS
from app.core.tree import Folder, names_in


def fold_case(name: str) -> str:
    return unicodedata.normalize("NFD", name).casefold()


def fold_form(name: str) -> str:
    return unicodedata.normalize("NFD", name)


def fold_ascii(name: str) -> str:
    """Linux vfat with utf8 (as desktops mount sticks) folds the case of A-Z only."""
    return name.translate(_ASCII_LOWER)


# How a file system refuses a name for a character it holds: vfat EINVAL; through FUSE,
# exFAT ENOENT (the folder, held open, is there) and fusefat EPERM.
NAME_REFUSED = (errno.EINVAL, errno.ENOENT, errno.EPERM)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_SWAPPED = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
)


def _case_folding(finds: Callable[[str], bool], name: str) -> NameKey | None:
    """How a name found again in the other case shows the target folds case: all of it
    (exFAT, NTFS, macOS, ext4 casefold), or A-Z only (vfat with utf8: `é` and `É` stay
    two names); None if neither. A-Z only just where its Latin-1 letters (`é`, which
    every case table knows), swapped alone, are not found; without such a letter it
    cannot be asked, and all are taken to fold (folding too much fails more names,
    safely: an older case table may lack a newer script)."""
    if finds(name.swapcase()):
        return fold_case
    ascii_swapped = name.translate(_ASCII_SWAPPED)  # (a name without A-Z proves nothing)
    if ascii_swapped in (name, name.swapcase()) or not finds(ascii_swapped):
        return None
    latin = [c for c in name if "\u00c0" <= c <= "\u00ff" and c.swapcase() != c]
    if latin and all(c.swapcase().swapcase() == c for c in latin):  # (not `ß`)
        return fold_case if finds(name.translate(_swapped(latin))) else fold_ascii
    return fold_case


def _swapped(letters: list[str]) -> dict[int, str]:
    return {ord(c): c.swapcase() for c in letters}


def _dropping_ends(fold: NameKey | None, dropped: str) -> tuple[NameKey | None, str]:
    """`fold`, on names whose trailing `dropped` characters are gone first; and those."""
    if not dropped:
        return fold, dropped
    if fold is None:
        return (lambda name: name.rstrip(dropped) or name), dropped
    return (lambda name: fold(name.rstrip(dropped) or name)), dropped


def probe_target(folder: Folder) -> TargetWays:
    """How the target folder's file system compares names and keeps times, from one
    probe file. Where none can be made (read-only, full, not ours to write): names read
    off what is there, as a plan does, and times as the folder's own keeps them (or, read
    only, as proven by what is there); every file that needs writing says why it failed."""
    with _probe_file(folder) as (fd, probe):
        if fd is not None:
            with contextlib.suppress(OSError):  # (the probe's own stat failing: as none)
                key, ends = _folding(folder, fd, probe)
                by_type = ways_by_type(os.fstat(fd).st_dev)
                refused = set(by_type.refused) | set(_refused(folder))
                return by_type._replace(
                    name_key=key,
                    time_step=_time_step(fd) or 1,
                    ends_dropped=ends,
                    refused="".join(c for c in WINDOWS_REFUSED if c in refused),
                    links=by_type.links and _keeps_links(folder, probe),
                    nodes=by_type.nodes and _makes_nodes(folder),
                    stores_nfd=key is not None and _stores_decomposed(folder, probe),
                    holes=by_type.holes and _keeps_holes(fd, by_type.largest_file),
                    ascii_only=probe != probe_name(),  # (its é refused)
                )
    there = folder.self_ref()  # (/proc/self/fd/N: the folder itself, whatever its path)
    read = ways_by_reading(there if isinstance(there, str) else folder.path, proven=True)
    kept = _folder_time_step(folder)
    return read if kept is None else read._replace(time_step=kept)


class DeviceWays:
    """How each target file system met compares names and keeps times, probed once a
    device: a card's vfat mounted inside the target is not the target root's ext4."""

    def __init__(self, root_device: int, root: TargetWays) -> None:
        self.root = root
        self._ways = {root_device: root}
        # (device, step) of the devices other than the root's that cut times
        self.time_steps: tuple[tuple[int, int], ...] = ()

    def of(self, device: int, find: Callable[[], TargetWays]) -> TargetWays:
        """The ways of `device`, found (probed, or read) when it is met first."""
        ways = self._ways.get(device)
        if ways is None:
            ways = self._ways[device] = find()
            if ways.time_step > 1:
                self.time_steps += ((device, ways.time_step),)
        return ways


def _folding(folder: Folder, fd: int, probe: str) -> tuple[NameKey | None, str]:
    """How the folder holding the probe `probe` (open as `fd`) finds it by another name.
    Case-insensitive targets (vfat, NTFS, macOS, ext4 casefold) often also ignore the
    Unicode form (café as one or as two code points); then both are folded. Found with a
    dot or a space added at its end, the probe shows that those are dropped. Only the
    probe itself counts: a file planted under such a name proves nothing. The key, and
    the ends dropped."""
    probe_st = os.fstat(fd)
    listed = functools.cache(lambda: frozenset(names_in(folder)))

    def finds_probe(name: str) -> bool:
        try:
            there = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
            return _is_same(probe_st, there, name, probe, listed)
        except OSError:
            return False

    dropped = "".join(end for end in DROPPABLE_ENDS if finds_probe(probe + end))
    fold = _case_folding(finds_probe, probe)
    decomposed = unicodedata.normalize("NFD", probe)  # (the same name, if it has no é)
    if fold is None and decomposed != probe and finds_probe(decomposed):
        fold = fold_form
    return _dropping_ends(fold, dropped)


def _stores_decomposed(folder: Folder, probe: str) -> bool:
    """Whether the probe, made under a composed é, is listed decomposed: the file system
    stores names so (HFS+), and a copy's name differs from its source's in form only."""
    listed = names_in(folder)
    return probe not in listed and unicodedata.normalize("NFD", probe) in listed


def _refused(folder: Folder) -> str:
    """Which of the characters vfat and exFAT refuse the folder's file system refuses
    too (EINVAL), each tried in a probe name of its own: all of them only where `:` is,
    so most file systems cost one name made and removed."""
    if _takes(folder, ":"):
        return ""
    return ":" + "".join(c for c in WINDOWS_REFUSED if c != ":" and not _takes(folder, c))


def _takes(folder: Folder, char: str) -> bool:
    """Whether a name holding `char` can be made in the folder, where the probe's plain
    name was just made (another error than NAME_REFUSED says nothing of the name: taken
    as made). Unseen on fusefat, a temp's data was written, then its name refused, and
    the stick lost the data's clusters (review)."""
    name = probe_name(char)
    try:
        os.close(_new_file(folder, name))
    except OSError as exc:
        return exc.errno not in NAME_REFUSED
    with contextlib.suppress(OSError):  # (else a leftover: the next job removes it)
        os.unlink(folder.ref(name), dir_fd=folder.fd)
    return True


def _keeps_links(folder: Folder, probe: str) -> bool:
    """Whether the folder's file system makes a hard link: a second name of the probe,
    removed at once. exFAT through FUSE (`fuseblk`) and other FUSE file systems do not
    say so by their type. (Any error but one that says no links: taken as kept.)"""
    name = probe_name("link")
    try:
        os.link(
            folder.ref(probe),
            folder.ref(name),
            src_dir_fd=folder.fd,
            dst_dir_fd=folder.fd,
            follow_symlinks=False,
        )
    except OSError as exc:
        return exc.errno not in NO_LINKS
    with contextlib.suppress(OSError):  # (else a leftover: the next job removes it)
        os.unlink(folder.ref(name), dir_fd=folder.fd)
    return True


def _keeps_holes(fd: int, largest_file: int) -> bool:
    """Whether the probe's file system keeps a hole: the probe, grown by a megabyte it
    was never written, takes less room than that (not on exFAT through FUSE, which its
    type does not tell: its sparse files take their whole size, and a room check that
    counted their data only let a copy start that filled the disk). A disk too full to
    grow it keeps none (a hole takes no room); any other error, or files bound below a
    megabyte: kept. (Asked after the time step, which a write moves.)"""
    if 0 < largest_file < _HOLE_PROBE:
        return True
    try:
        os.ftruncate(fd, _HOLE_PROBE)
        kept = os.fstat(fd).st_blocks * 512 < _HOLE_PROBE
    except OSError as exc:
        return exc.errno != errno.ENOSPC
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
    return kept


_HOLE_PROBE = 1 << 20


def _makes_nodes(folder: Folder) -> bool:
    """Whether the folder's file system makes a named pipe (probed, removed at once): a
    FUSE or network file system may make none, and each special file would make and
    remove a private folder on every run to learn it. (Any other error: taken as made,
    as a file made there would fail too.)"""
    if not MAKES_SPECIALS:
        return False
    name = probe_name("node")
    try:
        os.mknod(folder.ref(name), stat.S_IFIFO | 0o600, dir_fd=folder.fd)
        # exfat-fuse makes a regular file, or says EIO and leaves one behind.
        there = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
        made = stat.S_ISFIFO(there.st_mode)
    except OSError as exc:
        made = exc.errno not in NO_NODES and exc.errno != errno.EIO
    with contextlib.suppress(OSError):  # (else a leftover: the next job removes it)
        os.unlink(folder.ref(name), dir_fd=folder.fd)
    return made


# Steps to which file systems cut the times set, in ns: NTFS and SMB 100 ns, UDF a
# microsecond, some FUSE a millisecond, exFAT 10 ms, HFS+ a second, vfat 2 s.
TIME_STEPS = (100, 1_000, 1_000_000, 10_000_000, 1_000_000_000, 2_000_000_000)
# A time each step cuts to another, and past the half of each: a file system that rounds
# instead (to 11:00:02 from 11:00:01.98) matches no step and is compared exactly. Taken
# for a cut, its rounding up would make a later save look like the copy's time.
_PROBE_NS = 1_600_000_001_987_987_989


def _time_step(ref: int | str) -> int | None:
    """The step the file system cut a time set on `ref` down to (1: as given, or kept
    some other way, which is then compared exactly); None if no time could be set."""
    try:
        os.utime(ref, ns=(_PROBE_NS, _PROBE_NS))
        kept = os.stat(ref).st_mtime_ns
    except OSError:
        return None
    return next((step for step in TIME_STEPS if _PROBE_NS - _PROBE_NS % step == kept), 1)


def _folder_time_step(folder: Folder) -> int | None:
    """_time_step, asked of the folder itself (a full disk makes no probe file, but sets
    a folder's time), which gets its own times back."""
    ref = folder.self_ref()
    try:
        before = os.stat(ref)
    except OSError:
        return None
    try:
        return _time_step(ref)
    finally:
        with contextlib.suppress(OSError):
            os.utime(ref, ns=(before.st_atime_ns, before.st_mtime_ns))


def probe_name(char: str = "") -> str:
    """The probe file's name (letters in both cases, an é), or that of a name holding
    `char` ("link": its hard link's; "node": a probe pipe's): one a later job removes as
    a leftover (events.TEMP_NAME)."""
    middle = f"-{char}" if char else "-Case-\u00e9"
    return f"{TEMP_PREFIX}{os.getpid():012x}-0-probe{middle}{TEMP_SUFFIX}"


@contextlib.contextmanager
def _probe_file(folder: Folder) -> Iterator[tuple[int | None, str]]:
    """A new empty file in `folder`, open, and its name ((None, "") if none can be made);
    gone on exit, and the folder's times as they were: a probe must not count as a change
    (a re-run leaves the target as it was; a shared folder that is not ours may refuse,
    then only its time moves). Its name holds an é (is the Unicode form folded?), or
    not, where no name may hold one (fusefat refuses it with EPERM, as it refuses `:`)."""
    try:
        before = os.stat(folder.self_ref())
        name, fd = _new_probe(folder)
    except OSError:
        yield None, ""
        return
    try:
        yield fd, name
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(folder.ref(name), dir_fd=folder.fd)
        with contextlib.suppress(OSError):
            os.utime(folder.self_ref(), ns=(before.st_atime_ns, before.st_mtime_ns))


def _new_probe(folder: Folder) -> tuple[str, int]:
    try:
        return probe_name(), _new_file(folder, probe_name())
    except OSError as exc:
        if exc.errno not in NAME_REFUSED:
            raise
        return probe_name("Case-e"), _new_file(folder, probe_name("Case-e"))


def _new_file(folder: Folder, name: str) -> int:
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY
    try:
        return os.open(folder.ref(name), flags, 0o600, dir_fd=folder.fd)
    except FileExistsError:  # a killed job's, of this pid (in a container, always 1):
        os.unlink(folder.ref(name), dir_fd=folder.fd)  # no other job holds this target
        return os.open(folder.ref(name), flags, 0o600, dir_fd=folder.fd)


def name_key_by_reading(top: str) -> NameKey | None:
    """How the target compares names, found without writing (a plan makes no probe file)."""
    return _naming_by_reading(top)[0]


def ways_by_reading(top: str, proven: bool = False) -> TargetWays:
    """How the target compares names and keeps times, read off what is there (a plan;
    a job where no probe can be made, which takes only a proven time step)."""
    key, ends = _naming_by_reading(top)
    try:
        by_type = ways_by_type(os.stat(top).st_dev)
    except OSError:
        by_type = TargetWays()
    step = time_step_by_reading(top, proven)
    return by_type._replace(name_key=key, time_step=step, ends_dropped=ends)


def ways_by_type(device: int) -> TargetWays:
    """What the mount's type tells of a file system: the largest file, characters
    refused, hard links, special files and holes kept (vfat and exFAT keep none)."""
    fat_like = not keeps_hard_links(device)
    return TargetWays(
        largest_file=largest_file(device),
        refused=refused_characters(device),
        links=not fat_like,
        nodes=not fat_like,
        holes=not fat_like,
    )


def _naming_by_reading(top: str) -> tuple[NameKey | None, str]:
    """The first name with A-Z (else with other letters), in the other case and with a
    dot or a space added, names the same file there or not: the key, and the ends
    dropped. Byte for byte also when no such name is found: nothing to confuse then."""
    other: tuple[str, str] | None = None  # the first name with letters but no A-Z
    for folder, entry in _entries_read(top):
        if entry.name.translate(_ASCII_SWAPPED) != entry.name:
            return _key_shown_by(folder, entry.name)
        if other is None and entry.name.swapcase() != entry.name:
            other = (folder, entry.name)
    return _key_shown_by(*other) if other else (None, "")


def time_step_by_reading(top: str, proven: bool = False) -> int:
    """How finely the target keeps times, found without writing (a plan makes no probe
    file): the widest step that the modification and change times of the files already
    there (a few dozen) are all whole multiples of. A file system that keeps nanoseconds
    shows them in the change times it sets; 1 when nothing is there to read.

    `proven`: only a step the change times show on their own (some differ from their
    modification times); where each is its file's modification time (vfat, many FUSE
    file systems), whole-second times from a camera or an archive prove nothing."""
    times: list[int] = []
    own_change_times = False
    for _, entry in _entries_read(top):
        with contextlib.suppress(OSError):
            if not entry.is_dir(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                times += (st.st_mtime_ns, st.st_ctime_ns)
                own_change_times = own_change_times or st.st_ctime_ns != st.st_mtime_ns
        if len(times) >= _TIMES_TO_READ:
            break
    if not times or (proven and not own_change_times):
        return 1
    return next((s for s in reversed(TIME_STEPS) if all(t % s == 0 for t in times)), 1)


def _entries_read(top: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """The entries of `top`, then of its folders on the same file system (a root that
    holds only "2024" says nothing), a few hundred folders at most: (folder, entry)."""
    try:
        device = os.stat(top).st_dev  # (top may be /proc/self/fd/N: the folder it names)
    except OSError:
        return
    folders = [top]
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            yield folder, entry
            if len(folders) < _FOLDERS_TO_READ and _folder_on(entry, device):
                folders.append(entry.path)


def _folder_on(entry: os.DirEntry[str], device: int) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False) and entry.stat().st_dev == device
    except OSError:
        return False


_FOLDERS_TO_READ = 256
_TIMES_TO_READ = 64  # (two a file)


def _key_shown_by(folder: str, name: str) -> tuple[NameKey | None, str]:
    """Whether `name` in the other case, or with an end added, is the same file."""
    try:
        st = os.lstat(os.path.join(folder, name))
    except OSError:
        return None, ""

    listed = functools.cache(lambda: frozenset(os.listdir(folder)))

    def same_as(other: str) -> bool:
        try:
            return _is_same(st, os.lstat(os.path.join(folder, other)), other, name, listed)
        except OSError:
            return False

    dropped = "".join(end for end in DROPPABLE_ENDS if same_as(name + end))
    return _dropping_ends(_case_folding(same_as, name), dropped)


def _is_same(
    st: os.stat_result,
    there: os.stat_result,
    other: str,
    name: str,
    listed: Callable[[], frozenset[str]],
) -> bool:
    """Whether `other`, found by lookup, is the entry `st` (of `name`) was taken of: the
    same inode, or, where a file system gives no lasting inode numbers (FUSE without
    them, SMB with `noserverino`), a name the folder does not list as an entry of its
    own, in any case either (a file planted under that name is listed; on exFAT through
    FUSE, `Note..` finds the user's `note..`, and the plan took dots for dropped)."""
    if os.path.samestat(st, there):
        return True
    key = fold_case(other)
    return all(each == name or fold_case(each) != key for each in listed())
