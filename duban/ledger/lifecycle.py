"""The task's life between the unit and the office: 签收, 延期申请 and its approval, 办结申请 and 验收.

The same rules as the ledger's other services (duban.ledger.services): keyword-only, atomic, input
checked before anything is written (``ValidationError`` with a Chinese message, nothing written), an
audit row with the state before and after in the same transaction, and a reminder (services._remind)
to whoever must act next. ``today`` parameters exist so the demo and the tests can act on a given day.

- 签收: each unit named on a task acknowledges it (its liaison), within the jurisdiction's
  ``acknowledge_working_days`` working days of the 交办 (supervision.settings_for); past that, the
  daily job ``acknowledgement_reminders`` reminds the unit's liaisons and the office.
- 延期申请: a unit asks for one of the task's deadlines to move later, with a reason; the approver the
  settings name (``extension_approver``: the office, or the task's 经办人) approves — the deadline moves
  and a DeadlineChange keeps the history — or refuses, and nothing else changes.
- 办结申请 → 验收: a lead unit applies with a summary and its evidence (files checked as a report's
  attachments are); the office accepts (the task is 已办结 that day) or returns it with a reason (the
  task stays 办理中). A 100% progress report closes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from duban import clock
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction, Jurisdiction, Unit
from duban.accounts.services import audit_record, snapshot
from duban.ledger import daily, selectors, services
from duban.ledger import lifecycle_selectors as life
from duban.ledger.attachments import ATTACHMENT_MAX_FILES, attachment_name, check_attachment
from duban.ledger.models import (
    ClosureAttachment,
    ClosureRequest,
    Deadline,
    ExtensionRequest,
    Task,
    TaskUnit,
)
from duban.ledger.services import _remind, _settle, office_users, unit_liaison_users

REASON_MAX = 2000
NOTE_MAX = 300


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _moment(today: dt.date | None) -> dt.datetime:
    """Now, or the current time of day on ``today`` (the demo and the tests act on a given day)."""
    now = clock.now()
    if today is None or today == timezone.localtime(now).date():
        return now
    return timezone.make_aware(dt.datetime.combine(today, timezone.localtime(now).time().replace(microsecond=0)))


def _user(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.pk else None


def _task_link(task: Task) -> str:
    return reverse("ledger:task", args=[task.pk])


def _open_task(task: Task) -> Task:
    """The task, locked: confirmed and not 办结 (else refused)."""
    task = Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    if task.status != Task.Status.CONFIRMED:
        raise ValidationError({"task": f"该任务尚未入台账（{task.get_status_display()}），不能办理"})
    if task.done_on is not None:
        raise ValidationError({"task": f"该任务已于 {task.done_on:%Y-%m-%d} 办结"})
    return task


def _named_unit(task: Task, unit: Unit) -> None:
    if not isinstance(unit, Unit) or not task.assignments.filter(unit=unit).exists():
        raise ValidationError({"unit": f"{getattr(unit, 'display_name', unit)}不是该任务的承办单位"})


def _text(field: str, text: str, missing: str, limit: int, what: str) -> str:
    text = required_text(field, text, missing)
    if len(text) > limit:
        raise ValidationError({field: f"{what}过长（最多 {limit} 字）"})
    return text


def _note(text: str, limit: int = NOTE_MAX) -> str:
    from duban.inputs import visible_text

    text = visible_text(text or "")
    if len(text) > limit:
        raise ValidationError({"note": f"意见过长（最多 {limit} 字）"})
    return text


# --- 签收 -------------------------------------------------------------------------------------------


def _decide(request, transition, *, actor, today, note: str, action: str, snapshot, before: dict, key: str) -> None:
    """Record the decision on a pending request (its FSM ``transition``), audit it as ``action`` and settle
    the reminder that asked for it."""
    transition()
    request.decided_by = _user(actor)
    request.decided_at = _moment(today)
    request.decision_note = note
    request.save()
    audit_record(actor=actor, action=action, instance=request, before=before, after=snapshot(request))
    _settle(actor=actor, key=key)


def _acknowledgement_snapshot(task: Task, unit: Unit) -> dict:
    rows = task.assignments.filter(unit=unit).order_by("role", "position")
    return {
        "unit": unit.display_name,
        "acknowledged": [
            {
                "role": a.role,
                "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
                "acknowledged_by": a.acknowledged_by_id,
            }
            for a in rows
        ],
    }


@transaction.atomic
def task_acknowledge(
    *, actor: AbstractBaseUser | None, task: Task, unit: Unit, today: dt.date | None = None
) -> list[TaskUnit]:
    """签收: ``unit`` acknowledges ``task`` (every assignment of the unit on the task), once."""
    task = _open_task(task)
    _named_unit(task, unit)
    rows = list(TaskUnit.objects.select_for_update(no_key=True).filter(task=task, unit=unit).order_by("pk"))
    if all(a.acknowledged_at is not None for a in rows):
        first = min(a.acknowledged_at for a in rows)
        raise ValidationError({"task": f"{unit.display_name}已于 {timezone.localtime(first):%Y-%m-%d} 签收该任务"})
    before = _acknowledgement_snapshot(task, unit)
    now = _moment(today)
    for assignment in rows:
        if assignment.acknowledged_at is None:
            assignment.acknowledged_at = now
            assignment.acknowledged_by = _user(actor)
            assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(
        actor=actor,
        action=AuditAction.TASK_ACKNOWLEDGE,
        instance=rows[0],
        before=before,
        after=_acknowledgement_snapshot(task, unit),
    )
    _settle(actor=actor, key=f"assign:{task.pk}:{unit.pk}")
    _settle(actor=actor, key=life.acknowledgement_key(task, unit))
    _settle(actor=actor, key=life.acknowledgement_key(task, unit, office=True))
    return rows


def acknowledgement_reminders(*, jurisdiction: Jurisdiction, today: dt.date) -> int:
    """The daily job: each unit that has not acknowledged a task past its window (the settings'
    working days after the 交办) — its liaisons and the office are reminded, once each."""
    made = 0
    with transaction.atomic():
        for item in life.acknowledgements_overdue(jurisdiction=jurisdiction, today=today):
            task, unit = item.task, item.unit
            text = f"{unit.display_name}逾期未签收任务（应于 {item.due:%Y-%m-%d} 前签收）：{task.title}"
            for user in unit_liaison_users(unit):
                made += bool(
                    _remind(
                        actor=None,
                        recipient=user,
                        kind="acknowledge_overdue",
                        task=task,
                        due=item.due,
                        key=life.acknowledgement_key(task, unit),
                        link=_task_link(task),
                        text=f"请签收任务（已超过 {item.due:%Y-%m-%d} 的签收期限）：{task.title}",
                    )
                )
            for user in office_users(jurisdiction):
                made += bool(
                    _remind(
                        actor=None,
                        recipient=user,
                        kind="acknowledge_overdue",
                        task=task,
                        due=item.due,
                        key=life.acknowledgement_key(task, unit, office=True),
                        link=reverse("ledger:acknowledgements"),
                        text=text,
                    )
                )
    return made


daily.register("ledger.acknowledgements", acknowledgement_reminders)


# --- 延期申请 ---------------------------------------------------------------------------------------


def extension_snapshot(request: ExtensionRequest) -> dict:
    return snapshot(request) | {"deadline_date": request.deadline.date.isoformat()}


def _extension_approvers(task: Task) -> list[AbstractBaseUser]:
    approver = life.extension_approver_user(task)
    if approver is not None:
        return [approver]
    return office_users(task.jurisdiction)


@transaction.atomic
def extension_request(
    *,
    actor: AbstractBaseUser | None,
    task: Task,
    unit: Unit,
    deadline: Deadline,
    requested_date: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> ExtensionRequest:
    """延期申请: ``unit`` asks for ``deadline`` (one of the task's) to move to ``requested_date``."""
    today = _today(today)
    reason = _text("reason", reason, "请填写延期理由", REASON_MAX, "延期理由")
    if not isinstance(requested_date, dt.date):
        raise ValidationError({"requested_date": "请填写申请延至的日期"})
    refuse_implausible_dates(requested_date=(requested_date, "申请延至的日期"))
    task = _open_task(task)
    _named_unit(task, unit)
    if not isinstance(deadline, Deadline) or deadline.task_id != task.pk:
        raise ValidationError({"deadline": "请选择该任务的完成时限"})
    deadline = Deadline.objects.select_for_update(no_key=True).get(pk=deadline.pk)
    if requested_date <= deadline.date:
        raise ValidationError({"requested_date": f"申请延至的日期须晚于现在的完成时限 {deadline.date:%Y-%m-%d}"})
    if requested_date <= today:
        raise ValidationError({"requested_date": "申请延至的日期须晚于今天"})
    pending = ExtensionRequest.objects.filter(deadline=deadline, status=ExtensionRequest.Status.PENDING).first()
    if pending is not None:
        raise ValidationError(
            {
                "deadline": f"该时限已有待审批的延期申请（{pending.unit.display_name}申请延至 {pending.requested_date:%Y-%m-%d}）"
            }
        )
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                task=task,
                unit=unit,
                deadline=deadline,
                current_date=deadline.date,
                requested_date=requested_date,
                reason=reason,
                requested_by=_user(actor),
                requested_at=_moment(today),
            )
    except IntegrityError:  # a concurrent request on the same deadline
        raise ValidationError({"deadline": "该时限已有待审批的延期申请"}) from None
    audit_record(
        actor=actor,
        action=AuditAction.EXTENSION_REQUEST,
        instance=request,
        before=None,
        after=extension_snapshot(request),
    )
    for user in _extension_approvers(task):
        _remind(
            actor=actor,
            recipient=user,
            kind="extension_requested",
            task=task,
            key=life.extension_key(request),
            link=reverse("ledger:extension", args=[request.pk]),
            text=f"{unit.display_name}申请将完成时限由 {deadline.date:%Y-%m-%d} 延至 {requested_date:%Y-%m-%d}，请审批：{task.title}",
        )
    return request


def _pending_extension(request: ExtensionRequest) -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("task", "unit", "deadline")
        .get(pk=request.pk)
    )
    if request.status != ExtensionRequest.Status.PENDING:
        raise ValidationError({"status": f"该延期申请已审批（{request.get_status_display()}），不能重复审批"})
    return request


def _tell_applicant(*, actor, request, kind: str, key: str, text: str, link: str) -> None:
    recipients = {u.pk: u for u in unit_liaison_users(request.unit)}
    if request.requested_by_id:
        recipients.setdefault(request.requested_by_id, request.requested_by)
    for user in recipients.values():
        _remind(actor=actor, recipient=user, kind=kind, task=request.task, key=key, link=link, text=text)


@transaction.atomic
def extension_approve(
    *, actor: AbstractBaseUser | None, request: ExtensionRequest, note: str = "", today: dt.date | None = None
) -> ExtensionRequest:
    """The approver agrees: the deadline moves to the date asked for (a DeadlineChange names the request)."""
    note = _note(note)
    today = _today(today)
    request = _pending_extension(request)
    _open_task(request.task)
    deadline = Deadline.objects.select_for_update(no_key=True).get(pk=request.deadline_id)
    if request.requested_date <= today:
        raise ValidationError({"status": f"申请延至的日期 {request.requested_date:%Y-%m-%d} 已过，请单位重新申请"})
    if request.requested_date <= deadline.date:
        raise ValidationError({"status": f"完成时限已是 {deadline.date:%Y-%m-%d}，不早于申请延至的日期，无需延期"})
    before = extension_snapshot(request)
    services.deadline_update(
        actor=actor,
        deadline=deadline,
        date=request.requested_date,
        today=today,
        reason=f"同意延期申请：{request.reason}"[:300],
        extension=request,
    )
    request.deadline.refresh_from_db()
    _decide(
        request,
        request.approve,
        actor=actor,
        today=today,
        note=note,
        action=AuditAction.EXTENSION_APPROVE,
        snapshot=extension_snapshot,
        before=before,
        key=life.extension_key(request),
    )
    _tell_applicant(
        actor=actor,
        request=request,
        kind="extension_approved",
        key=f"extension:{request.pk}:decided",
        link=_task_link(request.task),
        text=f"延期申请已同意：完成时限延至 {request.requested_date:%Y-%m-%d}（{request.task.title}）",
    )
    return request


@transaction.atomic
def extension_refuse(
    *, actor: AbstractBaseUser | None, request: ExtensionRequest, note: str, today: dt.date | None = None
) -> ExtensionRequest:
    """The approver refuses, with a reason: the deadline stays as it is."""
    note = _text("note", note, "不同意延期须说明理由", NOTE_MAX, "审批意见")
    request = _pending_extension(request)
    before = extension_snapshot(request)
    _decide(
        request,
        request.refuse,
        actor=actor,
        today=today,
        note=note,
        action=AuditAction.EXTENSION_REFUSE,
        snapshot=extension_snapshot,
        before=before,
        key=life.extension_key(request),
    )
    _tell_applicant(
        actor=actor,
        request=request,
        kind="extension_refused",
        key=f"extension:{request.pk}:decided",
        link=_task_link(request.task),
        text=f"延期申请未同意（{note[:60]}），完成时限仍为 {request.deadline.date:%Y-%m-%d}：{request.task.title}",
    )
    return request


# --- 办结申请 → 验收 ----------------------------------------------------------------------------------


def closure_snapshot(request: ClosureRequest) -> dict:
    data = snapshot(request)
    data["attachments"] = [a.name for a in request.attachments.all()]
    data["task_done_on"] = request.task.done_on.isoformat() if request.task.done_on else None
    return data


@transaction.atomic
def closure_apply(
    *,
    actor: AbstractBaseUser | None,
    task: Task,
    unit: Unit,
    summary: str,
    attachments: Sequence[UploadedFile] = (),
    today: dt.date | None = None,
) -> ClosureRequest:
    """办结申请: a lead unit applies to close the task, with a summary and at least one file of evidence."""
    summary = _text("summary", summary, "请填写办结情况", REASON_MAX, "办结情况")
    if not attachments:
        raise ValidationError({"attachments": "请上传办结佐证材料（至少 1 个文件）"})
    if len(attachments) > ATTACHMENT_MAX_FILES:
        raise ValidationError({"attachments": f"每次最多上传 {ATTACHMENT_MAX_FILES} 个佐证材料"})
    content_types = [check_attachment(upload) for upload in attachments]
    task = _open_task(task)
    _named_unit(task, unit)
    if unit.pk not in selectors.task_lead_unit_ids(task):
        raise ValidationError({"unit": f"{unit.display_name}不是该任务的牵头单位，办结申请由牵头单位提出"})
    if ClosureRequest.objects.filter(task=task, status=ClosureRequest.Status.PENDING).exists():
        raise ValidationError({"task": "该任务已有待验收的办结申请，请等待督查室验收"})
    try:
        with transaction.atomic():
            request = ClosureRequest.objects.create(
                task=task, unit=unit, summary=summary, requested_by=_user(actor), requested_at=_moment(today)
            )
    except IntegrityError:  # a concurrent double submit
        raise ValidationError({"task": "该任务已有待验收的办结申请，请等待督查室验收"}) from None
    for upload, content_type in zip(attachments, content_types, strict=True):
        ClosureAttachment.objects.create(
            request=request, file=upload, name=attachment_name(upload), size=upload.size, content_type=content_type
        )
    audit_record(
        actor=actor, action=AuditAction.CLOSURE_APPLY, instance=request, before=None, after=closure_snapshot(request)
    )
    recipients = {u.pk: u for u in office_users(task.jurisdiction)}
    if task.owner_id and task.owner.user_id:
        recipients.setdefault(task.owner.user_id, task.owner.user)
    for user in recipients.values():
        _remind(
            actor=actor,
            recipient=user,
            kind="closure_applied",
            task=task,
            key=life.closure_key(request),
            link=reverse("ledger:closure", args=[request.pk]),
            text=f"{unit.display_name}申请办结，请验收：{task.title}",
        )
    return request


def _pending_closure(request: ClosureRequest) -> ClosureRequest:
    request = (
        ClosureRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("task", "unit")
        .get(pk=request.pk)
    )
    if request.status != ClosureRequest.Status.PENDING:
        raise ValidationError({"status": f"该办结申请已验收（{request.get_status_display()}），不能重复办理"})
    return request


@transaction.atomic
def closure_accept(
    *, actor: AbstractBaseUser | None, request: ClosureRequest, note: str = "", today: dt.date | None = None
) -> ClosureRequest:
    """验收通过: the task is 已办结 on ``today``."""
    note = _note(note)
    refuse_implausible_dates(today=(today, "验收日期"))
    if today is not None and today > clock.today():
        raise ValidationError({"today": "验收日期不能晚于今天"})
    today = _today(today)
    request = _pending_closure(request)
    task = _open_task(request.task)
    before = closure_snapshot(request)
    task_before = services.task_snapshot(task)
    task.done_on = today
    task.done_by = _user(actor)
    task.done_note = (note or f"办结验收通过（{request.unit.display_name}申请）")[:300]
    task.save(update_fields=["done_on", "done_by", "done_note"])
    request.task = task
    _decide(
        request,
        request.accept,
        actor=actor,
        today=today,
        note=note,
        action=AuditAction.CLOSURE_ACCEPT,
        snapshot=closure_snapshot,
        before=before,
        key=life.closure_key(request),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TASK_MARK_DONE,
        instance=task,
        before=task_before,
        after=services.task_snapshot(task),
    )
    for unit in services._task_units(task):
        for user in unit_liaison_users(unit):
            _remind(
                actor=actor,
                recipient=user,
                kind="closure_accepted",
                task=task,
                key=f"closure:{request.pk}:accepted",
                link=_task_link(task),
                text=f"办结验收通过，任务已办结：{task.title}",
            )
    return request


@transaction.atomic
def closure_return(
    *, actor: AbstractBaseUser | None, request: ClosureRequest, note: str, today: dt.date | None = None
) -> ClosureRequest:
    """退回: the office returns the application with a reason; the task stays 办理中."""
    note = _text("note", note, "退回须说明理由", NOTE_MAX, "退回理由")
    request = _pending_closure(request)
    before = closure_snapshot(request)
    _decide(
        request,
        request.send_back,
        actor=actor,
        today=today,
        note=note,
        action=AuditAction.CLOSURE_RETURN,
        snapshot=closure_snapshot,
        before=before,
        key=life.closure_key(request),
    )
    _tell_applicant(
        actor=actor,
        request=request,
        kind="closure_returned",
        key=f"closure:{request.pk}:returned",
        link=_task_link(request.task),
        text=f"办结申请被退回（{note[:60]}），请继续办理：{request.task.title}",
    )
    return request
