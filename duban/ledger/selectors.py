"""Reads of the ledger. A task's standing (overdue, due soon) is derived when read, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from duban.ledger.models import Task

DUE_SOON_DAYS = 3  # "due in 3 days" (issue 4)


@dataclass(frozen=True)
class Standing:
    code: str  # "done", "overdue", "due_soon", "open", "no_deadline"
    label: str
    deadline: dt.date | None

    @property
    def is_overdue(self) -> bool:
        return self.code == "overdue"


def task_next_deadline(task: Task) -> dt.date | None:
    dates = sorted(d.date for d in task.deadlines.all())
    return dates[0] if dates else None


def task_is_done(task: Task) -> bool:
    """Whether the task's work is reported complete (no progress reports are recorded yet)."""
    return False


def task_standing(task: Task, today: dt.date | None = None) -> Standing:
    today = today or timezone.localdate()
    deadline = task_next_deadline(task)
    if task_is_done(task):
        return Standing("done", "已完成", deadline)
    if deadline is None:
        return Standing("no_deadline", "无时限", None)
    if deadline < today:
        return Standing("overdue", "已逾期", deadline)
    if (deadline - today).days <= DUE_SOON_DAYS:
        return Standing("due_soon", "即将到期", deadline)
    return Standing("open", "办理中", deadline)


def tasks_confirmed(*, jurisdiction) -> QuerySet[Task]:
    return (
        Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED)
        .select_related("document")
        .prefetch_related("deadlines", "assignments__unit")
    )


def tasks_overdue(*, jurisdiction, today: dt.date | None = None) -> list[Task]:
    return [task for task in tasks_confirmed(jurisdiction=jurisdiction) if task_standing(task, today).is_overdue]
