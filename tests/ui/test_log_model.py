"""The log model and its status filter: batches appended while any filter is shown."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus
from app.ui.log_model import LogFilter, LogModel

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
