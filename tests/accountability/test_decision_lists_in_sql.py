"""申诉复核, 移送处理, 整改事项 as queries: the same answers as the Python filters they replace, for the
jurisdiction of every login of the cast (the old filters are kept here, word for word, as the oracle)."""

from __future__ import annotations

import datetime as dt

import pytest
from accountability_cast import CAST_ROLES

from duban.accountability import selectors, services
from duban.accountability.models import Appeal, Decision
from duban.accountability.selectors import rectification_methods, referral_routes
from duban.accounts.access import person_of
from duban.accounts.services import unit_create
from tests.factories import decide

pytestmark = pytest.mark.django_db


# --- the filters as they were (Python over every decision of the jurisdiction) ----------------------


def old_decisions_awaiting_referral(jurisdiction) -> list[Decision]:
    rows = []
    for decision in (
        Decision.objects.filter(
            jurisdiction=jurisdiction, status__in=[Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL]
        )
        .select_related("unit", "matter", "person", "jurisdiction")
        .order_by("-date", "-id")
    ):
        if referral_routes(decision, decision.person) and not decision.referrals.exists():
            rows.append(decision)
    return rows


def old_decisions_needing_rectification(jurisdiction) -> list[Decision]:
    return [
        d
        for d in Decision.objects.filter(
            jurisdiction=jurisdiction, status__in=[Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL]
        )
        .select_related("unit", "matter")
        .order_by("-date", "-id")
        if set(rectification_methods(d)) & set(d.methods) and not d.rectifications.exists()
    ]


def old_appeals_for(jurisdiction):
    pending = list(
        Decision.objects.filter(jurisdiction=jurisdiction, status=Decision.Status.UNDER_APPEAL).order_by("date", "id")
    )
    decided = list(
        Appeal.objects.filter(decision__jurisdiction=jurisdiction)
        .exclude(outcome=Appeal.Outcome.PENDING)
        .order_by("-decided_on", "-id")
    )
    return pending, decided


# --- a jurisdiction with every kind of decision -------------------------------------------------------


def decisions_of_every_kind(cast) -> list[Decision]:
    w = cast.world
    office = cast.users["office"]
    vertical = unit_create(actor=None, jurisdiction=w.city, name="市气象局", vertically_managed=True)
    made = [
        decide(w, "2020-06-01", ["通报批评"]),
        decide(w, "2020-06-02", ["问题通报"]),
        decide(w, "2020-06-03", ["问题通报", "建议组织部门处理"], subject="person", person=w.handler),
        decide(w, "2020-06-04", ["建议纪检监察机关处理"], subject="person", person=w.leader),
        decide(w, "2020-06-05", ["通报批评"], unit=vertical),
        decide(w, "2020-06-06", ["问题通报"], unit=w.jyj),
        decide(w, "2020-06-07", ["建议组织部门处理"], subject="person", person=w.section_head),
        decide(w, "2020-06-08", ["问题通报"], unit=w.jyj),
    ]
    # handed on / rectifying already: no longer waiting
    services.referral_create(actor=office, decision=made[6], target_body="市委组织部", sent_on=dt.date(2020, 6, 10))
    services.rectification_create(actor=office, decision=made[7], due_on=dt.date(2020, 7, 1), requirement="整改")
    # under appeal, decided on appeal, revoked
    for decision in (made[1], made[3], made[5]):
        services.decision_letter_received(actor=office, decision=decision, received_on=decision.date)
        services.appeal_file(actor=None, decision=decision, reason="不服", filed_on=decision.date)
    committee = cast.users["committee"]
    services.appeal_decide(actor=committee, decision=made[5], outcome="revoked", reason="撤销")
    services.appeal_decide(actor=committee, decision=made[3], outcome="upheld", reason="维持")
    # the county's own decisions never show in the city
    county_unit = cast.county_unit
    services.decision_create(
        actor=None,
        jurisdiction=cast.county,
        matter=services.matter_create(
            actor=None, jurisdiction=cast.county, code="Y1", title="区事项", unit=county_unit
        ),
        unit=county_unit,
        date=dt.date(2020, 6, 9),
        situation_number=11,
        methods=["问题通报", "建议组织部门处理"],
    )
    return made


def _jurisdictions(cast):
    for role in CAST_ROLES:
        user = cast.users[role]
        person = person_of(user) if user is not None else None
        if person is not None:
            yield role, person.jurisdiction


def _pks(rows):
    return [row.pk for row in rows]


def test_the_queries_answer_as_the_python_filters_did_for_every_login(cast):
    decisions_of_every_kind(cast)
    seen = set()
    for role, jurisdiction in _jurisdictions(cast):
        seen.add(jurisdiction.code)
        assert _pks(selectors.decisions_awaiting_referral(jurisdiction)) == _pks(
            old_decisions_awaiting_referral(jurisdiction)
        ), role
        assert _pks(selectors.decisions_needing_rectification(jurisdiction)) == _pks(
            old_decisions_needing_rectification(jurisdiction)
        ), role
        pending, decided = selectors.appeals_for(jurisdiction)
        old_pending, old_decided = old_appeals_for(jurisdiction)
        assert (_pks(pending), _pks(decided)) == (_pks(old_pending), _pks(old_decided)), role
    assert len(seen) == 2  # the city and the county


def test_the_answers_are_not_empty(cast):
    made = decisions_of_every_kind(cast)
    city = cast.world.city
    # 移送: both 建议…处理 decisions not yet handed on, and the vertically managed unit's by letter
    assert set(_pks(selectors.decisions_awaiting_referral(city))) == {made[2].pk, made[3].pk, made[4].pk}
    # 整改: 问题通报 in force without an item (made[1] under appeal still counts; made[5] is revoked)
    assert set(_pks(selectors.decisions_needing_rectification(city))) == {made[1].pk, made[2].pk}
    pending, decided = selectors.appeals_for(city)
    assert _pks(pending) == [made[1].pk] and len(decided) == 2
    assert len(selectors.decisions_awaiting_referral(cast.county)) == 1
