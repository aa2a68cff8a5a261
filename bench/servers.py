"""Starting and stopping the benchmark's server processes."""

from __future__ import annotations

import json
import selectors
import signal
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


class ChildProcess:
    """``python -m MODULE ARGS...`` run by ``bench.child``, as a context manager: stopped on
    leaving (SIGTERM, then SIGKILL), and ended by ``bench.child`` if the benchmark dies."""

    def __init__(self, label: str, args: list[str], log: Path):
        self.label = label
        self.command = [sys.executable, "-m", "bench.child", *args]
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Self:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=PROJECT, stdin=subprocess.PIPE,
                                            stdout=log, stderr=log)
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdin.close()


class WorkerProcess(ChildProcess):
    """``cortege worker INI``, as a deployer runs it beside the site. SIGTERM stops Huey
    without waiting for the jobs under way, which may be waiting on a mail server that never
    answers."""

    def __init__(self, label: str, ini: Path, log: Path, *args: str):
        super().__init__(label, ["core.cli", "worker", str(ini), *args], log)


def _status_kib(pid: int, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float("nan")

