"""Pause, resume and cancel of a running job, acting mid-file on real data."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest

from app.core.events import FileStatus, Progress
from app.core.job import CopyJob
from app.core.options import CopyOptions
from app.core.report import CopyReport
from tests.helpers import Recorder, active_done, file_digest, temps_under, wait_until

BIG = "big.bin"


def part_sizes(target: Path) -> list[int]:
    sizes = []
    for path in temps_under(target):
        with contextlib.suppress(FileNotFoundError):
            sizes.append(os.stat(os.path.join(os.fsencode(target), path)).st_size)
    return sizes


class Background:
    """run() of a job in a thread, so the test can watch and steer it."""

    def __init__(self, job: CopyJob) -> None:
        self.report: CopyReport | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.job = job
        self.thread.start()

    def _run(self) -> None:
        self.report = self.job.run()

    def join(self, timeout: float) -> CopyReport:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"the job did not finish within {timeout}s"
        assert self.report is not None
        return self.report


@pytest.mark.timeout(90)
def test_pause_halts_progress_and_resume_finishes(big_source: Path, big_area: Path) -> None:
    target = big_area / "dst"
    recorder = Recorder()
    job = CopyJob(str(big_source), str(target), CopyOptions(workers=1), on_event=recorder)
    paused_once: list[bool] = []

    def pause_once(event: object) -> None:
        if active_done(event, BIG) and not paused_once:
            paused_once.append(True)
            job.pause()

    recorder.hooks.append(pause_once)
    running = Background(job)

    wait_until(lambda: any(isinstance(e, Progress) and e.paused for e in recorder.events), 30)
    time.sleep(0.5)  # the promise: workers halt within 0.5 s, mid-file too
    sizes = part_sizes(target)
    assert len(sizes) == 1, "no temp file while paused mid-file"
    seen = len(recorder.events)
    time.sleep(1.5)
    assert part_sizes(target) == sizes, "the temp file grew while paused"
    during = [e for e in recorder.events[seen:] if isinstance(e, Progress)]
    assert during, "no progress events while paused"
    assert all(e.paused for e in during)
    assert len({e.bytes_done for e in during}) == 1, "bytes_done moved while paused"
    assert sizes[0] < big_source.joinpath(BIG).stat().st_size

    job.resume()
    report = running.join(60)
    assert report.exit_code() == 0
    assert report.count(FileStatus.COPIED) == 1
    assert file_digest(target / BIG) == file_digest(big_source / BIG)
    assert temps_under(target) == []
    assert not recorder.of(Progress)[-1].paused


@pytest.mark.timeout(90)
def test_cancel_mid_file_removes_temp_and_reports_cancelled(
    big_source: Path, big_area: Path
) -> None:
    target = big_area / "dst"
    recorder = Recorder()
    job = CopyJob(str(big_source), str(target), CopyOptions(workers=2), on_event=recorder)
    cancelled_at: list[float] = []

    def cancel(event: object) -> None:
        if active_done(event, BIG) and not cancelled_at:
            cancelled_at.append(time.monotonic())
            job.cancel()

    recorder.hooks.append(cancel)
    report = job.run()

    assert cancelled_at, "the copy finished before it could be cancelled"
    assert time.monotonic() - cancelled_at[0] < 10  # promise: 2 s; slack for a loaded CI
    assert report.cancelled
    assert report.exit_code() == 130
    assert temps_under(target) == []
    assert not (target / BIG).exists(), "a partial file under its real name"
    assert report.count(FileStatus.COPIED) == 0


@pytest.mark.timeout(90)
def test_cancel_mid_file_keeps_the_older_target_file_intact(
    big_source: Path, big_area: Path
) -> None:
    target = big_area / "dst"
    target.mkdir()
    old = target / BIG
    old.write_bytes(b"older version, must survive" * 1000)
    os.utime(old, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = file_digest(old)
    recorder = Recorder()
    job = CopyJob(str(big_source), str(target), CopyOptions(workers=1), on_event=recorder)
    recorder.hooks.append(lambda e: active_done(e, BIG) and job.cancel())

    report = job.run()

    assert report.cancelled
    assert file_digest(old) == before
    assert old.stat().st_mtime_ns == 1_000_000_000_000_000_000
    assert temps_under(target) == []


@pytest.mark.timeout(60)
def test_cancel_before_anything_is_copied_is_clean(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(50):
        (source / f"f{index}").write_bytes(b"x")
    job = CopyJob(str(source), str(target))
    job.cancel()
    report = job.run()
    assert report.cancelled
    assert report.exit_code() == 130
    assert temps_under(target) == []
