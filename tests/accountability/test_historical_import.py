"""历史导入: the one way to enter a decision the 第八条 chain did not make in duban — its own permission,
a source document and a reason, audited, counted like any decision and marked 历史导入 wherever it shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duban.accountability.models import Decision
from duban.accountability.services import decision_import_historical
from duban.accounts.models import AuditLog
from duban.accounts.services import person_create, user_grant
from duban.scoring.selectors import monthly_ranking
from tests.factories import login_create

pytestmark = pytest.mark.django_db


def entry(world, **extra):
    data = {
        "actor": world.actor,
        "jurisdiction": world.city,
        "matter": world.m1,
        "unit": world.cgj,
        "date": dt.date(2020, 3, 10),
        "situation_number": 11,
        "methods": ["通报批评"],
        "source_document": "驻督委〔2020〕3号",
        "reason": "duban 启用前作出的决定",
    }
    return {**data, **extra}


def test_an_imported_decision_names_its_source_counts_and_is_audited_as_an_import(world):
    decision = decision_import_historical(**entry(world, date=dt.date(2020, 5, 12)))
    assert decision.is_historical and decision.historical_source == "驻督委〔2020〕3号"
    row = AuditLog.objects.get(action="decision_import")
    assert row.actor == world.actor and row.after["historical_source"] == "驻督委〔2020〕3号"
    assert not AuditLog.objects.filter(action="decision_create").exists()
    scores = {r.unit.name: r.score for r in monthly_ranking(world.city, "2020-05")}
    assert scores["市城市管理局"] == 90


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"source_document": "  "}, "historical_source"),
        ({"reason": ""}, "historical_reason"),
        ({"date": dt.date(2099, 1, 1)}, "date"),
    ],
)
def test_an_import_without_its_source_or_reason_or_from_the_future_is_refused(world, extra, field):
    before = (Decision.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError) as refused:
        decision_import_historical(**entry(world, **extra))
    assert field in refused.value.message_dict
    assert (Decision.objects.count(), AuditLog.objects.count()) == before


def login_of(username, world, role, unit=None):
    person = person_create(actor=None, jurisdiction=world.city, name=username, role=role, unit=unit)
    return login_create(username, person, password="test-pass-1234")


@pytest.fixture
def clerk(world):
    return login_of("clerk", world, "督查室工作人员")


def test_the_page_is_the_offices_and_needs_its_own_permission(client, world, clerk):
    client.force_login(clerk)
    assert client.get("/cases/decisions/import/").status_code == 403
    user_grant(actor=None, user=clerk, permissions=["accountability.import_historical_decision"])
    assert client.get("/cases/decisions/import/").status_code == 200
    other = login_of("liaison", world, "联络员", unit=world.cgj)
    user_grant(actor=None, user=other, permissions=["accountability.import_historical_decision"])
    client.force_login(other)
    assert client.get("/cases/decisions/import/").status_code == 403  # the permission alone is not enough


def test_an_import_through_the_page_is_marked_wherever_it_shows(client, world, clerk):
    user_grant(actor=None, user=clerk, permissions=["accountability.import_historical_decision"])
    client.force_login(clerk)
    response = client.post(
        "/cases/decisions/import/",
        {
            "matter": world.m1.pk,
            "unit": world.cgj.pk,
            "date": "2020-04-28",
            "situation_number": "11",
            "methods": ["通报批评"],
            "subject": "person",
            "person": world.handler.pk,
            "opinion_letter_received": "2020-04-30",
            "source_document": "驻督委〔2020〕2号",
            "reason": "系统启用前的纸质决定",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get()
    assert decision.is_historical and AuditLog.objects.get(action="decision_import").actor == clerk
    letter = client.get(f"/cases/decisions/{decision.pk}/letter/").content.decode()
    assert "历史导入：驻督委〔2020〕2号" in letter
    party = login_create("party", world.handler, password="test-pass-1234")
    client.force_login(party)
    assert "历史导入" in client.get("/cases/decisions/mine/").content.decode()


def test_a_page_refusal_writes_nothing(client, world, clerk):
    user_grant(actor=None, user=clerk, permissions=["accountability.import_historical_decision"])
    client.force_login(clerk)
    before = AuditLog.objects.count()
    response = client.post(
        "/cases/decisions/import/",
        {"matter": world.m1.pk, "unit": world.cgj.pk, "date": "2020-04-28", "situation_number": "11",
         "methods": ["通报批评"], "subject": "unit", "source_document": "x", "reason": "y", "person": world.handler.pk},
    )  # fmt: skip
    assert response.status_code == 200 and "问责对象为单位时不应指定被问责人" in response.content.decode()
    assert AuditLog.objects.count() == before and not Decision.objects.exists()


def test_a_county_unit_cannot_be_given_a_city_supervisor(world):
    from duban.accounts.services import unit_create, unit_update
    from tests.factories import county_create

    county = county_create(world.city)
    unit = unit_create(actor=None, jurisdiction=county, name="驿城区住建局")
    with pytest.raises(ValidationError, match="不属于驿城区"):
        unit_update(actor=None, unit=unit, data={"liaison_supervisor": world.liaison})
    county_erji = person_create(actor=None, jurisdiction=county, name="区二级督查", role="二级督查")
    assert (
        unit_update(actor=None, unit=unit, data={"liaison_supervisor": county_erji}).liaison_supervisor == county_erji
    )
