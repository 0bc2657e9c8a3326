"""Fixtures for engine tests: big real data on tmpfs, shared across the session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fusefs import Gate, Mount, fuse_available, mounted
from tests.helpers import MIB, remove_tree, shm_dir, write_big

BIG_SIZE = 512 * MIB  # copies in seconds on tmpfs: long enough to act mid-file


@pytest.fixture
def big_area(tmp_path: Path) -> Iterator[Path]:
    """A scratch folder for GiB-scale data: tmpfs if there is room, tmp_path otherwise."""
    base = shm_dir()
    if base is None:
        yield tmp_path
        return
    path = Path(tempfile.mkdtemp(prefix="ferry-test-", dir=base))
    try:
        yield path
    finally:
        remove_tree(path)


@pytest.fixture(scope="session")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A read-only source folder holding one 512 MiB file `big.bin` of real data."""
    base = shm_dir()
    root = Path(tempfile.mkdtemp(prefix="ferry-big-", dir=base)) if base else None
    if root is None:
        root = tmp_path_factory.mktemp("big")
    source = root / "src"
    source.mkdir()
    write_big(source / "big.bin", BIG_SIZE)
    os.utime(source / "big.bin", ns=(1_600_000_000_123_456_789, 1_600_000_000_123_456_789))
    try:
        yield source
    finally:
        remove_tree(root)


GATE_AT = 8 * MIB  # where reads of big.bin stop until released: mid-file, for sure


@dataclass
class Gated:
    """A source seen through FUSE (`source`); `backing` is the real folder behind it.

    Reads of big.bin stop at GATE_AT until the gate opens: a worker is then held
    mid-file while the test acts, without depending on timing.
    """

    source: Path
    backing: Path
    mount: Mount
    gate: Gate

    def held(self) -> int:
        return self.mount.held()

    def open(self) -> None:
        self.gate.open()


@pytest.fixture
def gated(big_area: Path, tmp_path: Path) -> Iterator[Gated]:
    reason = fuse_available()
    if reason:
        pytest.skip(reason)
    backing = big_area / "backing"
    backing.mkdir()
    write_big(backing / "big.bin", 64 * MIB)
    with mounted(backing, tmp_path / "mnt") as mount:
        yield Gated(mount.point, backing, mount, mount.gate("big.bin", GATE_AT))
