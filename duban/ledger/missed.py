"""漏报进度 for one period, as the office's page reads it at province scale (a selectors module): the lead units'
assignments of the tasks that owed a report for the period and made none — lights.missed_reports' rule, stated
with the columns themselves, so that the database compares dates and times and never calls a function per task
(on SQLite every TruncDate is a call into Python, and the standing's three deadline subqueries are not needed
to know that a task was done), and the page sorts and counts narrow rows (only the assignments' keys) before
the one page shown is fetched whole.

tests/ledger/test_missed_reports_page_query.py holds ``missed_reports`` equal to lights.missed_reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from duban.ledger.lights import Period
from duban.ledger.models import ProgressReport, Task, TaskUnit
from duban.ledger.selectors import leading_assignments


def _given_by(day: dt.date) -> Q:
    """Tasks given (交办, else 入台账: lights.task_start) on or before ``day``: before the next day's midnight
    where the site is (the day TruncDate would give), compared as moments."""
    midnight = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return Q(assigned_at__lt=midnight) | Q(assigned_at__isnull=True, reviewed_at__lt=midnight)


def _not_done_by(day: dt.date) -> Q:
    """Tasks not 办结 on ``day`` (with_standing's first case, ``done_on <= day``, not met)."""
    return Q(done_on__isnull=True) | Q(done_on__gt=day)


def missed_reports(tasks: QuerySet[Task], *, cycle: str, period: Period) -> QuerySet[TaskUnit]:
    """The lead units' assignments (TaskUnit) of ``tasks`` of ``cycle`` that owed a report for ``period`` and
    made none (lights.missed_reports), in the 台账's order; nothing fetched, nothing joined but what the order
    needs (missed_page_rows fetches a page's rows with their task, unit, document and owner)."""
    owing = tasks.filter(status=Task.Status.CONFIRMED, reporting_cycle=cycle)
    owing = owing.filter(_given_by(period.end)).filter(_not_done_by(period.end))
    reported = ProgressReport.objects.filter(task=OuterRef("task"), unit=OuterRef("unit"), period=period.code)
    return (
        leading_assignments()
        .filter(task__in=owing.values("pk"))
        .filter(~Exists(reported))
        .order_by(
            "task__ledger_place",
            "task__pk",
            "unit__name",
        )
    )


def missed_page_rows(pks: Sequence[int]) -> list[TaskUnit]:
    """The assignments ``pks`` (one page of missed_reports' keys), in that order, each with its task, unit, the
    task's document (without its full text) and owner: one query."""
    found = TaskUnit.objects.filter(pk__in=list(pks)).select_related("task", "unit", "task__document", "task__owner")
    found = found.defer("task__document__full_text", "task__document__search_tokens").order_by()
    by_pk = {row.pk: row for row in found}
    return [by_pk[pk] for pk in pks if pk in by_pk]
