"""The command lines' argument parser: argparse, with what was typed escaped in errors."""

from __future__ import annotations

import argparse
from typing import NoReturn

from app.core.events import printable


class Parser(argparse.ArgumentParser):
    """An error quotes what was typed (`unrecognized arguments: ...`), which may hold
    terminal controls, like a file name: escaped, as every name is."""

    def error(self, message: str) -> NoReturn:
        super().error(printable(message))
