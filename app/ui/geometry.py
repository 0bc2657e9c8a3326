"""Window sizes that fit the screen the window is on: first, restored and compact."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtWidgets import QWidget

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
