"""Window entry point (the window itself lands with its own issue)."""

import sys


def main(argv: list[str]) -> int:
    sys.stderr.write("The window is not built yet; use: python -m app copy SOURCE TARGET\n")
    return 2
