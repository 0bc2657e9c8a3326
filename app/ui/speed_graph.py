"""A small custom-painted graph of copy speed over the whole job (no QtCharts needed)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QStyle, QWidget

from app.ui.format import fill, human_speed

MAX_POINTS = 600  # beyond this, neighbouring samples are merged: memory stays flat


class SpeedGraph(QWidget):
    """Speed samples (seconds, bytes/s) drawn as a filled area, whole job on the x axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._samples: list[tuple[float, float]] = []
        self._peak = 0.0
        self._paused = False  # nothing is written: no speed "now" (the last one stood)
        # Its preferred height when there is room; less (not below the labels and a
        # readable plot) when the window is short, so the log keeps its rows.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.setMinimumHeight(self.fontMetrics().height() * 4)

    def sizeHint(self) -> QSize:
        return QSize(400, 80)

    def clear(self) -> None:
        self._samples = []
        self._peak = 0.0
        self._paused = False
        self.setAccessibleDescription("")
        self.update()

    def samples(self) -> list[tuple[float, float]]:
        return list(self._samples)

    def set_paused(self, paused: bool) -> None:
        if paused != self._paused:
            self._paused = paused
            self._describe()
            self.update()

    def _now(self) -> str:
        return self.tr("Paused") if self._paused else human_speed(self._samples[-1][1])

    def _describe(self) -> None:
        """What the picture shows, for screen readers."""
        if not self._samples:
            return
        peak = human_speed(self._peak)
        if self._paused:
            self.setAccessibleDescription(fill(self.tr("Paused, peak %1"), peak))
        else:
            self.setAccessibleDescription(fill(self.tr("Now %1, peak %2"), self._now(), peak))

    def add_sample(self, seconds: float, bytes_per_second: float) -> None:
        if self._samples and seconds <= self._samples[-1][0]:
            return  # paused: the job clock stands still, keep the line where it was
        self._samples.append((seconds, max(0.0, bytes_per_second)))
        self._peak = max(self._peak, bytes_per_second)
        if len(self._samples) > MAX_POINTS:
            merged = [
                ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                for a, b in zip(self._samples[0::2], self._samples[1::2], strict=False)
            ]
            if len(self._samples) % 2:
                merged.append(self._samples[-1])
            self._samples = merged
        self._describe()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.fillRect(frame, palette.color(QPalette.ColorRole.Base))
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(90)
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for i in (1, 2, 3):
            y = frame.top() + frame.height() * i / 4
            painter.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))
        # The labels have the top line to themselves: the line ran through "peak" (seen).
        label_height = self.fontMetrics().height() + 4
        plot = frame.adjusted(1, label_height + 2, -1, -1)
        painter.save()
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            # Time runs in the reading direction: now is on the left.
            painter.translate(frame.left() + frame.right(), 0)
            painter.scale(-1, 1)
        if len(self._samples) >= 2 and self._peak > 0:
            t_end = self._samples[-1][0] or 1.0
            top = self._peak * 1.15

            def point(t: float, v: float) -> QPointF:
                return QPointF(
                    plot.left() + plot.width() * t / t_end,
                    plot.bottom() - plot.height() * v / top,
                )

            line = QPainterPath(point(*self._samples[0]))
            for t, v in self._samples[1:]:
                line.lineTo(point(t, v))
            area = QPainterPath(line)
            area.lineTo(point(self._samples[-1][0], 0))
            area.lineTo(point(self._samples[0][0], 0))
            area.closeSubpath()
            accent = palette.color(QPalette.ColorRole.Highlight)
            shade = QColor(accent)
            shade.setAlpha(70)
            painter.fillPath(area, shade)
            painter.setPen(QPen(accent, 1.6))
            painter.drawPath(line)
        painter.restore()
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        text_box = frame.adjusted(6, 3, -6, -3)
        if self._samples:
            current = self._now()
            peak = fill(self.tr("peak %1"), human_speed(self._peak))
            direction = self.layoutDirection()
            top = Qt.AlignmentFlag.AlignTop
            start = QStyle.visualAlignment(direction, Qt.AlignmentFlag.AlignLeft)
            end = QStyle.visualAlignment(direction, Qt.AlignmentFlag.AlignRight)
            painter.drawText(text_box, start | top, current)
            painter.drawText(text_box, end | top, peak)
        else:
            painter.drawText(text_box, Qt.AlignmentFlag.AlignCenter, self.tr("Speed"))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(frame)
        painter.end()
