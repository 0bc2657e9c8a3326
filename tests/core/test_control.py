"""Pause, resume and cancel of a running job, acting mid-file on real data."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.core.events import FileStatus, Progress
from app.core.job import CopyJob
from app.core.options import CopyOptions
from tests.core.conftest import GATE_AT, Gated
from tests.helpers import (
    Background,
    Recorder,
    file_digest,
    steady,
    temps_under,
    wait_until,
    writing_sizes,
)

BIG = "big.bin"


def held_mid_file(
    gated: Gated, target: Path, workers: int = 1
) -> tuple[CopyJob, Background, Recorder]:
    """A job whose worker is held at the gate in big.bin (mid-file, whatever the timing)."""
    recorder = Recorder()
    job = CopyJob(str(gated.source), str(target), CopyOptions(workers=workers), on_event=recorder)
    running = Background(job)
    wait_until(lambda: gated.held() >= 1, 30)
    return job, running, recorder


def paused(recorder: Recorder) -> bool:
    return any(isinstance(e, Progress) and e.paused for e in recorder.events)


@pytest.mark.timeout(90)
def test_pause_halts_progress_and_resume_finishes(gated: Gated, big_area: Path) -> None:
    target = big_area / "dst"
    job, running, recorder = held_mid_file(gated, target)
    job.pause()
    wait_until(lambda: paused(recorder), 30)
    gated.open()  # the worker finishes its chunk, then stops between chunks
    seen = len(recorder.events)
    sizes = steady(lambda: writing_sizes(target), hold=1.5, timeout=5)  # halted, mid-file
    assert len(sizes) == 1, "no file being written while paused mid-file"
    assert GATE_AT <= sizes[0] < (gated.backing / BIG).stat().st_size
    during = [e for e in recorder.events[seen:] if isinstance(e, Progress)]
    assert during, "no progress events while paused"
    assert all(e.paused for e in during)
    assert len({e.bytes_done for e in during}) == 1, "bytes_done moved while paused"

    job.resume()
    report = running.join(60)
    assert report.exit_code() == 0
    assert report.count(FileStatus.COPIED) == 1
    assert file_digest(target / BIG) == file_digest(gated.backing / BIG)
    assert temps_under(target) == []
    assert not recorder.of(Progress)[-1].paused


@pytest.mark.timeout(90)
def test_cancel_mid_file_leaves_nothing_and_reports_cancelled(gated: Gated, big_area: Path) -> None:
    target = big_area / "dst"
    job, running, _ = held_mid_file(gated, target, workers=2)
    cancelled_at = time.monotonic()
    job.cancel()
    gated.open()
    report = running.join(60)

    assert time.monotonic() - cancelled_at < 10  # promise: 2 s; slack for a loaded CI
    assert report.cancelled
    assert report.exit_code() == 130
    assert temps_under(target) == []
    assert writing_sizes(target) == []
    assert not (target / BIG).exists(), "a partial file under its real name"
    [result] = report.results
    assert result.status is FileStatus.CANCELLED
    assert report.summary()["cancelled_files"] == 1


@pytest.mark.timeout(90)
def test_cancel_mid_file_keeps_the_older_target_file_intact(gated: Gated, big_area: Path) -> None:
    target = big_area / "dst"
    target.mkdir()
    old = target / BIG
    old.write_bytes(b"older version, must survive" * 1000)
    os.utime(old, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = file_digest(old)
    job, running, _ = held_mid_file(gated, target)
    job.cancel()
    gated.open()
    report = running.join(60)

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
