"""Entry point: `python -m app` opens the window; `copy SRC DST` copies, `verify` checks."""

import os
import signal
import sys
from types import FrameType

COMMANDS = (["copy"], ["verify"])
# Ctrl-C, SIGTERM (`timeout`, systemd), a closed terminal's SIGHUP: the command line's
# own handlers cancel the job (cli.cancelled_by_signals); before and after them, these.
ENDING_SIGNALS = [
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in COMMANDS:
        _quiet_until_the_job()  # (if not yet: a call from a test)
        from app.core.processes import start_early

        start_early()  # the workers' server starts while the CLI imports and scans
    if args[:1] == ["copy"]:
        from app.cli import main as cli_main

        return _done(cli_main(args[1:]))
    if args[:1] == ["verify"]:
        from app.cli import verify_main

        return _done(verify_main(args[1:]))
    from app.ui.launch import main as window_main  # Qt is imported on this path only

    return window_main(args)


def _quiet_until_the_job() -> None:
    for signum in ENDING_SIGNALS:
        signal.signal(signum, _quit_quietly)


def _quit_quietly(signum: int, _: FrameType | None) -> None:
    # Until the command line takes these signals itself (it cancels the job), they end
    # Ferry at once, quietly, 128 + the signal: nothing is written yet. (Raised instead,
    # the exit could land in a callback of an import, which swallows it, or print a
    # traceback.)
    os._exit(128 + signum)


def _done(code: int) -> int:
    """The command line's exit code: all is written, so a signal while the interpreter
    shuts down changes it no more (SIGTERM and SIGHUP ended Ferry 143 or 129 there)."""
    for signum in ENDING_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    return code


if __name__ == "__main__":
    if sys.argv[1:2] in COMMANDS:  # (first: a Ctrl-C in the imports below is quiet too)
        _quiet_until_the_job()
    import multiprocessing

    # A frozen app's spawned workers must not re-run the app (see ENGINEERING).
    multiprocessing.freeze_support()
    # A windowed Windows executable has no console, and `ferry copy >&-` no stdout: give
    # print() somewhere to go, marked so that the CLI knows what it writes there is lost.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            nowhere = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
            nowhere.ferry_closed = True  # type: ignore[attr-defined]
            setattr(sys, name, nowhere)
    sys.exit(main())
