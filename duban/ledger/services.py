"""The only writes to the ledger's tables besides ingest.

Every function is keyword-only and atomic, checks its input before it writes anything (bad input:
``ValidationError`` with a Chinese message, nothing written) and appends an audit row in the same
transaction. ``today`` / ``on`` parameters exist so the demo and the tests can act on a given day;
pages leave them to the real date.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse

from duban import clock
from duban.accounts import roles
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction, Jurisdiction, Person, Unit
from duban.accounts.services import audit_record, snapshot
from duban.inputs import visible_text
from duban.intake.targets import find_targets
from duban.ledger import selectors
from duban.ledger.attachments import (  # noqa: F401 (the limits, as the services' callers know them)
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_FILES,
    attachment_name,
    check_attachment,
)
from duban.ledger.models import (
    Deadline,
    DeadlineChange,
    Document,
    ExtensionRequest,
    ProgressAttachment,
    ProgressReport,
    Reminder,
    ReportingCycle,
    SupervisionOrder,
    Target,
    TargetReading,
    Task,
    TaskInstruction,
    TaskSource,
    TaskUnit,
    TaskWatch,
)
from duban.ledger.reminders import _remind, _settle
from duban.ledger.sources import DOCUMENT, TaskSourceInput, clean_source

logger = logging.getLogger(__name__)

OWNER_ROLES = {Person.Role.OFFICE_STAFF, Person.Role.SECOND_LEVEL_SUPERVISOR, Person.Role.FIRST_LEVEL_SUPERVISOR}


def _user(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.pk else None


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


# --- review of drafts ------------------------------------------------------------------------------


def task_snapshot(task: Task) -> dict:
    return {
        "ref": task.ref,
        "title": task.title,
        "status": task.status,
        "lead_units": [a.printed_name for a in task.assignments.all() if a.role == TaskUnit.Role.LEAD],
        "units": [a.printed_name for a in task.assignments.all() if a.role == TaskUnit.Role.RESPONSIBLE],
        "cooperating_units": [a.printed_name for a in task.assignments.all() if a.role == TaskUnit.Role.COOPERATING],
        "deadlines": [d.date.isoformat() for d in task.deadlines.all()],
        "review_note": task.review_note,
        "reporting_cycle": task.reporting_cycle,
        "owner": task.owner.name if task.owner_id else None,
        "done_on": task.done_on.isoformat() if task.done_on else None,
        "done_note": task.done_note,
    }


def _locked_draft(task: Task) -> Task:
    task = Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    if task.status != Task.Status.DRAFT:
        raise ValidationError({"status": f"该任务已审核（{task.get_status_display()}），不能重复操作"})
    return task


def _locked_confirmed(task: Task) -> Task:
    task = Task.objects.select_for_update(no_key=True).get(pk=task.pk)
    if task.status != Task.Status.CONFIRMED:
        raise ValidationError({"status": f"该任务尚未入台账（{task.get_status_display()}），不能办理"})
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
    task.reviewed_by = _user(actor)
    task.reviewed_at = clock.now()
    task.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action=AuditAction.TASK_CONFIRM, instance=task, before=before, after=task_snapshot(task))
    return task


@transaction.atomic
def document_confirm_resolvable(*, actor: AbstractBaseUser | None, document: Document) -> tuple[list[Task], list[Task]]:
    """Confirm every draft of ``document`` whose units all resolve; returns (confirmed, left as drafts)."""
    confirmed, left = [], []
    drafts = document.tasks.filter(status=Task.Status.DRAFT).prefetch_related("assignments").order_by("position")
    for task in drafts:
        if selectors.task_is_resolvable(task):
            confirmed.append(task_confirm(actor=actor, task=task))
        else:
            left.append(task)
    if not confirmed and not left:
        raise ValidationError({"document": "该公文没有待审核的任务"})
    return confirmed, left


@transaction.atomic
def task_reject(*, actor: AbstractBaseUser | None, task: Task, reason: str) -> Task:
    reason = required_text("review_note", reason, "退回须说明理由")
    task = _locked_draft(task)
    before = task_snapshot(task)
    task.status = Task.Status.REJECTED
    task.review_note = reason[:300]
    task.reviewed_by = _user(actor)
    task.reviewed_at = clock.now()
    task.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action=AuditAction.TASK_REJECT, instance=task, before=before, after=task_snapshot(task))
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
    today: dt.date | None = None,
) -> Task:
    """A reviewer corrects a draft before confirming it: its title, its units, its deadlines.

    Units already on the task keep the name the document printed; deadlines already on it keep their
    wording. A deadline the reviewer adds must not lie in the past.
    """
    task = _locked_draft(task)
    title = required_text("title", title, "任务名称不能为空")
    for date in deadlines:
        refuse_implausible_dates(deadlines=(date, "完成时限"))
    if not lead_units and not units:
        raise ValidationError({"units": "请至少指定一个牵头单位或责任单位"})
    overlap = {u.pk for u in lead_units} & {u.pk for u in units}
    if overlap:
        raise ValidationError({"units": "同一单位不能既是牵头单位又是责任单位"})
    for unit in (*lead_units, *units):
        if unit.jurisdiction_id != task.jurisdiction_id:
            raise ValidationError({"units": f"{unit.name}不属于本辖区"})
    existing_deadlines = {d.date: d for d in task.deadlines.all()}
    for date in deadlines:
        if date not in existing_deadlines and date < _today(today):
            raise ValidationError({"deadlines": f"新增的完成时限 {date:%Y-%m-%d} 早于今天，请重新填写"})
    before = task_snapshot(task)
    task.title = title[:300]
    task.save(update_fields=["title"])
    printed = {a.unit_id: a.printed_name for a in task.assignments.all() if a.unit_id}
    task.assignments.all().delete()
    for role, chosen in ((TaskUnit.Role.LEAD, lead_units), (TaskUnit.Role.RESPONSIBLE, units)):
        for position, unit in enumerate(chosen):
            TaskUnit.objects.create(
                task=task, role=role, printed_name=printed.get(unit.pk, unit.name), unit=unit, position=position
            )
    wanted = set(deadlines)
    for date, deadline in existing_deadlines.items():
        if date not in wanted:
            deadline.delete()
    for date in sorted(wanted - set(existing_deadlines)):
        Deadline.objects.create(document=task.document, task=task, text="审核时确定", date=date)
    audit_record(actor=actor, action=AuditAction.TASK_UPDATE, instance=task, before=before, after=task_snapshot(task))
    return task


# --- 立项: the office opens a task by hand, from any source ------------------------------------------

TASK_UNIT_ROLES = (
    ("lead_units", TaskUnit.Role.LEAD),
    ("responsible_units", TaskUnit.Role.RESPONSIBLE),
    ("cooperating_units", TaskUnit.Role.COOPERATING),
)


def _source_snapshot(task: Task) -> dict:
    detail = getattr(task, "source", None)
    data = {"kind": task.source_kind, "summary": task.source_summary}
    if detail is not None and detail.attachment_name:
        data["attachment"] = detail.attachment_name
    return data


def _open_units(
    jurisdiction: Jurisdiction, chosen: Mapping[str, Sequence[Unit]]
) -> list[tuple[TaskUnit.Role, list[Unit]]]:
    """The units of each role, checked: of the jurisdiction, each once, at least one lead or responsible."""
    seen: dict[int, str] = {}
    result = []
    for field, role in TASK_UNIT_ROLES:
        units = list(chosen[field])
        for unit in units:
            if not isinstance(unit, Unit):
                raise ValidationError({field: "请从机构名录中选择单位"})
            if unit.jurisdiction_id != jurisdiction.pk:
                raise ValidationError({field: f"{unit.name}不属于本辖区"})
            if unit.pk in seen:
                raise ValidationError({field: f"{unit.name}已列为{seen[unit.pk]}，同一单位只能列一次"})
            seen[unit.pk] = role.label
        result.append((role, units))
    if not chosen["lead_units"] and not chosen["responsible_units"]:
        raise ValidationError({"lead_units": "请至少指定一个牵头单位或责任单位"})
    return result


def _open_deadlines(deadlines: Sequence[tuple[dt.date, str]]) -> list[tuple[dt.date, str]]:
    today = clock.today()
    result: dict[dt.date, str] = {}
    for item in deadlines:
        if not isinstance(item, tuple) or len(item) != 2 or not isinstance(item[0], dt.date):
            raise ValidationError({"deadlines": "完成时限须是日期"})
        date, words = item
        refuse_implausible_dates(deadlines=(date, "完成时限"))
        if date < today:
            raise ValidationError({"deadlines": f"完成时限 {date:%Y-%m-%d} 早于今天，请重新填写"})
        if date in result:
            raise ValidationError({"deadlines": f"完成时限 {date:%Y-%m-%d} 重复"})
        result[date] = (visible_text(words) or f"{date.year}年{date.month}月{date.day}日前")[:200]
    return sorted(result.items())


@transaction.atomic
def task_open(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    source: TaskSourceInput,
    title: str,
    text: str = "",
    lead_units: Sequence[Unit] = (),
    responsible_units: Sequence[Unit] = (),
    cooperating_units: Sequence[Unit] = (),
    deadlines: Sequence[tuple[dt.date, str]] = (),
    targets_text: str = "",
    reporting_cycle: str = "",
    owner: Person | None = None,
    ref: str = "",
) -> Task:
    """立项: the office opens a task from ``source`` (sources.SOURCE_KINDS); it is in the ledger at once
    (confirmed and assigned), with its units, deadlines (date and wording) and the targets its
    ``targets_text`` states (the quantitative ones become targets the units report against).
    The units' liaisons are reminded."""
    if not isinstance(source, TaskSourceInput):
        raise ValidationError({"kind": "请选择任务来源"})
    values = clean_source(source, jurisdiction=jurisdiction)
    title = required_text("title", title, "请填写任务名称")
    if len(title) > 300:
        raise ValidationError({"title": "任务名称过长（最多 300 字）"})
    ref = visible_text(ref)
    if len(ref) > 60:
        raise ValidationError({"ref": "编号过长（最多 60 字）"})
    chosen = {"lead_units": lead_units, "responsible_units": responsible_units, "cooperating_units": cooperating_units}
    units = _open_units(jurisdiction, chosen)
    dated = _open_deadlines(deadlines)
    cycle = reporting_cycle or ReportingCycle.MONTHLY
    if cycle not in ReportingCycle.values:
        raise ValidationError({"reporting_cycle": "请选择报送周期（每月、每半月或每周）"})
    if owner is not None:
        if owner.jurisdiction_id != jurisdiction.pk:
            raise ValidationError({"owner": f"{owner.name}不属于本辖区"})
        if owner.role not in OWNER_ROLES or owner.unit_id is not None:
            raise ValidationError({"owner": f"{owner.name}不是督查室人员，不能作为经办人"})
    targets_text = visible_text(targets_text)
    document = values.pop("document", None)
    now = clock.now()
    task = Task.objects.create(
        jurisdiction=jurisdiction,
        source_kind=source.kind,
        document=document,
        ref=ref,
        title=title,
        text=visible_text(text),
        targets_text=targets_text,
        status=Task.Status.CONFIRMED,
        reviewed_by=_user(actor),
        reviewed_at=now,
        reporting_cycle=cycle,
        owner=owner,
        assigned_at=now,
    )
    if source.kind != DOCUMENT:
        upload = values.pop("attachment", None)
        detail = TaskSource(task=task, **values)
        if upload is not None:
            detail.attachment = upload
            detail.attachment_name = attachment_name(upload)
            detail.attachment_size = upload.size
        detail.save()
    for role, chosen_units in units:
        for position, unit in enumerate(chosen_units):
            TaskUnit.objects.create(task=task, role=role, printed_name=unit.name, unit=unit, position=position)
    for date, words in dated:
        Deadline.objects.create(document=document, task=task, text=words, date=date)
    found, _ = find_targets(targets_text, clock.today().year) if targets_text else ([], set())
    for target in found:
        Target.objects.create(
            document=document,
            task=task,
            text=target.text,
            indicator=target.indicator[:200],
            year=target.year,
            comparator=target.comparator,
            value=Decimal(str(target.value)),
            unit_label=target.unit[:30],
        )
    task = Task.objects.select_related("source", "document").get(pk=task.pk)
    after = task_snapshot(task) | {"source": _source_snapshot(task), "targets_text": targets_text}
    audit_record(actor=actor, action=AuditAction.TASK_OPEN, instance=task, before=None, after=after)
    _remind_units_assigned(actor=actor, task=task, what="新立项任务")
    return task


def _remind_units_assigned(*, actor: AbstractBaseUser | None, task: Task, what: str) -> None:
    """Each liaison of the task's units is told once (the key) that the task is theirs, by when to 签收 it
    and how to report; the reminder is settled when the unit acknowledges (duban.ledger.lifecycle)."""
    from duban.ledger.lifecycle_selectors import acknowledge_due

    due = acknowledge_due(task)
    sign = f"请于 {due:%Y-%m-%d} 前签收，" if due else ""
    for unit in _task_units(task):
        for user in unit_liaison_users(unit):
            _remind(
                actor=actor,
                recipient=user,
                kind="task_assigned",
                task=task,
                key=f"assign:{task.pk}:{unit.pk}",
                text=f"{what}：{task.title}（{sign}{task.get_reporting_cycle_display()}报送进度）",
                link=reverse("ledger:task", args=[task.pk]),
                due=due,
            )


# --- the office runs the ledger --------------------------------------------------------------------


@transaction.atomic
def task_assign(
    *,
    actor: AbstractBaseUser | None,
    task: Task,
    reporting_cycle: str,
    owner: Person | None,
    on: dt.date | None = None,
) -> Task:
    """The 督查室 assigns a confirmed task: reporting cycle and its own person in charge (经办人).
    The units' liaisons are reminded the first time; the first 交办 (``on`` a given day, for the demo)
    starts the units' 签收 window."""
    if reporting_cycle not in ReportingCycle.values:
        raise ValidationError({"reporting_cycle": "请选择报送周期（每月、每半月或每周）"})
    task = _locked_confirmed(task)
    if owner is not None:
        if owner.jurisdiction_id != task.jurisdiction_id:
            raise ValidationError({"owner": f"{owner.name}不属于本辖区"})
        if owner.role not in OWNER_ROLES or owner.unit_id is not None:
            raise ValidationError({"owner": f"{owner.name}不是督查室人员，不能作为经办人"})
    before = task_snapshot(task)
    first_time = task.assigned_at is None
    task.reporting_cycle = reporting_cycle
    task.owner = owner
    if task.assigned_at is None:
        now = clock.now()
        task.assigned_at = now if on is None else now.replace(year=on.year, month=on.month, day=on.day)
    task.save(update_fields=["reporting_cycle", "owner", "assigned_at"])
    audit_record(actor=actor, action=AuditAction.TASK_ASSIGN, instance=task, before=before, after=task_snapshot(task))
    if first_time:
        _remind_units_assigned(actor=actor, task=task, what="新交办任务")
    return task


@transaction.atomic
def deadline_add(
    *, actor: AbstractBaseUser | None, task: Task, date: dt.date, text: str = "督查室确定", today: dt.date | None = None
) -> Deadline:
    refuse_implausible_dates(date=(date, "完成时限"))
    if date < _today(today):
        raise ValidationError({"date": f"完成时限 {date:%Y-%m-%d} 早于今天，不能设置"})
    task = _locked_confirmed(task)
    if task.deadlines.filter(date=date).exists():
        raise ValidationError({"date": f"该任务已有 {date:%Y-%m-%d} 的完成时限"})
    before = task_snapshot(task)
    deadline = Deadline.objects.create(
        document=task.document, task=task, text=(visible_text(text) or "督查室确定")[:200], date=date
    )
    audit_record(actor=actor, action=AuditAction.DEADLINE_ADD, instance=task, before=before, after=task_snapshot(task))
    return deadline


@transaction.atomic
def deadline_update(
    *,
    actor: AbstractBaseUser | None,
    deadline: Deadline,
    date: dt.date,
    today: dt.date | None = None,
    reason: str = "",
    extension: ExtensionRequest | None = None,
) -> Deadline:
    """Move a deadline (the office's own change, or an approved 延期: ``extension``). The new date must
    not lie in the past. The move is kept in the deadline's history (DeadlineChange)."""
    if deadline.task_id is None:
        raise ValidationError({"date": "该时限不属于任何任务"})
    refuse_implausible_dates(date=(date, "新的完成时限"))
    if date < _today(today):
        raise ValidationError({"date": f"新的完成时限 {date:%Y-%m-%d} 早于今天，不能设置"})
    task = _locked_confirmed(deadline.task)
    deadline = Deadline.objects.select_for_update(no_key=True).get(pk=deadline.pk)
    if deadline.date == date:
        raise ValidationError({"date": "完成时限没有变化"})
    before = task_snapshot(task)
    DeadlineChange.objects.create(
        deadline=deadline,
        from_date=deadline.date,
        to_date=date,
        reason=visible_text(reason)[:300],
        extension=extension,
        changed_by=_user(actor),
    )
    deadline.date = date
    deadline.save(update_fields=["date"])
    audit_record(
        actor=actor, action=AuditAction.DEADLINE_UPDATE, instance=task, before=before, after=task_snapshot(task)
    )
    return deadline


@transaction.atomic
def task_mark_done(*, actor: AbstractBaseUser | None, task: Task, note: str = "", on: dt.date | None = None) -> Task:
    """办结: the office closes the task. A closed task is not overdue and takes no more reports."""
    task = _locked_confirmed(task)
    if task.done_on is not None:
        raise ValidationError({"status": f"该任务已于 {task.done_on:%Y-%m-%d} 办结，不能重复办结"})
    refuse_implausible_dates(done_on=(on, "办结日期"))
    if on is not None and on > clock.today():
        raise ValidationError({"done_on": "办结日期不能晚于今天"})
    before = task_snapshot(task)
    task.done_on = _today(on)
    task.done_by = _user(actor)
    task.done_note = visible_text(note)[:300]
    task.save(update_fields=["done_on", "done_by", "done_note"])
    audit_record(
        actor=actor, action=AuditAction.TASK_MARK_DONE, instance=task, before=before, after=task_snapshot(task)
    )
    return task


# --- leaders: 关注 and 批示 ------------------------------------------------------------------------------


def _leader_name(actor: AbstractBaseUser) -> str:
    person = Person.objects.filter(user=actor).first()
    if person is not None:
        return f"{person.role}{person.name}" if person.role != person.name else person.name
    return (actor.get_full_name() or actor.get_username())[:150]


def office_users(jurisdiction: Jurisdiction) -> list[AbstractBaseUser]:
    """The logins of the jurisdiction's 督查室."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=roles.OFFICE, person__jurisdiction=jurisdiction, person__unit__isnull=True
        )
        .distinct()
    )


def _tell_units_and_office(*, actor, task: Task, kind: str, key: str, text: str) -> None:
    recipients = {user.pk: user for unit in _task_units(task) for user in unit_liaison_users(unit)}
    recipients.update({user.pk: user for user in office_users(task.jurisdiction)})
    recipients.pop(getattr(actor, "pk", None), None)
    for user in recipients.values():
        _remind(
            actor=actor,
            recipient=user,
            kind=kind,
            task=task,
            key=key,
            text=text,
            link=reverse("ledger:task", args=[task.pk]),
        )


@transaction.atomic
def task_watch(*, actor: AbstractBaseUser, task: Task) -> TaskWatch:
    """A leader marks a confirmed task 关注; its units' liaisons and the office are reminded."""
    task = _locked_confirmed(task)
    if TaskWatch.objects.filter(task=task, leader=actor).exists():
        raise ValidationError({"task": "您已关注该任务"})
    watch = TaskWatch.objects.create(task=task, leader=actor, leader_name=_leader_name(actor))
    audit_record(actor=actor, action=AuditAction.TASK_WATCH, instance=task, before=None, after=snapshot(watch))
    _tell_units_and_office(
        actor=actor,
        task=task,
        kind="task_watched",
        key=f"watch:{watch.pk}",
        text=f"{watch.leader_name}关注了任务：{task.title}",
    )
    return watch


@transaction.atomic
def task_unwatch(*, actor: AbstractBaseUser, task: Task) -> None:
    """The leader no longer marks the task 关注."""
    task = _locked_confirmed(task)
    watch = TaskWatch.objects.filter(task=task, leader=actor).first()
    if watch is None:
        raise ValidationError({"task": "您尚未关注该任务"})
    before = snapshot(watch)
    watch.delete()
    audit_record(actor=actor, action=AuditAction.TASK_UNWATCH, instance=task, before=before, after=None)


@transaction.atomic
def task_instruct(*, actor: AbstractBaseUser, task: Task, text: str) -> TaskInstruction:
    """A leader's 批示 on a confirmed task; its units' liaisons and the office are reminded."""
    text = required_text("text", text, "请填写批示内容")
    if len(text) > 2000:
        raise ValidationError({"text": "批示内容过长（最多 2000 字）"})
    task = _locked_confirmed(task)
    instruction = TaskInstruction.objects.create(task=task, leader=actor, leader_name=_leader_name(actor), text=text)
    audit_record(actor=actor, action=AuditAction.TASK_INSTRUCT, instance=task, before=None, after=snapshot(instruction))
    _tell_units_and_office(
        actor=actor,
        task=task,
        kind="task_instructed",
        key=f"instruct:{instruction.pk}",
        text=f"{instruction.leader_name}批示：{text[:80]}（{task.title}）",
    )
    return instruction


# --- the units report ------------------------------------------------------------------------------


def _report_snapshot(report: ProgressReport) -> dict:
    data = snapshot(report)
    data["readings"] = {str(r.target_id): str(r.value) for r in report.readings.all()}
    data["attachments"] = [a.name for a in report.attachments.all()]
    return data


@transaction.atomic
def progress_report_create(
    *,
    actor: AbstractBaseUser | None,
    task: Task,
    unit: Unit,
    text: str,
    percent: int,
    readings: Mapping[Target, Decimal | str | int | float] | None = None,
    attachments: Sequence[UploadedFile] = (),
    reported_on: dt.date | None = None,
    today: dt.date | None = None,
) -> ProgressReport:
    """A unit reports its progress on a task for the current period of the task's reporting cycle.

    One report per unit and period (a second submit is refused); a task 办结 takes no more reports.
    """
    today = _today(today)
    reported_on = reported_on or today
    text = required_text("text", text, "请填写进展情况")
    refuse_implausible_dates(reported_on=(reported_on, "报送日期"))
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        raise ValidationError({"percent": "完成进度须是 0 到 100 之间的整数"})
    if reported_on > today:
        raise ValidationError({"reported_on": "报送日期不能晚于今天"})
    if len(attachments) > ATTACHMENT_MAX_FILES:
        raise ValidationError({"attachments": f"每次最多上传 {ATTACHMENT_MAX_FILES} 个附件"})
    content_types = [check_attachment(upload) for upload in attachments]
    task = _locked_confirmed(task)
    if not task.assignments.filter(unit=unit).exists():
        raise ValidationError({"unit": f"{unit.display_name}不是该任务的承办单位"})
    if task.done_on is not None and task.done_on <= reported_on:
        raise ValidationError({"task": "该任务已办结，不再报送进度"})
    values: dict[Target, Decimal] = {}
    for target, raw in (readings or {}).items():
        if raw is None or raw == "":
            continue
        if target.task_id != task.pk:
            raise ValidationError({"readings": f"目标“{target.indicator}”不属于该任务"})
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise ValidationError({"readings": f"“{target.indicator}”的监测值不是数字：{raw}"}) from None
        if not value.is_finite() or abs(value) >= Decimal("1e14"):
            raise ValidationError({"readings": f"“{target.indicator}”的监测值不是有效数字：{raw}"})
        values[target] = value
    period = selectors.period_of(task.reporting_cycle, reported_on)
    if ProgressReport.objects.filter(task=task, unit=unit, period=period).exists():
        raise ValidationError(
            {"period": f"{unit.display_name}已报送{selectors.period_label(period)}的进度，不能重复报送"}
        )
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                task=task,
                unit=unit,
                reporter=_user(actor),
                period=period,
                reported_on=reported_on,
                text=text,
                percent=percent,
            )
    except IntegrityError:  # a concurrent double submit
        raise ValidationError(
            {"period": f"{unit.display_name}已报送{selectors.period_label(period)}的进度，不能重复报送"}
        ) from None
    for target, value in values.items():
        TargetReading.objects.create(target=target, report=report, value=value)
    for upload, content_type in zip(attachments, content_types, strict=False):
        ProgressAttachment.objects.create(
            report=report,
            file=upload,
            name=attachment_name(upload),
            size=upload.size,
            content_type=content_type,
        )
    audit_record(
        actor=actor,
        action=AuditAction.PROGRESS_REPORT_CREATE,
        instance=report,
        before=None,
        after=_report_snapshot(report),
    )
    _settle(actor=actor, key=f"report:{task.pk}:{unit.pk}:{period}")
    return report


# --- 督办单 ----------------------------------------------------------------------------------------


def order_snapshot(order: SupervisionOrder) -> dict:
    data = snapshot(order)
    data["number"] = order.number
    return data


@transaction.atomic
def order_issue(
    *,
    actor: AbstractBaseUser | None,
    task: Task,
    unit: Unit,
    reason: str,
    reply_by: dt.date,
    issued_on: dt.date | None = None,
) -> SupervisionOrder:
    """The 督查室 issues a 督办单 to a unit of an overdue task; it is numbered 督办〔年〕N号 per jurisdiction and year."""
    issued_on = issued_on or clock.today()
    reason = required_text("reason", reason, "请填写督办事由")
    refuse_implausible_dates(reply_by=(reply_by, "回复期限"), issued_on=(issued_on, "签发日期"))
    if reply_by < issued_on:
        raise ValidationError({"reply_by": "回复期限不能早于签发日期"})
    task = _locked_confirmed(task)
    if not task.assignments.filter(unit=unit).exists():
        raise ValidationError({"unit": f"{unit.display_name}不是该任务的承办单位"})
    standing = selectors.task_standing(task, issued_on)
    if not standing.is_overdue:
        raise ValidationError({"task": f"该任务{standing.label}，未逾期的任务不下发督办单"})
    if SupervisionOrder.objects.filter(task=task, unit=unit, status=SupervisionOrder.Status.ISSUED).exists():
        raise ValidationError({"unit": f"已向{unit.display_name}下发该任务的督办单，尚待回复，不能重复下发"})
    Jurisdiction.objects.select_for_update(no_key=True).get(pk=task.jurisdiction_id)  # one numbering at a time
    year = issued_on.year
    last = SupervisionOrder.objects.filter(jurisdiction_id=task.jurisdiction_id, year=year).aggregate(n=Max("serial"))[
        "n"
    ]
    order = SupervisionOrder.objects.create(
        jurisdiction_id=task.jurisdiction_id,
        year=year,
        serial=(last or 0) + 1,
        task=task,
        unit=unit,
        reason=reason,
        reply_by=reply_by,
        issued_on=issued_on,
        issued_by=_user(actor),
    )
    audit_record(actor=actor, action=AuditAction.ORDER_ISSUE, instance=order, before=None, after=order_snapshot(order))
    for user in unit_liaison_users(unit):
        _remind(
            actor=actor,
            recipient=user,
            kind="order_issued",
            task=task,
            key=f"order:{order.pk}:issued",
            text=f"{order.number}：请于 {reply_by:%Y-%m-%d} 前回复（{task.title}）",
            link=reverse("ledger:order_answer", args=[order.pk]),
            due=reply_by,
        )
    return order


@transaction.atomic
def order_answer(
    *, actor: AbstractBaseUser | None, order: SupervisionOrder, answer: str, answered_on: dt.date | None = None
) -> SupervisionOrder:
    """The unit answers its 督办单, once."""
    answer = required_text("answer", answer, "请填写回复内容")
    order = SupervisionOrder.objects.select_for_update(no_key=True).get(pk=order.pk)
    if order.status == SupervisionOrder.Status.ANSWERED:
        raise ValidationError({"answer": f"{order.number}已于 {order.answered_on:%Y-%m-%d} 回复，不能重复回复"})
    answered_on = answered_on or clock.today()
    refuse_implausible_dates(answered_on=(answered_on, "回复日期"))
    if answered_on < order.issued_on:
        raise ValidationError({"answered_on": "回复日期不能早于签发日期"})
    before = order_snapshot(order)
    order.status = SupervisionOrder.Status.ANSWERED
    order.answer = answer
    order.answered_on = answered_on
    order.answered_by = _user(actor)
    order.save(update_fields=["status", "answer", "answered_on", "answered_by"])
    audit_record(
        actor=actor, action=AuditAction.ORDER_ANSWER, instance=order, before=before, after=order_snapshot(order)
    )
    _settle(actor=actor, key=f"order:{order.pk}:issued")
    recipients = {order.issued_by} if order.issued_by_id else set()
    if order.task.owner_id and order.task.owner.user_id:
        recipients.add(order.task.owner.user)
    for user in recipients:
        _remind(
            actor=actor,
            recipient=user,
            kind="order_answered",
            task=order.task,
            key=f"order:{order.pk}:answered",
            text=f"{order.unit.display_name}已回复{order.number}",
            link=reverse("ledger:order", args=[order.pk]),
        )
    return order


# --- reminders -------------------------------------------------------------------------------------


def unit_liaison_users(unit: Unit) -> list[AbstractBaseUser]:
    """The logins that act for ``unit``: its 联络员."""
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=roles.UNIT_LIAISON, person__unit=unit).distinct()
    )


def _task_units(task: Task) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for assignment in task.assignments.select_related("unit").order_by("role", "position"):
        if assignment.unit_id:
            seen.setdefault(assignment.unit_id, assignment.unit)
    return list(seen.values())


@transaction.atomic
def reminder_mark_read(*, actor: AbstractBaseUser, reminder: Reminder) -> Reminder:
    reminder = Reminder.objects.select_for_update(no_key=True).get(pk=reminder.pk)
    if reminder.recipient_id != actor.pk:
        raise ValidationError({"reminder": "只能处理发给本人的提醒"})
    if reminder.read_at is not None:
        return reminder  # already read: nothing changes, nothing is logged
    before = snapshot(reminder)
    reminder.read_at = clock.now()
    reminder.save(update_fields=["read_at"])
    audit_record(
        actor=actor, action=AuditAction.REMINDER_READ, instance=reminder, before=before, after=snapshot(reminder)
    )
    return reminder


@transaction.atomic
def reminders_mark_all_read(*, actor: AbstractBaseUser) -> int:
    unread = list(Reminder.objects.select_for_update(no_key=True).filter(recipient=actor, read_at__isnull=True))
    for reminder in unread:
        reminder_mark_read(actor=actor, reminder=reminder)
    return len(unread)
