"""Build time, size and start-up time of the packaged app into docs/performance.md.

    .venv/bin/python bench/packaging_metrics.py [--runs 7] [--no-write]

Builds both layouts of build.spec from scratch (`--clean`) under bench/out/pyinstaller/
(gitignored): one-file (dist/ferry) and one-folder (FERRY_ONEDIR=1). Then, alternating
the two (A B A B ...), starts each so that it opens its first window offscreen and says
so: `ferry --source <missing> --target <x> --start --exit-when-done` builds and shows the
main window, finds it cannot start and writes that on stderr, then exits 2. Start-up is
the time from exec to that first stderr byte (the window exists and show() has returned);
the run's total (unpack + window + exit + the one-file launcher deleting its temp folder)
is reported too. The source checkout (`python -m app`) is measured the same way.
What the one-file archive holds is listed by group and by item: packed (in the file) and
unpacked (what every start decompresses and writes to the temp folder).

Only the section between the packaging-metrics markers is rewritten.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "pyinstaller"
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- packaging-metrics:start -->", "<!-- packaging-metrics:end -->"
LIMIT_ONEFILE_MB = 50  # issue #13 (issue #4 asked for 60)
LIMIT_START_S = 1.0  # issue #13: one-file start-up to the first window
TOP_ITEMS = 12


def build(onedir: bool) -> tuple[float, Path]:
    name = "onedir" if onedir else "onefile"
    dist, work = OUT / name / "dist", OUT / name / "work"
    shutil.rmtree(OUT / name, ignore_errors=True)
    env = dict(os.environ, FERRY_ONEDIR="1" if onedir else "")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(REPO / "build.spec")],
        cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.monotonic() - started
    exe = dist / "ferry" / "ferry" if onedir else dist / "ferry"
    return seconds, exe


def tree_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def time_to_window(command: list[str], scratch: Path) -> tuple[float, float, float]:
    """(seconds to the first stderr byte, seconds to exit, CPU seconds) of one window start.

    The CPU seconds (user + system, of the process and the children it waited for: the
    one-file launcher and its app) vary less with the load of a shared machine than the
    wall-clock times do."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "_PYI"))}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(scratch / "config"))
    if command[0] == sys.executable:
        env["PYTHONPATH"] = str(REPO)
    args = ["--lang", "en", "--source", str(scratch / "missing"), "--target",
            str(scratch / "t"), "--start", "--exit-when-done"]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.Popen([*command, *args], env=env, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    select.select([proc.stderr], [], [], 60)
    first = time.monotonic() - started
    rest = proc.stderr.read()
    proc.stderr.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    total = time.monotonic() - started
    code = proc.returncode = os.waitstatus_to_exitcode(status)
    if code != 2:
        raise RuntimeError(f"{command[0]} exited {code}: {rest.decode(errors='replace')}")
    return first, total, usage.ru_utime + usage.ru_stime


def bundle_group(name: str, kind: str) -> str:
    """The group of one-file archive entry `name` (Linux names; others fall in "other")."""
    if kind in "sm":  # bootstrap modules, runtime hooks, the entry script
        return "Python code (PYZ, base_library.zip, scripts)"
    if "libicu" in name:
        return "ICU (libicudata, libicuuc, libicui18n: linked by QtCore)"
    if name.startswith("PySide6/Qt/plugins/"):
        return "Qt plugins"
    if name.startswith("PySide6/Qt/lib/"):
        return "Qt libraries"
    if name.startswith("PySide6/Qt/translations/"):
        return "Qt translations"
    if name.startswith(("PySide6/", "shiboken6/")) and ".so" in name:
        return "PySide6/shiboken6 bindings"
    if name.startswith("libpython"):
        return "libpython"
    if "/lib-dynload/" in name or name.startswith(("xxhash/", "blake3/")):
        return "Python extension modules"
    if name in ("PYZ.pyz", "base_library.zip"):
        return "Python code (PYZ, base_library.zip, scripts)"
    if name.startswith("resources/"):
        return "Ferry's icons and translations"
    if "/" not in name and ".so" in name:
        return "libraries from the build machine"
    return "other"


def bundle_contents(exe: Path) -> list[tuple[str, str, int, int]]:
    """(name, typecode, packed bytes, unpacked bytes) of each item of the one-file
    executable's archive; symbolic links (a few bytes each) are left out."""
    from PyInstaller.archive.readers import CArchiveReader

    toc = CArchiveReader(str(exe)).toc  # name -> (offset, packed, unpacked, flag, typecode)
    return [(name, e[4], e[1], e[2]) for name, e in toc.items() if e[4] != "n"]


def contents_lines(entries: list[tuple[str, str, int, int]]) -> list[str]:
    groups: dict[str, list[int]] = {}
    for name, kind, packed, unpacked in entries:
        group = groups.setdefault(bundle_group(name, kind), [0, 0, 0])
        group[0] += packed
        group[1] += unpacked
        group[2] += 1
    packed_sum = sum(e[2] for e in entries)
    unpacked_sum = sum(e[3] for e in entries)
    lines = [
        f"What the one-file archive holds: {len(entries)} items, {packed_sum / 1e6:.1f} MB "
        f"packed, {unpacked_sum / 1e6:.1f} MB unpacked at every start.",
        "",
        "| group | items | packed | unpacked |",
        "|---|---:|---:|---:|",
    ]
    for name, (packed, unpacked, count) in sorted(groups.items(), key=lambda g: -g[1][0]):
        lines.append(f"| {name} | {count} | {packed / 1e6:.1f} MB | {unpacked / 1e6:.1f} MB |")
    lines += ["", "| biggest items | packed | unpacked |", "|---|---:|---:|"]
    for name, _kind, packed, unpacked in sorted(entries, key=lambda e: -e[2])[:TOP_ITEMS]:
        lines.append(f"| `{name}` | {packed / 1e6:.2f} MB | {unpacked / 1e6:.2f} MB |")
    return lines


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def write_section(text: str) -> None:
    section = f"{BEGIN}\n{text.rstrip()}\n{END}"
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: section, current)
    else:
        updated = current.rstrip() + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(updated, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts of each layout")
    parser.add_argument("--no-write", action="store_true", help="print, leave the doc alone")
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    builds = {}
    for onedir in (False, True):
        seconds, exe = build(onedir)
        builds["one-folder" if onedir else "one-file"] = (seconds, exe)
        print(f"built {exe} in {seconds:.1f} s", file=sys.stderr)

    commands = {name: [str(exe)] for name, (_s, exe) in builds.items()}
    commands["source (python -m app)"] = [sys.executable, "-m", "app"]
    firsts: dict[str, list[float]] = {name: [] for name in commands}
    totals: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="ferry-startup-") as scratch:
        for command in commands.values():  # one untimed start each: warm page cache
            time_to_window(command, Path(scratch))
        for _ in range(args.runs):
            for name, command in commands.items():
                first, total, cpu = time_to_window(command, Path(scratch))
                firsts[name].append(first)
                totals[name].append(total)
                cpus[name].append(cpu)

    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    onefile_mb = tree_bytes(builds["one-file"][1]) / 1e6
    onefile_start = statistics.median(firsts["one-file"])
    lines = [
        "## Packaged app (PyInstaller)",
        "",
        "Written by `bench/packaging_metrics.py`; edit the script, not this section.",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs (load average {load:.1f} at the start, "
        f"{load_after:.1f} at the end), "
        f"Python {platform.python_version()}, "
        f"PyInstaller {_version('pyinstaller')}, PySide6 {_version('PySide6-Essentials')}; "
        f"start-up: median (min-max) of {args.runs} alternating runs after one warm-up, "
        "offscreen, to the window shown; whole run includes exit and the one-file clean-up, "
        "CPU is user + system seconds of the whole run.",
        "",
        "| layout | build (`--clean`) | size | start-up to first window | whole run | CPU |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in commands:
        if name in builds:
            seconds, exe = builds[name]
            target = exe if name == "one-file" else exe.parent
            size = f"{tree_bytes(target) / 1e6:.1f} MB"
            built = f"{seconds:.0f} s"
        else:
            size, built = "-", "-"
        lines.append(
            f"| {name} | {built} | {size} | {summary(firsts[name])} | {summary(totals[name])} "
            f"| {summary(cpus[name])} |"
        )
    size_verdict = "met" if onefile_mb <= LIMIT_ONEFILE_MB else "**missed**"
    start_verdict = "met" if onefile_start <= LIMIT_START_S else "**missed**"
    lines += [
        "",
        f"Issue #13 targets for the one-file app: size <= {LIMIT_ONEFILE_MB} MB "
        f"({onefile_mb:.1f} MB: {size_verdict}), start-up to the first window "
        f"<= {LIMIT_START_S:.1f} s (median {onefile_start:.2f} s: {start_verdict}).",
        "",
        *contents_lines(bundle_contents(builds["one-file"][1])),
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"wrote the section into {DOC}", file=sys.stderr)
    return 0


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
