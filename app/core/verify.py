"""The verify phase of a copy and the manifest it writes; `ferry verify` of a manifest."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from app.core import manifest
from app.core.events import FileResult, FileStatus, Identity, Progress, display_path
from app.core.hashing import Algorithm
from app.core.readback import Checked, Checker, CheckItem, CheckStatus
from app.core.reasons import Code, Reason, up_to_date
from app.core.tree import PATH_FLAGS, Folders, identity

_LANDED = (FileStatus.COPIED, FileStatus.RENAMED)


def target_path(result: FileResult) -> str:
    return result.target_path or result.path


def _up_to_date(result: FileResult) -> bool:
    return result.status is FileStatus.SKIPPED and up_to_date(result.why)


def _there(result: FileResult) -> bool:
    """Its data is in the target as the source's: written, or up to date (a failure's
    digest is the source's, not what the target holds)."""
    return result.status in _LANDED or _up_to_date(result)


class VerifyPhase:
    """After a copy is synced: read back what it wrote, compare, write the manifest.

    Copied files are compared with the digest their worker computed from the source.
    Files that were already up to date (judged by size and time) get their digest from
    their source first (source_items): a manifest lists the source's bytes, and a verify
    compares the copy with them too. Taken from the copy instead, a re-run certified a
    copy gone bad with its size and time kept, and a verify cut short was never made up
    for (review). Results of mismatched or missing copies become failures, in place in
    `results`.
    """

    def __init__(
        self,
        results: list[FileResult],
        target: str,
        algorithm: Algorithm,
        verify: bool,
        manifest_path: str,
    ) -> None:
        self.results = results
        self.target = target
        self.algorithm = algorithm
        self.verify = verify
        self.manifest_path = manifest_path
        self.bytes_total = 0
        self.files_total = 0
        self._index: dict[str, int] = {}  # target path -> position in results
        self._sources: dict[str, int] = {}  # source path -> position (source_items)
        self._done = 0  # files read (a source and its copy count one each)
        self._compared: set[str] = set()  # read back and matched the source's digest
        self._inodes: dict[str, Identity] = {}  # target path -> the inode read back there

        self._cached: set[str] = set()  # of those, read through the system's cache

    @property
    def verified(self) -> int:
        """Files read back from the disk and matched."""
        return len(self._compared - self._cached) if self.verify else 0

    @property
    def verified_cached(self) -> int:
        """Files that matched as read through the system's cache (fromdisk): not proven
        from the disk."""
        return len(self._compared & self._cached) if self.verify else 0

    def source_items(self) -> list[CheckItem]:
        """Up-to-date files whose source is read for its digest (record_source)."""
        if not (self.verify or self.manifest_path):
            return []
        for position, result in enumerate(self.results):
            if _up_to_date(result) and self._holds_data(target_path(result)):
                self._sources[result.path] = position
        items = [CheckItem(path, self.results[at].bytes) for path, at in self._sources.items()]
        self.files_total, self.bytes_total = len(items), sum(item.size for item in items)
        return items

    def record_source(self, checked: Checked) -> Checked | None:
        """Note a source's digest; or, where the source could not be read, that its copy
        cannot be proven: a failure, returned as the copy's check to show."""
        position = self._sources[checked.path]
        result = self.results[position]
        self._done += 1
        if checked.status is CheckStatus.OK:
            self.results[position] = result._replace(digest=checked.digest)
            return None
        why = Reason(Code.VANISHED)
        if checked.status is CheckStatus.FAILED and checked.why is not None:
            why = Reason(Code.CANNOT_READ, checked.why.args)
            if checked.why.code is not Code.CANNOT_VERIFY:
                why = checked.why  # (not a regular file now, a folder replaced)
        self.results[position] = result._replace(status=FileStatus.FAILED, why=why)
        return Checked(target_path(result), CheckStatus.FAILED, why=why)

    def items(self) -> list[CheckItem]:
        """The copies read back (after source_items): compared with their source's digest
        when verifying, else only those whose digest the manifest still lacks."""
        items = []
        for position, result in enumerate(self.results):
            compared = result.status in _LANDED or _up_to_date(result)
            if self.verify and compared and result.digest:
                items.append(CheckItem(target_path(result), result.bytes, result.digest))
            elif self.manifest_path and self._digest_to_read(result):
                items.append(CheckItem(target_path(result), result.bytes))
            else:
                continue
            self._index[items[-1].path] = position
        self.files_total += len(items)
        self.bytes_total += sum(item.size for item in items)
        return items

    def _digest_to_read(self, result: FileResult) -> bool:
        """A file the manifest lists whose digest no worker computed: moved within the
        file system (its inode linked, never read: the copy is the source)."""
        landed = result.status in _LANDED and not result.digest
        return landed and self._holds_data(target_path(result))

    def _holds_data(self, path: str) -> bool:
        """A symbolic link or special file has no data of its own: a manifest lists none
        (its copy was not read either; the result does not say what the entry is)."""
        try:
            return stat.S_ISREG(os.lstat(os.path.join(self.target, path)).st_mode)
        except OSError:
            return True  # gone: reading it back says so

    def progress(self, bytes_done: int, elapsed: float, paused: threading.Event) -> Progress:
        return Progress(
            files_done=self._done,
            files_total=self.files_total,
            bytes_done=bytes_done,
            bytes_total=self.bytes_total,
            scan_done=True,
            elapsed=elapsed,
            paused=paused.is_set(),
            bytes_written=bytes_done,  # the work of this phase: bytes read back
            phase="verify",
        )

    def record(self, checked: Checked) -> bool:
        """Note what reading back found; whether it is news: a comparison with the
        source, or a failure (a file only hashed for the manifest proves nothing)."""
        self._done += 1
        position = self._index[checked.path]
        result = self.results[position]
        if checked.status is not CheckStatus.OK:
            self.results[position] = result._replace(status=FileStatus.FAILED, why=checked.why)
            return True
        if checked.inode is not None:
            self._inodes[checked.path] = checked.inode
        if checked.cached:
            self._cached.add(checked.path)
        if result.status is FileStatus.LINKED:  # (link_items: another inode, read on its own)
            if self._linked_to(result) in self._compared:
                self._compared.add(checked.path)
            return self.verify
        if self.verify and result.digest and (result.status in _LANDED or _up_to_date(result)):
            self._compared.add(checked.path)
            return True
        if not result.digest:  # moved by a link: its digest was only just read
            self.results[position] = result._replace(digest=checked.digest)
        return False

    def count_links(self) -> list[Checked]:
        """A hard link was not written: it fails with the copy it joins, found bad (one
        inode). Returns the links found bad so."""
        failed = {target_path(r): r.why for r in self.results if r.status is FileStatus.FAILED}
        bad = []
        for position, result in enumerate(self.results):
            joined, path = self._linked_to(result), target_path(result)
            if joined in failed:
                self.results[position] = result._replace(
                    status=FileStatus.FAILED, why=failed[joined]
                )
                bad.append(Checked(path, CheckStatus.FAILED, why=failed[joined]))
        return bad

    def link_items(self, root_id: Identity, folder_ids: dict[str, Identity]) -> list[CheckItem]:
        """The hard links (after count_links) to read back on their own: a second name
        shares what was read of the copy it joins only if it is still that inode, as
        looked up now (through folders checked as the read-back checks them). Another
        file there is compared with the joined copy's digest: it was counted verified
        and listed unread (review)."""
        digests = {target_path(r): r.digest for r in self.results if r.digest}
        folders = Folders(self.target, PATH_FLAGS, root_id)
        items = []
        try:
            for position, result in enumerate(self.results):
                joined, path = self._linked_to(result), target_path(result)
                if result.status is not FileStatus.LINKED or joined not in self._inodes:
                    continue
                parent, _, name = path.rpartition(os.sep)
                size = 0
                try:
                    folder = folders.open(parent, folder_ids.get(parent))
                    st = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
                    size = st.st_size
                    if identity(st) == self._inodes[joined]:
                        if joined in self._compared:
                            self._compared.add(path)
                        if joined in self._cached:
                            self._cached.add(path)
                        continue
                except OSError:
                    pass  # (reading it back says why)
                items.append(CheckItem(path, size, digests.get(joined, "")))
                self._index[path] = position
        finally:
            folders.close()
        self.files_total += len(items)
        self.bytes_total += sum(item.size for item in items)
        return items

    @staticmethod
    def _linked_to(result: FileResult) -> str:
        """The copy a hard link joins ("" for any other result)."""
        if result.status is FileStatus.LINKED and result.why and result.why.args:
            return str(result.why.args[0])
        return ""

    def write_manifest(self) -> None:
        manifest.write(self.manifest_path, self._lines())

    def _lines(self) -> Iterator[manifest.Line]:
        digests = {target_path(r): r.digest for r in self.results if r.digest and _there(r)}
        for result in self.results:
            path = target_path(result)
            if result.status is FileStatus.LINKED and result.why and result.why.args:
                digest = digests.get(result.why.args[0], "")
            else:
                digest = result.digest if _there(result) else ""
            if digest:
                yield manifest.Line(path, digest)


# --- ferry verify MANIFEST [FOLDER] ----------------------------------------------------


# What a report keeps of the checks that did not match: every one is said as it is found
# (on_checked: the terminal, --json, the window's log); the report counts them all and
# keeps this many for a summary's list (the window's lists 500), so that a wrong folder
# of a million missing files costs no more memory than a good one.
FAILURES_KEPT = 1000


@dataclass(frozen=True)
class VerifyReport:
    manifest: str
    folder: str
    failures: tuple[Checked, ...] = ()  # the first FAILURES_KEPT not ok (counts: all)
    seconds: float = 0.0
    cancelled: bool = False
    # The manifest could not be read: nothing was checked (or, where it changed while
    # checked, the check stopped at the line that cannot be read; counts: until there).
    error: Reason | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        if self.cancelled:
            return 130
        return 0 if self.counts.get("failed", 0) + self.counts.get("missing", 0) == 0 else 1

    def summary(self) -> dict[str, object]:
        return {
            "event": "summary",
            "ok": self.counts.get("ok", 0),
            "cached": self.counts.get("cached", 0),  # of "ok": read through the cache
            "failed": self.counts.get("failed", 0),
            "missing": self.counts.get("missing", 0),
            "seconds": round(self.seconds, 3),
            "cancelled": self.cancelled,
            "error": display_path(str(self.error or "")),
        }


@dataclass(frozen=True, slots=True)
class VerifyProgress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    elapsed: float


class _Tally:
    """What a verify keeps of its results: counts, and the first failures."""

    def __init__(self) -> None:
        self.counts = {status.value: 0 for status in CheckStatus}
        self.counts["cached"] = 0  # of the ok ones, read through the system's cache
        self.failures: list[Checked] = []
        self.done = 0

    def add(self, checked: Checked) -> None:
        self.done += 1
        self.counts[checked.status.value] += 1
        if checked.status is CheckStatus.OK:
            self.counts["cached"] += 1 if checked.cached else 0
        elif len(self.failures) < FAILURES_KEPT:
            self.failures.append(checked)


class _Listing(NamedTuple):
    files: int
    bytes: int  # of the files listed, as found now (for progress)
    root_id: Identity


class VerifyJob:
    """Check `folder` against a manifest, reading every file back from the device.

    Its memory does not grow with the manifest (a million lines held 544 MB): the
    manifest is read twice as a stream, a first pass that only parses and counts
    (_survey: a bad line is refused before any file is read back, and progress has its
    totals), then the check, which takes each line as a reader is free (_items). What
    is kept is counts and the first failures (_Tally); each result goes to on_checked
    as it comes. Nothing else needs the whole manifest: a line listed twice is checked
    twice, as sha256sum -c does; files are read in the manifest's order; an empty
    manifest's check of the folder stops at its first file.
    """

    def __init__(
        self,
        manifest_path: str,
        folder: str | None = None,
        threads: int = 0,
        on_checked: Callable[[Checked], None] = lambda checked: None,
        on_progress: Callable[[VerifyProgress], None] = lambda progress: None,
    ) -> None:
        self.manifest_path = os.path.abspath(manifest_path)
        self.folder = os.path.abspath(folder or os.path.dirname(self.manifest_path))
        self.algorithm = Algorithm.for_manifest(manifest_path)
        self.threads = threads or max(2, os.cpu_count() or 1)
        self.on_checked = on_checked
        self.on_progress = on_progress
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> VerifyReport:
        started = time.monotonic()
        try:
            if other := Algorithm.named_other(self.manifest_path):
                raise manifest.ManifestError(Reason(Code.MANIFEST_OTHER_HASH, (other,)))
            listing = self._survey()
            if not listing.files and self._holds_files():  # Ferry writes none such
                raise manifest.ManifestError(Reason(Code.MANIFEST_LISTS_NOTHING))
        except manifest.ManifestError as exc:
            return VerifyReport(self.manifest_path, self.folder, error=exc.why)
        except OSError as exc:  # (reading on: an I/O error, say)
            return VerifyReport(self.manifest_path, self.folder, error=self._unreadable(exc))
        tally, stopped = _Tally(), list[Reason]()
        checker = Checker(
            self.folder,
            self.algorithm,
            self.threads,
            self._cancel,
            root_id=listing.root_id,
            mismatch=Code.MANIFEST_MISMATCH,
            replaced=Code.NOT_A_FOLDER_ON_PATH,
        )

        def tick() -> None:
            done, elapsed = checker.bytes_done, time.monotonic() - started
            progress = VerifyProgress(tally.done, listing.files, done, listing.bytes, elapsed)
            self.on_progress(progress)

        def checked(result: Checked) -> None:
            tally.add(result)
            self.on_checked(result)

        checker.check(self._items(stopped), checked, tick)
        tick()
        return VerifyReport(
            self.manifest_path,
            self.folder,
            tuple(tally.failures),
            time.monotonic() - started,
            self._cancel.is_set(),
            stopped[0] if stopped else None,
            tally.counts,
        )

    def _survey(self) -> _Listing:
        """The first pass over the manifest, keeping nothing of its lines: each is
        parsed, so that a bad one is refused before any file is read back, and counted,
        its file's size summed, for progress. A bad line is said before a bad folder,
        as when the manifest was read whole before the folder was looked at."""
        folder_error: manifest.ManifestError | None = None
        try:
            root_id = _identity(self.folder)
        except manifest.ManifestError as exc:
            folder_error, root_id = exc, (0, 0)  # (raised once every line is read)
        folders = None if folder_error else Folders(self.folder, PATH_FLAGS, root_id)
        files = size = 0
        try:
            for line in manifest.read(self.manifest_path, self.algorithm):
                files += 1
                size += _size(folders, line.path) if folders else 0
        finally:
            if folders:
                folders.close()
        if folder_error is not None:
            raise folder_error
        return _Listing(files, size, root_id)

    def _items(self, stopped: list[Reason]) -> Iterator[CheckItem]:
        """The second pass: the manifest's lines, read as the checker takes them. A
        manifest changed since the first pass so that it cannot be read on ends the
        check there, said in `stopped` (raised, it would be lost in the feeding thread)."""
        try:
            for line in manifest.read(self.manifest_path, self.algorithm):
                yield CheckItem(line.path, 0, line.digest)  # (size: for progress only)
        except manifest.ManifestError as exc:
            stopped.append(exc.why)
        except OSError as exc:
            stopped.append(self._unreadable(exc))

    def _unreadable(self, exc: OSError) -> Reason:
        return Reason(Code.MANIFEST_UNREADABLE, (self.manifest_path, exc.strerror or str(exc)))

    def _holds_files(self) -> bool:
        """Whether the folder holds a file besides the manifest (which would prove none);
        links are not listed in manifests (a copy of only links writes an empty one)."""
        try:
            itself = os.stat(self.manifest_path)  # (by identity: a link may name either)
        except OSError:
            itself = None
        for parent, _, names in os.walk(self.folder):
            for name in names:
                st = os.lstat(os.path.join(parent, name))
                is_manifest = itself is not None and os.path.samestat(st, itself)
                if not (stat.S_ISLNK(st.st_mode) or is_manifest):
                    return True
        return False


def _identity(folder: str) -> Identity:
    try:
        st = os.stat(folder)
    except OSError as exc:
        why = Reason(Code.VERIFY_FOLDER_UNREADABLE, (folder, exc.strerror or str(exc)))
        raise manifest.ManifestError(why) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise manifest.ManifestError(Reason(Code.VERIFY_NOT_A_FOLDER, (folder,)))
    return (st.st_dev, st.st_ino)


def _size(folders: Folders, path: str) -> int:
    """For progress only: 0 if it cannot be seen (the check then says why). Reached as
    the check reaches it, never through a link (a stat outside the folder, or a hang)."""
    parent, _, name = path.rpartition(os.sep)
    try:
        folder = folders.open(parent)
        return os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False).st_size
    except OSError:
        return 0
