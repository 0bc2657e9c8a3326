"""What screen readers get beyond names: progress as a percentage, spoken announcements."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QProgressBar, QWidget


class PercentBar(QProgressBar):
    """A progress bar driven in per-mille (totals can be TiB) that says a percentage.

    Qt's own accessible progress bar says its raw value: "250" of 1000.
    """


class _PercentBarAccessible(QAccessibleWidget):
    def __init__(self, bar: PercentBar) -> None:
        super().__init__(bar, QAccessible.Role.ProgressBar)
        self._bar = bar

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Value:
            span = max(1, self._bar.maximum() - self._bar.minimum())
            return f"{100 * (self._bar.value() - self._bar.minimum()) // span}%"
        return str(super().text(kind))


def _factory(class_name: str, target: QObject) -> QAccessibleInterface | None:
    if class_name == "PercentBar" and isinstance(target, PercentBar):
        return _PercentBarAccessible(target)
    return None


_installed = False


def install() -> None:
    """Register the interfaces above with Qt's accessibility (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say `text` now (a copy ended, ...); nothing if none runs."""
    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
