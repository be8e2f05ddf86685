"""Accountability's reminders, made by its services in their own transaction (duban.ledger's ``_remind``):

- a case reaches a step (立案, agreed on, returned): the step's actor as the rulebook names them
  (access.access_step_actor: the role, and for the unit's own supervisor the person the unit names);
  the reminder of the step it leaves is settled. A decided case asks the 督查室 for the 意见书;
- the 意见书 is served (送达) and its receipt recorded: the accountable party, with the appeal deadline;
- an appeal is filed: the 督查落实委员会; it is decided: the party;
- a rectification is due or overdue and not reported: the 督查室 (a daily job, ``rectification_reminders``).

A case is confidential until decided (procedure.visible_to), and a decision concerns its party only:
none of these is posted to an IM group robot (``group=False``), they go to the person (in-app, e-mail).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from duban import clock
from duban.accountability import access
from duban.accountability.models import Appeal, Case, Decision, RectificationItem
from duban.accountability.procedure import case_chain, case_rulebook
from duban.accountability.selectors import appeal_deadline
from duban.accounts import roles
from duban.accounts.models import Jurisdiction
from duban.ledger.services import _remind, _settle, office_users, unit_liaison_users


def _active_users(**lookups) -> list[AbstractBaseUser]:
    return list(get_user_model().objects.filter(is_active=True, **lookups).distinct().order_by("pk"))


def _arrival_key(case: Case) -> str:
    """The key of the case's arrival at its current step: one per arrival (a returned case comes back)."""
    return f"case:{case.pk}:{case.step}:{case.opinions.count()}"


def case_step_leave(*, actor, case: Case) -> None:
    """Before an action at the current step: what that step's actor was asked is done."""
    _settle(actor=actor, key=_arrival_key(case))


def case_step_reached(*, actor, case: Case) -> int:
    """The case is at a step (or decided): remind whoever acts next. Returns the number of reminders."""
    link = reverse("accountability:case_detail", args=[case.pk])
    if case.state == Case.State.DECIDED:
        if case.kind != Case.Kind.ACCOUNTABILITY:
            return 0
        return sum(
            _remind(
                actor=actor,
                recipient=user,
                kind="case_letter_due",
                key=f"case:{case.pk}:letter",
                link=link,
                group=False,
                text=f"问责案件{case.number}已决定，请制发并送达督查问责意见书：{case.matter.title}",
            )
            is not None
            for user in office_users(case.jurisdiction)
            if user.pk != getattr(actor, "pk", None)
        )
    if case.state != Case.State.OPEN:
        return 0
    step = next((s for s in case_chain(case) if s.code == case.step), None)
    if step is None:
        return 0
    candidates = _active_users(groups__name=step.role, person__jurisdiction=case.jurisdiction)
    made = 0
    for user in candidates:
        if user.pk == getattr(actor, "pk", None) or not access.access_step_actor(user, case, step):
            continue
        made += (
            _remind(
                actor=actor,
                recipient=user,
                kind="case_step",
                key=_arrival_key(case),
                link=link,
                group=False,
                text=f"问责案件{case.number}（{case.unit.name}）待您办理“{step.name}”：{case.matter.title}",
            )
            is not None
        )
    return made


def decision_party_users(decision: Decision) -> list[AbstractBaseUser]:
    """The logins of the accountable party (access.access_decision_party): the subject person, the
    responsible persons, and for a unit decision the unit's 联络员."""
    people = [decision.person_id] if decision.person_id else []
    people += list(decision.responsibles.values_list("person_id", flat=True))
    users = _active_users(person__in=people) if people else []
    if decision.subject == Decision.Subject.UNIT:
        users += unit_liaison_users(decision.unit)
    seen: dict[int, AbstractBaseUser] = {}
    for user in users:
        if access.access_decision_party(user, decision):
            seen.setdefault(user.pk, user)
    return list(seen.values())


def letter_served(*, actor, case: Case) -> int:
    """意见书 送达登记: the party is told, with the appeal window (it runs from their receipt)."""
    _settle(actor=actor, key=f"case:{case.pk}:letter")
    decision = case.decision
    window = case_rulebook(case).appeal_window_days
    appeal = f"。如不服，可自收到之日起{window}日内申诉" if window is not None else ""
    return sum(
        _remind(
            actor=actor,
            recipient=user,
            kind="letter_served",
            key=f"decision:{decision.pk}:letter-served",
            link=reverse("accountability:my_decisions"),
            group=False,
            text=(f"督查问责意见书（{case.letter_number}）已送达：{decision.matter.title}{appeal}"),
        )
        is not None
        for user in decision_party_users(decision)
    )


def letter_received(*, actor, decision: Decision) -> int:
    """The party's receipt recorded: the appeal deadline is now known; the party is told it."""
    _settle(actor=actor, key=f"decision:{decision.pk}:letter-served")
    deadline = appeal_deadline(decision)
    if deadline is None:  # the rulebook provides no appeal: nothing to count down
        return 0
    return sum(
        _remind(
            actor=actor,
            recipient=user,
            kind="appeal_deadline",
            key=f"decision:{decision.pk}:appeal-window",
            link=reverse("accountability:my_decisions"),
            due=deadline,
            group=False,
            text=f"问责决定（{decision.matter.title}）如不服，请于{deadline:%Y年%m月%d日}前申诉",
        )
        is not None
        for user in decision_party_users(decision)
    )


def appeal_filed(*, actor, appeal: Appeal) -> int:
    """An appeal filed: the 督查落实委员会 of the jurisdiction decides it."""
    decision = appeal.decision
    _settle(actor=actor, key=f"decision:{decision.pk}:appeal-window")
    made = 0
    for user in _active_users(groups__name=roles.COMMITTEE, person__jurisdiction=decision.jurisdiction):
        if not access.access_appeal_decide(user, decision):
            continue
        made += (
            _remind(
                actor=actor,
                recipient=user,
                kind="appeal_filed",
                key=f"appeal:{appeal.pk}:filed",
                link=reverse("accountability:appeals"),  # the page where the committee decides it
                group=False,
                text=f"申诉待复核：{decision.unit.name} {decision.matter.title}（{appeal.filed_on:%Y-%m-%d}申诉）",
            )
            is not None
        )
    return made


def appeal_decided(*, actor, decision: Decision, appeal: Appeal | None) -> int:
    """The committee decided: the party is told the outcome."""
    if appeal is None:
        return 0
    _settle(actor=actor, key=f"appeal:{appeal.pk}:filed")
    return sum(
        _remind(
            actor=actor,
            recipient=user,
            kind="appeal_decided",
            key=f"appeal:{appeal.pk}:decided",
            link=reverse("accountability:my_decisions"),
            group=False,
            text=f"申诉复核结果：{appeal.get_outcome_display()}（{decision.matter.title}）：{appeal.outcome_reason}",
        )
        is not None
        for user in decision_party_users(decision)
    )


def rectification_reported(*, actor, item: RectificationItem) -> None:
    for what in ("soon", "overdue"):
        _settle(actor=actor, key=f"rectification:{item.pk}:{what}:{item.due_on.isoformat()}")


def rectification_reminders(*, jurisdiction: Jurisdiction, today: dt.date | None = None) -> int:
    """The daily job: the 督查室 is reminded of each rectification item not yet reported whose deadline is
    within the jurisdiction's warning window (督办设置 warning_days), and again once it is past."""
    from duban.ledger.supervision import settings_for

    today = today or clock.today()
    window = settings_for(jurisdiction).warning_days
    items = (
        RectificationItem.objects.filter(
            decision__jurisdiction=jurisdiction,
            state=RectificationItem.State.PENDING,
            due_on__lte=today + dt.timedelta(days=window),
        )
        .select_related("decision__matter", "unit")
        .order_by("due_on", "pk")
    )
    office = office_users(jurisdiction)
    made = 0
    for item in items:
        overdue = item.due_on < today
        what = "overdue" if overdue else "soon"
        text = (
            f"整改逾期未上报：{item.unit.name} {item.decision.matter.title}（整改期限{item.due_on:%Y-%m-%d}）"
            if overdue
            else f"整改即将到期：{item.unit.name} {item.decision.matter.title}（整改期限{item.due_on:%Y-%m-%d}）"
        )
        for user in office:
            made += (
                _remind(
                    actor=None,
                    recipient=user,
                    kind="rectification_due",
                    key=f"rectification:{item.pk}:{what}:{item.due_on.isoformat()}",
                    link=reverse("accountability:rectifications"),
                    due=item.due_on,
                    text=text,
                )
                is not None
            )
    return made
