"""A copy written over the target's file of that name says so: --log, --json, terminal."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import file_records, json_lines, run_cli, summary_of

OLD = 1_600_000_000  # seconds: a day in 2020, older than any file a test writes now
OLDER = "replaced the target's older file of this name"
NEWER = "replaced the target's newer file of this name, as chosen for existing files"


def dated(path: Path, text: str, seconds: int) -> Path:
    path.write_text(text)
    os.utime(path, (seconds, seconds))
    return path


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A source whose new.txt the target lacks, whose same.txt it holds as copied, and
    whose older.txt it holds in an older version."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "new.txt").write_text("new")
    dated(source / "same.txt", "same", OLD)
    dated(target / "same.txt", "same", OLD)
    (source / "older.txt").write_text("the source's, edited since")
    dated(target / "older.txt", "its copy", OLD)
    return source, target


def copy_json(*args: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    result = run_cli("--json", *args)
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stdout)
    return file_records(records), summary_of(records)


@pytest.mark.timeout(60)
def test_log_csv_says_which_copy_replaced_the_target_s_older_file(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    """A re-run copies a changed source over its older copy: its row said "copied" and
    nothing more, as a new file's; a user reading the log could not tell what Ferry
    overwrote."""
    source, target = folders
    log = tmp_path / "log.csv"
    result = run_cli("--log", str(log), str(source), str(target))
    assert result.returncode == 0, result.stderr
    with open(log, newline="", encoding="utf-8") as handle:
        rows = {row["path"]: row for row in csv.DictReader(handle)}
    assert (rows["older.txt"]["status"], rows["older.txt"]["reason"]) == ("copied", OLDER)
    assert (rows["new.txt"]["status"], rows["new.txt"]["reason"]) == ("copied", "")
    assert (rows["same.txt"]["status"], rows["same.txt"]["reason"]) == (
        "skipped",
        "already up to date",
    )
    assert (target / "older.txt").read_text() == "the source's, edited since"


@pytest.mark.timeout(60)
def test_json_says_what_each_replacement_took_the_place_of(tmp_path: Path) -> None:
    """Status and counts stay a copy's; the reason and its code tell what was there."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "new.txt").write_text("new")
    dated(source / "kept.txt", "the source's, older", OLD)
    (target / "kept.txt").write_text("the target's, newer")
    dated(source / "resized.txt", "longer than its copy", OLD)
    dated(target / "resized.txt", "short", OLD)
    os.symlink("new.txt", source / "link")
    (target / "link").write_text("a file where the source has a link")

    events, summary = copy_json("--on-conflict", "overwrite", str(source), str(target))

    codes = {path: (event["status"], event.get("code")) for path, event in events.items()}
    assert codes == {
        "new.txt": ("copied", None),
        "kept.txt": ("copied", "replaced_newer"),
        "resized.txt": ("copied", "replaced_same_time"),
        "link": ("copied", "replaced_other_type"),
    }
    assert events["kept.txt"]["reason"] == NEWER
    assert events["link"]["reason"] == (  # (named: it said "a file, a link or a special file")
        "replaced what the target held at this name, an entry of another type: a file"
    )
    assert (summary["copied"], summary["skipped"], summary["failed"]) == (4, 0, 0)
    assert (target / "kept.txt").read_text() == "the source's, older"
    assert os.readlink(target / "link") == "new.txt"


@pytest.mark.timeout(60)
def test_an_up_to_date_re_run_and_a_new_file_replace_nothing(
    folders: tuple[Path, Path],
) -> None:
    source, target = folders
    copy_json(str(source), str(target))
    (source / "newer.txt").write_text("new since")

    events, summary = copy_json(str(source), str(target))

    assert {path: event.get("code") for path, event in events.items()} == {
        "new.txt": "up_to_date",
        "same.txt": "up_to_date",
        "older.txt": "up_to_date",
        "newer.txt": None,
    }
    assert events["newer.txt"]["reason"] == ""
    assert summary["copied"] == 1


@pytest.mark.timeout(90)
def test_what_a_dry_run_would_replace_is_what_the_run_says_it_replaced(
    folders: tuple[Path, Path],
) -> None:
    source, target = folders
    (source / "link").symlink_to("new.txt")
    (target / "link").write_text("a file")
    plan, _ = copy_json("--dry-run", str(source), str(target))
    events, _ = copy_json(str(source), str(target))

    will_replace = {path for path, event in plan.items() if event.get("action") == "replace"}
    replaced = {path for path, event in events.items() if event["reason"].startswith("replaced")}
    assert will_replace == replaced == {"older.txt", "link"}


@pytest.mark.timeout(60)
def test_a_kept_both_copy_replaces_nothing(folders: tuple[Path, Path]) -> None:
    source, target = folders
    events, summary = copy_json("--on-conflict", "rename", str(source), str(target))
    kept_both = events["older.txt"]
    assert (kept_both["status"], kept_both["reason"], kept_both["target_path"]) == (
        "renamed",
        "",
        "older (2).txt",
    )
    assert (target / "older.txt").read_text() == "its copy"
    assert (summary["copied"], summary["renamed"]) == (1, 1)


@pytest.mark.timeout(60)
def test_a_move_within_one_disk_says_replaced_only_where_it_was(
    folders: tuple[Path, Path],
) -> None:
    """The source's own inode is linked in: over the target's older file, that file is
    replaced; at a free name it was only moved."""
    source, target = folders
    events, summary = copy_json("--move", str(source), str(target))
    assert (events["older.txt"]["code"], events["older.txt"]["bytes"]) == ("replaced_older", 0)
    assert (events["new.txt"]["code"], events["new.txt"]["bytes"]) == ("moved_in_place", 0)
    assert (summary["moved"], sorted(os.listdir(source))) == (3, [])


@pytest.mark.timeout(60)
def test_a_hard_link_s_second_name_says_what_it_joins(tmp_path: Path) -> None:
    """The first name met is copied (over the target's older file, if it held one there:
    said); the second is linked to that copy and says so, not "replaced", whatever it
    held (which name the scan meets first is the file system's order)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "a.txt").write_text("one file, two names")
    os.link(source / "a.txt", source / "b.txt")
    dated(target / "b.txt", "old", OLD)

    events, _ = copy_json(str(source), str(target))

    said = {path: (event["status"], event.get("code")) for path, event in events.items()}
    assert said in (
        {"a.txt": ("copied", None), "b.txt": ("linked", "linked")},
        {"b.txt": ("copied", "replaced_older"), "a.txt": ("linked", "linked")},
    )
    assert os.path.samefile(target / "a.txt", target / "b.txt")
