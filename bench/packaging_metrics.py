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
LIMIT_ONEFILE_MB = 60


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


def time_to_window(command: list[str], scratch: Path) -> tuple[float, float]:
    """(seconds to the first stderr byte, seconds to exit) of one window start."""
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
    code = proc.wait()
    total = time.monotonic() - started
    if code != 2:
        raise RuntimeError(f"{command[0]} exited {code}: {rest.decode(errors='replace')}")
    return first, total


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
    with tempfile.TemporaryDirectory(prefix="ferry-startup-") as scratch:
        for command in commands.values():  # one untimed start each: warm page cache
            time_to_window(command, Path(scratch))
        for _ in range(args.runs):
            for name, command in commands.items():
                first, total = time_to_window(command, Path(scratch))
                firsts[name].append(first)
                totals[name].append(total)

    onefile_mb = tree_bytes(builds["one-file"][1]) / 1e6
    lines = [
        "## Packaged app (PyInstaller)",
        "",
        "Written by `bench/packaging_metrics.py`; edit the script, not this section.",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs (load average {load:.1f} at the start), "
        f"Python {platform.python_version()}, "
        f"PyInstaller {_version('pyinstaller')}, PySide6 {_version('PySide6-Essentials')}; "
        f"start-up: median (min-max) of {args.runs} alternating runs after one warm-up, "
        "offscreen, to the window shown; total includes exit and the one-file clean-up.",
        "",
        "| layout | build (`--clean`) | size | start-up to first window | whole run |",
        "|---|---:|---:|---:|---:|",
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
            f"| {name} | {built} | {size} | {summary(firsts[name])} | {summary(totals[name])} |"
        )
    verdict = "met" if onefile_mb <= LIMIT_ONEFILE_MB else "**missed**"
    lines += ["", f"One-file size limit {LIMIT_ONEFILE_MB} MB (issue #4): {verdict}."]
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
