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
    ],
)
def test_sizes_no_file_has_are_refused(tmp_path: Path, flags: list[str], message: bytes) -> None:
    """They ran, unsaid: the folders only were copied, exit 0 (review of the command line)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a.txt"])
    result = run_cli(str(source), str(target), *flags)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("flag", [["--verify"], ["--manifest", "sums.sha256"]])
def test_a_dry_run_says_it_neither_verifies_nor_writes_checksums(
    tmp_path: Path, flag: list[str]
) -> None:
    """The real run's line with --dry-run added previews it (and its manifest's place is
    checked), but nothing is read back or recorded: it dropped them, unsaid (review)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    _tree(source, ["a.txt"])
    flag = [str(tmp_path / f) if f.endswith(".sha256") else f for f in flag]
    result = run_cli("--dry-run", str(source), str(target), *flag)
    assert result.returncode == 0, result.stderr
    assert b"note: a dry run writes nothing: no copy to verify, no checksum file" in result.stderr
    assert not target.exists() and not (tmp_path / "sums.sha256").exists()


def test_sizes_with_room_for_one_between_are_taken(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "fits").write_bytes(b"x" * 101)
    kept = run_cli(str(source), str(target), "--larger-than", "100", "--smaller-than", "102")
    assert kept.returncode == 0, kept.stderr
    assert (target / "fits").stat().st_size == 101
