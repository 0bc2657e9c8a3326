"""Checksum manifests in the format of sha256sum, b3sum and xxhsum: write and read back.

One line per file: `<hex digest>  <path>`, the path relative to the manifest's folder, as
raw bytes. Only a path a line cannot hold raw, one with a newline or ending in a carriage
return (which readers take for a Windows line end), is escaped: the line starts with a
backslash, and its backslashes, newlines and carriage returns are written `\\\\`, `\\n`,
`\\r`. `sha256sum -c` reads a backslash or a carriage return inside an unescaped line as
itself; escaped (as coreutils writes them), b3sum 1.2 refused `\\r` and xxhsum 0.8 reads
no escaped line at all (review). Read back, escaped lines of older manifests are taken,
and the lines `sha256sum -c` reads: `<digest> <path>` (one space) and the tagged
`SHA256 (<path>) = <digest>` of `--tag` (BLAKE3, XXH128 for the others).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO, NamedTuple

from app.core.hashing import Algorithm
from app.core.outfile import NotRegular, open_regular, replaced
from app.core.reasons import Code, Reason

# Longer than any line a real manifest holds: a digest, two spaces and a path, each byte
# escaped to two at most. Ferry copies trees deeper than PATH_MAX (4,096 bytes: it walks
# by folder descriptors), and lists them (a 16 KiB bound refused its own manifest of a
# 17 KiB path, review); a longer line is refused before it fills the memory.
MAX_LINE = 1 << 20
TAGS = {Algorithm.SHA256: b"SHA256", Algorithm.BLAKE3: b"BLAKE3", Algorithm.XXH128: b"XXH128"}


class Line(NamedTuple):
    path: str
    digest: str  # lowercase hex


class ManifestError(Exception):
    """The manifest cannot be read, or line `line` is not a checksum line: `why`, as a
    reason the window can translate."""

    def __init__(self, why: Reason, line: int = 0) -> None:
        self.why = Reason(Code.MANIFEST_BAD_LINE, (line, why)) if line else why
        super().__init__(str(self.why))


def format_line(path: str, digest: str) -> bytes:
    # "-" is standard input to sha256sum -c and b3sum -c: a file named so is "./-".
    raw = b"./-" if path == "-" else os.fsencode(path)
    if b"\n" in raw or raw.endswith(b"\r"):
        escaped = raw.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
        return b"\\" + digest.encode() + b"  " + escaped + b"\n"
    return digest.encode() + b"  " + raw + b"\n"


def write(path: str, lines: Iterable[Line]) -> None:
    """Write the manifest whole or not at all (outfile), on the disk as the copy is (the
    job's flush came before it)."""
    with replaced(path) as out:
        for line in lines:
            out.write(format_line(line.path, line.digest))


def read(path: str, algorithm: Algorithm) -> Iterator[Line]:
    """The lines of a manifest; ManifestError (with the line number) on a malformed one."""
    handle = _open_file(path)
    hexes = rb"[0-9a-fA-F]{%d}" % algorithm.hex_length
    # (After one space, a space or a star is the separator's, as sha256sum reads it.)
    untagged = re.compile(rb"(\\?)(%s) [ *]?(.+)" % hexes, re.DOTALL)
    tagged = re.compile(rb"(\\?)%s \((.+)\) = (%s)" % (TAGS[algorithm], hexes), re.DOTALL)
    with handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE + 1), b""), 1):
            if len(raw) > MAX_LINE:
                raise ManifestError(Reason(Code.MANIFEST_LINE_TOO_LONG, (MAX_LINE,)), number)
            text = raw.removesuffix(b"\n").removesuffix(b"\r")  # \r\n: written on Windows
            if not text.strip() or text.startswith(b"#"):  # (a comment, as sha256sum reads it)
                continue
            text = text.lstrip(b" \t")  # (blanks before the digest: sha256sum skips them)
            if match := untagged.fullmatch(text):
                escaped, digest, name = match.groups()
            elif match := tagged.fullmatch(text):
                escaped, name, digest = match.groups()
            else:
                why = Reason(Code.MANIFEST_NOT_A_LINE, (algorithm.value,))
                raise ManifestError(why, number)
            if escaped:
                name = _unescape(name, number)
            yield Line(_inside(name, number), digest.decode().lower())


def _open_file(path: str) -> BinaryIO:
    """The manifest, opened for reading; ManifestError if it is not a regular file."""
    try:
        return os.fdopen(open_regular(path), "rb")
    except NotRegular as exc:
        raise ManifestError(Reason(Code.MANIFEST_NOT_REGULAR, (path,))) from exc
    except OSError as exc:
        why = Reason(Code.MANIFEST_UNREADABLE, (path, exc.strerror or str(exc)))
        raise ManifestError(why) from exc


def _inside(name: bytes, number: int) -> str:
    """The path of a file in the manifest's folder ("./" parts dropped), or ManifestError.

    A manifest is input like any other: a line naming "../x" or "/etc/x" must not make
    `ferry verify` read, or tell anything about, a file outside the folder it checks.
    """
    if b"\0" in name:
        raise ManifestError(Reason(Code.MANIFEST_NUL_IN_NAME), number)
    parts = [part for part in name.split(b"/") if part not in (b"", b".")]
    if name.startswith(b"/") or b".." in parts:
        raise ManifestError(Reason(Code.MANIFEST_PATH_OUTSIDE), number)
    if not parts or name.rpartition(b"/")[2] in (b"", b"."):  # (`x/`, `x/.`: no file)
        raise ManifestError(Reason(Code.MANIFEST_PATH_IS_FOLDER), number)
    return os.fsdecode(os.sep.encode().join(parts))


def _unescape(name: bytes, number: int) -> bytes:
    out = bytearray()
    index = 0
    while index < len(name):
        char = name[index : index + 1]
        if char == b"\\":
            code = name[index + 1 : index + 2]
            if code not in (b"\\", b"n", b"r"):
                raise ManifestError(Reason(Code.MANIFEST_BAD_ESCAPE), number)
            out += {b"\\": b"\\", b"n": b"\n", b"r": b"\r"}[code]
            index += 2
        else:
            out += char
            index += 1
    return bytes(out)
