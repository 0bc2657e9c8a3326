"""The fork server removes multiprocessing's folder of its run once Ferry is gone (kill -9).

multiprocessing.util.get_temp_dir() makes one private (0700) `pymp-*` folder in the temp
dir for the Ferry process: the fork server's socket lives in it, and each job's Manager
socket beside it. The folder is the fork server's only protection (Python 3.11's fork
server authenticates no one: whoever reaches its socket has it run their code), so it
cannot go while Ferry may start a process. Only a finalizer of Ferry's own removes it,
which SIGKILL (or the OOM killer) never runs: each killed run left one behind.

The fork server outlives Ferry: it ends once every process holding its "alive" pipe
(Ferry, the Manager, the workers, whose watchdogs end them) is gone, through a normal
exit that runs atexit. This module is imported by the fork server only
(processes.PRELOADED); its exit handler removes the folder, if Ferry is gone. (Forked
children inherit the handler, but leave by os._exit, which runs none.)
"""

from __future__ import annotations

import atexit
import os
import shutil
from multiprocessing import forkserver

FOLDER_PREFIX = "pymp-"  # get_temp_dir()'s

_maker = os.getppid()  # the Ferry process that started this server and made the folder


def remove_run_folder() -> None:
    """Remove the folder of this fork server's socket if its maker has ended (its parent
    changed: an orphan is handed to init or a subreaper at once, reaped or not)."""
    if os.getppid() == _maker:  # alive: it uses the folder, and removes it on exit
        return
    # Set by forkserver.main() as it starts serving (a private name, 3.4 to 3.14).
    server = getattr(forkserver, "_forkserver", None)
    address = getattr(server, "_forkserver_address", None)
    if not isinstance(address, str) or not address or address[0] == "\0":
        return  # not a socket file (an abstract address holds no folder)
    folder = os.path.dirname(address)
    if os.path.basename(folder).startswith(FOLDER_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)  # fd-based: never follows a symlink


atexit.register(remove_run_folder)
