"""Icons drawn in the palette's colours, so they show on light and dark rows and buttons."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

from app.ui.outcome import Outcome
from app.ui.tones import GRAPHIC_CONTRAST, Tone, readable, tone_colour

SIZES = (16, 24, 32, 48)


class Glyph(Enum):
    CHECK = "check"
    CROSS = "cross"
    SKIP = "skip"  # an arrow that jumps over a bar
    PAGES = "pages"  # two sheets: both files kept
    STOP = "stop"
    PLAY = "play"
    PAUSE = "pause"
    RETRY = "retry"
    QUESTION = "question"
    VERIFIED = "verified"  # a check mark in a box: read back and the same
    UNEQUAL = "unequal"  # not the same data
    GONE = "gone"  # a sheet drawn dashed: not there


OUTCOME_GLYPHS = {
    Outcome.COPIED: (Glyph.CHECK, Tone.SUCCESS),
    Outcome.KEPT_BOTH: (Glyph.PAGES, Tone.NEUTRAL),
    Outcome.SKIPPED: (Glyph.SKIP, Tone.NEUTRAL),
    Outcome.FAILED: (Glyph.CROSS, Tone.PROBLEM),
    Outcome.CANCELLED: (Glyph.STOP, Tone.NOTICE),
    Outcome.CONFLICT: (Glyph.QUESTION, Tone.NOTICE),
    Outcome.PLANNED: (Glyph.PLAY, Tone.NEUTRAL),
    Outcome.DELETED: (Glyph.CROSS, Tone.NOTICE),
    Outcome.VERIFIED: (Glyph.VERIFIED, Tone.SUCCESS),
    Outcome.MISMATCH: (Glyph.UNEQUAL, Tone.PROBLEM),
    Outcome.MISSING: (Glyph.GONE, Tone.PROBLEM),
}


def outcome_icon(outcome: Outcome, palette: QPalette) -> QIcon:
    """For log rows: readable on the view's base colour."""
    glyph, tone = OUTCOME_GLYPHS[outcome]
    colour = tone_colour(tone, palette, QPalette.ColorRole.Base, GRAPHIC_CONTRAST)
    # Alternate rows too: on a dark palette they are a shade lighter than the base.
    colour = readable(colour, palette.color(QPalette.ColorRole.AlternateBase), GRAPHIC_CONTRAST)
    return glyph_icon(glyph, colour)


def button_icon(glyph: Glyph, palette: QPalette) -> QIcon:
    """For push buttons: the button text's colour, readable on the button."""
    text = palette.color(QPalette.ColorRole.ButtonText)
    colour = readable(text, palette.color(QPalette.ColorRole.Button), GRAPHIC_CONTRAST)
    return glyph_icon(glyph, colour)


def glyph_icon(glyph: Glyph, colour: QColor) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        for ratio in (1, 2):
            icon.addPixmap(_draw(glyph, colour, size, ratio))
    return icon


def _draw(glyph: Glyph, colour: QColor, size: int, ratio: int) -> QPixmap:
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 16, size / 16)  # every glyph is drawn on a 16x16 grid
    pen = QPen(colour, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    _GLYPHS[glyph](painter, colour)
    painter.end()
    return pixmap


def _check(painter: QPainter, colour: QColor) -> None:
    path = QPainterPath(QPointF(3, 8.5))
    path.lineTo(6.5, 12)
    path.lineTo(13, 4.5)
    painter.drawPath(path)


def _cross(painter: QPainter, colour: QColor) -> None:
    painter.drawEllipse(QRectF(1.5, 1.5, 13, 13))
    painter.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5))
    painter.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5))


def _skip(painter: QPainter, colour: QColor) -> None:
    painter.drawLine(QPointF(8, 13.5), QPointF(8, 9))  # the bar jumped over
    arc = QPainterPath(QPointF(2.5, 11))
    arc.cubicTo(QPointF(3, 3), QPointF(13, 3), QPointF(13.5, 10))
    painter.drawPath(arc)
    head = QPainterPath(QPointF(10.5, 8))
    head.lineTo(13.5, 11)
    head.lineTo(15, 7.5)
    painter.drawPath(head)


def _pages(painter: QPainter, colour: QColor) -> None:
    back = QPainterPath(QPointF(10, 4.5))  # the sheet behind, where the front one is not
    back.lineTo(10, 2)
    back.lineTo(2, 2)
    back.lineTo(2, 12)
    back.lineTo(6, 12)
    painter.drawPath(back)
    painter.drawRect(QRectF(6, 4.5, 8, 10))


def _stop(painter: QPainter, colour: QColor) -> None:
    painter.fillRect(QRectF(3.5, 3.5, 9, 9), colour)


def _play(painter: QPainter, colour: QColor) -> None:
    path = QPainterPath(QPointF(4.5, 2.5))
    path.lineTo(13, 8)
    path.lineTo(4.5, 13.5)
    path.closeSubpath()
    painter.fillPath(path, colour)


def _pause(painter: QPainter, colour: QColor) -> None:
    painter.fillRect(QRectF(3.5, 3, 3, 10), colour)
    painter.fillRect(QRectF(9.5, 3, 3, 10), colour)


def _retry(painter: QPainter, colour: QColor) -> None:
    painter.drawArc(QRectF(2.5, 2.5, 11, 11), 60 * 16, 270 * 16)
    head = QPainterPath(QPointF(9, 1))
    head.lineTo(11.5, 3.5)
    head.lineTo(8.5, 5.5)
    painter.drawPath(head)


def _question(painter: QPainter, colour: QColor) -> None:
    painter.drawEllipse(QRectF(1.5, 1.5, 13, 13))
    path = QPainterPath(QPointF(6, 6.3))
    path.cubicTo(QPointF(6, 3.5), QPointF(10.5, 3.5), QPointF(10, 6.5))
    path.cubicTo(QPointF(9.7, 8), QPointF(8, 8), QPointF(8, 9.8))
    painter.drawPath(path)
    painter.drawPoint(QPointF(8, 12))


def _verified(painter: QPainter, colour: QColor) -> None:
    painter.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 2, 2)
    path = QPainterPath(QPointF(4.5, 8.5))
    path.lineTo(7, 11)
    path.lineTo(11.5, 5)
    painter.drawPath(path)


def _unequal(painter: QPainter, colour: QColor) -> None:
    painter.drawEllipse(QRectF(1.5, 1.5, 13, 13))
    painter.drawLine(QPointF(4.5, 6.5), QPointF(11.5, 6.5))
    painter.drawLine(QPointF(4.5, 9.5), QPointF(11.5, 9.5))
    painter.drawLine(QPointF(10, 4), QPointF(6, 12))


def _gone(painter: QPainter, colour: QColor) -> None:
    pen = painter.pen()
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRect(QRectF(3.5, 1.5, 9, 13))


_GLYPHS = {
    Glyph.CHECK: _check,
    Glyph.CROSS: _cross,
    Glyph.SKIP: _skip,
    Glyph.PAGES: _pages,
    Glyph.STOP: _stop,
    Glyph.PLAY: _play,
    Glyph.PAUSE: _pause,
    Glyph.RETRY: _retry,
    Glyph.QUESTION: _question,
    Glyph.VERIFIED: _verified,
    Glyph.UNEQUAL: _unequal,
    Glyph.GONE: _gone,
}
