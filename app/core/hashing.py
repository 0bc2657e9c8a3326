"""Hash algorithms for verification and checksum manifests, chosen by name or extension."""

from __future__ import annotations

import hashlib
import os
from enum import StrEnum
from typing import Protocol


class Hasher(Protocol):
    def update(self, data: bytes | bytearray | memoryview, /) -> object: ...
    def hexdigest(self) -> str: ...


# Names of hashes Ferry neither writes nor reads (as names, not prefixes: sha256-checksums is
# no sha2 manifest).
_OTHER_HASHES = frozenset(
    {"md5", "sha1", "sha224", "sha384", "sha512", "sha3", "sha3-256", "sha3-512", "b2"}
    | {"blake2", "blake2b", "blake2s", "xxh32", "xxh64", "xxh3", "xxhsum", "crc", "crc32"}
    | {"crc32c", "cksum", "xxh"}
)
_ALIASES = {"blake3": "b3"}


def _named(path: str) -> str:
    """The hash a manifest's name names: its extension, or a name like SHA256SUMS, each
    without "sum" or "sums" (sums.b3sum, B3SUMS and x.blake3 name b3)."""
    stem, extension = os.path.splitext(os.path.basename(path).lower())
    named = extension.lstrip(".") or stem.lstrip(".")
    for suffix in ("sums", "sum"):
        if named.endswith(suffix) and len(named) > len(suffix):
            named = named[: -len(suffix)]
            break
    return _ALIASES.get(named, named)


class Algorithm(StrEnum):
    """The value is the manifest extension's stem and the name people know it by."""

    XXH128 = "xxh128"  # fast, not cryptographic: proves a copy, not against an attacker
    SHA256 = "sha256"
    BLAKE3 = "b3"

    @classmethod
    def for_manifest(cls, path: str) -> Algorithm:
        """By the manifest's name (.sha256, .b3, .xxh128, B3SUMS...); SHA-256 otherwise."""
        named = _named(path)
        return next((algorithm for algorithm in cls if algorithm.value == named), cls.SHA256)

    @staticmethod
    def named_other(path: str) -> str:
        """The hash the name names if Ferry does not write or read it (a "sums.md5" of
        SHA-256 digests would fail md5sum -c); "" if not."""
        named = _named(path)
        return named if named in _OTHER_HASHES else ""

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
