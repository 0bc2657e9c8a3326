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
