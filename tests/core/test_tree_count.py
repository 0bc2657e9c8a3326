"""Before a copy: the refusal the job would meet, and the count its scan would reach."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.job import CopyJob
from app.core.options import CopyOptions
from app.core.reasons import Code
from app.core.target import problem
from app.core.tree_count import count_tree


def test_refusal_is_the_jobs_own(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    plain = tmp_path / "plain"
    plain.write_text("a file")
    for target in (plain, source, source / "inside"):
        said = problem(str(source), str(target))
        assert said is not None
        report = CopyJob(str(source), str(target)).run()
        assert report.refused == said
    missing = problem(str(tmp_path / "missing"), str(tmp_path / "out"))
    assert missing is not None and missing.code is Code.SOURCE_MISSING
    assert problem(str(source), str(tmp_path / "new")) is None
    assert not (tmp_path / "new").exists()  # nothing written


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_count_is_what_the_jobs_scan_counts(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_bytes(b"a" * 10)
    (source / "sub" / "b.txt").write_bytes(b"b" * 20)
    os.mkfifo(source / "pipe")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for index in range(3):
        (elsewhere / f"{index}.bin").write_bytes(b"x" * 100)
    (source / "linked").symlink_to(elsewhere)

    plain = count_tree(str(source), False, seconds=10, limit=1000)
    followed = count_tree(str(source), True, seconds=10, limit=1000)
    assert plain is not None and followed is not None
    assert (plain.files, plain.bytes, plain.complete) == (4, 30, True)  # link, pipe, 2 files
    assert (followed.files, followed.bytes, followed.complete) == (6, 330, True)

    totals = []
    for follow in (False, True):
        job = CopyJob(
            str(source),
            str(tmp_path / f"dst-{follow}"),
            CopyOptions(workers=1, follow_symlinks=follow),
            on_event=lambda e: totals.append(getattr(e, "files_total", None)),
        )
        job.run()
        assert [t for t in totals if t is not None][-1] == (followed if follow else plain).files
        totals.clear()


def test_count_stops_at_its_limit_or_when_told(tmp_path: Path) -> None:
    for index in range(50):
        (tmp_path / f"{index}.txt").write_text("x")
    limited = count_tree(str(tmp_path), False, seconds=10, limit=10)
    assert limited is not None and limited.files == 10 and not limited.complete
    assert count_tree(str(tmp_path), False, seconds=10, limit=1000, stopped=lambda: True) is None
