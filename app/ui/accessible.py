"""What screen readers get beyond names: progress as a percentage, spoken announcements."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QAccessibleWidget,
    QLabel,
    QProgressBar,
    QWidget,
)

# A shortcut letter in parentheses, as Chinese and Japanese labels carry it: "开始(&S)".
_SHORTCUT = re.compile(r"\s*[(\uff08]&[^&\s][)\uff09]")
_NAMED = "ferryMnemonicName"  # the property that marks a name set here


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


def without_mnemonic(text: str) -> str:
    """A button's text as a screen reader should say it: "开始(&S)" is "开始". Qt drops
    only the &, and said "开始(S)"; "&&" is a literal &."""
    text = _SHORTCUT.sub("", text)
    return "&".join(part.replace("&", "") for part in text.split("&&"))


def name_button(button: QAbstractButton) -> None:
    """Name a button whose text has its shortcut in parentheses after that text without
    it; call again when its text changes. A name of its own (set elsewhere) stays."""
    if button.accessibleName() and not button.property(_NAMED):
        return
    named = _SHORTCUT.search(button.text()) is not None
    button.setAccessibleName(without_mnemonic(button.text()) if named else "")
    button.setProperty(_NAMED, named)


def name_buttons(root: QWidget) -> None:
    """name_button for every button in `root` (dialogs that are its children too), and
    the same for the fields a label with a shortcut names ("并行工作进程(&K)")."""
    for button in root.findChildren(QAbstractButton):
        name_button(button)
    for label in root.findChildren(QLabel):
        field = label.buddy()
        if field is None or field.accessibleName() or not _SHORTCUT.search(label.text()):
            continue
        field.setAccessibleName(without_mnemonic(label.text()))
