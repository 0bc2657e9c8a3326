"""Test configuration shared by every suite: Qt offscreen, and nothing left running."""

import os
import threading
import time
from collections.abc import Iterator

import pytest

from tests.helpers import children_of, cmdline, descendants_of, kill_quietly

# Set before anything imports Qt: without a display Qt would abort the whole run.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

LINGER = 10.0  # seconds a test's threads and processes get to end after it returns


SESSION_HELPERS = (b"resource_tracker", b"forkserver")  # each starts once, serves the session


def _running_children() -> set[int]:
    # The fork server's children (workers, Managers) share its command line: only the
    # server itself, a child of this process, is exempt.
    helpers = {
        pid
        for pid in children_of(os.getpid())
        if any(helper in cmdline(pid) for helper in SESSION_HELPERS)
    }
    return set(descendants_of(os.getpid())) - helpers


@pytest.fixture(autouse=True)
def nothing_left_running() -> Iterator[None]:
    """A test that leaves a thread or a child process running fails (and they are ended).

    Left running, a copy of one test would write into the next one's folders, or a hung
    thread would hide a bug until the suite times out.
    """
    threads, children = set(threading.enumerate()), _running_children()
    yield
    deadline = time.monotonic() + LINGER
    while True:
        extra_threads = [
            t
            for t in threading.enumerate()
            # _DummyThread: a thread not started by Python (libfuse's) that called into it
            if t not in threads and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        extra_children = sorted(_running_children() - children)
        if not (extra_threads or extra_children) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for pid in extra_children:
        kill_quietly(pid)
    assert not extra_threads, f"threads left running: {[t.name for t in extra_threads]}"
    assert not extra_children, f"child processes left running: {extra_children}"
