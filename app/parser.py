"""The command lines' argument parser: argparse, with what was typed escaped in errors."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import NoReturn

from app.core.events import printable


class Parser(argparse.ArgumentParser):
    """An error quotes what was typed (`unrecognized arguments: ...`), which may hold
    terminal controls, like a file name: escaped, as every name is."""

    def error(self, message: str) -> NoReturn:
        super().error(printable(message))


# argparse's own checks quote a bad value with repr(), which error() would escape a
# second time (`\x1b` shown as `\\x1b`): these quote it as typed, escaped once there.


def one_of(choices: list[str]) -> Callable[[str], str]:
    """A `type=` that takes one of `choices` only."""

    def check(value: str) -> str:
        if value not in choices:
            words = ", ".join(choices)
            raise argparse.ArgumentTypeError(f"invalid choice: '{value}' (choose from {words})")
        return value

    return check


def a_path(value: str) -> str:
    """A `type=` for a path: not an empty one, which the system would take for the
    current folder (an unset $DST in a script)."""
    if not value:
        raise argparse.ArgumentTypeError("an empty path (the current folder is .)")
    return value


def a_file_path(value: str) -> str:
    """A `type=` for a file to write or read: a path, and not one that ends in a slash,
    which names a folder (`--log out.csv/` wrote the file out.csv)."""
    last = value.rpartition("/")[2].rpartition(os.sep)[2]
    if value and last in ("", ".", ".."):  # (out.csv/ and out.csv/. wrote out.csv)
        raise argparse.ArgumentTypeError(f"'{value}' names a folder, not a file")
    return a_path(value)


def whole_number(value: str) -> int:
    """A `type=` for a count."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{value}'") from None
