"""``python -m bench.child MODULE ARGS...``: run ``python -m MODULE ARGS...`` in this process,
and end it when its standard input closes, so that it never outlives the benchmark that
started it (as ``bench.server`` does for the servers). The worker runs as
``python -m bench.child core.cli worker INI``: the code of ``cortege worker INI``, unchanged.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading


def _exit_with_parent() -> None:
    sys.stdin.read()  # returns at end of file: the benchmark closed the pipe or died
    os._exit(0)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m bench.child MODULE [ARGS...]")
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
