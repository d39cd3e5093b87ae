"""Chart geometry for server-rendered SVG: plain numbers in, positions out (no I/O, no markup).

The template ``console/_chart.html`` draws the bars; every chart also shows its numbers as a table, so
the SVG is a picture of the table, never the only place a figure lives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

LABEL_WIDTH = 210
VALUE_WIDTH = 70
BAR_HEIGHT = 22
GAP = 8
TOP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as text, e.g. "42" or "81 %"
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    """One chart: a title, the table behind it and the bars that draw it."""

    id: str
    title: str
    summary: str  # one sentence that says what the chart shows (the text alternative)
    columns: list[str]
    rows: list[list[object]]
    bars: list[Bar] = field(default_factory=list)
    width: int = 640
    height: int = 0
    bar_x: int = LABEL_WIDTH
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows


def fmt(value: float, unit: str = "") -> str:
    """A Dutch number: whole numbers plain, others with one decimal and a comma."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return f"{text} {unit}".strip() if unit else text


def bars(
    values: Sequence[tuple[str, float]], *, width: int = 640, unit: str = "", maximum: float | None = None
) -> tuple[list[Bar], int]:
    """Horizontal bars for (label, value) pairs, scaled to the largest value (or ``maximum``); with height."""
    area = width - LABEL_WIDTH - VALUE_WIDTH
    top = maximum if maximum is not None else max((v for _, v in values), default=0.0)
    out = []
    for i, (label, value) in enumerate(values):
        scaled = 0.0 if top <= 0 else max(0.0, min(1.0, value / top)) * area
        out.append(
            Bar(
                label=label,
                value=value,
                shown=fmt(value, unit),
                y=TOP + i * (BAR_HEIGHT + GAP),
                width=round(scaled, 1),
            )
        )
    height = TOP * 2 + len(values) * (BAR_HEIGHT + GAP)
    return out, height


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    columns: list[str],
    rows: list[list[object]],
    values: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    maximum: float | None = None,
    note: str = "",
) -> Chart:
    """A chart whose bars are ``values`` and whose table is ``rows`` under ``columns``."""
    drawn, height = bars(values, unit=unit, maximum=maximum)
    return Chart(
        id=chart_id,
        title=title,
        summary=summary,
        columns=columns,
        rows=rows,
        bars=drawn,
        height=height,
        note=note,
    )


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0–100) by linear interpolation, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
