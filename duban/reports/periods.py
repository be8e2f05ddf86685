"""The city's reporting cycles (the 2020-04-27 speech: 周通报、月调度、季分析、半年考评、年度考核) as periods
with a code, bounds and the period before, so that each report can say what changed since the last.

Codes: 2020-W16 (an ISO week, Monday to Sunday), 2020-04, 2020-Q2, 2020-H1, 2020.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

WEEK, MONTH, QUARTER, HALF, YEAR = "week", "month", "quarter", "half", "year"

# The report each cycle is, in the speech's words.
CYCLE_REPORTS = {WEEK: "周通报", MONTH: "月调度", QUARTER: "季分析", HALF: "半年考评", YEAR: "年度考核"}


@dataclass(frozen=True)
class Period:
    cycle: str
    year: int
    number: int  # the week, month, quarter or half; 1 for a year
    start: dt.date
    end: dt.date  # inclusive

    @property
    def code(self) -> str:
        if self.cycle == WEEK:
            return f"{self.year}-W{self.number:02d}"
        if self.cycle == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.cycle == QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.cycle == HALF:
            return f"{self.year}-H{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        """As a heading says it: 2020年第16周（4月13日—4月19日）, 2020年4月, 2020年第二季度, 2020年上半年, 2020年."""
        if self.cycle == WEEK:
            return (
                f"{self.year}年第{self.number}周（{self.start.month}月{self.start.day}日—"
                f"{self.end.month}月{self.end.day}日）"
            )
        if self.cycle == MONTH:
            return f"{self.year}年{self.number}月"
        if self.cycle == QUARTER:
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        if self.cycle == HALF:
            return f"{self.year}年{'上下'[self.number - 1]}半年"
        return f"{self.year}年"

    @property
    def report_name(self) -> str:
        return CYCLE_REPORTS[self.cycle]

    def previous(self) -> Period:
        return period_containing(self.cycle, self.start - dt.timedelta(days=1))

    def months(self) -> list[str]:
        """The YYYY-MM months the period touches (a week may straddle two)."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(f"{day.year}-{day.month:02d}")
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return months


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _make(cycle: str, year: int, number: int) -> Period | None:
    try:
        if cycle == WEEK:
            start = dt.date.fromisocalendar(year, number, 1)
            return Period(WEEK, year, number, start, start + dt.timedelta(days=6))
        if cycle == MONTH:
            return Period(MONTH, year, number, dt.date(year, number, 1), _month_end(year, number))
        if cycle == QUARTER:
            first = 3 * (number - 1) + 1
            return Period(QUARTER, year, number, dt.date(year, first, 1), _month_end(year, first + 2))
        if cycle == HALF:
            first = 6 * (number - 1) + 1
            return Period(HALF, year, number, dt.date(year, first, 1), _month_end(year, first + 5))
        return Period(YEAR, year, 1, dt.date(year, 1, 1), dt.date(year, 12, 31))
    except ValueError:
        return None


PATTERNS = (
    (re.compile(r"([0-9]{4})-W([0-9]{1,2})"), WEEK),
    (re.compile(r"([0-9]{4})-([0-9]{2})"), MONTH),
    (re.compile(r"([0-9]{4})-Q([1-4])"), QUARTER),
    (re.compile(r"([0-9]{4})-H([12])"), HALF),
    (re.compile(r"([0-9]{4})()"), YEAR),
)


def parse_period(text: str | None) -> Period | None:
    """The period a code names, or None when it names none (2020-13, 2020-W54, 2020-Q5 …)."""
    cleaned = (text or "").strip().upper()
    for pattern, cycle in PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            if cycle == MONTH and not 1 <= int(match.group(2)) <= 12:
                return None
            return _make(cycle, int(match.group(1)), int(match.group(2) or 1))
    return None


def period_containing(cycle: str, day: dt.date) -> Period:
    """The period of `cycle` that `day` falls in."""
    if cycle == WEEK:
        year, week, _ = day.isocalendar()
        period = _make(WEEK, year, week)
    elif cycle == MONTH:
        period = _make(MONTH, day.year, day.month)
    elif cycle == QUARTER:
        period = _make(QUARTER, day.year, (day.month - 1) // 3 + 1)
    elif cycle == HALF:
        period = _make(HALF, day.year, 1 if day.month <= 6 else 2)
    elif cycle == YEAR:
        period = _make(YEAR, day.year, 1)
    else:
        raise ValueError(f"unknown reporting cycle {cycle!r}")
    assert period is not None
    return period
