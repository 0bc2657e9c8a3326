"""Entry point: `python -m app` opens the window; `copy SRC DST` copies, `verify` checks."""

import multiprocessing
import os
import signal
import sys
from types import FrameType


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["copy"], ["verify"]):
        # Until the command line takes Ctrl-C itself (it cancels the job), it ends
        # Ferry quietly: no traceback from whatever was being imported.
        signal.signal(signal.SIGINT, _quit_quietly)
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


def _quit_quietly(signum: int, _: FrameType | None) -> None:
    # At once: nothing is written before the command line takes Ctrl-C itself, nor once
    # it is done; an exception raised here may land in a callback of an import, which
    # swallows it.
    os._exit(128 + signum)


if __name__ == "__main__":
    # First thing: a frozen app's spawned workers must not re-run the app (see ENGINEERING).
    multiprocessing.freeze_support()
    # A windowed Windows executable has no console, and `ferry copy >&-` no stdout: give
    # print() somewhere to go, marked so that the CLI knows what it writes there is lost.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            nowhere = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
            nowhere.ferry_closed = True  # type: ignore[attr-defined]
            setattr(sys, name, nowhere)
    sys.exit(main())
