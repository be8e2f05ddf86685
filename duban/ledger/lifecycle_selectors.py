"""Reads of the task's life (duban.ledger.lifecycle): 签收 due and overdue, 延期 and 办结 requests
awaiting a decision, and each one's reminder key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from duban.accounts.models import Jurisdiction, Unit
from duban.ledger import supervision
from duban.ledger.models import ClosureRequest, DeadlineChange, ExtensionRequest, Task, TaskUnit


def acknowledgement_key(task: Task, unit: Unit, *, office: bool = False) -> str:
    return f"ack:{task.pk}:{unit.pk}:{'office' if office else 'unit'}"


def extension_key(request: ExtensionRequest) -> str:
    return f"extension:{request.pk}:pending"


def closure_key(request: ClosureRequest) -> str:
    return f"closure:{request.pk}:pending"


# --- 签收 -------------------------------------------------------------------------------------------


def acknowledge_due(task: Task) -> dt.date | None:
    """The last day the task's units may acknowledge it: the settings' working days after the 交办
    (None for a task not yet 交办)."""
    if task.assigned_at is None:
        return None
    days = supervision.settings_for(task.jurisdiction).acknowledge_working_days
    return _due(task, days, supervision.calendar())


def _due(task: Task, days: int, work: supervision.WorkCalendar) -> dt.date | None:
    if task.assigned_at is None:
        return None
    return work.add_working_days(timezone.localtime(task.assigned_at).date(), days)


@dataclass(frozen=True)
class PendingAcknowledgement:
    task: Task
    unit: Unit
    due: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and today > self.due


def acknowledge_overdue_before(jurisdiction: Jurisdiction, today: dt.date) -> dt.datetime:
    """A 交办 before this moment is past its 签收 window on ``today``: the start of the day after the last
    day whose window has ended (the working days counted forward only grow with the day counted from)."""
    days = supervision.settings_for(jurisdiction).acknowledge_working_days
    work = supervision.calendar()
    day = today - dt.timedelta(days=1)
    while work.add_working_days(day, days) >= today:
        day -= dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def unacknowledged(
    *, jurisdiction: Jurisdiction, unit: Unit | None = None, overdue_on: dt.date | None = None
) -> QuerySet[TaskUnit]:
    """待签收: one assignment per (task, unit) not yet acknowledged, of the jurisdiction's 交办 tasks not
    办结 (of ``unit``; past the window on ``overdue_on``), oldest 交办 first. A query, paged by the lists."""
    first = (
        TaskUnit.objects.filter(task=OuterRef("task"), unit=OuterRef("unit"), acknowledged_at__isnull=True)
        .order_by("pk")
        .values("pk")[:1]
    )
    rows = TaskUnit.objects.filter(
        task__jurisdiction=jurisdiction,
        task__status=Task.Status.CONFIRMED,
        task__done_on__isnull=True,
        task__assigned_at__isnull=False,
        unit__isnull=False,
        acknowledged_at__isnull=True,
    ).filter(pk=Subquery(first))
    if unit is not None:
        rows = rows.filter(unit=unit)
    if overdue_on is not None:
        rows = rows.filter(task__assigned_at__lt=acknowledge_overdue_before(jurisdiction, overdue_on))
    return rows.select_related("task__jurisdiction", "unit").order_by("task__assigned_at", "task_id", "unit_id")


def unacknowledged_count(*, jurisdiction: Jurisdiction, overdue_on: dt.date | None = None) -> int:
    """How many (task, unit) ``unacknowledged`` lists for the whole jurisdiction: summed from each task's stored
    count of units yet to sign (Task.unacknowledged_units, duban.ledger.facts) in an index, not by walking
    every assignment of the jurisdiction."""
    tasks = Task.objects.filter(
        jurisdiction=jurisdiction,
        status=Task.Status.CONFIRMED,
        done_on__isnull=True,
        assigned_at__isnull=False,
        unacknowledged_units__gt=0,
    )
    if overdue_on is not None:
        tasks = tasks.filter(assigned_at__lt=acknowledge_overdue_before(jurisdiction, overdue_on))
    return tasks.order_by().aggregate(n=Sum("unacknowledged_units"))["n"] or 0


def pending_items(rows) -> list[PendingAcknowledgement]:
    """One page of ``unacknowledged`` as items with their due day (acknowledge_due's), the settings and the
    working calendar read once for the page (once per jurisdiction), not once per row."""
    work = supervision.calendar()
    windows: dict[int, int] = {}
    items = []
    for row in rows:
        task = row.task
        if task.jurisdiction_id not in windows:
            windows[task.jurisdiction_id] = supervision.settings_for(task.jurisdiction).acknowledge_working_days
        items.append(PendingAcknowledgement(task, row.unit, _due(task, windows[task.jurisdiction_id], work)))
    return items


def acknowledgements_pending(*, jurisdiction: Jurisdiction, unit: Unit | None = None) -> list[PendingAcknowledgement]:
    return pending_items(unacknowledged(jurisdiction=jurisdiction, unit=unit))


def acknowledgements_overdue(*, jurisdiction: Jurisdiction, today: dt.date) -> list[PendingAcknowledgement]:
    """超时未签收 on ``today``."""
    return pending_items(unacknowledged(jurisdiction=jurisdiction, overdue_on=today))


def task_acknowledgements(task: Task) -> list[dict]:
    """Each unit named on the task and when (by whom) it acknowledged it, for the task page."""
    due = acknowledge_due(task)
    seen: dict[int, dict] = {}
    for a in task.assignments.select_related("unit", "acknowledged_by").order_by("role", "position"):
        if not a.unit_id or a.unit_id in seen:
            continue
        seen[a.unit_id] = {"unit": a.unit, "at": a.acknowledged_at, "by": a.acknowledged_by, "due": due}
    return list(seen.values())


def unit_has_acknowledged(task: Task, unit: Unit) -> bool:
    rows = [a for a in task.assignments.all() if a.unit_id == unit.pk]
    return bool(rows) and all(a.acknowledged_at is not None for a in rows)


# --- 延期 -------------------------------------------------------------------------------------------


def extension_approver_user(task: Task) -> AbstractBaseUser | None:
    """The login that decides the task's 延期 when the settings name its 经办人 (and it has one with a
    login); None when the office decides."""
    if supervision.settings_for(task.jurisdiction).extension_approver != "owner":
        return None
    owner = task.owner
    if owner is None or owner.user_id is None or not owner.user.is_active:
        return None
    return owner.user


# task__owner__user: who decides each 延期 where the settings name the 经办人 (access_extension_decide)
EXTENSIONS = ExtensionRequest.objects.select_related(
    "task__jurisdiction", "task__owner__user", "unit", "deadline", "requested_by", "decided_by"
)
CLOSURES = ClosureRequest.objects.select_related(
    "task__jurisdiction", "task__owner", "unit", "requested_by", "decided_by"
).prefetch_related("attachments")


def extensions_for(*, jurisdiction: Jurisdiction, status: str = "", unit: Unit | None = None) -> QuerySet:
    found = EXTENSIONS.filter(task__jurisdiction=jurisdiction)
    if unit is not None:
        found = found.filter(unit=unit)
    if status:
        found = found.filter(status=status)
    return found.order_by("-requested_at", "-id")


def extensions_to_decide(user, *, jurisdiction: Jurisdiction, office: bool) -> QuerySet:
    """The pending 延期 of the jurisdiction that ``user`` decides (access.access_extension_decide, as a query,
    so a workbench counts and lists them in SQL): of a confirmed task, the task's 经办人 where the settings
    name them and their login is active, else the office (``office``: the user is the jurisdiction's office
    or the administrator)."""
    pending = extensions_for(jurisdiction=jurisdiction, status=ExtensionRequest.Status.PENDING).filter(
        task__status=Task.Status.CONFIRMED
    )
    if supervision.settings_for(jurisdiction).extension_approver != "owner":
        return pending if office else pending.none()
    owner_decides = Q(task__owner__user__isnull=False, task__owner__user__is_active=True)
    mine = owner_decides & Q(task__owner__user=user.pk) if user.is_authenticated else Q(pk__in=[])
    return pending.filter(mine | ~owner_decides) if office else pending.filter(mine)


def closures_for(*, jurisdiction: Jurisdiction, status: str = "", unit: Unit | None = None) -> QuerySet:
    found = CLOSURES.filter(task__jurisdiction=jurisdiction)
    if unit is not None:
        found = found.filter(unit=unit)
    if status:
        found = found.filter(status=status)
    return found.order_by("-requested_at", "-id")


def deadline_history(task: Task) -> list[DeadlineChange]:
    """时限调整记录: every move of the task's deadlines, oldest first."""
    return list(
        DeadlineChange.objects.filter(deadline__task=task)
        .select_related("deadline", "extension__unit", "changed_by")
        .order_by("changed_at", "id")
    )
