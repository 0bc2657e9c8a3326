"""PyInstaller runtime hook: the one-file app dies with its launcher, even by SIGKILL."""

# A one-file build is two processes: the bootloader (what the user started, what a file
# manager or `kill` sees) unpacks the bundle, then runs the real app as its child and waits.
# It forwards SIGTERM/SIGINT, but nothing survives a SIGKILL: the orphaned app went on
# copying with its workers and Manager (seen: 5 s and more after `kill -9` of the launcher).
# Here the orphan gets SIGTERM as soon as the launcher dies, exactly as if the launcher
# had been sent SIGTERM; the engine's workers and Manager then follow their own parent
# within a second (parent watchdog in app/core). Only the top app process is concerned:
# workers and multiprocessing helpers are our children, not the launcher's.


def _ferry_follow_launcher() -> None:
    import os
    import signal
    import sys
    import threading
    import time

    if sys.platform == "win32":
        return  # the Windows launcher keeps its child in a kill-on-close job object
    argv = sys.argv[1:]
    if "--multiprocessing-fork" in argv or "-c" in argv:
        return  # a spawned worker or the resource tracker: not the launcher's child
    launcher = os.getppid()
    try:
        if os.readlink(f"/proc/{launcher}/exe") != os.readlink("/proc/self/exe"):
            return  # one-folder build, or started by something else: no launcher to follow
    except OSError:
        # No /proc (macOS): a one-file app's parent is its launcher, one-folder has none.
        if not os.path.basename(getattr(sys, "_MEIPASS", "")).startswith("_MEI"):
            return

    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != launcher:  # it died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)
        return

    def watch() -> None:
        while os.getppid() == launcher:
            time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="ferry-launcher-watchdog", daemon=True).start()


_ferry_follow_launcher()
del _ferry_follow_launcher
