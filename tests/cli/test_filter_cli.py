"""`ferry copy --exclude/--include/--exclude-from/--newer-than/...` from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import file_records, json_lines, run_cli, summary_of

pytestmark = pytest.mark.timeout(60)


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data of " + name.encode())


def test_flags_apply_in_command_line_order(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a.log", "keep.log", "x.tmp", "node_modules/m.js", "build/b", "sub/build/b"])
    ignore = tmp_path / "ignore"
    ignore.write_text("# from a file\n*.tmp\n")
    result = run_cli(
        str(source),
        str(target),
        "--json",
        "--exclude",
        "*.log",
        "--include",
        "keep.log",
        "--exclude-from",
        str(ignore),
        "--exclude",
        "node_modules/",
        "--exclude",
        "/build",
    )
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stdout)
    assert set(file_records(records)) == {"keep.log", "sub/build/b"}  # excluded: not listed
    assert summary_of(records)["excluded"] == 4
    assert sorted(os.listdir(target)) == ["keep.log", "sub"]


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--exclude", "!", b"bad pattern"),
        ("--include", "a\\", b"bad pattern"),
        ("--newer-than", "last tuesday", b"bad date"),
        ("--larger-than", "12 parsecs", b"bad size"),
        ("--smaller-than", "", b"bad size"),
        ("--exclude-from", "/nonexistent/ignore", b"cannot read"),
    ],
)
def test_bad_filter_exits_2_and_writes_nothing(
    tmp_path: Path, flag: str, value: str, message: bytes
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a.txt"])
    result = run_cli(str(source), str(target), flag, value)
    assert result.returncode == 2
    assert message in result.stderr
    assert not target.exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--larger-than", "10M", "--smaller-than", "1K"], b"leave no file of any size"),
        (["--larger-than", "100", "--smaller-than", "101"], b"leave no file of any size"),
        (["--dry-run", "--verify"], b"--dry-run writes nothing for --verify"),
        (["--dry-run", "--manifest", "sums.sha256"], b"--dry-run writes nothing for --verify"),
    ],
)
def test_options_that_cannot_do_what_they_say_are_refused(
    tmp_path: Path, flags: list[str], message: bytes
) -> None:
    """They ran, unsaid: sizes no file has copied the folders only (exit 0), and a dry
    run dropped --verify and --manifest (review of the command line)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a.txt"])
    flags = [str(tmp_path / f) if f.endswith(".sha256") else f for f in flags]
    result = run_cli(str(source), str(target), *flags)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not target.exists() and not (tmp_path / "sums.sha256").exists()


def test_sizes_with_room_for_one_between_are_taken(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "fits").write_bytes(b"x" * 101)
    kept = run_cli(str(source), str(target), "--larger-than", "100", "--smaller-than", "102")
    assert kept.returncode == 0, kept.stderr
    assert (target / "fits").stat().st_size == 101
