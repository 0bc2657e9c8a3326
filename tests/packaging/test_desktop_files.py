"""Linux desktop integration files: well-formed, pointing at `ferry --source <folder>`."""

from __future__ import annotations

import configparser
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

RESOURCES = REPO / "resources"
LINUX = RESOURCES / "linux"


def desktop_entry(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


HOSTILE_FOLDERS = ["-rf", "--lang", "a b", "$(touch pwned)", "quote'\"s", "newline\n", "tab\t"]


def launched(exec_line: str, path: str) -> list[str]:
    """The argv a desktop launcher builds from an Exec line for one local folder.

    Per the Desktop Entry spec, %f becomes the path as a single argument, whatever it holds.
    """
    return [path if word == "%f" else word for word in exec_line.split()]


def test_application_entry() -> None:
    entry = desktop_entry(RESOURCES / "ferry.desktop")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Exec"] == "ferry -- %f"  # started from the menu: %f is nothing, a plain window
    assert main["Icon"] == "ferry"
    assert "Actions" not in main, "an action started from the menu gets no folder (exit 2)"
    assert "MimeType" not in main, "a folder handler can become the default way to open folders"


def test_no_application_entry_offers_to_open_folders() -> None:
    """`xdg-open DIR` must never start Ferry: no Type=Application entry claims folders."""
    for path in [RESOURCES / "ferry.desktop", *LINUX.glob("*.desktop")]:
        main = desktop_entry(path)["Desktop Entry"]
        if main["Type"] == "Application":
            assert "inode/directory" not in main.get("MimeType", ""), path


@pytest.mark.parametrize("name", HOSTILE_FOLDERS)
def test_exec_lines_hand_any_folder_name_to_ferry_as_the_source(name: str, tmp_path: Path) -> None:
    from app.ui.launch import build_parser

    folder = str(tmp_path / name)
    for path in (RESOURCES / "ferry.desktop", LINUX / "ferry-servicemenu.desktop"):
        execs = [s["Exec"] for s in desktop_entry(path).values() if "Exec" in s]
        assert execs == ["ferry -- %f"], path
        argv = launched(execs[0], folder)
        assert argv[0] == "ferry"
        assert build_parser().parse_args(argv[1:]).folder == folder
    assert build_parser().parse_args(launched("ferry -- %f", "")[1:-1]).folder is None


def test_service_menu_is_for_folders() -> None:
    entry = desktop_entry(LINUX / "ferry-servicemenu.desktop")
    assert entry["Desktop Entry"]["Type"] == "Service"  # a context menu, never a handler
    assert entry["Desktop Entry"]["MimeType"] == "inode/directory;"


def test_icons_exist_in_every_size() -> None:
    icons = RESOURCES / "icons"
    assert (icons / "ferry.svg").read_text().lstrip().startswith("<?xml")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        header = (icons / f"ferry-{size}.png").read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == size  # IHDR width
    assert (icons / "ferry.ico").read_bytes()[:4] == b"\0\0\1\0"
    assert (icons / "ferry.icns").read_bytes()[:4] == b"icns"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script")
def test_nautilus_script_opens_ferry_on_each_selected_folder_exactly(tmp_path: Path) -> None:
    script = LINUX / "Copy with Ferry"
    assert os.stat(script).st_mode & stat.S_IXUSR
    log = tmp_path / "calls"
    fake = tmp_path / "ferry"  # records its arguments, one JSON line per call
    fake.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    fake.chmod(0o755)
    browsed = tmp_path / "browsed"
    browsed.mkdir()
    for name in HOSTILE_FOLDERS:
        (browsed / name).mkdir()
    (browsed / "a file").write_text("x")
    decoy = tmp_path / "decoy"  # CDPATH must not send a relative name here
    for name in HOSTILE_FOLDERS:
        (decoy / name).mkdir(parents=True)
    env = dict(os.environ, FERRY=str(fake), CDPATH=str(decoy))
    # Nautilus runs the script inside the browsed folder with the selection as arguments.
    subprocess.run([str(script), *HOSTILE_FOLDERS, "a file"], cwd=browsed, env=env, check=True)
    subprocess.run([str(script)], cwd=browsed, env=env, check=True)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    expected = [[f"--source={browsed / name}"] for name in HOSTILE_FOLDERS]
    assert sorted(calls) == sorted([*expected, [f"--source={browsed}"]])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="installs a Linux desktop")
def test_install_script_installs_and_uninstalls(tmp_path: Path) -> None:
    fake_app = tmp_path / "ferry-built"
    fake_app.write_text("#!/bin/sh\n")
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    installer = str(LINUX / "install-desktop.sh")
    subprocess.run(["sh", installer, str(fake_app)], env=env, check=True)
    data = home / ".local" / "share"
    for path in (
        home / ".local" / "bin" / "ferry",
        data / "applications" / "ferry.desktop",
        data / "kio" / "servicemenus" / "ferry-servicemenu.desktop",
        data / "nautilus" / "scripts" / "Copy with Ferry",
        data / "icons" / "hicolor" / "256x256" / "apps" / "ferry.png",
        data / "icons" / "hicolor" / "scalable" / "apps" / "ferry.svg",
    ):
        assert path.is_file(), path
    subprocess.run(["sh", installer, "--uninstall"], env=env, check=True)
    left = [p for p in home.rglob("*") if p.is_file() and p.name != "icon-theme.cache"]
    assert left == []
