"""Faults only a real process can meet: other users, tiny disks, killed processes."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.conftest import Gated
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    MIB,
    NOBODY,
    REPO,
    alive,
    cli_command,
    cli_env,
    descendants_of,
    disk_image,
    file_digest,
    file_records,
    holds_temp,
    identify,
    in_private_mounts,
    job_processes,
    json_lines,
    kill_quietly,
    multiprocessing_folders,
    needs_namespaces,
    needs_nobody,
    remove_tree,
    rss_bytes,
    run_cli,
    run_cli_as_nobody,
    summary_of,
    temps_under,
    wait_until,
    world_reachable_dir,
    write_big,
)

# --- permissions (run as nobody: root ignores them) ----------------------------------


@needs_nobody
@pytest.mark.timeout(90)
def test_folders_that_lose_their_group_are_named_by_a_path_that_reads() -> None:
    """Copied by nobody, root's group cannot be kept: one notice. It named the target
    folder "." ("the first: ."), which reads as nothing."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "out" / "dst"
        (source / "sub").mkdir(parents=True)
        (source / "sub" / "f").write_bytes(b"f")
        for folder in (source, source / "sub"):
            folder.chmod(0o775)  # group bits to clear
        target.parent.mkdir()
        os.chown(target.parent, NOBODY, NOBODY)

        result = run_cli_as_nobody("--json", str(source), str(target))

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        notices = [r["message"] for r in json_lines(result.stdout) if r["event"] == "notice"]
        said = "Folders that could not keep their group, so their group permissions were cleared"
        assert notices == [f"{said}: 2 (the first: {target})"]
        assert stat.S_IMODE(target.stat().st_mode) == 0o705


@needs_nobody
@pytest.mark.timeout(90)
def test_unreadable_file_fails_alone() -> None:
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        (source / "sub").mkdir(parents=True)
        (source / "ok.txt").write_bytes(b"ok")
        (source / "sub" / "also-ok").write_bytes(b"fine")
        (source / "secret").write_bytes(b"root only")
        os.chmod(source / "secret", 0o600)
        (source / "closed").mkdir()
        (source / "closed" / "hidden").write_bytes(b"h")
        os.chmod(source / "closed", 0o700)
        target.mkdir()
        os.chown(target, NOBODY, NOBODY)

        result = run_cli_as_nobody("--json", "--workers", "2", str(source), str(target))

        assert result.returncode == 1, result.stderr.decode()[-2000:]
        files = file_records(json_lines(result.stdout))
        assert files["secret"]["status"] == "failed"
        assert "denied" in files["secret"]["reason"].lower()
        assert files["closed"]["status"] == "failed"
        assert files["ok.txt"]["status"] == "copied"
        assert files["sub/also-ok"]["status"] == "copied"
        assert (target / "ok.txt").read_bytes() == b"ok"
        assert not (target / "secret").exists()
        assert temps_under(target) == []
        summary = summary_of(json_lines(result.stdout))
        assert (summary["copied"], summary["failed"]) == (2, 2)


@needs_nobody
@pytest.mark.timeout(90)
def test_read_only_target_folder_fails_its_files_alone() -> None:
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        (source / "locked").mkdir(parents=True)
        (source / "locked" / "f").write_bytes(b"f")
        (source / "free.txt").write_bytes(b"free")
        (target / "locked").mkdir(parents=True)
        os.chown(target, NOBODY, NOBODY)
        os.chmod(target / "locked", 0o555)  # root's, read-only for nobody

        result = run_cli_as_nobody("--json", str(source), str(target))

        assert result.returncode == 1, result.stderr.decode()[-2000:]
        files = file_records(json_lines(result.stdout))
        assert files["locked/f"]["status"] == "failed"
        assert "denied" in files["locked/f"]["reason"].lower()
        assert files["free.txt"]["status"] == "copied"
        assert os.listdir(target / "locked") == []


@pytest.mark.timeout(90)
def test_a_folder_left_more_open_than_its_source_is_a_failure(tmp_path: Path) -> None:
    """The source folder was made private after its copy; the copy's folder cannot be
    changed (immutable): it stays readable by all. That was a notice, exit 0, and not in
    --json at all."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "d").mkdir(parents=True)
    (source / "d" / "a").write_bytes(b"a")
    assert run_cli(str(source), str(target)).returncode == 0
    os.chmod(source / "d", 0o700)
    subprocess.run(["chattr", "+i", str(target / "d")], check=True)
    try:
        result = run_cli("--json", str(source), str(target))
    finally:
        subprocess.run(["chattr", "-i", str(target / "d")], check=True)

    assert result.returncode == 1, result.stderr
    records = json_lines(result.stdout)
    folder = file_records(records)["d"]
    assert folder["status"] == "failed"
    assert folder["reason"].startswith("cannot set the copy's permissions or times")
    assert summary_of(records)["failed"] == 1


@needs_nobody
@pytest.mark.timeout(90)
def test_target_folder_that_cannot_be_listed_still_receives_files() -> None:
    # A drop box: write and search permission, no read. Workers open folders with O_PATH.
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        (source / "box").mkdir(parents=True)
        (source / "box" / "letter").write_bytes(b"dear")
        (target / "box").mkdir(parents=True)
        os.chown(target, NOBODY, NOBODY)
        os.chmod(target / "box", 0o333)  # root's; nobody may enter and write, not list

        result = run_cli_as_nobody("--json", str(source), str(target))

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        assert file_records(json_lines(result.stdout))["box/letter"]["status"] == "copied"
        assert (target / "box" / "letter").read_bytes() == b"dear"


@needs_nobody
@pytest.mark.timeout(90)
def test_unreadable_source_folder_is_refused() -> None:
    with world_reachable_dir() as base:
        source = base / "src"
        source.mkdir()
        (source / "f").write_bytes(b"f")
        os.chmod(source, 0o700)
        result = run_cli_as_nobody("--json", str(source), str(base / "dst"))
        assert result.returncode == 2
        assert b"Cannot read the source folder" in result.stderr
        assert not (base / "dst").exists()


# --- tiny disks in a private mount namespace --------------------------------------------

LISTING = """
import hashlib, json, os, sys
out = {".": "dir"} if os.path.isdir(sys.argv[1]) else {}
for folder, dirs, files in os.walk(sys.argv[1]):
    for name in dirs:
        out[os.path.relpath(os.path.join(folder, name), sys.argv[1]) + "/"] = "dir"
    for name in files:
        path = os.path.join(folder, name)
        with open(path, 'rb') as handle:
            out[os.path.relpath(path, sys.argv[1])] = hashlib.sha256(handle.read()).hexdigest()
print(json.dumps(out))
"""


def copy_onto_tmpfs(
    tmp_path: Path, source: Path, prepare: str = "", size: str = "1m"
) -> tuple[int, list[dict[str, object]], dict[str, str], bytes]:
    """Mount a tiny tmpfs in a private namespace, copy into it, list what it holds."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    listing = tmp_path / "listing.json"
    script = (
        'mount -t tmpfs -o size="$1" tmpfs "$2" || exit 99\n'
        f"{prepare}\n"
        '"$3" -m app copy --json --workers 1 "$4" "$2/target" > "$5.out"\n'
        "rc=$?\n"
        '"$3" -c "$6" "$2/target" > "$5" || exit 98\n'
        "exit $rc\n"
    )
    result = subprocess.run(
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            script,
            "sh",
            size,
            str(mount),
            sys.executable,
            str(source),
            str(listing),
            LISTING,
        ],
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode not in (98, 99), result.stderr.decode()
    records = json_lines(Path(f"{listing}.out").read_bytes())
    files = json.loads(listing.read_text())
    assert os.listdir(mount) == [], "the tmpfs leaked out of its namespace"
    return result.returncode, records, files, result.stderr


@needs_namespaces
@pytest.mark.timeout(90)
def test_target_without_room_is_refused_and_nothing_written(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "folder").mkdir(parents=True)
    (source / "folder" / "big").write_bytes(os.urandom(2 * MIB))
    (source / "small").write_bytes(b"s")
    code, records, files, stderr = copy_onto_tmpfs(tmp_path, source)
    assert code == 2, stderr.decode()
    summary = summary_of(records)
    assert "space" in summary["refused"].lower()
    assert summary["failed"] == 0, "a refusal is no failure (no flush of what is not there)"
    assert files == {}, f"a refused job wrote into the target: {files}"


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_keep_both_re_run_on_a_full_disk_is_up_to_date_not_refused(tmp_path: Path) -> None:
    """The copy kept beside the target's file last time is there: a re-run has nothing
    to write, however little room is left (it was refused as if it had to copy again)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.bin").write_bytes(os.urandom(3 * MIB))
    lines = (
        'mkdir "$1/t" && head -c 3145728 /dev/urandom > "$1/t/a.bin" || exit 98\n'
        'touch -d 2020-01-01 "$1/t/a.bin"\n'
        'for run in first --dry-run ""; do\n'
        '  [ "$run" = first ] && run=""\n'
        '  "$PYTHON" -m app copy --on-conflict rename $run "$2" "$1/t"; echo "rc $?" >&2\n'
        "done\n"
    )

    result = on_a_small_disk(tmp_path, "8m", source, lines)

    said = result.stderr.decode().splitlines()
    assert [line for line in said if line.startswith("rc ")] == ["rc 0"] * 3, said
    assert said[-2].startswith("Everything was already up to date"), said


@needs_namespaces
@pytest.mark.timeout(90)
def test_what_a_killed_run_left_counts_as_room_for_the_rerun(tmp_path: Path) -> None:
    """A copy onto a nearly full stick killed mid-file leaves its temp (no O_TMPFILE
    there): the re-run counted the free room before deleting it, was refused for want
    of the room it was about to free, and only a second re-run copied (review of kills).
    The room a leftover takes counts as free, in a dry run too."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "video.mp4").write_bytes(os.urandom(5 * MIB))
    lines = (
        'mkdir "$1/t" && head -c 4194304 /dev/urandom > "$1/t/.ferry-0123456789ab-1.part"\n'
        'for run in --dry-run ""; do\n'
        '  "$PYTHON" -m app copy $run "$2" "$1/t"; echo "rc $?" >&2\n'
        "done\n"
        'ls -A "$1/t" >&2\n'
    )

    result = on_a_small_disk(tmp_path, "8m", source, lines)

    said = result.stderr.decode().splitlines()
    assert [line for line in said if line.startswith("rc ")] == ["rc 0"] * 2, said
    assert said[-1] == "video.mp4", said


def on_a_small_disk(
    tmp_path: Path, size: str, source: Path, lines: str
) -> subprocess.CompletedProcess[bytes]:
    """Run the shell `lines` with a private tmpfs of `size` at $1 and the source at $2."""
    (tmp_path / "disk").mkdir()
    script = f'mount -t tmpfs -o size={size} tmpfs "$1" || exit 99\n{lines}'
    return in_private_mounts(script, str(tmp_path / "disk"), str(source))


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_disk_without_inodes_for_the_files_is_refused_before_a_byte(tmp_path: Path) -> None:
    """A disk with space but too few inodes (a small one, or made for big files): 120
    files of a byte onto one that can make 40 stopped with "the target disk is full"
    after 37 were written, while `df` showed 49 MiB free. Refused now, as for space, by
    the dry run too, naming inodes: nothing written."""
    source = tmp_path / "src"
    for n in range(120):
        (source / f"d{n % 3}").mkdir(parents=True, exist_ok=True)
        (source / f"d{n % 3}" / f"f{n}").write_bytes(b"x")
    lines = (
        'for run in --dry-run ""; do\n'
        '  "$PYTHON" -m app copy $run "$2" "$1/target"; echo "rc $?" >&2\n'
        "done\n"
        'echo "holds: $(ls -A "$1")" >&2\n'
    )

    result = on_a_small_disk(tmp_path, "50m,nr_inodes=40", source, lines)

    said = result.stderr.decode().splitlines()
    assert [line for line in said if line.startswith("rc ")] == ["rc 2", "rc 2"], said
    refusals = [line for line in said if line.startswith("Refused: ")]
    assert len(refusals) == 2 and all("Not enough room for new files" in r for r in refusals)
    assert refusals[0].startswith("Refused: Not enough room for new files in the target: 124")
    assert said[-1] == "holds: ", said


@pytest.mark.timeout(90)
def test_a_move_within_one_disk_short_of_inodes_is_not_refused_for_them(tmp_path: Path) -> None:
    """A move within one disk links each file in: a new name, no new inode on ext4 (but
    for its folders). 100 files moved on a disk with 6 inodes left were refused, plan and
    job, as "Not enough room for new files" (review of stop 38). On tmpfs, which counts
    each link as an inode, the same move is refused (it would run out)."""
    with disk_image(tmp_path, "ext4-few-inodes") as (disk, _):
        source = disk / "s"
        source.mkdir()
        for n in range(100):
            (source / f"f{n}").write_bytes(b"x")
        assert 0 < os.statvfs(disk).f_favail < 100

        plan = run_cli("--move", "--dry-run", str(source), str(disk / "d"))
        moved = run_cli("--move", str(source), str(disk / "d"))

        assert plan.returncode == 0 and b"Not enough room" not in plan.stdout, plan.stdout
        assert moved.returncode == 0, moved.stdout + moved.stderr
        assert len(os.listdir(disk / "d")) == 100 and not os.listdir(source)


@pytest.mark.timeout(120)
def test_empty_files_onto_a_nearly_full_exfat_stick_are_not_refused_for_inodes(
    tmp_path: Path,
) -> None:
    """exfat-fuse says its free clusters as free inodes, and exFAT keeps no inodes: an
    empty file takes no cluster. 40 empty files onto a stick with 10 clusters free, which
    `cp -r` copies, were refused, "Not enough room for new files" (review of stop 38)."""
    source = tmp_path / "src"
    source.mkdir()
    for n in range(40):
        (source / f"e{n}").touch()
    with disk_image(tmp_path, "exfat-fuse") as (stick, _):
        room = os.statvfs(stick)
        with open(stick / "filler", "wb") as filler:
            for _ in range((room.f_bavail - 10) * room.f_frsize // MIB):
                filler.write(bytes(MIB))
            filler.write(bytes((room.f_bavail - 10) * room.f_frsize % MIB))
        assert os.statvfs(stick).f_favail < 40

        result = run_cli(str(source), str(stick / "t"))

        assert result.returncode == 0, result.stdout + result.stderr
        assert len(os.listdir(stick / "t")) == 40


@pytest.mark.timeout(90)
def test_a_move_within_one_disk_counts_its_symlinks_as_inodes(tmp_path: Path) -> None:
    """A move links in only its regular files: a symbolic link (or special file) is made
    anew, an inode each. Counted as linked, 25 links moved on an ext4 disk with 5 inodes
    left were not refused: the move stopped half-way, "the target disk is full" (review
    of stop 38). Refused up front now, plan and job, nothing moved."""
    with disk_image(tmp_path, "ext4-few-inodes") as (disk, _):
        source = disk / "s"
        source.mkdir()
        for n in range(40):
            (source / f"l{n}").symlink_to(f"f{n}")
        for n in range(os.statvfs(disk).f_favail - 5):
            (disk / f"filler{n}").write_bytes(b"")
        assert os.statvfs(disk).f_favail == 5

        plan = run_cli("--move", "--dry-run", str(source), str(disk / "d"))
        moved = run_cli("--move", str(source), str(disk / "d"))

        assert b"Not enough room for new files" in plan.stdout + plan.stderr, plan.stdout
        assert moved.returncode == 2, moved.stdout + moved.stderr
        assert b"Not enough room for new files" in moved.stdout + moved.stderr
        assert len(os.listdir(source)) == 40 and not (disk / "d").exists()


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_move_within_a_tmpfs_counts_its_links_as_inodes(tmp_path: Path) -> None:
    """tmpfs takes an inode for each hard link: a move there that links in more files
    than it has inodes left is refused up front, not stopped half-way by a full disk."""
    (tmp_path / "unused").mkdir()
    lines = (
        'mkdir "$1/s" && for n in $(seq 70); do echo x > "$1/s/f$n"; done\n'
        '"$PYTHON" -m app copy --move "$1/s" "$1/d" >/dev/null; echo "move $?" >&2\n'
        'echo "moved $(ls -A "$1/d" 2>/dev/null | wc -l)" >&2\n'
    )

    result = on_a_small_disk(tmp_path, "50m,nr_inodes=100", tmp_path / "unused", lines)

    said = result.stderr.decode()
    assert "Refused: Not enough room for new files" in said, said
    assert "move 2" in said and "moved 0" in said, said


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_dry_run_says_the_copy_would_be_refused_for_room(tmp_path: Path) -> None:
    """The plan counts what the copy would take as the job does: exit 2, the reason, and
    still the list of what it would copy; no folder made."""
    source = tmp_path / "src"
    (source / "folder").mkdir(parents=True)
    (source / "folder" / "big").write_bytes(os.urandom(2 * MIB))
    (source / "small").write_bytes(b"s")
    lines = (
        '"$PYTHON" -m app copy --dry-run --json "$2" "$1/target" 2>/dev/null; rc=$?\n'
        '"$PYTHON" -m app copy --dry-run "$2" "$1/target"\n'
        'echo "holds: $(ls -A "$1")" >&2; exit $rc\n'
    )

    result = on_a_small_disk(tmp_path, "1m", source, lines)

    assert result.returncode == 2, result.stderr.decode()
    records = json_lines(result.stdout)
    assert summary_of(records)["refused"].startswith("Not enough space")
    planned = {path: record["action"] for path, record in file_records(records).items()}
    assert planned == {"folder/big": "copy", "small": "copy"}
    said = result.stderr.decode().splitlines()
    assert said[-3].startswith("Dry run, nothing written: 2 to copy"), said
    assert said[-2].startswith("Refused: Not enough space in the target"), said
    assert said[-1] == "holds: "


@needs_namespaces
@pytest.mark.timeout(90)
def test_small_files_are_counted_in_whole_blocks(tmp_path: Path) -> None:
    """300 files of 5,000 bytes (1.4 MiB) take 8 KiB each on a disk of 4 KiB blocks
    (2.3 MiB). Counted by their bytes, they "fitted" 2 MiB: the plan said so, and the
    copy filled the disk, 44 files failed and a move left them behind (review). Both
    refuse up front now; a disk of 3 MiB takes them all."""
    source = _small_files(tmp_path / "src", 300, 5000)
    lines = (
        '"$PYTHON" -m app copy --dry-run "$2" "$1/plan" >/dev/null 2>&1; echo "plan $?"\n'
        '"$PYTHON" -m app copy --move "$2" "$1/t" >/dev/null 2>&1; echo "copy $?"\n'
        'echo "holds $(ls -A "$1" | wc -l)"\n'
        'umount "$1"; mount -t tmpfs -o size=3m tmpfs "$1" || exit 98\n'
        '"$PYTHON" -m app copy "$2" "$1/t" >/dev/null 2>&1; echo "roomier $?"\n'
    )

    result = on_a_small_disk(tmp_path, "2m", source, lines)

    said = _echoed(result)
    assert said == {"plan": "2", "copy": "2", "holds": "0", "roomier": "0"}, result.stderr
    assert len(os.listdir(source)) == 300


@needs_namespaces
@pytest.mark.timeout(90)
def test_replacing_small_files_frees_the_blocks_it_takes(tmp_path: Path) -> None:
    """A replaced copy gives back whole blocks, as its replacement takes them: counted by
    its bytes, 1,000 newer files of 100 bytes were refused on a disk with 760 KiB free,
    where they need none (review of the block count)."""
    source = _small_files(tmp_path / "src", 1000, 100)
    lines = (
        '"$PYTHON" -m app copy "$2" "$1/t" >/dev/null 2>&1; echo "first $?"\n'
        'head -c 3500000 /dev/zero > "$1/filler"\n'
        'touch -d "+1 min" "$2"/*\n'
        '"$PYTHON" -m app copy --dry-run "$2" "$1/t" >/dev/null 2>&1; echo "plan $?"\n'
        '"$PYTHON" -m app copy "$2" "$1/t" >/dev/null 2>&1; echo "again $?"\n'
    )

    result = on_a_small_disk(tmp_path, "8m", source, lines)

    assert _echoed(result) == {"first": "0", "plan": "0", "again": "0"}, result.stderr


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_plan_fails_what_a_read_only_mount_in_the_target_refuses(tmp_path: Path) -> None:
    """As root, the plan took every folder for writable: a read-only mount inside the
    target was planned to take a copy the job then failed (third review)."""
    source = _small_files(tmp_path / "src", 1, 10)
    (source / "sub").mkdir()
    (source / "sub" / "new").write_bytes(b"new")
    lines = (
        'mkdir -p "$1/t/sub" && mount --bind "$1/t/sub" "$1/t/sub"\n'
        'mount -o remount,bind,ro "$1/t/sub" || exit 97\n'
        '"$PYTHON" -m app copy --dry-run --json "$2" "$1/t" > "$1/../plan.json"; echo "plan $?"\n'
        '"$PYTHON" -m app copy --json "$2" "$1/t" > "$1/../copy.json"; echo "copy $?"\n'
    )

    result = on_a_small_disk(tmp_path, "2m", source, lines)

    assert _echoed(result) == {"plan": "1", "copy": "1"}, result.stderr
    for run in ("plan", "copy"):
        records = file_records(json_lines((tmp_path / f"{run}.json").read_bytes()))
        assert records["sub/new"]["code"] == "cannot_create", (run, records)


def _small_files(source: Path, count: int, size: int) -> Path:
    source.mkdir()
    for index in range(count):
        (source / f"f{index:04}").write_bytes(b"x" * size)
    return source


def _echoed(result: subprocess.CompletedProcess[bytes]) -> dict[str, str]:
    """What a script said on stdout, as `name value` lines."""
    return dict(line.split(" ", 1) for line in result.stdout.decode().splitlines())


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_move_within_one_disk_needs_no_room_for_the_data_it_links(tmp_path: Path) -> None:
    """A move within one disk links each file in: no data is written. It was counted as a
    copy: a 5 MB file could not be moved on a disk with 1 MB free (plan and job alike),
    and the plan said "4.8 MiB to write" of a move that writes none (review)."""
    (tmp_path / "unused").mkdir()
    lines = (
        'mkdir "$1/s" && head -c 5000000 /dev/urandom > "$1/s/big"\n'
        'head -c 2000000 /dev/zero > "$1/filler"\n'
        '"$PYTHON" -m app copy --move --dry-run "$1/s" "$1/d"; echo "plan $?" >&2\n'
        '"$PYTHON" -m app copy --move "$1/s" "$1/d" >/dev/null 2>&1; echo "move $?" >&2\n'
        'echo "moved $(ls "$1/d") left $(ls "$1/s")" >&2\n'
        # From another mount of the same disk, a link fails: the data is copied.
        'mkdir "$1/b" "$1/bound" && mv "$1/d" "$1/b/s" && mount --bind "$1/b" "$1/bound"\n'
        '"$PYTHON" -m app copy --move "$1/bound/s" "$1/d2" >/dev/null 2>&1; echo "bound $?" >&2\n'
        # ... and so it does from such a mount inside the source (review), or a file
        # bind-mounted there from another disk (third review).
        'mkdir -p "$1/s3/sub" && mount --bind "$1/b/s" "$1/s3/sub"\n'
        '"$PYTHON" -m app copy --move --dry-run "$1/s3" "$1/d3" >/dev/null 2>&1\n'
        'echo "inner-plan $?" >&2\n'
        '"$PYTHON" -m app copy --move "$1/s3" "$1/d3" >/dev/null 2>&1; echo "inner $?" >&2\n'
        'umount "$1/s3/sub" && mkdir "$1/s4" && touch "$1/s4/big"\n'
        'mount --bind "$2/outside" "$1/s4/big" || exit 97\n'
        '"$PYTHON" -m app copy --move --dry-run "$1/s4" "$1/d4" >/dev/null 2>&1\n'
        'echo "file-plan $?" >&2\n'
    )

    (tmp_path / "unused" / "outside").write_bytes(os.urandom(5_000_000))  # another disk
    result = on_a_small_disk(tmp_path, "8m", tmp_path / "unused", lines)

    said = result.stderr.decode()
    assert "0 B to write; 1 to move" in said, said
    assert "file-plan 2" in said, said
    assert "plan 0" in said and "move 0" in said and "moved big left \n" in said, said
    assert "bound 2" in said, said  # refused for want of room, as a copy
    assert "inner-plan 2" in said and "inner 2" in said, said


@needs_namespaces
@pytest.mark.timeout(90)
def test_keep_both_counts_the_new_copy_whole_and_is_refused_where_it_does_not_fit(
    tmp_path: Path,
) -> None:
    """A copy kept beside the target's file frees nothing, unlike a replacement: where it
    does not fit the job is refused before it writes (it failed with a full disk), and
    its dry run says so too."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "a").write_bytes(os.urandom(10 * MIB))
    lines = (
        '"$PYTHON" -m app copy "$2" "$1/t" 2>/dev/null || exit 98\n'
        'head -c 10485760 /dev/urandom > "$2/a" && touch -d "+1 hour" "$2/a"\n'
        'for plan in --dry-run ""; do\n'
        '  "$PYTHON" -m app copy --on-conflict rename --json $plan "$2" "$1/t"; echo "rc $?" >&2\n'
        "done\n"
        'ls "$1/t" >&2\n'
    )

    result = on_a_small_disk(tmp_path, "16m", source, lines)

    assert result.returncode == 0, result.stderr.decode()
    summaries = [r for r in json_lines(result.stdout) if r["event"] == "summary"]
    assert [s["refused"].startswith("Not enough space") for s in summaries] == [True, True]
    lines = result.stderr.decode().splitlines()
    assert [line for line in lines if line.startswith("rc ")] == ["rc 2", "rc 2"]
    assert lines[-1] == "a", "nothing beside the copy it would keep"


@needs_namespaces
@pytest.mark.timeout(90)
def test_space_short_after_writing_began_stops_and_says_what_was_written(
    tmp_path: Path,
) -> None:
    """Not "refused, nothing written" once files have landed: stopped, exit 1, counted.

    The scan is held in a folder (a FUSE folder whose listing waits) until the first
    files are written; then it finds a file that does not fit.
    """
    reason = fuse_available()
    if reason:
        pytest.skip(reason)
    backing = tmp_path / "backing"
    (backing / "late").mkdir(parents=True)
    for index in range(3):
        (backing / f"early{index}").write_bytes(os.urandom(100 * 1024))
    (backing / "late" / "too-big").write_bytes(os.urandom(3 * MIB))
    target = tmp_path / "small"
    target.mkdir()
    script = (
        'mount -t tmpfs -o size=1m tmpfs "$1" || exit 99\n'
        'exec "$PYTHON" -m app copy --json "$2" "$1/t"'
    )
    with mounted(backing, tmp_path / "mnt") as mount:
        release = mount.hang("late")
        unshare = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"]
        process = subprocess.Popen(
            [*unshare, str(target), str(mount.point)],
            cwd=REPO,
            env=cli_env(PYTHON=sys.executable),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert process.stdout is not None
            lines = []
            while sum(b'"status": "copied"' in line for line in lines) < 3:
                line = process.stdout.readline()
                assert line, process.stderr.read() if process.stderr else b""
                lines.append(line)
            release.set()  # now the scan goes on, and finds a file that cannot fit
            rest, stderr = process.communicate(timeout=60)
        finally:
            process.kill()
            process.wait()
    assert process.returncode == 1, stderr.decode()
    summary = summary_of(json_lines(b"".join(lines) + rest))
    assert summary["refused"] == ""
    assert summary["stopped"].startswith("Stopped (files written: 3): Not enough space")
    assert summary["copied"] == 3


@needs_namespaces
@pytest.mark.timeout(60)
def test_a_replacement_that_cannot_fit_beside_its_old_copy_is_refused(tmp_path: Path) -> None:
    """Room for the difference, not for the new copy beside the old one while it is
    written: it was started (the dry run said it fits) and failed with the disk full."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "data.bin").write_bytes(os.urandom(900 * 1024))
    old = tmp_path / "old.bin"
    old.write_bytes(os.urandom(600 * 1024))
    os.utime(old, ns=(10**18, 10**18))  # older than the source: policy newer replaces it
    prepare = f'mkdir "$2/target" && cp -p "{old}" "$2/target/data.bin"'

    code, records, files, stderr = copy_onto_tmpfs(tmp_path, source, prepare)

    assert code == 2, stderr.decode()
    assert summary_of(records)["refused"].startswith("Not enough space")
    assert files["data.bin"] == file_digest(old)
    assert not [name for name in files if ".ferry-" in name], files


@needs_namespaces
@pytest.mark.timeout(90)
def test_room_counts_what_is_written_not_what_a_move_links_or_a_name_stands_in_for(
    tmp_path: Path,
) -> None:
    """A move within one disk writes no replacement beside its old copy: it was refused
    for that room. Names whose first name is kept in the target: the name that
    stands in is copied, and was not counted, so the job filled the disk its plan refused.
    And a copy for a new owner that cannot fit is kept, in the plan as in the job."""
    script = """
mount -t tmpfs -o size=2m tmpfs "$1" || exit 99
cd "$1" && mkdir -p move/s move/d links/s/a links/s/b links/d/a owner/s owner/d
head -c 800000 /dev/urandom > move/s/big
head -c 800000 /dev/urandom > move/d/big && touch -d 2020-01-01 move/d/big
"$PYTHON" -m app copy --move move/s move/d; echo "move $?"
head -c 500000 /dev/urandom > links/s/a/x && touch -d 2020-01-01 links/s/a/x
ln links/s/a/x links/s/b/y && echo newer > links/d/a/x
head -c 800000 /dev/urandom > fill
"$PYTHON" -m app copy --dry-run links/s links/d > /dev/null 2>&1; echo "links-plan $?"
"$PYTHON" -m app copy links/s links/d > /dev/null 2>&1; echo "links $?"
ls links/d/b 2>/dev/null | wc -l | sed 's/^/links-written /'
rm -rf fill move links && head -c 700000 /dev/urandom > owner/s/big && echo n > owner/s/new
cp -p owner/s/big owner/d/big && chown 4321 owner/d/big && sleep 0.1 && chown 0 owner/s/big
head -c 300000 /dev/urandom > fill
"$PYTHON" -m app copy --dry-run owner/s owner/d > /dev/null 2>&1; echo "owner-plan $?"
"$PYTHON" -m app copy owner/s owner/d > /dev/null 2>&1; echo "owner $?"
rm -rf fill owner && mkdir -p mounted/s/disk && head -c 100000 /dev/urandom > mounted/s/small
mount -t tmpfs -o size=8m tmpfs mounted/s/disk || exit 98
for i in 1 2 3; do head -c 1000000 /dev/urandom > mounted/s/disk/f$i; done
"$PYTHON" -m app copy --move --dry-run mounted/s mounted/d > /dev/null 2>&1; echo "mounted-plan $?"
"$PYTHON" -m app copy --move mounted/s mounted/d > /dev/null 2>&1; echo "mounted $?"
umount mounted/s/disk && rm -rf mounted && mkdir -p kept/s kept/d
head -c 900000 /dev/urandom > kept/s/a && ln kept/s/a kept/s/b && cp -p kept/s/a kept/d/a || exit 97
echo newer > kept/d/b && touch -d '+1 day' kept/d/b
"$PYTHON" -m app copy --dry-run kept/s kept/d > /dev/null 2>&1; echo "kept-plan $?"
"$PYTHON" -m app copy kept/s kept/d > /dev/null 2>&1; echo "kept $?"
rm -rf kept && mkdir -p other bound/x && mount -t tmpfs -o size=8m tmpfs other || exit 96
for i in 1 2 3; do head -c 600000 /dev/urandom > bound/x/f$i; done
mkdir -p other/s/sub && mount --bind bound/x other/s/sub  # this disk, another mount
"$PYTHON" -m app copy --move --dry-run other/s d > /dev/null 2>&1; echo "bound-plan $?"
"$PYTHON" -m app copy --move other/s d > /dev/null 2>&1; echo "bound $?"
umount other/s/sub && umount other && rm -rf bound other d && mkdir -p owner/s owner/d
head -c 700000 /dev/urandom > owner/s/big && cp -p owner/s/big owner/d/big
chown 4321 owner/d/big && sleep 0.1 && chown 0 owner/s/big && head -c 500000 /dev/zero > fill
"$PYTHON" -m app copy --move owner/s owner/d > /dev/null 2>&1; echo "owner-move $?"
ls owner/s | wc -l | sed 's/^/owner-left /'
rm -rf owner fill && mkdir -p low/s up work over && for i in 1 2; do
  head -c 600000 /dev/urandom > low/s/f$i; done
mount -t overlay overlay -o lowerdir=low,upperdir=up,workdir=work over || exit 95
"$PYTHON" -m app copy --move --dry-run over/s over/d > /dev/null 2>&1; echo "overlay-plan $?"
"$PYTHON" -m app copy --move over/s over/d > /dev/null 2>&1; echo "overlay $?"
umount over
"""
    done = in_private_mounts(script, str(tmp_path))
    said = dict(line.rsplit(" ", 1) for line in done.stdout.decode().splitlines())
    assert said["move"] == "0", done.stderr.decode()[-2000:]
    assert (said["links-plan"], said["links"], said["links-written"]) == ("2", "2", "0")
    assert (said["owner-plan"], said["owner"]) == ("0", "0")
    assert (said["mounted-plan"], said["mounted"]) == ("2", "2")  # another disk: copied
    assert (said["kept-plan"], said["kept"]) == ("0", "0")  # up to date: nothing counted
    assert (said["bound-plan"], said["bound"]) == ("2", "2")  # another mount: copied
    assert (said["owner-move"], said["owner-left"]) == ("0", "0")  # linked in: no room
    # Overlay (a container's disk): linking a lower file in copies it up. Counted.
    assert (said["overlay-plan"], said["overlay"]) == ("2", "2")


@needs_namespaces
@pytest.mark.timeout(90)
def test_disk_full_mid_file_keeps_old_file_and_leaves_no_partial(tmp_path: Path) -> None:
    """The replacement fits by the count; the disk fills while it is written (another
    program's file, written while a worker is held mid-file): ENOSPC hits mid-file."""
    if reason := fuse_available():
        pytest.skip(reason)
    backing = tmp_path / "backing"
    backing.mkdir()
    new = os.urandom(900 * 1024)
    (backing / "data.bin").write_bytes(new)
    old = tmp_path / "old.bin"
    old.write_bytes(os.urandom(600 * 1024))
    os.utime(old, ns=(10**18, 10**18))  # older than the source: policy newer replaces it
    go, filled = tmp_path / "go", tmp_path / "filled"
    prepare = (
        f'mkdir "$2/target" && cp -p "{old}" "$2/target/data.bin"\n'
        f'(while [ ! -e "{go}" ]; do sleep 0.05; done; '
        f'head -c 4000000 /dev/zero > "$2/ballast" 2>/dev/null; touch "{filled}") &'
    )
    with mounted(backing, tmp_path / "fuse") as mount:
        gate = mount.gate("data.bin", 300 * 1024)

        def fill_the_disk_mid_file() -> None:
            wait_until(lambda: mount.held() >= 1, 30)
            go.touch()
            wait_until(filled.exists, 30)
            gate.open()

        filler = threading.Thread(target=fill_the_disk_mid_file)
        filler.start()
        code, records, files, stderr = copy_onto_tmpfs(tmp_path, mount.point, prepare, "2m")
        filler.join(30)

    assert code == 1, stderr.decode()
    summary = summary_of(records)
    assert summary["disk_full"] is True
    assert file_records(records)["data.bin"]["status"] == "failed"
    assert files["data.bin"] == file_digest(old), "the old target file was damaged"
    assert not [name for name in files if ".ferry-" in name], files
    assert any(r["event"] == "notice" and "full" in r["message"] for r in records)


@needs_namespaces
@pytest.mark.timeout(60)
def test_target_that_is_the_source_through_a_bind_mount_is_refused(tmp_path: Path) -> None:
    source, alias = tmp_path / "src", tmp_path / "alias"
    source.mkdir()
    alias.mkdir()
    (source / "f").write_bytes(b"precious")
    script = 'mount --bind "$1" "$2" || exit 99\nexec "$3" -m app copy --json "$1" "$2"\n'
    unshare = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"]
    result = subprocess.run(
        [*unshare, str(source), str(alias), sys.executable],
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 2, result.stderr.decode()
    assert summary_of(json_lines(result.stdout))["refused"]
    assert os.listdir(source) == ["f"]
    assert (source / "f").read_bytes() == b"precious"


# --- killed processes ----------------------------------------------------------------


def start_copy(
    source: Path, target: Path, workers: int = 2, output: bool = True, **env: str
) -> subprocess.Popen[bytes]:
    stream = subprocess.PIPE if output else subprocess.DEVNULL
    return subprocess.Popen(
        cli_command("--json", "--workers", str(workers), str(source), str(target)),
        cwd=REPO,
        env=cli_env(**env),
        stdout=stream,
        stderr=stream,
    )


@pytest.mark.timeout(120)
def test_sigkill_of_the_cli_leaves_no_process_and_next_run_cleans_up(
    gated: Gated, big_area: Path
) -> None:
    target = big_area / "dst"
    process = start_copy(gated.source, target, output=False)
    try:
        wait_until(lambda: gated.held() >= 1, 30)  # a worker is mid-file
        wait_until(lambda: len(job_processes(process.pid)) >= 3, 10)  # Manager + 2 workers
        family = identify(descendants_of(process.pid))
        helpers = identify(job_processes(process.pid))
        process.kill()
        process.wait(10)
        killed_at = time.monotonic()
        gated.open()  # a worker waiting on a FUSE read can die only once it returns
        # Promise: within 2 s no worker or Manager remains (their watchdogs poll 0.2 s).
        while alive(helpers) and time.monotonic() - killed_at < 2.0:
            time.sleep(0.02)
        assert alive(helpers) == [], f"still running 2 s after the kill: {alive(helpers)}"
        wait_until(lambda: not alive(family), 10)  # the resource tracker follows
    finally:
        process.kill()
        process.wait()
        for pid in alive(identify(descendants_of(process.pid))):
            kill_quietly(pid)
    # The killed worker's data had no name (O_TMPFILE): nothing is left of it. A named
    # temp of an earlier run (as where O_TMPFILE is missing) must go on the next run.
    assert temps_under(target) == []
    (target / ".ferry-0123456789ab-7.part").write_bytes(b"stale")
    private = target / ".ferry-0123456789ab-8-link.part"  # a link's private folder
    private.mkdir(mode=0o700)
    os.symlink("half-made", private / "link")

    again = run_cli("--json", "--workers", "2", str(gated.source), str(target), timeout=100)

    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert temps_under(target) == []
    assert file_digest(target / "big.bin") == file_digest(gated.backing / "big.bin")


@pytest.mark.timeout(120)
def test_helpers_end_while_the_killed_cli_is_still_unreaped(gated: Gated, big_area: Path) -> None:
    """A caller reading Ferry's output reaps it only when the output closes; the Manager
    held it open, taking the killed (zombie) CLI for alive: both waited for ever."""
    process = start_copy(gated.source, big_area / "dst", output=False)
    try:
        wait_until(lambda: gated.held() >= 1, 30)
        wait_until(lambda: len(job_processes(process.pid)) >= 3, 10)
        helpers = identify(job_processes(process.pid))
        os.kill(process.pid, signal.SIGKILL)  # and not reaped: a zombie
        gated.open()
        killed_at = time.monotonic()
        while alive(helpers) and time.monotonic() - killed_at < 2.0:
            time.sleep(0.02)
        assert alive(helpers) == [], f"still running 2 s after the kill: {alive(helpers)}"
    finally:
        process.kill()
        process.wait()
        for pid in alive(identify(descendants_of(process.pid))):
            kill_quietly(pid)


@pytest.fixture
def short_temp() -> Iterator[Path]:
    """A TMPDIR of one run's own (no other test's pymp-* in it), with a short path: a
    socket's path holds at most 107 bytes, and Ferry cannot start where the temp dir's
    path takes more than about 75 (a tmp_path below a long TMPDIR)."""
    temp = Path(tempfile.mkdtemp(prefix="ferry-tmp-", dir="/tmp"))
    try:
        yield temp
    finally:
        remove_tree(temp)


@pytest.mark.timeout(120)
def test_sigkill_of_the_cli_leaves_no_multiprocessing_folder_in_the_temp_dir(
    gated: Gated, big_area: Path, short_temp: Path
) -> None:
    """multiprocessing's pymp-* folder, which holds the fork server's and the Manager's
    sockets, was removed only by a finalizer of the process that made it: each kill -9
    of Ferry left one in the temp dir."""
    temp = short_temp
    process = start_copy(gated.source, big_area / "dst", output=False, TMPDIR=str(temp))
    try:
        wait_until(lambda: gated.held() >= 1, 30)  # a worker is mid-file
        wait_until(lambda: len(job_processes(process.pid)) >= 3, 10)  # Manager + 2 workers
        assert multiprocessing_folders(temp), "the run made no pymp-* folder in its TMPDIR"
        family = identify(descendants_of(process.pid))
        process.kill()
        process.wait(10)
        gated.open()  # a worker waiting on a FUSE read can die only once it returns
        # The workers and the Manager end by their watchdogs, then the fork server (the
        # last one holding its "alive" pipe gone) and the resource tracker.
        wait_until(lambda: not alive(family), 10)
    finally:
        process.kill()
        process.wait()
        for pid in alive(identify(descendants_of(process.pid))):
            kill_quietly(pid)
    assert multiprocessing_folders(temp) == []


@pytest.mark.timeout(120)
def test_manager_killed_under_the_cli_exits_1_channel_lost(gated: Gated, big_area: Path) -> None:
    target = big_area / "dst"
    process = start_copy(gated.source, target, workers=1)
    try:
        wait_until(lambda: gated.held() >= 1, 30)  # the worker is mid-file
        children = identify(job_processes(process.pid))
        assert len(children) == 2, "expected the Manager and one worker"
        (manager,) = [pid for pid in children if not holds_temp(pid)]  # not the copier
        os.kill(manager, signal.SIGKILL)
        gated.open()
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 1, stderr.decode()[-2000:]
    records = json_lines(stdout)
    assert summary_of(records)["channel_lost"] is True
    assert any(r["event"] == "notice" and "channel lost" in r["message"] for r in records)
    assert temps_under(target) == []
    assert alive(children) == []


# --- scale ---------------------------------------------------------------------------


def many_files(root: Path, count: int) -> None:
    for index in range(count):
        folder = root / f"d{index // 100:04d}"
        if index % 100 == 0:
            folder.mkdir(parents=True)
        (folder / f"f{index}").write_bytes(b"tiny file %d\n" % index)


def copy_and_measure(source: Path, target: Path, timeout: float) -> tuple[int, list, int]:
    """Run the CLI; peak summed RSS of it and all its children. Output goes to a file:
    a pipe nobody reads would block the CLI after 64 KiB of JSON lines."""
    out_path = target.parent / "cli-output.jsonl"
    with open(out_path, "wb") as out:
        process = subprocess.Popen(
            cli_command("--json", "--workers", "2", str(source), str(target)),
            cwd=REPO,
            env=cli_env(),
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        peak, family = 0, [process.pid]
        deadline = time.monotonic() + timeout
        last_lookup = 0.0
        try:
            while process.poll() is None and time.monotonic() < deadline:
                if time.monotonic() - last_lookup > 0.5:
                    family = [process.pid, *descendants_of(process.pid)]
                    last_lookup = time.monotonic()
                peak = max(peak, sum(rss_bytes(pid) for pid in family))
                time.sleep(0.05)
            process.wait(timeout=max(1, deadline - time.monotonic()))
        finally:
            process.kill()
            process.wait()
    return process.returncode, json_lines(out_path.read_bytes()), peak


@pytest.mark.timeout(150)
def test_20000_tiny_files_bounded_memory_and_progress(big_area: Path) -> None:
    """Issue 5 case 17, scaled to 20,000 files to fit the suite's time budget."""
    source, target = big_area / "src", big_area / "dst"
    many_files(source, 20_000)
    code, records, peak = copy_and_measure(source, target, 120)
    assert code == 0
    summary = summary_of(records)
    assert summary["copied"] == 20_000
    assert peak < 250 * MIB, f"peak memory of all processes {peak / MIB:.0f} MiB"
    progress = [r for r in records if r["event"] == "progress"]
    assert len(progress) <= 2 * summary["seconds"] + 5
    assert max(r["files_total"] for r in progress) == 20_000


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_200000_tiny_files_full_scale(big_area: Path) -> None:
    """Issue 5 case 17 at full scale (about 45 s here: big_area is a tmpfs when it can be)."""
    source, target = big_area / "src", big_area / "dst"
    many_files(source, 200_000)
    code, records, peak = copy_and_measure(source, target, 800)
    assert code == 0
    assert summary_of(records)["copied"] == 200_000
    assert peak < 250 * MIB


@pytest.mark.timeout(90)
def test_private_source_file_stays_private_with_big_copy(big_area: Path) -> None:
    """As root the owner is kept, so setuid bits are too (as cp -a); 0600 lands 0600."""
    source = big_area / "src"
    source.mkdir()
    write_big(source / "setuid-tool", 2 * MIB)
    os.chmod(source / "setuid-tool", 0o4755)
    (source / "key").write_bytes(b"secret")
    os.chmod(source / "key", 0o600)
    result = run_cli("--json", str(source), str(big_area / "dst"))
    assert result.returncode == 0
    assert (big_area / "dst" / "setuid-tool").stat().st_mode & 0o7777 == 0o4755
    assert (big_area / "dst" / "key").stat().st_mode & 0o7777 == 0o600


@needs_nobody
@pytest.mark.timeout(90)
def test_a_target_its_user_may_write_into_but_not_read_is_flushed() -> None:
    """A target folder of mode 0300: every copy into it wrote its files, then failed to
    flush them ("could not be written out to the disk (.: Permission denied)"), exit 1,
    as syncfs needs the folder open for reading (review). Now sync() writes it out."""
    with world_reachable_dir() as base:
        source, target = base / "s", base / "d"
        source.mkdir()
        (source / "a").write_bytes(b"a")
        target.mkdir()
        for path in (source, source / "a", target):
            os.chown(path, NOBODY, NOBODY)
        target.chmod(0o300)
        result = run_cli_as_nobody(str(source), str(target))
        target.chmod(0o700)
        copied = (target / "a").read_bytes()

    assert result.returncode == 0, result.stderr.decode()
    assert copied == b"a"
