"""Time Ferry against `cp -a` and `rsync -a` on the datasets of bench/datasets.py.

    .venv/bin/python bench/compare.py small mixed big many --rounds 5

Method (ENGINEERING.md section 4; issue #2, section 5):
- The three tools alternate (Ferry, cp, rsync, Ferry, cp, rsync, ...), N rounds.
- Every run copies into a fresh target under bench/out/targets/. Earlier targets are
  emptied with truncate (deleting a big tree makes later file creation ~20x slower on
  this ext4), files of 1 MiB or more only (see empty_tree), and deleted only when every
  dataset is done (pass --keep-targets when more runs follow soon).
- `sync` before each timed run. Ferry's "done" includes a flush of the target's file
  system, so cp and rsync are timed as `cp -a SRC/. DST && sync` and
  `rsync -a SRC/ DST && sync`.
- An untimed Ferry copy first warms the page cache and is checked against the source
  (`diff -r -q` and `rsync -anic --delete`, which also compares modes, times, owners).
- Ferry runs as `.venv/bin/python -m app copy SRC DST` from the repository root: the
  venv's interpreter itself, as `make run` uses it (no shell, no wrapper script). Not its
  realpath: that starts the base installation, whose site-packages are not Ferry's (here
  a .pth there imported certifi in every process, 45 ms each).
- Memory: every ~50 ms the whole process tree of the timed command is sampled (main,
  Manager, pool workers, resource tracker; or the shell, cp/rsync processes and sync) and
  the peak of the summed PSS (from /proc/PID/smaps_rollup) and of the summed RSS is kept.
  The CPU time each process used is kept too (its last sample before it exited).
- Reported: median seconds per tool, the median of the per-round ratios against cp -a,
  and peak memory. Results go to bench/out/results/DATASET.json and into the
  "Copy speed" section of docs/performance.md (only between its markers).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import stat
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data")
OUT = os.path.join(HERE, "out")
TARGETS = os.path.join(OUT, "targets")
RESULTS = os.path.join(OUT, "results")
DOC = os.path.join(REPO, "docs", "performance.md")
START_MARK = "<!-- copy-bench:start -->"
END_MARK = "<!-- copy-bench:end -->"
DATASETS = ("small", "mixed", "big", "many", "million")
STANDARD = DATASETS[:4]  # "all": million takes minutes a run, asked for by name
TOOLS = ("ferry", "cp", "rsync")
SAMPLE_EVERY = 0.05
TRUNCATE_MIN = 1 << 20  # smaller target files are left as they are (see empty_tree)
TICKS = os.sysconf("SC_CLK_TCK")
MiB = 1 << 20
TARGETS_ISSUE = {"small": 0.85, "mixed": 0.9, "big": 0.95, "many": 0.9, "million": 0.9}  # issue #13
MEMORY_TARGET_MIB = 250


def venv_python() -> str:
    """The venv's interpreter, as `make run` runs Ferry (see the module docstring)."""
    candidate = os.path.join(REPO, ".venv", "bin", "python")
    return candidate if os.path.exists(candidate) else sys.executable


# --- process-tree sampling -----------------------------------------------------------


def _read_stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, utime+stime ticks, threads) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[17])


def _read_memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes; (0, 0) if the process is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return pss, rss


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


@dataclass
class TreeSampler:
    """Samples the memory and CPU of a process and all its descendants in a thread."""

    root: int
    peak_pss: int = 0
    peak_rss: int = 0
    peak_processes: int = 0
    samples: int = 0
    cpu_ticks: dict[int, int] = field(default_factory=dict)
    first_seen: dict[int, int] = field(default_factory=dict)  # pid -> order of appearance
    commands: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int] = field(default_factory=dict)
    threads: dict[int, int] = field(default_factory=dict)  # most seen at once

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        # This kernel has no /proc/PID/task/TID/children: scan /proc. Pids only grow
        # (no wrap-around within a run), so only pids >= root can be descendants.
        stats: dict[int, tuple[int, int, int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) >= self.root:
                st = _read_stat(int(name))
                if st is not None:
                    stats[int(name)] = st
        members = {self.root} if self.root in stats else set()
        grew = True
        while grew:
            grew = False
            for pid, (ppid, _, _) in stats.items():
                if pid not in members and ppid in members:
                    members.add(pid)
                    grew = True
        for pid in members:
            self.cpu_ticks[pid] = stats[pid][1]
            self.threads[pid] = max(self.threads.get(pid, 0), stats[pid][2])
            if pid not in self.first_seen:
                self.first_seen[pid] = len(self.first_seen)
                self.commands[pid] = _cmdline(pid)
                self.parents[pid] = stats[pid][0]
        return sorted(members)

    def sample(self) -> None:
        members = self._tree()
        pss = rss = 0
        for pid in members:
            p, r = _read_memory(pid)
            pss += p
            rss += r
        self.samples += 1
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_processes = max(self.peak_processes, len(members))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_EVERY)

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds per role, for a Ferry tree: main, fork server, manager, workers, other.

        The Manager and the workers are the fork server's children (spawned processes
        where there is no fork server), started side by side in no fixed order
        (app/core/copying.py); the Manager is the one with the most threads (one per
        connection), a worker has three (main, forwarder, owner watchdog).
        """
        roles: dict[str, float] = {}
        servers = {
            pid
            for pid in self.first_seen
            if self.parents[pid] == self.root and "forkserver" in self.commands[pid]
        }
        helpers = [
            pid
            for pid in self.first_seen
            if self.parents[pid] in servers or "spawn_main" in self.commands[pid]
        ]
        manager = max(helpers, key=lambda pid: self.threads.get(pid, 0), default=None)
        for pid, ticks in self.cpu_ticks.items():
            if pid == self.root:
                role = "main"
            elif pid in servers:
                role = "fork server"
            elif pid == manager:
                role = "manager"
            elif pid in helpers:
                role = "workers"
            else:
                role = "other"
            roles[role] = roles.get(role, 0.0) + ticks / TICKS
        return roles


def command(tool: str, source: str, target: str, workers: int | None) -> list[str]:
    if tool == "ferry":
        cmd = [venv_python(), "-m", "app", "copy", source, target]
        return cmd + (["--workers", str(workers)] if workers else [])
    if tool == "cp":
        return ["sh", "-c", f"cp -a {shlex.quote(source)}/. {shlex.quote(target)} && sync"]
    return ["sh", "-c", f"rsync -a {shlex.quote(source)}/ {shlex.quote(target)} && sync"]


def display_command(tool: str, workers: int | None) -> str:
    if tool == "ferry":
        extra = f" --workers {workers}" if workers else ""
        return f"{venv_python()} -m app copy SRC DST{extra}   (cwd {REPO}; ends with a syncfs)"
    if tool == "cp":
        return "cp -a SRC/. DST && sync"
    return "rsync -a SRC/ DST && sync"


@dataclass
class Run:
    tool: str
    round: int
    seconds: float
    peak_pss: int
    peak_rss: int
    peak_processes: int
    samples: int
    cpu: dict[str, float]


def timed_run(tool: str, source: str, target: str, workers: int | None) -> Run:
    cmd = command(tool, source, target, workers)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(
            f"{tool} failed ({proc.returncode}): {shlex.join(cmd)}\n{out.decode()}{err.decode()}"
        )
    cpu = sampler.cpu_by_role() if tool == "ferry" else {}
    return Run(
        tool,
        0,
        seconds,
        sampler.peak_pss,
        sampler.peak_rss,
        sampler.peak_processes,
        sampler.samples,
        cpu,
    )


def empty_tree(root: str) -> None:
    """Free a target's data blocks without deleting its inodes (see module docstring).

    Only files of TRUNCATE_MIN bytes or more: this file system is mounted with `discard`
    and has no journal, so every freed extent waits for a discard (seen: 20,000 files of
    4 KiB took minutes), while small files hold almost no space.
    """
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and st.st_size >= TRUNCATE_MIN:
                os.truncate(path, 0)


def compile_bytecode() -> None:
    """Write Ferry's .pyc files before timing it, as an installed or frozen Ferry has them.

    Where PYTHONDONTWRITEBYTECODE is set (as on the machines here), a source checkout
    never caches them: every process would compile Ferry's modules again (about 0.05 s
    of CPU each), a cost no user's Ferry pays after its first run.
    """
    subprocess.run([venv_python(), "-m", "compileall", "-q", "app"], cwd=REPO, check=True)


def sync() -> None:
    subprocess.run(["sync"], check=True)


def verify(source: str, target: str) -> dict[str, object]:
    diff = subprocess.run(["diff", "-r", "-q", source, target], capture_output=True, text=True)
    itemize = subprocess.run(
        ["rsync", "-anic", "--delete", f"{source}/", f"{target}/"],
        capture_output=True,
        text=True,
    )
    differences = [line for line in itemize.stdout.splitlines() if line.strip()]
    return {
        "diff_exit": diff.returncode,
        "diff_lines": len(diff.stdout.splitlines()),
        "rsync_itemized_differences": len(differences),
        "examples": (diff.stdout.splitlines() + differences)[:5],
        "ok": diff.returncode == 0 and not differences and itemize.returncode == 0,
    }


def tree_size(root: str) -> tuple[int, int]:
    files = total = 0
    for dirpath, _, names in os.walk(root):
        files += len(names)
        total += sum(os.lstat(os.path.join(dirpath, n)).st_size for n in names)
    return files, total


def benchmark(
    name: str, rounds: int, workers: int | None, emptied: list[str], tools: tuple[str, ...]
) -> dict:
    source = os.path.join(DATA, name)
    if not os.path.isdir(source):
        raise SystemExit(f"{source} is missing: run bench/datasets.py {name} first")
    files, total = tree_size(source)
    base = os.path.join(TARGETS, name, time.strftime("%H%M%S"))
    os.makedirs(base)
    made: list[str] = []

    def fresh(label: str) -> str:
        for old in made:  # free what earlier runs wrote, keep the inodes
            if old not in emptied:
                empty_tree(old)
                emptied.append(old)
        sync()
        target = os.path.join(base, label)
        made.append(target)
        return target

    print(f"\n== {name}: {files:,} files, {total / MiB:,.0f} MiB; {rounds} rounds", flush=True)
    target = fresh("warmup-ferry")
    warm = timed_run("ferry", source, target, workers)
    check = verify(source, target)
    print(
        f"warm-up Ferry copy {warm.seconds:.2f}s; equal to source: {check['ok']} "
        f"(diff -r -q lines {check['diff_lines']}, rsync -anic differences "
        f"{check['rsync_itemized_differences']})",
        flush=True,
    )
    if not check["ok"]:
        print("  " + "\n  ".join(map(str, check["examples"])), flush=True)
    runs: list[Run] = []
    for r in range(1, rounds + 1):
        line = []
        for tool in tools:
            run = timed_run(tool, source, fresh(f"{r}-{tool}"), workers)
            run.round = r
            runs.append(run)
            line.append(f"{tool} {run.seconds:6.2f}s")
        load = os.getloadavg()[0]
        print(f"round {r}: " + "  ".join(line) + f"   (load {load:.1f})", flush=True)
    for old in made:
        if old not in emptied:
            empty_tree(old)
            emptied.append(old)
    return summarize(name, files, total, runs, check, workers)


def summarize(name: str, files: int, total: int, runs: list[Run], check: dict, workers) -> dict:
    present = [t for t in TOOLS if any(r.tool == t for r in runs)]
    by_tool = {t: [r for r in runs if r.tool == t] for t in present}
    rounds = sorted({r.round for r in runs})
    seconds = {t: {r.round: r.seconds for r in by_tool[t]} for t in present}
    tools = {}
    for t in present:
        times = [r.seconds for r in by_tool[t]]
        ratios = [seconds[t][n] / seconds["cp"][n] for n in rounds]
        cpu_roles = sorted({k for r in by_tool[t] for k in r.cpu})
        tools[t] = {
            "median_s": statistics.median(times),
            "min_s": min(times),
            "max_s": max(times),
            "ratio_vs_cp_median": statistics.median(ratios),
            "ratios": ratios,
            "peak_pss_mib": max(r.peak_pss for r in by_tool[t]) / MiB,
            "peak_rss_mib": max(r.peak_rss for r in by_tool[t]) / MiB,
            "peak_processes": max(r.peak_processes for r in by_tool[t]),
            "cpu_median_s": {
                k: statistics.median(r.cpu.get(k, 0.0) for r in by_tool[t]) for k in cpu_roles
            },
        }
    return {
        "dataset": name,
        "files": files,
        "bytes": total,
        "rounds": len(rounds),
        "workers": workers,
        "tools": tools,
        "runs": [asdict(r) for r in runs],
        "verify": check,
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "loadavg_after": os.getloadavg(),
        "commit": git_commit(),
    }


def git_commit() -> str:
    result = subprocess.run(
        ["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return result.stdout.strip()


def print_summary(result: dict) -> None:
    name = result["dataset"]
    print(f"\n{name}: medians of {result['rounds']} rounds; ratio = median of per-round ratios")
    print("  (cp and rsync are timed with '&& sync': Ferry's done includes a sync)")
    print(f"  {'tool':<6} {'median':>8} {'min-max':>15} {'x cp -a':>8} {'peak PSS':>10} {'RSS':>8}")
    for tool, t in result["tools"].items():
        print(
            f"  {tool:<6} {t['median_s']:7.2f}s {t['min_s']:6.2f}-{t['max_s']:6.2f}s "
            f"{t['ratio_vs_cp_median']:7.2f}x {t['peak_pss_mib']:7.1f}MiB "
            f"{t['peak_rss_mib']:5.0f}MiB"
        )
    cpu = result["tools"]["ferry"]["cpu_median_s"]
    if cpu:
        print("  Ferry CPU seconds (median): " + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    goal = TARGETS_ISSUE[name]
    ferry = result["tools"]["ferry"]
    verdict = "met" if ferry["ratio_vs_cp_median"] <= goal else "MISSED"
    mem = "met" if ferry["peak_pss_mib"] <= MEMORY_TARGET_MIB else "MISSED"
    print(f"  target <= {goal}x cp -a: {verdict}; memory <= {MEMORY_TARGET_MIB} MiB: {mem}")


# --- docs/performance.md -------------------------------------------------------------


def machine() -> dict[str, str]:
    fs = subprocess.run(
        ["findmnt", "-n", "-o", "FSTYPE,OPTIONS", "-T", DATA], capture_output=True, text=True
    ).stdout.strip()
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024 // 1024
    return {
        "nproc": str(os.cpu_count()),
        "kernel": platform.release(),
        "filesystem": " ".join(fs.split()) or "?",
        "memory": f"{mem} GiB",
        "python": platform.python_version(),
        "cp": subprocess.run(["cp", "--version"], capture_output=True, text=True)
        .stdout.splitlines()[0]
        .strip(),
        "rsync": subprocess.run(["rsync", "--version"], capture_output=True, text=True)
        .stdout.splitlines()[0]
        .strip(),
    }


def render_section(results: list[dict], commands: list[str]) -> str:
    m = machine()
    order = {n: i for i, n in enumerate(DATASETS)}
    results = sorted(results, key=lambda r: order[r["dataset"]])
    lines = [
        START_MARK,
        "## Copy speed",
        "",
        "Written by `bench/compare.py`; edit the script, not this section.",
        "",
        "| dataset | tool | median | min-max | x `cp -a` (median of per-round ratios) "
        "| peak memory, all processes (PSS / RSS) | issue #13 target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        label = f"{r['dataset']} ({r['files']:,} files, {r['bytes'] / MiB:,.0f} MiB)"
        for tool, t in r["tools"].items():
            goal = ""
            if tool == "ferry":
                ok = t["ratio_vs_cp_median"] <= TARGETS_ISSUE[r["dataset"]]
                mem_ok = t["peak_pss_mib"] <= MEMORY_TARGET_MIB
                goal = (
                    f"<= {TARGETS_ISSUE[r['dataset']]}x: {'met' if ok else '**missed**'}; "
                    f"<= {MEMORY_TARGET_MIB} MiB: {'met' if mem_ok else '**missed**'}"
                )
            lines.append(
                f"| {label if tool == 'ferry' else ''} | {tool} | {t['median_s']:.2f} s "
                f"| {t['min_s']:.2f}-{t['max_s']:.2f} s | {t['ratio_vs_cp_median']:.2f}x "
                f"| {t['peak_pss_mib']:.0f} / {t['peak_rss_mib']:.0f} MiB | {goal} |"
            )
    lines += ["", "Ferry copy equal to its source (checked once per dataset, untimed):", ""]
    for r in results:
        v = r["verify"]
        lines.append(
            f"- {r['dataset']}: {'yes' if v['ok'] else '**no**'} (`diff -r -q`: "
            f"{v['diff_lines']} lines; `rsync -anic --delete`: "
            f"{v['rsync_itemized_differences']} differences)"
        )
    cpu_lines = []
    for r in results:
        cpu = r["tools"]["ferry"]["cpu_median_s"]
        if cpu:
            parts = ", ".join(f"{k} {v:.2f} s" for k, v in cpu.items())
            cpu_lines.append(f"- {r['dataset']}: {parts}")
    if cpu_lines:
        lines += ["", "Ferry CPU time per process role (median of the timed runs):", ""]
        lines += cpu_lines
    rounds = ", ".join(f"{r['dataset']} {r['rounds']}" for r in results)
    load = ", ".join(f"{r['dataset']} {r['loadavg_after'][0]:.1f}" for r in results)
    when = ", ".join(f"{r['dataset']} {r['when']} (commit {r['commit']})" for r in results)
    lines += [
        "",
        f"Machine: {m['nproc']} CPUs, {m['memory']} RAM, Linux {m['kernel']}, file system "
        f"`{m['filesystem']}` (ext4 without a journal), Python {m['python']}, "
        f"{m['cp']}, {m['rsync']}. Rounds: {rounds}. Measured: {when}.",
        "",
        "Method: the three commands alternate (Ferry, cp, rsync, Ferry, …), each into a fresh "
        "target; earlier targets' files of 1 MiB or more are emptied with `truncate -s 0` "
        "rather than deleted (the mount has `discard`: each freed extent waits for a "
        "discard), and all targets are deleted only at the very end; `sync` "
        "before every timed run; warm page cache (an untimed Ferry copy first, which is also "
        "the one checked against the source). Ferry's run ends with a flush of the target's "
        "file system (`syncfs`), so "
        "cp and rsync are timed as `cp -a SRC/. DST && sync` and `rsync -a SRC/ DST && sync`. "
        "Ferry is `.venv/bin/python -m app copy SRC DST` (the venv's interpreter, as "
        "`make run` uses it, with its .pyc files written first), default workers (one per "
        "CPU), start-up included (a fork server, its Manager and workers). Memory is the "
        "peak of the summed PSS (and RSS) of the whole process tree (main, fork server, "
        "Manager, pool workers, resource tracker), sampled every 50 ms from "
        "`/proc/PID/smaps_rollup`.",
        "",
        "Caveat: a 2-CPU machine shared with other engineers' test suites while this ran "
        f"(1-minute load average after each dataset: {load}), so absolute times are noisy; "
        "compare the ratios, which come from runs seconds apart.",
        "",
        "Commands that made this table:",
        "",
        "```sh",
        *commands,
        "```",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    """Replace only the copy-speed section of docs/performance.md (create it if missing)."""
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    try:
        with open(DOC, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        text = "# Performance\n"
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start != -1 and end > start:
        text = text[:start] + section + "\n" + text[end + len(END_MARK) :].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    tmp = DOC + ".tmp-copy-bench"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, DOC)


def load_results() -> list[dict]:
    results = []
    for name in DATASETS:
        path = os.path.join(RESULTS, f"{name}.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                results.append(json.load(f))
    return results


def update_doc() -> None:
    results = load_results()
    if not results:
        raise SystemExit(f"no results in {RESULTS}: run a benchmark first")
    commands = [
        "apt-get install -y rsync   # if missing",
        ".venv/bin/python bench/datasets.py " + " ".join(r["dataset"] for r in results),
        *sorted({".venv/bin/python bench/compare.py " + r["args"] for r in results}),
    ]
    write_section(render_section(results, commands))
    print(f"\nupdated the copy-speed section of {os.path.relpath(DOC, REPO)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "names", nargs="*", help="small, mixed, big, many, million or all (the first four)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None, help="passed to Ferry")
    parser.add_argument("--no-doc", action="store_true", help="leave docs/performance.md alone")
    parser.add_argument("--keep-targets", action="store_true", help="do not delete targets")
    parser.add_argument(
        "--without-rsync",
        action="store_true",
        help="only Ferry and cp (rsync writes a lot between them); implies --no-doc",
    )
    parser.add_argument(
        "--doc-only", action="store_true", help="rewrite the doc section from saved results"
    )
    args = parser.parse_args(argv)
    if args.doc_only:
        update_doc()
        return 0
    if not args.names or not set(args.names) <= {*DATASETS, "all"}:
        parser.error("name datasets: small, mixed, big, many, million or all")
    names = list(STANDARD) if "all" in args.names else list(dict.fromkeys(args.names))
    for tool in ("rsync", "diff", "sync"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install -y {tool})")
    os.makedirs(RESULTS, exist_ok=True)
    compile_bytecode()
    emptied: list[str] = []
    try:
        for name in names:
            tools = ("ferry", "cp") if args.without_rsync else TOOLS
            result = benchmark(name, args.rounds, args.workers, emptied, tools)
            result["args"] = shlex.join(argv)
            saved = f"{name}-without-rsync.json" if args.without_rsync else f"{name}.json"
            with open(os.path.join(RESULTS, saved), "w", encoding="utf-8") as f:
                json.dump(result, f, indent=1)
            print_summary(result)
    finally:
        if not args.keep_targets:
            # Deleted last: creating files soon after a big delete is slow on this ext4.
            shutil.rmtree(TARGETS, ignore_errors=True)
    if not (args.no_doc or args.without_rsync):
        update_doc()
    print("\nFerry:  " + display_command("ferry", args.workers))
    print("cp:     " + display_command("cp", None))
    print("rsync:  " + display_command("rsync", None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
