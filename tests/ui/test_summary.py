"""The summary after a copy: what it says, when it goes away, what its buttons do."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus
from app.core.readback import Checked, CheckStatus
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.core.verify import VerifyReport
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.outcome import message_text, reason_text
from app.ui.summary_panel import SummaryPanel
from tests.helpers import needs_root, tiny_tmpfs
from tests.ui.util import click, click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def copy_once(qtbot: QtBot, window: MainWindow, source: Path, target: Path) -> None:
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)


def test_the_summary_goes_away_when_the_folders_change(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window()
    copy_once(qtbot, window, source, tmp_path / "dst")
    window.foldersPanel.targetEdit.setText(str(tmp_path / "elsewhere"))
    qtbot.waitUntil(lambda: not window.summaryPanel.isVisible(), timeout=5000)


def test_a_disk_space_refusal_reads_in_human_sizes_and_says_the_count_was_partial(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    refused = Reason(Code.NO_SPACE_SO_FAR, (5 << 30, 1 << 20))
    # Emitted in the GUI thread: the window's slot runs now, as when it is queued.
    window.controller.finished.emit(CopyReport("/src", "/dst", refused=refused))
    headline = window.summaryPanel.summaryLabel.text()
    assert "5.0 GiB" in headline and "1.0 MiB" in headline, headline
    assert "5,368,709,120" not in headline
    assert "at least" in headline, headline  # the scan stops at the first byte too many
    # Where the count stopped just past the free space, both round alike: said so
    # ("at least 30.0 MiB to write (scan not finished), 30.0 MiB free", review).
    assert "need more than the 1.0 MiB free" in headline, headline


def test_os_errors_say_what_failed() -> None:
    denied = Reason(Code.CANNOT_READ, (os.strerror(errno.EPERM),))
    failed = FileResult("a.txt", FileStatus.FAILED, why=denied, errno=errno.EPERM)
    assert reason_text(failed) == "cannot read the source file: Operation not permitted"


def test_retry_keeps_both_runs_in_the_log_marked_and_a_missing_file_reads_the_same(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    (source / "sub" / "c.txt").write_text("c")
    target.mkdir()
    (target / "sub").write_text("a plain file where the source has a folder")
    window = make_window()
    copy_once(qtbot, window, source, target)
    model = window.logPanel.logModel
    first_run = model.rowCount()
    assert first_run == 4  # a.txt, the folder sub, b.txt, c.txt

    (target / "sub").unlink()
    (source / "sub" / "c.txt").unlink()  # gone before the retry
    click(qtbot, window.summaryPanel.retryButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)

    assert model.rowCount() > first_run  # the first run's rows are still there
    assert {model.run(row) for row in range(first_run)} == {1}
    assert {model.run(row) for row in range(first_run, model.rowCount())} == {2}
    assert not window.logPanel.logView.isColumnHidden(LogModel.RUN)
    retried = {model.result(r).path: r for r in range(first_run, model.rowCount())}
    c_row = retried[os.path.join("sub", "c.txt")]
    reason = model.data(model.index(c_row, LogModel.REASON))
    assert reason == "vanished from the source before it could be copied"

    out = tmp_path / "log.csv"
    window.logPanel.export_log(str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",run,verify") and len(lines) == 1 + model.rowCount()


def test_failures_have_tooltips_with_the_whole_path_and_reason(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    deep = source.joinpath(*[f"level {i}" for i in range(8)])
    deep.mkdir(parents=True)
    (deep / "photo.jpg").write_text("x")
    target.mkdir()
    (target / "level 0").write_text("a plain file where the source has a folder")
    window = make_window()
    copy_once(qtbot, window, source, target)
    failures = window.summaryPanel.failuresList
    assert failures.count() > 0
    assert failures.textElideMode() == Qt.TextElideMode.ElideMiddle
    for row in range(failures.count()):
        item = failures.item(row)
        assert item.toolTip() and "\n" in item.toolTip(), item.text()
    photo = os.path.join(*[f"level {i}" for i in range(8)], "photo.jpg")
    assert any(failures.item(r).toolTip().startswith(photo) for r in range(failures.count()))


@pytest.mark.skipif(bool(os.environ.get("DISPLAY")), reason="needs no desktop to open folders")
def test_open_target_folder_says_so_when_nothing_can_open_it(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    window = make_window()
    copy_once(qtbot, window, source, tmp_path / "dst")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # no xdg-open, no file manager
    click(qtbot, window.summaryPanel.openTargetButton)
    box = window.findChild(QMessageBox, "openFailedDialog")
    assert box is not None and box.isVisible()
    assert str(tmp_path / "dst") in box.text()
    box.close()


@pytest.mark.parametrize(("failed", "rows"), [(2, 2), (3, 3), (8, 3)])
def test_the_failure_list_shows_whole_rows(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, failed: int, rows: int
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    for i in range(failed):  # a folder in the target where the source has a file
        (source / f"photo {i}.jpg").write_text("x")
        (target / f"photo {i}.jpg").mkdir()
    window = make_window()
    copy_once(qtbot, window, source, target)
    failures = window.summaryPanel.failuresList
    assert failures.count() == failed
    row = failures.sizeHintForRow(0)
    shown = failures.viewport().height()
    assert shown == rows * row, (shown, row)  # whole rows, all of them up to three


def test_a_failure_wider_than_the_list_is_not_covered_by_its_scroll_bar(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A reason longer than the list is wide brought a horizontal scroll bar, which
    covered the only row: "Done, but 1 item could not be copied" and no item seen
    (review of the window, in both languages)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    deep = source / ("a folder with a long name " * 4).strip() / "photo.jpg"
    deep.parent.mkdir(parents=True)
    deep.write_text("x")
    (target / deep.relative_to(source)).mkdir(parents=True)
    window = make_window()
    copy_once(qtbot, window, source, target)
    failures = window.summaryPanel.failuresList
    assert failures.count() == 1
    assert failures.horizontalScrollBar().isVisible()  # (the test's own premise)
    assert failures.viewport().height() >= failures.sizeHintForRow(0)


def test_a_notice_on_a_small_screen_never_lays_the_summary_over_itself(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """880 x 691, a 1366 x 768 laptop's room: a notice during the copy, wrapped to two
    lines, took a line from the panels below, and the summary's list of failures lay
    under its buttons. The window scrolls instead; each panel keeps its minimum."""
    window = make_window()
    window.resize(880, 691)
    notice = Reason(Code.NOT_HARD_LINKED, (1, "a/name/of/a/hard/linked/file" * 2))
    failed = tuple(
        FileResult(f"photo {i}.jpg", FileStatus.FAILED, why=Reason(Code.NAME_CLASH))
        for i in range(5)
    )
    # Emitted in the GUI thread: the window's slots run now, as when they are queued.
    window.controller.notice.emit(notice)
    window.controller.finished.emit(CopyReport("/src", "/dst", results=failed, notices=(notice,)))
    qtbot.wait(50)  # (queued layout requests)

    summary = window.summaryPanel
    # The buttons share the headline's row, above the list: neither covers the other.
    assert summary.retryButton.geometry().bottom() < summary.failuresList.geometry().top()
    assert not summary.failuresList.geometry().intersects(summary.summaryDetails.geometry())
    assert summary.height() >= summary.minimumSizeHint().height()
    assert window.progressPanel.height() >= window.progressPanel.heightForWidth(
        window.progressPanel.width()
    )


def test_a_notice_the_summary_says_is_not_said_twice(make_window: WindowFactory) -> None:
    """Said as it came (the orange line) and again in the summary, a notice took two lines
    of a short screen's height from the log. The summary keeps it; a notice it does not
    say stays where it was."""
    window = make_window()
    window.progressPanel.begin()
    group = Reason(Code.FOLDERS_GROUP_DROPPED, (94, "/mnt/backup"))
    abandoned = Reason(Code.POOL_ABANDONED)
    window.controller.notice.emit(group)
    window.controller.notice.emit(abandoned)
    notice = window.progressPanel.noticeLabel

    window.controller.finished.emit(CopyReport("/src", "/mnt/backup", notices=(group,)))

    assert notice.text() == message_text(abandoned)
    assert message_text(group) in window.summaryPanel.summaryDetails.text()

    window.progressPanel.begin()
    window.controller.notice.emit(group)
    window.controller.finished.emit(CopyReport("/src", "/mnt/backup", notices=(group,)))
    assert notice.text() == "" and notice.isHidden()


def test_the_log_revealed_at_the_end_does_not_pull_the_window_later(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """A job's end scrolls the log into view while the summary is laid out; it kept doing
    so: "More filters" opened long after moved the window under the mouse, to the log."""
    window = make_window()
    window.resize(880, 700)  # (all of it fits at the end: nothing to scroll then)
    window.progressPanel.begin()
    window.controller.finished.emit(CopyReport("/src", "/dst"))
    bar = window.body.verticalScrollBar()
    qtbot.wait(1500)  # (the user reads the summary)
    at = bar.value()

    window.optionsPanel.filtersBox.moreButton.click()  # (the window grows: it scrolls)
    qtbot.wait(200)

    assert bar.value() == at


def test_a_plans_counts_are_joined_with_the_languages_comma(
    chinese: list[object], qtbot: QtBot
) -> None:
    """The Chinese preview read "2 个待删除, 2 个待跳过": an English comma between its
    counts, where the summary of a copy has the full-width one (review of the window)."""
    assert chinese, "ferry_zh_CN.qm did not load"
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    results = tuple(
        FileResult(name, FileStatus.PLANNED, 1, action=action)
        for name, action in (("a", "copy"), ("b", "delete"))
    )
    report = CopyReport("src", "dst", results, dry_run=True)

    text = panel._plan_text(report)

    assert "\uff0c" in text and ", " not in text, text  # (the full-width comma)


@needs_root
def test_a_refusal_goes_away_when_the_options_change(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Refused for want of room, then *.bin put in Skip: the plan counted 29 MiB, and the
    status and the summary still said "Nothing was copied: Not enough space" for the
    options before (review of the window)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "video.bin").write_bytes(os.urandom(20 << 20))  # more than the disk holds
    (source / "notes.txt").write_text("notes")
    window = make_window()
    with tiny_tmpfs(tmp_path / "small disk", inodes=100) as disk:
        fill(window, source, disk / "dst")
        click_start(qtbot, window)
        wait_finished(qtbot, window)
        status = window.progressPanel.statusLabel
        assert window.summaryPanel.isVisible() and "Not enough space" in status.text()

        window.optionsPanel.filtersBox.skipEdit.setText("*.bin")
        qtbot.waitUntil(lambda: not window.summaryPanel.isVisible())
        assert status.text() == ""
        click_start(qtbot, window)
        wait_finished(qtbot, window)
        assert window.summaryPanel.headline() == "Done. Everything is on disk."
        assert os.listdir(disk / "dst") == ["notes.txt"]


def test_files_compared_through_the_cache_are_said_apart_from_those_read_from_the_disk(
    make_window: WindowFactory,
) -> None:
    """A FUSE stick verified as a user, or data kept inline, is read through the
    system's cache: such files were counted "verified from the disk" (review)."""
    window = make_window()
    copied = tuple(FileResult(f"f{i}", FileStatus.COPIED, 10) for i in range(3))
    report = CopyReport("/src", "/dst", copied, verified=1, verified_cached=2)
    window.controller.finished.emit(report)
    details = window.summaryPanel.summaryDetails.text()
    assert "1 verified from the disk" in details, details
    assert "2 compared through the system's cache only, not read from the disk" in details
    checked = (Checked("a", CheckStatus.OK), Checked("b", CheckStatus.OK, cached=True))
    counts = {"ok": 2, "failed": 0, "missing": 0, "cached": 1}
    window.controller.verifyFinished.emit(VerifyReport("/m.sha256", "/d", checked, counts=counts))
    details = window.summaryPanel.summaryDetails.text()
    # (of the 2 ok, 1 read from the disk: "2 verified" and "1 through the cache" summed
    # to 3 of 2 files, review)
    assert "1 verified, 0 mismatched" in details, details
    assert "1 compared through the system's cache only" in details, details
