"""Filters: gitignore patterns in order, size and age limits, on real trees."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core import gitignore
from app.core.filters import (
    BadFilter,
    Filters,
    check_patterns,
    parse_date,
    parse_size,
    read_pattern_file,
)
from app.core.job import CopyJob
from app.core.options import CopyOptions
from tests.helpers import run_cli

pytestmark = pytest.mark.timeout(60)


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())


def _files(root: Path) -> set[str]:
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    }


TREE = [
    "a.log",
    "keep.log",
    "sub/b.log",
    "sub/keep.log",
    "notes.txt",
    "node_modules/pkg/index.js",
    "app/node_modules/x.js",
    "build/out.o",
    "sub/build/out.o",
    "sub/deep/cache/blob",
    "cache/top",
    "docs/cache",  # a file named cache: a folder-only pattern must not match it
]


def test_patterns_in_git_order_on_a_real_tree(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, TREE)
    patterns = ("*.log", "!keep.log", "node_modules/", "/build", "**/cache/")
    job = CopyJob(str(source), str(target), CopyOptions(filters=Filters(patterns)))
    report = job.run()
    assert report.was_successful()
    assert _files(target) == {
        "keep.log",  # negation re-includes, at any depth
        "sub/keep.log",
        "notes.txt",
        "sub/build/out.o",  # /build is anchored to the source root
        "docs/cache",  # cache/ matches folders only
    }
    # a.log, sub/b.log, 2 node_modules folders, build, 2 cache folders: not entered, counted once
    assert report.excluded == 7
    assert report.summary()["excluded"] == 7
    assert not (target / "node_modules").exists()


GIT_TREE = [
    "work/a.txt",
    "work/cache/blob",
    "build/out.o",
    "build/sub/deep.o",
    "keepdir/f.log",
    "keepdir/f.txt",
    "top.log",
    "2023-archive.tar",
    "a/x.log",
    "a/b",
    "a/b2/c.txt",
    "Doc/readme",
    "é/f",
    "日本/f",
    ":",
    "x ",
    "foo/baz",
    "foo/bar/baz",
    "]x",
    "ax",
    "\\x",
    "zx",
    "build/main.c",
    "x\ny/foo.log",
    "y",
    "x/y",
    "x/a/b/y",
    "foo_bar",
    "sub/foo_bar",
    "a/b",
    "x\t",
]

PATTERN_SETS = [
    ["cache/", "!work/"],  # a re-included folder re-includes nothing below it
    ["*", "!*/", "!*.log"],  # the common whitelist
    ["build/**/"],  # the folders inside build, not build
    ["a/**", "!*.log"],  # what is inside a, not a: a/x.log comes back
    ["[[:digit:]]*"],
    ["a/**", "x.log", "!b"],
    ["*.log", "!keepdir/", "keepdir/*.txt"],
    ["/a/b", "Doc", "!Doc/"],
    # The review's: git strips only unescaped trailing spaces, and matches bytes.
    ["a/**/ "],
    ["a/**/\t"],
    ["*", "!foo/ ", "!foo/** "],
    ["x\\  "],
    ["?"],
    ["??"],
    ["[:alpha:]"],
    # The second review's: escapes in brackets, a bracket never matches /, newlines.
    ["[\\]]x"],
    ["[!\\]]x"],
    ["build[!s]"],
    ["[z-a]x", "*.txt"],
    ["*.log"],
    # Several wildcards: each but the last takes the earliest match (gitignore.py).
    ["*o*e*", "!k*e*i*/"],
    ["**/b*/**/*e*"],
    ["a/**/b/**", "**/?u*/**/*a*"],
    # The fourth review's: `***` as `**`, a "/" in brackets anchors, `\/` is a "/", an
    # escaped trailing tab.
    ["***/y"],
    ["x/***/y"],
    ["foo[/_]bar"],
    ["a\\/b"],
    ["x\\\t"],
]


@pytest.mark.parametrize("patterns", PATTERN_SETS, ids=" | ".join)
def test_the_files_left_out_are_those_git_ignores(tmp_path: Path, patterns: list[str]) -> None:
    """pathspec's GitIgnoreSpec matched a folder pattern on everything below the folder,
    with its own priorities: "cache/ !work/" took work/cache back in, so a --mirror
    deleted the target's work/cache, which git (and rsync) leave out."""
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, GIT_TREE)
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    (source / ".git" / "info" / "exclude").write_text("\n".join(patterns) + "\n")
    listed = subprocess.run(
        ["git", "-C", str(source), "ls-files", "-o", "--exclude-standard", "-z"],
        capture_output=True,
        check=True,
    ).stdout
    shutil.rmtree(source / ".git")

    report = CopyJob(str(source), str(target), CopyOptions(filters=Filters(tuple(patterns)))).run()

    assert report.was_successful()
    assert _files(target) == {path for path in listed.decode().split("\0") if path}


def test_a_hostile_pattern_file_cannot_stall_the_scan(tmp_path: Path) -> None:
    """A .gitignore is hostile input. pathspec's regex of `*a*a*a*a*a*a*a*a*a*b` took
    exponential time: over a name of 40 `a`s, hours (pathspec's issue 131); git gives up
    early. Now it takes the earliest match of each wildcard but the last (as the same
    names would). (In a process of its own: nothing interrupts a regex match.)"""
    source, target = tmp_path / "src", tmp_path / "dst"
    names = ["a" * 200, "a" * 100 + "b", "/".join(["b"] * 40) + "/f"]
    _tree(source, names)
    patterns = tmp_path / "hostile.gitignore"
    patterns.write_text(
        "\n".join(("*a" * 12 + "*b", "/".join(["**", "b"] * 14) + "/c", "*?" * 20 + "c"))
    )

    result = run_cli(str(source), str(target), "--exclude-from", str(patterns), timeout=30)

    assert result.returncode == 0, result.stderr
    assert _files(target) == {names[0], names[2]}  # (only the second ends in b)


@pytest.mark.timeout(30)
def test_long_pattern_lines_take_linear_time(tmp_path: Path) -> None:
    """A line of 20,000 letters took 56 s to compile, of tabs 59 s (quadratic: a look
    ahead from every character); git takes milliseconds. Each line here took a minute."""
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a", "b\t", "gone.log"])
    patterns = tmp_path / "long.gitignore"
    long = 20_000
    lines = ("a" * long, "?" * long, "b" + "\t" * long, "c" + " " * long + "d", "*a" * long)
    lines += ("*.log",)
    patterns.write_text("\n".join(lines) + "\n")

    result = run_cli(str(source), str(target), "--exclude-from", str(patterns), timeout=25)

    assert result.returncode == 0, result.stderr
    assert _files(target) == {"a", "b\t"}  # (none of the long lines matches a name)


def test_a_pattern_file_is_split_as_git_splits_it(tmp_path: Path) -> None:
    """At line feeds only, a byte-order mark skipped: Python's splitlines() split at a
    lone \r, a form feed and U+2028 too, and kept the mark in the first pattern, so
    `*.log` matched nothing and a mirror deleted the target's logs (review of filters)."""
    patterns = tmp_path / "p.gitignore"
    patterns.write_bytes(b"\xef\xbb\xbf*.log\r\na\rb\nc\x0cd\ne\xe2\x80\xa8f\n")
    assert read_pattern_file(str(patterns)) == ["*.log", "a\rb", "c\x0cd", "e\u2028f", ""]


def test_a_pattern_file_with_nul_bytes_leaves_out_what_git_leaves_out(tmp_path: Path) -> None:
    """git reads each line as a C string: `a\0b` is `a`. Ferry read `a\0b`, matched
    nothing, and copied `a`, which git leaves out (review of hostile names)."""
    folder = tmp_path / "repo"
    folder.mkdir()
    for name in ("a", "ab", "b", "c"):
        (folder / name).write_bytes(b"")
    (folder / ".gitignore").write_bytes(b"a\0b\nc\0\n")
    subprocess.run(["git", "init", "-q", str(folder)], check=True, timeout=30)
    listed = subprocess.run(
        ["git", "-C", str(folder), "ls-files", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
        timeout=30,
    )
    kept = set(listed.stdout.decode().split())

    patterns = read_pattern_file(str(folder / ".gitignore"))
    matcher = Filters(tuple(patterns))

    assert patterns == ["a", "c", ""]
    assert kept == {".gitignore", "ab", "b"}
    for name in ("a", "ab", "b", "c"):
        assert matcher.matches(name, False) == (name not in kept), name


def test_wildcards_match_what_pathspec_s_regex_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    """The earliest match of each wildcard but the last changes no match: lines of several
    wildcards, over names made of the letters in them, against pathspec's own regex."""
    rng = random.Random(7)
    pieces = ["a", "b", "*", "**", "?", "a*", "*b", "b*a", "[ab]", "[!a]", "ab"]
    own = gitignore._without_backtracking
    for _ in range(3000):
        segments = [rng.choice(pieces) for _ in range(rng.randint(1, 5))]
        line = rng.choice(["", "/"]) + "/".join(segments) + rng.choice(["", "/"])
        monkeypatch.setattr(gitignore, "_without_backtracking", lambda regex: regex)
        pathspecs = gitignore.compile_line(line)
        monkeypatch.setattr(gitignore, "_without_backtracking", own)
        ours = gitignore.compile_line(line)
        assert ours is not None and pathspecs is not None
        for _ in range(30):
            names = ["".join(rng.choices("ab", k=rng.randint(1, 3))) for _ in range(6)]
            path = "/".join(names[: rng.randint(1, 6)]) + rng.choice(["", "/"])
            assert bool(ours[1].match(path)) == bool(pathspecs[1].match(path)), (line, path)


def test_last_match_wins(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["x.log", "y.log"])
    patterns = ("!x.log", "*.log")  # the re-include comes first: the later exclude wins
    CopyJob(str(source), str(target), CopyOptions(filters=Filters(patterns))).run()
    assert _files(target) == set()


def test_excluded_folder_is_not_entered(tmp_path: Path) -> None:
    """An unreadable excluded folder is not even listed: no failure for it."""
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["ok.txt", "secret/x"])
    os.mkfifo(source / "secret" / "pipe")  # reported as skipped if the folder were walked
    report = CopyJob(str(source), str(target), CopyOptions(filters=Filters(("secret/",)))).run()
    assert [r.path for r in report.results] == ["ok.txt"]
    assert report.excluded == 1


def test_size_and_age_limits(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    files = (("old-big", 5000, 2001), ("new-big", 5000, 2031), ("new-tiny", 10, 2031))
    for name, size, year in files:
        (source / name).write_bytes(b"x" * size)
        stamp = parse_date(f"{year}-06-01")
        os.utime(source / name, ns=(stamp, stamp))
    os.symlink("old-big", source / "link")  # limits apply to files only
    filters = Filters(newer_than_ns=parse_date("2020-01-01"), larger_than=parse_size("1K"))
    report = CopyJob(str(source), str(target), CopyOptions(filters=filters)).run()
    assert _files(target) == {"new-big", "link"}
    assert report.excluded == 2
    small = Filters(smaller_than=parse_size("100"))
    CopyJob(str(source), str(tmp_path / "small"), CopyOptions(filters=small)).run()
    assert _files(tmp_path / "small") == {"new-tiny", "link"}


def test_pattern_file_like_a_gitignore(tmp_path: Path) -> None:
    ignore = tmp_path / ".gitignore"
    ignore.write_text("# build output\n\n*.o\n!keep.o\n")
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a.o", "keep.o", "a.c"])
    patterns = tuple(read_pattern_file(str(ignore)))
    CopyJob(str(source), str(target), CopyOptions(filters=Filters(patterns))).run()
    assert _files(target) == {"keep.o", "a.c"}


@pytest.mark.timeout(10)
def test_a_pattern_file_that_is_no_file_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO with no writer blocked the open for ever, before any message."""
    os.mkfifo(tmp_path / "fifo")
    for path in (tmp_path / "fifo", tmp_path, tmp_path / "missing"):
        with pytest.raises(BadFilter, match="cannot read"):
            read_pattern_file(str(path))


@pytest.mark.parametrize(
    ("text", "size"),
    [("500", 500), ("10K", 10240), ("1.5M", 1572864), ("2GiB", 2 << 30), ("3 kb", 3072)],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "ten", "5X", "-1", "1..2K", "1" + "0" * 400, "١٢٣"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(BadFilter, match="bad size"):
        parse_size(text)


def test_dates() -> None:
    assert parse_date("1970-01-02T00:00:00+00:00") == 86400 * 10**9
    assert parse_size("9007199254740993") == 9007199254740993  # not rounded by a float
    for text in ("yesterday", "0001-01-01"):
        with pytest.raises(BadFilter, match="bad date"):
            parse_date(text)


@pytest.mark.parametrize(
    "pattern",
    # (git reads an escaped / first, last or after ** otherwise: refused, not read apart)
    ["!", "\\", "a\\", "[abc", "[[:punct:]]", "\\/foo", "foo\\/", "**\\/y", "!\\/foo"],
)
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(BadFilter, match="bad pattern"):
        check_patterns(("*.log", pattern))


def test_an_escaped_slash_after_an_escaped_star_is_read() -> None:
    """`\\**\\/x` is a star, a wildcard, then a "/": not `**` (third review)."""
    assert gitignore.compile_line("\\**\\/x") is not None
