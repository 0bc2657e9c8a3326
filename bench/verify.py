"""What verification costs: Ferry's --verify and `verify` against a cold re-read by hand.

    .venv/bin/python bench/verify.py mixed big --rounds 3

Copy (datasets of bench/datasets.py, fresh targets, alternating, N rounds):
- `ferry copy SRC DST` and `ferry copy SRC DST --verify`: their difference in a round is
  what verify costs; the median of those differences is reported, which the machine's
  noise hits less than a difference of medians.
- `cp -a SRC/. DST && sync`, then the copy's cached pages dropped and every file read
  back: with `cat` (the device's read speed) and with `sha256sum` (what a careful user
  pays by hand). The goal of the verify issue: verify costs no more than the cold re-read
  at the device's read speed.

Manifest check (one target with a .sha256 and a .b3 manifest written by Ferry): before
every timed run the folder's cached pages are dropped, then `ferry verify M.sha256`,
`sha256sum -c M.sha256`, `ferry verify M.b3` and `b3sum -c M.b3` alternate.

Pages are dropped per file (posix_fadvise DONTNEED after a sync), not with
/proc/sys/vm/drop_caches, so the source stays cached and other users of the machine are
not disturbed. Results go to bench/out/results/verify-DATASET.json and into the "Verify"
section of docs/performance.md (between its markers).

Memory of `ferry verify` on big manifests:

    .venv/bin/python bench/verify.py --memory 200000 1000000

makes (once, kept in bench/data/verify-memory) a tree of the largest count of 10-byte
files, 1,000 a folder, and a manifest of the first N of them for each count, then runs
`ferry verify` on each and reports its peak RSS (the kernel's, from wait4) and seconds.
Its memory should not grow with N. Printed, and kept in
bench/out/results/verify-memory.json; the doc's text is written by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

from compare import DATA, DOC, REPO, RESULTS, TARGETS, empty_tree, git_commit, sync, venv_python

START_MARK = "<!-- verify-bench:start -->"
END_MARK = "<!-- verify-bench:end -->"
COPY_TOOLS = ("ferry", "ferry --verify", "cp -a && sync")
REREADS = ("cold cat", "cold sha256sum")
CHECK_TOOLS = ("ferry verify .sha256", "sha256sum -c", "ferry verify .b3", "b3sum -c")


def drop_cached(root: str) -> None:
    """Drop the cached pages of every file under root (after a sync: clean pages only)."""
    sync()
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                finally:
                    os.close(fd)


def timed(cmd: list[str], cwd: str | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def ferry(*args: str) -> list[str]:
    return [venv_python(), "-m", "app", *args]


def reread(root: str, tool: str) -> float:
    """Seconds to read every file under root with tool (cat, sha256sum) from a cold cache."""
    drop_cached(root)
    command = f"find . -type f -print0 | xargs -0 -r {tool} > /dev/null"
    return timed(["sh", "-c", command], cwd=root)


def copy_rounds(source: str, name: str, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {tool: [] for tool in (*COPY_TOOLS, *REREADS)}
    for index in range(rounds):
        for tool in COPY_TOOLS:
            target = os.path.join(TARGETS, f"verify-{name}-{index}-{tool.split()[-1]}")
            sync()
            if tool == "cp -a && sync":
                os.makedirs(target)
                cp = f'cp -a "{source}/." "{target}" && sync'
                times[tool].append(timed(["sh", "-c", cp]))
                for reread_tool in REREADS:
                    times[reread_tool].append(reread(target, reread_tool.split()[-1]))
            else:
                extra = ["--verify"] if tool.endswith("--verify") else []
                times[tool].append(timed(ferry("copy", source, target, *extra), cwd=REPO))
            empty_tree(target)
            print(f"  round {index + 1} {tool}: {times[tool][-1]:.2f}s", flush=True)
    return times


def check_rounds(source: str, name: str, rounds: int) -> dict[str, list[float]]:
    folder = os.path.join(TARGETS, f"verify-{name}-manifests")
    sha256, b3 = folder + ".sha256", folder + ".b3"
    subprocess.run(ferry("copy", source, folder, "--manifest", sha256), cwd=REPO, check=True)
    subprocess.run(ferry("copy", source, folder, "--manifest", b3), cwd=REPO, check=True)
    commands = {
        "ferry verify .sha256": (ferry("verify", sha256, folder), REPO),
        "sha256sum -c": (["sha256sum", "--quiet", "-c", sha256], folder),
        "ferry verify .b3": (ferry("verify", b3, folder), REPO),
        "b3sum -c": (["b3sum", "--quiet", "-c", b3], folder),
    }
    times: dict[str, list[float]] = {tool: [] for tool in CHECK_TOOLS}
    for index in range(rounds):
        for tool in CHECK_TOOLS:
            drop_cached(folder)
            cmd, cwd = commands[tool]
            times[tool].append(timed(cmd, cwd=cwd))
            print(f"  round {index + 1} {tool}: {times[tool][-1]:.2f}s", flush=True)
    empty_tree(folder)
    return times


def medians(times: dict[str, list[float]]) -> dict[str, float]:
    return {tool: statistics.median(values) for tool, values in times.items()}


def render(results: list[dict]) -> str:
    lines = [
        START_MARK,
        f"Measured by `bench/verify.py` at {results[0]['commit']}, "
        f"{results[0]['rounds']} alternating rounds, medians in seconds.",
        "",
        "| set | ferry | ferry --verify | verify costs | cp -a && sync | cold cat "
        "| cold sha256sum | cost / cold cat |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m = r["copy"]
        cost = m["verify costs"]
        lines.append(
            f"| {r['dataset']} | {m['ferry']:.2f} | {m['ferry --verify']:.2f} | {cost:.2f} "
            f"| {m['cp -a && sync']:.2f} | {m['cold cat']:.2f} | {m['cold sha256sum']:.2f} "
            f"| {cost / m['cold cat']:.2f}x |"
        )
    lines += [
        "",
        "| set | ferry verify .sha256 | sha256sum -c | ratio | ferry verify .b3 | b3sum -c "
        "| ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m = r["check"]
        sha, b3 = m["ferry verify .sha256"], m["ferry verify .b3"]
        lines.append(
            f"| {r['dataset']} | {sha:.2f} | {m['sha256sum -c']:.2f} "
            f"| {sha / m['sha256sum -c']:.2f}x | {b3:.2f} | {m['b3sum -c']:.2f} "
            f"| {b3 / m['b3sum -c']:.2f}x |"
        )
    lines.append(END_MARK)
    return "\n".join(lines)


def write_doc(section: str) -> None:
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    if START_MARK in text:
        head, rest = text.split(START_MARK, 1)
        text = head + section + rest.split(END_MARK, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Verify\n\n" + section + "\n"
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write(text)


MEMORY_TREE = os.path.join(DATA, "verify-memory")
PER_FOLDER = 1000


def memory_tree(files: int) -> str:
    """A tree of `files` 10-byte files (made once, grown when more are asked for) and
    the manifest of all of them, in Ferry's format; its path."""
    manifest = os.path.join(DATA, f"verify-memory-{files}.sha256")
    if os.path.exists(manifest):
        return manifest
    os.makedirs(MEMORY_TREE, exist_ok=True)
    with open(manifest + ".part", "w", encoding="utf-8") as out:
        for index in range(files):
            folder, name = f"d{index // PER_FOLDER:05d}", f"f{index % PER_FOLDER:04d}"
            data = f"{index:010d}".encode()
            path = os.path.join(MEMORY_TREE, folder, name)
            if index % PER_FOLDER == 0:
                os.makedirs(os.path.dirname(path), exist_ok=True)
            if not os.path.exists(path):
                with open(path, "wb") as handle:
                    handle.write(data)
            out.write(f"{hashlib.sha256(data).hexdigest()}  {folder}/{name}\n")
    os.replace(manifest + ".part", manifest)
    return manifest


def peak_rss(cmd: list[str]) -> tuple[int, float]:
    """The peak RSS in bytes of a command (the kernel's count, from wait4) and its
    seconds. Ferry's verify reads in threads of its own process: no child to add."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{shlex.join(cmd)}: exit {process.returncode}")
    return usage.ru_maxrss * 1024, time.perf_counter() - started  # (KiB on Linux)


def memory(counts: list[int]) -> int:
    rows = []
    for files in sorted(counts):
        manifest = memory_tree(files)
        sync()
        rss, seconds = peak_rss(ferry("verify", manifest, MEMORY_TREE))
        rows.append({"files": files, "peak_rss": rss, "seconds": seconds})
        print(f"{files:>9,} files: peak RSS {rss / 2**20:.0f} MiB, {seconds:.1f} s", flush=True)
    result = {"commit": git_commit(), "load": os.getloadavg(), "rows": rows}
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "verify-memory.json"), "w") as handle:
        json.dump(result, handle, indent=2)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="small, mixed, big")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", type=int, nargs="+", metavar="FILES")
    args = parser.parse_args(argv)
    if args.memory:
        return memory(args.memory)
    if not args.names or not set(args.names) <= {"small", "mixed", "big"}:
        parser.error("name data sets (small, mixed, big), or --memory")
    os.makedirs(TARGETS, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    results = []
    for name in args.names:
        source = os.path.join(DATA, name)
        if not os.path.isdir(source):
            raise SystemExit(f"{name}: missing; run bench/datasets.py {name}")
        print(f"{name}: copies", flush=True)
        rounds = copy_rounds(source, name, args.rounds)
        copy = medians(rounds)
        pairs = zip(rounds["ferry --verify"], rounds["ferry"], strict=True)
        copy["verify costs"] = statistics.median(with_ - without for with_, without in pairs)
        print(f"{name}: manifest checks", flush=True)
        check = medians(check_rounds(source, name, args.rounds))
        result = {"dataset": name, "rounds": args.rounds, "commit": git_commit()}
        result |= {"copy": copy, "check": check}
        with open(os.path.join(RESULTS, f"verify-{name}.json"), "w") as handle:
            json.dump(result, handle, indent=2)
        results.append(result)
    for leftover in os.listdir(TARGETS):
        if leftover.startswith("verify-"):
            path = os.path.join(TARGETS, leftover)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    section = render(results)
    print(section)
    write_doc(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
