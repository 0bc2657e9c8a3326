"""The bytes of one file: the kernel's copy where it can, a buffer where it cannot, holes kept."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from app.core import datacopy
from app.core.events import WorkerContext
from app.core.options import CopyOptions

KIB = 1024


def _context(tmp_path: Path) -> WorkerContext:
    running = threading.Event()
    running.set()
    return WorkerContext(
        None,
        threading.Event(),  # type: ignore[arg-type]
        running,  # type: ignore[arg-type]
        CopyOptions(),
        str(tmp_path),
        str(tmp_path),
        "0123456789ab",
    )


def _copy(tmp_path: Path, source: Path, size: int | None = None) -> tuple[int, Path]:
    """copy_data from `source` into a new file; `size` overrides what the stat said."""
    target = tmp_path / "copy"
    fd_in = os.open(source, os.O_RDONLY)
    fd_out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        st = os.fstat(fd_in)
        if size is not None:  # as if the file shrank after this stat
            fields = list(st)
            fields[6] = size  # st_size
            st = os.stat_result(fields, {"st_blocks": size // 512})
        copied = datacopy.copy_data(_context(tmp_path), fd_in, fd_out, st, "f", lambda *_: None)
    finally:
        os.close(fd_in)
        os.close(fd_out)
    return copied, target


@pytest.mark.parametrize("size", [0, 1, 4 * KIB, 1 << 20, (4 << 20) + 3])
def test_without_the_kernels_copy_the_data_goes_through_a_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    calls: list[int] = []

    def refuse(*args: object) -> int:
        calls.append(1)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refuse)
    data = os.urandom(size)
    (tmp_path / "src").write_bytes(data)

    copied, target = _copy(tmp_path, tmp_path / "src")

    assert copied == size
    assert target.read_bytes() == data
    assert len(calls) == (1 if size else 0)  # asked once, then the buffer for the rest


@pytest.mark.parametrize("size", [4 * KIB, 3 << 20])
def test_a_source_shorter_than_its_stat_said_is_copied_short(tmp_path: Path, size: int) -> None:
    data = os.urandom(size // 2)
    (tmp_path / "src").write_bytes(data)

    copied, target = _copy(tmp_path, tmp_path / "src", size=size)

    assert copied == len(data)  # the caller sees the difference and tries again
    assert target.read_bytes() == data


def test_a_small_sparse_file_keeps_its_hole(tmp_path: Path) -> None:
    source = tmp_path / "src"
    with open(source, "wb") as f:
        f.write(b"head")
        f.seek(512 * KIB)
        f.write(b"tail")
    if os.stat(source).st_blocks * 512 >= 512 * KIB:
        pytest.fail("this file system does not keep holes: the test cannot tell")

    copied, target = _copy(tmp_path, source)

    assert copied == 512 * KIB + 4
    assert target.read_bytes() == source.read_bytes()
    assert os.stat(target).st_blocks * 512 < 64 * KIB
