"""Alt and a letter is a button's shortcut in the window, never typing.

A disabled button's mnemonic (Alt+S of Start, before both folders are valid) fell
through to the field with the focus, which typed the letter into the path.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget


class _AltTypesNothing(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modifiers = event.modifiers()
            alt = modifiers & Qt.KeyboardModifier.AltModifier
            # (Ctrl+Alt is AltGr on Windows: it types @ or € on many layouts)
            ctrl = modifiers & Qt.KeyboardModifier.ControlModifier
            # Mnemonics are letters and digits; anything else may be AltGr's (@, ~, é),
            # sent as Alt by a remote desktop.
            text = event.text()
            if alt and not ctrl and text.isascii() and text.isalnum():
                return True
        return super().eventFilter(watched, event)


def guard_fields(window: QWidget) -> None:
    """Keep every text field of `window` from typing Alt+letter (not on macOS, where
    Option types letters of their own)."""
    if sys.platform == "darwin":
        return
    guard = _AltTypesNothing(window)
    for field in window.findChildren(QLineEdit):
        field.installEventFilter(guard)
        # A completer's open list hands keys to its field past the field's filters.
        completer = field.completer()
        if completer is not None and (popup := completer.popup()) is not None:
            popup.installEventFilter(guard)
