"""Find bundled resources both from a source checkout and from a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

# From source: <repo>/resources. Frozen: PyInstaller unpacks data to sys._MEIPASS, and
# build.spec copies the repository's resources/ folder there under the same name.
_SOURCE_ROOT = Path(__file__).resolve().parents[2] / "resources"


def resources_root() -> Path:
    """The folder holding icons/, translations/ and the other resource folders."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return _SOURCE_ROOT


def resource_path(*parts: str) -> Path:
    """A resource by its path under resources/, e.g. resource_path("icons", "ferry-256.png")."""
    return resources_root().joinpath(*parts)


def translations_dir() -> Path:
    return resource_path("translations")
