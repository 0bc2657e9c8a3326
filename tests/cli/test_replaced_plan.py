"""A dry run's replace rows say what the copy will say it replaced: --json, --log, terminal."""

from __future__ import annotations

import csv
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import file_records, json_lines, run_cli

OLD = 1_600_000_000  # seconds: a day in 2020, older than any file a test writes now
NEWER = "replaced the target's newer file of this name, as chosen for existing files"
OTHER = "replaced what the target held at this name, an entry of another type: "

pytestmark = pytest.mark.timeout(90)


def dated(path: Path, text: str, seconds: int) -> Path:
    path.write_text(text)
    os.utime(path, (seconds, seconds))
    return path


def bound_socket(path: Path) -> None:
    """A socket file at `path` (bound from its folder: a long path does not fit)."""
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path.name)
    finally:
        os.chdir(here)


# What the target holds at each name, and what the copy over it says it replaced.
EXPECTED = {
    "new.txt": None,
    "older.txt": "replaced_older",
    "newer.txt": "replaced_newer",
    "same.txt": "replaced_same_time",
    "resized.txt": "replaced_same_time",
    "link": "replaced_other_type",
    "over_link.txt": "replaced_other_type",
    "over_pipe.txt": "replaced_other_type",
    "over_socket.txt": "replaced_other_type",
}
KINDS = {
    "link": "a file",
    "over_link.txt": "a symbolic link",
    "over_pipe.txt": "a named pipe (FIFO)",
    "over_socket.txt": "a socket",
    "over_device.txt": "a character device",
}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, dict[str, str | None]]:
    """A source and a target that holds, at most of its names, something to replace:
    older, newer, of the same time, of another type (a file, a link, a pipe, a socket,
    and as root a device node)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "new.txt").write_text("new")
    (source / "older.txt").write_text("the source's, edited since")
    dated(target / "older.txt", "its copy", OLD)
    dated(source / "newer.txt", "the source's", OLD)
    dated(target / "newer.txt", "edited in the target", OLD + 3600)
    dated(source / "same.txt", "same", OLD)
    dated(target / "same.txt", "same", OLD)
    dated(source / "resized.txt", "longer than its copy", OLD)
    dated(target / "resized.txt", "short", OLD)
    (source / "link").symlink_to("new.txt")
    (target / "link").write_text("a file where the source has a link")
    for name in ("over_link.txt", "over_pipe.txt", "over_socket.txt", "over_device.txt"):
        (source / name).write_text("a file where the target has another type")
    (target / "over_link.txt").symlink_to("elsewhere")
    os.mkfifo(target / "over_pipe.txt")
    bound_socket(target / "over_socket.txt")
    if os.geteuid() == 0:
        os.mknod(target / "over_device.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        return source, target, {**EXPECTED, "over_device.txt": "replaced_other_type"}
    (source / "over_device.txt").unlink()  # (only root makes a device node)
    return source, target, EXPECTED


def events_of(*args: str) -> dict[str, dict[str, Any]]:
    result = run_cli("--json", "--on-conflict", "overwrite", *args)
    assert result.returncode == 0, result.stderr
    return file_records(json_lines(result.stdout))


def test_a_dry_run_says_what_each_replace_would_replace_as_the_copy_then_says(
    folders: tuple[Path, Path, dict[str, str | None]],
) -> None:
    """A preview of --on-conflict overwrite said "replace" for each file, no more: the
    ones that overwrite a newer file of the target looked like all the others."""
    source, target, expected = folders
    plan = events_of("--dry-run", str(source), str(target))
    run = events_of(str(source), str(target))

    assert {path: event.get("code") for path, event in run.items()} == expected
    assert {path: event.get("code") for path, event in plan.items()} == expected
    for path, event in plan.items():
        said = (event["action"], event.get("code"), event["reason"])
        action = "copy" if path == "new.txt" else "replace"
        assert said == (action, run[path].get("code"), run[path]["reason"]), path
    assert plan["newer.txt"]["reason"] == NEWER
    for path, kind in KINDS.items():
        if path in expected:
            assert run[path]["reason"] == OTHER + kind, path
    assert (target / "newer.txt").read_text() == "the source's"


def test_a_dry_run_s_log_and_terminal_say_it_too(
    folders: tuple[Path, Path, dict[str, str | None]], tmp_path: Path
) -> None:
    source, target, _ = folders
    plan_log, run_log = tmp_path / "plan.csv", tmp_path / "run.csv"
    args = ("--on-conflict", "overwrite", str(source), str(target))

    planned = run_cli("--dry-run", "--log", str(plan_log), *args)
    assert planned.returncode == 0, planned.stderr
    assert run_cli("--log", str(run_log), *args).returncode == 0

    def rows(log: Path) -> dict[str, dict[str, str]]:
        with log.open(newline="", encoding="utf-8") as handle:
            return {row["path"]: row for row in csv.DictReader(handle)}

    plan, run = rows(plan_log), rows(run_log)
    assert {path: row["reason"] for path, row in plan.items()} == {
        path: row["reason"] for path, row in run.items()
    }
    assert (plan["newer.txt"]["action"], plan["newer.txt"]["reason"]) == ("replace", NEWER)
    lines = planned.stderr.decode().splitlines()
    assert f"replace: newer.txt ({NEWER})" in lines
    assert f"replace: over_pipe.txt ({OTHER}a named pipe (FIFO))" in lines
    assert "copy: new.txt" in lines


def test_a_move_s_dry_run_says_what_its_links_would_replace(tmp_path: Path) -> None:
    """Within one disk a move names the source's own inode in the target: over an older
    file there, replaced all the same, as its dry run now says; at a free name, moved
    within its disk (the dry run said nothing of it)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "new.txt").write_text("new")
    (source / "older.txt").write_text("the source's, edited since")
    dated(target / "older.txt", "its copy", OLD)
    plan = events_of("--dry-run", "--move", str(source), str(target))
    moved = events_of("--move", str(source), str(target))

    assert plan["older.txt"]["reason"] == moved["older.txt"]["reason"]
    assert (plan["older.txt"]["action"], plan["older.txt"]["code"]) == ("replace", "replaced_older")
    assert (moved["older.txt"]["bytes"], os.listdir(source)) == (0, [])
    # A free name: "moved within its disk", in the plan as in the move.
    assert plan["new.txt"]["code"] == moved["new.txt"]["code"] == "moved_in_place"
    assert plan["new.txt"]["reason"] == moved["new.txt"]["reason"]
