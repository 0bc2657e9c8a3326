"""Streaming walk of the source tree, and the checks that refuse a job up front."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from app.core.events import FileResult, FileStatus


class EntryKind(Enum):
    DIR = "dir"
    FILE = "file"
    LINK = "link"


class Entry(NamedTuple):
    """One thing to copy; `path` is relative to the source root ("" is the root).

    A NamedTuple, not a dataclass: one is made per file, and it is cheaper.
    """

    path: str
    kind: EntryKind
    size: int = 0
    mode: int = 0
    atime_ns: int = 0
    mtime_ns: int = 0
    note: str = ""  # said with the file's result, e.g. "followed a link out of the source"


class Refusal(Exception):
    """The job cannot start; the message says why. Nothing has been written."""


def special_file_reason(mode: int) -> str:
    kinds = [
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ]
    for test, name in kinds:
        if test(mode):
            return f"not a regular file: {name}, skipped"
    return "not a regular file, skipped"


def check_paths(source: str, target: str) -> None:
    """Raise Refusal if copying the contents of source into target cannot start."""
    if not os.path.lexists(source):
        raise Refusal(f"Source folder does not exist: {source}")
    if not os.path.isdir(source):
        raise Refusal(f"Source is not a folder: {source}")
    try:
        with os.scandir(source) as listing:
            next(listing, None)
    except OSError as exc:
        raise Refusal(f"Cannot read the source folder: {exc.strerror} ({source})") from exc
    if os.path.lexists(target) and not os.path.isdir(target):
        raise Refusal(f"Target exists and is not a folder: {target}")
    _refuse_target_inside_source(source, target)
    existing = _nearest_existing(target)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise Refusal(f"Target folder is not writable: {existing}")


def _nearest_existing(path: str) -> str:
    path = os.path.abspath(path)
    while not os.path.exists(path):
        path = os.path.dirname(path)
    return path


def _refuse_target_inside_source(source: str, target: str) -> None:
    # Compare inodes, not strings: this sees through symlinks, bind mounts and "..".
    src = os.stat(source)
    probe = os.path.realpath(target)
    while True:
        if os.path.exists(probe):
            st = os.stat(probe)
            if (st.st_dev, st.st_ino) == (src.st_dev, src.st_ino):
                if probe == os.path.realpath(target):
                    raise Refusal("Target is the source folder itself.")
                raise Refusal("Target is inside the source folder; the copy would never end.")
        parent = os.path.dirname(probe)
        if parent == probe:
            return
        probe = parent


@dataclass
class ScanTotals:
    files: int = 0
    bytes: int = 0


def scan(root: str, follow_symlinks: bool, totals: ScanTotals) -> Iterator[Entry | FileResult]:
    """Yield every entry under root, parents before children, without recursion.

    Entries that cannot be copied (special files, unreadable folders, loops) come out as
    final FileResults. `totals` grows as files are found.
    """
    root_stat = os.stat(root)
    root_real = os.path.realpath(root)
    visited = {(root_stat.st_dev, root_stat.st_ino)}
    yield _dir_entry("", root_stat)
    pending = [("", "")]  # folder, and the note its files inherit
    while pending:
        rel, note = pending.pop()
        try:
            with os.scandir(os.path.join(root, rel)) as listing:
                children = list(listing)
        except OSError as exc:
            yield _failed(rel or ".", exc)
            continue
        for child in children:
            child_rel = f"{rel}{os.sep}{child.name}" if rel else child.name
            item = _classify(child, child_rel, follow_symlinks, visited)
            if isinstance(item, Entry):
                child_note = note or (follow_symlinks and _leaves(child, root_real)) or ""
                if item.kind is EntryKind.DIR:
                    pending.append((child_rel, child_note))
                else:
                    totals.files += 1
                    totals.bytes += item.size
                    if child_note:
                        item = item._replace(note=child_note)
            yield item


def _leaves(child: os.DirEntry[str], root_real: str) -> str:
    """For a followed link: a note if it leads out of the source tree, else ""."""
    if not child.is_symlink():
        return ""
    real = os.path.realpath(child.path)
    if real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep):
        return ""
    return f"followed a symbolic link out of the source, to {real}"


def _classify(
    child: os.DirEntry[str],
    rel: str,
    follow_symlinks: bool,
    visited: set[tuple[int, int]],
) -> Entry | FileResult:
    try:
        st = child.stat(follow_symlinks=False)
        if stat.S_ISLNK(st.st_mode):
            if not follow_symlinks:
                return Entry(rel, EntryKind.LINK, 0, st.st_mode, st.st_atime_ns, st.st_mtime_ns)
            st = child.stat(follow_symlinks=True)
    except FileNotFoundError:
        if follow_symlinks and child.is_symlink():
            return FileResult(rel, FileStatus.FAILED, reason="broken symbolic link")
        return FileResult(rel, FileStatus.FAILED, reason="vanished during the scan")
    except OSError as exc:
        return _failed(rel, exc)
    if stat.S_ISDIR(st.st_mode):
        key = (st.st_dev, st.st_ino)
        if key in visited:
            return FileResult(
                rel, FileStatus.SKIPPED, reason="symbolic link loop: folder already copied"
            )
        visited.add(key)
        return _dir_entry(rel, st)
    if stat.S_ISREG(st.st_mode):
        return Entry(rel, EntryKind.FILE, st.st_size, st.st_mode, st.st_atime_ns, st.st_mtime_ns)
    return FileResult(rel, FileStatus.SKIPPED, reason=special_file_reason(st.st_mode))


def _dir_entry(rel: str, st: os.stat_result) -> Entry:
    return Entry(rel, EntryKind.DIR, 0, st.st_mode, st.st_atime_ns, st.st_mtime_ns)


def _failed(rel: str, exc: OSError) -> FileResult:
    return FileResult(rel, FileStatus.FAILED, reason=exc.strerror or str(exc), errno=exc.errno or 0)


def scan_selected(
    root: str, paths: list[str], follow_symlinks: bool, totals: ScanTotals
) -> Iterator[Entry | FileResult]:
    """Like scan(), but only the given relative paths (for "retry failed")."""
    root_stat = os.stat(root)
    visited = {(root_stat.st_dev, root_stat.st_ino)}
    yield _dir_entry("", root_stat)
    seen_dirs = {""}
    for path in paths:
        parts = path.split(os.sep)
        for depth in range(1, len(parts)):
            parent = os.sep.join(parts[:depth])
            if parent not in seen_dirs:
                seen_dirs.add(parent)
                try:
                    yield _dir_entry(parent, os.stat(os.path.join(root, parent)))
                except OSError as exc:
                    yield _failed(parent, exc)
        item = _classify_path(root, path, follow_symlinks, visited)
        if isinstance(item, Entry) and item.kind is not EntryKind.DIR:
            totals.files += 1
            totals.bytes += item.size
        yield item


def _classify_path(
    root: str, rel: str, follow_symlinks: bool, visited: set[tuple[int, int]]
) -> Entry | FileResult:
    full = os.path.join(root, rel)
    try:
        st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode) and follow_symlinks:
            st = os.stat(full)
    except OSError as exc:
        return _failed(rel, exc)
    if stat.S_ISLNK(st.st_mode):
        return Entry(rel, EntryKind.LINK, 0, st.st_mode, st.st_atime_ns, st.st_mtime_ns)
    if stat.S_ISREG(st.st_mode):
        return Entry(rel, EntryKind.FILE, st.st_size, st.st_mode, st.st_atime_ns, st.st_mtime_ns)
    if stat.S_ISDIR(st.st_mode):
        visited.add((st.st_dev, st.st_ino))
        return _dir_entry(rel, st)
    return FileResult(rel, FileStatus.SKIPPED, reason=special_file_reason(st.st_mode))
