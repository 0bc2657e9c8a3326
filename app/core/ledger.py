"""Ledger: what a job has learned of its files, kept or counted, and told to its caller."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from app.core.events import FileResult, FilesFinished, FileStatus, JobEvent, Notice
from app.core.reasons import Code, Reason
from app.core.report import Tally

LANDED = frozenset({FileStatus.COPIED, FileStatus.RENAMED})  # files whose bytes were written

Callback = Callable[[JobEvent], None]


class Ledger:
    """Every finished file's result, the bytes they moved, and the notices of the job.

    With keep_all=False it keeps only the results worth reading (failures, renamed
    copies, files kept in the target) and counts the rest: a caller that shows or streams
    the FilesFinished events has every result already. Finished files go to the caller in
    one FilesFinished per send_finished(); a notice at once (tell) or only in the report
    (notices).
    """

    def __init__(self, keep_all: bool, emit: Callback) -> None:
        self.keep_all = keep_all
        self._emit = emit
        self.results: list[FileResult] = []  # every result, or those worth keeping
        self.counts: Counter[FileStatus] = Counter()  # of every result
        self.files_done = 0
        self.bytes_done = 0  # of files finished, whether written, skipped or failed
        self.bytes_written = 0
        self.late = 0  # results of phases after the copy (a mirror's: not source entries)
        self.notices: list[Reason] = []
        self._unsent: list[FileResult] = []
        self._xattr_loss: tuple[int, str] = (0, "")
        self._unlinked: tuple[int, str] = (0, "")  # second names copied on their own

    def finish(self, result: FileResult, size: int) -> None:
        """One file is done; `size` is what it counted for in the total."""
        self.files_done += 1
        self.counts[result.status] += 1
        if self.keep_all or _worth_keeping(result):
            self.results.append(result)
        if result.why is not None and result.why.code is Code.MODE_NOT_KEPT:
            self.tell_once(Reason(Code.MODES_NOT_KEPT, (*result.why.args, result.path)))
        self._unsent.append(result)
        self.bytes_done += size
        if result.status in LANDED:
            self.bytes_written += result.bytes

    def finish_copies(self, copies: list[FileResult]) -> None:
        """finish() for many plain copies at once: most files of a job."""
        size = sum(result.bytes for result in copies)
        self.files_done += len(copies)
        self.counts[FileStatus.COPIED] += len(copies)
        self.bytes_done += size
        self.bytes_written += size
        self._unsent += copies
        if self.keep_all:
            self.results += copies

    def add_late(self, results: list[FileResult]) -> None:
        """Results of a phase after the copy; sent at once (the copy's were sent already)."""
        self.results += results
        self.counts.update(result.status for result in results)
        self.late += len(results)
        if results:
            self._emit(FilesFinished(tuple(results)))

    def send_finished(self) -> None:
        if self._unsent:
            self._emit(FilesFinished(tuple(self._unsent)))
            self._unsent = []

    def tell(self, why: Reason) -> None:
        """A notice for the caller now, and in the report."""
        self.notices.append(why)
        self._emit(Notice(why))

    def tell_once(self, why: Reason) -> None:
        """tell(), unless a notice of its code was told already."""
        if all(told.code is not why.code for told in self.notices):
            self.tell(why)

    def count_xattr_loss(self, count: int, error: str) -> None:
        if count:
            self._xattr_loss = (self._xattr_loss[0] + count, self._xattr_loss[1] or error)

    def tell_xattr_loss(self) -> None:
        """One notice for all files and folders whose extended attributes were not kept."""
        count, error = self._xattr_loss
        if count:
            self.tell(Reason(Code.XATTRS_NOT_KEPT, (count, error)))

    def count_unlinked(self, path: str) -> None:
        self._unlinked = (self._unlinked[0] + 1, self._unlinked[1] or path)

    def tell_unlinked(self) -> None:
        """One notice for all second names the target could not hard-link."""
        count, first = self._unlinked
        if count:
            self.tell(Reason(Code.NOT_HARD_LINKED, (count, first)))

    def landed(self) -> int:
        return sum(self.counts[status] for status in LANDED)

    def tally(self) -> Tally | None:
        # With every result kept, the results say more (verify mismatches, a move's
        # sources it could not remove): the report counts those.
        return None if self.keep_all else Tally(self.counts, self.bytes_written)


def _worth_keeping(result: FileResult) -> bool:
    """A result a person may want to read after the job: not a plain copy, link or skip."""
    if result.status is FileStatus.SKIPPED:
        return result.why != Reason(Code.UP_TO_DATE)  # e.g. newer in the target: kept
    return result.status in (FileStatus.FAILED, FileStatus.RENAMED)
