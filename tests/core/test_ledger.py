"""The job's bookkeeping: results kept or counted, and hard links waiting for their first name."""

from __future__ import annotations

import pytest

from app.core.events import (
    Batch,
    EntryKind,
    FileResult,
    FilesFinished,
    FileStatus,
    FileTask,
    Follower,
    JobEvent,
    Notice,
)
from app.core.hardlinks import SecondNames
from app.core.ledger import Ledger
from app.core.reasons import Code, Reason

pytestmark = pytest.mark.timeout(10)


def _follower(leader: str, name: str, size: int) -> Follower:
    task = FileTask(name, EntryKind.FILE, 0, serial=7, link_to="?")
    return Follower(leader, Batch((task,), {}), size)


def test_a_second_name_waits_for_its_first_and_then_joins_its_copy() -> None:
    names = SecondNames({"a/first"})

    assert names.ready(_follower("a/first", "b/second", 5)) is None
    assert names.waiting

    renamed = FileResult("a/first", FileStatus.RENAMED, 5, target_path="a/first (2)")
    (batch,) = names.first_done(renamed)

    assert not names.waiting
    assert batch.items[0].path == "b/second"
    assert batch.items[0].link_to == "a/first (2)"  # the copy, under the name it got
    later = names.ready(_follower("a/first", "c/third", 5))  # after the landing: at once
    assert later is not None and later.items[0].link_to == "a/first (2)"
    assert names.bytes_unlinked == 0


def test_a_second_name_whose_first_was_not_copied_is_copied_itself() -> None:
    names = SecondNames({"first"})
    names.ready(_follower("first", "second", 5))

    failed = FileResult("first", FileStatus.FAILED, why=Reason(Code.CANNOT_READ, ("EIO",)))
    (batch,) = names.first_done(failed)

    assert batch.items[0].link_to == ""  # a copy of its own
    assert batch.items[0].size == 5
    assert names.bytes_unlinked == 5  # joins the job's total


def test_an_up_to_date_first_name_is_joined_where_it_is() -> None:
    names = SecondNames({"first"})
    names.ready(_follower("first", "second", 5))

    (batch,) = names.first_done(
        FileResult("first", FileStatus.SKIPPED, 5, why=Reason(Code.UP_TO_DATE))
    )

    assert batch.items[0].link_to == "first"


def test_the_ledger_counts_every_file_and_keeps_only_those_worth_reading() -> None:
    events: list[JobEvent] = []
    ledger = Ledger(keep_all=False, emit=events.append)
    failed = FileResult("bad", FileStatus.FAILED, why=Reason(Code.CANNOT_READ, ("EIO",)))
    renamed = FileResult("r", FileStatus.RENAMED, 3, target_path="r (2)")
    up_to_date = FileResult("u", FileStatus.SKIPPED, 4, why=Reason(Code.UP_TO_DATE))

    for result, size in ((failed, 2), (renamed, 3), (up_to_date, 4)):
        ledger.finish(result, size)
    ledger.finish_copies([FileResult(f"c{i}", FileStatus.COPIED, 10) for i in range(3)])

    assert ledger.results == [failed, renamed]
    assert ledger.files_done == 6
    assert ledger.bytes_done == 2 + 3 + 4 + 30
    assert ledger.bytes_written == 3 + 30
    assert ledger.landed() == 4
    tally = ledger.tally()
    assert tally is not None and tally.counts[FileStatus.SKIPPED] == 1

    ledger.send_finished()
    ledger.send_finished()  # nothing new: nothing sent
    (sent,) = events
    assert isinstance(sent, FilesFinished) and len(sent.results) == 6


def test_the_ledger_says_once_how_many_lost_their_extended_attributes() -> None:
    events: list[JobEvent] = []
    ledger = Ledger(keep_all=True, emit=events.append)

    ledger.count_xattr_loss(2, "Operation not supported")
    ledger.count_xattr_loss(3, "another error")
    ledger.tell_xattr_loss()

    why = Reason(Code.XATTRS_NOT_KEPT, (5, "Operation not supported"))
    assert events == [Notice(why)]
    assert ledger.notices == [why]
    assert ledger.tally() is None  # every result kept: the report counts them
