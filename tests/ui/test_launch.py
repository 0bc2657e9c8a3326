"""Starting Ferry: --version, Qt's own options, a bare folder; Help and About in the window."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import __version__
from app.ui.launch import build_parser, split_arguments
from app.ui.main_window import MainWindow
from tests.helpers import REPO, assert_same_tree
from tests.ui.test_window_shell import run_app
from tests.ui.util import activate, make_tree

WindowFactory = Callable[..., MainWindow]


def test_version_is_printed_without_a_display(tmp_path: Path) -> None:
    done = run_app(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ferry {__version__}"


def test_qt_options_go_to_qt_and_a_bare_folder_is_the_source() -> None:
    qt, ours = split_arguments(
        ["-reverse", "-style", "fusion", "/photos", "--lang", "en", "-platform=offscreen"]
    )
    assert qt == ["-reverse", "-style", "fusion", "-platform=offscreen"]
    args = build_parser().parse_args(ours)
    assert args.folder == "/photos" and args.lang == "en"


def test_a_copy_started_with_qt_options_and_a_bare_folder(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    done = run_app(
        tmp_path,
        "-reverse",
        "-style",
        "fusion",
        str(source),
        "--target",
        str(target),
        "--start",
        "--exit-when-done",
        "--lang",
        "en",
        QT_QPA_PLATFORM="offscreen",
    )
    assert done.returncode == 0, done.stderr
    assert_same_tree(source, target)


def test_f1_opens_help_and_the_menu_has_about(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    help_box = window.findChild(QMessageBox, "helpDialog")
    assert help_box is not None and help_box.isVisible()
    assert "Ctrl+P" in help_box.text()
    help_box.close()
    window.controlBar.aboutAction.trigger()
    about = window.findChild(QMessageBox, "aboutDialog")
    assert about is not None and about.isVisible()
    assert __version__ in about.text()
    about.close()


def test_a_folder_name_qt_cannot_hold_is_refused_not_shortened(tmp_path: Path) -> None:
    """Qt's strings drop an undecodable byte: "src\\xff" would become "src", another
    folder, whose files the window would copy."""
    base = os.fsencode(tmp_path)
    source, target = base + b"/src\xff", base + b"/dst\xff"
    os.mkdir(source)
    os.mkdir(base + b"/src")
    (tmp_path / "src" / "decoy.txt").write_text("not the folder asked for")
    args = ["--start", "--exit-when-done", "--lang", "en"]
    done = run_app(
        tmp_path,
        os.fsdecode(source),
        "--target",
        os.fsdecode(target),
        *args,
        QT_QPA_PLATFORM="offscreen",
    )
    assert done.returncode == 2
    assert "src\\xff (not UTF-8)" in done.stderr and "python -m app copy" in done.stderr
    assert not [name for name in os.listdir(base) if name.startswith(b"dst")]


def test_a_source_given_alone_is_not_copied_into_the_last_target(tmp_path: Path) -> None:
    """--source photos opened with the last job's target filled in, Start ready: a copy
    of the new folder into the old one, unasked."""
    first, second, target = tmp_path / "first", tmp_path / "second", tmp_path / "backup"
    for folder in (first, second):
        folder.mkdir()
        (folder / f"{folder.name}.txt").write_text(folder.name)
    args = ["--start", "--exit-when-done", "--lang", "en"]
    env = {"QT_QPA_PLATFORM": "offscreen"}
    done = run_app(tmp_path, "--source", str(first), "--target", str(target), *args, **env)
    assert done.returncode == 0, done.stderr
    alone = run_app(tmp_path, "--source", str(second), *args, **env)
    assert alone.returncode == 2 and "a target folder" in alone.stderr
    assert sorted(os.listdir(target)) == ["first.txt"]


def test_folders_given_relative_or_under_home_open_as_full_paths(tmp_path: Path) -> None:
    """A relative --source is where the terminal was (the window refuses a relative path
    typed into it, but this one was resolved at launch); --target=~/backup, its "~" left
    by the shell, is in the home folder as in the field, not a folder "~" here."""
    here, home = tmp_path / "here", tmp_path / "home"
    make_tree(here / "photos", folders=1, files_per_folder=2)
    home.mkdir()
    environment = dict(
        os.environ,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(home),
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM="offscreen",
    )
    args = ["--source", "photos", "--target=~/backup", "--start", "--exit-when-done"]
    done = subprocess.run(
        [sys.executable, "-m", "app", *args, "--lang", "en"],
        cwd=here,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert_same_tree(here / "photos", home / "backup")
    assert sorted(os.listdir(here)) == ["photos"]
