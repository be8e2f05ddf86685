"""移送处理 (第八条第（二）项第2、3目): a decision handed on to the body that acts on it, and its result."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban.accountability.models import Decision, Referral
from duban.accountability.rulebooks import rulebook_in_force
from duban.accountability.selectors import referral_people, referral_routes
from duban.accountability.services._shared import _user_or_none
from duban.accountability.services.decisions import _locked_decision, decision_set_sanction
from duban.accounts.inputs import refuse_implausible_dates, required_text
from duban.accounts.models import AuditAction, Person
from duban.accounts.services import audit_record, snapshot


@transaction.atomic
def referral_create(
    *,
    actor: AbstractBaseUser | None,
    decision: Decision,
    target_body: str,
    sent_on: dt.date,
    person: Person | None = None,
    route: str | None = None,
    due_on: dt.date | None = None,
) -> Referral:
    decision = _locked_decision(decision)
    if decision.status in (Decision.Status.REVOKED, Decision.Status.EXEMPTED):
        raise ValidationError({"decision": f"该决定已{decision.get_status_display()}，不再移送"})
    if person is not None and person not in referral_people(decision):
        raise ValidationError({"person": f"{person.name}不是该决定的被问责人或责任人"})
    allowed = referral_routes(decision, person)
    if not allowed:
        raise ValidationError({"route": "该决定没有建议组织部门或纪检监察机关处理，单位也不是垂直管理单位，无需移送"})
    route = route or allowed[0]
    if route not in allowed:
        labels = "、".join(Referral.Route(r).label for r in allowed)
        raise ValidationError(
            {
                "route": f"该决定应{labels}（第八条第（二）项），不能“{Referral.Route(route).label if route in Referral.Route.values else route}”"
            }
        )
    target_body = required_text("target_body", target_body, "请填写接收机关")
    refuse_implausible_dates(sent_on=(sent_on, "移送日期"), due_on=(due_on, "上报期限"))
    if sent_on < decision.date:
        raise ValidationError({"sent_on": "移送日期不能早于决定日期"})
    if Referral.objects.filter(decision=decision, route=route, person=person).exists():
        raise ValidationError({"route": "已登记该移送，请勿重复提交"})
    if route == Referral.Route.COUNTY_OR_DEPARTMENT and due_on is None:
        # 在规定时间内上报处理结果: the office sets the term; the rulebook gives the default.
        rulebook = rulebook_in_force(decision.jurisdiction, decision.date)
        due_on = sent_on + dt.timedelta(days=int(rulebook.value("referral.report_back_days")))
    if due_on is not None and due_on < sent_on:
        raise ValidationError({"due_on": "上报期限不能早于移送日期"})
    referral = Referral.objects.create(
        decision=decision,
        route=route,
        person=person,
        target_body=target_body,
        sent_on=sent_on,
        due_on=due_on,
        created_by=_user_or_none(actor),
    )
    audit_record(actor=actor, action=AuditAction.REFERRAL_CREATE, instance=referral, after=snapshot(referral))
    return referral


@transaction.atomic
def referral_record_result(
    *, actor: AbstractBaseUser | None, referral: Referral, result: str, result_on: dt.date, sanctioned: bool
) -> Referral:
    """The receiving body's result; a sanction is booked on the decision (第九条第（六）项)."""
    referral = (
        Referral.objects.select_for_update(no_key=True, of=("self",)).select_related("decision").get(pk=referral.pk)
    )
    if referral.result_on is not None:
        raise ValidationError({"result": f"处理结果已于{referral.result_on}登记，请勿重复提交"})
    result = required_text("result", result, "请填写处理结果")
    refuse_implausible_dates(result_on=(result_on, "结果上报日期"))
    if result_on < referral.sent_on:
        raise ValidationError({"result_on": "结果上报日期不能早于移送日期"})
    before = snapshot(referral)
    referral.result = result
    referral.result_on = result_on
    referral.sanctioned = sanctioned
    referral.save()
    if sanctioned and not referral.decision.sanctioned_after_referral:
        decision_set_sanction(actor=actor, decision=referral.decision, sanctioned=True)
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_RECORD_RESULT,
        instance=referral,
        before=before,
        after=snapshot(referral),
    )
    return referral
