"""Entry point: `python -m app` opens the window; `copy SRC DST` copies, `verify` checks."""

import multiprocessing
import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["copy"], ["verify"]):
        from app.core.processes import start_early

        start_early()  # the workers' server starts while the CLI imports and scans
    if args[:1] == ["copy"]:
        from app.cli import main as cli_main

        return cli_main(args[1:])
    if args[:1] == ["verify"]:
        from app.cli import verify_main

        return verify_main(args[1:])
    from app.ui.launch import main as window_main  # Qt is imported on this path only

    return window_main(args)


if __name__ == "__main__":
    # First thing: a frozen app's spawned workers must not re-run the app (see ENGINEERING).
    multiprocessing.freeze_support()
    # A windowed Windows executable has no console: give print() somewhere to go.
    if sys.stdout is None or sys.stderr is None:
        sys.stdout = sys.stdout or open(os.devnull, "w")  # noqa: SIM115 - lives until exit
        sys.stderr = sys.stderr or open(os.devnull, "w")  # noqa: SIM115
    sys.exit(main())
