"""Giving finished data its name: only where the name is free, or replacing it atomically.

link() fails on a taken name where rename() would replace it, so a name is created only
if still free, even on targets that fold case or Unicode.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from app.core.conflicts import Action, looks_copied
from app.core.events import TargetWays
from app.core.failures import ChangedDuringCopy, Failed, step
from app.core.options import ConflictPolicy
from app.core.reasons import Code, Reason
from app.core.tree import PROC_FD, Folder, identity, names_in

# A file system without hard links (vfat) says so with one of these: rename instead.
NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}
# ... and one that makes no named pipes, sockets or devices (or a device without root):
NO_NODES = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}
NAME_MAX = 255  # bytes in one name, on every common file system


class SameNames:
    """Names a target that ignores case or Unicode form cannot tell apart, met folder by
    folder in scan order (the scan lists one folder's entries together)."""

    def __init__(self, key: Callable[[str], str]) -> None:
        self.key = key
        self._folder: tuple[str, set[str]] = ("", set())

    def seen_before(self, path: str) -> bool:
        """Whether another name of this folder was met that the target takes for it."""
        parent, _, name = path.rpartition(os.sep)
        if self._folder[0] != parent:
            self._folder = (parent, set())
        key = self.key(name)
        if key in self._folder[1]:
            return True
        self._folder[1].add(key)
        return False


class HeldNames:
    """Whose copy a target that folds names holds at a name, folder by folder in scan
    order (the feeder and the plan ask alike): the source entry spelled as the target's
    entry is. Where trailing dots are dropped (`Wait...` is listed as `Wait`) the
    spelling tells nothing of them: of the source names the target takes for it, the
    one whose data it holds; if none or several do, the one spelled so, else the first
    met (naming.SameNames).

    An entry spelled otherwise whose source name is gone (renamed in the source, or
    moved away by --move, or deleted as backed up) is this entry's copy where nothing
    can be lost by taking it so: in a mirror (which would delete it anyway), under skip
    or keep-both (which replace nothing), or where it is this name as the target stores
    it (HFS+ stores names decomposed). Else only where it looks like this entry's copy
    (_looks_like_its_copy), and never to be overwritten whatever it holds: another form
    of the name (café composed, café decomposed) may be another file's."""

    def __init__(self, mirror: bool, policy: ConflictPolicy) -> None:
        self._gone_is_own = mirror or policy in (ConflictPolicy.SKIP, ConflictPolicy.RENAME)
        self._looks_enough = policy is not ConflictPolicy.OVERWRITE
        self._folder: str | None = None
        self._held: dict[str, str] = {}  # the target folder's names, by name key
        self._spellings: dict[str, list[str]] | None = None  # source names, by name key

    def for_another(
        self, path: str, st: os.stat_result, ways: TargetWays, target: Folder, source: Folder
    ) -> Reason | None:
        """Why this source entry's name is not its own in the target, which holds another
        entry's copy there; None where it is."""
        key = ways.name_key
        assert key is not None
        parent, _, name = path.rpartition(os.sep)
        if self._folder != parent:
            self._folder, self._spellings = parent, None
            self._held = {key(each): each for each in _names_or_none(target)}
        held = self._held.get(key(name))
        if held is None or (held == name and not ways.ends_dropped):
            return None  # (spelled as this name, where the spelling tells all: its own)
        owners = self._owners(held, key, ways.ends_dropped, source)
        if not owners:  # renamed in the source (README to Readme), or gone (moved away)
            if self._taken_as_its_own(name, held, st, target, ways):
                return None
            return Reason(Code.NAME_HELD_BY_GONE, (held,))  # (the user can tell whose)
        if _owned_by_another(name, held, owners, st, target):
            return Reason(Code.NAME_CLASH)
        return None

    def _taken_as_its_own(
        self, name: str, held: str, st: os.stat_result, target: Folder, ways: TargetWays
    ) -> bool:
        if self._gone_is_own or (ways.stores_nfd and held == _nfd(name)):
            return True
        return self._looks_enough and _looks_like_its_copy(st, _stat(target, held))

    def _owners(
        self, held: str, key: Callable[[str], str], ends: str, source: Folder
    ) -> dict[str, os.stat_result]:
        """The source names whose copy the target may list as `held`, with their stat."""
        if not ends:
            names = [held]
        else:
            if self._spellings is None:  # (once a folder: it may hold a million names)
                self._spellings = {}
                for each in _names_or_none(source):
                    self._spellings.setdefault(key(each), []).append(each)
            names = self._spellings.get(key(held), [])
        return {each: st for each in names if (st := _stat(source, each)) is not None}


class NameClashes:
    """Why a name fails on a target that ignores case or Unicode form, or drops trailing
    dots (the feeder and the plan ask alike): the target holds another entry's copy at it
    (HeldNames: a retry of `a.txt` must not land on the copy of `A.txt`), or it comes after
    a name of its folder met earlier in this job that the target takes for it (SameNames:
    the first that did not fail lands)."""

    def __init__(self, mirror: bool, policy: ConflictPolicy) -> None:
        self._held = HeldNames(mirror, policy)
        self._names: SameNames | None = None

    def why(
        self,
        path: str,
        st: os.stat_result,
        ways: TargetWays,
        folders: Callable[[], tuple[Folder, Folder]] | None,
    ) -> Reason | None:
        """`folders` opens the target folder `path` is in and its source folder, where the
        target has that folder already (else it holds no copy to ask about)."""
        if ways.name_key is None:
            return None
        if folders is not None and (held := self._held_for_another(path, st, ways, folders)):
            return held
        if self._names is None or self._names.key is not ways.name_key:
            self._names = SameNames(ways.name_key)
        return Reason(Code.NAME_CLASH) if self._names.seen_before(path) else None

    def _held_for_another(
        self,
        path: str,
        st: os.stat_result,
        ways: TargetWays,
        folders: Callable[[], tuple[Folder, Folder]],
    ) -> Reason | None:
        try:
            target, source = folders()
        except OSError:
            return None  # replaced since: its files fail as the worker finds it
        return self._held.for_another(path, st, ways, target, source)


def _nfd(name: str) -> str:
    return unicodedata.normalize("NFD", name)


def _owned_by_another(
    name: str, held: str, owners: dict[str, os.stat_result], st: os.stat_result, target: Folder
) -> bool:
    """Whether `held`, the target's entry the source names `owners` may own, is another's
    copy than `name`'s."""
    if name not in owners:
        return any(identity(other) != identity(st) for other in owners.values())
    if len(owners) == 1:
        return False
    there = _stat(target, held)
    alike = [] if there is None else [n for n, o in owners.items() if looks_copied(o, there)]
    if len(alike) == 1:
        return alike != [name]
    return name != held if held in owners else False


def _looks_like_its_copy(st: os.stat_result, there: os.stat_result | None) -> bool:
    """Whether the target's entry spelled otherwise, whose source is gone, is this entry's
    copy, renamed in the source since: same type, size and time. Else it may be the only
    copy of a file --move took, or one the user deleted as backed up: replacing it would
    lose it. A folder's size and time tell nothing: one renamed (photos to Photos) fails
    until its copy is renamed too, as merging the two would let one's files replace the
    other's."""
    return there is not None and not stat.S_ISDIR(st.st_mode) and looks_copied(st, there)


def _names_or_none(folder: Folder) -> list[str]:
    try:
        return names_in(folder)
    except OSError:
        return []


def _stat(folder: Folder, name: str) -> os.stat_result | None:
    try:
        return os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
    except OSError:
        return None


class Linkable(NamedTuple):
    """Something that can be given a name with link(): an unnamed file, a temp, a copy."""

    path: str
    dir_fd: int | None
    follow: bool  # True for /proc/self/fd/N, which names the open file itself
    # A name of this entry's own (its temp, a private link): where the file system keeps
    # no hard links, it is renamed instead. Another entry's copy must keep its name.
    own: bool = True

    def link_as(self, folder: Folder, name: str) -> None:
        os.link(
            self.path,
            folder.ref(name),
            src_dir_fd=self.dir_fd,
            dst_dir_fd=folder.fd,
            follow_symlinks=self.follow,
        )


def open_file(fd: int) -> Linkable:
    """An open file, named through /proc (an O_TMPFILE file has no other name)."""
    return Linkable(f"{PROC_FD}/{fd}", None, True)


def publish(
    folder: Folder,
    name: str,
    data: Linkable,
    action: Action,
    temp_name: str,
    fresh: bool,
    replaces: os.stat_result | None = None,
    source: Folder | None = None,
) -> str:
    """Give the finished data its name in `folder` as decided; returns the name used.

    `temp_name` is this entry's private name there: data found elsewhere (an unnamed
    file, the source of a move, the copy a hard link joins) gets it before it replaces a
    name. `fresh` says the folder was created by this job. `replaces`: what the name held
    when replacing it was decided; if it holds something else now (someone saved a newer
    file meanwhile), ChangedDuringCopy: the caller decides again. `source`: the entry's
    source folder, whose names a kept-both copy never takes (they are for their copies).
    """
    with step(Code.CANNOT_NAME):
        if action is Action.COPY:
            if not _link_if_free(data, folder, name):
                code = Code.NAME_CLASH if fresh else Code.NAME_APPEARED
                raise Failed(Reason(code), errno.EEXIST)
            return name
        if action is Action.RENAME:
            return _link_to_free_name(data, folder, name, source)
        if data != Linkable(folder.ref(temp_name), folder.fd, False):
            remove(folder, temp_name)  # then the temp name replaces the name atomically
            _name_as_temp(data, folder, temp_name)
        try:
            if replaces is not None and not _still(folder, name, replaces):
                raise ChangedDuringCopy  # someone saved another file there meanwhile
            os.replace(
                folder.ref(temp_name), folder.ref(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd
            )
        except BaseException:
            remove(folder, temp_name)
            raise
        return name


def numbered(name: str, n: int) -> str:
    """ "name (n).ext", the stem shortened (at a character boundary) to fit NAME_MAX
    bytes; after the whole name if the extension leaves no room ("b.eee…eee (2)")."""
    stem, ext = os.path.splitext(name)
    if len(os.fsencode(ext)) > NAME_MAX // 2:
        stem, ext = name, ""
    return _fitted(stem, f" ({n}){ext}")


def _fitted(stem: str, suffix: str) -> str:
    """stem + suffix, the stem shortened (at a character boundary) to fit NAME_MAX bytes."""
    raw = os.fsencode(stem)
    room = NAME_MAX - len(os.fsencode(suffix))
    if len(raw) <= room:
        return stem + suffix
    cut = max(room, 0)
    while cut > 0 and 0x80 <= raw[cut] < 0xC0:  # the first byte left out continues a character
        cut -= 1
    return os.fsdecode(raw[:cut]) + suffix


def kept_before(folder: Folder, name: str, st: os.stat_result, source: Folder) -> str | None:
    """Keep both, once more: the "name (N)" an earlier run gave this same entry (same
    type, size and time), so that a re-run does not add another copy. A "name (N)" the
    source folder has too is that entry's copy, whatever it looks like."""
    for n in range(2, 10_000):
        candidate = numbered(name, n)
        try:
            there = os.stat(folder.ref(candidate), dir_fd=folder.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None  # the numbers are given in order
        if _holds(source, candidate):
            continue
        if looks_copied(st, there):
            return candidate
    return None


def _holds(folder: Folder, name: str) -> bool:
    """Whether `name` is taken in `folder` (by anything, a dangling link too)."""
    try:
        os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def remove(folder: Folder, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder.ref(name), dir_fd=folder.fd)


def _name_as_temp(data: Linkable, folder: Folder, temp_name: str) -> None:
    """Link `data` as this entry's temp name; where the file system keeps no hard links
    (vfat), an entry's own name (a link or special file made privately) is renamed."""
    try:
        data.link_as(folder, temp_name)
    except OSError as exc:
        if exc.errno not in NO_LINKS or data.follow or not data.own:
            raise
        os.rename(data.path, folder.ref(temp_name), src_dir_fd=data.dir_fd, dst_dir_fd=folder.fd)


def _link_if_free(data: Linkable, folder: Folder, name: str) -> bool:
    """Create `name` only if nobody holds it; False if taken."""
    try:
        data.link_as(folder, name)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in NO_LINKS or data.follow or not data.own:
            raise
    # No hard links here (vfat): rename, after a check (this file system has no links
    # to race with, and the folder is one this job writes into).
    if _holds(folder, name):
        return False
    os.rename(data.path, folder.ref(name), src_dir_fd=data.dir_fd, dst_dir_fd=folder.fd)
    return True


def _link_to_free_name(data: Linkable, folder: Folder, wanted: str, source: Folder | None) -> str:
    """Link to "name (N).ext" for the first N nobody holds (nor the source), without a
    race."""
    for n in range(2, 10_000):
        candidate = numbered(wanted, n)
        if source is not None and _holds(source, candidate):
            continue
        if _link_if_free(data, folder, candidate):
            return candidate
    raise Failed(Reason(Code.NO_FREE_NAME), errno.EEXIST)


def _still(folder: Folder, name: str, seen: os.stat_result) -> bool:
    """Whether `name` holds what it held when it was seen (or nothing: nothing to lose)."""
    try:
        now = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
    except FileNotFoundError:
        return True
    return (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
        seen.st_dev,
        seen.st_ino,
        seen.st_size,
        seen.st_mtime_ns,
    )
