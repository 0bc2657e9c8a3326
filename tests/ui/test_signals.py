"""The Qt binding must not corrupt reference counts when our signals are emitted."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import QObject, Signal, Slot


class _Emitter(QObject):
    payload = Signal(object)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.received = 0

    @Slot(object)
    def take(self, _payload: object) -> None:
        self.received += 1


@pytest.mark.timeout(30)
@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="True is immortal from Python 3.12: the bug is harmless"
)
def test_emitting_signals_keeps_reference_counts(qapp: object) -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit(): on Python 3.11 the
    window aborted ("bool_dealloc") after a few thousand progress updates. From 3.12
    True is immortal: its count never moves and the bug cannot hurt, so this runs on
    3.11 (where CI runs) and fails there with 6.12.0."""
    emitter, receiver = _Emitter(), _Receiver()
    emitter.payload.connect(receiver.take)
    payload = {"files_done": 1}
    gc.collect()
    before = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(payload))
    for _ in range(200):
        emitter.payload.emit(payload)
    gc.collect()
    after = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(payload))
    assert receiver.received == 200
    assert after == before
