"""The end-of-job flush writes out the target's file system only, where the OS can."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.core import flush


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs(2) is Linux's")
def test_linux_flushes_with_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append("sync()"))
    (tmp_path / "data").write_bytes(b"x" * 100_000)

    flush.flush_file_system(str(tmp_path))

    assert flush._syncfs() is not None
    assert synced == []


def test_a_failed_syncfs_falls_back_to_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append("sync()"))
    monkeypatch.setattr(flush, "_syncfs", lambda: lambda fd: -1)

    flush.flush_file_system(str(tmp_path))
    flush.flush_file_system(str(tmp_path / "gone"))  # cannot even be opened

    assert synced == ["sync()", "sync()"]
