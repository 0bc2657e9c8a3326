"""Colours and icons read on light and dark palettes (WCAG: 4.5:1 text, 3:1 graphics)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QWidget
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus
from app.core.readback import Checked, CheckStatus
from app.core.reasons import Code, Reason
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.tones import contrast

WindowFactory = Callable[..., MainWindow]
Role = QPalette.ColorRole

DARK = {
    Role.Window: "#2b2b2b",
    Role.WindowText: "#e6e6e6",
    Role.Base: "#1e1e1e",
    Role.AlternateBase: "#262626",
    Role.Text: "#e6e6e6",
    Role.Button: "#353535",
    Role.ButtonText: "#e6e6e6",
    Role.Highlight: "#2a82da",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#353535",
    Role.ToolTipText: "#e6e6e6",
    Role.PlaceholderText: "#9a9a9a",
}


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The whole application in a light (Fusion's) or a dark palette, for one test."""
    before = qapp.palette()
    if request.param == "dark":
        palette = QPalette(before)
        for role, colour in DARK.items():
            palette.setColor(role, QColor(colour))
        qapp.setPalette(palette)
    yield str(request.param)
    qapp.setPalette(before)


def best_contrast(image: QImage, background: QColor) -> float:
    """The highest contrast any drawn pixel has with the background."""
    best = 1.0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel != background:
                best = max(best, contrast(pixel, background))
    return best


def on(background: QColor, icon: QIcon, size: int = 32) -> QImage:
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(background)
    painter = QPainter(image)
    icon.paint(painter, 0, 0, size, size)
    painter.end()
    return image


def rendered(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_problem_and_notice_text_reads_in_both_palettes(
    scheme: str, qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    source = tmp_path / "src"
    source.mkdir()
    window.foldersPanel.set_folders(str(source), str(source / "inside"))
    problem = window.foldersPanel.problemLabel
    qtbot.waitUntil(problem.isVisible, timeout=5000)
    window.controller.notice.emit("The target disk is full: no new files were started.")
    notice = window.progressPanel.noticeLabel
    assert notice.isVisible()
    background = window.palette().color(Role.Window)
    for label in (problem, notice):
        assert best_contrast(rendered(label), background) >= 4.5, (scheme, label.objectName())


def test_status_and_button_icons_show_in_both_palettes(
    scheme: str, make_window: WindowFactory
) -> None:
    window = make_window()
    model = window.logPanel.logModel
    window.controller.filesFinished.emit(
        [
            FileResult("copied", FileStatus.COPIED, 1),
            FileResult("kept", FileStatus.RENAMED, 1, target_path="kept (2)"),
            FileResult("skipped", FileStatus.SKIPPED, 1, Reason(Code.UP_TO_DATE)),
            FileResult("failed", FileStatus.FAILED, 0, Reason(Code.CANNOT_READ, ("denied",)), 13),
            FileResult("cancelled", FileStatus.CANCELLED),
        ]
    )
    view_palette = window.logPanel.logView.palette()
    icons = [model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) for row in range(5)]
    for row, icon in enumerate(icons):
        for role in (Role.Base, Role.AlternateBase):
            background = view_palette.color(role)
            assert best_contrast(on(background, icon), background) >= 3, (scheme, row, role)
    buttons = (
        window.controlBar.startButton,
        window.controlBar.pauseButton,
        window.controlBar.cancelButton,
        window.summaryPanel.retryButton,
    )
    for button in buttons:
        background = button.palette().color(Role.Button)
        assert best_contrast(on(background, button.icon()), background) >= 3, button.objectName()


def pixels(icon: QIcon) -> bytes:
    image = icon.pixmap(32, 32).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(image.constBits())


def test_every_status_has_an_icon_of_its_own(make_window: WindowFactory) -> None:
    window = make_window()
    model: LogModel = window.logPanel.logModel
    window.controller.filesFinished.emit(
        [
            FileResult("copied", FileStatus.COPIED, 1),
            FileResult("kept", FileStatus.RENAMED, 1, target_path="kept (2)"),
            FileResult("skipped", FileStatus.SKIPPED, 1, Reason(Code.UP_TO_DATE)),
            FileResult("failed", FileStatus.FAILED, 0, Reason(Code.CANNOT_READ, ("denied",)), 13),
            FileResult("cancelled", FileStatus.CANCELLED),
        ]
    )
    icons = [model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) for row in range(5)]
    assert len({pixels(icon) for icon in icons}) == 5
    style = QApplication.style()
    # Skipped was a play arrow, Kept both a new-folder icon.
    for standard in (QStyle.StandardPixmap.SP_ArrowRight, QStyle.StandardPixmap.SP_MediaPlay):
        assert pixels(icons[2]) != pixels(style.standardIcon(standard))
    assert pixels(icons[1]) != pixels(
        style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder)
    )


def test_each_verify_state_has_an_icon_of_its_own(make_window: WindowFactory) -> None:
    window = make_window()
    model: LogModel = window.logPanel.logModel
    model.append([FileResult(name, FileStatus.COPIED, 1) for name in "abcd"])
    model.check(
        [
            Checked("b", CheckStatus.OK),
            Checked("c", CheckStatus.FAILED, why=Reason(Code.VERIFY_MISMATCH, ("xxh128",))),
            Checked("d", CheckStatus.MISSING, why=Reason(Code.VERIFY_MISSING)),
        ]
    )
    icons = [model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) for row in range(4)]
    assert len({pixels(icon) for icon in icons}) == 4


def test_switching_to_a_dark_palette_recolours_a_window_already_open(
    qapp: QApplication, qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    source = tmp_path / "src"
    source.mkdir()
    window.foldersPanel.set_folders(str(source), str(source))
    problem = window.foldersPanel.problemLabel
    qtbot.waitUntil(problem.isVisible, timeout=5000)
    before = qapp.palette()
    dark = QPalette(before)
    for role, colour in DARK.items():
        dark.setColor(role, QColor(colour))
    try:
        qapp.setPalette(dark)
        dark_window = QColor(DARK[Role.Window])
        qtbot.waitUntil(lambda: window.palette().color(Role.Window) == dark_window)
        background = dark_window
        assert best_contrast(rendered(problem), background) >= 4.5
        start = window.controlBar.startButton
        button = start.palette().color(Role.Button)
        assert best_contrast(on(button, start.icon()), button) >= 3
    finally:
        qapp.setPalette(before)
    _ = QPixmap  # (QPixmap is imported for type checkers reading on())
