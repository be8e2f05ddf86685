"""我的问责决定, 申诉复核, 移送处理, 整改事项 as lists: searched (number, unit, matter), one page at a time
with the search kept in the URL, another jurisdiction's rows never shown, the same queries for 5 rows as for 50."""

from __future__ import annotations

import datetime as dt

import pytest
from accountability_cast import open_ready_case, run_chain
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accountability import services
from duban.accounts.access import person_of
from tests.factories import decide

pytestmark = pytest.mark.django_db


def _page(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response, response.content.decode()


def add_rows(cast, count: int, *, unit=None, matter=None, person=None) -> None:
    """``count`` rows of every list: decisions awaiting referral and referred, under appeal and decided on
    appeal, 问题通报 without an item and with one — each naming 承办人丙 (the party) as a responsible."""
    w = cast.world
    office, committee = cast.users["office"], cast.users["committee"]
    where = {"unit": unit or w.cgj, "matter": matter or w.m1}
    person = person or w.handler
    for _ in range(count):
        decide(w, "2020-06-01", ["建议组织部门处理"], subject="person", person=person, **where)
        referred = decide(w, "2020-06-02", ["建议组织部门处理"], subject="person", person=person, **where)
        services.referral_create(
            actor=office,
            decision=referred,
            target_body="市委组织部",
            sent_on=dt.date(2020, 6, 5),
            due_on=dt.date(2020, 7, 5),
        )
        for decided in (False, True):
            appealed = decide(w, "2020-06-03", ["通报批评"], **where)
            services.decision_letter_received(actor=office, decision=appealed, received_on=appealed.date)
            services.appeal_file(actor=None, decision=appealed, reason="不服", filed_on=appealed.date)
            if decided:
                services.appeal_decide(actor=committee, decision=appealed, outcome="upheld", reason="维持")
        decide(w, "2020-06-04", ["问题通报"], **where)
        rectifying = decide(w, "2020-06-04", ["问题通报"], **where)
        services.rectification_create(actor=office, decision=rectifying, due_on=dt.date(2020, 7, 1), requirement="整改")


PAGES = [
    ("office", "/cases/referrals/"),
    ("zongducha", "/cases/referrals/?q=城管"),
    ("committee", "/cases/appeals/"),
    ("office", "/cases/appeals/?q=道路"),
    ("office", "/cases/rectification/"),
    ("liaison_unit", "/cases/rectification/?q=M1"),
    ("party", "/cases/decisions/mine/"),
    ("liaison_unit", "/cases/decisions/mine/?q=城市管理"),
]


def _queries(client, user, path) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role, path", PAGES)
def test_each_list_costs_the_same_queries_for_5_and_50_rows(client, cast, role, path):
    add_rows(cast, 5)
    five = _queries(client, cast.users[role], path)
    add_rows(cast, 45)
    response, _ = _page(client, cast.users[role], path)
    assert response.context["page"].paginator.count >= 50
    assert _queries(client, cast.users[role], path) == five


def test_the_lists_search_number_unit_and_matter(client, cast):
    w = cast.world
    add_rows(cast, 1)
    add_rows(cast, 1, unit=w.jyj, matter=w.m2, person=person_of(cast.users["other_staff"]))
    office = cast.users["office"]
    for path in ("/cases/referrals/", "/cases/appeals/", "/cases/rectification/"):
        everything, _ = _page(client, office, path)
        assert everything.context["page"].paginator.count == 2, path
        for query in ("q=市教育局", "q=背街小巷", "q=M2"):
            response, page = _page(client, office, f"{path}?{query}")
            assert response.context["page"].paginator.count == 1, (path, query)
            assert "市教育局" in page and "清除筛选" in page
    # the number a decision is known by is the case that decided it
    case = run_chain(cast, open_ready_case(cast, methods=("问题通报",), rectification_due=dt.date(2020, 8, 1)))
    response, page = _page(client, office, f"/cases/rectification/?q={case.number}")
    assert [item.decision_id for item in response.context["items"]] == [case.decision_id]
    assert f'value="{case.number}"' in page


def test_the_lists_page_with_the_search_kept(client, cast):
    add_rows(cast, 35)
    response, page = _page(client, cast.users["office"], "/cases/referrals/?q=城管&page=2")
    assert len(response.context["rows"]) == 5 and "第 2 / 2 页" in page
    assert 'href="?q=%E5%9F%8E%E7%AE%A1&amp;page=1"' in page
    # the awaiting list pages by its own parameter and keeps the other's page
    assert 'href="?q=%E5%9F%8E%E7%AE%A1&amp;page=2&amp;awaiting_page=2"' in page
    response, _ = _page(client, cast.users["office"], "/cases/referrals/?q=城管&page=2&awaiting_page=2")
    assert len(response.context["awaiting"]) == 5 and len(response.context["rows"]) == 5
    response, _ = _page(client, cast.users["committee"], "/cases/appeals/?pending_page=2")
    assert len(response.context["pending"]) == 5
    response, _ = _page(client, cast.users["office"], "/cases/rectification/?missing_page=2&page=2")
    assert len(response.context["missing"]) == 5 and len(response.context["items"]) == 5
    response, page = _page(client, cast.users["party"], "/cases/decisions/mine/?page=x")
    assert len(response.context["rows"]) == 30 and "页码“x”无效" in page


def test_another_jurisdictions_or_units_rows_never_appear(client, cast):
    w = cast.world
    add_rows(cast, 2)
    county = cast.users["county_office"]
    for path in ("/cases/referrals/", "/cases/appeals/", "/cases/rectification/", "/cases/decisions/mine/"):
        response, page = _page(client, county, path)
        assert "市城市管理局" not in page and "城区道路破损修复" not in page, path
    response, _ = _page(client, county, "/cases/referrals/?q=城管")
    assert response.context["page"].paginator.count == 0 and not response.context["awaiting"]
    # another unit's 联络员 sees none of 市城管局's rectification items or unit decisions
    response, page = _page(client, cast.users["liaison_other"], "/cases/rectification/?q=城管")
    assert response.context["page"].paginator.count == 0
    response, page = _page(client, cast.users["liaison_other"], "/cases/decisions/mine/")
    assert response.context["page"].paginator.count == 0
    # and a responsible person sees only the decisions naming them
    response, _ = _page(client, cast.users["other_staff"], "/cases/decisions/mine/")
    assert response.context["page"].paginator.count == 0
    assert w.cgj


@pytest.mark.parametrize("day", ["2020-06-03", "2020-06-18", "2020-06-19", "2020-07-01"])
def test_the_workbench_reads_the_open_decisions_in_sql_as_the_whole_list_would_say(cast, day):
    """我的问责决定 on the workbench: chosen in SQL within the longest appeal window, the same rows as the
    whole list of the party's decisions filtered in Python (under appeal, or appealable today)."""
    from duban.accountability import selectors
    from duban.accountability.models import Decision

    add_rows(cast, 2)
    w = cast.world
    letter_only = decide(w, "2020-06-04", ["通报批评"], unit=w.cgj, matter=w.m1)
    services.decision_letter_received(actor=cast.users["office"], decision=letter_only, received_on=dt.date(2020, 6, 4))
    today = dt.date.fromisoformat(day)
    for role in ("party", "liaison_unit"):
        user = cast.users[role]
        whole = [
            row.decision.pk
            for row in selectors.decisions_of_party(user, today)
            if row.can_appeal or row.decision.status == Decision.Status.UNDER_APPEAL
        ]
        assert [row.decision.pk for row in selectors.decisions_open_to_party(user, today)] == whole, role
    if day == "2020-06-18":  # received 06-04, 15 days: open through 06-19 (the unit's 联络员 is its party)
        assert letter_only.pk in whole
