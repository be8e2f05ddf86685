"""Counting the ledger in SQL for the 督查通报 and the charts: as of many days in one query, and by lead unit.

A figure "as of" a day asks of each row whether a date of it (the day a task was given, was done, its
deadline) falls on or before that day. Asked once per day, the database reads every row once per day: a
page of twelve periods read the ledger twelve times, and its cost grew with the ledger times the periods.
Here the days are sorted and each date of a row becomes the index of the first day it counts from
(``first_day``: a CASE over the days, computed once per row); the rows are grouped by these indexes, and
what stands on each day is worked out from the groups (at most a few hundred, however many rows), so
one query answers for every day.

The rules a figure counts by stay where they are stated (the ledger's standing, duban.ledger.selectors.
with_standing: 已办结, 无时限, 已逾期, 即将到期, 办理中); ``standing_on`` states the same rule over the indexes,
and tests/reports/test_figures_asof.py holds the two equal on a generated ledger, day by day.

``leads_here`` counts by lead unit (牵头单位, ledger.selectors.leading_assignments) as a condition on the
assignment a query has joined, so that no set of every lead assignment of the database is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, Expression, F, IntegerField, Q, Value, When
from django.db.models.lookups import LessThan, LessThanOrEqual

from duban.ledger.selectors import DUE_SOON_DAYS


def leads_here(path: str = "assignments") -> Q:
    """The assignment joined at ``path`` leads its task (its stored flag, ledger.selectors.leading_assignments):
    a condition on the joined row itself, which a later ``values()`` of the same path reads (one join, no
    subquery per row)."""
    return Q(**{f"{path}__leads": True})


def sorted_days(days: Iterable[dt.date]) -> list[dt.date]:
    return sorted(set(days))


def first_day(expression: Expression | str, days: Sequence[dt.date], *, strict: bool = False) -> Case:
    """The index in ``days`` (ascending) of the first day on or after which ``expression`` (a date) is on or
    before the day (``strict``: before it); ``len(days)`` when on none of them, or when it is NULL."""
    value = F(expression) if isinstance(expression, str) else expression
    compare = LessThan if strict else LessThanOrEqual
    return Case(
        *[When(compare(value, Value(day)), then=Value(index)) for index, day in enumerate(days)],
        default=Value(len(days)),
        output_field=IntegerField(),
    )


def standing_indexes(days: Sequence[dt.date], *, deadline: str = "ledger_deadline", done: str = "done_on") -> dict:
    """The annotations standing_on reads, for a queryset of tasks annotated with ``deadline`` (the earliest
    deadline, selectors.with_standing's ledger_deadline) and holding ``done`` (the office's 办结 date)."""
    return {
        "asof_done": first_day(done, days),
        "asof_overdue": first_day(deadline, days, strict=True),
        "asof_due_soon": first_day(deadline, [day + dt.timedelta(days=DUE_SOON_DAYS) for day in days]),
        "asof_no_deadline": Case(When(**{f"{deadline}__isnull": True}, then=Value(1)), default=Value(0)),
    }


@dataclass(frozen=True)
class StandingGroup:
    """A group of tasks sharing the indexes of standing_indexes (and ``given``: the first day they are in the
    ledger, 0 when counted from the first day on), with how many they are."""

    done: int
    overdue: int
    due_soon: int
    no_deadline: bool
    count: int
    given: int = 0

    def standing_on(self, index: int) -> str | None:
        """The standing on the day of ``index`` (with_standing's rule), None before the tasks are given."""
        if self.given > index:
            return None
        if self.done <= index:
            return "done"
        if self.no_deadline:
            return "no_deadline"
        if self.overdue <= index:
            return "overdue"
        if self.due_soon <= index:
            return "due_soon"
        return "open"


def standing_groups(rows: Iterable[dict], *, count: str = "n") -> list[StandingGroup]:
    """The groups of a ``values(*standing_indexes(…)[, "asof_given"]).annotate(n=…)`` query."""
    return [
        StandingGroup(
            done=row["asof_done"],
            overdue=row["asof_overdue"],
            due_soon=row["asof_due_soon"],
            no_deadline=bool(row["asof_no_deadline"]),
            count=row[count],
            given=row.get("asof_given", 0),
        )
        for row in rows
    ]
