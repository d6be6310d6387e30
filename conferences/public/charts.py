"""Statements per month as bars, laid out here and drawn as SVG by a template (no chart library)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth

WIDTH, HEIGHT, GAP = 600, 120, 1


@dataclass
class Bar:
    month: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Timeline:
    bars: list[Bar]
    width: int
    height: int
    peak: int
    total: int
    first: datetime.date | None
    last: datetime.date | None


def monthly_counts(statements) -> list[tuple[datetime.date, int]]:
    """(first day of month, number of statements) for every month with statements, in order."""
    rows = (
        statements.order_by()
        .annotate(month=TruncMonth("conference__date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [(month if isinstance(month, datetime.date) else month.date(), n) for month, n in rows]


def _months(first: datetime.date, last: datetime.date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield datetime.date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def timeline(counts: list[tuple[datetime.date, int]]) -> Timeline:
    """Bars for every month from the first to the last, empty months included."""
    if not counts:
        return Timeline([], WIDTH, HEIGHT, 0, 0, None, None)
    by_month = dict(counts)
    months = list(_months(counts[0][0], counts[-1][0]))
    peak = max(by_month.values())
    step = WIDTH / len(months)
    bars = []
    for i, month in enumerate(months):
        n = by_month.get(month, 0)
        height = round(HEIGHT * n / peak, 1)
        bars.append(
            Bar(
                month,
                n,
                round(i * step, 2),
                round(HEIGHT - height, 1),
                max(step - GAP, 0.5),
                height,
            )
        )
    return Timeline(bars, WIDTH, HEIGHT, peak, sum(by_month.values()), months[0], months[-1])
