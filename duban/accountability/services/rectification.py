"""整改 (第九条第（一）项): a 问题通报 obliges the unit to rectify by a deadline and report the result."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban import clock
from duban.accountability.models import Decision, RectificationItem
from duban.accountability.selectors import rectification_methods
from duban.accountability.services._shared import _user_or_none
from duban.accountability.services.reminders import rectification_reported
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction
from duban.accounts.services import audit_record, snapshot
from duban.inputs import visible_text


@transaction.atomic
def rectification_create(
    *, actor: AbstractBaseUser | None, decision: Decision, due_on: dt.date | None, requirement: str
) -> RectificationItem:
    if not set(rectification_methods(decision)) & set(decision.methods):
        raise ValidationError({"decision": "只有问题通报的决定才产生整改事项（第九条第（一）项）"})
    if due_on is None:
        raise ValidationError({"due_on": "请确定整改期限"})
    refuse_implausible_dates(due_on=(due_on, "整改期限"))
    if due_on < decision.date:
        raise ValidationError({"due_on": "整改期限不能早于决定日期"})
    requirement = required_text("requirement", requirement, "请填写整改要求")
    if RectificationItem.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": "该决定已有整改事项，请勿重复提交"})
    item = RectificationItem.objects.create(
        decision=decision, unit=decision.unit, due_on=due_on, requirement=requirement
    )
    audit_record(actor=actor, action=AuditAction.RECTIFICATION_CREATE, instance=item, after=snapshot(item))
    return item


def _locked_item(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update(no_key=True).get(pk=item.pk)


@transaction.atomic
def rectification_report(
    *, actor: AbstractBaseUser | None, item: RectificationItem, report: str, reported_on: dt.date | None = None
) -> RectificationItem:
    """The unit's 联络员 reports the rectification result."""
    item = _locked_item(item)
    if item.state != RectificationItem.State.PENDING:
        raise ValidationError({"state": f"该整改事项{item.get_state_display()}，请勿重复提交"})
    report = required_text("report", report, "请填写整改结果")
    refuse_implausible_dates(reported_on=(reported_on, "上报日期"))
    before = snapshot(item)
    item.report = report
    item.reported_on = reported_on or clock.today()
    item.reported_by = _user_or_none(actor)
    item.state = RectificationItem.State.REPORTED
    item.save()
    audit_record(
        actor=actor, action=AuditAction.RECTIFICATION_REPORT, instance=item, before=before, after=snapshot(item)
    )
    rectification_reported(actor=actor, item=item)
    return item


@transaction.atomic
def rectification_review(
    *, actor: AbstractBaseUser | None, item: RectificationItem, accept: bool, note: str = ""
) -> RectificationItem:
    """The 督查室 accepts the reported result, or returns it to the unit with a reason."""
    item = _locked_item(item)
    if item.state != RectificationItem.State.REPORTED:
        raise ValidationError({"state": f"该整改事项{item.get_state_display()}，没有待审核的整改结果"})
    note = visible_text(note) if accept else required_text("note", note, "退回须说明理由")
    before = snapshot(item)
    item.state = RectificationItem.State.ACCEPTED if accept else RectificationItem.State.PENDING
    item.review_note = note
    item.save()
    audit_record(
        actor=actor,
        action=AuditAction.RECTIFICATION_ACCEPT if accept else "rectification_return",
        instance=item,
        before=before,
        after=snapshot(item),
    )
    return item
