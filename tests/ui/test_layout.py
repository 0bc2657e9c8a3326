"""The window fits the screen at scale factors 1, 1.5 and 2, and never grows by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.ui.geometry import PREFERRED, SCREEN_SHARE
from app.ui.main_window import MainWindow
from tests.helpers import REPO
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]
PROBE = Path(__file__).with_name("layout_probe.py")
SCREENS = [(1366, 768), (1600, 1000)]
SCALES = [1, 1.5, 2]


def probe(tmp_path: Path, screen: tuple[int, int], scale: float, language: str) -> dict[str, Any]:
    """Run the window in a Qt of its own on an offscreen screen of that size and scale."""
    config = tmp_path / "screen.json"
    width, height = screen
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "Screen",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QT_SCALE_FACTOR=str(scale),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, str(PROBE), language],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def inside(frame: list[int], screen: list[int]) -> bool:
    x, y, w, h = frame
    sx, sy, sw, sh = screen
    return sx <= x and sy <= y and x + w <= sx + sw and y + h <= sy + sh


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_window_fits_the_screen_before_and_after_a_copy_with_failures(
    tmp_path: Path, screen: tuple[int, int], scale: float
) -> None:
    measured = probe(tmp_path, screen, scale, "en")
    check(measured, screen, scale)


@pytest.mark.parametrize(("screen", "scale"), [((1366, 768), 1), ((1600, 1000), 2)])
def test_the_chinese_window_fits_too(tmp_path: Path, screen: tuple[int, int], scale: float) -> None:
    check(probe(tmp_path, screen, scale, "zh_CN"), screen, scale)


def check(measured: dict[str, Any], screen: tuple[int, int], scale: float) -> None:
    available = measured["screen"]
    idle, done = measured["idle"], measured["done"]
    assert inside(idle["frame"], available), measured
    # A copy with failures and notices neither resizes the window nor raises its minimum.
    assert done["frame"] == idle["frame"], measured
    assert (done["min_width"], done["min_height"]) == (idle["min_width"], idle["min_height"])
    assert done["min_width"] <= available[2] and done["min_height"] <= available[3]
    assert measured["failures_shown"] == 10
    # Browse, Start, Cancel, Export and the log can be brought into view on the screen.
    assert all(measured["reachable"].values()), measured["reachable"]
    if available[3] >= 700:  # room enough: the log shows rows without any scrolling
        assert measured["log_rows_visible"] >= 3, measured
        # ... and the job left them in view, not below the window's edge (1366x768: the
        # summary and its failures took the room; the window scrolls them into view).
        assert measured["log_rows_unscrolled"] >= 3, measured


def test_the_minimum_size_stays_small_after_a_real_copy_with_failures(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    make_tree(source, folders=5, files_per_folder=1)
    target.mkdir()
    for index in range(5):
        (target / f"folder {index}").write_text("in the way")
    window = make_window()
    before = window.minimumSizeHint(), window.size()
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    assert window.report is not None and len(window.report.failures()) >= 5
    assert (window.minimumSizeHint(), window.size()) == before
    assert window.minimumSizeHint().height() < 300


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("job", ["copy", "preview", "failures"])
def test_a_laptop_window_shows_everything_after_a_job_without_scrolling(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    make_window: WindowFactory,
    tmp_path: Path,
    language: str,
    job: str,
) -> None:
    """1366 x 768 less a panel (740 free), at the first size the window takes there. In
    Chinese, labels and buttons are taller (the CJK font's line height), and once a
    summary showed, the content was 44 px taller than the window: it scrolled, and the
    From row was cut off at the top; with failures listed, 72 px (17 px in English)."""
    if language == "zh_CN":
        request.getfixturevalue("chinese")
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=2, files_per_folder=3)
    if job == "failures":  # a file in the target where each folder goes
        (tmp_path / "dst").mkdir()
        for folder in source.iterdir():
            (tmp_path / "dst" / folder.name).write_text("in the way")
    preview = job == "preview"
    window = make_window()
    laptop = QSize(int(1366 * SCREEN_SHARE), int(740 * SCREEN_SHARE))
    window.resize(PREFERRED.boundedTo(laptop))
    fill(window, source, tmp_path / "dst")
    if preview:
        qtbot.waitUntil(window.controlBar.previewButton.isEnabled, timeout=5000)
        qtbot.mouseClick(window.controlBar.previewButton, Qt.MouseButton.LeftButton)
    else:
        click_start(qtbot, window)
    wait_finished(qtbot, window)
    qtbot.wait(300)  # (the summary is laid out over a few rounds of events)

    body = window.body
    assert body.content_size().height() <= body.viewport().height()
    assert body.verticalScrollBar().maximum() == 0
    folders = window.foldersPanel
    shown = (folders.sourceEdit, folders.sourceBrowseButton, window.logPanel.logView)
    summary = window.summaryPanel
    assert summary.lists_failures() == (job == "failures")
    if job == "failures":
        shown += (summary.failuresList, summary.retryButton)
    for widget in (*shown, summary.openTargetButton):
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget.objectName()
    graph = window.progressPanel.speedGraph  # (the failures listed take its room)
    assert graph.isVisible() == (job != "failures")
    window.foldersPanel.targetEdit.setText(str(tmp_path / "elsewhere"))
    qtbot.waitUntil(graph.isVisible)  # the summary went: the graph is back


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_long_refusal_wraps_in_the_window_it_is_shown_in(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    make_window: WindowFactory,
    tmp_path: Path,
    language: str,
) -> None:
    """A refusal for want of inodes on a laptop screen: the status line under the bar
    held it on one line, wider than the window, which then scrolled sideways, Start and
    the rest of the message out of sight (review of stop 38)."""
    if language == "zh_CN":
        request.getfixturevalue("chinese")
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window()
    window.resize(PREFERRED.boundedTo(QSize(int(1366 * SCREEN_SHARE), int(740 * SCREEN_SHARE))))
    fill(window, source, tmp_path / "dst")
    width = window.width()
    why = Reason(Code.NO_INODES_SO_FAR, (1_000_001, 1_000_000))
    window.controller.finished.emit(CopyReport(str(source), str(tmp_path / "dst"), refused=why))
    qtbot.wait(300)  # (the summary is laid out over a few rounds of events)

    body = window.body
    assert window.width() == width
    assert body.horizontalScrollBar().maximum() == 0, body.content_size()
    start = window.controlBar.startButton
    assert start.visibleRegion().boundingRect() == start.rect()
    status = window.progressPanel.statusLabel
    assert status.visibleRegion().boundingRect() == status.rect()
