"""What a hostile-input audit reproduced (issue 14): each promise, with a real attack."""

from __future__ import annotations

import csv
import os
import signal
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from app.core.events import FileStatus, Progress, display_path
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.report import CopyReport
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    REPO,
    Recorder,
    as_user,
    cli_command,
    cli_env,
    file_records,
    in_private_mounts,
    json_lines,
    needs_namespaces,
    needs_nobody,
    run_cli,
    run_cli_as,
    run_cli_as_nobody,
    summary_of,
    world_reachable_dir,
)

USER, OWN_GROUP, SHARED_GROUP, FOREIGN_GROUP = 4321, 5001, 5002, 6000
needs_fuse = pytest.mark.skipif(bool(fuse_available()), reason=fuse_available() or "-")


def failed(report: CopyReport) -> set[str]:
    return {r.path for r in report.results if r.status is FileStatus.FAILED}


# --- 1. a shared folder ---------------------------------------------------------------


@needs_nobody
@pytest.mark.timeout(90)
def test_copying_into_a_shared_sticky_folder_someone_else_owns_works() -> None:
    """The case probe restores the folder's time; a folder not ours may refuse that."""
    with world_reachable_dir() as base:
        source, shared = base / "src", base / "shared"
        source.mkdir()
        (source / "a.txt").write_bytes(b"mine")
        shared.mkdir()
        os.chmod(shared, 0o1777)  # root's, like /tmp

        result = run_cli_as_nobody("--json", str(source), str(shared))

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        assert b"Traceback" not in result.stderr
        assert (shared / "a.txt").read_bytes() == b"mine"


# --- 2. groups -------------------------------------------------------------------------


@needs_nobody
@pytest.mark.timeout(90)
def test_the_group_is_kept_alone_or_its_permissions_cleared() -> None:
    """As a user in groups 5001 and 5002, into a setgid folder of group 5002 (cp -rp)."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        (source / "team").mkdir(parents=True)
        (source / "alice.txt").write_bytes(b"for group 5001")
        os.chown(source / "alice.txt", 1234, OWN_GROUP)
        os.chmod(source / "alice.txt", 0o640)
        (source / "bob.txt").write_bytes(b"for a group the user is not in")
        os.chown(source / "bob.txt", 1234, FOREIGN_GROUP)
        os.chmod(source / "bob.txt", 0o664)
        os.chown(source / "team", 1234, OWN_GROUP)
        os.chmod(source / "team", 0o775)
        target.mkdir()
        os.chown(target, 0, SHARED_GROUP)
        os.chmod(target, 0o2775)  # new files get group 5002 unless Ferry says otherwise

        result = run_cli_as(
            as_user(USER, (OWN_GROUP, SHARED_GROUP)), "--json", str(source), str(target)
        )

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        alice, bob, team = (target / n for n in ("alice.txt", "bob.txt", "team"))
        assert (alice.stat().st_gid, stat.S_IMODE(alice.stat().st_mode)) == (OWN_GROUP, 0o640)
        assert team.stat().st_gid == OWN_GROUP, "folders keep their group too"
        assert stat.S_IMODE(bob.stat().st_mode) & stat.S_IRWXG == 0, "rights of the wrong group"
        reason = file_records(json_lines(result.stdout))["bob.txt"]["reason"]
        assert reason == "its group could not be kept: group permissions were cleared"


# --- 3. names the target cannot tell apart ----------------------------------------------


@needs_fuse
@pytest.mark.timeout(90)
@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "existing-folder"])
def test_names_a_case_folding_target_merges_are_reported_never_lost(
    tmp_path: Path, existing: bool
) -> None:
    source, backing = tmp_path / "src", tmp_path / "backing"
    (source / "Photos").mkdir(parents=True)
    nfc, nfd = unicodedata.normalize("NFC", "café.txt"), unicodedata.normalize("NFD", "café.txt")
    (source / nfc).write_bytes(b"composed")
    (source / nfd).write_bytes(b"decomposed, another file")
    (source / "README").write_bytes(b"upper")
    (source / "readme").write_bytes(b"lower")
    (source / "photos").write_bytes(b"a file named like the folder")
    (backing / "t").mkdir(parents=True)
    if existing:
        (backing / "t" / "other").write_bytes(b"already there")

    with mounted(backing, tmp_path / "mnt", fold=True) as mount:
        report = CopyJob(str(source), str(mount.point / "t"), CopyOptions(workers=2)).run()

    results = {r.path: r for r in report.results}
    landed = {p.name: p.read_bytes() for p in (backing / "t").iterdir() if p.is_file()}
    for group in ((nfc, nfd), ("README", "readme"), ("Photos", "photos")):
        failed = [results[n] for n in group if n in results and results[n].status.value == "failed"]
        assert len(failed) == 1, group  # the first name lands (a folder has no result then)
        assert "differs only in case, Unicode form" in failed[0].reason
    assert report.exit_code() == 1
    assert landed.get("README", landed.get("readme")) in (b"upper", b"lower")
    assert (
        sum(landed.get(name) in (b"composed", b"decomposed, another file") for name in landed) == 1
    )


@needs_fuse
@pytest.mark.timeout(60)
@pytest.mark.parametrize("there", ["Other", "2024/Other"])
def test_the_dry_run_foresees_the_names_a_case_folding_target_merges(
    tmp_path: Path, there: str
) -> None:
    """The plan reads how the target compares names (it writes no probe), so it needs a
    name there to tell, in the target folder or in a folder of it (a root holding only
    "2024" said nothing); then it fails the same second names the copy will."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    (source / "Photos").mkdir(parents=True)
    (source / "Photos" / "p.jpg").write_bytes(b"p")
    (source / "photos").write_bytes(b"a file named like the folder")
    (source / "README").write_bytes(b"upper")
    (source / "readme").write_bytes(b"lower")
    (backing / "t" / there).parent.mkdir(parents=True)
    (backing / "t" / there).write_bytes(b"already there: a name to read")

    with mounted(backing, tmp_path / "mnt", fold=True) as mount:
        target = str(mount.point / "t")
        plan = CopyJob(str(source), target, CopyOptions(dry_run=True)).run()
        copy = CopyJob(str(source), target, CopyOptions(workers=1)).run()

    assert failed(plan) == failed(copy) != set()
    assert all("differs only in case" in r.reason for r in plan.results if r.path in failed(plan))


@needs_fuse
@pytest.mark.timeout(60)
@pytest.mark.parametrize("policy", [ConflictPolicy.OVERWRITE, ConflictPolicy.NEWER])
def test_retrying_the_name_that_clashed_never_lands_on_the_other_names_copy(
    tmp_path: Path, policy: ConflictPolicy
) -> None:
    """After `A.txt` landed and `a.txt` failed (one name to the target), "retry failed"
    of `a.txt` alone: the target's `A.txt` holds the other file, not this one's copy."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    (source / "Docs").mkdir(parents=True)
    (source / "docs").mkdir()
    (source / "A.txt").write_bytes(b"UPPER-CASE FILE")
    (source / "a.txt").write_bytes(b"lower-case file")
    os.utime(source / "a.txt", ns=(10**18, 10**18))  # so "newer" would replace
    (source / "Docs" / "n.txt").write_bytes(b"Docs version")
    (source / "docs" / "n.txt").write_bytes(b"docs version")
    (backing / "t").mkdir(parents=True)
    options = CopyOptions(workers=2, on_conflict=policy)

    with mounted(backing, tmp_path / "mnt", fold=True) as mount:
        target = str(mount.point / "t")
        first = CopyJob(str(source), target, options).run()
        failed = sorted(r.path for r in first.results if r.status is FileStatus.FAILED)
        retry = CopyJob(str(source), target, options, only=failed).run()

    landed = {p.name: p.read_bytes() for p in (backing / "t").iterdir() if p.is_file()}
    assert {landed.get("A.txt"), landed.get("a.txt")} - {None} == {b"UPPER-CASE FILE"}
    assert retry.exit_code() == 1
    for result in retry.results:
        assert result.status is FileStatus.FAILED, result
        assert "differs only in case, Unicode form" in result.reason
    folder = next(p for p in (backing / "t").iterdir() if p.is_dir())
    assert (folder / "n.txt").read_bytes() == (source / folder.name / "n.txt").read_bytes()


@needs_fuse
@pytest.mark.timeout(90)
@pytest.mark.parametrize("dropped", [".", ". "], ids=["dots", "dots-and-spaces"])
def test_names_a_target_that_drops_trailing_dots_merges_are_reported_never_lost(
    tmp_path: Path, dropped: str
) -> None:
    """vfat and exFAT drop trailing dots (`Wait...` is `Wait`), Windows shares dots and
    spaces: the second such name replaced the first one's copy, reported as copied. The
    plan foresees the same (a name is there to read); a re-run changes nothing."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    names = {"Wait": b"plain", "Wait...": b"dotted, another file"}
    if " " in dropped:
        names["Wait. "] = b"a dot and a space, a third file"
    for name, data in names.items():
        (source / name).write_bytes(data)
    (backing / "t").mkdir(parents=True)
    (backing / "t" / "already there").write_bytes(b"a name to read")

    with mounted(backing, tmp_path / "mnt", ends_dropped=dropped) as mount:
        target = str(mount.point / "t")
        plan = CopyJob(str(source), target, CopyOptions(dry_run=True)).run()
        copy = CopyJob(str(source), target, CopyOptions(workers=2)).run()
        again = CopyJob(str(source), target, CopyOptions(workers=2)).run()

    assert len(failed(copy)) == len(names) - 1
    assert failed(plan) == failed(copy) == failed(again)
    assert all("trailing dots" in r.reason for r in copy.results if r.path in failed(copy))
    (landed,) = set(names) - failed(copy)
    assert (backing / "t" / "Wait").read_bytes() == names[landed]
    assert copy.exit_code() == again.exit_code() == 1
    assert {r.status for r in again.results if r.path == landed} == {FileStatus.SKIPPED}


@needs_fuse
@pytest.mark.timeout(90)
@pytest.mark.parametrize("later", ["Wait", "Wait."])
def test_a_copy_that_lost_its_dots_belongs_to_the_name_whose_data_it_holds(
    tmp_path: Path, later: str
) -> None:
    """vfat lists the copy of `Wait...` as `Wait`: its spelling tells nothing. A `Wait`
    added to the source later replaced it as if it were its own copy (the plan said so
    too), and `Wait...`, up to date there, failed."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (source / "Wait...").write_bytes(b"dotted")
    (backing / "t").mkdir(parents=True)
    with mounted(backing, tmp_path / "mnt", ends_dropped=".") as mount:
        target = str(mount.point / "t")
        assert CopyJob(str(source), target).run().exit_code() == 0
        (source / later).write_bytes(b"added later, another file")
        runs = [
            CopyJob(str(source), target, CopyOptions(dry_run=d)).run() for d in (True, False, False)
        ]

    assert os.listdir(backing / "t") == ["Wait"]
    assert (backing / "t" / "Wait").read_bytes() == b"dotted"
    for report in runs:
        outcome = {r.path: (r.status, r.reason) for r in report.results}
        assert outcome["Wait..."][0] is FileStatus.SKIPPED, outcome
        assert outcome[later][0] is FileStatus.FAILED, outcome
        assert "trailing dots" in outcome[later][1]


@needs_fuse
@pytest.mark.timeout(60)
def test_a_target_without_lasting_inode_numbers_is_still_seen_to_fold_names(
    tmp_path: Path,
) -> None:
    """High-level FUSE file systems and SMB with `noserverino` show each lookup its own
    inode number: the probe, found under its name in the other case, did not look like
    itself, so `a.txt` replaced the copy of `A.txt`, both said copied, exit 0."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (source / "A.txt").write_bytes(b"UPPER")
    (source / "a.txt").write_bytes(b"lower, another file")
    (backing / "t").mkdir(parents=True)
    with mounted(backing, tmp_path / "mnt", inode_numbers=False, fold=True) as mount:
        report = CopyJob(str(source), str(mount.point / "t")).run()

    (failed,) = (r for r in report.results if r.status is FileStatus.FAILED)
    assert "differs only in case" in failed.reason
    (landed,) = (backing / "t").iterdir()
    assert landed.read_bytes() == (source / landed.name).read_bytes() != b""


@needs_fuse
@pytest.mark.timeout(90)
def test_an_edited_file_with_a_dotted_twin_is_still_copied(tmp_path: Path) -> None:
    """`Wait.` and `Wait..` are one name on vfat; the first met lands. Once `Wait.` was
    edited, neither name's data matched the copy, neither was spelled `Wait`, and both
    failed, run after run: the edit never reached the stick."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (source / "Wait.").write_bytes(b"one")
    (source / "Wait..").write_bytes(b"another file")
    (backing / "t").mkdir(parents=True)
    with mounted(backing, tmp_path / "mnt", ends_dropped=".") as mount:
        target = str(mount.point / "t")
        first = CopyJob(str(source), target).run()
        (landed,) = (r.path for r in first.results if r.status is FileStatus.COPIED)
        (source / landed).write_bytes(b"edited since, and longer")
        edited = CopyJob(str(source), target).run()
        again = CopyJob(str(source), target).run()

    def outcome(report: CopyReport) -> dict[str, FileStatus]:
        return {r.path: r.status for r in report.results}

    (other,) = {"Wait.", "Wait.."} - {landed}
    assert outcome(edited) == {landed: FileStatus.COPIED, other: FileStatus.FAILED}
    assert outcome(again) == {landed: FileStatus.SKIPPED, other: FileStatus.FAILED}
    assert (backing / "t" / "Wait").read_bytes() == b"edited since, and longer"


@needs_fuse
@pytest.mark.timeout(90)
def test_a_copy_whose_source_was_renamed_in_case_stays_its_own(tmp_path: Path) -> None:
    """On a target that folds case and drops dots, `Wait.` landed as `Wait`; renamed
    `wait.` in the source, with a new `Wait` beside it: the new file replaced the copy
    (spelled as it is), and `wait.`, up to date there, failed."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (source / "Wait.").write_bytes(b"the first file")
    (backing / "t").mkdir(parents=True)
    with mounted(backing, tmp_path / "mnt", fold=True, ends_dropped=".") as mount:
        target = str(mount.point / "t")
        assert CopyJob(str(source), target).run().exit_code() == 0
        os.rename(source / "Wait.", source / "wait.")
        (source / "Wait").write_bytes(b"a new file, another")
        again = CopyJob(str(source), target).run()

    assert {r.path: r.status for r in again.results} == {
        "wait.": FileStatus.SKIPPED,
        "Wait": FileStatus.FAILED,
    }
    assert (backing / "t" / "Wait").read_bytes() == b"the first file"


@needs_fuse
@pytest.mark.timeout(90)
def test_a_stick_that_folds_the_case_of_a_to_z_only_is_seen_to_fold(tmp_path: Path) -> None:
    """Linux vfat mounted with utf8 (as desktops mount sticks) folds A-Z only: the probe,
    looked up with its `é` as `É` too, was not found, and the stick was taken for one
    that compares bytes. `readme` replaced the copy of `README` (exit 0), and a mirror
    deleted `README` there, the copy of the source's `Readme`. `É.txt` and `é.txt` stay
    two names there: both are copied."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (source / "README").write_bytes(b"UPPER")
    (source / "readme").write_bytes(b"lower, another file")
    (source / "\u00c9.txt").write_bytes(b"capital e acute")
    (source / "\u00e9.txt").write_bytes(b"small e acute")
    (source / "sub").mkdir()
    (source / "sub" / "Readme").write_bytes(b"the text")
    (backing / "t" / "sub").mkdir(parents=True)
    (backing / "t" / "sub" / "README").write_bytes(b"the text")
    os.utime(
        backing / "t" / "sub" / "README", ns=(os.stat(source / "sub" / "Readme").st_mtime_ns,) * 2
    )
    with mounted(backing, tmp_path / "mnt", fold="ascii") as mount:
        report = CopyJob(str(source), str(mount.point / "t"), CopyOptions(mirror=True)).run()

    assert {r.path for r in report.results if r.status is FileStatus.FAILED} & {
        "README",
        "readme",
    }, report.results
    assert len(failed(report)) == 1
    assert sorted(p.name for p in (backing / "t").iterdir() if p.name.endswith(".txt")) == [
        "\u00c9.txt",
        "\u00e9.txt",
    ]
    assert (backing / "t" / "sub" / "README").read_bytes() == b"the text"
    assert report.deleted == 0


# --- 5. the target folder is private until the end ---------------------------------------


@pytest.mark.timeout(60)
def test_a_new_target_folder_is_private_until_its_contents_are_in(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "secret.txt").write_bytes(b"only for me")
    os.chmod(source / "secret.txt", 0o600)
    os.chmod(source, 0o755)
    seen: list[int] = []
    recorder = Recorder()
    job = CopyJob(str(source), str(target), on_event=recorder)

    def look(event: object) -> None:
        if isinstance(event, Progress) and event.scan_done and not seen:
            seen.append(stat.S_IMODE(os.stat(target).st_mode))
            job.resume()

    recorder.hooks.append(look)
    job.pause()  # nothing copied until the target has been looked at
    report = job.run()

    assert seen == [0o700], "the target was readable by others during the copy"
    assert report.exit_code() == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o755  # the source's, at the end


# --- 6. cancel while the scan hangs --------------------------------------------------------


@needs_fuse
@pytest.mark.timeout(60)
def test_sigterm_ends_a_job_whose_scan_hangs_in_a_folder(tmp_path: Path) -> None:
    backing = tmp_path / "backing"
    (backing / "hung").mkdir(parents=True)
    (backing / "a.txt").write_bytes(b"a")
    with mounted(backing, tmp_path / "mnt") as mount:
        release = mount.hang("hung")
        process = subprocess.Popen(
            cli_command("--json", str(mount.point), str(tmp_path / "dst")),
            cwd=REPO,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert mount.ops.hang_reached.wait(30), "the scan never reached the hung folder"
            process.send_signal(signal.SIGTERM)
            assert process.stdout is not None
            lines = []
            while not lines or b'"event": "summary"' not in lines[-1]:  # within seconds
                line = process.stdout.readline()
                assert line, "the job ended without a summary"
                lines.append(line)
        finally:
            release.set()  # the kernel lets the process exit once the listing returns
            process.kill()
            process.communicate()
    records = json_lines(b"".join(lines))
    assert summary_of(records)["cancelled"] is True
    assert any("did not answer" in r["message"] for r in records if r["event"] == "notice")


# --- 7. output that cannot be written never stops the copy ---------------------------


@pytest.mark.timeout(60)
def test_json_to_a_latin1_stream_escapes_and_copies_everything(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    names = ["中文.txt", "naïve", "emoji-🙂", "plain", "e\u0301", "ok1", "ok2", "ok3"]
    for name in names:
        (source / name).write_bytes(name.encode())
    done = subprocess.run(
        cli_command("--json", str(source), str(tmp_path / "dst")),
        cwd=REPO,
        env=cli_env(PYTHONIOENCODING="latin-1"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("latin-1")
    records = json_lines(done.stdout)  # pure ASCII, \\u escapes: valid JSON anywhere
    assert set(file_records(records)) == set(names)
    assert sorted(os.listdir(tmp_path / "dst")) == sorted(names)


@pytest.mark.timeout(60)
def test_a_closed_pipe_ends_the_printing_not_the_copy(tmp_path: Path) -> None:
    """`ferry copy --json ... | head -1`: head exits, the copy goes on to the end."""
    source = tmp_path / "src"
    source.mkdir()
    for index in range(300):
        (source / f"f{index:03}").write_bytes(b"x" * 1000)
    process = subprocess.Popen(
        cli_command("--json", "--workers", "1", str(source), str(tmp_path / "dst")),
        cwd=REPO,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()  # as head does after one line
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(60) == 0, stderr.decode()
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr
    assert len(os.listdir(tmp_path / "dst")) == 300


@pytest.mark.timeout(60)
def test_output_on_a_full_disk_ends_the_printing_not_the_copy(tmp_path: Path) -> None:
    """`ferry copy --json ... > file` on a full disk: it was a traceback, nothing copied,
    the target left private and unfinished. The copy goes on; the lost output is said."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(50):
        (source / f"f{index:02}").write_bytes(b"x" * 100)
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            cli_command("--json", str(source), str(target)),
            cwd=REPO,
            env=cli_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert result.returncode == 1
    assert b"The output could not be written: No space left on device" in result.stderr
    assert b"Traceback" not in result.stderr
    assert len(os.listdir(target)) == 50 and stat.S_IMODE(target.stat().st_mode) != 0o700
    with open("/dev/full", "wb") as full:  # the terminal's report lost: not a success either
        said = subprocess.run(
            cli_command(str(source), str(tmp_path / "again")),
            cwd=REPO,
            env=cli_env(),
            stderr=full,
            timeout=60,
        )
    assert said.returncode == 1 and len(os.listdir(tmp_path / "again")) == 50
    for closed, json_out in (("1", ["--json"]), ("2", []), ("1", [])):  # `>&-`: no stream
        target = tmp_path / f"closed-{closed}-{len(json_out)}"
        command = cli_command(*json_out, str(source), str(target))
        done = subprocess.run(
            ["bash", "-c", f'"$@" {closed}>&-', "_", *command], cwd=REPO, env=cli_env(), timeout=60
        )
        lost = json_out or closed == "2"  # no JSON asked for: a closed stdout loses nothing
        assert done.returncode == (1 if lost else 0), (closed, json_out)
        assert len(os.listdir(target)) == 50


# --- 8. a followed link back into the target -----------------------------------------------


@pytest.mark.timeout(60)
def test_follow_mode_does_not_copy_the_target_into_itself(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "a.txt").write_bytes(b"a")
    os.symlink(target, source / "back-to-target")
    result = run_cli("--json", "--follow-symlinks", str(source), str(target))
    records = file_records(json_lines(result.stdout))
    assert records["back-to-target"]["status"] == "skipped"
    assert "leads into the target" in records["back-to-target"]["reason"]
    assert sorted(os.listdir(target)) == ["a.txt"]
    assert result.returncode == 0


@pytest.mark.timeout(60)
def test_follow_mode_through_a_link_above_the_target_does_not_copy_it_into_itself(
    tmp_path: Path,
) -> None:
    """`src/up -> ../data` with the target at `data/backup`: the walk meets the target
    inside `up`, and copied it into itself until memory ran out."""
    source, data = tmp_path / "src", tmp_path / "data"
    target = data / "backup"
    target.mkdir(parents=True)
    source.mkdir()
    (data / "note.txt").write_bytes(b"n")
    os.symlink("../data", source / "up")
    result = run_cli("--json", "--follow-symlinks", str(source), str(target))
    assert result.returncode == 0, result.stderr
    records = file_records(json_lines(result.stdout))
    assert records[os.path.join("up", "backup")]["status"] == "skipped"
    assert "leads into the target" in records[os.path.join("up", "backup")]["reason"]
    assert sorted(os.listdir(target / "up")) == ["note.txt"]


@needs_namespaces
@pytest.mark.timeout(60)
def test_a_target_bind_mounted_from_inside_the_source_is_refused(tmp_path: Path) -> None:
    """The target's parents do not lead to the source; the mount table does. Mirror
    there would have deleted source files, and a plain copy never ended."""
    source, bound = tmp_path / "src", tmp_path / "bound"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "only.txt").write_bytes(b"its only copy")
    (source / "keep.txt").write_bytes(b"k")
    bound.mkdir()
    script = 'mount --bind "$1/sub" "$2" && "$PYTHON" -m app copy "$1" "$2" --mirror'
    result = in_private_mounts(script, str(source), str(bound))
    assert result.returncode == 2, result.stderr
    assert b"inside the source" in result.stderr
    assert (source / "sub" / "only.txt").read_bytes() == b"its only copy"
    assert sorted(os.listdir(source / "sub")) == ["only.txt"]


# --- 10. logs opened in a spreadsheet -----------------------------------------------------


@pytest.mark.timeout(60)
def test_csv_log_cells_never_run_as_formulas(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    formulas = ['=HYPERLINK("x","y")', "+1", "-2", "@SUM(A1)"]
    controls = {  # shown as escapes: `cat log.csv` must not set a title or clear a screen
        "\tTAB": "\\x09TAB",
        "\rCR": "\\x0dCR",
        "title\x1b]0;PWNED\x07": "title\\x1b]0;PWNED\\x07",
        "clear\x1b[2J": "clear\\x1b[2J",
        "c1\x9b31m": "c1\\u009b31m",
    }
    quoted = ["'=x", "'plain"]  # a quote of their own: not read as the guarded "=x"
    names = [*formulas, *quoted, *controls, "=x", "plain"]
    for name in names:
        (source / name).write_bytes(b"x")
    log = tmp_path / "log.csv"
    result = run_cli("--json", "--log", str(log), str(source), str(tmp_path / "dst"))
    assert result.returncode == 0
    with open(log, newline="", encoding="utf-8") as handle:
        cells = {row["path"] for row in csv.DictReader(handle)}
    guarded = {"'" + n for n in [*formulas, *quoted, "=x"]}
    assert cells == guarded | set(controls.values()) | {"plain"}
    assert set(file_records(json_lines(result.stdout))) == set(names), "JSON keeps names exact"


@pytest.mark.timeout(60)
def test_a_name_never_reads_like_another_in_json_csv_or_the_terminal(tmp_path: Path) -> None:
    """The byte 0xff and the four characters \xff must not print alike: a script reading
    --json, or a person reading the log, would act on the wrong file. A backslash is
    shown doubled, as `ls -b` shows it, so every name reads back to its bytes."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    shown = {b"a\xff": r"a\xff", rb"a\xff": r"a\\xff", b"b\\": r"b\\", rb"b\\": r"b\\\\"}
    # A character below U+0100 that is escaped (a soft hyphen, a C1 control) is not a byte.
    shown |= {
        b"s\xad": r"s\xad",
        b"s\xc2\xad": r"s\u00ad",
        b"c\x9b": r"c\x9b",
        b"c\xc2\x9b": r"c\u009b",
        b"trail ": r"trail\x20",  # a space at either end shows: not `trail`
        b"trail": "trail",
        b" lead": r"\x20lead",
    }
    for name in shown:
        (source / os.fsdecode(name)).write_bytes(b"x")
    log = tmp_path / "log.csv"

    plan = run_cli("--dry-run", str(source), str(target))
    result = run_cli("--json", "--log", str(log), str(source), str(target))

    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(os.fsencode(target))) == sorted(shown)
    exact = {display_path(os.fsdecode(name)) for name in shown}  # JSON: \u00ad is json's
    assert set(file_records(json_lines(result.stdout))) == exact
    with open(log, newline="", encoding="utf-8") as handle:
        assert {row["path"] for row in csv.DictReader(handle)} == set(shown.values())
    lines = plan.stderr.decode("utf-8").splitlines()
    assert {line.removeprefix("copy: ") for line in lines[:-1]} == set(shown.values())


@pytest.mark.timeout(60)
def test_a_terminal_that_cannot_show_a_character_never_shows_it_as_a_byte(
    tmp_path: Path,
) -> None:
    """On an ASCII terminal, é is shown escaped: as \\u00e9, not as \\xe9, which is
    how the byte 0xe9 of a name that is not UTF-8 shows."""
    source = tmp_path / "src"
    source.mkdir()
    for name in (b"caf\xe9", b"caf\xc3\xa9"):
        (source / os.fsdecode(name)).write_bytes(b"x")
    env = {**cli_env(), "PYTHONIOENCODING": "ascii"}
    plan = subprocess.run(
        cli_command("--dry-run", str(source), str(tmp_path / "dst")),
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert plan.returncode == 0, plan.stderr
    shown = {line.removeprefix("copy: ") for line in plan.stderr.decode().splitlines()[:-1]}
    assert shown == {r"caf\xe9", r"caf\u00e9"}


@pytest.mark.timeout(60)
def test_invisible_characters_are_shown_so_names_read_apart(tmp_path: Path) -> None:
    """Characters Python calls printable that show as nothing (a combining grapheme
    joiner, a variation selector, a Hangul filler) would make two names read alike."""
    source, target, log = tmp_path / "src", tmp_path / "dst", tmp_path / "log.csv"
    source.mkdir()
    names = ["cgjx", "cgj\u034fx", "cgj\ufe0fx", "cgj\u3164x", "cgj\U000e0100x"]
    for name in names:
        (source / name).write_bytes(b"x")

    plan = run_cli("--dry-run", str(source), str(target))
    result = run_cli("--log", str(log), str(source), str(target))

    assert result.returncode == 0, result.stderr
    shown = {line.removeprefix("copy: ") for line in plan.stderr.decode().splitlines()[:-1]}
    expected = {"cgjx", r"cgj\u034fx", r"cgj\ufe0fx", r"cgj\u3164x", r"cgj\U000e0100x"}
    assert shown == expected
    with open(log, newline="", encoding="utf-8") as handle:
        assert {row["path"] for row in csv.DictReader(handle)} == expected


@pytest.mark.timeout(60)
def test_json_lines_hold_no_raw_line_separators_or_terminal_controls(tmp_path: Path) -> None:
    """json.dumps leaves U+0085, U+2028, U+2029 (str.splitlines splits there), C1 controls
    and bidirectional overrides raw: one record must stay one line, whatever the name."""
    source = tmp_path / "src"
    source.mkdir()
    names = {"nel\x85next", "ls\u2028sep", "ps\u2029sep", "c1\x9b31mred", "bidi\u202etxt.exe"}
    for name in names:
        (source / name).write_bytes(b"x")
    log = tmp_path / "log.jsonl"
    result = run_cli("--json", "--log", str(log), str(source), str(tmp_path / "dst"))
    assert result.returncode == 0
    for output in (result.stdout, log.read_bytes()):
        text = output.decode("utf-8")
        assert text.isascii() or all(c.isprintable() for c in text.replace("\n", ""))
        assert set(file_records(json_lines(output))) == names  # and the names stay exact


# 11 is tested in tests/packaging/test_desktop_files.py; 4 and 9 in tests/core/test_races.py.


# --- attacks tried beyond the audit ----------------------------------------------------


@pytest.mark.timeout(60)
def test_keep_both_fits_a_numbered_name_into_the_longest_name_allowed(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    longest = "é" * 125 + ".txt"  # 254 bytes: "(2)" cannot simply be added
    (source / longest).write_bytes(b"the new one")
    (target / longest).write_bytes(b"the old one, kept")
    result = run_cli("--json", "--on-conflict", "rename", str(source), str(target))
    assert result.returncode == 0, result.stderr.decode()
    renamed = file_records(json_lines(result.stdout))[longest]["target_path"]
    assert renamed.endswith(" (2).txt") and len(renamed.encode()) <= 255
    assert (target / renamed).read_bytes() == b"the new one"
    assert (target / longest).read_bytes() == b"the old one, kept"


@pytest.mark.timeout(60)
def test_a_hard_link_planted_in_the_target_never_lets_a_copy_write_into_its_victim(
    tmp_path: Path,
) -> None:
    """Whoever may write in the target links a name to a file of theirs (or yours)."""
    source, target, victim = tmp_path / "src", tmp_path / "dst", tmp_path / "victim"
    source.mkdir()
    target.mkdir()
    victim.write_bytes(b"must stay as it is")
    os.link(victim, target / "report.txt")
    (source / "report.txt").write_bytes(b"the copy")
    result = run_cli("--on-conflict", "overwrite", str(source), str(target))
    assert result.returncode == 0, result.stderr.decode()
    assert victim.read_bytes() == b"must stay as it is"
    assert (target / "report.txt").read_bytes() == b"the copy"
    assert victim.stat().st_nlink == 1  # the name now holds the copy, not the victim


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", ["copy", "verify"])
def test_a_mistyped_argument_is_quoted_escaped(tmp_path: Path, command: str) -> None:
    """argparse quotes what it did not understand: a script passing a hostile name must
    not set the terminal's title through it."""
    hostile = "x\x1b]0;PWNED\x07"
    result = _run_app(command, "a", "b", hostile)
    assert result.returncode == 2
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
    assert b"x\\x1b]0;PWNED\\x07" in result.stderr


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("command", "option"),
    [("copy", "--on-conflict"), ("copy", "--workers"), ("verify", "--workers")],
)
def test_a_bad_value_is_quoted_as_typed_escaped_once(command: str, option: str) -> None:
    """argparse's own checks quoted a bad value with repr(), and the escaping of every
    error then doubled its backslashes: `x\\\\x1b` for an escape typed as `x\\x1b`."""
    result = _run_app(command, option, "x\x1b\\q", "a", "b")
    assert result.returncode == 2
    assert b"\x1b" not in result.stderr
    assert b"'x\\x1b\\\\q'" in result.stderr, result.stderr  # as `ls -b` shows that name


def _run_app(*args: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m app ARGS`: any command, not only copy (run_cli's)."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
