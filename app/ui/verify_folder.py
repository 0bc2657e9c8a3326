"""Verify a folder…: which checksum file, and which folder to check against it."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from app.core.events import printable
from app.ui.format import fill
from app.ui.settings import Settings


def ask_manifest_and_folder(parent: QWidget, settings: Settings) -> tuple[str, str] | None:
    """Ask for a checksum file, then the folder it describes (first offered: the file's
    own folder, where `sha256sum -c` would run). None if either question is cancelled."""
    last = settings.verify_manifest()
    start = last if last and os.path.isdir(os.path.dirname(last)) else os.path.expanduser("~")
    manifest, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("VerifyFolder", "Verify a folder: choose the checksum file"),
        start,
        QCoreApplication.translate(
            "VerifyFolder",
            "Checksum files (*.sha256 *.b3 *.xxh128 *.blake3 *.b3sum *.sha256sum *SUMS);;"
            "All files (*)",
        ),
    )
    if not manifest:
        return None
    settings.set_verify_manifest(manifest)
    folder = QFileDialog.getExistingDirectory(
        parent,
        fill(
            QCoreApplication.translate("VerifyFolder", "Choose the folder to check against %1"),
            printable(os.path.basename(manifest)),
        ),
        os.path.dirname(os.path.abspath(manifest)),
    )
    return (manifest, folder) if folder else None
