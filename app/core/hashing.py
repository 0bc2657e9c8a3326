"""Hash algorithms for verification and checksum manifests, chosen by name or extension."""

from __future__ import annotations

import hashlib
import os
from enum import StrEnum
from typing import Protocol


class Hasher(Protocol):
    def update(self, data: bytes | bytearray | memoryview, /) -> object: ...
    def hexdigest(self) -> str: ...


_OTHER_HASHES = frozenset(
    ("md5", "sha1", "sha224", "sha384", "sha512", "b2", "blake2", "xxh32", "xxh64", "xxh3")
)


class Algorithm(StrEnum):
    """The value is the manifest extension's stem and the name people know it by."""

    XXH128 = "xxh128"  # fast, not cryptographic: proves a copy, not against an attacker
    SHA256 = "sha256"
    BLAKE3 = "b3"

    @classmethod
    def for_manifest(cls, path: str) -> Algorithm:
        """By the manifest's extension (.sha256, .b3, .xxh128); SHA-256 otherwise."""
        extension = os.path.splitext(path)[1].lower().lstrip(".")
        return next((algorithm for algorithm in cls if algorithm.value == extension), cls.SHA256)

    @staticmethod
    def named_other(path: str) -> str:
        """The extension if it names a hash Ferry does not write (a "sums.md5" of SHA-256
        digests would fail md5sum -c); "" if not."""
        extension = os.path.splitext(path)[1].lower().lstrip(".")
        return extension if extension in _OTHER_HASHES else ""

    @property
    def hex_length(self) -> int:
        return 32 if self is Algorithm.XXH128 else 64

    def new(self) -> Hasher:
        # Imported here: the packages are only needed when a copy is verified, and the
        # engine itself runs on the standard library (tests run it as another user).
        if self is Algorithm.XXH128:
            import xxhash

            return xxhash.xxh3_128()
        if self is Algorithm.BLAKE3:
            import blake3

            return blake3.blake3()
        return hashlib.sha256()


ZEROS = bytes(1 << 20)


def update_zeros(hasher: Hasher, count: int) -> None:
    """Hash `count` zero bytes (a hole of a sparse file reads as zeros)."""
    while count > 0:
        step = min(count, len(ZEROS))
        hasher.update(memoryview(ZEROS)[:step])
        count -= step
