"""PyInstaller runtime hook: remove the one-file temp folders that killed launchers left."""

# The one-file launcher unpacks the app into a new _MEIxxxxxx folder in the temp dir and
# deletes it when the app ends. A launcher killed by SIGKILL deletes nothing, so each such
# kill used to leave ~130 MB behind for ever. At start-up the app removes those leftovers
# from its own temp dir. A folder there is removed only if all of this holds:
# - it is a real directory (never a symlink, never followed), ours by uid, not this run's;
# - it holds the marker file build.spec bundles: other PyInstaller apps' folders are left;
# - nothing in it changed for 10 s: a launcher that is still unpacking, or has unpacked
#   but not yet started its app, is not visible in /proc;
# - no process maps a file below it or has its cwd, exe, root or an open fd there: a live
#   Ferry (app and workers) maps libpython and Qt from its folder for its whole life.
# Processes of other users cannot be inspected, but cannot enter these 0700 folders either.
# Only on Linux: without /proc (macOS, Windows) there is no cheap, reliable way to tell if
# another instance still uses a folder (and on Windows only loaded DLLs are locked, so a
# delete could take the rest of a running instance's files). There, leftovers stay.
# Any error ends the sweep quietly: a failed clean-up must never stop the app.


def _ferry_sweep_stale_folders() -> None:
    import contextlib
    import os
    import shutil
    import stat
    import sys
    import time

    marker, stale_after = "ferry-bundle.txt", 10.0  # see build.spec
    ours = getattr(sys, "_MEIPASS", "")
    if not (sys.platform.startswith("linux") and os.path.basename(ours).startswith("_MEI")):
        return  # one-folder build (nothing unpacked), or no /proc
    if "--multiprocessing-fork" in sys.argv or "-c" in sys.argv:
        return  # a worker or helper of this app: the app itself sweeps
    temp = os.path.realpath(os.path.dirname(ours))
    own = os.stat(ours)

    def newest_change(top: str) -> float:
        newest, pending = os.lstat(top).st_mtime, [top]
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    st = entry.stat(follow_symlinks=False)
                    newest = max(newest, st.st_mtime)
                    if stat.S_ISDIR(st.st_mode):
                        pending.append(entry.path)
        return newest

    def unused_ferry_leftover(path: str) -> bool:  # the part that needs no /proc
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or os.path.samestat(st, own):
            return False
        if not stat.S_ISREG(os.lstat(os.path.join(path, marker)).st_mode):  # raises if missing
            return False
        return newest_change(path) < time.time() - stale_after

    def paths_in_use() -> set[str]:
        used = set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            with (
                contextlib.suppress(OSError),  # gone meanwhile, or another user's
                open(f"/proc/{pid}/maps", encoding="utf-8", errors="surrogateescape") as maps,
            ):
                used.update(f[5] for line in maps if len(f := line[:-1].split(None, 5)) == 6)
            links = ["cwd", "exe", "root"]
            with contextlib.suppress(OSError):
                links += [f"fd/{fd}" for fd in os.listdir(f"/proc/{pid}/fd")]
            for link in links:
                with contextlib.suppress(OSError):
                    used.add(os.readlink(f"/proc/{pid}/{link}"))
        return used

    stale = []
    for name in os.listdir(temp):
        path = os.path.join(temp, name)
        with contextlib.suppress(OSError):  # vanished, no marker, unreadable: leave it
            if name.startswith("_MEI") and unused_ferry_leftover(path):
                stale.append(path)
    if not stale:
        return
    used = paths_in_use()
    for path in stale:
        if not any(p == path or p.startswith(path + os.sep) for p in used):
            shutil.rmtree(path, ignore_errors=True)  # fd-based: never follows a symlink


try:  # noqa: SIM105 (contextlib would stay behind in the namespace the app runs in)
    _ferry_sweep_stale_folders()
except Exception:
    pass  # a failed clean-up must never stop the app
del _ferry_sweep_stale_folders
