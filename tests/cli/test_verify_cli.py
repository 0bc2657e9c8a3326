"""`copy --verify --manifest` and `verify MANIFEST [FOLDER]` on the command line."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    REPO,
    SETPRIV,
    cli_env,
    code_for_nobody,
    disk_image,
    file_records,
    in_private_mounts,
    json_lines,
    needs_namespaces,
    needs_nobody,
    run_cli,
    summary_of,
    unprivileged_python,
    world_reachable_dir,
)

# "-" is standard input to sha256sum -c and b3sum -c unless written "./-" (review).
NAMES = [
    "plain.txt",
    "with space",
    "back\\slash",
    "new\nline",
    "car\rriage",
    "back\\and\rreturn",
    "ends\r",
    "中文.txt",
    "-",
]


def listed_name(line: bytes) -> bytes:
    """The name a manifest line lists (unescaped where the line starts with a backslash)."""
    name = line.removesuffix(b"\n").split(b"  ", 1)[1]
    if not line.startswith(b"\\"):
        return name
    escapes = {b"\\\\": b"\\", b"\\n": b"\n", b"\\r": b"\r"}
    return re.sub(rb"\\\\|\\n|\\r", lambda m: escapes[m.group()], name)


def checkable_by(tool: str, name: bytes) -> bool:
    """What b3sum 1.2 and xxhsum 0.8.1 can check (sha256sum -c checks every line): b3sum
    has no `\\r` escape and stops at a name that is not UTF-8; xxhsum reads no escaped line
    (a name with a newline, or one ending in a carriage return)."""
    if tool == "b3sum":
        try:
            name.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return not name.endswith(b"\r")
    return b"\n" not in name and not name.endswith(b"\r")


def verify_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "app", "verify", *args],
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "sub").mkdir(parents=True)
    for index, name in enumerate(NAMES):
        (root / name).write_bytes(os.urandom(1000 + index))
    (root / "sub" / "big").write_bytes(os.urandom(6 << 20))
    with open(os.path.join(os.fsencode(root), b"caf\xe9"), "wb") as out:
        out.write(b"latin-1 name")
    return root


def copy_with_manifest(source: Path, target: Path, manifest: Path) -> dict[str, object]:
    result = run_cli("--json", "--verify", "--manifest", str(manifest), str(source), str(target))
    assert result.returncode == 0, result.stderr.decode()
    records = json_lines(result.stdout)
    assert "verify" in {r.get("phase") for r in records if r["event"] == "progress"}
    return summary_of(records)


@pytest.mark.timeout(60)
def test_sha256sum_accepts_the_manifest_ferry_writes(source: Path, tmp_path: Path) -> None:
    target, manifest = tmp_path / "dst", tmp_path / "sums.sha256"
    summary = copy_with_manifest(source, target, manifest)
    assert summary["verified"] == len(NAMES) + 2
    assert manifest.read_bytes().count(b"\n") == len(NAMES) + 2  # (a newline in a name is escaped)
    checked = subprocess.run(
        ["sha256sum", "--strict", "-c", str(manifest)],
        cwd=target,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
    assert verify_cli(str(manifest), str(target)).returncode == 0
    # It names files of folders others may not list: its owner's alone.
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o600


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("extension", "tool"), [(".b3", "b3sum"), (".xxh128", "xxhsum")])
def test_b3_and_xxh128_manifests_pass_their_own_checker_and_ferrys(
    source: Path, tmp_path: Path, extension: str, tool: str
) -> None:
    target, manifest = tmp_path / "dst", tmp_path / f"sums{extension}"
    copy_with_manifest(source, target, manifest)
    assert verify_cli(str(manifest), str(target)).returncode == 0
    # Only the lines the tool cannot check are left out: a name with a backslash or a
    # carriage return inside is written raw, which all three read (escaped, as coreutils
    # writes it, xxhsum read no such line and b3sum refused `\\r`, review).
    lines = [line + b"\n" for line in manifest.read_bytes().split(b"\n")[:-1]]
    kept = [line for line in lines if checkable_by(tool, listed_name(line))]
    assert len(lines) - len(kept) == 2  # b3sum: "ends\r", "caf\xe9"; xxhsum: "ends\r", "new\nline"
    plain = tmp_path / f"plain{extension}"
    plain.write_bytes(b"".join(kept))
    strict = ["--strict"] if tool == "xxhsum" else []
    checked = subprocess.run(
        [tool, "-c", *strict, str(plain)], cwd=target, capture_output=True, stdin=subprocess.DEVNULL
    )
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
    assert checked.stdout.count(b": OK") == len(kept)
    # And the whole manifest fails with them (xxhsum only with --strict), never passes.
    whole = subprocess.run(
        [tool, "-c", *strict, str(manifest)],
        cwd=target,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    assert whole.returncode == 1, whole.stdout.decode() + whole.stderr.decode()


@pytest.mark.timeout(60)
def test_verify_reads_backslashes_and_carriage_returns_raw_or_escaped(tmp_path: Path) -> None:
    """Ferry writes them raw now (older manifests escaped them): `ferry verify` and
    `sha256sum -c` read both forms alike."""
    names = [b"back\\slash", b"car\rriage", b"back\\and\rreturn"]
    for name in names:
        (tmp_path / os.fsdecode(name)).write_bytes(name * 100)
    digests = [hashlib.sha256(name * 100).hexdigest().encode() for name in names]
    raw = b"".join(b"%s  %s\n" % (d, n) for d, n in zip(digests, names, strict=True))
    old = b"".join(
        b"\\%s  %s\n" % (d, n.replace(b"\\", b"\\\\").replace(b"\r", b"\\r"))
        for d, n in zip(digests, names, strict=True)
    )
    for form, text in (("raw", raw), ("escaped", old)):
        manifest = tmp_path / f"{form}.sha256"
        manifest.write_bytes(text)
        result = verify_cli("--json", str(manifest), str(tmp_path))
        assert result.returncode == 0, (form, result.stdout, result.stderr)
        assert summary_of(json_lines(result.stdout))["ok"] == len(names)
        checked = subprocess.run(
            ["sha256sum", "--strict", "-c", str(manifest)], cwd=tmp_path, capture_output=True
        )
        assert checked.returncode == 0, (form, checked.stdout, checked.stderr)


@pytest.mark.timeout(60)
def test_verify_finds_a_flipped_byte_and_a_deleted_file(source: Path, tmp_path: Path) -> None:
    target, manifest = tmp_path / "dst", tmp_path / "sums.sha256"
    copy_with_manifest(source, target, manifest)
    big = target / "sub" / "big"
    data = bytearray(big.read_bytes())
    data[3 << 20] ^= 1
    big.write_bytes(bytes(data))
    (target / "with space").unlink()

    result = verify_cli("--json", str(manifest), str(target))

    assert result.returncode == 1
    records = json_lines(result.stdout)
    files = file_records(records)
    assert (files["sub/big"]["status"], files["sub/big"]["code"]) == ("failed", "manifest_mismatch")
    assert (files["with space"]["status"], files["with space"]["code"]) == (
        "missing",
        "verify_missing",
    )
    assert files["plain.txt"]["status"] == "ok"
    summary = summary_of(records)
    assert (summary["ok"], summary["failed"], summary["missing"]) == (len(NAMES), 1, 1)
    plain = verify_cli(str(manifest), str(target))  # for people: the failures, then counts
    assert b"failed: sub/big: differs from the manifest (sha256)" in plain.stderr
    assert b"missing: with space" in plain.stderr


@pytest.mark.timeout(60)
def test_verify_refuses_an_unreadable_or_malformed_manifest_with_the_line(tmp_path: Path) -> None:
    manifest = tmp_path / "sums.sha256"
    manifest.write_bytes(b"%s  a\nnot a checksum line\n" % (b"0" * 64))
    malformed = verify_cli(str(manifest))
    assert malformed.returncode == 2
    assert b"line 2" in malformed.stderr
    missing = verify_cli(str(tmp_path / "nope.sha256"))
    assert missing.returncode == 2
    assert b"Cannot verify" in missing.stderr
    odd = tmp_path / "v\\15"  # a backslash in the path: shown doubled, once
    odd.mkdir()
    gone = verify_cli(str(odd / "none.sha256"))
    assert b"v\\\\15/none.sha256" in gone.stderr and b"v\\\\\\\\15" not in gone.stderr
    os.mkfifo(tmp_path / "fifo.sha256")  # opening one for reading waited for a writer
    fifo = verify_cli(str(tmp_path / "fifo.sha256"))
    assert fifo.returncode == 2
    assert b"not a regular file" in fifo.stderr


@pytest.mark.timeout(60)
def test_a_manifest_cannot_reach_files_outside_its_folder_or_fill_the_memory(
    tmp_path: Path,
) -> None:
    """A manifest is input: "../x" or "/etc/x" must not tell anything about files outside."""
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "outside.txt").write_bytes(b"secret")
    (folder / "a").write_bytes(b"")
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of b""
    secret = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"  # of b"secret"
    manifest = folder / "sums.sha256"
    for line, why in (
        (f"{secret}  ../outside.txt", b"leads out of the folder"),
        (f"{secret}  sub/../../outside.txt", b"leads out of the folder"),
        (f"{secret}  {tmp_path}/outside.txt", b"leads out of the folder"),
        (f"{empty}  a\0b", b"NUL"),
        (f"{empty}  ./", b"names a folder"),
        (f"{empty}  a/", b"names a folder"),  # (was taken for a: sha256sum fails it)
        (f"{empty}  a/.", b"names a folder"),
        (f"{empty}  " + "x" * (1 << 20), b"a line longer than"),  # read no further
    ):
        manifest.write_bytes(f"{empty}  ./a\n{line}\n".encode())
        refused = verify_cli(str(manifest))
        assert refused.returncode == 2, (line, refused.stderr)
        assert b"line 2" in refused.stderr and why in refused.stderr, refused.stderr

    manifest.write_bytes(f"{empty}  ./a\n{empty}  .//a\n".encode())
    assert verify_cli(str(manifest)).returncode == 0  # "./" parts are the folder's own

    (folder / "out").symlink_to(tmp_path)  # a link where the line's path has a folder
    os.mkfifo(folder / "pipe")
    manifest.write_bytes(f"{secret}  out/outside.txt\n{empty}  pipe\n".encode())
    said = verify_cli(str(manifest))
    assert said.returncode == 1
    assert (
        b"failed: out/outside.txt: a link or a file stands for a folder on its path" in said.stderr
    )
    assert b"failed: pipe: not a regular file: nothing to compare" in said.stderr


@pytest.mark.timeout(60)
def test_a_manifest_of_a_tree_deeper_than_path_max_is_read_back(tmp_path: Path) -> None:
    """Ferry copies and lists a file 17 KiB deep (past PATH_MAX, by folder descriptors),
    but `ferry verify` refused its own manifest ("a line longer than 16384 bytes"), every
    file unchecked (review of hostile names)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "normal").write_bytes(b"hi\n")
    fd = os.open(source, os.O_RDONLY)
    for depth in range(70):
        name = f"d{depth:02d}" + "y" * 240
        os.mkdir(name, dir_fd=fd)
        fd, parent = os.open(name, os.O_RDONLY, dir_fd=fd), fd
        os.close(parent)
    leaf = os.open("leaf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(leaf, b"deep")
    os.close(leaf)
    os.close(fd)
    manifest = tmp_path / "sums.sha256"

    summary = copy_with_manifest(source, tmp_path / "dst", manifest)
    checked = verify_cli("--json", str(manifest), str(tmp_path / "dst"))

    assert summary["verified"] == 2
    assert max(len(line) for line in manifest.read_bytes().splitlines()) > 17_000
    assert checked.returncode == 0, checked.stderr.decode()[-2000:]
    assert summary_of(json_lines(checked.stdout))["ok"] == 2


@pytest.mark.timeout(60)
def test_verify_refuses_workers_out_of_range_as_copy_does(tmp_path: Path) -> None:
    """It took --workers 100000 and -1 silently (review); copy refuses them."""
    manifest = tmp_path / "sums.sha256"
    manifest.write_bytes(b"")
    for workers in ("-1", "100000"):
        refused = verify_cli(str(manifest), "--workers", workers)
        assert refused.returncode == 2 and b"--workers must be 0" in refused.stderr, workers


@pytest.mark.timeout(60)
def test_verify_reads_the_lines_sha256sum_reads(tmp_path: Path) -> None:
    """`sha256sum --tag` lines, `<digest> <name>` with one space, comments and blanks
    before a digest: sha256sum -c reads them, and Ferry refused the whole manifest
    (reviews). A link listed is not followed,
    said so, not as "Too many levels of symbolic links"."""
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a").write_bytes(b"alpha")
    (folder / "b c").write_bytes(b"bravo")
    (folder / "sub" / "new\nline").write_bytes(b"charlie")
    (folder / "link").symlink_to("a")
    names = ["a", "b c", "sub/new\nline"]
    tagged = subprocess.run(
        ["sha256sum", "--tag", *names], cwd=folder, capture_output=True, check=True
    ).stdout
    one_space = b"".join(
        hashlib.sha256((folder / name).read_bytes()).hexdigest().encode()
        + b" "
        + name.encode()
        + b"\n"
        for name in names[:2]
    )
    # Comments and blanks before a digest: sha256sum skips them, Ferry refused (review).
    commented = b"# made by hand\n  " + one_space.replace(b"\n", b"\n\t", 1)
    for manifest, lines in (
        ("tagged.sha256", tagged),
        ("one.sha256", one_space),
        ("commented.sha256", commented),
    ):
        (folder / manifest).write_bytes(lines)
        assert subprocess.run(["sha256sum", "-c", manifest], cwd=folder).returncode == 0
        read = verify_cli(str(folder / manifest))
        assert read.returncode == 0, (manifest, read.stderr)
    digest = hashlib.sha256(b"alpha").hexdigest()
    (folder / "link.sha256").write_text(f"{digest}  link\n")
    link = verify_cli(str(folder / "link.sha256"))
    assert link.returncode == 1
    assert b"failed: link: not a regular file: nothing to compare" in link.stderr


@pytest.mark.timeout(60)
def test_an_empty_manifest_proves_an_empty_folder_only(tmp_path: Path) -> None:
    """Emptied or cut short to nothing, a manifest would "verify" any folder."""
    folder = tmp_path / "folder"
    folder.mkdir()
    manifest = folder / "sums.sha256"
    manifest.write_bytes(b"")
    assert verify_cli(str(manifest)).returncode == 0  # as Ferry writes it for no files
    (tmp_path / "view").symlink_to(folder)  # the folder through a link: it holds the
    assert verify_cli(str(manifest), str(tmp_path / "view")).returncode == 0  # manifest only

    (folder / "sub").mkdir()
    (folder / "sub" / "photo.jpg").write_bytes(b"not proved by anything")
    refused = verify_cli(str(manifest))

    assert refused.returncode == 2, refused.stdout
    assert b"the manifest lists no files, but the folder holds some" in refused.stderr


@pytest.mark.timeout(60)
def test_a_manifest_whose_folder_does_not_exist_is_refused_before_copying(
    source: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "--manifest", str(tmp_path / "no" / "sums.sha256"), str(source), str(tmp_path / "d")
    )
    assert result.returncode == 2
    assert not (tmp_path / "d").exists()


@pytest.mark.timeout(60)
def test_a_manifest_never_replaces_a_file_the_job_copies(tmp_path: Path) -> None:
    """--manifest DST/SUMS.sha256 where the source has its own SUMS.sha256: the manifest
    replaced its copy, and on the next run looked newer than it, so was never copied."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a").write_bytes(b"one")
    (source / "SUMS.sha256").write_bytes(b"the user's own file")
    target.mkdir()

    refused = run_cli("--manifest", str(target / "SUMS.sha256"), str(source), str(target))
    elsewhere = run_cli("--manifest", str(target / "NEW.sha256"), str(source), str(target))

    assert refused.returncode == 2
    assert b"The checksum file would replace the copy of" in refused.stderr
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (target / "SUMS.sha256").read_bytes() == b"the user's own file"
    assert (target / "NEW.sha256").read_text().count("  ") == 2


@pytest.mark.timeout(60)
def test_a_manifest_is_never_written_into_the_source_nor_named_for_another_hash(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "SUMS.sha256").write_bytes(b"the user's own file")
    in_source = run_cli("--manifest", str(source / "SUMS.sha256"), str(source), str(target))
    other = run_cli("--manifest", str(tmp_path / "sums.md5"), str(source), str(target))
    assert in_source.returncode == other.returncode == 2
    assert b"would be written inside the source folder" in in_source.stderr
    assert b"not .md5" in other.stderr
    assert (source / "SUMS.sha256").read_bytes() == b"the user's own file"
    assert not target.exists() and not (tmp_path / "sums.md5").exists()


MAP_AND_WAIT = """
import mmap, sys, time
with open(sys.argv[1], "rb") as file:
    pages = mmap.mmap(file.fileno(), 0, prot=mmap.PROT_READ)
    sum(pages[::4096])
    print("mapped", flush=True)
    time.sleep(60)
"""


@pytest.mark.timeout(90)
def test_verify_reads_the_disk_even_where_another_program_maps_the_file(tmp_path: Path) -> None:
    """Dropping a file's cached pages leaves those another process maps: `verify` read
    them and said ok of a file the disk holds otherwise. The disk here is a folder seen
    through a FUSE file system whose pages stay cached; the file changes under them."""
    if reason := fuse_available():
        pytest.skip(reason)
    disk = tmp_path / "disk"
    disk.mkdir()
    photo = os.urandom(20_000)
    (disk / "photo.jpg").write_bytes(photo)
    (disk / "sums.sha256").write_text(f"{hashlib.sha256(photo).hexdigest()}  photo.jpg\n")
    with mounted(disk, tmp_path / "mnt", cached=True) as mount:
        seen = mount.point / "photo.jpg"
        command = [sys.executable, "-c", MAP_AND_WAIT, str(seen)]
        with subprocess.Popen(command, stdout=subprocess.PIPE) as holder:
            try:
                assert holder.stdout is not None and holder.stdout.readline() == b"mapped\n"
                with open(disk / "photo.jpg", "r+b") as device:
                    device.write(b"BAD!")
                assert seen.read_bytes() == photo  # the cache still holds the bytes of before
                done = verify_cli(str(mount.point / "sums.sha256"))
            finally:
                holder.kill()
    assert done.returncode == 1, done.stderr
    assert b"failed: photo.jpg: differs from the manifest" in done.stderr


@needs_namespaces
def test_a_manifest_that_cannot_be_written_fails_the_job_and_a_move_keeps_its_sources(
    tmp_path: Path,
) -> None:
    """It was a notice, exit 0, and a move then removed every source: the record asked
    for was lost with them."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("a.txt", "b.txt"):
        (source / name).write_text(name)
    script = (
        'mkdir "$1/full" && mount -t tmpfs -o size=8k tmpfs "$1/full" && '
        'head -c 100000 /dev/zero > "$1/full/ballast" 2>/dev/null; '
        '"$PYTHON" -m app copy "$2" "$1/dst" --move --verify --manifest "$1/full/sums.sha256"'
    )
    done = in_private_mounts(script, str(tmp_path), str(source))

    assert done.returncode == 1, done.stderr
    said = b"failed: " + str(tmp_path / "full" / "sums.sha256").encode()
    assert said + b": The checksum manifest could not be written: No space left" in done.stderr
    assert sorted(os.listdir(source)) == ["a.txt", "b.txt"]
    assert (tmp_path / "dst" / "a.txt").read_text() == "a.txt"


def test_a_mirror_keeps_its_own_checksum_file_and_log_in_the_target(
    source: Path, tmp_path: Path
) -> None:
    """Each run deleted the last one's files, said "1 deleted", and was never up to
    date; a run cut short then left no checksum file at all."""
    target = tmp_path / "dst"
    outputs = ("--manifest", str(target / "sums.sha256"), "--log", str(target / "log.csv"))
    first = run_cli(str(source), str(target), "--mirror", *outputs)
    assert first.returncode == 0, first.stderr

    planned = run_cli(str(source), str(target), "--mirror", "--dry-run", *outputs)
    again = run_cli(str(source), str(target), "--mirror", "--json", *outputs)

    assert b"to delete" not in planned.stderr, planned.stderr
    summary = summary_of(json_lines(again.stdout))
    assert (again.returncode, summary["deleted"], summary["copied"]) == (0, 0, 0)
    assert (target / "sums.sha256").stat().st_size > 0 and (target / "log.csv").exists()


def test_a_manifest_named_like_b3sums_is_blake3_and_one_named_for_md5_is_refused(
    tmp_path: Path,
) -> None:
    """Only the extensions .sha256, .b3 and .xxh128 were read: B3SUMS or x.blake3 got
    SHA-256, and `verify` called every good file of b3sum's list corrupt."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for name in ("a.txt", "with space.txt", "中文.txt"):
        (source / name).write_bytes(os.urandom(3000))
    written = run_cli(str(source), str(target), "--manifest", str(target / "sums.blake3"))
    assert written.returncode == 0, written.stderr
    checked = subprocess.run(["b3sum", "-c", "sums.blake3"], cwd=target, capture_output=True)
    assert checked.returncode == 0, checked.stdout
    names = sorted(p.name for p in target.iterdir() if p.is_file() and p.suffix == ".txt")
    listed = subprocess.run(["b3sum", *names], cwd=target, capture_output=True, check=True)
    (target / "B3SUMS").write_bytes(listed.stdout)

    by_b3sum = verify_cli(str(target / "B3SUMS"), str(target))
    (target / "MD5SUMS").write_bytes(b"d41d8cd98f00b204e9800998ecf8427e  empty\n")
    md5 = verify_cli(str(target / "MD5SUMS"))

    assert by_b3sum.returncode == 0, by_b3sum.stderr
    assert md5.returncode == 2
    assert b"Ferry reads sha256, b3 and xxh128 checksums, not md5" in md5.stderr
    for kin in ("x.sha3-256", "x.blake2s", "x.xxhsum", "x.crc32c", "SHA224SUMS"):
        refused = run_cli(str(source), str(target), "--manifest", str(tmp_path / kin))
        assert refused.returncode == 2 and b"manifests, not ." in refused.stderr, kin
    for plain in ("sha256-checksums", "SHA256SUMS-2024", "md5ish"):  # names, not hashes
        taken = run_cli(str(source), str(target), "--manifest", str(tmp_path / plain))
        assert taken.returncode == 0, (plain, taken.stderr)


def test_verify_takes_the_empty_manifest_of_a_copy_of_links_and_refuses_a_file_as_folder(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    os.symlink("/etc/hostname", source / "link")  # links are not listed: an empty manifest
    manifest = target / "sums.sha256"
    assert run_cli(str(source), str(target), "--manifest", str(manifest)).returncode == 0

    empty = verify_cli(str(manifest))
    on_a_file = verify_cli(str(manifest), str(manifest))

    assert empty.returncode == 0, empty.stderr
    assert on_a_file.returncode == 2, on_a_file.stderr
    assert b"Cannot verify: not a folder: " in on_a_file.stderr


@needs_namespaces
@pytest.mark.timeout(90)
@pytest.mark.parametrize("flag", ["--manifest", "--log"])
def test_a_record_inside_the_source_through_a_bind_mount_is_refused(
    tmp_path: Path, flag: str
) -> None:
    """The source bind-mounted elsewhere is the source: a checksum file written there
    landed in it (the check compared paths, review of verify)."""
    source, view = tmp_path / "src", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    (source / "a").write_bytes(b"alpha")
    name = "sums.sha256" if flag == "--manifest" else "log.csv"
    script = (
        f'mount --bind "$1" "$2" || exit 99\n"$PYTHON" -m app copy "$1" "$3" {flag} "$2/{name}"\n'
    )

    result = in_private_mounts(script, str(source), str(view), str(tmp_path / "dst"))

    assert result.returncode == 2, result.stderr
    assert b"inside the source folder" in result.stderr
    assert sorted(os.listdir(source)) == ["a"] and not (tmp_path / "dst").exists()


@pytest.mark.timeout(120)
@needs_nobody
def test_a_user_verifying_a_fuse_stick_is_told_it_read_through_the_cache() -> None:
    """On a FUSE file system of a block device (exfat-fuse, ntfs-3g) only root can flush
    the device's cache, through which the FUSE program reads: a user's `ferry verify`
    said "ok" of what it may have read from memory. Such files are counted apart now,
    and said so (JSON and text)."""
    data = os.urandom(100_000)
    with world_reachable_dir() as base, disk_image(base, "exfat-fuse") as (stick, _):
        (stick / "f").write_bytes(data)
        manifest = stick / "sums.sha256"
        manifest.write_text(f"{hashlib.sha256(data).hexdigest()}  f\n")
        python = unprivileged_python()
        assert python is not None
        env = cli_env(PYTHONPATH=str(code_for_nobody()))
        runs = [
            subprocess.run(
                [*SETPRIV, python, "-m", "app", "verify", *json, str(manifest)],
                cwd="/",
                env=env,
                capture_output=True,
                timeout=60,
                check=False,
            )
            for json in (["--json"], [])
        ]
    assert runs[0].returncode == runs[1].returncode == 0, runs
    records = json_lines(runs[0].stdout)
    assert file_records(records)["f"].get("cached") is True
    assert (summary_of(records)["ok"], summary_of(records)["cached"]) == (1, 1)
    assert b"1 ok (1 through the system's cache only)" in runs[1].stderr
