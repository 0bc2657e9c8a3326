"""Window sizes that fit the screen the window is on: first, restored and compact."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget

PREFERRED = QSize(880, 720)  # the first size, where the screen has room for it
SCREEN_SHARE = 0.9  # at most this much of the free screen: room for frame and title


def available(window: QWidget) -> QRect:
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 800, 600)


def room(window: QWidget) -> QSize:
    """The largest window size that fits on its screen with its frame."""
    free = available(window).size()
    return QSize(int(free.width() * SCREEN_SHARE), int(free.height() * SCREEN_SHARE))


def fit_first(window: QWidget, saved: QByteArray | None) -> None:
    """Restore a saved geometry if it fits the screen now, else a size that fits."""
    if saved is not None and window.restoreGeometry(saved):
        inside = available(window)
        if inside.contains(window.frameGeometry()) or inside.contains(window.geometry()):
            return
    window.resize(PREFERRED.boundedTo(room(window)))
    centre = available(window).center() - window.rect().center()
    window.move(max(available(window).left(), centre.x()), max(available(window).top(), centre.y()))


class WrappingColumn(QVBoxLayout):
    """A column whose minimum height is what its items need at the width they have.

    A word-wrapped label needs more than its minimum size says once it wraps (a notice
    on two lines), and a column gives it that, taking it from the rest below their
    minimums: the summary's list of failures lay under its buttons. Where that need
    changes with the width, the parent is asked to lay it out again.
    """

    _reported = -1  # the extra height last reported, at the width last laid out

    def minimumSize(self) -> QSize:
        size = super().minimumSize()
        return QSize(size.width(), size.height() + self._wrapped_extra())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        extra = self._wrapped_extra()
        if extra != self._reported:
            self._reported = extra
            widget = self.parentWidget()
            if widget is not None:
                widget.updateGeometry()

    def _wrapped_extra(self) -> int:
        margins = self.contentsMargins()
        width = self.geometry().width() - margins.left() - margins.right()
        extra = 0
        for index in range(self.count() if width > 0 else 0):
            item = self.itemAt(index)
            if item is not None and not item.isEmpty() and item.hasHeightForWidth():
                extra += max(0, item.heightForWidth(width) - item.minimumSize().height())
        return extra
