"""The daily run: every job registered here, for every jurisdiction, once a day.

A job is ``fn(*, jurisdiction, today) -> int`` (how many reminders or proposals it made); it must be
idempotent (a reminder is keyed, so a second run on the same day makes nothing). Apps register their
jobs when they load (``register(name, fn)`` in their module, imported by their ``AppConfig.ready()``).
``run_daily`` is started by the huey worker's scheduler (duban/ledger/tasks.py) and by
``manage.py ledger_reminders``; each job runs in a transaction of its own, so one that fails writes
nothing, is logged, and does not keep the others from running.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from duban import clock
from duban.accounts.models import Jurisdiction
from duban.ledger import selectors, services

logger = logging.getLogger(__name__)

DailyJob = Callable[..., int]

_JOBS: dict[str, DailyJob] = {}


def register(name: str, fn: DailyJob) -> DailyJob:
    """Add ``fn`` to the daily run under ``name`` (registering the same name again replaces it)."""
    _JOBS[name] = fn
    return fn


def jobs() -> dict[str, DailyJob]:
    """The registered jobs, in the order they were registered."""
    return dict(_JOBS)


@dataclass(frozen=True)
class JobRun:
    jurisdiction: Jurisdiction
    name: str
    made: int
    error: str = ""


def run_daily(today: dt.date | None = None) -> list[JobRun]:
    """Run every registered job for every jurisdiction on ``today`` (default: duban's today)."""
    today = today or clock.today()
    runs = []
    for jurisdiction in Jurisdiction.objects.order_by("pk"):
        for name, fn in jobs().items():
            try:
                with transaction.atomic():
                    made = fn(jurisdiction=jurisdiction, today=today)
            except Exception as error:  # one job's failure leaves the others to run
                logger.exception("daily job %s failed for %s on %s", name, jurisdiction.code, today)
                runs.append(JobRun(jurisdiction, name, 0, f"{error.__class__.__name__}: {error}"))
                continue
            runs.append(JobRun(jurisdiction, name, int(made or 0)))
    return runs


# --- the ledger's own daily reminders ----------------------------------------------------------------


def reminders_generate(*, jurisdiction: Jurisdiction, today: dt.date | None = None) -> int:
    """A report due in the current period and not yet made (the lead units'). Idempotent: each reminder is
    made once. Deadlines and 督办单 are the escalation ladder's (duban/ledger/ladder.py)."""
    today = today or clock.today()
    made = 0
    for task in selectors.tasks_confirmed(jurisdiction=jurisdiction):
        standing = selectors.task_standing(task, today)
        if standing.code == "done":
            continue
        period = selectors.period_of(task.reporting_cycle, today)
        due = selectors.period_end(task.reporting_cycle, today)
        reported = {r.unit_id for r in task.progress_reports.all() if r.period == period}
        link = reverse("ledger:report", args=[task.pk])
        units = {a.unit_id: a.unit for a in task.assignments.all() if a.unit_id}
        for unit_id in selectors.task_lead_unit_ids(task):  # the lead unit reports for the task
            unit = units[unit_id]
            if unit.pk in reported:
                continue
            for user in services.unit_liaison_users(unit):
                made += bool(
                    services._remind(
                        actor=None,
                        recipient=user,
                        kind="report_due",
                        task=task,
                        due=due,
                        key=f"report:{task.pk}:{unit.pk}:{period}",
                        link=link,
                        text=f"请于 {due:%Y-%m-%d} 前报送{selectors.period_label(period)}进度：{task.title}",
                    )
                )
    return made


register("ledger.reminders", reminders_generate)
