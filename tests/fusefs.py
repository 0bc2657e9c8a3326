"""A small FUSE file system for tests: a real folder seen through it, with chosen quirks.

- fold: names ignore case and Unicode form, as on exFAT, NTFS, macOS or ext4 casefold
  (this kernel refuses casefold tmpfs, and loop devices are not available here);
  fold="ascii": the case of A-Z only, as Linux vfat mounted with utf8 (`é` is not `É`);
- gate(name, offset): reads of that file stop at `offset` until released, so a test can
  act while a worker is held mid-file, deterministically;
- hang(name): listing that folder blocks until released, like a hung network mount;
- fail_reads(name, offset): reads of that file past `offset` fail with EIO, like a bad
  sector;
- time_step: times are kept to that many nanoseconds, cut down as vfat (2 s), exFAT
  (10 ms) or NTFS (100 ns) cut them (rounded instead with time_rounded);
- links=False: no hard links (link fails with EPERM), as on vfat and exFAT;
- nodes=False: no named pipes, sockets or device nodes (mknod fails with EPERM), as there;
  nodes="as files": mknod makes a regular file and fails with EIO, as exfat-fuse does;
- refused: characters no name may hold (EINVAL, as vfat and exFAT refuse `:`; or
  `refused_with` another error: exFAT through FUSE says ENOENT, fusefat EPERM);
- ascii_only: names of other letters refused too, as fusefat refuses `café` (no Unicode);
- stores_nfd: new names are stored decomposed (NFD), as HFS+ stores them;
- ends_dropped: characters dropped from the end of names, as vfat and exFAT drop dots
  (`Wait...` is `Wait`) and Windows shares dots and spaces; a name of them only is refused;
- largest: the most bytes a file may hold (writes past it fail with EFBIG, as FAT32's
  4 GiB bound does);
- full: nothing new can be made (ENOSPC), as on a full stick or a full FAT16 root folder;
- fixed_mode: the mode of every new file and folder, which chmod leaves as it is (vfat
  and exFAT show modes of their own, from the mount's options), and one time for both
  modification and change, as vfat keeps;
- no_chmod: chmod fails with ENOSYS, as fusefat's does (with fixed_mode: what it shows);
- no_special_bits: chmod with a setuid, setgid or sticky bit fails with EPERM, as exFAT's
  does (exfat-fuse, and the kernel's exfat_setattr);
- no_holes: a file grown by truncate or by a write past its end has zeros written in
  between, as exFAT and vfat keep no holes;
- seconds_32: times set are kept within 32-bit seconds (1901 to 2038), as ext4 of small
  inodes and XFS without bigtime keep them;
- unmapped_group: a group no chown may give (EOVERFLOW), as on an idmapped mount that
  maps no such group;
- renames_date: a file renamed is dated now (both times), as fusefat dates it.

No extended attributes (like vfat) and no O_TMPFILE, so the engine's fallbacks run too.
It runs in a thread of the test process (fusepy, libfuse 2).
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fuse

FUSE_DEVICE = "/dev/fuse"


def fuse_available() -> str:
    """ "" if FUSE can be mounted here, else why not (a skip reason)."""
    if not os.path.exists(FUSE_DEVICE):
        return "no /dev/fuse on this machine"
    if os.geteuid() != 0:
        return "mounting FUSE for tests needs root here"
    return ""


class Gate:
    """Reads past `offset` wait; let_go() frees those waiting, open() frees all for good.

    A process killed while its FUSE read waits cannot die before the read returns (the
    kernel waits for the answer), so a test frees the held read after each kill.
    """

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.opened = False
        self.current = threading.Event()

    def let_go(self) -> None:
        held, self.current = self.current, threading.Event()
        held.set()

    def open(self) -> None:
        self.opened = True
        self.current.set()


class Quirks(fuse.Operations):  # type: ignore[misc]
    use_ns = True

    def __init__(
        self,
        backing: Path,
        fold: bool | str = False,
        time_step: int = 1,
        links: bool = True,
        refused: str = "",
        refused_with: int = errno.EINVAL,
        ascii_only: bool = False,
        fixed_mode: int | None = None,
        time_rounded: bool = False,
        ends_dropped: str = "",
        largest: int = 0,
        full: bool = False,
        nodes: bool | str = True,
        stores_nfd: bool = False,
        no_chmod: bool = False,
        no_special_bits: bool = False,
        no_holes: bool = False,
        seconds_32: bool = False,
        unmapped_group: int = -1,
        renames_date: bool = False,
    ) -> None:
        self.backing = str(backing)
        self.nodes = nodes
        self.stores_nfd = stores_nfd
        self.fixed_mode = fixed_mode
        self.no_chmod = no_chmod
        self.no_special_bits = no_special_bits
        self.no_holes = no_holes
        self.seconds_32 = seconds_32
        self.unmapped_group = unmapped_group
        self.renames_date = renames_date
        self.time_rounded = time_rounded
        self.fold = fold
        self.time_step = time_step
        self.links = links
        self.refused = set(refused)
        self.refused_with = refused_with
        self.ascii_only = ascii_only
        self.ends_dropped = ends_dropped
        self.largest = largest
        self.too_big_writes = 0  # writes refused past `largest`
        self.bytes_written = 0  # by write(), whatever became of them
        self.full = full
        self.gates: dict[str, Gate] = {}
        self.held = 0  # reads that have stopped at a gate so far
        self.counting = threading.Lock()  # not `lock`: that name is a FUSE operation
        self.hung: dict[str, threading.Event] = {}
        self.bad: dict[str, int] = {}  # file name -> where its reads start failing
        self.hang_reached = threading.Event()

    # --- names --------------------------------------------------------------------------

    def key(self, name: str) -> str:
        if self.fold == "ascii":
            return "".join(c.lower() if c.isascii() else c for c in name)
        return unicodedata.normalize("NFD", name).casefold()

    def new_name(self, path: str) -> str:
        """The backing path for a name to be made: refused if it holds a refused character."""
        name = path.rpartition("/")[2]
        if self.refused & set(name) or (self.ascii_only and not name.isascii()):
            raise OSError(self.refused_with, "name refused")
        if self.full:
            raise OSError(errno.ENOSPC, "no room for a new entry")
        if self.stores_nfd:
            head, _, name = path.rpartition("/")
            path = f"{head}/{unicodedata.normalize('NFD', name)}"
        return self.real(path)

    def cut_end(self, name: str) -> str:
        kept = name.rstrip(self.ends_dropped)  # (rstrip("") drops nothing)
        if not kept:
            raise OSError(errno.EINVAL, "name refused")
        return kept

    def real(self, path: str) -> str:
        """The backing path of `path`; with fold, each name matches whatever form exists."""
        parts = [self.cut_end(p) for p in path.split("/") if p]
        current = self.backing
        for part in parts:
            candidate = os.path.join(current, part)
            if self.fold and not os.path.lexists(candidate) and os.path.isdir(current):
                for existing in os.listdir(current):
                    if self.key(existing) == self.key(part):
                        candidate = os.path.join(current, existing)
                        break
            current = candidate
        return current

    # --- reading ------------------------------------------------------------------------

    def getattr(self, path: str, fh: Any = None) -> dict[str, Any]:
        st = os.lstat(self.real(path))
        keys = (
            "st_mode",
            "st_nlink",
            "st_uid",
            "st_gid",
            "st_size",
            "st_ino",
            "st_blocks",
            "st_rdev",
        )
        found = {key: getattr(st, key) for key in keys}
        found.update(
            {
                f"st_{kind}": self.cut(getattr(st, f"st_{kind}_ns"))
                for kind in ("atime", "mtime", "ctime")
            }
        )
        if self.fixed_mode is not None:
            found["st_ctime"] = found["st_mtime"]
        return found

    def cut(self, ns: int) -> int:
        half = self.time_step // 2 if self.time_rounded else 0
        return ns + half - (ns + half) % self.time_step

    def readdir(self, path: str, fh: Any) -> Iterator[str]:
        name = os.path.basename(path.rstrip("/"))
        if name in self.hung:
            self.hang_reached.set()
            self.hung[name].wait()
        yield from (".", "..", *os.listdir(self.real(path)))

    def readlink(self, path: str) -> str:
        return os.readlink(self.real(path))

    def open(self, path: str, flags: int) -> int:
        return os.open(self.real(path), flags & ~(os.O_CREAT | os.O_EXCL))

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        bad = self.bad.get(os.path.basename(path))
        if bad is not None and offset + size > bad:
            raise fuse.FuseOSError(errno.EIO)
        gate = self.gates.get(os.path.basename(path))
        if gate is not None and offset + size > gate.offset and not gate.opened:
            with self.counting:  # requests are served by several threads
                self.held += 1
                current = gate.current
            current.wait()
        return os.pread(fh, size, offset)

    def statfs(self, path: str) -> dict[str, int]:
        st = os.statvfs(self.real(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree")
        return {key: getattr(st, key) for key in (*keys, "f_files", "f_frsize", "f_namemax")}

    def release(self, path: str, fh: int) -> None:
        os.close(fh)

    # --- writing ------------------------------------------------------------------------

    def create(self, path: str, mode: int, fi: Any = None) -> int:
        real = self.new_name(path)
        fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        if self.fixed_mode is not None:
            os.chmod(real, self.fixed_mode)
        return fd

    def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
        self.fits(offset + len(data))
        if self.no_holes:
            self._zeros_to(fh, offset)
        self.bytes_written += len(data)
        return os.pwrite(fh, data, offset)

    def truncate(self, path: str, length: int, fh: Any = None) -> None:
        self.fits(length)
        if self.no_holes and fh is not None:
            self._zeros_to(fh, length)
        os.truncate(self.real(path), length)

    @staticmethod
    def _zeros_to(fh: int, end: int) -> None:
        size = os.fstat(fh).st_size
        if end > size:
            os.pwrite(fh, bytes(end - size), size)

    def fits(self, size: int) -> None:
        if self.largest and size > self.largest:
            self.too_big_writes += 1
            raise OSError(errno.EFBIG, "File too large")

    def flush(self, path: str, fh: int) -> None:
        pass

    def fsync(self, path: str, datasync: bool, fh: int) -> None:
        os.fsync(fh)

    def mkdir(self, path: str, mode: int) -> None:
        real = self.new_name(path)
        os.mkdir(real, mode)
        if self.fixed_mode is not None:
            os.chmod(real, self.fixed_mode)

    def rmdir(self, path: str) -> None:
        os.rmdir(self.real(path))

    def unlink(self, path: str) -> None:
        os.unlink(self.real(path))

    def symlink(self, target: str, source: str) -> None:
        os.symlink(source, self.new_name(target))

    def link(self, target: str, source: str) -> None:
        if not self.links:
            raise OSError(errno.EPERM, "no hard links here")
        os.link(self.real(source), self.new_name(target), follow_symlinks=False)

    def mknod(self, path: str, mode: int, dev: int) -> None:
        if self.nodes == "as files":
            os.close(os.open(self.new_name(path), os.O_CREAT | os.O_WRONLY, 0o644))
            raise OSError(errno.EIO, "made a regular file instead")
        if not self.nodes:
            raise OSError(errno.EPERM, "no special files here")
        os.mknod(self.new_name(path), mode, dev)

    def rename(self, old: str, new: str) -> None:
        os.rename(self.real(old), self.new_name(new))
        if self.renames_date:
            os.utime(self.real(new), follow_symlinks=False)

    def chmod(self, path: str, mode: int) -> None:
        if self.no_chmod:
            raise OSError(errno.ENOSYS, "no chmod here")
        if self.no_special_bits and stat.S_IMODE(mode) & ~0o777:
            raise OSError(errno.EPERM, "no setuid, setgid or sticky bits here")
        if self.fixed_mode is None:
            os.chmod(self.real(path), mode)

    def chown(self, path: str, uid: int, gid: int) -> None:
        if gid == self.unmapped_group:
            raise OSError(errno.EOVERFLOW, "no such group here")
        os.chown(self.real(path), uid, gid, follow_symlinks=False)

    def utimens(self, path: str, times: tuple[int, int] | None = None) -> None:
        if self.seconds_32 and times is not None:
            low, high = -(2**31) * 10**9, (2**31 - 1) * 10**9
            times = (min(max(times[0], low), high), min(max(times[1], low), high))
        os.utime(self.real(path), ns=times, follow_symlinks=False)

    def __call__(self, op: str, *args: Any) -> Any:
        try:
            return super().__call__(op, *args)
        except OSError as exc:
            raise fuse.FuseOSError(exc.errno or errno.EIO) from None


class Mount:
    """A Quirks file system mounted at `point` while the `mounted()` block runs."""

    def __init__(self, ops: Quirks, point: Path) -> None:
        self.ops = ops
        self.point = point

    def gate(self, name: str, offset: int) -> Gate:
        """Reads of `name` stop at `offset` until the gate lets them go."""
        gate = Gate(offset)
        self.ops.gates[name] = gate
        return gate

    def held(self) -> int:
        """How many reads have stopped at a gate so far."""
        return self.ops.held

    def fail_reads(self, name: str, offset: int) -> None:
        """Reads of `name` past `offset` fail with EIO (a bad sector)."""
        self.ops.bad[name] = offset

    def hang(self, name: str) -> threading.Event:
        """Listing the folder `name` blocks until the returned event is set."""
        release = threading.Event()
        self.ops.hung[name] = release
        return release


@contextmanager
def mounted(
    backing: Path,
    point: Path,
    cached: bool = False,
    read_only: bool = False,
    inode_numbers: bool = True,
    **quirks: Any,
) -> Iterator[Mount]:
    """`cached`: reads go through the page cache, which keeps pages across opens (as a
    disk's would), so a change made in the backing folder stays unseen in them.
    `read_only`: mounted so (EROFS). `inode_numbers=False`: each lookup shows a number of
    its own, as high-level FUSE file systems and SMB with `noserverino` do.
    `quirks`: Quirks' own (fold, time_step, links, refused, fixed_mode, no_chmod,
    no_special_bits, no_holes, seconds_32, unmapped_group, time_rounded, ends_dropped,
    largest, full, nodes, renames_date)."""
    point.mkdir(exist_ok=True)
    ops = Quirks(backing, **quirks)
    options = {
        "foreground": True,
        "nothreads": False,
        "direct_io": not cached,  # every read reaches read(): no page cache hides the gate
        "kernel_cache": cached,
        "attr_timeout": 0,  # every stat is fresh: changes in the backing folder show
        "entry_timeout": 0,
        "negative_timeout": 0,
        "use_ino": inode_numbers,  # inode numbers pass through: identity checks see files
        "ro": read_only,
        "allow_other": True,  # the unprivileged tests' user sees it too
    }
    thread = threading.Thread(
        target=fuse.FUSE, args=(ops, str(point)), kwargs=options, name="fuse", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not os.path.ismount(point):
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"FUSE did not mount at {point}")
        time.sleep(0.01)
    mount = Mount(ops, point)
    try:
        yield mount
    finally:
        for gate in ops.gates.values():
            gate.open()
        for release in ops.hung.values():
            release.set()
        subprocess.run(["fusermount", "-u", "-z", str(point)], check=False, timeout=30)
        thread.join(10)
