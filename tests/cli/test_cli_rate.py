"""The terminal progress line and summary take speed and time left from app.core.rate."""

from __future__ import annotations

import io
from pathlib import Path

from app.cli_views import Output, TerminalView
from app.core.job import CopyJob
from app.core.options import CopyOptions


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_with_view(source: Path, target: Path) -> str:
    err = Terminal()
    view = TerminalView(Output(err))
    report = CopyJob(str(source), str(target), CopyOptions(workers=1), on_event=view).run()
    view.finish(report)
    return err.getvalue()


def test_a_rerun_that_writes_nothing_shows_no_speed(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(40):
        (source / f"f{index}.bin").write_bytes(bytes(256 * 1024))
    run_with_view(source, target)

    again = run_with_view(source, target)
    lines = [line for line in again.split("\r\x1b[K") if " files " in line]
    assert lines, again
    # 10 MiB were "done" (all up to date) and nothing was written: no speed, no ETA.
    assert all(" 0 B/s  ETA --" in line for line in lines), lines
    assert "Everything was already up to date" in again
    assert "(0 B/s)" in again
