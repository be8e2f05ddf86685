"""The only writes to the ledger's tables besides ingest: reviewing drafted tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from duban.accounts.models import Unit
from duban.accounts.services import audit_record
from duban.ledger.models import Deadline, Task, TaskUnit


def task_snapshot(task: Task) -> dict:
    return {
        "ref": task.ref,
        "title": task.title,
        "status": task.status,
        "lead_units": [a.printed_name for a in task.assignments.all() if a.role == TaskUnit.Role.LEAD],
        "units": [a.printed_name for a in task.assignments.all() if a.role == TaskUnit.Role.RESPONSIBLE],
        "deadlines": [d.date.isoformat() for d in task.deadlines.all()],
        "review_note": task.review_note,
    }


def _locked_draft(task: Task) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.DRAFT:
        raise ValidationError({"status": f"该任务已审核（{task.get_status_display()}），不能重复操作"})
    return task


@transaction.atomic
def task_confirm(*, actor: AbstractBaseUser | None, task: Task) -> Task:
    """A reviewer confirms a draft: it enters the ledger with its units, targets and deadlines."""
    task = _locked_draft(task)
    if not task.assignments.exists():
        raise ValidationError({"units": "任务没有牵头单位或责任单位，不能入台账"})
    unlinked = [a.printed_name for a in task.assignments.all() if a.unit_id is None]
    if unlinked:
        raise ValidationError({"units": f"以下单位未对应到机构名录：{'、'.join(unlinked)}，请先修改"})
    before = task_snapshot(task)
    task.status = Task.Status.CONFIRMED
    task.reviewed_by = actor if actor is not None and actor.pk else None
    task.reviewed_at = timezone.now()
    task.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="task_confirm", instance=task, before=before, after=task_snapshot(task))
    return task


@transaction.atomic
def task_reject(*, actor: AbstractBaseUser | None, task: Task, reason: str) -> Task:
    if not reason.strip():
        raise ValidationError({"review_note": "退回须说明理由"})
    task = _locked_draft(task)
    before = task_snapshot(task)
    task.status = Task.Status.REJECTED
    task.review_note = reason.strip()[:300]
    task.reviewed_by = actor if actor is not None and actor.pk else None
    task.reviewed_at = timezone.now()
    task.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="task_reject", instance=task, before=before, after=task_snapshot(task))
    return task


@transaction.atomic
def task_update(
    *,
    actor: AbstractBaseUser | None,
    task: Task,
    title: str,
    lead_units: Sequence[Unit],
    units: Sequence[Unit],
    deadlines: Sequence[dt.date] = (),
) -> Task:
    """A reviewer corrects a draft before confirming it: its title, its units, its deadlines."""
    task = _locked_draft(task)
    if not title.strip():
        raise ValidationError({"title": "任务名称不能为空"})
    overlap = {u.pk for u in lead_units} & {u.pk for u in units}
    if overlap:
        raise ValidationError({"units": "同一单位不能既是牵头单位又是责任单位"})
    for unit in (*lead_units, *units):
        if unit.jurisdiction_id != task.jurisdiction_id:
            raise ValidationError({"units": f"{unit.name}不属于本辖区"})
    before = task_snapshot(task)
    task.title = title.strip()[:300]
    task.save(update_fields=["title"])
    task.assignments.all().delete()
    for role, chosen in ((TaskUnit.Role.LEAD, lead_units), (TaskUnit.Role.RESPONSIBLE, units)):
        for position, unit in enumerate(chosen):
            TaskUnit.objects.create(task=task, role=role, printed_name=unit.name, unit=unit, position=position)
    task.deadlines.all().delete()
    for date in deadlines:
        Deadline.objects.create(document=task.document, task=task, text="审核时确定", date=date)
    audit_record(actor=actor, action="task_update", instance=task, before=before, after=task_snapshot(task))
    return task
