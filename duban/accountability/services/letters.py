"""督查问责意见书: issued by the office, received by the accountable party (the appeal window runs from receipt)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban import clock
from duban.accountability.models import Case, Decision
from duban.accountability.services.cases import _case_snapshot, _locked_case
from duban.accountability.services.decisions import _locked_decision, decision_correct
from duban.accountability.services.reminders import letter_received, letter_served
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction
from duban.accounts.services import audit_record


@transaction.atomic
def case_letter_issue(*, actor: AbstractBaseUser | None, case: Case, letter_number: str, issued_on: dt.date) -> Case:
    """Record that the 督查问责意见书 was issued and sent to the accountable party."""
    case = _locked_case(case)
    if case.state != Case.State.DECIDED or case.kind != Case.Kind.ACCOUNTABILITY or case.decision_id is None:
        raise ValidationError({"state": "只有已决定的督查问责案件才能送达意见书"})
    if case.letter_issued_on is not None:
        raise ValidationError({"letter_issued_on": f"意见书已于{case.letter_issued_on}送达登记，请勿重复提交"})
    letter_number = required_text("letter_number", letter_number, "请填写意见书文号")
    refuse_implausible_dates(issued_on=(issued_on, "送达日期"))
    if issued_on < case.decided_on:
        raise ValidationError({"issued_on": "送达日期不能早于决定日期"})
    before = _case_snapshot(case)
    case.letter_number = letter_number
    case.letter_issued_on = issued_on
    case.save(update_fields=["letter_number", "letter_issued_on"])
    audit_record(
        actor=actor, action=AuditAction.CASE_LETTER_ISSUE, instance=case, before=before, after=_case_snapshot(case)
    )
    letter_served(actor=actor, case=case)
    return case


@transaction.atomic
def decision_letter_received(*, actor: AbstractBaseUser | None, decision: Decision, received_on: dt.date) -> Decision:
    """Record the day the accountable party received the 意见书: the appeal window runs from it."""
    decision = _locked_decision(decision)
    if decision.opinion_letter_received is not None:
        raise ValidationError({"received_on": f"已登记于{decision.opinion_letter_received}收到意见书，请勿重复提交"})
    refuse_implausible_dates(received_on=(received_on, "收到日期"))
    case = Case.objects.filter(decision=decision).first()
    if case is not None and case.letter_issued_on is None:
        raise ValidationError({"received_on": "请先登记意见书送达"})
    if case is not None and received_on < case.letter_issued_on:
        raise ValidationError({"received_on": "收到日期不能早于送达日期"})
    if received_on > clock.today():
        raise ValidationError({"received_on": "收到日期不能晚于今天"})
    decision = decision_correct(actor=actor, decision=decision, data={"opinion_letter_received": received_on})
    letter_received(actor=actor, decision=decision)
    return decision
