"""Which source entries a job leaves out: gitignore patterns, file size and age."""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from app.core.gitignore import compile_line, entry_name
from app.core.outfile import open_regular

_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(?:i?b)?", re.IGNORECASE)  # ASCII digits
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


class BadFilter(ValueError):
    """A pattern, date or size that cannot be understood; the message says which."""


@dataclass(frozen=True)
class Filters:
    """What to leave out. Picklable and hashable: it travels inside CopyOptions.

    `patterns` are gitignore lines, evaluated in order as git does (the last match wins,
    `!pattern` re-includes); paths are relative to the source. An excluded folder is not
    entered, so nothing below it can be re-included (as in git). The size and age limits
    apply to regular files only.
    """

    patterns: tuple[str, ...] = ()
    newer_than_ns: int | None = None  # keep files modified after this time
    larger_than: int | None = None  # keep files of more bytes than this
    smaller_than: int | None = None  # keep files of fewer bytes than this

    def __bool__(self) -> bool:
        return bool(self.patterns) or any(
            limit is not None for limit in (self.newer_than_ns, self.larger_than, self.smaller_than)
        )

    def excludes(self, path: str, st: os.stat_result) -> bool:
        """Whether the entry at `path` (relative, with what stat or lstat says) is left out."""
        if self.matches(path, stat.S_ISDIR(st.st_mode)):
            return True
        return stat.S_ISREG(st.st_mode) and not self._keeps_file(st)

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether the patterns exclude `path` (a folder is matched with a trailing /).

        As git decides each entry while it walks: the last pattern that matches the entry
        itself wins; a folder pattern says nothing about what is inside the folder (that
        is only ever looked at if the folder is entered).
        """
        if not self.patterns or not path:
            return False
        name = entry_name(path, is_dir)
        for excludes, pattern in reversed(_compiled(self.patterns)):
            if pattern.search(name):
                return excludes
        return False

    def keeps_no_size(self) -> bool:
        """Whether the size limits leave no file at all (more than 10 MB and less than
        1 KB): a copy of the folders only, which nobody asks for."""
        low, high = self.larger_than, self.smaller_than
        return low is not None and high is not None and high <= low + 1

    def _keeps_file(self, st: os.stat_result) -> bool:
        if self.newer_than_ns is not None and st.st_mtime_ns <= self.newer_than_ns:
            return False
        if self.larger_than is not None and st.st_size <= self.larger_than:
            return False
        return self.smaller_than is None or st.st_size < self.smaller_than


@functools.lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> tuple[tuple[bool, re.Pattern[str]], ...]:
    """Each pattern line as (excludes, a regex of the entry itself), as git reads it
    (gitignore.py); comments and blank lines left out."""
    return tuple(compiled for line in patterns if (compiled := compile_line(line)))


def reads_as_comment(pattern: str) -> bool:
    """Whether gitignore reads a pattern as a comment: typed as one, it would leave out
    nothing, unsaid (a backslash before the # makes it a name's)."""
    return pattern.startswith("#")


def check_patterns(patterns: tuple[str, ...]) -> None:
    """Raise BadFilter naming the first pattern git would not accept either."""
    for line in patterns:
        try:
            _compiled((line,))
        except (ValueError, re.error) as exc:
            shown = line if len(line) <= 80 else line[:80] + "..."  # (a line may be huge)
            raise BadFilter(f"bad pattern '{shown}': {exc}") from None


def read_pattern_file(path: str) -> list[str]:
    """The lines of a pattern file (a .gitignore works), as git reads them: split at
    line feeds only (a lone \r, a form feed or U+2028 split none), a \r before one
    dropped, a byte-order mark at the start skipped, each line cut at a NUL (git reads
    lines as C strings: `a\0b` leaves out `a`); at most 100 MiB, as git reads (a sparse
    file of 300 MB took 3.4 GB). Blanks and # comments are kept for the matcher, which
    ignores them as git does."""
    try:
        with open(open_regular(path), "rb") as stream:
            data = stream.read(MAX_PATTERN_FILE + 1)
    except OSError as exc:
        raise BadFilter(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_PATTERN_FILE:
        raise BadFilter(f"cannot read {path}: larger than 100 MiB, as git reads no such file")
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "surrogateescape")
    return [line.removesuffix("\r").partition("\0")[0] for line in text.split("\n")]


MAX_PATTERN_FILE = 100 << 20


def parse_size(text: str) -> int:
    """Bytes from `500`, `10K`, `1.5M`, `2GiB`, `3 GB` (units are powers of 1024)."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise BadFilter(f"bad size '{text}': use a number with an optional K, M, G or T")
    size = Fraction(match.group(1)) * _UNITS[match.group(2).lower()]  # exact, any length
    if size >= 1 << 63:  # larger than any file can be
        raise BadFilter(f"bad size '{text}': larger than any file can be")
    return int(size)


def parse_date(text: str) -> int:
    """Nanoseconds since the epoch of an ISO 8601 date or time (local time if no zone)."""
    try:
        when = datetime.fromisoformat(text.strip())
        return int(when.timestamp() * 1_000_000_000)
    except (ValueError, OverflowError, OSError):  # not a date, or out of the clock's range
        raise BadFilter(
            f"bad date '{text}': use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None
