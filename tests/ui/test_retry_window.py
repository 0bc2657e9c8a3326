"""Retry failed asks what Start asks (move, mirror), and never turns a preview real."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.options_panel import Mode
from tests.ui.test_plans_window import answer, press, set_mode
from tests.ui.util import click, fill, wait_finished

WindowFactory = Callable[..., MainWindow]


@contextlib.contextmanager
def immutable(folder: Path) -> Iterator[None]:
    """Nothing can be created in `folder`, not even by root (a real EPERM)."""
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def obstacle_tree(source: Path, target: Path) -> None:
    """a.txt copies; sub/b.txt fails: the target has a plain file where sub goes."""
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    target.mkdir()
    (target / "sub").write_text("a plain file where the source has a folder")


def retry(qtbot: QtBot, window: MainWindow) -> None:
    button = window.summaryPanel.retryButton
    qtbot.waitUntil(button.isVisible)
    click(qtbot, button)


def test_retry_failed_of_a_move_asks_before_it_moves(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Retry failed moved the file out of the source without the question Start asks."""
    source, target = tmp_path / "src", tmp_path / "dst"
    obstacle_tree(source, target)
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MOVE)
    press(qtbot, window.controlBar.startButton)
    answer(qtbot, window, yes=True)
    wait_finished(qtbot, window)
    assert not (source / "a.txt").exists() and (source / "sub" / "b.txt").exists()

    (target / "sub").unlink()  # the obstacle goes
    first = window.report
    retry(qtbot, window)
    assert "Move the 2 item(s) that failed, from src?" in answer(qtbot, window, yes=False)
    assert not window.controller.is_running() and window.report is first
    assert (source / "sub" / "b.txt").exists() and not (target / "sub").exists()

    retry(qtbot, window)
    answer(qtbot, window, yes=True)
    qtbot.waitUntil(lambda: window.report not in (None, first), timeout=30_000)
    assert window.report is not None and window.report.was_successful(), window.report
    assert (target / "sub" / "b.txt").read_text() == "b"
    assert not (source / "sub" / "b.txt").exists()


def test_retry_failed_of_a_mirror_asks_before_it_deletes(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Retry failed of a mirror deleted target files with no question."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "new.txt").write_text("new")
    (target / "sub").mkdir(parents=True)
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MIRROR)
    with immutable(target / "sub"):  # sub/new.txt cannot be created there
        press(qtbot, window.controlBar.startButton)  # nothing to delete: no question
        qtbot.waitUntil(lambda: window.report is not None and not window.report.dry_run)
    first = window.report
    assert first is not None and "sub/new.txt" in {f.path for f in first.failures()}

    (target / "mine.txt").write_text("saved in the target since")
    retry(qtbot, window)
    assert "Delete 1 " in answer(qtbot, window, yes=False)  # after a preview of the retry
    assert (target / "mine.txt").exists() and not (target / "sub" / "new.txt").exists()
    assert window.report is not None and window.report.dry_run

    assert not window.summaryPanel.retryButton.isVisible()  # (a preview's failures: none)


def test_no_retry_after_a_preview(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    """After a Preview in Move mode, Retry failed did a real move."""
    source, target = tmp_path / "src", tmp_path / "dst"
    obstacle_tree(source, target)
    window = make_window()
    fill(window, source, target)
    set_mode(window, Mode.MOVE)
    press(qtbot, window.controlBar.previewButton)
    wait_finished(qtbot, window)
    report = window.report
    assert report is not None and report.dry_run and report.failures()

    assert not window.summaryPanel.retryButton.isVisible()
    window.summaryPanel.retryClicked.emit()  # (were it shown)
    assert not window.controller.is_running() and window.planGate.box is None
    assert (source / "a.txt").exists() and not (target / "a.txt").exists()
