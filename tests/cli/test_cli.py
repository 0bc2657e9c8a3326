"""`python -m app copy`: JSON lines, exit codes, logs, Ctrl-C, as a real process."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import signal
import stat
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from pathlib import Path

import pytest

from app.cli_views import Output, TerminalView, progress_text, summary_text
from app.core.events import ActiveFile, Notice, Progress
from app.core.mirror_phase import mirroring
from app.core.move import moving
from app.core.rate import Rate
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from tests.core.conftest import Gated
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    NOBODY,
    REPO,
    assert_same_tree,
    children_of,
    cli_command,
    cli_env,
    file_records,
    json_lines,
    needs_nobody,
    run_cli,
    run_cli_as_nobody,
    summary_of,
    temps_under,
    wait_until,
    world_reachable_dir,
)

SUMMARY_KEYS = {
    "event",
    "copied",
    "skipped",
    "failed",
    "renamed",
    "bytes",
    "seconds",
    "cancelled",
}
NON_UTF8 = b"caf\xe9.txt"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "sub" / "empty").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"alpha")
    (root / "sub" / "b.bin").write_bytes(os.urandom(3 << 20))
    (root / "zero").write_bytes(b"")
    os.symlink("a.txt", root / "link")
    with open(os.path.join(os.fsencode(root), NON_UTF8), "wb") as out:
        out.write(b"latin-1")
    return root


@pytest.mark.timeout(60)
def test_json_lines_describe_every_file_and_end_with_a_summary(
    source: Path, tmp_path: Path
) -> None:
    target = tmp_path / "dst"
    result = run_cli("--json", "--workers", "2", str(source), str(target))

    assert result.returncode == 0, result.stderr.decode()
    records = json_lines(result.stdout)
    summary = summary_of(records)
    assert set(summary) >= SUMMARY_KEYS
    assert (summary["copied"], summary["failed"], summary["skipped"]) == (5, 0, 0)
    assert summary["bytes"] == 5 + (3 << 20) + 7
    assert summary["cancelled"] is False
    files = file_records(records)
    assert set(files) == {"a.txt", "sub/b.bin", "zero", "link", "caf\\xe9.txt"}
    for record in files.values():
        assert {"event", "path", "status", "bytes", "reason"} <= set(record)
        assert record["status"] == "copied"
    assert files["sub/b.bin"]["bytes"] == 3 << 20
    assert any(r["event"] == "progress" for r in records)
    assert os.path.exists(os.path.join(os.fsencode(target), NON_UTF8))
    reference = tmp_path / "ref"
    subprocess.run(["cp", "-a", str(source), str(reference)], check=True)
    assert_same_tree(reference, target)


@pytest.mark.timeout(60)
def test_exit_0_and_up_to_date_message_on_rerun(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "dst"
    assert run_cli(str(source), str(target)).returncode == 0
    again = run_cli(str(source), str(target))
    assert again.returncode == 0
    assert b"Everything was already up to date" in again.stderr
    json_again = summary_of(json_lines(run_cli("--json", str(source), str(target)).stdout))
    assert (json_again["copied"], json_again["skipped"]) == (0, 5)

    private = next(path for path in source.rglob("*") if path.is_file())
    os.chmod(private, 0o600)  # made private since: its copy follows, and the summary says so
    plan = run_cli("--dry-run", str(source), str(target))
    assert b"1 up to date but for their mode, group or attributes (set again)" in plan.stderr
    third = run_cli(str(source), str(target))
    assert third.returncode == 0
    assert b"already up to date (mode, group or attributes set again on 1)" in third.stderr
    assert os.stat(target / private.relative_to(source)).st_mode & 0o777 == 0o600


@pytest.mark.timeout(60)
def test_summary_says_newer_target_files_were_kept_not_up_to_date(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "report.txt").write_text("old draft")
    os.utime(source / "report.txt", ns=(10**18, 10**18))
    (target / "report.txt").write_text("newer, edited in the target")

    result = run_cli(str(source), str(target))

    assert result.returncode == 0
    assert b"up to date" not in result.stderr
    assert b"Nothing copied; 1 file(s) in the target differ and were kept" in result.stderr
    assert (target / "report.txt").read_text() == "newer, edited in the target"

    # Skipped for what it is (named like a temp), not for the target: said so.
    (source / ".ferry-0123456789ab-1.part").write_bytes(b"x")
    (target / "report.txt").unlink()
    (source / "report.txt").unlink()
    again = run_cli(str(source), str(target))
    assert b"Nothing copied; 1 entries cannot be copied as they are" in again.stderr


HOSTILE = "big\x1b]0;PWNED\x07\x1b[31mred"


@pytest.mark.timeout(60)
def test_names_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    """A name cannot set the terminal's title or colours: controls are shown escaped."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / HOSTILE).mkdir(parents=True)
    (source / HOSTILE / "f").write_text("f")
    target.mkdir()
    (target / HOSTILE).write_text("a file where the folder goes: it fails, and is named")

    failed = run_cli(str(source), str(target))
    refused = run_cli(str(tmp_path / HOSTILE / "missing"), str(target))

    for result in (failed, refused):
        assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
        assert b"big\\x1b]0;PWNED\\x07\\x1b[31mred" in result.stderr, result.stderr
    assert failed.returncode == 1 and refused.returncode == 2
    records = json_lines(run_cli("--json", str(source), str(target)).stdout)
    assert HOSTILE in file_records(records), "JSON keeps the exact name"


def test_a_temp_dir_too_long_for_a_socket_does_not_stop_ferry(tmp_path: Path) -> None:
    """multiprocessing puts its sockets in a folder of the temp dir, and a socket's path
    holds 107 bytes: under a TMPDIR of more than about 75 Ferry did not start at all
    ("OSError: AF_UNIX path too long", a traceback). It takes the system's /tmp then."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    deep = tmp_path / ("t" * 100)
    deep.mkdir()
    env = cli_env(TMPDIR=str(deep))
    command = cli_command(str(source), str(tmp_path / "dst"))
    result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert (tmp_path / "dst" / "a.txt").read_text() == "a"
    assert list(deep.iterdir()) == []


def test_the_live_progress_line_escapes_the_current_name() -> None:
    progress = Progress(1, 2, 10, 20, True, 1.0, active=(ActiveFile(HOSTILE, 5, 10),))
    line = progress_text(progress, Rate())
    assert "\x1b" not in line and "\x07" not in line
    assert "\\x1b]0;PWNED" in line
    cut = Progress(1, 2, 10, 20, True, 1.0, active=(ActiveFile("n\x1b" + "n" * 39, 5, 10),))
    assert progress_text(cut, Rate(), 200).endswith("  n\\x1b" + "n" * 39)
    narrow = progress_text(cut, Rate(), 80)  # escaped after the cut: no "x1b" left
    assert "x1b" not in narrow and narrow.endswith("  ..." + "n" * 37), narrow


def test_a_moves_removals_have_a_progress_line_of_their_own(tmp_path: Path) -> None:
    """After the copy, a move removes its sources (on vfat, each read again with its
    copy): the line stood at the copy's last figures meanwhile."""
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    for name in ("a", "b", "sub/c"):
        (source / name).write_text(name)

    records = json_lines(run_cli("--json", "--move", str(source), str(tmp_path / "dst")).stdout)

    progress = [r for r in records if r["event"] == "progress"]
    copy_last = [r for r in progress if r["phase"] == "copy"][-1]  # (written, not dropped)
    assert copy_last["files_done"] == copy_last["files_total"] == 3
    assert (progress[-1]["phase"], progress[-1]["files_done"]) == ("move", 3)
    assert os.listdir(source) == []
    line = progress_text(moving(3, 10, 1.0), Rate())
    assert line == "removing moved sources  3/10 files"
    last = progress_text(moving(10, 10, 1.0), Rate())  # (then a sync, which says nothing)
    assert last == "removing moved sources  10/10 files  flushing to disk"


def test_a_mirrors_deletions_have_a_progress_line_of_their_own(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a").write_text("a")
    (target / "old").mkdir(parents=True)
    (target / "old" / "b").write_text("b")

    records = json_lines(run_cli("--json", "--mirror", str(source), str(target)).stdout)

    phases = [r["phase"] for r in records if r["event"] == "progress"]
    assert "mirror" in phases and phases[-1] == "copy"  # (its figures again, as it flushes)
    deleted = [r for r in records if r.get("status") == "deleted"]
    assert {r["path"] for r in deleted} == {"old", "old/b"}
    line = progress_text(mirroring(2, 1.0), Rate())
    assert line == "deleting what the source does not have  2 deleted"


@pytest.mark.parametrize(
    "name",
    ["report-2024-final-version-for-review.bin", "\U000e0041" * 40, "中文" * 30, "e\u0301" * 60],
)
@pytest.mark.parametrize("columns", [40, 80, 120])
def test_the_live_progress_line_fits_the_terminal(name: str, columns: int) -> None:
    """Its name's last 40 characters were cut, then escaped: up to 400 columns. A line
    that wraps leaves a row behind at every update (review of hostile names)."""
    progress = Progress(1, 2, 10, 20, True, 1.0, active=(ActiveFile("a/" + name, 5, 10),))
    line = progress_text(progress, Rate(), columns)
    wide = sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in line)
    assert wide - sum(map(unicodedata.combining, line)) < columns, line
    assert line.startswith("10 B / 20 B  1/2 files")
    if "  ..." in line:  # (a mark is never cut from its letter, to sit on the dots)
        assert not unicodedata.combining(line.split("  ...", 1)[1][0])
    if columns > 40:  # (too narrow for a name: only the counts)
        assert line.endswith(name[-5:] if name.isprintable() else "\\U000e0041"), line


def test_a_terminal_that_says_it_has_no_columns_still_gets_the_progress_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pty whose size was never set says 0 columns: every update printed nothing but
    the line's erasure (review of the fit)."""
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 0, 0, 0))
    monkeypatch.setenv("COLUMNS", "77")
    with os.fdopen(side, "w") as stream:
        assert Output(stream).columns() == 77
    os.close(main)


def test_a_notice_told_as_it_came_is_not_repeated_at_the_end() -> None:
    stream = io.StringIO()
    view = TerminalView(Output(stream))
    told = Reason(Code.POOL_ABANDONED)
    view(Notice(told))
    view.finish(CopyReport("src", "dst", notices=(told, Reason(Code.XATTRS_NOT_KEPT, (2, "x")))))
    lines = stream.getvalue().splitlines()
    assert lines.count(str(told)) == 1
    assert lines[-1] == str(Reason(Code.XATTRS_NOT_KEPT, (2, "x")))  # not told before: said


@pytest.mark.timeout(60)
def test_a_file_copied_from_outside_the_source_is_said_in_the_terminal(tmp_path: Path) -> None:
    """The README promises Ferry says when a followed link leads out of the source: only
    --json and --log did."""
    source, outside = tmp_path / "src", tmp_path / "elsewhere"
    source.mkdir()
    outside.mkdir()
    (outside / "secret").write_bytes(b"s")
    (source / "link").symlink_to(outside / "secret")
    result = run_cli("--follow-symlinks", str(source), str(tmp_path / "dst"))
    assert result.returncode == 0, result.stderr
    said = f"note: link: followed a symbolic link out of the source, to {outside / 'secret'}"
    assert said in result.stderr.decode().splitlines()


@needs_nobody
@pytest.mark.timeout(90)
def test_a_copy_without_its_setuid_bit_is_said_in_the_terminal() -> None:
    """The README says each setid bit a copy does not keep is said: only --json and --log
    said it. Copied by nobody, a setuid file of another owner's cannot keep it."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "out" / "dst"
        source.mkdir()
        (source / "tool").write_bytes(b"#!/bin/sh\n")
        os.chown(source / "tool", 1234, 1234)
        os.chmod(source / "tool", 0o4755)
        target.parent.mkdir()
        os.chown(target.parent, NOBODY, NOBODY)

        result = run_cli_as_nobody(str(source), str(target))

        assert result.returncode == 0, result.stderr
        said = f"note: tool: {Reason(Code.SETID_DROPPED)}"
        assert said in result.stderr.decode().splitlines()
        assert not stat.S_IMODE((target / "tool").stat().st_mode) & stat.S_ISUID


@pytest.mark.timeout(60)
def test_the_headline_says_what_happened_when_nothing_was_copied(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a").write_bytes(b"a")
    (target / "old").mkdir(parents=True)
    mirrored = run_cli("--mirror", "--exclude", "a", str(source), str(target))
    left_out = run_cli("--exclude", "a", str(source), str(tmp_path / "new"))
    summed = run_cli("--manifest", str(tmp_path / "sums.sha256"), str(source), str(target))

    assert mirrored.stderr.decode().startswith("Nothing copied; 1 deleted from the target: ")
    assert left_out.stderr.decode().startswith("Nothing copied (the filters left out every")
    assert b"verified" not in summed.stderr  # checksums written, nothing read back
    assert summed.returncode == 0, summed.stderr


@pytest.mark.timeout(60)
def test_exit_1_when_a_file_fails_and_the_rest_is_copied(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "dst"
    (target / "a.txt").mkdir(parents=True)  # a folder where a file goes
    result = run_cli("--json", str(source), str(target))
    assert result.returncode == 1
    files = file_records(json_lines(result.stdout))
    assert files["a.txt"]["status"] == "failed"
    assert files["a.txt"]["reason"]
    assert files["sub/b.bin"]["status"] == "copied"
    assert summary_of(json_lines(result.stdout))["failed"] == 1


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "args",
    [
        ["{missing}", "{dst}"],
        ["{src}", "{src}/sub"],
        ["{src}", "{src}"],
    ],
    ids=["missing-source", "target-inside-source", "target-is-source"],
)
def test_exit_2_when_refused_with_message_and_nothing_written(
    source: Path, tmp_path: Path, args: list[str]
) -> None:
    names = {"missing": tmp_path / "missing", "dst": tmp_path / "dst", "src": source}
    argv = [arg.format(**names) for arg in args]
    before = sorted(p for p in source.rglob("*"))
    result = run_cli("--json", *argv)
    assert result.returncode == 2
    assert b"Refused" in result.stderr
    summary = summary_of(json_lines(result.stdout))
    assert summary["refused"]
    assert not (tmp_path / "dst").exists()
    assert sorted(p for p in source.rglob("*")) == before


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "args",
    [
        [],
        ["only-one"],
        ["a", "b", "--workers", "-1"],
        ["a", "b", "--workers", "100000"],
        ["a", "b", "--on-conflict", "ask"],
        ["--x"],
    ],
    ids=[
        "no-args",
        "one-arg",
        "negative-workers",
        "too-many-workers",
        "ask-not-on-cli",
        "unknown-option",
    ],
)
def test_exit_2_on_bad_usage(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        cli_command(*args), cwd=tmp_path, env=cli_env(), capture_output=True, timeout=30
    )
    assert result.returncode == 2
    assert b"usage" in result.stderr.lower()
    assert os.listdir(tmp_path) == []


@pytest.mark.timeout(60)
def test_log_csv_lists_every_file(source: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    result = run_cli("--log", str(log), str(source), str(tmp_path / "dst"))
    assert result.returncode == 0
    with open(log, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["path"] for r in rows} == {"a.txt", "sub/b.bin", "zero", "link", "caf\\xe9.txt"}
    assert {r["status"] for r in rows} == {"copied"}
    assert {r["path"]: int(r["bytes"]) for r in rows}["sub/b.bin"] == 3 << 20
    assert set(rows[0]) == {"path", "status", "bytes", "reason", "target_path"}


@pytest.mark.timeout(60)
def test_log_jsonl_ends_with_summary(source: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    assert run_cli("--log", str(log), str(source), str(tmp_path / "dst")).returncode == 0
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert summary_of(records)["copied"] == 5
    assert len(file_records(records)) == 5


@pytest.mark.timeout(60)
def test_the_log_never_lands_on_the_source_or_a_copy(source: Path, tmp_path: Path) -> None:
    """--log used to open(path, "w") whatever the path held: a source file (even in a dry
    run), the copy of one (which then looked newer than its source, for ever)."""
    target = tmp_path / "dst"
    before = (source / "a.txt").read_bytes()
    over_copy = run_cli("--log", str(target / "a.txt"), str(source), str(target))
    in_source = run_cli("--dry-run", "--log", str(source / "plan.csv"), str(source), str(target))
    on_source = run_cli("--log", str(source / "a.txt"), str(source), str(target))

    assert over_copy.returncode == in_source.returncode == on_source.returncode == 2
    assert b"would replace the copy of" in over_copy.stderr, over_copy.stderr
    assert b"inside the source folder" in in_source.stderr
    assert not target.exists() and not (source / "plan.csv").exists()
    assert (source / "a.txt").read_bytes() == before


@pytest.mark.timeout(60)
def test_a_log_is_written_where_it_was_checked_and_checked_where_the_copy_leaves_it(
    source: Path, tmp_path: Path
) -> None:
    """out/link/../a.txt was checked as out/a.txt and written through the link, into the
    source; a log in a target folder the copy never makes was found missing only after a
    move had removed the sources; a log naming the target folder, likewise."""
    target, out = tmp_path / "dst", tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(source / "sub")
    before = (source / "a.txt").read_bytes()
    through = run_cli("--log", f"{out}/link/../a.txt", str(source), str(target))
    assert through.returncode == 0, through.stderr
    assert (source / "a.txt").read_bytes() == before
    assert (out / "a.txt").read_text().startswith('{"event": "file"')  # JSON lines

    for log in (target / "logs" / "run.csv", target, Path(f"{target}/.")):
        refused = run_cli("--move", "--log", str(log), str(source), str(tmp_path / "new"))
        assert refused.returncode == 2, (log, refused.stderr)
    assert (source / "a.txt").exists() and not (tmp_path / "new").exists()


@pytest.mark.timeout(60)
def test_a_log_inside_the_target_goes_only_in_the_target_folder_itself(
    source: Path, tmp_path: Path
) -> None:
    """A folder below the target may never be made (the source has a link there, or it is
    excluded) or be deleted (a mirror): the log then went into the source through the
    link, or was lost after a move. And --manifest and --log through an alias."""
    (source / "ln").symlink_to("sub")
    target, out = tmp_path / "dst", tmp_path / "out"
    out.mkdir()
    (tmp_path / "alias").symlink_to(out)
    for args in (
        ["--log", str(target / "ln" / "run.csv")],
        ["--move", "--exclude", "sub/", "--log", str(target / "sub" / "run.csv")],
        ["--manifest", str(out / "m.sha256"), "--log", str(tmp_path / "alias" / "m.sha256")],
    ):
        refused = run_cli(*args, str(source), str(target))
        assert refused.returncode == 2, (args, refused.stderr)
    assert not target.exists() and not (source / "sub" / "run.csv").exists()
    assert run_cli("--log", str(target / "run.csv"), str(source), str(target)).returncode == 0
    assert (target / "run.csv").read_text().startswith("path,status,")
    longest = out / ("l" * 251 + ".csv")  # 255 bytes: its temp's name must still fit
    assert run_cli("--log", str(longest), str(source), str(target)).returncode == 0
    assert longest.read_text().startswith("path,status,")


@pytest.mark.timeout(60)
def test_a_log_or_manifest_name_held_by_a_link_a_device_or_a_pipe_is_refused(
    source: Path, tmp_path: Path
) -> None:
    """Such a name was replaced by a new file: `--manifest /dev/null` as root put a
    regular file in place of the system's /dev/null (an audit did it to /dev/full)."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"someone else's")
    link, device, pipe = tmp_path / "log.csv", tmp_path / "null", tmp_path / "pipe.sha256"
    link.symlink_to(victim)
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # as /dev/null
    os.mkfifo(pipe)
    for flag, path in (("--log", link), ("--manifest", device), ("--manifest", pipe)):
        result = run_cli(flag, str(path), str(source), str(tmp_path / "dst"))
        assert result.returncode == 2, result.stderr
        assert b"something other than a regular file holds that name" in result.stderr
    assert victim.read_bytes() == b"someone else's" and link.is_symlink()
    assert stat.S_ISCHR(device.lstat().st_mode) and stat.S_ISFIFO(pipe.lstat().st_mode)
    # Their link on the way to the log's folder: it could lead the log anywhere.
    (tmp_path / "elsewhere").mkdir()
    theirs = tmp_path / "their logs"
    theirs.symlink_to(tmp_path / "elsewhere")
    os.lchown(theirs, 65534, 65534)
    through = run_cli("--log", str(theirs / "run.csv"), str(source), str(tmp_path / "dst"))
    assert through.returncode == 2 and b"a link on its way is another user's" in through.stderr
    not_a_folder = run_cli("--log", str(victim / "run.csv"), str(source), str(tmp_path / "dst"))
    assert not_a_folder.returncode == 2 and b"no folder to write" in not_a_folder.stderr
    assert b"Traceback" not in not_a_folder.stderr
    assert not (tmp_path / "dst").exists() and os.listdir(tmp_path / "elsewhere") == []

    log = tmp_path / "run.csv"  # a plain name: written whole, readable by its owner only
    assert run_cli("--log", str(log), str(source), str(tmp_path / "dst")).returncode == 0
    assert stat.S_IMODE(log.stat().st_mode) == 0o600  # it names files others may not see


@pytest.mark.timeout(60)
def test_a_dry_run_takes_a_manifest_in_the_target_it_would_make(
    source: Path, tmp_path: Path
) -> None:
    """It refused one ("no folder to write ... into") that the copy itself takes: a dry
    run writes no manifest. Its log, which it does write, needs a folder there."""
    target = tmp_path / "dst"

    planned = run_cli(
        "--dry-run", "--manifest", str(target / "SHA256SUMS"), str(source), str(target)
    )
    logged = run_cli("--dry-run", "--log", str(target / "plan.csv"), str(source), str(target))

    assert planned.returncode == 0, planned.stderr
    assert logged.returncode == 2 and b"no folder to write" in logged.stderr
    assert not target.exists()


@needs_nobody
@pytest.mark.timeout(90)
def test_a_log_that_cannot_be_written_is_said_without_a_traceback() -> None:
    """A folder the user may not write into: found only when the log is written."""
    with world_reachable_dir() as base:
        source, target, logs = base / "src", base / "dst", base / "logs"
        source.mkdir()
        (source / "a.txt").write_bytes(b"alpha")
        logs.mkdir()  # root's: nobody may not write here
        os.chown(base, NOBODY, NOBODY)
        result = run_cli_as_nobody("--log", str(logs / "run.csv"), str(source), str(target))
        assert result.returncode == 1, result.stderr
        assert b"The log could not be written: Permission denied" in result.stderr
        assert b"Traceback" not in result.stderr
        assert (target / "a.txt").read_bytes() == b"alpha"  # the copy itself is done


@pytest.mark.timeout(60)
def test_rename_policy_on_the_command_line(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "dst"
    target.mkdir()
    (target / "a.txt").write_bytes(b"mine")
    result = run_cli("--json", "--on-conflict", "rename", str(source), str(target))
    assert result.returncode == 0
    files = file_records(json_lines(result.stdout))
    assert files["a.txt"]["status"] == "renamed"
    assert files["a.txt"]["target_path"] == "a (2).txt"
    assert (target / "a.txt").read_bytes() == b"mine"
    assert (target / "a (2).txt").read_bytes() == b"alpha"


@pytest.mark.timeout(60)
def test_sparse_5_gib_totals_in_json(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    with open(source / "sparse", "wb") as out:
        out.truncate(5 << 30)
    result = run_cli("--json", str(source), str(tmp_path / "dst"))
    assert result.returncode == 0
    records = json_lines(result.stdout)
    assert summary_of(records)["bytes"] == 5 << 30
    assert {r["bytes_total"] for r in records if r["event"] == "progress"} == {5 << 30}
    assert file_records(records)["sparse"]["bytes"] == 5 << 30
    assert (tmp_path / "dst" / "sparse").stat().st_size == 5 << 30


@pytest.mark.timeout(90)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_mid_file_exits_130_leaves_nothing_and_prints_summary(
    gated: Gated, big_area: Path, signum: int
) -> None:
    target = big_area / "dst"
    output = big_area / "stdout.json"
    with output.open("wb") as stdout_file:
        process = subprocess.Popen(
            cli_command("--json", "--workers", "1", str(gated.source), str(target)),
            cwd=REPO,
            env=cli_env(),
            stdout=stdout_file,
            stderr=subprocess.PIPE,
        )
    try:
        wait_until(lambda: gated.held() >= 1, 30)  # a worker is mid-file
        process.send_signal(signum)
        assert process.stderr is not None
        said = process.stderr.readline()  # the workers have been told to stop
        gated.open()
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert said == b"ferry: cancelling; files in progress are discarded\n", said
    assert process.returncode == 130, stderr.decode()[-2000:]
    summary = summary_of(json_lines(output.read_bytes()))
    assert summary["cancelled"] is True
    assert summary["cancelled_files"] == 1
    assert temps_under(target) == []
    assert not (target / "big.bin").exists(), "a partial file under its real name"
    assert b"Traceback" not in stderr


# `python -m app copy`, as the one-file app runs it: no workers' server started early,
# so that the job starts multiprocessing's helpers itself.
AS_FROZEN = "import runpy, sys; sys.frozen = True; runpy.run_module('app', run_name='__main__')"


@pytest.mark.timeout(90)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
@pytest.mark.parametrize("frozen", [False, True], ids=["python", "as-frozen"])
def test_a_signal_to_the_whole_group_cancels_and_counts_every_file_written(
    gated: Gated, big_area: Path, signum: int, frozen: bool
) -> None:
    """`timeout`, systemd and `kill -- -PGID` signal every process of Ferry's group, a
    closed terminal sends SIGHUP: the Manager died of SIGTERM, the job lost its channel
    ("Progress channel lost") and its summary and log left out files it had written
    (review of kills: 405 counted, 454 on disk); SIGHUP ended Ferry with no summary.
    Only the job's owner decides now: cancelled, each file written counted once. As the
    one-file app runs, SIGHUP killed multiprocessing's resource tracker, and the one
    started in its place printed a KeyError traceback for each semaphore it never saw."""
    for index in range(40):
        (gated.backing / f"s{index:02d}").write_bytes(b"x" * 100)
    target, log = big_area / "dst", big_area / "run.csv"
    command = cli_command(
        "--json", "--workers", "2", "--log", str(log), str(gated.source), str(target)
    )
    if frozen:
        command[1:3] = ["-c", AS_FROZEN]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group, as a terminal's job or a service is
    )
    try:
        wait_until(lambda: gated.held() >= 1, 30)
        wait_until(lambda: len(list(target.glob("s*"))) == 40, 30)  # the rest landed
        os.killpg(process.pid, signum)
        time.sleep(0.5)  # (the signal reaches every process before the gate opens)
        gated.open()
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()

    assert process.returncode == 130, stderr.decode()[-2000:]
    assert b"channel lost" not in stderr and b"Traceback" not in stderr, stderr.decode()
    summary = summary_of(json_lines(stdout))
    assert (summary["copied"], summary["cancelled"]) == (40, True)
    rows = list(csv.DictReader(io.StringIO(log.read_text(encoding="utf-8"))))
    assert sorted(row["path"] for row in rows if row["status"] == "copied") == [
        f"s{index:02d}" for index in range(40)
    ]
    assert not (target / "big.bin").exists() and temps_under(target) == []


@pytest.mark.timeout(90)
def test_a_group_signal_reaching_a_worker_after_the_cancel_loses_no_result(tmp_path: Path) -> None:
    """A group's signal reaches Ferry and its workers in no fixed order. A worker that
    read it once the job was cancelling ended at once, dropping the results it had not
    sent yet: files on disk counted "not started" (70 of 2,428 in one run of 25). The
    worker here holds unsent results while it reads its batch's last file, held at a gate."""
    if reason := fuse_available():
        pytest.skip(reason)
    backing, target = tmp_path / "backing", tmp_path / "dst"
    backing.mkdir()
    for index in range(40):
        (backing / f"s{index:02d}").write_bytes(b"x" * 100)
    last = os.listdir(backing)[-1]  # the order the worker reads them in
    stderr = tmp_path / "stderr"
    with mounted(backing, tmp_path / "mnt") as mount, stderr.open("wb") as err:
        gate = mount.gate(last, 0)
        process = subprocess.Popen(
            cli_command("--json", "--workers", "1", str(mount.point), str(target)),
            cwd=REPO,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=err,
            start_new_session=True,
        )
        try:
            wait_until(lambda: mount.held() >= 1, 30)
            os.kill(process.pid, signal.SIGTERM)  # the owner first: the job cancels
            wait_until(lambda: b"cancelling" in stderr.read_bytes(), 30)
            os.killpg(process.pid, signal.SIGTERM)  # then its workers get it
            time.sleep(0.5)
            gate.open()
            stdout, _ = process.communicate(timeout=60)
        finally:
            gate.open()
            process.kill()
            process.wait()

    assert process.returncode == 130, stderr.read_text()[-2000:]
    summary = summary_of(json_lines(stdout))
    landed = sorted(path.name for path in target.iterdir())
    assert len(landed) >= 39 and summary["copied"] == len(landed), (summary, landed)


def copy_in_own_group(source: Path, target: Path) -> subprocess.Popen[bytes]:
    """`ferry copy` in a process group of its own, as a terminal's job is: a signal to
    the group reaches Ferry and every process it starts."""
    return subprocess.Popen(
        cli_command(str(source), str(target)),
        cwd=REPO,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@pytest.mark.timeout(120)
def test_a_sigterm_to_the_group_while_workers_start_ends_ferry_at_once(tmp_path: Path) -> None:
    """A worker is born with SIGTERM blocked, its own thread reading each with its sender.
    The group's SIGTERM, pending in a worker still starting, merged with the one the job's
    own stop then sent it (a pending signal keeps one sender): the worker ignored both, and
    the stop waited 3 s for it, in most runs (review of the change). A worker now also
    ends once the job is told to stop."""
    source = tmp_path / "src"
    source.mkdir()
    for index in range(100):
        (source / f"f{index}").write_bytes(b"x" * 20_000)
    took = []
    for attempt in range(4):
        process = copy_in_own_group(source, tmp_path / f"dst{attempt}")

        def workers_starting(pid: int = process.pid) -> bool:  # the server's first child
            return any(children_of(child) for child in children_of(pid))

        wait_until(workers_starting, 20, step=0.001)
        os.killpg(process.pid, signal.SIGTERM)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=30)
        took.append(time.monotonic() - sent)
        assert process.returncode in (0, 130), stderr.decode()
    assert max(took) < 2.0, took  # (the stall was 3 s: the stop's wait, then a kill)


@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["sigint", "sigterm", "sighup"]
)
def test_a_signal_while_ferry_starts_ends_it_quietly(tmp_path: Path, signum: int) -> None:
    """Ctrl-C reaches the whole process group: in the first tenth of a second it printed
    a KeyboardInterrupt traceback from an import, of Ferry or of the workers' server,
    which was still importing the worker code (review). Sent as soon as that server is
    there, it ends Ferry quietly: exit 130, or 128 + the signal before the job takes it
    (SIGTERM and SIGHUP killed Ferry there, a status of their own)."""
    source = tmp_path / "src"
    source.mkdir()
    for index in range(500):
        (source / f"f{index}").write_bytes(b"x")
    for attempt in range(3):
        process = copy_in_own_group(source, tmp_path / f"dst{attempt}")
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        wait_until(lambda path=children: path.read_text().strip() != "", 20)  # its server
        os.killpg(process.pid, signum)
        _, stderr = process.communicate(timeout=30)
        assert b"Traceback" not in stderr, stderr.decode()
        assert process.returncode in (130, 128 + signum), stderr.decode()


@pytest.mark.timeout(30)
def test_a_signal_once_ferry_has_said_all_leaves_its_exit_code() -> None:
    """Once the summary and the log are out, the exit code is Ferry's: SIGTERM or SIGHUP
    in the moment before the interpreter ends turned it into 143 or 129."""
    script = (
        "import os, signal, sys\n"
        "from app.__main__ import _done\n"
        "code = _done(3)\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "os.kill(os.getpid(), signal.SIGHUP)\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=cli_env(), timeout=20)
    assert done.returncode == 3


@pytest.mark.timeout(120)
def test_ctrl_c_while_the_log_is_written_leaves_it_whole(tmp_path: Path) -> None:
    """The log is written after the summary. A Ctrl-C then ended Ferry at once: no log,
    its temp left behind, exit 130 (review). It now cancels nothing: the log is whole."""
    source, log = tmp_path / "src", tmp_path / "run.csv"
    source.mkdir()
    for index in range(20_000):
        (source / f"f{index}").write_bytes(b"")
    process = subprocess.Popen(
        cli_command("--log", str(log), str(source), str(tmp_path / "dst")),
        cwd=REPO,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    with process.stderr:
        said = process.stderr.readline()  # the summary: the log comes next
        process.send_signal(signal.SIGINT)
        process.wait(60)
    assert said.startswith(b"Done: 20000 copied"), said
    assert process.returncode in (0, 130)  # (130: the Ctrl-C came once all was written)
    assert len(log.read_text().splitlines()) == 20_001
    assert sorted(os.listdir(tmp_path)) == ["dst", "run.csv", "src"]


@pytest.mark.timeout(30)
def test_the_workers_server_starts_ignoring_ctrl_c() -> None:
    """It ignores it once running; from the start now, while it imports the worker code."""
    script = (
        "from multiprocessing import forkserver\n"
        "from app.core.processes import start_early\n"
        "start_early()\n"
        "status = open(f'/proc/{forkserver._forkserver._forkserver_pid}/status').read()\n"
        "print(status.split('SigIgn:')[1].split()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=cli_env(), capture_output=True, timeout=20, check=True
    )
    assert int(done.stdout, 16) & 1 << (signal.SIGINT - 1), done.stdout


@pytest.mark.timeout(60)
def test_json_progress_of_empty_files_and_folders_reaches_100_percent(tmp_path: Path) -> None:
    """Issue 5 case 16: the last progress line a --json reader sees says 100 %."""
    source = tmp_path / "src"
    for index in range(30):
        (source / f"empty{index}" / "inner").mkdir(parents=True)
        (source / f"empty{index}" / "zero").write_bytes(b"")
    result = run_cli("--json", str(source), str(tmp_path / "dst"))
    assert result.returncode == 0
    records = json_lines(result.stdout)
    progress = [r for r in records if r["event"] == "progress"]
    assert progress, "no progress line at all"
    last = progress[-1]
    assert last["scan_done"] is True
    assert last["files_done"] == last["files_total"] == 30, last
    assert last["bytes_done"] == last["bytes_total"] == 0


@pytest.mark.timeout(60)
def test_refusal_naming_an_undecodable_path_stays_valid_utf8(tmp_path: Path) -> None:
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9")
    result = run_cli("--json", missing, str(tmp_path / "dst"))
    assert result.returncode == 2
    summary = summary_of(json_lines(result.stdout))  # json_lines decodes strictly
    assert summary["refused"].endswith("caf\\xe9")
    assert result.stderr.decode("utf-8").rstrip().endswith("caf\\xe9")


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "args",
    [["SRC", "", "--mirror"], ["", "DST", "--move"], ["SRC", "DST", "--log", ""]],
    ids=["target", "source", "log"],
)
def test_an_empty_path_is_refused_by_name(tmp_path: Path, args: list[str]) -> None:
    """`ferry copy "$SRC" "$DST" --mirror` with DST unset mirrored into the current folder
    (review); `--log ""` and `--manifest ""` were taken for no log at all."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a").write_bytes(b"a")
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "precious.txt").write_bytes(b"kept")
    paths = {"SRC": str(tmp_path / "src"), "DST": str(tmp_path / "dst")}
    result = subprocess.run(
        cli_command(*(paths.get(arg, arg) for arg in args)),
        cwd=tmp_path / "here",
        env=cli_env(),
        capture_output=True,
        timeout=50,
        check=False,
    )

    assert result.returncode == 2, result.stderr.decode()
    assert b"an empty path" in result.stderr
    assert os.listdir(tmp_path / "here") == ["precious.txt"]
    assert not (tmp_path / "dst").exists()


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--include", ""], b"--include: an empty pattern"),  # read "bad pattern '!'"
        (["--include", " "], b"--include: an empty pattern"),
        (["--exclude", ""], b"--exclude: an empty pattern"),  # left out nothing, unsaid
        (["--exclude", "#tmp#"], b"reads as a comment in gitignore"),  # so did this
        (["--log", "LOG/"], b"names a folder, not a file"),  # wrote the file
        (["--log", "LOG/."], b"names a folder, not a file"),
        (["--manifest", "LOG.sha256/"], b"names a folder, not a file"),
    ],
    ids=["include", "include-blank", "exclude", "exclude-comment", "log", "log-dot", "manifest"],
)
def test_an_empty_pattern_or_a_file_named_as_a_folder_is_refused(
    source: Path, tmp_path: Path, args: list[str], said: bytes
) -> None:
    args = [arg.replace("LOG", str(tmp_path / "run")) for arg in args]
    result = run_cli(*args, str(source), str(tmp_path / "dst"))
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert sorted(os.listdir(tmp_path)) == [source.name]  # no target, no log


def test_an_include_may_start_with_a_hash(tmp_path: Path) -> None:
    """--include '#x' is --exclude '!#x', a re-include git reads (no comment): it was
    refused as one (review of filters)."""
    source, target = tmp_path / "s", tmp_path / "t"
    source.mkdir()
    for name in ("#x", "y"):
        (source / name).write_bytes(b"-")
    result = run_cli("--exclude", "*", "--include", "#x", str(source), str(target))
    assert result.returncode == 0, result.stderr
    assert os.listdir(target) == ["#x"]


def test_what_an_interrupted_run_left_is_deleted_and_said(tmp_path: Path) -> None:
    """A file in the target named as Ferry's temps went without a word: the plan said "1
    to copy", the copy "Done", no deletion anywhere (review of hostile names). What an
    interrupted run left is now planned, deleted and said, as deleted, and counted as
    such, not as sources that stay; a private folder that holds a user's file is no
    leftover, and stays. A file, a probe's link or a symlink at a private folder's name
    is deleted as any temp (review of the fix: planned, never deleted). So is a manifest's
    or log's, written beside it in the target (it stayed for good after a kill)."""
    source, target = tmp_path / "s", tmp_path / "t"
    (source / "sub").mkdir(parents=True)
    (source / "a").write_bytes(b"a")
    (target / "sub").mkdir(parents=True)
    (target / ".ferry-0123456789ab-7.part").write_bytes(b"half a copy")
    (target / "sub" / ".ferry-0123456789ab-9.part").write_bytes(b"x")
    (target / ".ferry-0123456789ab-8-link.part").mkdir(mode=0o700)  # a link's, empty
    (target / ".ferry-0123456789ab-6-link.part").mkdir(mode=0o700)
    (target / ".ferry-0123456789ab-6-link.part" / "mine").write_bytes(b"a user's")
    (target / ".ferry-0123456789ab-5-link.part").write_bytes(b"a file, not a folder")
    (target / ".ferry-0123456789ab-0-probe-link.part").write_bytes(b"")
    (target / ".ferry-out-0123456789ab.part").write_bytes(b"half a log")  # (review of kills)
    os.symlink(tmp_path, target / ".ferry-0123456789ab-4-link.part")
    left = {p.name for p in target.iterdir() if p.name.startswith(".ferry-")} - {
        ".ferry-0123456789ab-6-link.part"
    }
    left.add("sub/.ferry-0123456789ab-9.part")

    plan = run_cli("--json", "--dry-run", str(source), str(target))
    moving = run_cli("--json", "--dry-run", "--move", str(source), str(target))
    copy = run_cli("--json", str(source), str(target))

    planned = file_records(json_lines(plan.stdout))
    assert {p for p, r in planned.items() if r.get("action") == "delete"} == left
    assert summary_of(json_lines(plan.stdout))["deleted"] == len(left)
    move_plan = summary_of(json_lines(moving.stdout))
    assert (move_plan["moved"], move_plan["stayed"]) == (1, 0), move_plan  # (a)
    done = file_records(json_lines(copy.stdout))
    assert {p for p, r in done.items() if r["status"] == "deleted"} == left
    assert {done[p]["reason"] for p in left} == {"left behind by an interrupted run of Ferry"}
    assert summary_of(json_lines(copy.stdout))["deleted"] == len(left)
    assert sorted(os.listdir(target)) == [".ferry-0123456789ab-6-link.part", "a", "sub"]
    assert tmp_path.is_dir()  # (the link went, not what it points to)
    (target / ".ferry-0123456789ab-5.part").write_bytes(b"half a copy")
    told = run_cli(str(source), str(target)).stderr.decode()
    assert "deleted: .ferry-0123456789ab-5.part (left behind by an interrupted run" in told


def test_a_leftover_that_cannot_be_deleted_fails_and_is_said(tmp_path: Path) -> None:
    """An immutable temp, or link folder, stayed, the copy said nothing and exited 0
    (reviews of the fix)."""
    source, target = tmp_path / "s", tmp_path / "t"
    source.mkdir()
    (source / "a").write_bytes(b"a")
    target.mkdir()
    stuck = [target / ".ferry-0123456789ab-7.part", target / ".ferry-0123456789ab-9-link.part"]
    stuck[0].write_bytes(b"half a copy")
    stuck[1].mkdir(mode=0o700)
    subprocess.run(["chattr", "+i", *map(str, stuck)], check=True)
    try:
        copy = run_cli("--json", str(source), str(target))
    finally:
        subprocess.run(["chattr", "-i", *map(str, stuck)], check=True)

    assert copy.returncode == 1
    records = file_records(json_lines(copy.stdout))
    for path in stuck:
        assert (records[path.name]["status"], records[path.name]["code"]) == (
            "failed",
            "cannot_delete",
        )


def test_a_full_disk_says_stopped_not_done() -> None:
    """A disk that filled mid-copy ended in "Done: 466 copied, ..., 952 not started"."""
    report = CopyReport("src", "dst", disk_full=True, not_started=952)
    text = summary_text(report, Rate())
    assert text.startswith("Stopped: the target disk is full: 0 copied"), text
    assert "952 not started" in text


@pytest.mark.timeout(60)
def test_a_log_asked_of_a_missing_source_is_refused_as_the_source_is(tmp_path: Path) -> None:
    """With --log, a source that does not exist printed a FileNotFoundError traceback
    (review); without it, a refusal that says why."""
    log, missing = tmp_path / "run.csv", tmp_path / "missing"
    done = run_cli("--log", str(log), str(missing), str(tmp_path / "t"))
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"Source folder does not exist" in done.stderr
