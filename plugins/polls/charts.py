"""Results drawn as bar charts: the numbers and geometry that ``polls/chart.jinja2`` puts in
an inline SVG, with a title, a description holding every exact figure, and a table beside it.
No script and no inline style: colours come from classes in ``polls.css``."""

from __future__ import annotations

from dataclasses import dataclass, field

from plugins.polls import _
from plugins.polls.methods import GRADE_TITLES

WIDTH = 640
BAR_AREA = 470  # the longest bar; the rest of the width holds its figure
ROW = 44
LABEL_LENGTH = 70


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the exact figure, formatted for the reader
    y: int = 0
    width: float = 0.0


@dataclass
class Segment:
    grade: int
    count: int
    x: float
    width: float


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    stacks: list[tuple[Bar, list[Segment]]] = field(default_factory=list)

    @property
    def height(self) -> int:
        return ROW * max(len(self.bars), len(self.stacks)) + 8

    @property
    def median_x(self) -> float:
        return BAR_AREA / 2


def short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH - 1] + "…"


def bar_chart(request, chart_id, title, rows) -> Chart:
    """``rows``: (label, value, exact text), in the order to draw them."""
    translate = request.localizer.translate
    highest = max((value for _label, value, _text in rows), default=0) or 1
    bars = []
    for index, (label, value, text) in enumerate(rows):
        width = BAR_AREA * max(value, 0) / highest
        bars.append(Bar(short(label), value, text, y=index * ROW, width=round(width, 1)))
    description = "; ".join(
        translate(_("${option}: ${figure}", mapping={"option": label, "figure": text}))
        for label, _value, text in rows)
    return Chart(chart_id, title, description, bars=bars)


def profile_chart(request, chart_id, title, rows) -> Chart:
    """Majority judgment's merit profiles: ``rows`` are (label, [count per grade])."""
    translate = request.localizer.translate
    stacks = []
    parts = []
    for index, (label, counts) in enumerate(rows):
        total = sum(counts) or 1
        x = 0.0
        segments = []
        for grade, count in enumerate(counts):
            width = BAR_AREA * count / total
            if count:
                segments.append(Segment(grade, count, round(x, 1), round(width, 1)))
            x += width
        stacks.append((Bar(short(label), 0, "", y=index * ROW), segments))
        figures = ", ".join(
            translate(_("${grade}: ${count}", mapping={
                "grade": translate(GRADE_TITLES[grade]), "count": request.format_number(count)}))
            for grade, count in enumerate(counts) if count)
        parts.append(translate(_("${option} (${figures})", mapping={
            "option": label, "figures": figures or translate(_("no grades"))})))
    return Chart(chart_id, title, "; ".join(parts), stacks=stacks)
