"""The compact view: progress bar, status, current file and buttons; Details shows all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.reasons import Code, Reason
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def bytes_done(window: MainWindow) -> int:
    return window.last_progress.bytes_done if window.last_progress else 0


def assert_whole(window: MainWindow, *widgets: QWidget) -> None:
    """Each widget is shown in full: none cut off at the window's edge, no sideways scroll."""
    assert not window.body.horizontalScrollBar().isVisible()
    for widget in widgets:
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget.objectName()


@pytest.mark.slow
def test_details_off_shrinks_the_window_to_progress_and_buttons(
    qtbot: QtBot, make_window: WindowFactory, big_source: Path, tmp_path: Path
) -> None:
    window = make_window()
    details = window.controlBar.detailsButton
    assert not details.isVisible()  # before any copy everything is needed
    full = window.size()
    fill(window, big_source, tmp_path / "dst")
    click_start(qtbot, window)
    qtbot.waitUntil(lambda: bytes_done(window) > 0, timeout=20_000)
    assert details.isVisible() and details.isChecked()

    qtbot.mouseClick(details, Qt.MouseButton.LeftButton)
    hidden = (window.body.setupArea, window.logPanel, window.progressPanel.speedGraph)
    assert not any(widget.isVisible() for widget in hidden)
    shown = (
        window.progressPanel.totalProgress,
        window.progressPanel.statusLabel,
        window.progressPanel.currentLabel,
        window.controlBar.pauseButton,
        window.controlBar.cancelButton,
    )
    assert all(widget.isVisible() for widget in shown)
    assert not window.controlBar.verifyButton.isVisible()  # not while copying: no room
    qtbot.waitUntil(lambda: window.height() < 220, timeout=5000)
    assert window.width() <= 520
    assert_whole(window, *shown)
    assert window.minimumSizeHint().height() < 200  # and it can be made smaller still
    assert Settings(window.settings.qsettings.fileName()).compact()

    qtbot.mouseClick(details, Qt.MouseButton.LeftButton)
    assert window.logPanel.isVisible() and window.body.setupArea.isVisible()
    assert window.size() == full
    window.cancel()
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)


def test_the_compact_view_is_remembered_and_shows_the_headline_at_the_end(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str, tmp_path: Path
) -> None:
    Settings(settings_file).set_compact(True)
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=3)
    window = make_window(settings=Settings(settings_file))
    assert window.body.setupArea.isVisible()  # no copy yet: the folders must be chosen
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    assert not window.body.setupArea.isVisible() and not window.logPanel.isVisible()
    wait_finished(qtbot, window)
    summary = window.summaryPanel
    assert summary.summaryLabel.isVisible() and summary.openTargetButton.isVisible()
    assert not summary.summaryDetails.isVisible()
    assert window.height() < 260
    bar = window.controlBar
    assert_whole(window, bar.startButton, bar.cancelButton, bar.helpButton)
    assert_whole(window, summary.openTargetButton, window.progressPanel.statusLabel)


def test_details_off_after_a_summary_fits_the_window_to_what_is_left(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Measured at the full view's width, before the column took the compact width (a
    long notice wraps differently there), the compact window kept some 200 px of empty
    space below the summary's headline."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(5):  # a folder in the target where the source has a file
        (source / f"photo {index}.jpg").write_text("x")
        (target / f"photo {index}.jpg").mkdir(parents=True)
    window = make_window()
    window.resize(880, 691)
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    path = "/".join(["a-rather-long-folder-name"] * 12)
    window.controller.notice.emit(Reason(Code.NOT_HARD_LINKED, (1, path)))  # as during a copy
    details = window.controlBar.detailsButton
    assert details.isVisible() and details.isChecked()

    qtbot.mouseClick(details, Qt.MouseButton.LeftButton)
    qtbot.wait(300)  # (the layout at the compact width, and what follows it)

    assert window.width() <= 520
    assert window.height() <= window.body.content_size().height() + 4
    assert_whole(window, window.summaryPanel.summaryLabel, details)
