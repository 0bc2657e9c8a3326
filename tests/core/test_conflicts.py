"""Each conflict policy, decided by the engine or by its caller (ASK)."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from app.core import devices
from app.core.conflicts import Action, Decision, StatFacts, decide, replaced_why
from app.core.events import ConflictQuestion, FileStatus
from app.core.job import CopyJob
from app.core.namekeys import probe_name
from app.core.options import Answer, ConflictPolicy, CopyOptions
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from tests.fusefs import fuse_available, mounted
from tests.helpers import Recorder

OLD = 1_600_000_000_000_000_000
NEW = OLD + 3_600 * 10**9


def put(path: Path, data: bytes, mtime_ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))


def copy(source: Path, target: Path, policy: ConflictPolicy, **kwargs):
    return CopyJob(str(source), str(target), CopyOptions(on_conflict=policy), **kwargs).run()


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "src", tmp_path / "dst"


# (source bytes, source mtime, target bytes, target mtime, policy) -> status, target bytes
CASES = [
    ("newer/identical", b"same", OLD, b"SAME", OLD, "newer", "skipped", b"SAME"),
    ("newer/source-newer", b"new", NEW, b"old", OLD, "newer", "copied", b"new"),
    ("newer/same-time-other-size", b"longer", OLD, b"old", OLD, "newer", "copied", b"longer"),
    ("newer/target-newer", b"src", OLD, b"target", NEW, "newer", "skipped", b"target"),
    ("skip/source-newer", b"new", NEW, b"old", OLD, "skip", "skipped", b"old"),
    ("overwrite/target-newer", b"src", OLD, b"target", NEW, "overwrite", "copied", b"src"),
    ("overwrite/identical", b"same", OLD, b"same", OLD, "overwrite", "copied", b"same"),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("src_data", "src_time", "dst_data", "dst_time", "policy", "status", "result"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_policy_decides_one_conflict(
    dirs: tuple[Path, Path],
    src_data: bytes,
    src_time: int,
    dst_data: bytes,
    dst_time: int,
    policy: str,
    status: str,
    result: bytes,
) -> None:
    source, target = dirs
    put(source / "f.txt", src_data, src_time)
    put(target / "f.txt", dst_data, dst_time)
    put(source / "fresh.txt", b"fresh", OLD)

    report = copy(source, target, ConflictPolicy(policy))

    assert report.exit_code() == 0
    by_path = {r.path: r for r in report.results}
    assert by_path["f.txt"].status == status, by_path["f.txt"]
    assert by_path["fresh.txt"].status is FileStatus.COPIED
    assert (target / "f.txt").read_bytes() == result
    expected_time = src_time if status == "copied" else dst_time
    assert (target / "f.txt").stat().st_mtime_ns == expected_time
    assert sorted(os.listdir(target)) == ["f.txt", "fresh.txt"]


@pytest.mark.timeout(30)
def test_newer_policy_says_why_it_skipped(dirs: tuple[Path, Path]) -> None:
    source, target = dirs
    put(source / "same", b"x", OLD)
    put(target / "same", b"x", OLD)
    put(source / "kept", b"x", OLD)
    put(target / "kept", b"y", NEW)
    reasons = {r.path: r.reason for r in copy(source, target, ConflictPolicy.NEWER).results}
    assert reasons == {"same": "already up to date", "kept": "target is newer, kept"}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("became", ["file", "link"])
def test_an_older_entry_of_another_type_replaces_the_newer_one(
    dirs: tuple[Path, Path], became: str
) -> None:
    """A link turned into a file (or back) with an older time is a change all the same,
    as rsync --update has it: not "target is newer", kept for ever, mirror or not."""
    source, target = dirs
    put(source / "data", b"data", OLD)
    os.symlink("data", source / "entry") if became == "file" else put(source / "entry", b"x", NEW)
    assert copy(source, target, ConflictPolicy.NEWER).exit_code() == 0
    (source / "entry").unlink()
    if became == "file":
        put(source / "entry", b"now a file", OLD)
    else:
        os.symlink("data", source / "entry")
        os.utime(source / "entry", ns=(OLD, OLD), follow_symlinks=False)

    report = copy(source, target, ConflictPolicy.NEWER)

    assert report.exit_code() == 0, report.failures()
    assert os.path.islink(target / "entry") == (became == "link")
    assert report.count(FileStatus.COPIED) == 1


@pytest.mark.timeout(30)
def test_rename_keeps_both_and_picks_the_next_free_name(dirs: tuple[Path, Path]) -> None:
    source, target = dirs
    put(source / "doc.txt", b"source", NEW)
    put(source / "README", b"source readme", NEW)
    put(source / ".hidden", b"source dot", NEW)
    put(target / "doc.txt", b"target", OLD)
    put(target / "doc (2).txt", b"taken", OLD)
    put(target / "README", b"target readme", OLD)
    put(target / ".hidden", b"target dot", OLD)

    report = copy(source, target, ConflictPolicy.RENAME)

    assert report.exit_code() == 0
    assert report.count(FileStatus.RENAMED) == 3
    by_path = {r.path: r for r in report.results}
    assert by_path["doc.txt"].target_path == "doc (3).txt"
    assert (target / "doc.txt").read_bytes() == b"target"
    assert (target / "doc (2).txt").read_bytes() == b"taken"
    assert (target / "doc (3).txt").read_bytes() == b"source"
    assert (target / "doc (3).txt").stat().st_mtime_ns == NEW
    assert (target / "README").read_bytes() == b"target readme"
    assert (target / "README (2)").read_bytes() == b"source readme"
    assert (target / ".hidden").read_bytes() == b"target dot"
    assert (target / ".hidden (2)").read_bytes() == b"source dot"
    assert not [n for n in os.listdir(target) if n.startswith(".ferry-")]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("dry_run", [False, True], ids=["copy", "plan"])
def test_a_file_made_private_turns_private_in_its_kept_both_copy(
    dirs: tuple[Path, Path], dry_run: bool
) -> None:
    """Keep both, once more, finds the numbered copy an earlier run made: a source made
    private since (a new mode, an attribute) was still readable by all in it, for good;
    it is set again there now, as at the source's own name, and the plan says so."""
    source, target = dirs
    put(source / "key.txt", b"source", NEW)
    put(target / "key.txt", b"target", OLD)
    assert copy(source, target, ConflictPolicy.RENAME).exit_code() == 0
    os.chmod(source / "key.txt", 0o600)
    os.setxattr(source / "key.txt", "user.origin", b"vault")

    options = CopyOptions(on_conflict=ConflictPolicy.RENAME, dry_run=dry_run)
    report = CopyJob(str(source), str(target), options).run()

    assert report.exit_code() == 0, report.failures()
    (result,) = report.results
    assert result.why == Reason(Code.METADATA_TO_REFRESH if dry_run else Code.METADATA_REFRESHED)
    kept = target / "key (2).txt"
    assert stat.S_IMODE(kept.stat().st_mode) == (0o644 if dry_run else 0o600)
    assert os.listxattr(kept) == ([] if dry_run else ["user.origin"])
    assert (target / "key.txt").read_bytes() == b"target"
    assert sorted(os.listdir(target)) == ["key (2).txt", "key.txt"]


@pytest.mark.timeout(30)
def test_keep_both_fits_the_number_into_a_name_of_255_bytes(dirs: tuple[Path, Path]) -> None:
    """ "b." and 253 e's: the number went before an extension with no room left for it,
    and the copy failed with "File name too long" (the plan said "rename")."""
    source, target = dirs
    long_ext, long_stem = "b." + "e" * 253, "é" * 125 + ".txt"  # 255 and 254 bytes
    for name in (long_ext, long_stem):
        put(source / name, b"source", NEW)
        put(target / name, b"target", OLD)

    report = copy(source, target, ConflictPolicy.RENAME)

    assert report.exit_code() == 0, report.failures()
    kept = {r.path: r.target_path for r in report.results}
    assert kept[long_ext] == long_ext[:251] + " (2)"
    assert kept[long_stem] == "é" * 123 + " (2).txt"  # cut at a character, not in one
    for name in kept.values():
        assert len(os.fsencode(name)) <= 255 and (target / name).read_bytes() == b"source"


@pytest.mark.timeout(30)
def test_a_folder_where_a_file_goes_fails_that_file_only(dirs: tuple[Path, Path]) -> None:
    source, target = dirs
    put(source / "clash", b"file", NEW)
    put(source / "ok", b"ok", NEW)
    (target / "clash").mkdir(parents=True)
    (target / "clash" / "keep").write_bytes(b"keep")
    report = copy(source, target, ConflictPolicy.OVERWRITE)
    by_path = {r.path: r for r in report.results}
    assert by_path["clash"].status is FileStatus.FAILED
    assert by_path["clash"].reason
    assert by_path["ok"].status is FileStatus.COPIED
    assert (target / "clash" / "keep").read_bytes() == b"keep"
    assert report.exit_code() == 1


@pytest.mark.timeout(60)
def test_ask_per_file_then_apply_to_all(dirs: tuple[Path, Path]) -> None:
    """RENAME one, SKIP one, then OVERWRITE with apply_to_all settles every other conflict."""
    source, target = dirs
    names = [f"c{index}.txt" for index in range(6)]
    for name in names:
        put(source / name, b"source " + name.encode(), NEW)
        put(target / name, b"target " + name.encode(), OLD)
    for index in range(5):
        put(source / f"plain{index}", b"plain", NEW)

    answers = [
        (ConflictPolicy.RENAME, False),
        (ConflictPolicy.SKIP, False),
        (ConflictPolicy.OVERWRITE, True),
    ]
    asked: list[str] = []
    decided: dict[str, ConflictPolicy] = {}
    recorder = Recorder()
    job = CopyJob(
        str(source), str(target), CopyOptions(on_conflict=ConflictPolicy.ASK), on_event=recorder
    )

    def answer(event: object) -> None:
        if isinstance(event, ConflictQuestion):
            assert event.result.status is FileStatus.CONFLICT
            assert event.result.target_mtime_ns == OLD
            assert event.result.source_mtime_ns == NEW
            asked.append(event.result.path)
            if len(asked) <= len(answers):
                decision, to_all = answers[len(asked) - 1]
                decided[event.result.path] = decision
                job.resolve_conflict(event.conflict_id, decision, apply_to_all=to_all)

    recorder.hooks.append(answer)
    report = job.run()

    assert report.exit_code() == 0
    assert len(asked) >= 3
    renamed = [p for p, d in decided.items() if d is ConflictPolicy.RENAME]
    skipped = [p for p, d in decided.items() if d is ConflictPolicy.SKIP]
    by_path = {r.path: r for r in report.results}
    assert len(by_path) == 11
    assert all(r.status is not FileStatus.CONFLICT for r in report.results)
    for name in names:
        stem = name.removesuffix(".txt")
        if name in renamed:
            assert by_path[name].status is FileStatus.RENAMED
            assert (target / name).read_bytes() == b"target " + name.encode()
            assert (target / f"{stem} (2).txt").read_bytes() == b"source " + name.encode()
        elif name in skipped:
            assert by_path[name].status is FileStatus.SKIPPED
            assert (target / name).read_bytes() == b"target " + name.encode()
        else:  # decided by "apply to all", asked or not
            assert by_path[name].status is FileStatus.COPIED, by_path[name]
            assert (target / name).read_bytes() == b"source " + name.encode()
    assert report.count(FileStatus.COPIED) == 5 + 4


@pytest.mark.timeout(60)
def test_ask_does_not_stall_other_files(dirs: tuple[Path, Path]) -> None:
    """Files without a conflict finish while a question waits for its answer."""
    source, target = dirs
    put(source / "conflict.txt", b"new", NEW)
    put(target / "conflict.txt", b"old", OLD)
    for index in range(300):  # more than one batch
        put(source / "many" / f"f{index}", b"x" * index, NEW)
    recorder = Recorder()
    job = CopyJob(
        str(source), str(target), CopyOptions(on_conflict=ConflictPolicy.ASK), on_event=recorder
    )
    questions: list[ConflictQuestion] = []
    others_done = threading.Event()

    def watch(event: object) -> None:
        if isinstance(event, ConflictQuestion):
            questions.append(event)
        done = [r for r in recorder.results() if r.path.startswith("many")]
        if len(done) == 300:
            others_done.set()
        if others_done.is_set() and questions and len(questions) == 1:
            job.resolve_conflict(questions[0].conflict_id, ConflictPolicy.SKIP)
            questions.append(questions[0])  # answered once only

    recorder.hooks.append(watch)
    result: list[object] = []
    runner = threading.Thread(target=lambda: result.append(job.run()))
    runner.start()
    assert others_done.wait(40), "files without a conflict waited for the question"
    runner.join(20)
    assert not runner.is_alive(), "the job did not finish after the answer"
    report = result[0]
    assert report.count(FileStatus.COPIED) == 300
    assert report.count(FileStatus.SKIPPED) == 1
    assert (target / "conflict.txt").read_bytes() == b"old"


@pytest.mark.timeout(60)
def test_time_spent_waiting_for_nothing_but_an_answer_is_no_copy_time(
    dirs: tuple[Path, Path],
) -> None:
    """A question answered after a coffee: the summary said "1 KiB in 3:02, average
    6 B/s" (review of the window). The clock stands still while only answers are awaited,
    as it does while paused; not while other files are copied meanwhile."""
    source, target = dirs
    put(source / "conflict.txt", b"new", NEW)
    put(target / "conflict.txt", b"old", OLD)
    recorder = Recorder()
    job = CopyJob(
        str(source), str(target), CopyOptions(on_conflict=ConflictPolicy.ASK), on_event=recorder
    )

    def answer_late(event: object) -> None:
        if isinstance(event, ConflictQuestion):
            answer = (event.conflict_id, ConflictPolicy.SKIP)
            threading.Timer(3.0, job.resolve_conflict, answer).start()

    recorder.hooks.append(answer_late)
    started = time.monotonic()
    report = job.run()
    took = time.monotonic() - started

    assert report.count(FileStatus.SKIPPED) == 1
    assert took >= 3.0
    assert report.seconds < took - 2.5, (report.seconds, took)


@pytest.mark.timeout(60)
def test_skip_identical_for_all_skips_same_content_and_asks_again_about_the_rest(
    dirs: tuple[Path, Path],
) -> None:
    """Same bytes under another mtime are skipped; a file that differs is asked again."""
    source, target = dirs
    for index in range(3):
        put(source / f"same{index}.txt", b"same bytes", NEW)
        put(target / f"same{index}.txt", b"same bytes", OLD)
    put(source / "other.txt", b"source bytes", NEW)
    put(target / "other.txt", b"target bytes", OLD)  # same size, other content
    recorder = Recorder()
    job = CopyJob(
        str(source), str(target), CopyOptions(on_conflict=ConflictPolicy.ASK), on_event=recorder
    )
    asked: list[str] = []

    def answer(event: object) -> None:
        if not isinstance(event, ConflictQuestion):
            return
        asked.append(event.result.path)
        if len(asked) == 1:
            job.resolve_conflict(event.conflict_id, ConflictPolicy.SKIP_IDENTICAL, True)
        else:  # only a file that differs comes back
            assert event.result.path == "other.txt"
            job.resolve_conflict(event.conflict_id, ConflictPolicy.OVERWRITE)

    recorder.hooks.append(answer)
    report = job.run()

    by_path = {r.path: r for r in report.results}
    for index in range(3):
        result = by_path[f"same{index}.txt"]
        assert result.status is FileStatus.SKIPPED
        assert result.why is not None and result.why.code is Code.SAME_CONTENT
        assert (target / f"same{index}.txt").stat().st_mtime_ns == OLD  # untouched
    assert asked.count("other.txt") == (2 if asked[0] == "other.txt" else 1)
    assert by_path["other.txt"].status is FileStatus.COPIED
    assert (target / "other.txt").read_bytes() == b"source bytes"
    assert report.exit_code() == 0


@pytest.mark.timeout(60)
def test_answers_given_before_the_job_decide_their_files_in_the_plan_and_the_copy(
    dirs: tuple[Path, Path],
) -> None:
    """A preview's answers (Ask policy): planned as answered, copied without asking."""
    source, target = dirs
    for name in ("replace.txt", "skip.txt", "both.txt", "ask.txt"):
        put(source / name, b"new " + name.encode(), NEW)
        put(target / name, b"old", OLD)
    answers = (
        Answer("replace.txt", ConflictPolicy.OVERWRITE, len(b"old"), OLD),
        Answer("skip.txt", ConflictPolicy.SKIP, len(b"old"), OLD),
        Answer("both.txt", ConflictPolicy.RENAME, len(b"old"), OLD),
    )
    options = CopyOptions(on_conflict=ConflictPolicy.ASK, decisions=answers)
    plan = CopyJob(str(source), str(target), replace(options, dry_run=True)).run()
    assert {r.path: r.action for r in plan.results} == {
        "replace.txt": "replace",
        "skip.txt": "skip",
        "both.txt": "rename",
        "ask.txt": "ask",
    }

    recorder = Recorder()
    job = CopyJob(str(source), str(target), options, on_event=recorder)
    asked: list[str] = []

    def answer(event: object) -> None:
        if isinstance(event, ConflictQuestion):
            asked.append(event.result.path)
            job.resolve_conflict(event.conflict_id, ConflictPolicy.SKIP)

    recorder.hooks.append(answer)
    report = job.run()
    assert asked == ["ask.txt"]
    assert report.exit_code() == 0
    assert (target / "replace.txt").read_bytes() == b"new replace.txt"
    assert (target / "skip.txt").read_bytes() == b"old"
    assert (target / "both.txt").read_bytes() == b"old"
    assert (target / "both (2).txt").read_bytes() == b"new both.txt"
    assert (target / "ask.txt").read_bytes() == b"old"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mirror", [False, True], ids=["copy", "mirror"])
def test_keep_both_again_finds_its_earlier_copy_instead_of_adding_one(
    tmp_path: Path, mirror: bool
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "f.txt").write_bytes(b"the source's")
    os.utime(source / "f.txt", ns=(NEW, NEW))
    os.symlink("f.txt", source / "link")
    (target / "f.txt").write_bytes(b"the target's own")
    os.utime(target / "f.txt", ns=(OLD, OLD))
    os.symlink("elsewhere", target / "link")
    options = CopyOptions(on_conflict=ConflictPolicy.RENAME, mirror=mirror)

    first = CopyJob(str(source), str(target), options).run()
    plan = CopyJob(str(source), str(target), replace(options, dry_run=True)).run()
    again = CopyJob(str(source), str(target), options).run()

    assert first.count(FileStatus.RENAMED) == 2, first.results
    assert sorted(os.listdir(target)) == ["f (2).txt", "f.txt", "link", "link (2)"]
    assert again.exit_code() == 0, again.failures()
    kept = {r.path: (r.status, r.target_path, r.reason) for r in again.results}
    assert kept["f.txt"] == (FileStatus.SKIPPED, "f (2).txt", "already up to date")
    assert kept["link"] == (FileStatus.SKIPPED, "link (2)", "already up to date")
    assert again.deleted == 0
    assert {r.path: r.action for r in plan.results} == {"f.txt": "skip", "link": "skip"}


@pytest.mark.timeout(60)
def test_an_answer_for_all_leaves_a_file_answered_before_alone(dirs: tuple[Path, Path]) -> None:
    """A preview's answer for one file ("keep both") stands when, during the copy, another
    question is answered "replace, for all": that answer was about the other files."""
    source, target = dirs
    put(source / "ask.txt", b"new", NEW)
    put(target / "ask.txt", b"old", OLD)
    for index in range(5000):  # batches still waiting when the answer comes
        put(source / "f" / f"{index:04d}", b"x", OLD)
    put(source / "f" / "zz" / "both.txt", b"the source's", NEW)
    put(target / "f" / "zz" / "both.txt", b"keep me", OLD)
    answered = (Answer("f/zz/both.txt", ConflictPolicy.RENAME, len(b"keep me"), OLD),)
    options = CopyOptions(workers=1, on_conflict=ConflictPolicy.ASK, decisions=answered)
    job: CopyJob

    def on_event(event: object) -> None:
        if isinstance(event, ConflictQuestion):
            job.resolve_conflict(event.conflict_id, ConflictPolicy.OVERWRITE, apply_to_all=True)

    job = CopyJob(str(source), str(target), options, on_event=on_event)
    report = job.run()

    assert report.exit_code() == 0, report.failures()
    assert (target / "ask.txt").read_bytes() == b"new"
    assert (target / "f" / "zz" / "both.txt").read_bytes() == b"keep me"
    assert (target / "f" / "zz" / "both (2).txt").read_bytes() == b"the source's"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("for_all", [False, True], ids=["asked", "answered-for-all"])
def test_an_answer_about_a_target_saved_anew_since_the_preview_does_not_stand(
    dirs: tuple[Path, Path], for_all: bool
) -> None:
    """A "replace" answered about the old file a preview found must not replace the file
    saved there since: that file is asked about (or decided "for all") like any other."""
    source, target = dirs
    put(source / "notes.txt", b"the source's", NEW)
    put(target / "notes.txt", b"old", OLD)
    put(source / "other.txt", b"new", NEW)
    put(target / "other.txt", b"old", OLD)
    answers = (
        Answer("notes.txt", ConflictPolicy.OVERWRITE, len(b"old"), OLD),
        Answer("other.txt", ConflictPolicy.OVERWRITE, len(b"old"), OLD),
    )
    options = CopyOptions(workers=1, on_conflict=ConflictPolicy.ASK, decisions=answers)
    put(target / "notes.txt", b"typed after the preview", NEW + 10**9)  # saved anew

    plan = CopyJob(str(source), str(target), replace(options, dry_run=True)).run()
    assert {r.path: r.action for r in plan.results} == {"notes.txt": "ask", "other.txt": "replace"}

    asked: list[str] = []
    job: CopyJob

    def on_event(event: object) -> None:
        if isinstance(event, ConflictQuestion):
            asked.append(event.result.path)
            policy = ConflictPolicy.RENAME if for_all else ConflictPolicy.SKIP
            job.resolve_conflict(event.conflict_id, policy, apply_to_all=for_all)

    job = CopyJob(str(source), str(target), options, on_event=on_event)
    report = job.run()

    assert report.exit_code() == 0, report.failures()
    assert asked == ["notes.txt"]
    assert (target / "notes.txt").read_bytes() == b"typed after the preview"
    assert (target / "other.txt").read_bytes() == b"new"  # its answer stood
    assert (target / "notes (2).txt").exists() is for_all


def test_a_new_owner_is_copied_again_by_root_only_and_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size and time, another owner: copied again under the default policy where the
    copy's owner is the copier's doing (root), and only while the source's change is
    newer than the copy, on a target that keeps change times."""
    (tmp_path / "copy").write_bytes(b"x")
    copy = os.stat(tmp_path / "copy")
    chowned = StatFacts(
        copy.st_mode, copy.st_size, copy.st_mtime_ns, copy.st_uid + 1, copy.st_ctime_ns, 1
    )
    again = Decision(Action.REPLACE, Reason(Code.OWNER_CHANGED))
    up_to_date = Reason(Code.UP_TO_DATE)
    monkeypatch.setattr(devices, "gives_away", lambda device: True)
    os.utime(tmp_path / "copy", ns=(0, copy.st_mtime_ns - 10**9))  # as a copy's: older
    copy = os.stat(tmp_path / "copy")
    chowned = chowned._replace(mtime_ns=copy.st_mtime_ns, ctime_ns=copy.st_ctime_ns)
    assert decide(ConflictPolicy.NEWER, chowned, copy) == again
    for policy in (ConflictPolicy.SKIP, ConflictPolicy.RENAME, ConflictPolicy.ASK):
        assert decide(policy, chowned, copy).why == up_to_date, policy
    before = chowned._replace(ctime_ns=copy.st_ctime_ns - 1)  # the copy was made after it
    assert decide(ConflictPolicy.NEWER, before, copy).why == up_to_date
    same_owner = chowned._replace(uid=copy.st_uid)
    assert decide(ConflictPolicy.NEWER, same_owner, copy).why == up_to_date
    linked = chowned._replace(nlink=2)  # its other names are linked to the new copy
    assert decide(ConflictPolicy.NEWER, linked, copy) == again
    times = {"st_atime_ns": 0, "st_mtime_ns": copy.st_mtime_ns}
    mtime_as_ctime = os.stat_result(copy[:10], {**times, "st_ctime_ns": copy.st_mtime_ns})
    assert decide(ConflictPolicy.NEWER, chowned, mtime_as_ctime).why == up_to_date  # sshfs
    monkeypatch.setattr(devices, "gives_away", lambda device: False)  # copier's own
    assert decide(ConflictPolicy.NEWER, chowned, copy).why == up_to_date


@pytest.mark.skipif(os.geteuid() != 0, reason="whose copies are their sources' owners': root's")
def test_copies_belong_to_their_sources_owners_only_where_the_file_system_keeps_owners(
    tmp_path: Path,
) -> None:
    assert devices.gives_away(os.stat(tmp_path).st_dev)  # ext4 or tmpfs here
    assert not devices.gives_away(os.stat("/proc").st_dev)  # procfs: no owners of its own


# --- file systems that keep times coarsely ----------------------------------------------

TWO_SECONDS = 2 * 10**9


def link_to(path: Path, text: str, mtime_ns: int) -> None:
    os.symlink(text, path)
    os.utime(path, ns=(mtime_ns, mtime_ns), follow_symlinks=False)


def run(source: Path, target: Path, policy: ConflictPolicy, **options: object) -> CopyReport:
    return CopyJob(str(source), str(target), CopyOptions(on_conflict=policy, **options)).run()  # type: ignore[arg-type]


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "step", [1, 100, 10**7, 10**9, TWO_SECONDS], ids=["ns", "NTFS", "exFAT", "1s", "vfat"]
)
def test_a_rerun_onto_a_file_system_that_cuts_times_copies_nothing(
    tmp_path: Path, step: int
) -> None:
    """vfat keeps times to 2 s (exFAT 10 ms, NTFS 100 ns): a copy there shows its
    source's time cut down. Each re-run copied every file again, "keep both" made a
    numbered copy of each, a move left every source where it was, and a second name of a
    hard-linked file failed ("the copy it should be linked to was replaced"). What a
    file system keeps is seen in the times, not asked of its type: FUSE, SMB and ext4
    with small inodes do not say."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (backing / "dst").mkdir(parents=True)
    saved = OLD + 1_234_567_891  # OLD is an even second
    put(source / "a.txt", b"hello", saved)
    put(source / "sub" / "b", b"x" * 5000, OLD + 987_654_321)
    put(source / "c", b"12345", OLD + 700_000_000)
    os.link(source / "a.txt", source / "sub" / "a-too")
    link_to(source / "l", "there", OLD + 1_500_000_000)
    # A copy made within a step of its source's last change would have its mode set once
    # more on the next run: its change time, cut, cannot tell that it came later.
    time.sleep(step / 10**9)
    with mounted(backing, tmp_path / "mnt", time_step=step) as mount:
        target = mount.point / "dst"
        first = run(source, target, ConflictPolicy.NEWER)
        assert first.exit_code() == 0, first.failures()
        assert os.stat(target / "a.txt").st_mtime_ns == saved - saved % step  # as kept

        for policy in (ConflictPolicy.NEWER, ConflictPolicy.RENAME, ConflictPolicy.SKIP):
            plan = run(source, target, policy, dry_run=True)
            again = run(source, target, policy)
            assert {r.action for r in plan.results} == {"skip"}, (policy, plan.results)
            assert {r.reason for r in again.results} == {"already up to date"}, policy
        names = sorted(p.name for p in backing.rglob("*"))
        assert names == ["a-too", "a.txt", "b", "c", "dst", "l", "sub"]

        put(source / "sub" / "b", b"y" * 5000, OLD + TWO_SECONDS + 987_654_321)  # a step on
        put(source / "c", b"123456", OLD + 1_500_000_000)  # within the step, another size
        os.unlink(source / "l")
        link_to(source / "l", "where", OLD + 1_500_000_000)  # retargeted, its time kept
        assert run(source, target, ConflictPolicy.NEWER).count(FileStatus.COPIED) == 3
        assert (backing / "dst" / "sub" / "b").read_bytes() == b"y" * 5000
        assert (backing / "dst" / "c").read_bytes() == b"123456"
        assert os.readlink(backing / "dst" / "l") == "where"

        moved = run(source, target, ConflictPolicy.NEWER, move=True)
    assert moved.exit_code() == 0, moved.failures()
    assert [p for p in source.rglob("*") if not p.is_dir()] == []  # every source removed


@pytest.mark.timeout(120)
def test_a_file_system_mounted_inside_the_target_is_probed_as_the_target_is(
    tmp_path: Path,
) -> None:
    """A card's vfat mounted at `dst/card`, the target root on ext4: only the root was
    probed, so on the card a second name that differs only in case or trailing dots
    replaced the first one's copy (both said copied, exit 0), and every re-run copied
    every file there again. The workers get the step it found with each batch: a second
    name copied on its own (no hard links there) is up to date by its time. A plan reads
    the card's ways off the names and times there."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, target, card = tmp_path / "src", tmp_path / "dst", tmp_path / "card"
    files = {"README": b"upper", "readme": b"lower", "Wait": b"plain", "Wait...": b"dots"}
    for number, (name, data) in enumerate(files.items()):
        put(source / "card" / name, data, OLD + 1_234_567_891 + number)
    put(source / "card" / "sub" / "f", b"in a folder made on the card", OLD + 987_654_321)
    os.link(source / "card" / "sub" / "f", source / "card" / "f-too")  # copied on its own
    for path in (source / "card").rglob("*"):
        os.chmod(path, 0o755)  # the mode the card shows: nothing to set again
    put(source / "top", b"on the target root", OLD + 1)
    (target / "card").mkdir(parents=True)
    card.mkdir()
    like_vfat = {
        "fold": True,
        "ends_dropped": ".",
        "time_step": TWO_SECONDS,
        "links": False,
        "fixed_mode": 0o755,
    }

    with mounted(card, target / "card", **like_vfat):
        first = run(source, target, ConflictPolicy.NEWER, workers=2)
        plan = run(source, target, ConflictPolicy.NEWER, mirror=True, dry_run=True)
        again = run(source, target, ConflictPolicy.NEWER, workers=2, mirror=True)
        both = run(source, target, ConflictPolicy.RENAME, workers=2)

    failed = {r.path for r in first.results if r.status is FileStatus.FAILED}
    assert len(failed) == 2, first.results
    assert all("differs only in case" in r.reason for r in first.results if r.path in failed)
    for pair in (("README", "readme"), ("Wait", "Wait...")):
        (landed,) = (name for name in pair if os.path.join("card", name) not in failed)
        (there,) = (path for path in card.iterdir() if path.name in pair)  # as it was named
        assert there.read_bytes() == files[landed]
    assert (card / "f-too").read_bytes() == (card / "sub" / "f").read_bytes()
    assert {r.path for r in again.results if r.status is FileStatus.FAILED} == failed
    assert {r.reason for r in again.results if r.path not in failed} == {"already up to date"}
    assert again.deleted == 0
    assert {r.path for r in plan.results if r.status is FileStatus.FAILED} == failed
    # As the copy finds, read off the card; but a plan writes nothing, so it cannot know
    # that the card keeps no hard links: it plans to link the second name (see README).
    second_names = {os.path.join("card", "f-too"), os.path.join("card", "sub", "f")}
    assert {r.action for r in plan.results if r.path not in second_names} == {"skip"}
    assert {r.reason for r in both.results if r.path not in failed} == {"already up to date"}


@pytest.mark.timeout(120)
def test_a_file_system_that_shows_one_mode_for_all_is_not_refreshed_run_after_run(
    tmp_path: Path,
) -> None:
    """exfat-fuse and ntfs-3g ("fuseblk") show 0777 whatever chmod sets: each re-run found
    every copy's mode other than its source's, set it again (nothing changed) and said so
    of every file. Found so by the first refresh, the job stops asking there."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, target, backing = tmp_path / "src", tmp_path / "mnt", tmp_path / "backing"
    for number in range(6):
        put(source / f"f{number}", b"data", OLD)
        os.chmod(source / f"f{number}", 0o644)
    backing.mkdir()
    target.mkdir()

    with mounted(backing, target, fixed_mode=0o777):
        runs = [run(source, target / "t", ConflictPolicy.NEWER, workers=2) for _ in range(3)]

    for again in runs[1:]:
        assert {r.reason for r in again.results} == {"already up to date"}, again.results
    assert stat.S_IMODE((backing / "t" / "f0").stat().st_mode) == 0o777


@pytest.mark.timeout(120)
def test_a_read_only_file_system_inside_the_target_is_read_for_how_it_keeps_times(
    tmp_path: Path,
) -> None:
    """No probe file can be made on a read-only card mounted inside the target (nor on a
    full one): its copies, cut to 2 s, were compared to the nanosecond, and every file
    failed ("Read-only file system") where each was up to date. The job now reads the
    step off the times there. (A read-only target root is refused before anything.)"""
    if reason := fuse_available():
        pytest.skip(reason)
    source, target, card = tmp_path / "src", tmp_path / "dst", tmp_path / "card"
    files = {os.path.join("card", "DCIM", "a"), os.path.join("card", "DCIM", "sub", "b")}
    for number, path in enumerate(sorted(files)):  # (a camera's card: DCIM at its top)
        put(source / path, b"photo", OLD + 987_654_321 + number)
        os.chmod(source / path, 0o755)
    (target / "card").mkdir(parents=True)
    card.mkdir()
    time.sleep(TWO_SECONDS / 10**9)  # (copies made within the step would look older)
    with mounted(card, target / "card", time_step=TWO_SECONDS):
        assert run(source, target, ConflictPolicy.NEWER).exit_code() == 0
    with mounted(card, target / "card", read_only=True, time_step=TWO_SECONDS):
        again = run(source, target, ConflictPolicy.NEWER)

    assert {r.path: r.reason for r in again.results if r.path in files} == dict.fromkeys(
        files, "already up to date"
    )
    assert again.exit_code() == 0, again.failures()  # its folders are as their sources too


@pytest.mark.timeout(60)
def test_where_no_probe_can_be_made_only_change_times_prove_a_coarse_step(
    tmp_path: Path,
) -> None:
    """A card inside the target that keeps nanoseconds, shows each file's modification
    time as its change time (as many FUSE file systems do), and refuses the probe's name:
    read off its whole-second copy times, it looked like a 2 s file system, and a photo
    saved again 1.3 s later at its size was "already up to date", exit 0. Only a time
    set and read back (the folder's own, here) or change times of their own prove it."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, target, card = tmp_path / "src", tmp_path / "dst", tmp_path / "card"
    photo = os.path.join("card", "DCIM", "a.jpg")
    put(source / photo, b"photo v1", OLD)  # OLD is a whole (even) second
    os.chmod(source / photo, 0o755)
    (target / "card").mkdir(parents=True)
    card.mkdir()
    with mounted(card, target / "card", fixed_mode=0o755, refused="\u00e9"):
        assert run(source, target, ConflictPolicy.NEWER).exit_code() == 0
        put(source / photo, b"photo v2", OLD + 1_300_000_000)
        os.chmod(source / photo, 0o755)
        again = run(source, target, ConflictPolicy.NEWER)

    assert {r.path: r.status for r in again.results} == {photo: FileStatus.COPIED}
    assert (card / "DCIM" / "a.jpg").read_bytes() == b"photo v2"


@pytest.mark.timeout(60)
def test_a_rerun_onto_a_full_stick_finds_its_copies_up_to_date(tmp_path: Path) -> None:
    """A full vfat stick takes no probe file, and shows each file's modification time as
    its change time, so nothing there proves its 2 s step: every unchanged file was
    copied again and failed, "the target disk is full". The folder's own time, set and
    read back (and restored), shows the step."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    for number, name in enumerate(("a.jpg", "b.jpg", os.path.join("DCIM", "c.jpg"))):
        put(source / name, b"photo", OLD + 1_234_567_891 + number)
        os.chmod(source / name, 0o755)
    (backing / "stick").mkdir(parents=True)
    stick = {"time_step": TWO_SECONDS, "fixed_mode": 0o755}
    with mounted(backing, tmp_path / "mnt", **stick) as mount:
        assert run(source, mount.point / "stick", ConflictPolicy.NEWER).exit_code() == 0
    folder_time = os.stat(backing / "stick").st_mtime_ns
    with mounted(backing, tmp_path / "mnt", full=True, **stick) as mount:
        again = run(source, mount.point / "stick", ConflictPolicy.NEWER)

    assert again.exit_code() == 0, again.failures()
    assert {r.reason for r in again.results} == {"already up to date"}
    kept = folder_time - folder_time % TWO_SECONDS  # (the stick keeps its time so)
    assert os.stat(backing / "stick").st_mtime_ns == kept  # its own time back


@pytest.mark.timeout(60)
def test_a_whole_second_copy_time_on_a_disk_that_keeps_nanoseconds_is_its_own(
    dirs: tuple[Path, Path],
) -> None:
    """A file whose time is a whole second (from an archive, or a disk that keeps
    seconds), saved again 1.3 s later with its size kept, is copied: only a copy whose
    file system cuts times (its change and access times show it) may show a cut time."""
    source, target = dirs
    put(source / "f", b"version 1", OLD)
    assert copy(source, target, ConflictPolicy.NEWER).exit_code() == 0
    put(source / "f", b"version 2", OLD + 1_300_000_000)

    again = copy(source, target, ConflictPolicy.NEWER)

    assert again.count(FileStatus.COPIED) == 1, again.results
    assert (target / "f").read_bytes() == b"version 2"


@pytest.mark.timeout(60)
def test_a_rerun_onto_vfat_sets_no_mode_again(tmp_path: Path) -> None:
    """vfat keeps one time for a file's modification and change: a copy's change time
    never looked later than its source's, so every re-run set every file's mode and
    attributes again ("already up to date; its mode ... set again"), for nothing."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (backing / "dst").mkdir(parents=True)
    for name in ("a", "b"):
        put(source / name, b"data", OLD + 1_234_567_891)
        os.chmod(source / name, 0o755)  # the mode the file system shows: nothing to set
    with mounted(backing, tmp_path / "mnt", time_step=TWO_SECONDS, fixed_mode=0o755) as mount:
        target = mount.point / "dst"
        assert run(source, target, ConflictPolicy.NEWER).exit_code() == 0
        again = [run(source, target, ConflictPolicy.NEWER) for _ in range(2)]

    for report in again:
        assert {r.reason for r in report.results} == {"already up to date"}


@pytest.mark.timeout(60)
def test_a_move_into_a_new_folder_on_a_file_system_that_cuts_times_removes_its_sources(
    tmp_path: Path,
) -> None:
    """The time probe was skipped where the job made the target: its copies' cut times
    then did not look like their sources', and every source stayed (exit 0)."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    backing.mkdir()
    put(source / "a", b"data", OLD + 1_234_567_891)
    with mounted(backing, tmp_path / "mnt", time_step=TWO_SECONDS) as mount:
        moved = run(source, mount.point / "new", ConflictPolicy.NEWER, move=True)

    assert moved.exit_code() == 0, moved.failures()
    assert os.listdir(source) == []
    assert (backing / "new" / "a").read_bytes() == b"data"


@pytest.mark.timeout(60)
def test_a_probe_left_under_this_very_pid_is_probed_over(tmp_path: Path) -> None:
    """In a container every job is pid 1, so a probe a killed run left has this run's
    name: it could not be made, and the job took the target for one that keeps
    nanoseconds (a move onto vfat left every source, exit 0)."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (backing / "dst").mkdir(parents=True)
    (backing / "dst" / probe_name()).write_bytes(b"")  # this process runs the job
    put(source / "a", b"data", OLD + 1_234_567_891)
    put(backing / "dst" / "a", b"data", OLD)  # its copy, as vfat keeps it
    with mounted(backing, tmp_path / "mnt", time_step=TWO_SECONDS) as mount:
        moved = run(source, mount.point / "dst", ConflictPolicy.NEWER, move=True)

    assert moved.exit_code() == 0, moved.failures()
    assert os.listdir(source) == []
    assert os.listdir(backing / "dst") == ["a"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("end", [".", " ", "swapcase"], ids=["dot", "space", "case"])
def test_a_file_planted_under_a_probe_s_other_name_proves_nothing(tmp_path: Path, end: str) -> None:
    """The probe's name is known (a container's pid is 1): a file planted at it plus a
    dot made an ext4 target look like one that drops trailing dots, and `notes.` failed
    as a clash with `notes` (not copied, and a mirror kept an extra `x.` for the source's
    `x`). Only the probe itself, found under another name, counts."""
    source, target = tmp_path / "src", tmp_path / "dst"
    target.mkdir()
    planted = probe_name().swapcase() if end == "swapcase" else probe_name() + end
    (target / planted).write_bytes(b"planted")
    names = {"notes": b"1", "notes.": b"2", "notes ": b"3", "Notes": b"4", "x": b"5"}
    for name, data in names.items():
        put(source / name, data, OLD)
    (target / "x.").write_bytes(b"an extra")

    report = run(source, target, ConflictPolicy.NEWER, mirror=True)

    assert report.exit_code() == 0, report.failures()
    assert {name: (target / name).read_bytes() for name in names} == names
    assert not (target / "x.").exists()


@pytest.mark.timeout(60)
def test_a_file_system_that_rounds_times_is_compared_exactly(tmp_path: Path) -> None:
    """A copy on a file system that rounds to the second shows a time after its source's
    save: taken for a cut, a save 0.5 s later looked like the copy's time, and was left
    uncopied ("already up to date"), exit 0."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (backing / "dst").mkdir(parents=True)
    put(source / "a", b"ver1", OLD + 700_000_000)
    with mounted(backing, tmp_path / "mnt", time_step=10**9, time_rounded=True) as mount:
        target = mount.point / "dst"
        assert run(source, target, ConflictPolicy.NEWER).exit_code() == 0
        assert os.stat(target / "a").st_mtime_ns == OLD + 10**9  # rounded up
        put(source / "a", b"ver2", OLD + 1_200_000_000)
        again = run(source, target, ConflictPolicy.NEWER)

    assert again.count(FileStatus.COPIED) == 1, again.results
    assert (backing / "dst" / "a").read_bytes() == b"ver2"


def _bind(name: str) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(name)


def test_a_replacement_of_another_type_names_the_type_it_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "an entry of another type (a file, a link or a special file)": which one
    was overwritten, a link to elsewhere or someone's pipe, the log did not tell."""
    source = tmp_path / "source"
    put(source, b"a file", OLD)
    there = tmp_path / "there"
    there.mkdir()
    monkeypatch.chdir(there)  # (a socket's path must be short: bound by its name)
    made = {
        "folder": lambda name: os.mkdir(name),
        "link": lambda name: os.symlink("elsewhere", name),
        "pipe": lambda name: os.mkfifo(name),
        "socket": _bind,
    }
    kinds = {
        "folder": Code.KIND_FOLDER,
        "link": Code.KIND_LINK,
        "pipe": Code.KIND_FIFO,
        "socket": Code.KIND_SOCKET,
    }
    if os.geteuid() == 0:  # (only root makes device nodes)
        made["char"] = lambda name: os.mknod(name, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        made["block"] = lambda name: os.mknod(name, stat.S_IFBLK | 0o600, os.makedev(7, 0))
        kinds |= {"char": Code.KIND_CHAR_DEVICE, "block": Code.KIND_BLOCK_DEVICE}
    for name, make in made.items():
        make(name)
    facts = StatFacts.of(os.lstat(source))
    said = {name: replaced_why(facts, os.lstat(there / name)) for name in made}
    assert said == {
        name: Reason(Code.REPLACED_OTHER_TYPE, (Reason(kind),)) for name, kind in kinds.items()
    }
    link = StatFacts.of(os.lstat(there / "link"))
    assert replaced_why(link, os.lstat(source)) == Reason(
        Code.REPLACED_OTHER_TYPE, (Reason(Code.KIND_FILE),)
    )
    assert str(said["pipe"]) == (
        "replaced what the target held at this name, an entry of another type: a named pipe (FIFO)"
    )
