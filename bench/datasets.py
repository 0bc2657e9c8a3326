"""Generate the benchmark datasets of issues #2 and #13 under bench/data/ (gitignored).

    python bench/datasets.py small mixed big many   # or: all (all but million)
    python bench/datasets.py million
    python bench/datasets.py --list               # what exists, with file counts and sizes

small  20,000 files of 4 KiB in 200 folders (10 top folders x 20 subfolders x 100 files).
mixed  2,000 files, sizes 1 KiB..64 MiB with a heavy tail, about 2 GB in total, in 60
       folders. A pure log-uniform draw over 1 KiB..64 MiB averages 5.8 MiB a file (about
       12 GB for 2,000 files), which contradicts "about 2 GB"; so the sizes follow a power
       law p(s) ~ s^-alpha on the same range (alpha = 1 would be log-uniform), with alpha
       solved so that the expected total is 2 GB (alpha is about 1.31). Seeded: the same
       sizes every time; the actual total is printed.
big    4 files of 1 GiB.
many   200,000 files of 100 bytes in 200 folders (10 top folders x 20 subfolders x 1,000
       files): issue #13's 1,000,000 files in 1,000 folders, scaled down by five with
       the same files per folder. Files that carry almost no data show the per-file
       cost, and whatever the job keeps per file shows as memory.
million  issue #13's own: 1,000,000 files of 100 bytes in 1,000 folders (10 top folders
       x 100 subfolders x 1,000 files). About 4 GB of blocks and a million inodes per
       copy, minutes per run: not part of "all".

The data is real (no holes): a random 1 MiB block, written again and again with a unique
16-byte counter at the front of every 1 MiB, so no two blocks are equal and generation
runs at disk speed instead of at random-number speed.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
DATASETS = ("small", "mixed", "big", "many", "million")
STANDARD = DATASETS[:4]  # "all"
SEED = 20240602
KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30
BLOCK = MiB

MIXED_FILES = 2000
MIXED_MIN = 1 * KiB
MIXED_MAX = 64 * MiB
MIXED_TOTAL = 2_000_000_000  # expected total bytes; the seeded draw lands near it
MIXED_FOLDERS = 60

MANY_TOP, MANY_SUB, MANY_FILES, MANY_SIZE = 10, 20, 1000, 100
MILLION_SUB = 100  # subfolders per top folder: 1,000 folders of 1,000 files


class Writer:
    """Writes unique, incompressible-looking bytes cheaply."""

    def __init__(self, seed: int) -> None:
        self.block = bytearray(random.Random(seed).randbytes(BLOCK))
        self.counter = 0

    def write_file(self, path: str, size: int) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            left = size
            while left > 0:
                self.counter += 1
                self.block[:16] = self.counter.to_bytes(16, "little")
                n = min(left, BLOCK)
                view = memoryview(self.block)[:n]
                while view:
                    view = view[os.write(fd, view) :]
                left -= n
        finally:
            os.close(fd)


def power_law_mean(alpha: float, lo: float, hi: float) -> float:
    """Mean of p(s) ~ s^-alpha on [lo, hi]."""
    if abs(alpha - 1) < 1e-9:
        return (hi - lo) / math.log(hi / lo)
    if abs(alpha - 2) < 1e-9:
        return math.log(hi / lo) / (1 / lo - 1 / hi)
    return (
        (1 - alpha)
        / (2 - alpha)
        * (hi ** (2 - alpha) - lo ** (2 - alpha))
        / (hi ** (1 - alpha) - lo ** (1 - alpha))
    )


def solve_alpha(mean: float, lo: float, hi: float) -> float:
    """The alpha whose power law on [lo, hi] has this mean (bisection; mean falls with alpha)."""
    a, b = 0.5, 3.0
    for _ in range(100):
        mid = (a + b) / 2
        if power_law_mean(mid, lo, hi) > mean:
            a = mid
        else:
            b = mid
    return (a + b) / 2


def power_law_sample(rng: random.Random, alpha: float, lo: float, hi: float) -> int:
    u = rng.random()
    if abs(alpha - 1) < 1e-9:
        return int(lo * (hi / lo) ** u)
    e = 1 - alpha
    return int((lo**e + u * (hi**e - lo**e)) ** (1 / e))


def mixed_sizes() -> tuple[list[int], float]:
    alpha = solve_alpha(MIXED_TOTAL / MIXED_FILES, MIXED_MIN, MIXED_MAX)
    rng = random.Random(SEED)
    sizes = [power_law_sample(rng, alpha, MIXED_MIN, MIXED_MAX) for _ in range(MIXED_FILES)]
    return sizes, alpha


def gen_small(root: str, writer: Writer) -> None:
    for top in range(10):
        for sub in range(20):
            folder = os.path.join(root, f"dir{top:02d}", f"sub{sub:02d}")
            os.makedirs(folder)
            for n in range(100):
                writer.write_file(os.path.join(folder, f"file{n:03d}.dat"), 4 * KiB)


def gen_mixed(root: str, writer: Writer) -> str:
    sizes, alpha = mixed_sizes()
    rng = random.Random(SEED + 1)
    folders = []
    for n in range(MIXED_FOLDERS):
        depth = n % 3  # some nesting: top level, one and two folders deep
        parts = [f"group{n % 6}"] + [f"level{d}-{n}" for d in range(depth)]
        folders.append(os.path.join(*parts) if depth else f"group{n % 6}-{n}")
    for folder in folders:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    for i, size in enumerate(sizes):
        folder = folders[rng.randrange(len(folders))]
        writer.write_file(os.path.join(root, folder, f"f{i:04d}.bin"), size)
    return f"power law alpha={alpha:.3f}, max file {max(sizes) / MiB:.1f} MiB"


def gen_big(root: str, writer: Writer) -> None:
    os.makedirs(root)
    for n in range(4):
        writer.write_file(os.path.join(root, f"big{n}.bin"), GiB)


def gen_many(root: str, writer: Writer, subfolders: int = MANY_SUB) -> None:
    for top in range(MANY_TOP):
        for sub in range(subfolders):
            folder = os.path.join(root, f"dir{top:02d}", f"sub{sub:02d}")
            os.makedirs(folder)
            for n in range(MANY_FILES):
                writer.write_file(os.path.join(folder, f"file{n:04d}.txt"), MANY_SIZE)


def tree_stats(root: str) -> tuple[int, int, int]:
    files = folders = total = 0
    for dirpath, dirs, names in os.walk(root):
        folders += len(dirs)
        files += len(names)
        total += sum(os.lstat(os.path.join(dirpath, n)).st_size for n in names)
    return files, folders, total


def generate(name: str, force: bool) -> None:
    root = os.path.join(DATA, name)
    done_marker = os.path.join(DATA, f".{name}.done")
    if os.path.exists(done_marker) and not force:
        files, folders, total = tree_stats(root)
        print(f"{name}: exists ({files:,} files, {folders} folders, {total:,} bytes)")
        return
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(DATA, exist_ok=True)
    writer = Writer(SEED + DATASETS.index(name))
    t0 = time.monotonic()
    note = ""
    if name == "small":
        gen_small(root, writer)
    elif name == "mixed":
        note = gen_mixed(root, writer)
    elif name == "big":
        gen_big(root, writer)
    elif name == "many":
        gen_many(root, writer)
    else:
        gen_many(root, writer, MILLION_SUB)
    subprocess.run(["sync"], check=True)
    seconds = time.monotonic() - t0
    files, folders, total = tree_stats(root)
    with open(done_marker, "w") as f:
        f.write(f"{files} {folders} {total}\n")
    print(
        f"{name}: {files:,} files, {folders} folders, {total:,} bytes "
        f"({total / GiB:.2f} GiB) in {seconds:.1f}s {note}".rstrip()
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", choices=[*DATASETS, "all"], default=[])
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    parser.add_argument("--list", action="store_true", help="show what exists")
    args = parser.parse_args(argv)
    names = list(STANDARD) if "all" in args.names else args.names
    if args.list:
        for name in DATASETS:
            root = os.path.join(DATA, name)
            if os.path.isdir(root):
                files, folders, total = tree_stats(root)
                print(f"{name}: {files:,} files, {folders} folders, {total:,} bytes")
            else:
                print(f"{name}: missing")
        return 0
    if not names:
        parser.error("name a dataset (small, mixed, big, many, million or all)")
    for name in names:
        generate(name, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
