"""Speed and time left: bytes written only, running time only, one implementation."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.events import ActiveFile, FileResult, FilesFinished, FileStatus, Progress
from app.core.job import CopyJob
from app.core.options import CopyOptions
from app.core.rate import MIN_SPAN, WINDOW, Rate

MIB = 1 << 20


def snapshot(
    elapsed: float,
    done: int,
    total: int = 100 * MIB,
    active: tuple[ActiveFile, ...] = (),
    paused: bool = False,
    scan_done: bool = True,
) -> Progress:
    return Progress(1, 10, done, total, scan_done, elapsed, paused, active)


def test_steady_writing_gives_its_speed_and_time_left() -> None:
    rate = Rate()
    for second in range(1, 11):
        rate.add_results([FileResult(f"f{second}", FileStatus.COPIED, 2 * MIB)])
        rate.update(snapshot(float(second), 2 * MIB * second))
    assert rate.speed == pytest.approx(2 * MIB)
    assert rate.average == pytest.approx(2 * MIB)
    assert rate.written == 20 * MIB
    assert rate.seconds_left() == pytest.approx(80 * MIB / (2 * MIB))


def test_skipped_bytes_are_not_speed() -> None:
    """A run where everything is up to date moves bytes_done but writes nothing."""
    rate = Rate()
    for second in range(1, 6):
        rate.add_results([FileResult(f"f{second}", FileStatus.SKIPPED, 10 << 30)])
        rate.add_results([FileResult(f"x{second}", FileStatus.FAILED, 1 << 30)])
        rate.update(snapshot(second / 10, (10 << 30) * second))
    assert rate.written == 0
    assert rate.speed == rate.peak == rate.average == 0.0
    assert rate.seconds_left() is None


def test_paused_time_does_not_count_and_shows_no_speed() -> None:
    rate = Rate()
    rate.add_results([FileResult("a", FileStatus.COPIED, 10 * MIB)])
    rate.update(snapshot(5.0, 10 * MIB))
    # Paused for a long while: the job's clock stands still, the snapshots say paused.
    for _ in range(20):
        rate.update(snapshot(5.0, 10 * MIB, paused=True))
    assert rate.paused
    assert rate.speed == 0.0
    assert rate.seconds_left() is None
    assert rate.running_seconds == 5.0
    assert rate.average == pytest.approx(2 * MIB)
    # Resumed: the window spans running time, so the first snapshots after a pause
    # continue the speed from before it instead of diluting it.
    rate.add_results([FileResult("b", FileStatus.COPIED, MIB)])
    rate.update(snapshot(5.5, 11 * MIB))
    assert rate.speed == pytest.approx(2 * MIB)
    assert rate.seconds_left() == pytest.approx(89 * MIB / (2 * MIB))


def test_partly_written_large_files_count_and_renamed_copies_too() -> None:
    rate = Rate()
    rate.add_results([FileResult("a", FileStatus.RENAMED, 3 * MIB)])
    rate.update(snapshot(1.0, 8 * MIB, active=(ActiveFile("big", 5 * MIB, 50 * MIB),)))
    assert rate.written == 8 * MIB
    rate.add_results([FileResult("big", FileStatus.COPIED, 50 * MIB)])
    rate.update(snapshot(2.0, 53 * MIB))
    assert rate.written == 53 * MIB


def test_speed_follows_the_recent_window_and_peak_needs_a_real_span() -> None:
    rate = Rate()
    # One burst in the first 0.1 s would be a huge "speed": too short to be a peak.
    rate.update(snapshot(0.1, MIB, active=(ActiveFile("big", 100 * MIB, 1 << 30),)))
    assert rate.peak == 0.0
    assert rate.speed == pytest.approx(rate.average)
    t = 0.1
    done = 100 * MIB
    while t < 10:  # then 1 MiB/s for ten seconds
        t += 0.25
        done += MIB // 4
        rate.update(snapshot(t, 0, active=(ActiveFile("big", done, 1 << 30),)))
    assert rate.speed == pytest.approx(MIB, rel=0.01)
    assert t - WINDOW > MIN_SPAN


def test_time_left_is_unknown_while_the_scan_is_counting() -> None:
    rate = Rate()
    rate.add_results([FileResult("a", FileStatus.COPIED, MIB)])
    rate.update(snapshot(1.0, MIB, scan_done=False))
    assert rate.speed > 0
    assert rate.seconds_left() is None


def test_a_real_rerun_where_everything_is_up_to_date_has_no_speed(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(20):
        (source / f"f{index}.bin").write_bytes(bytes(64 * 1024))
    first = Rate()
    CopyJob(str(source), str(target), CopyOptions(workers=1), on_event=first.observe).run()
    assert first.written == 20 * 64 * 1024

    again = Rate()
    events: list[object] = []

    def record(event: object) -> None:
        events.append(event)
        again.observe(event)  # type: ignore[arg-type]

    report = CopyJob(str(source), str(target), CopyOptions(workers=1), on_event=record).run()
    assert report.count(FileStatus.SKIPPED) == 20
    assert any(isinstance(e, FilesFinished) for e in events)
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1].bytes_done == 20 * 64 * 1024  # the engine counts them as done ...
    assert again.written == 0  # ... but nothing was written
    assert again.peak == again.average == again.speed == 0.0


@pytest.mark.parametrize("big_files", [1, 10])
def test_time_left_is_not_zero_with_small_files_still_to_go(big_files: int) -> None:
    """After big files, the bytes alone said 0:00 with 2,665 small files to go, then 0:20
    (review of the window); timed by files instead, ten big files of a second each made
    it 3,751 s for 50 (review of that): unknown until the small files show their pace."""
    big, small, files = 100 * MIB, 4096, big_files + 5000
    total = big * big_files + small * 5000
    rate = Rate()

    def at(elapsed: float, done_files: int, done: int) -> Progress:
        return Progress(done_files, files, done, total, True, elapsed, False)

    for tenth in range(1, 10 * big_files + 1):  # 100 MiB/s, a big file a second
        done = big * tenth // 10
        if tenth % 10 == 0:
            rate.add_results([FileResult(f"big{tenth}", FileStatus.COPIED, big)])
        rate.update(at(tenth / 10, tenth // 10, done))
    assert rate.seconds_left() is None  # not 0:00, nor an hour
    done_files, clock = big_files, big_files
    for tick in range(1, 41):  # then 100 small files a second, for 4 s
        rate.add_results([FileResult(f"s{tick}", FileStatus.COPIED, small * 10)])
        done_files += 10
        clock = big_files + tick / 10
        rate.update(at(clock, done_files, big * big_files + small * (done_files - big_files)))
    left = rate.seconds_left()
    assert left == pytest.approx((files - done_files) / 100, rel=0.05), left


def test_the_last_big_file_keeps_its_time_left() -> None:
    rate = Rate()
    for tenth in range(1, 30):  # one 300 MiB file at 100 MiB/s, the last one
        active = (ActiveFile("last", 10 * MIB * tenth, 300 * MIB),)
        rate.update(Progress(0, 1, 10 * MIB * tenth, 300 * MIB, True, tenth / 10, False, active))
    assert rate.seconds_left() == pytest.approx(0.1, rel=0.05)
