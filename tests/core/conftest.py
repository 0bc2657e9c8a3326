"""Fixtures for engine tests: big real data on tmpfs, shared across the session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

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
