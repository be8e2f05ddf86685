"""The 台账's standing computed by the database (selectors.with_standing) is task_standing, on the demo."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ledger import selectors
from duban.ledger.models import Deadline, Task

pytestmark = pytest.mark.django_db

D = dt.date


def test_the_standing_the_database_computes_is_the_standing_of_the_task(demo):
    seen = set()
    deadlines = sorted(set(Deadline.objects.filter(task__status=Task.Status.CONFIRMED).values_list("date", flat=True)))
    days = [D(2020, 5, 1), D(2020, 7, 31), D(2020, 12, 10), D(2031, 1, 1)]
    days += [day - dt.timedelta(days=2) for day in deadlines[:: max(len(deadlines) // 4, 1)]]
    for day in days:
        seen |= _standings_agree(day)
    # the demo's days are varied enough to mean something (无时限: tests/ledger/test_ledger_list.py)
    assert {"done", "overdue", "due_soon", "open"} <= seen


def _standings_agree(day) -> set[str]:
    tasks = Task.objects.filter(status=Task.Status.CONFIRMED)
    by_sql = {t.pk: (t.ledger_standing, t.ledger_deadline) for t in selectors.with_standing(tasks, day)}
    prefetched = tasks.prefetch_related("deadlines", "assignments", "progress_reports")
    by_python = {t.pk: (s.code, s.deadline) for t in prefetched for s in [selectors.task_standing(t, day)]}
    assert by_sql == by_python, day
    return {code for code, _ in by_sql.values()}
