"""Issue 5 case 3 for the window: SIGKILL mid-copy leaves no process; the next run cleans up."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.options import default_workers
from tests.core.conftest import Gated
from tests.helpers import (
    REPO,
    alive,
    assert_same_tree,
    descendants_of,
    identify,
    job_processes,
    kill_quietly,
    proc_stat,
    run_cli,
    temps_under,
    wait_until,
)

KILL_DEADLINE = 2.0  # seconds: the promise for workers and the Manager
TAG = "FERRY_TEST_KILLED_WINDOW"  # inherited by every process the window starts


def tagged(token: str) -> list[int]:
    """Live processes whose environment carries token: the window's family, even orphans."""
    needle = f"{TAG}={token}".encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{name}/environ", "rb") as handle:
            if needle in handle.read().split(b"\0") and proc_stat(int(name)) is not None:
                found.append(int(name))
    return found


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds processes through /proc")
def test_sigkill_of_the_window_mid_copy_leaves_no_process_and_next_run_cleans_up(
    gated: Gated, tmp_path: Path
) -> None:
    source = gated.source
    target = tmp_path / "dst"
    token = secrets.token_hex(8)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # never the user's settings
        **{TAG: token},
    )
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    command = [sys.executable, "-m", "app", "--source", str(source), "--target", str(target)]
    with (tmp_path / "window.log").open("wb") as log:
        window = subprocess.Popen(
            [*command, "--start", "--exit-when-done", "--lang", "en"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
        )
    family: dict[int, int] = {}
    helpers: dict[int, int] = {}
    try:
        # Collect the children while the window is their parent: after the kill they are
        # orphans, re-parented elsewhere, and a ppid scan no longer finds them.
        def mid_copy() -> bool:
            assert window.poll() is None, "the window ended before the copy was under way"
            family.update(identify(descendants_of(window.pid)))
            helpers.update(identify(job_processes(window.pid)))
            return gated.held() >= 1 and len(helpers) >= 1 + default_workers()

        wait_until(mid_copy, 60, step=0.005)
        family.update(identify(descendants_of(window.pid)))
        window.send_signal(signal.SIGKILL)
        window.wait(10)
        killed_at = time.monotonic()
        gated.open()  # a worker waiting on a FUSE read can die only once it returns
        while alive(helpers) and time.monotonic() - killed_at < KILL_DEADLINE:
            time.sleep(0.02)
        assert alive(helpers) == [], f"still running 2 s after the kill: {alive(helpers)}"
        # The resource tracker ends once its last client is gone; nothing else may remain.
        wait_until(lambda: not alive(family) and not tagged(token), 10)
    finally:
        window.kill()
        window.wait()
        for pid in alive(family) + tagged(token):
            kill_quietly(pid)

    # A worker killed mid-file leaves nothing (its data had no name yet); a named temp
    # of an earlier run, as where O_TMPFILE is missing, must go on the next run.
    assert temps_under(target) == []
    (target / ".ferry-0123456789ab-7.part").write_bytes(b"stale")

    again = run_cli(str(source), str(target), timeout=100)

    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert temps_under(target) == []
    # The window's run created the target, so its own folder times differ: compare inside.
    assert_same_tree(source, target, include_root=False)
