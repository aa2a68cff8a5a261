"""Starting and stopping the benchmark's server processes."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
from pathlib import Path
from typing import Self

from bench import BenchError
from bench.database import PROJECT

START_SECONDS = 120


class ServerProcess:
    """``python -m bench.server ...`` as a context manager: stopped on leaving, whatever happens."""

    def __init__(self, label: str, args: list[str], log: Path, threads: int):
        self.label = label
        self.args = [*args, "--threads", str(threads)]
        self.log = log
        self.process: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> Self:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bench.server", *self.args], cwd=PROJECT,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            )
        try:
            self.port = self._read_port()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_port(self) -> int:
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=START_SECONDS):
                raise BenchError(f"The {self.label} server did not start within "
                                 f"{START_SECONDS} s; see {self.log}.")
        line = self.process.stdout.readline()
        try:
            return int(json.loads(line)["port"])
        except (ValueError, KeyError, TypeError):
            raise BenchError(f"The {self.label} server did not start; see {self.log}.") from None

    def rss_mb(self) -> float:
        """Resident memory of the server process now, in MiB (VmRSS)."""
        return _status_kib(self.pid, "VmRSS") / 1024

    def peak_rss_mb(self) -> float:
        return _status_kib(self.pid, "VmHWM") / 1024

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            process.stdin.close()  # the server exits at end of input
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        finally:
            process.stdout.close()


def _status_kib(pid: int, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float("nan")

