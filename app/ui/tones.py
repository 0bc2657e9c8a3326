"""Colours derived from the palette, readable on it (WCAG contrast), light or dark."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

TEXT_CONTRAST = 4.5  # WCAG AA for text
GRAPHIC_CONTRAST = 3.0  # WCAG AA for icons and other graphics


class Tone(Enum):
    """A hue that carries meaning; its lightness follows the background."""

    PROBLEM = "#c0392b"
    NOTICE = "#b9770e"
    SUCCESS = "#1e8449"
    NEUTRAL = ""  # the palette's own text colour


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(hue: QColor, background: QColor, minimum: float = TEXT_CONTRAST) -> QColor:
    """`hue` made darker (on a light background) or lighter (on a dark one) until it has
    `minimum` contrast with `background`. The hard-coded #c0392b had 2.3:1 on dark."""
    h, s, lightness, a = hue.hslHueF(), hue.hslSaturationF(), hue.lightnessF(), hue.alphaF()
    towards_light = luminance(background) < 0.18
    colour = QColor(hue)
    for _ in range(40):
        if contrast(colour, background) >= minimum:
            return colour
        lightness = min(1.0, lightness + 0.025) if towards_light else max(0.0, lightness - 0.025)
        colour = QColor.fromHslF(h, s, lightness, a)
    return QColor("white") if towards_light else QColor("black")


def tone_colour(
    tone: Tone, palette: QPalette, background: QPalette.ColorRole, minimum: float
) -> QColor:
    behind = palette.color(background)
    if tone is Tone.NEUTRAL:
        return readable(palette.color(QPalette.ColorRole.Text), behind, minimum)
    return readable(QColor(tone.value), behind, minimum)


class ToneLabel(QLabel):
    """A label in a tone, readable on the window's background, following palette changes."""

    def __init__(self, tone: Tone, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tone = tone
        self._recolouring = False
        self._recolour()

    def _recolour(self) -> None:
        self._recolouring = True
        palette = self.palette()
        colour = tone_colour(self._tone, palette, QPalette.ColorRole.Window, TEXT_CONTRAST)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.setPalette(palette)
        self._recolouring = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._recolouring:
            self._recolour()
