"""The speed graph: labels stay clear of the line, mirrored right to left; units stay whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.format import human_bytes, human_speed
from app.ui.speed_graph import SpeedGraph

MIB = 1 << 20


def graph_with(qtbot: QtBot, samples: list[tuple[float, float]]) -> SpeedGraph:
    graph = SpeedGraph()
    qtbot.addWidget(graph)
    graph.resize(400, 70)  # its minimum height: where the labels and the line compete
    for seconds, speed in samples:
        graph.add_sample(seconds, speed)
    return graph


def image(graph: SpeedGraph) -> QImage:
    return graph.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def is_line(pixel: QColor, accent: QColor) -> bool:
    return all(
        abs(a - b) < 40 for a, b in zip(pixel.getRgb()[:3], accent.getRgb()[:3], strict=True)
    )


def test_the_line_stays_below_the_speed_labels(qtbot: QtBot) -> None:
    # A steady speed draws its line at the peak: right where the labels are.
    graph = graph_with(qtbot, [(t / 2, 50 * MIB) for t in range(1, 40)])
    picture = image(graph)
    accent = graph.palette().color(QPalette.ColorRole.Highlight)
    band = graph.fontMetrics().height() + 4  # the labels' line, from the top
    crossing = [
        (x, y)
        for y in range(2, band)
        for x in range(8, picture.width() - 8)
        if is_line(picture.pixelColor(x, y), accent)
    ]
    assert not crossing, f"the speed line crosses the labels at {crossing[:3]}"
    assert any(
        is_line(picture.pixelColor(x, y), accent)
        for y in range(band, picture.height())
        for x in range(8, picture.width() - 8)
    ), "no line was drawn at all"


@pytest.fixture
def right_to_left(qapp: QApplication) -> Iterator[None]:
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def filled(picture: QImage, columns: range, background: QColor) -> int:
    return sum(
        1
        for x in columns
        for y in range(picture.height() // 2, picture.height() - 2)
        if picture.pixelColor(x, y) != background
    )


def test_right_to_left_the_graph_runs_from_the_right(qtbot: QtBot, right_to_left: None) -> None:
    # Speed rising over time: the high end is "now", at the reading end of the axis.
    graph = graph_with(qtbot, [(t, t * MIB) for t in range(1, 30)])
    assert graph.layoutDirection() == Qt.LayoutDirection.RightToLeft
    picture = image(graph)
    background = graph.palette().color(QPalette.ColorRole.Base)
    half = picture.width() // 2
    left = filled(picture, range(4, half), background)
    right = filled(picture, range(half, picture.width() - 4), background)
    assert left > right, (left, right)  # now is on the left


def test_right_to_left_a_number_keeps_its_unit_after_it(right_to_left: None) -> None:
    assert QGuiApplication.isRightToLeft()
    for text in (human_bytes(5 * MIB), human_speed(609.7 * MIB)):
        # Isolated left to right: bidi layout cannot turn "609.7 MiB/s" into "MiB/s 609.7".
        assert text.startswith("\u2066") and text.endswith("\u2069"), repr(text)


def test_left_to_right_texts_are_plain() -> None:
    assert human_speed(1.5 * MIB) == "1.5 MiB/s"
