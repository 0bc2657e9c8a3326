"""Test configuration shared by every suite: Qt offscreen, and nothing left running."""

import os
import threading
import time
from collections.abc import Iterator

import pytest

from tests.helpers import cmdline, descendants_of, kill_quietly

# Set before anything imports Qt: without a display Qt would abort the whole run.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

LINGER = 10.0  # seconds a test's threads and processes get to end after it returns


def _running_children() -> set[int]:
    # multiprocessing's resource tracker starts once and serves the whole session.
    return {pid for pid in descendants_of(os.getpid()) if b"resource_tracker" not in cmdline(pid)}


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
