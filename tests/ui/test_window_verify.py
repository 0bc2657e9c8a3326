"""Verify in the window: after copying, checksum files, and Verify a folder… (real files)."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.events import FileStatus, JobEvent, Progress
from app.core.job import CopyJob
from app.core.options import CopyOptions
from app.core.verify import FAILURES_KEPT
from app.ui.log_filter import LogFilter
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from app.ui.summary_panel import MAX_FAILURES_SHOWN
from tests.core.conftest import Gated
from tests.core.test_verify import flip_one_byte, spy_on_manifest_reads
from tests.ui.util import FINISH_TIMEOUT, click, click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def shown(window: MainWindow, kind: int) -> list[str]:
    """The paths the log shows under a filter, chosen as a user does (the combo box)."""
    window.logPanel.logFilter.setCurrentIndex(kind)
    proxy = window.logPanel.logProxy
    return [proxy.data(proxy.index(row, LogModel.PATH)) for row in range(proxy.rowCount())]


def statuses(window: MainWindow) -> dict[str, str]:
    model = window.logPanel.logModel
    return {
        model.data(model.index(row, LogModel.PATH)): model.data(model.index(row, LogModel.STATUS))
        for row in range(model.rowCount())
    }


def relative_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.mark.timeout(90)
def test_verify_after_copying_verifies_every_file_and_says_so(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    files = make_tree(source, folders=2, files_per_folder=3)
    window = make_window()
    fill(window, source, target, workers=2)
    click(qtbot, window.optionsPanel.verifyCheck)
    assert window.optionsPanel.options().verify
    phases: list[str] = []
    window.controller.progress.connect(lambda p: phases.append(p.phase))
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    report = window.report
    assert report is not None and report.was_successful(), report
    assert report.verified == files
    assert "verify" in phases and phases[0] == "copy"
    assert set(statuses(window).values()) == {"Verified"}
    assert set(shown(window, LogFilter.VERIFIED)) == relative_files(source)
    assert shown(window, LogFilter.MISMATCH) == []
    assert len(shown(window, LogFilter.COPIED)) == files  # verified copies were copied
    assert f"{files} verified from the disk, 0 mismatched" in (
        window.summaryPanel.summaryDetails.text()
    )
    assert window.summaryPanel.headline() == "Done. Everything is on disk."
    assert not window.progressPanel.verifying() or window.progressPanel.percent() == 100


class DamagingJob(CopyJob):
    """The engine's own job; one target file changes just before its verify phase reads."""

    damaged: Path

    def __init__(self, *args: Any, on_event: Callable[[JobEvent], None], **kwargs: Any) -> None:
        done: list[bool] = []

        def hook(event: JobEvent) -> None:  # the first verify snapshot precedes any read
            if isinstance(event, Progress) and event.phase == "verify" and not done:
                done.append(True)
                flip_one_byte(self.damaged)
            on_event(event)

        super().__init__(*args, on_event=hook, **kwargs)


@pytest.mark.timeout(90)
def test_a_copy_that_differs_when_read_back_shows_as_a_mismatch(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    files = make_tree(source, folders=2, files_per_folder=3)
    bad = os.path.join("folder 1", "inner", "file2.txt")
    DamagingJob.damaged = target / bad
    monkeypatch.setattr("app.ui.controller.CopyJob", DamagingJob)
    window = make_window()
    fill(window, source, target, workers=2)
    window.optionsPanel.verifyCheck.setChecked(True)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    report = window.report
    assert report is not None and report.verified == files - 1
    assert shown(window, LogFilter.MISMATCH) == [bad]
    assert shown(window, LogFilter.FAILED) == [bad]
    assert bad not in shown(window, LogFilter.COPIED)
    assert len(shown(window, LogFilter.VERIFIED)) == files - 1
    assert statuses(window)[bad] == "Mismatch"
    proxy = window.logPanel.logProxy
    window.logPanel.logFilter.setCurrentIndex(LogFilter.MISMATCH)
    assert proxy.data(proxy.index(0, LogModel.REASON)).startswith("verification failed")
    assert "Mismatch (1)" in window.logPanel.logFilter.itemText(LogFilter.MISMATCH)
    details = window.summaryPanel.summaryDetails.text()
    assert f"{files - 1} verified from the disk, 1 mismatched" in details
    assert "1 failed" in details
    listed = window.summaryPanel.failuresList.item(0).text()
    assert listed.startswith(bad) and "verification failed" in listed
    assert (target / bad).exists(), "the bad copy stays for the user to look at"
    assert window.summaryPanel.retryButton.isVisible()


@pytest.mark.timeout(90)
def test_save_checksums_writes_a_file_sha256sum_accepts(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    files = make_tree(source, folders=2, files_per_folder=3)
    asked: list[str] = []

    def save_as(parent: object, title: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(start)
        # No extension typed: the chosen kind's is added, and it picks the algorithm.
        return str(target / "sums"), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window = make_window()
    fill(window, source, target, workers=2)
    click(qtbot, window.optionsPanel.manifestCheck)  # no file yet: the chooser opens
    manifest = target / "sums.sha256"
    # The target is not made yet: the chooser starts in the folder that will hold it (Qt
    # opened it in the current directory, where Enter saved the checksums).
    assert asked == [str(tmp_path / "checksums.sha256")]
    assert window.optionsPanel.manifestCheck.isChecked()
    assert window.optionsPanel.options().manifest == str(manifest)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    assert window.report is not None and window.report.was_successful()
    assert len(manifest.read_bytes().splitlines()) == files
    checked = subprocess.run(
        ["sha256sum", "-c", "--strict", manifest.name],
        cwd=target,
        capture_output=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(b": OK") == files


def test_verify_options_are_remembered_in_a_new_window(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, settings_file: str
) -> None:
    window = make_window(source=str(tmp_path), target=str(tmp_path / "out"))
    options = window.optionsPanel
    click(qtbot, options.verifyCheck)
    manifest = str(tmp_path / "out" / "sums.b3")
    options.manifestEdit.setText(manifest)
    click(qtbot, options.manifestCheck)  # a file is given: no chooser
    assert options.options() == CopyOptions(verify=True, manifest=manifest)
    window.close()

    again = make_window(settings=Settings(settings_file))
    assert again.optionsPanel.verifyCheck.isChecked()
    assert again.optionsPanel.manifestCheck.isChecked()
    assert again.optionsPanel.options().manifest == manifest
    click(qtbot, again.optionsPanel.manifestCheck)  # off, but the file is remembered
    again.close()

    third = make_window(settings=Settings(settings_file))
    assert not third.optionsPanel.manifestCheck.isChecked()
    assert third.optionsPanel.manifestEdit.text() == manifest
    assert third.optionsPanel.options().manifest == ""
    assert third.optionsPanel.options().verify


def test_a_checksum_file_named_for_another_hash_cannot_start(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    window = make_window(source=str(source), target=str(tmp_path / "out"))
    options = window.optionsPanel
    options.manifestEdit.setText(str(tmp_path / "sums.md5"))
    click(qtbot, options.manifestCheck)
    assert options.problemLabel.isVisible() and "not .md5" in options.problemLabel.text()
    assert not window.start() and not (tmp_path / "out").exists()


@pytest.mark.timeout(60)
def test_verify_a_folder_shows_ok_mismatch_and_missing(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "Backup"
    folder.mkdir()
    for name in ("good.txt", "flipped.txt", "gone.txt"):
        (folder / name).write_bytes(os.urandom(5000))
    made = subprocess.run(
        ["sha256sum", "good.txt", "flipped.txt", "gone.txt"],
        cwd=folder,
        capture_output=True,
        check=True,
        timeout=30,
    )
    manifest = tmp_path / "backup.sha256"  # beside, not in, the folder: it is asked for
    manifest.write_bytes(made.stdout)
    flip_one_byte(folder / "flipped.txt")
    (folder / "gone.txt").unlink()
    offered: list[str] = []

    def open_file(parent: object, title: str, start: str, filters: str) -> tuple[str, str]:
        return str(manifest), filters.split(";;")[0]

    def choose_folder(parent: object, title: str, start: str) -> str:
        offered.append(start)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose_folder)
    window = make_window(source="", target="")
    click(qtbot, window.controlBar.verifyButton)
    qtbot.waitUntil(lambda: window.verify_report is not None, timeout=FINISH_TIMEOUT)

    assert offered == [str(tmp_path)], "the manifest's folder is offered first"
    report = window.verify_report
    assert report is not None and report.exit_code() == 1
    assert statuses(window) == {
        "good.txt": "Verified",
        "flipped.txt": "Mismatch",
        "gone.txt": "Missing",
    }
    assert shown(window, LogFilter.VERIFIED) == ["good.txt"]
    assert sorted(shown(window, LogFilter.MISMATCH)) == ["flipped.txt", "gone.txt"]
    assert sorted(shown(window, LogFilter.FAILED)) == ["flipped.txt", "gone.txt"]
    assert shown(window, LogFilter.COPIED) == []
    summary = window.summaryPanel
    assert summary.isVisible() and not summary.retryButton.isVisible()
    assert "1 verified, 1 mismatched, 1 missing" in summary.summaryDetails.text()
    assert summary.headline().startswith("2 file")  # plural forms: from the English .qm
    assert "differ from the checksums or are missing" in summary.headline()
    assert summary.failuresList.count() == 2
    assert window.progressPanel.statusLabel.text() == "Verified, with mismatches."
    assert window.controlBar.verifyButton.isEnabled()
    assert window.report is None  # no copy ran
    window.logPanel.logFilter.setCurrentIndex(LogFilter.ALL)
    exported = tmp_path / "checked.csv"
    window.logPanel.export_log(str(exported))
    with open(exported, newline="", encoding="utf-8") as rows:
        verify = {row["path"]: row["verify"] for row in csv.DictReader(rows)}
    assert verify == {"good.txt": "ok", "flipped.txt": "failed", "gone.txt": "missing"}


@pytest.mark.timeout(90)
def test_verify_a_folder_can_be_cancelled_and_cannot_pause(
    qtbot: QtBot,
    make_window: WindowFactory,
    gated: Gated,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read held mid-file (FUSE) keeps the check running while Cancel is pressed."""
    digest = hashlib.sha256((gated.backing / "big.bin").read_bytes()).hexdigest()
    manifest = tmp_path / "big.sha256"
    manifest.write_text(f"{digest}  big.bin\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(manifest), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(gated.source))
    window = make_window(source="", target="")
    click(qtbot, window.controlBar.verifyButton)
    qtbot.waitUntil(lambda: gated.held() >= 1, timeout=FINISH_TIMEOUT)
    assert window.controller.is_running()
    assert not window.controlBar.pauseButton.isEnabled()
    assert not window.controlBar.verifyButton.isEnabled()
    window.controlBar.cancelAction.trigger()  # Esc asks first, in the words of a check
    box = window.findChild(QMessageBox, "cancelConfirmDialog")
    assert box is not None and box.text() == "A folder is being checked. Cancel it?"
    keep = box.button(QMessageBox.StandardButton.No)
    assert keep.text() == "Keep checking"
    keep.click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "cancelConfirmDialog") is None)
    assert window.controller.is_running()
    click(qtbot, window.controlBar.cancelButton)
    gated.open()
    qtbot.waitUntil(lambda: window.verify_report is not None, timeout=FINISH_TIMEOUT)

    report = window.verify_report
    assert report is not None and report.cancelled and report.exit_code() == 130
    assert window.summaryPanel.headline() == "Verifying cancelled."
    assert not window.controller.is_running() and window.controlBar.verifyButton.isEnabled()


@pytest.mark.timeout(90)
def test_a_rerun_that_verifies_up_to_date_files_shows_them_verified_in_the_log(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Verify ticked, a finished copy run again: the summary said "21 verified from the
    disk", the log "Verified (0)", every row "Skipped"."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    files = make_tree(source, folders=2, files_per_folder=3)
    window = make_window()
    fill(window, source, target, workers=2)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    first = window.report

    click(qtbot, window.optionsPanel.verifyCheck)
    click_start(qtbot, window)
    qtbot.waitUntil(lambda: window.report not in (None, first), timeout=30_000)

    report = window.report
    assert report is not None and report.was_successful(), report
    assert report.count(FileStatus.SKIPPED) == files and report.verified == files
    assert f"{files} verified from the disk, 0 mismatched" in (
        window.summaryPanel.summaryDetails.text()
    )
    assert set(statuses(window).values()) == {"Verified"}
    assert set(shown(window, LogFilter.VERIFIED)) == relative_files(source)
    assert set(shown(window, LogFilter.SKIPPED)) == relative_files(source)  # (not copied)
    assert window.logPanel.logFilter.itemText(LogFilter.VERIFIED).endswith(f"({files})")


@pytest.mark.timeout(90)
def test_verify_a_folder_counts_every_failure_beyond_those_the_report_keeps(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verify keeps the first FAILURES_KEPT failures (its memory is flat): the summary's
    "… and N more" counts them all, and the log has a row for each."""
    folder, missing = tmp_path / "Backup", FAILURES_KEPT + 200
    folder.mkdir()
    manifest = tmp_path / "backup.sha256"
    manifest.write_text("".join(f"{'0' * 64}  gone{index}\n" for index in range(missing)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(manifest), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    window = make_window(source="", target="")
    click(qtbot, window.controlBar.verifyButton)
    qtbot.waitUntil(lambda: window.verify_report is not None, timeout=FINISH_TIMEOUT)

    report = window.verify_report
    assert report is not None and report.counts["missing"] == missing
    assert len(report.failures) == FAILURES_KEPT
    failures = window.summaryPanel.failuresList
    assert failures.count() == MAX_FAILURES_SHOWN + 1
    more = missing - MAX_FAILURES_SHOWN
    assert failures.item(MAX_FAILURES_SHOWN).text() == (
        f"… and {more:,} more (filter the log by Failed)"
    )
    assert len(shown(window, LogFilter.MISMATCH)) == missing


def test_a_check_stopped_by_its_manifest_changing_says_what_it_checked(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest that another program spoils while it is checked stops the check at the
    line it can no longer read: the window said "Nothing was checked", over a log with a
    row for each file checked before it and no counts of them."""
    folder = tmp_path / "Backup"
    folder.mkdir()
    (folder / "a").write_bytes(b"a")
    manifest = tmp_path / "backup.sha256"
    manifest.write_text(f"{hashlib.sha256(b'a').hexdigest()}  a\n{'0' * 64}  b\n")

    def spoil(index: int) -> None:  # as the check's own read of it starts
        if index == 1:
            with open(manifest, "r+b") as out:
                out.seek(-1, os.SEEK_END)
                out.write(b"/\n")  # "b/": a folder

    spy_on_manifest_reads(monkeypatch, spoil)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(manifest), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    window = make_window(source="", target="")
    click(qtbot, window.controlBar.verifyButton)
    qtbot.waitUntil(lambda: window.verify_report is not None, timeout=FINISH_TIMEOUT)

    summary = window.summaryPanel
    assert summary.headline() == (
        "The check stopped: line 2: a path that names a folder, not a file"
    ), summary.headline()
    assert "1 verified, 0 mismatched, 0 missing" in summary.summaryDetails.text()
    assert window.progressPanel.statusLabel.text() == "Verifying stopped."
    assert statuses(window) == {"a": "Verified"}
