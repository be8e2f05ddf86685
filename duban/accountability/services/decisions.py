"""Decisions (问责决定) and their status: created, corrected, appealed, upheld, revoked, exempted.

Every decision write ends by announcing ``decisions_changed`` in the same transaction; the scoring app
books the difference in its ledger there (scoring.apps), so the score ledger always reflects the
stored decisions, and a failure leaves neither half written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NotRequired, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import TransitionNotAllowed

from duban import clock
from duban.accountability.models import Decision, DecisionResponsible, Matter
from duban.accountability.procedure import decision_rulebook
from duban.accountability.rulebooks import rulebook_in_force
from duban.accountability.services._shared import (
    Responsible,
    _responsible_rows,
    methods_problem,
    snapshot_with_responsibles,
)
from duban.accountability.signals import decisions_changed
from duban.accounts.inputs import refuse_implausible_dates
from duban.accounts.models import AuditAction, Jurisdiction, Person, Unit
from duban.accounts.services import audit_record
from duban.rules.loader import Rulebook
from duban.rules.model import SUBJECT_PERSON, SUBJECT_UNIT


class DecisionFacts(TypedDict):
    """What a decision states, whichever door it comes through (the chain's last step or 历史导入)."""

    jurisdiction: Jurisdiction
    matter: Matter
    unit: Unit
    date: dt.date
    situation_number: int
    methods: Iterable[str]
    subject: NotRequired[str]  # SUBJECT_UNIT unless given
    person: NotRequired[Person | None]
    responsible: NotRequired[Responsible | None]
    sanctioned_after_referral: NotRequired[bool]
    opinion_letter_received: NotRequired[dt.date | None]
    note: NotRequired[str]


@transaction.atomic
def decision_create(*, actor: AbstractBaseUser | None, **facts: Unpack[DecisionFacts]) -> Decision:
    """A decision as the last step of the 第八条 chain makes it (cases._case_decide). No page or admin
    form calls this: decisions come into being through the chain, or through decision_import_historical."""
    return _decision_write(actor=actor, audit=AuditAction.DECISION_CREATE, facts=facts)


@transaction.atomic
def decision_import_historical(
    *, actor: AbstractBaseUser | None, source_document: str, reason: str, **facts: Unpack[DecisionFacts]
) -> Decision:
    """历史导入: a decision made before duban, entered with the document it was issued in and the reason.
    It counts like any decision (the ranking follows it) and is marked 历史导入 wherever it shows."""
    errors = {}
    if not source_document.strip():
        errors["historical_source"] = "请填写历史决定的依据文件（文号或标题）"
    if not reason.strip():
        errors["historical_reason"] = "请说明历史导入的理由"
    if isinstance(facts["date"], dt.date) and facts["date"] > clock.today():
        errors["date"] = "历史决定的日期不能晚于今天"
    if errors:
        raise ValidationError(errors)
    return _decision_write(
        actor=actor,
        audit=AuditAction.DECISION_IMPORT,
        facts=facts,
        historical_source=source_document.strip()[:200],
        historical_reason=reason.strip(),
    )


def _decision_write(
    *, actor: AbstractBaseUser | None, audit: AuditAction, facts: DecisionFacts, **marks: str
) -> Decision:
    fields: dict[str, Any] = dict(facts)
    responsible = fields.pop("responsible", None)
    fields["methods"] = list(fields["methods"])
    decision = Decision(**fields, **marks)
    _validate_decision(decision)
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    responsible_rows = _responsible_rows(decision.jurisdiction, responsible or {}, rulebook=rulebook)
    decision.save()
    for role, person_in_role in responsible_rows:
        DecisionResponsible.objects.create(decision=decision, person=person_in_role, role=role)
    audit_record(actor=actor, action=audit, instance=decision, after=_decision_snapshot(decision))
    _announce(decision, actor=actor)
    return decision


DECISION_CORRECTABLE_FIELDS = (
    "matter",
    "unit",
    "date",
    "subject",
    "person",
    "situation_number",
    "methods",
    "opinion_letter_received",
    "note",
)


@transaction.atomic
def decision_correct(*, actor: AbstractBaseUser | None, decision: Decision, data: Mapping[str, Any]) -> Decision:
    """Correct a recorded decision (a wrong date, a missing method). The ledger books the difference."""
    unknown = sorted(set(data) - set(DECISION_CORRECTABLE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"不能通过更正修改字段：{'、'.join(unknown)}"})
    decision = _locked_decision(decision)
    before = _decision_snapshot(decision)
    unit_before, year_before = decision.unit_id, decision.date.year
    for field, value in data.items():
        setattr(decision, field, list(value) if field == "methods" else value)
    _validate_decision(decision)
    decision.save()
    audit_record(
        actor=actor,
        action=AuditAction.DECISION_CORRECT,
        instance=decision,
        before=before,
        after=_decision_snapshot(decision),
    )
    moved_years = {decision.pk: year_before} if decision.date.year != year_before else None
    _announce(decision, actor=actor, moved_from=unit_before, moved_years=moved_years)
    return decision


@transaction.atomic
def appeal_window(decision: Decision) -> int:
    """The days the rulebook in force on the decision's date gives to appeal; refused in words where it provides
    no appeal (``appeal: none``)."""
    window_days = decision_rulebook(decision).appeal_window_days
    if window_days is None:
        raise ValidationError({"status": "适用的问责办法未规定申诉复核，该问责决定不能申诉"})
    return window_days


def decision_appeal(
    *, actor: AbstractBaseUser | None, decision: Decision, filed_on: dt.date, reason: str = ""
) -> Decision:
    """第八条第（三）项: appeal within the window after receiving the 督查问责意见书.

    The decision stays in force during the appeal (申诉期间不停止执行), so the ledger does not move.
    """
    refuse_implausible_dates(filed_on=(filed_on, "申诉日期"))
    decision = _locked_decision(decision)
    window_days = appeal_window(decision)
    received = decision.opinion_letter_received
    if received is not None:
        if filed_on < received:
            raise ValidationError({"filed_on": "申诉日期早于收到督查问责意见书的日期"})
        if (filed_on - received).days > window_days:
            raise ValidationError(
                {"filed_on": f"已超过申诉期限：应在收到督查问责意见书之日起{window_days}日内申诉（第八条第（三）项）"}
            )
    return _transition(
        decision, actor=actor, transition="appeal", audit=AuditAction.DECISION_APPEAL, verb="申诉", note=reason
    )


@transaction.atomic
def decision_uphold(*, actor: AbstractBaseUser | None, decision: Decision, reason: str = "") -> Decision:
    """The 督查落实委员会 rejects the appeal: the decision simply stays effective."""
    return _transition(
        _locked_decision(decision),
        actor=actor,
        transition="uphold",
        audit=AuditAction.DECISION_UPHOLD,
        verb="维持",
        note=reason,
    )


@transaction.atomic
def decision_revoke(*, actor: AbstractBaseUser | None, decision: Decision, reason: str = "") -> Decision:
    """The appeal succeeds: the decision loses every consequence (reversed in the ledger)."""
    return _transition(
        _locked_decision(decision),
        actor=actor,
        transition="revoke",
        audit=AuditAction.DECISION_REVOKE,
        verb="撤销",
        note=reason,
    )


@transaction.atomic
def decision_exempt(*, actor: AbstractBaseUser | None, decision: Decision, ground: int, reason: str = "") -> Decision:
    """第七条: 容错免责 on one of the rulebook's grounds; the decision loses every consequence."""
    decision = _locked_decision(decision)
    rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
    grounds = sorted(int(item["number"]) for item in rulebook.exemptions)
    if ground not in grounds:
        raise ValidationError(
            {"exemption_ground": f"容错免责情形应为第七条第{grounds[0]}至{grounds[-1]}项，收到：{ground}"}
        )
    decision.exemption_ground = ground
    return _transition(
        decision, actor=actor, transition="exempt", audit=AuditAction.DECISION_EXEMPT, verb="容错免责", note=reason
    )


@transaction.atomic
def decision_set_sanction(*, actor: AbstractBaseUser | None, decision: Decision, sanctioned: bool) -> Decision:
    """第九条第（六）项: record whether a 党政纪处分 or 组织处理 followed the referral."""
    decision = _locked_decision(decision)
    before = _decision_snapshot(decision)
    decision.sanctioned_after_referral = sanctioned
    _validate_decision(decision)
    decision.save(update_fields=["sanctioned_after_referral"])
    audit_record(
        actor=actor,
        action=AuditAction.DECISION_SET_SANCTION,
        instance=decision,
        before=before,
        after=_decision_snapshot(decision),
    )
    _announce(decision, actor=actor)
    return decision


def _announce(
    decision: Decision,
    *,
    actor: AbstractBaseUser | None,
    moved_from: int | None = None,
    moved_years: dict[int, int] | None = None,
) -> None:
    """decisions_changed for the decision's unit (and the unit it was moved from, and the year it was
    dated before a correction): the score ledger re-derives the decisions of those units only."""
    units = {decision.unit_id} | ({moved_from} if moved_from is not None else set())
    decisions_changed.send(
        sender=Decision, jurisdiction=decision.jurisdiction, actor=actor, units=units, moved_years=moved_years or {}
    )


def _locked_decision(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(no_key=True, of=("self",)).select_related("jurisdiction").get(pk=decision.pk)
    )


def _transition(
    decision: Decision, *, actor: AbstractBaseUser | None, transition: str, audit: AuditAction, verb: str, note: str
) -> Decision:
    """Apply the state machine's ``transition`` (django-fsm), audit it as ``audit``, re-score."""
    before = _decision_snapshot(decision)
    try:
        getattr(decision, transition)()
    except TransitionNotAllowed:
        raise ValidationError({"status": f"问责决定当前状态为“{decision.get_status_display()}”，不能{verb}"}) from None
    decision.save()
    after = _decision_snapshot(decision)
    if note:
        after["reason"] = note
    audit_record(actor=actor, action=audit, instance=decision, before=before, after=after)
    _announce(decision, actor=actor)
    return decision


def _decision_snapshot(decision: Decision) -> dict[str, Any]:
    return snapshot_with_responsibles(decision, DecisionResponsible.objects.filter(decision=decision))


def _validate_decision(decision: Decision) -> None:
    """Check a decision against its jurisdiction and the rulebook in force on its date; raise all problems."""
    jurisdiction = decision.jurisdiction
    errors: dict[str, str] = {}
    if isinstance(decision.date, str):
        try:
            decision.date = dt.date.fromisoformat(decision.date)
        except ValueError:
            raise ValidationError({"date": f"决定日期格式应为 YYYY-MM-DD，收到：{decision.date}"}) from None
    refuse_implausible_dates(
        date=(decision.date, "决定日期"), opinion_letter_received=(decision.opinion_letter_received, "收到意见书日期")
    )
    if decision.matter.jurisdiction_id != jurisdiction.pk:
        errors["matter"] = f"督查事项{decision.matter.code}不属于{jurisdiction.name}"
    if decision.unit.jurisdiction_id != jurisdiction.pk:
        errors["unit"] = f"被问责单位{decision.unit.name}不属于{jurisdiction.name}"
    if decision.subject == SUBJECT_PERSON:
        if decision.person is None:
            errors["person"] = "问责对象为个人时必须指定被问责人"
        elif decision.person.jurisdiction_id != jurisdiction.pk:
            errors["person"] = f"被问责人{decision.person.name}不属于{jurisdiction.name}"
        elif decision.person.unit_id and decision.person.unit_id != decision.unit.pk:
            # 第九条: a person's deductions fall on 所在单位, which must be the decision's unit.
            errors["person"] = f"被问责人{decision.person.name}不在被问责单位{decision.unit.name}"
    elif decision.subject == SUBJECT_UNIT and decision.person is not None:
        errors["person"] = "问责对象为单位时不应指定被问责人"
    if decision.opinion_letter_received and decision.date and decision.opinion_letter_received < decision.date:
        errors["opinion_letter_received"] = "收到督查问责意见书的日期不能早于决定日期"
    rulebook = rulebook_in_force(jurisdiction, decision.date) if decision.date else None
    if rulebook is not None:
        errors.update(_rulebook_errors(decision, rulebook))
    try:
        # The status is the state machine's (protected); only transitions change it.
        decision.full_clean(exclude=[*errors, "status"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, "；".join(messages))
    if errors:
        raise ValidationError(errors)


def _rulebook_errors(decision: Decision, rulebook: Rulebook) -> dict[str, str]:
    errors: dict[str, str] = {}
    methods = decision.methods
    # 第五条: seven methods, usable alone or combined.
    if not isinstance(methods, list) or not methods or not all(isinstance(m, str) for m in methods):
        errors["methods"] = "问责方式不能为空，应为第五条规定的方式名称列表"
    elif methods_problem(methods, rulebook):
        errors["methods"] = methods_problem(methods, rulebook)
    else:
        referral = list(rulebook.referral_methods())
        if decision.sanctioned_after_referral and not set(referral) & set(methods):
            errors["sanctioned_after_referral"] = (
                f"只有{'或'.join(referral)}的决定才能登记移送后受处分（第九条第（六）项）"
            )
    # 第六条: the situation is one of the numbered items.
    numbers = sorted(int(item["number"]) for item in rulebook.situations)
    if decision.situation_number not in numbers:
        errors["situation_number"] = (
            f"问责情形应为第六条第{numbers[0]}至{numbers[-1]}项，收到：{decision.situation_number}"
        )
    return errors
