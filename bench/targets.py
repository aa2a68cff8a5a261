"""Each page measured in pairs with the bare view, repeated: the ratios and the verdicts
against the targets the project set itself.

- every main page at 10% or more of the bare view's rate in the same run (``PAGE_RATIO``),
  and the median page at 15% or more (``MEDIAN_RATIO``);
- the site's search (``heavy/search-*``) with a median time under 30 ms (``SEARCH_P50``);
- every main page with a median time under 20 ms (``PAGE_P50``): a target for one client
  (``--concurrency 1``) on PostgreSQL at 100,000 members; other runs print it for reference.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from bench.report import Row, _number, render_markdown, render_text

PAGE_RATIO = 0.10
MEDIAN_RATIO = 0.15
SEARCH_P50 = 0.030
PAGE_P50 = 0.020


@dataclass
class Pair:
    """A page and the bare view, measured one after the other, ``--repeat`` times."""

    hellos: list[Row] = field(default_factory=list)
    pages: list[Row] = field(default_factory=list)

    @property
    def page(self):
        return self.pages[0].page

    def ratios(self) -> list[float]:
        return [page.result.rps / hello.result.rps
                for hello, page in zip(self.hellos, self.pages) if hello.result.rps]

    def ratio(self) -> float:
        ratios = self.ratios()
        return statistics.median(ratios) if ratios else math.nan

    def spread(self) -> float:
        ratios = self.ratios()
        return max(ratios) - min(ratios) if ratios else math.nan

    def median(self, value) -> float:
        values = [value(row) for row in self.pages]
        values = [v for v in values if not math.isnan(v)]
        return statistics.median(values) if values else math.nan

    def verdicts(self) -> list[str]:
        p50 = self.median(lambda row: row.result.percentile(0.50))
        if self.page.name.startswith("heavy/search"):
            return [_verdict(p50 < SEARCH_P50, "p50<30ms")]
        return [_verdict(self.ratio() >= PAGE_RATIO, ">=10%"),
                _verdict(p50 < PAGE_P50, "p50<20ms")]

    def as_dict(self) -> dict:
        return {"page": self.page.name, "path": self.page.path, "login": self.page.login,
                "ratios": [round(r, 4) for r in self.ratios()],
                "ratio_median": round(self.ratio(), 4), "ratio_spread": round(self.spread(), 4),
                "verdicts": self.verdicts(),
                "rounds": [{"hello": hello.as_dict(), "page": page.as_dict()}
                           for hello, page in zip(self.hellos, self.pages)]}


def _verdict(passed: bool, target: str) -> str:
    return f"{'PASS' if passed else 'MISS'} {target}"


HEADINGS = ("page", "as", "req/s", "hello req/s", "ratio", "spread", "p50 ms", "p99 ms",
            "queries/req", "RSS MiB", "errors", "verdict")


def table_rows(pairs: list[Pair]) -> list[tuple[str, ...]]:
    lines = []
    for pair in pairs:
        lines.append((
            pair.page.name, pair.page.login,
            _number(pair.median(lambda row: row.result.rps), 0),
            _number(statistics.median(h.result.rps for h in pair.hellos), 0),
            _number(pair.ratio(), 3), _number(pair.spread(), 3),
            _number(pair.median(lambda row: row.result.percentile(0.50)) * 1000),
            _number(pair.median(lambda row: row.result.percentile(0.99)) * 1000),
            _number(pair.median(lambda row: row.result.mean_queries)),
            _number(pair.median(lambda row: row.rss_mb)),
            str(sum(row.result.errors for row in pair.pages) or ""),
            " ".join(pair.verdicts()),
        ))
    return lines


def summary(pairs: list[Pair]) -> str:
    pages = [pair for pair in pairs if not pair.page.name.startswith("heavy/search")]
    ratios = [pair.ratio() for pair in pages if not math.isnan(pair.ratio())]
    if not ratios:
        return "No page measured."
    median = statistics.median(ratios)
    passed = sum(1 for pair in pages if pair.ratio() >= PAGE_RATIO)
    return (f"Median page at {median:.1%} of the bare view's rate: "
            f"{'PASS' if median >= MEDIAN_RATIO else 'MISS'} (target 15%); "
            f"{passed} of {len(pages)} pages at 10% or more.")


def text_table(pairs: list[Pair]) -> str:
    return render_text(HEADINGS, table_rows(pairs))


def markdown_table(pairs: list[Pair]) -> str:
    return render_markdown(HEADINGS, table_rows(pairs))
