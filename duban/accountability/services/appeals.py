"""申诉复核 (第八条第（三）项): filed by the accountable party, decided by the 督查落实委员会."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban import clock
from duban.accountability.models import Appeal, Decision
from duban.accountability.selectors import appeal_deadline
from duban.accountability.services._shared import _actor_name, _user_or_none
from duban.accountability.services.decisions import (
    _locked_decision,
    appeal_window,
    decision_appeal,
    decision_correct,
    decision_revoke,
    decision_uphold,
)
from duban.accountability.services.reminders import appeal_decided, appeal_filed
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction
from duban.accounts.services import audit_record, snapshot


@transaction.atomic
def appeal_file(
    *, actor: AbstractBaseUser | None, decision: Decision, reason: str, filed_on: dt.date | None = None
) -> Appeal:
    """The accountable party appeals; the decision stays in force meanwhile (执行不停止)."""
    decision = _locked_decision(decision)
    filed_on = filed_on or clock.today()
    reason = required_text("reason", reason, "请填写申诉理由")
    refuse_implausible_dates(filed_on=(filed_on, "申诉日期"))
    if decision.status == Decision.Status.UNDER_APPEAL:
        raise ValidationError({"status": "该决定已在申诉复核中，请勿重复提交"})
    earlier = Appeal.objects.filter(decision=decision).exclude(outcome=Appeal.Outcome.PENDING).first()
    if earlier is not None:
        raise ValidationError({"status": f"该决定已经申诉复核（{earlier.get_outcome_display()}），不能再次申诉"})
    if decision.status != Decision.Status.EFFECTIVE:
        raise ValidationError({"status": f"该决定当前状态为“{decision.get_status_display()}”，不能申诉"})
    appeal_window(decision)  # refused where the rulebook provides no appeal
    if decision.opinion_letter_received is None:
        raise ValidationError({"filed_on": "尚未登记收到督查问责意见书的日期，申诉期限无从起算，请联系督查室"})
    deadline = appeal_deadline(decision)
    if filed_on > deadline:
        window = (deadline - decision.opinion_letter_received).days
        raise ValidationError(
            {
                "filed_on": (
                    f"已超过申诉期限：应在收到督查问责意见书之日（{decision.opinion_letter_received}）起{window}日内、"
                    f"即{deadline}前申诉（第八条第（三）项）"
                )
            }
        )
    appeal = Appeal.objects.create(
        decision=decision,
        filed_on=filed_on,
        filed_by=_user_or_none(actor),
        filer_name=_actor_name(actor),
        reason=reason,
    )
    decision_appeal(actor=actor, decision=decision, filed_on=filed_on, reason=reason)
    audit_record(actor=actor, action=AuditAction.APPEAL_FILE, instance=appeal, after=snapshot(appeal))
    appeal_filed(actor=actor, appeal=appeal)
    return appeal


APPEAL_CHANGEABLE_FIELDS = ("situation_number", "methods")


@transaction.atomic
def appeal_decide(
    *,
    actor: AbstractBaseUser | None,
    decision: Decision,
    outcome: str,
    reason: str,
    changes: Mapping[str, Any] | None = None,
    decided_on: dt.date | None = None,
) -> Decision:
    """申诉复核 by the 督查落实委员会: upheld, changed (corrected, then in force) or revoked.

    The score ledger follows through appended rows (decisions_changed → scoring): nothing booked is edited.
    """
    decision = _locked_decision(decision)
    if decision.status != Decision.Status.UNDER_APPEAL:
        raise ValidationError(
            {"status": f"该决定当前状态为“{decision.get_status_display()}”，没有待复核的申诉，请勿重复提交"}
        )
    reason = required_text("reason", reason, "请填写复核意见")
    refuse_implausible_dates(decided_on=(decided_on, "复核日期"))
    appeal = (
        Appeal.objects.select_for_update(no_key=True).filter(decision=decision, outcome=Appeal.Outcome.PENDING).first()
    )
    before = snapshot(appeal) if appeal is not None else None
    if outcome == Appeal.Outcome.UPHELD:
        decision = decision_uphold(actor=actor, decision=decision, reason=reason)
    elif outcome == Appeal.Outcome.REVOKED:
        decision = decision_revoke(actor=actor, decision=decision, reason=reason)
    elif outcome == Appeal.Outcome.CHANGED:
        data = dict(changes or {})
        unknown = sorted(set(data) - set(APPEAL_CHANGEABLE_FIELDS))
        if unknown or not data:
            raise ValidationError({"changes": "变更决定须给出新的问责情形或问责方式"})
        if all(data[k] == getattr(decision, k) for k in data):
            raise ValidationError({"changes": "变更后的内容与原决定相同；不作变更的请选择“维持”"})
        decision = decision_correct(actor=actor, decision=decision, data=data)
        decision = decision_uphold(actor=actor, decision=decision, reason=reason)
    else:
        raise ValidationError({"outcome": f"复核结果应为维持、变更或撤销，收到：{outcome}"})
    if appeal is not None:
        appeal.outcome = outcome
        appeal.outcome_reason = reason
        appeal.decided_on = decided_on or clock.today()
        appeal.decided_by = _user_or_none(actor)
        appeal.save()
        audit_record(
            actor=actor, action=AuditAction.APPEAL_DECIDE, instance=appeal, before=before, after=snapshot(appeal)
        )
    appeal_decided(actor=actor, decision=decision, appeal=appeal)
    return decision
