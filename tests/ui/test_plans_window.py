"""Plans in the window: the Skip field, Preview, and Move and Mirror that ask first."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QListView, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus, Progress
from app.core.job import CopyJob
from app.core.options import ConflictPolicy
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.ui.log_filter import LogFilter
from app.ui.main_window import MainWindow
from app.ui.options_panel import Mode
from app.ui.plan_gate import PlanGate
from tests.ui.test_log_panel import menu_key, popup_menu
from tests.ui.util import click, fill, wait_finished

WindowFactory = Callable[..., MainWindow]
OLD = 1_600_000_000


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every entry under root: mode, mtime and content (files only)."""
    found = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        data = path.read_bytes() if path.is_file() else b""
        found[str(path.relative_to(root))] = (st.st_mode, st.st_mtime_ns, data)
    return found


def tree(source: Path) -> None:
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    (source / "debug.log").write_text("log")
    (source / "node_modules").mkdir()
    (source / "node_modules" / "x.js").write_text("x")


def set_mode(window: MainWindow, mode: Mode) -> None:
    combo = window.optionsPanel.modeCombo
    combo.setCurrentIndex(combo.findData(mode.value))


def answer(qtbot: QtBot, window: MainWindow, yes: bool) -> str:
    """Wait for the remove-files question, answer it, return its text."""
    qtbot.waitUntil(lambda: window.planGate.box is not None, timeout=30_000)
    box = window.planGate.box
    assert box is not None and box.isVisible()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    text = box.text()
    button = QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    return text


def press(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click once the folders are checked (Start and Preview wait for that)."""
    qtbot.waitUntil(button.isEnabled, timeout=5000)
    click(qtbot, button)


def test_skip_field_leaves_out_what_matches_and_the_plan_says_so(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    window = make_window()
    fill(window, source, target)
    window.optionsPanel.filtersBox.skipEdit.setText("*.log, node_modules/")
    plan = window.foldersPanel.planLabel
    qtbot.waitUntil(lambda: "Leaving out: *.log, node_modules/." in plan.text())
    qtbot.waitUntil(lambda: "the 2 file" in plan.text())  # counted as the copy will
    press(qtbot, window.controlBar.startButton)
    wait_finished(qtbot, window)

    assert sorted(p.name for p in target.rglob("*")) == ["a.txt", "b.txt", "sub"]
    assert window.report is not None and window.report.excluded == 2
    assert "2 excluded" in window.summaryPanel.summaryDetails.text()


def test_an_unreadable_filter_says_why_and_start_does_nothing(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    window = make_window()
    fill(window, source, target)
    window.optionsPanel.filtersBox.moreButton.click()
    window.optionsPanel.filtersBox.largerEdit.setText("ten megabytes")
    problem = window.optionsPanel.problemLabel
    assert problem.isVisible() and "ten megabytes" in problem.text()
    assert not window.start()
    assert not window.controller.is_running() and not target.exists()
    window.optionsPanel.filtersBox.largerEdit.setText("1")  # files of more than 1 byte
    assert not problem.isVisible()
    window.optionsPanel.filtersBox.smallerEdit.setText("2")  # and of less than 2: none
    assert problem.isVisible() and "leave no file of any size" in problem.text()
    assert not window.start() and not target.exists()


def test_a_skip_pattern_read_as_a_comment_says_so_and_start_does_nothing(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """gitignore reads `#drafts` as a comment: the Skip field left out nothing, unsaid,
    where the command line refuses it (a mirror would then have deleted `#drafts`)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    window = make_window()
    fill(window, source, target)
    window.optionsPanel.filtersBox.skipEdit.setText("*.log, #drafts")
    problem = window.optionsPanel.problemLabel
    assert problem.isVisible() and "“#drafts” reads as a comment" in problem.text()
    assert not window.start() and not target.exists()
    window.optionsPanel.filtersBox.skipEdit.setText("*.log, \\#drafts")
    assert not problem.isVisible()


def test_preview_writes_nothing_and_lists_each_planned_action(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    target.mkdir()
    (target / "a.txt").write_text("old")
    os.utime(target / "a.txt", (OLD, OLD))  # older: would be replaced
    before = snapshot(target)
    window = make_window()
    fill(window, source, target)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)

    assert snapshot(target) == before
    report = window.report
    assert report is not None and report.dry_run
    model = window.logPanel.logModel
    statuses = {model.result(r).path: model.index(r, 0).data() for r in range(model.rowCount())}
    assert statuses["a.txt"] == "Will replace"
    assert statuses[os.path.join("sub", "b.txt")] == "Will copy"
    assert "Preview" in window.summaryPanel.headline()
    assert "to replace" in window.summaryPanel.summaryDetails.text()
    window.logPanel.logFilter.setCurrentIndex(LogFilter.PLANNED)
    assert window.logPanel.logProxy.rowCount() == report.count(FileStatus.PLANNED) > 0
    # Each planned row is also under what it will do: a.txt and sub/b.txt will be copied.
    window.logPanel.logFilter.setCurrentIndex(LogFilter.COPIED)
    proxy = window.logPanel.logProxy
    shown = {proxy.index(row, 1).data() for row in range(proxy.rowCount())}
    assert {"a.txt", os.path.join("sub", "b.txt")} <= shown
    assert all(proxy.index(row, 0).data().startswith("Will ") for row in range(proxy.rowCount()))


def test_preview_of_a_new_target_does_not_create_it(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "new" / "dst"
    tree(source)
    window = make_window()
    fill(window, source, target)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)
    assert not (tmp_path / "new").exists()
    assert window.report is not None and window.report.exit_code() == 0
    status = window.progressPanel.statusLabel
    assert status.text() == "Preview done."

    window.optionsPanel.filtersBox.skipEdit.setText("*.log")  # the preview is gone
    qtbot.waitUntil(lambda: not window.summaryPanel.isVisible())
    assert status.text() == ""  # (it still said "Preview done.")


def test_preview_of_a_move_says_how_many_sources_would_go(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    before = snapshot(source)
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MOVE)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)
    assert "4 to move, 0 to stay in the source" in window.summaryPanel.summaryDetails.text()
    assert snapshot(source) == before and not target.exists()


def test_the_plan_sentence_is_counted_again_after_a_job_and_the_filters_say_so(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """After a move it still said "Move the 4 files" of an empty source, and "(a new
    folder)" of a target the copy had made; a mirror of a new folder spoke of deleting;
    a copy the filters left nothing of said "Done. Everything is on disk."."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    window = make_window()
    fill(window, source, target)
    plan = window.foldersPanel.planLabel
    set_mode(window, Mode.MIRROR)
    qtbot.waitUntil(lambda: "the 4 file" in plan.text())
    assert "(a new folder)" in plan.text() and "Then delete" not in plan.text()

    set_mode(window, Mode.MOVE)
    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)
    qtbot.waitUntil(lambda: plan.text() == "There is no file to copy inside src.", timeout=10_000)
    assert "(a new folder)" not in plan.text()

    window.optionsPanel.filtersBox.skipEdit.setText("*")
    set_mode(window, Mode.COPY)
    fill(window, target, tmp_path / "elsewhere")
    press(qtbot, window.controlBar.startButton)
    wait_finished(qtbot, window)
    headline = window.summaryPanel.summaryLabel.text()
    assert headline == "Nothing copied: the filters left out everything."


def test_move_asks_first_no_keeps_everything_yes_moves(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    before = snapshot(source)
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MOVE)
    qtbot.waitUntil(lambda: "Move the 4 file" in window.foldersPanel.planLabel.text())

    press(qtbot, window.controlBar.startButton)
    assert "Move the 4 file(s) inside src?" in answer(qtbot, window, yes=False)
    assert not window.controller.is_running()
    assert snapshot(source) == before and not target.exists()

    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)
    assert window.report is not None and window.report.was_successful()
    assert not any(p.is_file() for p in source.rglob("*"))
    assert (target / "sub" / "b.txt").read_text() == "b"
    assert "4 moved, 0 stayed in the source" in window.summaryPanel.summaryDetails.text()


def test_a_move_that_holds_back_a_source_does_not_say_done_plainly(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A source kept because its copy lacks its metadata (an `rsync -a` copy without its
    extended attribute) is a move not done: the headline says so (it said "Done.
    Everything is on disk."), and the notice says why."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    os.setxattr(source / "a.txt", "user.origin", b"camera")
    target.mkdir()
    cp = ["cp", "--preserve=timestamps", str(source / "a.txt"), str(target / "a.txt")]
    subprocess.run(cp, check=True)  # (without the attribute)
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MOVE)

    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)

    headline = window.summaryPanel.summaryLabel.text()
    assert headline.startswith("Done, but 1 source file"), headline
    assert "lack their owner" in window.summaryPanel.summaryDetails.text()
    assert window.progressPanel.statusLabel.text() == "Done, with files left in the source."
    assert (source / "a.txt").exists() and not (source / "sub" / "b.txt").exists()
    log = window.logPanel.logModel  # its row says why (it said "already up to date")
    shown = Qt.ItemDataRole.DisplayRole
    reasons = {log.result(r).path: log.cell(r, log.REASON, shown) for r in range(log.rowCount())}
    assert reasons["a.txt"].startswith("the source stayed: its copy, already in the target,")
    assert log.rowCount() == len(reasons)  # (said in its row, not in a second one)
    choice = window.logPanel.logFilter
    assert choice.itemText(LogFilter.STAYED) == "Stayed in the source (1)"
    assert not cast(QListView, choice.view()).isRowHidden(LogFilter.STAYED)
    choice.setCurrentIndex(LogFilter.STAYED)
    proxy = window.logPanel.logProxy
    assert [proxy.data(proxy.index(r, log.PATH)) for r in range(proxy.rowCount())] == ["a.txt"]


def _status_while_it_runs(
    qtbot: QtBot, window: MainWindow, source: Path, target: Path, mode: Mode
) -> list[tuple[str, str, str, str, str]]:
    """Run a job of `mode` (answered yes); each snapshot shown: its phase, the status
    line, the title (and paused), and the line under the status."""
    shown = []
    panel, show = window.progressPanel, window.progressPanel.show_progress

    def look(p: Progress, waiting: bool) -> None:
        show(p, waiting)
        title, paused = (panel.title(True, False, False, paused) for paused in (False, True))
        shown.append((p.phase, panel.statusLabel.text(), title, paused, panel.currentLabel.text()))

    panel.show_progress = look  # type: ignore[method-assign]
    fill(window, source, target)
    set_mode(window, mode)
    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)
    return shown


def test_a_move_says_when_it_removes_the_sources(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """After the copy a move removes its sources, which can take long (on vfat each is
    read again with its copy): the window said "Flushing to disk" at 100 % meanwhile."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    shown = _status_while_it_runs(qtbot, make_window(), source, target, Mode.MOVE)

    copying = [seen[1] for seen in shown if seen[0] == "copy"]
    moving = [seen[1:4] for seen in shown if seen[0] == "move"]
    assert copying[-1].startswith("Flushing to disk — 4 of 4 file(s)")  # (the copy's last)
    assert moving[0][0] == "Removing moved sources: 0 of 4 file(s)"  # at once, not held
    assert moving[-1] == (
        "Moved sources removed: 4 of 4 file(s) — flushing to disk",
        "Removing moved sources — 100% — Ferry",
        "Paused — 100% — Ferry",
    )
    assert not any(p.is_file() for p in source.rglob("*"))


def test_a_moves_last_count_shows_while_it_syncs(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync after a move's removals sends nothing, for as long as the disk takes: the
    move's last count, come within 0.05 s of the one before, was held until the job ended,
    and the window said "3 of 4 files" meanwhile."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    window = make_window()
    seen_last = threading.Event()
    show = window.progressPanel.show_progress

    def look(p: Progress, waiting: bool) -> None:
        show(p, waiting)
        if p.phase == "move" and p.files_done == p.files_total:
            seen_last.set()

    def slow_sync() -> None:  # (the engine's thread: the window's goes on meanwhile)
        synced_on_screen.append(seen_last.wait(5))

    synced_on_screen: list[bool] = []
    window.progressPanel.show_progress = look  # type: ignore[method-assign]
    monkeypatch.setattr(os, "sync", slow_sync)
    fill(window, source, target)
    set_mode(window, Mode.MOVE)
    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)

    assert synced_on_screen == [True]


def test_mirror_previews_then_asks_with_the_count_before_deleting(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    (target / "old").mkdir(parents=True)
    (target / "old" / "gone.txt").write_text("only in the target")
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MIRROR)
    plan = window.foldersPanel.planLabel
    qtbot.waitUntil(lambda: plan.text().startswith("Copy the 4 file"))
    assert plan.text().endswith(" into dst. Then delete from dst what src lacks.")

    press(qtbot, window.controlBar.startButton)
    assert "Delete 2 entry(ies)" in answer(qtbot, window, yes=False)
    assert (target / "old" / "gone.txt").exists() and not (target / "a.txt").exists()
    preview = window.summaryPanel.summaryDetails.text()
    assert "2 to delete" in preview and "deleted from the target" not in preview

    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)
    assert window.report is not None and not window.report.dry_run
    assert not (target / "old").exists() and (target / "a.txt").read_text() == "a"
    assert "2 deleted from the target" in window.summaryPanel.summaryDetails.text()
    window.logPanel.logFilter.setCurrentIndex(LogFilter.DELETED)
    assert window.logPanel.logProxy.rowCount() == 2


def test_a_mirror_into_the_system_is_refused_before_start(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """As on the command line: a mirror would delete what "/" holds but the source."""
    source, root = tmp_path / "src", tmp_path / "root-link"
    tree(source)
    root.symlink_to("/")
    window = make_window()
    folders, start = window.foldersPanel, window.controlBar.startButton
    fill(window, source, root)
    qtbot.waitUntil(start.isEnabled)  # a copy into it is the user's to decide

    set_mode(window, Mode.MIRROR)
    qtbot.waitUntil(lambda: not start.isEnabled())
    assert folders.problem().startswith("A mirror deletes what the source does not have")
    assert folders.problemLabel.isVisible()
    set_mode(window, Mode.COPY)
    qtbot.waitUntil(start.isEnabled)
    assert not folders.problem()


def test_a_mirror_says_when_it_deletes_what_the_source_lacks(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A mirror's deletions take long when an old backup goes: the window said "Flushing
    to disk" at 100 % meanwhile. Then it goes back to the copy's figures as it flushes."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    for n in range(50):
        (target / "old").mkdir(parents=True, exist_ok=True)
        (target / "old" / f"gone {n}").write_text("only in the target")
    shown = _status_while_it_runs(qtbot, make_window(), source, target, Mode.MIRROR)

    phases = [seen[0] for seen in shown]
    mirroring = [seen[1:] for seen in shown if seen[0] == "mirror"]
    assert mirroring[-1][:2] == (
        "Deleting what the source does not have: 51 deleted",
        "Mirroring — 100% — Ferry",
    )
    assert mirroring[-1][3].startswith("Copy: 4 file(s)")  # (the copy's last, not "0 files")
    assert phases[-1] == "copy" and shown[-1][1].startswith("Flushing to disk — 4 of 4 file(s)")
    assert not (target / "old").exists()


def test_questions_answered_in_a_preview_are_kept_by_the_next_start_only(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in (source, target):
        folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (source / name).write_text("new " + name)
        (target / name).write_text("old " + name)
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)
    model, view = window.logPanel.logModel, window.logPanel.logView
    rows = {model.result(row).path: row for row in range(model.rowCount())}
    assert {model.index(row, 0).data() for row in rows.values()} == {"Will ask"}

    for name, answer, planned in (
        ("a.txt", "replace", "Will replace"),
        ("b.txt", "skip", "Will skip"),
    ):
        view.selectRow(rows[name])
        menu_key(view)
        menu = popup_menu(qtbot, window)
        [item] = [item for item in menu.actions() if item.text() == f"Answer: &{answer}"]
        item.trigger()
        menu.close()
        assert model.index(rows[name], 0).data() == planned

    window.logPanel.logFilter.setCurrentIndex(LogFilter.SKIPPED)
    assert window.logPanel.logProxy.rowCount() == 1  # b.txt, answered: skip

    press(qtbot, window.controlBar.startButton)
    wait_finished(qtbot, window)
    assert window.conflictDialog.question() is None  # nothing was asked
    assert window.report is not None and window.report.was_successful()
    assert (target / "a.txt").read_text() == "new a.txt"
    assert (target / "b.txt").read_text() == "old b.txt"

    # The answers were for that start. Someone saves a newer a.txt; the next start asks.
    (target / "a.txt").write_text("someone's newer edit")
    os.utime(target / "a.txt", (4_000_000_000, 4_000_000_000))
    press(qtbot, window.controlBar.startButton)
    qtbot.waitUntil(lambda: window.conflictDialog.question() is not None, timeout=20_000)
    assert (target / "a.txt").read_text() == "someone's newer edit"
    window.conflictDialog.applyToAllCheck.setChecked(True)  # b.txt is asked about too
    window.conflictDialog.skipButton.click()
    wait_finished(qtbot, window)
    assert (target / "a.txt").read_text() == "someone's newer edit"


def test_answers_go_with_the_preview_they_were_given_in(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Answers given in a preview's rows outlived the preview the window dropped when
    the mode changed: Start then replaced newer target files with no question, and no
    row said it would (review of the change)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in (source, target):
        folder.mkdir()
    (source / "a.txt").write_text("older a.txt")
    os.utime(source / "a.txt", (1_600_000_000, 1_600_000_000))
    (target / "a.txt").write_text("someone's newer a.txt")
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)
    model, view = window.logPanel.logModel, window.logPanel.logView
    view.selectRow(0)
    menu_key(view)
    menu = popup_menu(qtbot, window)
    [item] = [item for item in menu.actions() if item.text() == "Answer: &replace"]
    item.trigger()
    menu.close()
    assert model.index(0, 0).data() == "Will replace"

    set_mode(window, Mode.MOVE)
    set_mode(window, Mode.COPY)
    assert model.rowCount() == 0  # the preview is gone
    press(qtbot, window.controlBar.startButton)

    qtbot.waitUntil(lambda: window.conflictDialog.question() is not None, timeout=20_000)
    window.conflictDialog.skipButton.click()
    wait_finished(qtbot, window)
    assert (target / "a.txt").read_text() == "someone's newer a.txt"


def test_a_changed_plan_keeps_a_real_jobs_rows_beside_a_retrys_preview(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """A retry's preview adds its rows to the real job's (Retry failed of a mirror
    previews first): a changed plan then cleared the whole log, what the job had
    deleted too (review of the change). Only the preview's rows go."""
    window = make_window()
    log = window.logPanel
    log.begin("/src", "/dst")
    log.append([FileResult("extra", FileStatus.DELETED, 1), FileResult("c.txt", FileStatus.FAILED)])
    log.begin("/src", "/dst", keep=True)
    log.append([FileResult("c.txt", FileStatus.PLANNED, 1, action="copy")])

    log.outdate()

    assert [log.logModel.result(row).path for row in range(log.logModel.rowCount())] == [
        "extra",
        "c.txt",
    ]
    assert log.logModel.result(1).status is FileStatus.FAILED
    assert log.earlierLabel.isVisibleTo(window)


def test_preview_counts_the_files_whose_metadata_a_copy_would_set_again(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    assert CopyJob(str(source), str(target)).run().exit_code() == 0
    os.chmod(source / "a.txt", 0o600)  # made private since the copy
    window = make_window()
    fill(window, source, target)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)

    details = window.summaryPanel.summaryDetails.text()
    assert "1 up to date but for mode, group or attributes" in details, details


def mirror_gate(qtbot: QtBot) -> tuple[PlanGate, list[bool]]:
    """A plan gate that started a mirror (its preview), and the starts it asked for."""
    window = QWidget()
    qtbot.addWidget(window)
    gate = PlanGate(window)
    started: list[bool] = []
    gate.go.connect(started.append)
    gate.start(Mode.MIRROR, preview=False, move_question="")
    return gate, started


def test_a_mirror_asks_when_its_preview_could_not_look_into_a_folder(qtbot: QtBot) -> None:
    """A preview that counted no deletion asked nothing, and the mirror ran at once: in a
    target folder of the user's it could not look into, it deleted what it never showed
    (review of this stop's notice)."""
    gate, started = mirror_gate(qtbot)
    unseen = Reason(Code.TARGET_FOLDERS_UNSEEN, (1, "box"))
    preview = CopyReport("src", "dst", dry_run=True, notices=(unseen,))

    assert gate.finished(preview)

    assert started == [True]  # the preview only: the mirror waits for the answer
    assert gate.box is not None and "could not be looked into" in gate.box.text()
    gate.box.reject()


def test_a_mirror_asks_about_its_own_deletions_not_what_an_interrupted_run_left(
    qtbot: QtBot,
) -> None:
    """Ferry's own leftovers were counted in "Delete 2 entries in the target that are not
    in the source?": any copy removes them (review of the window)."""
    gate, _ = mirror_gate(qtbot)
    left = Reason(Code.STALE_TEMP)
    results = (
        FileResult(".ferry-0123456789ab-7.part", FileStatus.PLANNED, why=left, action="delete"),
        FileResult("extra", FileStatus.PLANNED, action="delete"),
    )

    assert gate.finished(CopyReport("src", "dst", results, dry_run=True))

    assert gate.box is not None and "Delete 1 entry(ies)" in gate.box.text()
    gate.box.reject()


def test_a_mirror_held_back_by_its_preview_says_so_and_what_to_do(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A mirror whose preview found an entry it could not copy never started, silently:
    each Start previewed only, and the window said "Start does what it lists"."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    target.mkdir()
    (target / "sub").symlink_to(tmp_path)  # where the source has a folder: it fails
    (target / "extra.txt").write_text("only in the target")
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MIRROR)

    press(qtbot, window.controlBar.startButton)
    wait_finished(qtbot, window)

    assert window.report is not None and window.report.dry_run and window.report.failures()
    assert window.planGate.box is None and (target / "extra.txt").exists()
    headline = window.summaryPanel.summaryLabel.text()
    assert headline.startswith("The mirror did not start: its preview found 2 item")
    assert "Fix them, or leave them out with Skip matching" in headline
    assert "Start does what it lists" not in headline
    assert window.progressPanel.statusLabel.text() == "The mirror did not start."
    assert window.last_announcement == headline
    assert window.summaryPanel.failuresList.count() == 2


def test_a_changed_plan_drops_the_stale_preview_and_marks_an_earlier_jobs_log(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """After Mirror was switched to Move, the mirror's preview ("1 to delete", "Will
    delete extra.txt") stayed under the move's question; after the folders changed, the
    log still listed the old job's "Will delete" rows."""
    source, target = tmp_path / "src", tmp_path / "dst"
    tree(source)
    target.mkdir()
    (target / "extra.txt").write_text("only in the target")
    window = make_window()
    log, summary = window.logPanel, window.summaryPanel
    fill(window, source, target)
    set_mode(window, Mode.MIRROR)
    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=False)
    assert "1 to delete" in summary.summaryDetails.text() and summary.isVisible()
    assert "Will delete" in {
        log.logProxy.index(r, 0).data() for r in range(log.logProxy.rowCount())
    }

    set_mode(window, Mode.MOVE)
    assert not summary.isVisible() and log.logModel.rowCount() == 0
    press(qtbot, window.controlBar.startButton)
    assert "to delete" not in answer(qtbot, window, yes=False)
    assert not summary.isVisible() and log.logModel.rowCount() == 0

    set_mode(window, Mode.COPY)
    press(qtbot, window.controlBar.startButton)
    wait_finished(qtbot, window)
    rows = log.logModel.rowCount()
    assert rows > 0 and not log.earlierLabel.isVisible()
    set_mode(window, Mode.MIRROR)  # a finished copy: its Retry would run as a mirror
    assert not summary.isVisible() and log.logModel.rowCount() == rows
    assert log.earlierLabel.isVisible()  # what was done stays, said to be the earlier job
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)
    assert not log.earlierLabel.isVisible()

    window.foldersPanel.targetEdit.setText(str(tmp_path / "other"))
    assert not summary.isVisible() and log.logModel.rowCount() == 0  # (it was a preview)
