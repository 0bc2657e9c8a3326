"""The log model and its status filter: batches appended while any filter is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus
from app.core.mirror import DELETE
from app.core.readback import Checked, CheckStatus
from app.core.reasons import Code, Reason
from app.ui.log_filter import LogFilter
from app.ui.log_model import LogModel

CYCLE = [FileStatus.COPIED, FileStatus.FAILED, FileStatus.SKIPPED, FileStatus.RENAMED]


def results(start: int, count: int) -> list[FileResult]:
    return [FileResult(f"f{i}", CYCLE[i % 4], bytes=i) for i in range(start, start + count)]


def test_filter_follows_appends_and_maps_rows_back(qtbot: QtBot) -> None:
    model = LogModel()
    proxy = LogFilter()
    proxy.setSourceModel(model)
    model.append(results(0, 10))
    proxy.set_kind(LogFilter.FAILED)
    with qtbot.waitSignal(proxy.rowsInserted, timeout=1000) as inserted:
        model.append(results(10, 10))
    assert inserted.args[1:] == [3, 4]  # f13 and f17 become rows 3 and 4 of the filter
    failed = [proxy.data(proxy.index(r, LogModel.PATH)) for r in range(proxy.rowCount())]
    assert failed == [f"f{i}" for i in range(20) if i % 4 == 1]
    assert proxy.mapToSource(proxy.index(2, 0)).row() == 9
    assert proxy.mapFromSource(model.index(13, 0)).row() == 3
    assert not proxy.mapFromSource(model.index(12, 0)).isValid()

    proxy.set_kind(LogFilter.COPIED)  # copied and kept-both
    assert proxy.rowCount() == 10
    proxy.set_kind(LogFilter.ALL)
    assert proxy.rowCount() == 20
    assert [proxy.count(kind) for kind in range(4)] == [20, 10, 5, 5]
    model.clear()
    assert proxy.rowCount() == 0 and proxy.count(LogFilter.FAILED) == 0


def test_rows_read_back_change_filters_while_one_is_shown(qtbot: QtBot) -> None:
    model = LogModel()
    proxy = LogFilter()
    proxy.setSourceModel(model)
    copies = [FileResult(f"f{i}", FileStatus.COPIED, bytes=10) for i in range(6)]
    kept = FileResult("k", FileStatus.RENAMED, bytes=1, target_path="k (2)")
    model.append([*copies, kept])
    proxy.set_kind(LogFilter.COPIED)
    differs = Reason(Code.VERIFY_MISMATCH, ("xxh128",))
    with qtbot.waitSignal(proxy.rowsRemoved, timeout=1000) as removed:
        model.check(
            [
                Checked("f4", CheckStatus.OK),
                Checked("f2", CheckStatus.FAILED, why=differs),
                Checked("k (2)", CheckStatus.OK),  # found where the copy landed
            ]
        )
    assert removed.args[1:] == [2, 2]  # a mismatch is no longer a copy
    assert [proxy.data(proxy.index(r, LogModel.PATH)) for r in range(proxy.rowCount())] == [
        "f0", "f1", "f3", "f4", "f5", "k"
    ]  # fmt: skip
    proxy.set_kind(LogFilter.VERIFIED)
    assert [proxy.data(proxy.index(r, LogModel.PATH)) for r in range(2)] == ["f4", "k"]
    assert proxy.mapFromSource(model.index(6, 0)).row() == 1
    proxy.set_kind(LogFilter.MISMATCH)
    assert proxy.rowCount() == 1 and proxy.mapToSource(proxy.index(0, 0)).row() == 2
    assert proxy.count(LogFilter.FAILED) == 1
    assert model.result(2).status is FileStatus.FAILED and model.result(2).why == differs
    assert model.data(model.index(2, LogModel.STATUS)) == "Mismatch"
    assert model.data(model.index(4, LogModel.STATUS)) == "Verified"
    assert model.data(model.index(0, LogModel.STATUS)) == "Copied"


def test_many_rows_read_back_at_once_reset_the_filter_shown(qtbot: QtBot) -> None:
    model = LogModel()
    proxy = LogFilter()
    proxy.setSourceModel(model)
    count = LogFilter.RESET_ABOVE * 2
    model.append([FileResult(f"f{i}", FileStatus.COPIED, bytes=i) for i in range(count)])
    proxy.set_kind(LogFilter.VERIFIED)
    with qtbot.waitSignal(proxy.modelReset, timeout=1000):
        model.check([Checked(f"f{i}", CheckStatus.OK) for i in reversed(range(count))])
    assert proxy.rowCount() == count == proxy.count(LogFilter.COPIED)
    assert [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(count)] == list(range(count))


def test_up_to_date_files_read_back_show_what_reading_found() -> None:
    model = LogModel()
    proxy = LogFilter()
    proxy.setSourceModel(model)
    up_to_date = Reason(Code.UP_TO_DATE)
    model.append([FileResult(name, FileStatus.SKIPPED, 5, up_to_date) for name in ("a", "b")])
    gone = Reason(Code.VERIFY_MISSING)
    model.check([Checked("a", CheckStatus.OK), Checked("b", CheckStatus.MISSING, why=gone)])
    assert model.data(model.index(0, LogModel.STATUS)) == "Verified"  # (and still Skipped)
    assert model.data(model.index(1, LogModel.STATUS)) == "Missing"
    assert model.result(1).status is FileStatus.FAILED  # as the report says
    assert [proxy.count(kind) for kind in LogFilter.KINDS] == [2, 0, 1, 1, 0, 1, 1, 0, 0, 0]


def test_a_name_that_looks_like_html_shows_as_itself_in_its_tooltip(qtbot: QtBot) -> None:
    model = LogModel()
    model.append([FileResult('<img src="/x.png"><b>big</b>.txt', FileStatus.COPIED)])
    model.append([FileResult("plain", FileStatus.COPIED)])

    tip = model.data(model.index(0, LogModel.PATH), Qt.ItemDataRole.ToolTipRole)
    plain = model.data(model.index(1, LogModel.PATH), Qt.ItemDataRole.ToolTipRole)

    # Qt renders what looks like HTML as HTML: the name must come out escaped.
    assert '&lt;img\xa0src="/x.png"&gt;&lt;b&gt;big&lt;/b&gt;.txt' in tip
    assert "<img" not in tip and "<b>" not in tip
    assert plain == "plain"  # other tooltips stay plain text


def test_a_name_that_reorders_or_breaks_lines_shows_its_controls(qtbot: QtBot) -> None:
    """U+202E would show "evil\u202etxt.exe" as "evilexe.txt"; a newline would fake a row."""
    model = LogModel()
    linked = Reason(Code.LINKED, ("first\u202etxt.exe",))
    model.append([FileResult("evil\u202etxt.exe", FileStatus.COPIED)])
    model.append([FileResult("two\nlines", FileStatus.LINKED, why=linked)])
    model.append([FileResult("中文 名字.txt", FileStatus.COPIED)])

    assert model.data(model.index(0, LogModel.PATH)) == "evil\\u202etxt.exe"
    assert model.data(model.index(1, LogModel.PATH)) == "two\\x0alines"
    assert "first\\u202etxt.exe" in model.data(model.index(1, LogModel.REASON))
    assert model.data(model.index(2, LogModel.PATH)) == "中文 名字.txt"  # only controls


def test_a_previews_deletions_have_an_icon_of_their_own(qtbot: QtBot) -> None:
    """A preview's "Will delete" rows had the ▶ of its "Will copy" rows: deletions did not
    stand out when scanning the log (review of the window)."""
    model = LogModel()
    model.append(
        [
            FileResult("new.txt", FileStatus.PLANNED, 5, action="copy"),
            FileResult("extra.txt", FileStatus.PLANNED, 0, action=DELETE),
            FileResult("gone.txt", FileStatus.DELETED, 5),
        ]
    )

    def image(row: int) -> QImage:
        icon = model.data(model.index(row, LogModel.STATUS), Qt.ItemDataRole.DecorationRole)
        return icon.pixmap(16).toImage()

    assert image(1) != image(0)
    assert image(1) == image(2)  # (the mark of a deletion)


def test_rows_read_back_through_the_cache_say_so() -> None:
    """Files matched as read through the system's cache (a FUSE stick as a user, data
    kept inline) showed in the log as any verified file (review of the change), also one
    with a note of its own (review of the fix)."""
    model = LogModel()
    noted = FileResult("noted", FileStatus.COPIED, 5, Reason(Code.GROUP_DROPPED))
    model.append([FileResult(name, FileStatus.COPIED, 5) for name in ("disk", "cache")] + [noted])
    model.check(
        [
            Checked("disk", CheckStatus.OK),
            Checked("cache", CheckStatus.OK, cached=True),
            Checked("noted", CheckStatus.OK, cached=True),
        ]
    )
    model.append_checks([Checked("listed", CheckStatus.OK, cached=True)])
    statuses = [model.data(model.index(row, LogModel.STATUS)) for row in range(4)]
    reasons = [model.data(model.index(row, LogModel.REASON)) for row in range(4)]
    cache_only = "Verified, through the cache only"
    assert statuses == ["Verified", cache_only, cache_only, cache_only]
    through = "the same, compared through the system's cache only, not read from the disk"
    assert reasons == ["", through, str(Reason(Code.GROUP_DROPPED)), through]
    proxy = LogFilter()
    proxy.setSourceModel(model)
    assert proxy.count(LogFilter.VERIFIED) == 4  # (matched, all of them)
