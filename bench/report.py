"""The benchmark's results: one row per page, the table it prints, the machine it ran on."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import subprocess
from dataclasses import dataclass

from bench.load import LoadResult
from bench.pages import BenchPage


@dataclass
class Row:
    page: BenchPage
    result: LoadResult
    rss_mb: float
    warmup_errors: int = 0

    def as_dict(self) -> dict:
        result = self.result
        return {
            "page": self.page.name, "path": self.page.path, "login": self.page.login,
            "requests": result.completed, "seconds": round(result.elapsed, 3),
            "requests_per_second": round(result.rps, 1),
            "p50_ms": round(result.percentile(0.50) * 1000, 2),
            "p95_ms": round(result.percentile(0.95) * 1000, 2),
            "queries_per_request": _rounded(result.mean_queries),
            "rss_mb": _rounded(self.rss_mb),
            "statuses": {str(status): n for status, n in sorted(result.statuses.items())},
            "failures": dict(result.failures),
            "warmup_errors": self.warmup_errors,
        }


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 1)


def revision(folder) -> str:
    """The commit the figures were taken on, with "+changes" when the tree differs from it."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                              check=False)

    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except OSError:
        return "unknown"
    if head.returncode:
        return "unknown"
    return head.stdout.strip() + ("+changes" if changed.stdout.strip() else "")


def machine() -> dict:
    """What the figures depend on: processor, cores, Python, system, date."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.partition(":")[2].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": load_average(),
    }


def load_average() -> float:
    """The system's one-minute load average: other work on the machine skews the figures."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return math.nan


def _ratio(value: float, reference: float) -> str:
    if not reference or math.isnan(value) or math.isnan(reference):
        return "-"
    ratio = value / reference
    return f"{ratio:.3f}" if ratio < 0.1 else f"{ratio:.2f}" if ratio < 10 else f"{ratio:.0f}"


def _number(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


HEADINGS = ("page", "as", "req/s", "x hello", "p50 ms", "x hello", "p95 ms", "x hello",
            "queries/req", "RSS MiB", "x hello", "errors")


def table_rows(hello: Row, rows: list[Row]) -> list[tuple[str, ...]]:
    """The hello line first, then each page with its ratios to it."""
    reference = hello.result
    lines = []
    for row in [hello, *rows]:
        result = row.result
        p50, p95 = result.percentile(0.50), result.percentile(0.95)
        lines.append((
            row.page.name, "-" if row.page.owner == "hello" else row.page.login,
            _number(result.rps, 0), _ratio(result.rps, reference.rps),
            _number(p50 * 1000), _ratio(p50, reference.percentile(0.50)),
            _number(p95 * 1000), _ratio(p95, reference.percentile(0.95)),
            _number(result.mean_queries), _number(row.rss_mb), _ratio(row.rss_mb, hello.rss_mb),
            str(result.errors) if result.errors else "",
        ))
    return lines


def text_table(hello: Row, rows: list[Row]) -> str:
    return render_text(HEADINGS, table_rows(hello, rows))


def markdown_table(hello: Row, rows: list[Row]) -> str:
    return render_markdown(HEADINGS, table_rows(hello, rows))


def render_text(headings: tuple[str, ...], lines: list[tuple[str, ...]], left: int = 2) -> str:
    """Aligned columns for the terminal: the first ``left`` columns are text, the rest
    numbers."""
    lines = [headings, *lines]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headings))]
    out = []
    for number, line in enumerate(lines):
        cells = [cell.ljust(w) if i < left else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells).rstrip())
        if number == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def render_markdown(headings: tuple[str, ...], lines: list[tuple[str, ...]],
                    left: int = 2) -> str:
    """The same table in Markdown, numbers aligned right."""
    out = ["| " + " | ".join(headings) + " |",
           "|" + "|".join("---" if i < left else "---:" for i in range(len(headings))) + "|"]
    out.extend("| " + " | ".join(cell or " " for cell in line) + " |" for line in lines)
    return "\n".join(out)
