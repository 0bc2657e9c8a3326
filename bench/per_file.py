"""Cost per small file: Ferry's worker loop against the bare system calls and `cp -a`.

    .venv/bin/python bench/per_file.py --rounds 3 [--dataset many]

On the small dataset (bench/datasets.py small; or many: 200,000 files of 100 bytes),
alternating, each run into a fresh target on the same file system, without the final sync
and without Pool, Manager or scan:

  cp          `cp -a SRC/. DST` (one process)
  syscalls    a Python loop making exactly the system calls Ferry makes per file (open,
              fstat, open O_TMPFILE, copy_file_range, fstat, fchown, listxattr, fchmod,
              utime, linkat, close x2) and nothing else: the floor for Ferry's design in
              Python
  ferry       Ferry's own worker loop (app.core.worker.copy_batch), in one process
  ferry x2    the same loop in two processes at once, each on half of the folders: what
              two workers can do together on this machine
  syscalls x2 the bare calls, likewise in two processes: the floor for two workers

Prints microseconds per file (wall, and user/system CPU). This explains the small-file
ratio in docs/performance.md; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FILE_SIZES = {"small": 4096, "many": 100}  # every file of these datasets has this size
TARGETS = os.path.join(HERE, "out", "targets")
VARIANTS = ("cp", "syscalls", "syscalls x2", "ferry", "ferry x2")


def list_files(source: str, part: int, parts: int) -> list[tuple[str, str]]:
    """(folder relative to source, file name) of one part of the top-level folders."""
    tops = sorted(os.listdir(source))[part::parts]
    found = []
    for top in tops:
        for folder, _, names in os.walk(os.path.join(source, top)):
            rel = os.path.relpath(folder, source)
            found += [(rel, name) for name in sorted(names)]
    return found


def make_folders(files: list[tuple[str, str]], target: str) -> None:
    for rel in {rel for rel, _ in files}:
        os.makedirs(os.path.join(target, rel), exist_ok=True)


def syscalls_only(source: str, target: str, files: list[tuple[str, str]]) -> None:
    read = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    unnamed = os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC
    folders: dict[str, int] = {}  # open target folders, as Ferry keeps them
    for rel, name in files:
        if rel not in folders:
            folders[rel] = os.open(os.path.join(target, rel), os.O_RDONLY | os.O_DIRECTORY)
        folder = folders[rel]
        fd_in = os.open(os.path.join(source, rel, name), read)
        st = os.fstat(fd_in)
        fd_out = os.open(".", unnamed, 0o600, dir_fd=folder)
        os.copy_file_range(fd_in, fd_out, st.st_size, 0, 0)
        os.fstat(fd_in)
        os.fchown(fd_out, st.st_uid, st.st_gid)
        os.listxattr(fd_in)
        os.fchmod(fd_out, st.st_mode & 0o7777)
        os.utime(fd_out, ns=(st.st_atime_ns, st.st_mtime_ns))
        # With a folder descriptor, os.link calls linkat(), which follows /proc's link to
        # the open file; without one it calls link(), which fails with EXDEV.
        os.link(f"/proc/self/fd/{fd_out}", name, dst_dir_fd=folder, follow_symlinks=True)
        os.close(fd_out)
        os.close(fd_in)
    for fd in folders.values():
        os.close(fd)


def ferry_loop(source: str, target: str, files: list[tuple[str, str]], size: int) -> None:
    import multiprocessing

    from app.core import filecopy, tree, worker
    from app.core.events import Batch, EntryKind, FileTask, FolderIds, WorkerContext
    from app.core.options import ConflictPolicy, CopyOptions

    class Outbox:  # stands in for the forwarder to the Manager
        def put(self, item: object) -> None:
            pass

        def put_and_wait(self, item: object) -> None:
            pass

    events = multiprocessing.get_context("spawn")
    context = WorkerContext(
        None, events.Event(), events.Event(), CopyOptions(), source, target, "0" * 12
    )
    context.running.set()
    worker._context, worker._outbox = context, Outbox()  # type: ignore[assignment]
    worker._copier = filecopy.Copier(context, lambda *_: None)
    folders = {
        rel: FolderIds(
            tree.identity(os.stat(os.path.join(source, rel))),
            tree.identity(os.stat(os.path.join(target, rel))),
        )
        for rel in {rel for rel, _ in files}
    }
    tasks = [
        FileTask(os.path.join(rel, name), EntryKind.FILE, size, serial, fresh=True)
        for serial, (rel, name) in enumerate(files)
    ]
    for start in range(0, len(tasks), 512):  # the feeder's batch size
        batch = Batch(tuple(tasks[start : start + 512]), folders)
        worker.copy_batch(start, batch, ConflictPolicy.NEWER)


def run_child(variant: str, dataset: str, target: str, part: int, parts: int) -> None:
    """In a child process: copy one part of the source with one variant."""
    source = os.path.join(HERE, "data", dataset)
    files = list_files(source, part, parts)
    make_folders(files, target)
    if variant == "syscalls":
        syscalls_only(source, target, files)
    else:
        ferry_loop(source, target, files, FILE_SIZES[dataset])


def timed(variant: str, dataset: str, target: str) -> tuple[float, float, float]:
    """(wall, user, system) seconds of one run, children included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    if variant == "cp":
        source = os.path.join(HERE, "data", dataset)
        subprocess.run(["cp", "-a", f"{source}/.", target], check=True)
    else:
        parts = 2 if variant.endswith(" x2") else 1
        kind = variant.removesuffix(" x2")
        children = [
            subprocess.Popen(
                [sys.executable, __file__, "--child", kind, dataset, target, str(part), str(parts)],
                cwd=REPO,
            )
            for part in range(parts)
        ]
        if any(child.wait() != 0 for child in children):
            raise SystemExit(f"{variant} failed")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep-targets", action="store_true", help="do not delete targets")
    parser.add_argument("--dataset", choices=sorted(FILE_SIZES), default="small")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        variant, dataset, target, part, parts = args.child
        run_child(variant, dataset, target, int(part), int(parts))
        return
    source = os.path.join(HERE, "data", args.dataset)
    if not os.path.isdir(source):
        raise SystemExit(f"no {args.dataset} dataset: run bench/datasets.py {args.dataset} first")
    count = len(list_files(source, 0, 1))
    results: dict[str, list[tuple[float, float, float]]] = {v: [] for v in VARIANTS}
    os.makedirs(TARGETS, exist_ok=True)
    made = []
    for round_no in range(args.rounds):
        for variant in VARIANTS:
            name = f"per-file-{variant.replace(' ', '')}-{round_no}-{time.time_ns()}"
            made.append(os.path.join(TARGETS, name))
            results[variant].append(timed(variant, args.dataset, made[-1]))
        print(f"round {round_no + 1} done", file=sys.stderr)
    size = FILE_SIZES[args.dataset]
    print(f"{count:,} files of {size:,} B; microseconds per file, median of {args.rounds} rounds")
    print(f"{'variant':10} {'wall':>7} {'user':>7} {'system':>7}")
    for variant, runs in results.items():
        wall, user, system = (statistics.median(r[i] for r in runs) * 1e6 / count for i in range(3))
        print(f"{variant:10} {wall:7.1f} {user:7.1f} {system:7.1f}")
    print("(x2: wall per file of both processes together; CPU summed)")
    if not args.keep_targets:  # last: creating files soon after a big delete is slow here
        for target in made:
            shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main()
