"""How a name found again (or not) in another case tells how a target folds case."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core import namekeys
from app.core.events import WINDOWS_REFUSED, is_temp_name
from app.core.gitignore import compile_line
from app.core.namekeys import (
    _case_folding,
    _key_shown_by,
    fold_ascii,
    fold_case,
    probe_name,
    probe_target,
)
from app.core.tree import PATH_FLAGS, Folders
from tests.fusefs import fuse_available, mounted


def folding(found: set[str]) -> Callable[[str], bool]:
    """The target finds these names, and no other."""
    return found.__contains__


@pytest.mark.parametrize(
    ("name", "found", "key"),
    [
        # exFAT, NTFS: the whole name in the other case is found.
        ("Caf\u00e9", {"cAF\u00c9"}, fold_case),
        # Linux vfat with utf8: A-Z fold, é stays é.
        ("Caf\u00e9", {"cAF\u00e9"}, fold_ascii),
        # A case table that lacks a script (Georgian Mtavruli): no Latin-1 letter to ask
        # by, so all are taken to fold (the safe side: more clashes, no deletions).
        ("Ana\u10d0", {"aNA\u10d0"}, fold_case),
        # A Latin-1 letter asked alone, found: all fold, whatever else did not swap.
        ("K\u0131\u00e9", {"k\u0131\u00e9", "K\u0131\u00c9"}, fold_case),
        # Letters that do not swap back (dotless i, sharp s) cannot be asked.
        ("Stra\u00dfe", {"sTRA\u00dfE"}, fold_case),
        # No A-Z: nothing to tell by; byte for byte where the whole swap is not found.
        ("\u00e9", set(), None),
        ("README", set(), None),
    ],
)
def test_a_name_found_in_another_case_tells_how_the_target_folds(
    name: str, found: set[str], key: object
) -> None:
    assert _case_folding(folding(found), name) is key


def test_every_probe_name_is_one_a_later_job_removes_as_a_leftover() -> None:
    """A job killed while a probe name stands leaves it in the target: the next job
    must know it for its own (a temp), or it would stay, or be copied back by a mirror."""
    for char in ("", "link", "node", *WINDOWS_REFUSED):
        assert is_temp_name(probe_name(char)), char
    assert not is_temp_name(probe_name("a"))


def test_a_name_another_file_holds_in_another_case_says_nothing_of_dropped_dots(
    tmp_path: Path,
) -> None:
    """exFAT through FUSE folds case and keeps dots: `Note..` finds the user's `note..`,
    another file. Taken for `Note.` itself (its name not listed as such), the plan read
    dots as dropped, took `note..` for the copy of `Note.`, and hid a mirror's deletion
    of it (review). A name listed in any case is an entry of its own."""
    if reason := fuse_available():
        pytest.skip(reason)
    backing = tmp_path / "backing"
    backing.mkdir()
    (backing / "note..").write_bytes(b"the user's own")
    (backing / "Note.").write_bytes(b"the copy")
    with mounted(backing, tmp_path / "mnt", fold=True) as mount:
        key, dropped = _key_shown_by(str(mount.point), "Note.")

    assert (key, dropped) == (fold_case, "")


@pytest.mark.parametrize("holes", [True, False])
def test_the_probe_finds_whether_the_target_keeps_holes(tmp_path: Path, holes: bool) -> None:
    """exFAT through FUSE keeps no holes, which its type does not say: its room was
    counted as a sparse file's data only, and a copy the check let start filled the disk
    (review of fidelity)."""
    if reason := fuse_available():
        pytest.skip(reason)
    backing = tmp_path / "backing"
    backing.mkdir()
    with mounted(backing, tmp_path / "mnt", no_holes=not holes) as mount:
        folders = Folders(str(mount.point), PATH_FLAGS)
        try:
            ways = probe_target(folders.open(""))
        finally:
            folders.close()

    assert ways.holes is holes
    assert list(backing.iterdir()) == []  # (the probe is gone)


@pytest.mark.parametrize(("error", "kept"), [(errno.ENOSPC, False), (errno.EIO, True)])
def test_a_disk_too_full_to_grow_the_probe_keeps_no_holes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, kept: bool
) -> None:
    """Growing the probe by a hole needs no room where holes are kept: a full exFAT disk
    refused it, and was taken for one that keeps holes, so the room check let a sparse
    file start that filled it (second review)."""

    def refused(fd: int, size: int) -> None:
        if size:
            raise OSError(error, os.strerror(error))

    monkeypatch.setattr(namekeys.os, "ftruncate", refused)
    with open(tmp_path / "probe", "wb") as probe:
        assert namekeys._keeps_holes(probe.fileno(), 0) is kept


def test_a_line_of_many_bracket_expressions_is_read() -> None:
    """More than 6,400 were refused (the stand-ins ran out); git reads them."""
    assert compile_line("[a]" * 7000) is not None
