"""Linux desktop integration files: well-formed, pointing at `ferry --source <folder>`."""

from __future__ import annotations

import configparser
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


def test_application_entry() -> None:
    entry = desktop_entry(RESOURCES / "ferry.desktop")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Exec"] == "ferry"  # no field code: a plain start opens an empty window
    assert main["Icon"] == "ferry"
    for action in main["Actions"].strip(";").split(";"):
        assert entry[f"Desktop Action {action}"]["Exec"] == "ferry --source %f"


@pytest.mark.parametrize("name", ["ferry-open-folder.desktop", "ferry-servicemenu.desktop"])
def test_folder_actions_pass_the_folder(name: str) -> None:
    entry = desktop_entry(LINUX / name)
    assert entry["Desktop Entry"]["MimeType"] == "inode/directory;"
    execs = [section["Exec"] for section in entry.values() if "Exec" in section]
    assert execs == ["ferry --source %f"]


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
def test_nautilus_script_opens_ferry_on_each_selected_folder(tmp_path: Path) -> None:
    script = LINUX / "Copy with Ferry"
    assert os.stat(script).st_mode & stat.S_IXUSR
    log = tmp_path / "calls"
    fake = tmp_path / "ferry"
    fake.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{log}"\necho >> "{log}"\n')
    fake.chmod(0o755)
    browsed = tmp_path / "browsed"
    (browsed / "one folder").mkdir(parents=True)
    (browsed / "a file").write_text("x")
    env = dict(os.environ, FERRY=str(fake))
    # Nautilus runs the script inside the browsed folder with the selection as arguments.
    subprocess.run([str(script), "one folder", "a file"], cwd=browsed, env=env, check=True)
    subprocess.run([str(script)], cwd=browsed, env=env, check=True)
    calls = log.read_text().splitlines()
    assert calls == [f"--source|{browsed / 'one folder'}|", f"--source|{browsed}|"]


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
        data / "applications" / "ferry-open-folder.desktop",
        data / "kio" / "servicemenus" / "ferry-servicemenu.desktop",
        data / "nautilus" / "scripts" / "Copy with Ferry",
        data / "icons" / "hicolor" / "256x256" / "apps" / "ferry.png",
        data / "icons" / "hicolor" / "scalable" / "apps" / "ferry.svg",
    ):
        assert path.is_file(), path
    subprocess.run(["sh", installer, "--uninstall"], env=env, check=True)
    left = [p for p in home.rglob("*") if p.is_file() and p.name != "icon-theme.cache"]
    assert left == []
