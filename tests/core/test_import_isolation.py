"""The engine and the command line import without PySide6 (napari-style proof)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import app.core
from tests.helpers import REPO, cli_env

BLOCKER = """
import importlib.abc, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked: app.core must not need Qt")
        return None

sys.meta_path.insert(0, NoQt())
import importlib
for module in sys.argv[1:]:
    importlib.import_module(module)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
assert not loaded, loaded
print("imported", len(sys.argv) - 1)
"""


@pytest.mark.timeout(60)
def test_engine_and_cli_import_without_pyside6() -> None:
    modules = [f"app.core.{m.name}" for m in pkgutil.iter_modules(app.core.__path__)]
    assert len(modules) >= 6
    modules += ["app.core", "app.cli"]
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, *modules],
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert f"imported {len(modules)}" in result.stdout.decode()


@pytest.mark.timeout(60)
def test_cli_copies_with_pyside6_blocked(tmp_path) -> None:
    """Spawned workers re-import app.__main__: the copy path must stay Qt-free there too."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "f").write_bytes(b"data")
    sitecustomize = tmp_path / "noqt"
    sitecustomize.mkdir()
    (sitecustomize / "sitecustomize.py").write_text(BLOCKER.split("import importlib\n")[0])
    env = cli_env(PYTHONPATH=f"{sitecustomize}:{REPO}")
    result = subprocess.run(
        [sys.executable, "-m", "app", "copy", "--workers", "1", str(source), str(tmp_path / "d")],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert (tmp_path / "d" / "f").read_bytes() == b"data"
