"""Which source entries a job leaves out: gitignore patterns, file size and age."""

from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

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
        name = _bytewise(path.replace(os.sep, "/")) + ("/" if is_dir else "")
        for excludes, pattern in reversed(_compiled(self.patterns)):
            if pattern.search(name):
                return excludes
        return False

    def _keeps_file(self, st: os.stat_result) -> bool:
        if self.newer_than_ns is not None and st.st_mtime_ns <= self.newer_than_ns:
            return False
        if self.larger_than is not None and st.st_size <= self.larger_than:
            return False
        return self.smaller_than is None or st.st_size < self.smaller_than


@functools.lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> tuple[tuple[bool, re.Pattern[str]], ...]:
    """Each pattern line as (excludes, a regex of the entry itself); comments and blank
    lines left out. pathspec translates a line; its regex also matches what is below a
    matching folder, so the match must end with the entry."""
    # Imported when patterns are used (as xxhash and blake3 are when hashing): a copy
    # without them needs only the standard library, e.g. a system Python run as nobody.
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    compiled = []
    for line in patterns:
        pattern = GitIgnoreSpecPattern(_as_pathspec_reads(line))
        if pattern.include is not None and pattern.regex is not None:
            compiled.append((pattern.include, re.compile(pattern.regex.pattern + "$")))
    return tuple(compiled)


# POSIX classes git knows inside [...]; pathspec does not (it matched nothing with them).
_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "lower": "a-z",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
    "blank": " \t",
    "space": " \t\n\r\f\v",
}


def _as_pathspec_reads(line: str) -> str:
    """A git pattern as pathspec reads it the way git does. Git matches bytes (so does
    this, by a text of one character per byte: see _bytewise) and strips only unescaped
    trailing spaces; POSIX classes inside [...] become ranges; "dir/**/" (the folders
    inside dir, not dir) becomes "dir/**/*/", and "dir/**" "dir/**/?*"."""
    line = _classes_as_ranges(_trailing_as_git_reads(_bytewise(line)))
    if line.endswith("/**/"):
        line += "*/"
    elif line.endswith("/**"):  # what is inside dir, not dir
        line += "/?*"
    return line


def _bytewise(text: str) -> str:
    """One character per byte of the name, as git sees names: "?" is one byte."""
    return os.fsencode(text).decode("latin-1")


def _trailing_as_git_reads(line: str) -> str:
    """Unescaped trailing spaces go (pathspec would also drop an escaped one before them,
    and trailing tabs, which git keeps: a tab is kept as [\t])."""
    while line.endswith(" ") and not _escaped(line, len(line) - 1):
        line = line[:-1]
    kept = ""
    while line and line[-1].isspace() and line[-1] != " ":
        kept = f"[{line[-1]}]" + kept
        line = line[:-1]
    return line + kept


def _escaped(line: str, index: int) -> bool:
    backslashes = len(line[:index]) - len(line[:index].rstrip("\\"))
    return backslashes % 2 == 1


def _classes_as_ranges(line: str) -> str:
    """[:name:] inside a bracket expression as its ASCII ranges; elsewhere as it is."""
    if "[:" not in line:
        return line
    out, index, inside = [], 0, False
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line):
            out.append(line[index : index + 2])
            index += 2
            continue
        if inside and line.startswith("[:", index) and (end := line.find(":]", index)) > 0:
            name = line[index + 2 : end]
            if name not in _CLASSES:
                raise ValueError(f"the class [:{name}:] is not supported")
            out.append(_CLASSES[name])
            index = end + 2
            continue
        if not inside and char == "[":
            inside = True
            out.append(char)
            index += 1
            if line[index : index + 1] in ("!", "^"):
                out.append(line[index])
                index += 1
            if line[index : index + 1] == "]":  # a first ] is one of the set
                out.append("]")
                index += 1
            continue
        inside = inside and char != "]"
        out.append(char)
        index += 1
    return "".join(out)


def check_patterns(patterns: tuple[str, ...]) -> None:
    """Raise BadFilter naming the first pattern git would not accept either."""
    for line in patterns:
        try:
            _compiled((line,))
        except (ValueError, re.error) as exc:
            raise BadFilter(f"bad pattern '{line}': {exc}") from None


def read_pattern_file(path: str) -> list[str]:
    """The lines of a pattern file (a .gitignore works); blanks and # comments are kept
    for the matcher, which ignores them as git does."""
    try:  # (a FIFO would block the open until someone writes to it: never)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise BadFilter(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BadFilter(f"cannot read {path}: not a regular file")
    with open(fd, encoding="utf-8", errors="surrogateescape") as lines:
        try:
            return lines.read().splitlines()
        except OSError as exc:
            raise BadFilter(f"cannot read {path}: {exc.strerror or exc}") from None


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
