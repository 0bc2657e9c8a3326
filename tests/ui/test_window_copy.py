"""The window copies real trees: live log and bar, conflicts, failures and retry, export."""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.core.events import FileStatus, Progress
from app.core.options import ConflictPolicy
from app.ui.format import human_count
from app.ui.log_filter import LogFilter
from app.ui.main_window import MainWindow
from app.ui.progress_panel import PERMILLE
from tests.helpers import assert_same_tree, needs_root, temps_under, tiny_tmpfs
from tests.ui.util import click, click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def test_copy_tree_ends_equal_with_full_bar_and_one_row_per_file(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "Photos", tmp_path / "Backup"
    source.mkdir()
    files = make_tree(source)
    window = make_window()
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    assert window.report is not None and window.report.was_successful()
    assert_same_tree(source, target)
    assert (
        window.progressPanel.totalProgress.value()
        == window.progressPanel.totalProgress.maximum()
        == PERMILLE
    )
    assert window.logPanel.logModel.rowCount() == files
    logged = {window.logPanel.logModel.result(row).path for row in range(files)}
    assert logged == {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()}
    assert (
        window.controlBar.startButton.isEnabled() and not window.controlBar.cancelButton.isEnabled()
    )
    assert window.summaryPanel.summaryLabel.text()
    assert not window.summaryPanel.retryButton.isVisible()


def test_plan_sentence_and_inline_problems(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "Photos"
    source.mkdir()
    files = make_tree(source)
    window = make_window()

    window.foldersPanel.sourceEdit.setText(str(tmp_path / "missing"))
    window.foldersPanel.targetEdit.setText(str(tmp_path / "out"))
    qtbot.waitUntil(lambda: window.foldersPanel.problemLabel.isVisible(), timeout=5000)
    assert "does not exist" in window.foldersPanel.problemLabel.text()
    assert not window.controlBar.startButton.isEnabled()

    window.foldersPanel.sourceEdit.setText(str(source))
    window.foldersPanel.targetEdit.setText(str(source / "folder 0" / "copy"))
    qtbot.waitUntil(
        lambda: "inside the source" in window.foldersPanel.problemLabel.text(), timeout=5000
    )
    assert not window.controlBar.startButton.isEnabled()

    window.foldersPanel.targetEdit.setText(str(tmp_path / "Backup"))
    qtbot.waitUntil(lambda: str(files) in window.foldersPanel.planLabel.text(), timeout=10000)
    assert (
        "Photos" in window.foldersPanel.planLabel.text()
        and "Backup" in window.foldersPanel.planLabel.text()
    )
    assert not window.foldersPanel.problemLabel.isVisible()
    assert window.controlBar.startButton.isEnabled()

    # An empty target gets the sibling "<source>_copy" suggested once the source is chosen.
    window.foldersPanel.targetEdit.clear()
    window.foldersPanel.sourceEdit.editingFinished.emit()
    assert window.foldersPanel.targetEdit.text() == f"{source}_copy"


def test_failed_files_are_listed_and_retry_failed_succeeds(
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
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    report = window.report
    assert report is not None
    failed = {f.path for f in report.failures()}
    assert {os.path.join("sub", "b.txt"), os.path.join("sub", "c.txt")} <= failed
    assert window.summaryPanel.failuresList.count() == len(failed)
    assert all(
        window.summaryPanel.failuresList.item(i).text().count(" — ") for i in range(len(failed))
    )
    assert (
        window.summaryPanel.retryButton.isVisible() and window.summaryPanel.retryButton.isEnabled()
    )
    window.logPanel.logFilter.setCurrentIndex(LogFilter.FAILED)
    assert window.logPanel.logProxy.rowCount() == len(failed)
    window.logPanel.logFilter.setCurrentIndex(LogFilter.ALL)

    (target / "sub").unlink()  # the obstacle goes away
    click(qtbot, window.summaryPanel.retryButton)  # after the panel's pending layout
    # A new run's report arrives (a job this small may end within the click).
    qtbot.waitUntil(lambda: window.report not in (None, report), timeout=30_000)
    assert window.report is not None and window.report.was_successful(), window.report
    assert not window.summaryPanel.retryButton.isVisible()
    assert (target / "sub" / "b.txt").read_text() == "b"
    assert (target / "sub" / "c.txt").read_text() == "c"
    assert (target / "a.txt").read_text() == "a"


def test_ask_dialog_appears_for_conflicts_and_for_all_applies(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    names = [f"file{i}.txt" for i in range(4)]
    for name in names:
        (source / name).write_text("new " + name)
        (target / name).write_text("old")
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK)
    dialog = window.conflictDialog
    click_start(qtbot, window)

    qtbot.waitUntil(dialog.isVisible, timeout=20_000)
    first = dialog.question()
    assert first is not None and first.result.path in names
    assert dialog.objectName() == "conflictDialog"
    assert dialog.source_size.text() and dialog.target_size.text()
    qtbot.mouseClick(dialog.skipButton, Qt.MouseButton.LeftButton)  # this one only

    # The next question replaces it; answer it "for all".
    qtbot.waitUntil(
        lambda: (
            dialog.isVisible() and dialog.question() is not None and dialog.question() is not first
        ),
        timeout=20_000,
    )
    dialog.applyToAllCheck.setChecked(True)
    qtbot.mouseClick(dialog.replaceButton, Qt.MouseButton.LeftButton)
    wait_finished(qtbot, window)

    assert not dialog.isVisible()
    report = window.report
    assert report is not None and report.was_successful()
    assert report.count(FileStatus.SKIPPED) == 1
    assert report.count(FileStatus.COPIED) == len(names) - 1
    assert (target / first.result.path).read_text() == "old"
    for name in names:
        if name != first.result.path:
            assert (target / name).read_text() == "new " + name


def test_skip_identical_skips_same_content_and_asks_about_the_file_that_differs(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in (source, target):
        folder.mkdir()
    for name in ("same1.txt", "same2.txt"):
        (source / name).write_text("same")
        (target / name).write_text("same")
        os.utime(target / name, (1_600_000_000, 1_600_000_000))  # older, same bytes
    (source / "other.txt").write_text("new")
    (target / "other.txt").write_text("old")
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK)
    dialog = window.conflictDialog
    click_start(qtbot, window)

    qtbot.waitUntil(dialog.isVisible, timeout=20_000)
    qtbot.mouseClick(dialog.skipIdenticalButton, Qt.MouseButton.LeftButton)
    # The file that differs is asked about again; replace it.
    qtbot.waitUntil(
        lambda: dialog.isVisible() and getattr(dialog.question(), "result", None) is not None,
        timeout=20_000,
    )
    question = dialog.question()
    assert question is not None and question.result.path == "other.txt"
    qtbot.mouseClick(dialog.replaceButton, Qt.MouseButton.LeftButton)
    wait_finished(qtbot, window)

    report = window.report
    assert report is not None and report.was_successful()
    skipped = {r.path: r for r in report.results if r.status is FileStatus.SKIPPED}
    assert set(skipped) == {"same1.txt", "same2.txt"}
    assert (target / "other.txt").read_text() == "new"
    assert int((target / "same1.txt").stat().st_mtime) == 1_600_000_000  # untouched


def test_export_log_as_csv(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    files = make_tree(source, folders=2, files_per_folder=3)
    window = make_window()
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    out = tmp_path / "log.csv"
    window.logPanel.export_log(str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == files
    assert {row["status"] for row in rows} == {"copied"}
    # "Copy path" from the log's context menu puts the copied file's path on the clipboard.
    first = window.logPanel.logModel.result(0)
    window.logPanel.logView.selectRow(0)
    assert window.logPanel.selected_results() == [first]
    window.logPanel.copy_path(first)
    assert QGuiApplication.clipboard().text() == str(target / first.path)


def test_progress_beyond_4_gib_drives_the_bar_in_permille(make_window: WindowFactory) -> None:
    window = make_window()
    gib = 1 << 30
    # Emitted in the GUI thread, so the slot runs now; the 64-bit payload must survive.
    window.controller.progress.emit(
        Progress(
            files_done=1,
            files_total=3,
            bytes_done=5 * gib,
            bytes_total=10 * gib,
            scan_done=True,
            elapsed=10.0,
        )
    )
    assert window.progressPanel.totalProgress.value() == 500
    assert (
        "5.0 GiB" in window.progressPanel.statusLabel.text()
        and "10.0 GiB" in window.progressPanel.statusLabel.text()
    )


def test_nothing_is_left_behind_by_a_copy(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window()
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    assert temps_under(target) == []
    window.close()
    assert window.controller.shutdown(5000)


def fill_inodes(folder: Path, leave: int) -> None:
    """Take every free entry of `folder`'s file system but `leave` of them."""
    made = []
    with contextlib.suppress(OSError):
        while True:
            made.append(folder / f"ballast {len(made)}")
            made[-1].touch()
    for path in made[-leave - 1 :]:
        path.unlink(missing_ok=True)


@needs_root
def test_a_full_disk_says_stopped_and_what_was_never_started(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A disk that filled mid-copy: the window said "Done, but 1582 items could not be
    copied" at 100 %, the 954 files never started were in no count, and Retry failed then
    said "Done. Everything is on disk." with them still missing (review of the window)."""
    source = tmp_path / "src"
    for n in range(4000):
        (source / f"d{n // 100}").mkdir(parents=True, exist_ok=True)
        (source / f"d{n // 100}" / f"f{n}").write_text("x")
    window = make_window()
    with tiny_tmpfs(tmp_path / "small disk", inodes=6000) as disk:
        fill(window, source, disk / "dst")
        click_start(qtbot, window)
        click(qtbot, window.controlBar.pauseButton)  # (before the workers are up)
        qtbot.waitUntil(lambda: bool(window.last_progress and window.last_progress.paused))
        fill_inodes(disk, leave=100)  # (another program's files, written meanwhile)
        click(qtbot, window.controlBar.pauseButton)  # (it reads Resume now)
        wait_finished(qtbot, window)
        copied = sum(len(files) for _, _, files in os.walk(disk / "dst"))

    report, summary = window.report, window.summaryPanel
    assert report is not None and report.disk_full and report.not_started > 0
    assert summary.headline().startswith("Stopped: the target disk is full.")
    details = summary.summaryDetails.text()
    assert f"not started: {human_count(report.not_started)}" in details, details
    assert not summary.retryButton.isVisible()  # (it would leave those out)
    assert window.progressPanel.permille() < PERMILLE and copied < 4000
