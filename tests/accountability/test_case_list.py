"""问责案件 as a list: 待我办理 as a query, search, filters in the URL, one page at a time, scoped."""

from __future__ import annotations

import pytest
from accountability_cast import CAST_ROLES, STEP_USERS, open_ready_case, run_chain
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accountability import access, selectors
from duban.accountability.models import Case
from duban.accountability.services import case_open

pytestmark = pytest.mark.django_db


def _cases_at_every_step(cast) -> list[Case]:
    cases = []
    for until in range(len(STEP_USERS) + 1):  # one at each step, one decided
        cases.append(run_chain(cast, open_ready_case(cast), until=until))
    return cases


def test_awaiting_me_as_a_query_is_access_case_act(cast):
    _cases_at_every_step(cast)
    for role in CAST_ROLES:
        user = cast.users[role]
        if user is None:
            continue
        by_python = {c.pk for c in selectors.cases_visible(user) if access.access_case_act(user, c)}
        assert set(selectors.cases_awaiting_query(user).values_list("pk", flat=True)) == by_python, role
    assert selectors.cases_awaiting_query(cast.users["erji_unit"]).count() == 1
    assert selectors.cases_awaiting_query(cast.users["erji_other"]).count() == 0  # not this unit's supervisor


def _list(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    return response, response.content.decode()


def _numbers(response) -> list[str]:
    return [case.number for case in response.context["rows"]]


def test_the_case_list_searches_number_unit_and_matter(client, cast):
    w = cast.world
    m1_case = open_ready_case(cast)
    m2_case = case_open(actor=cast.users["office"], jurisdiction=w.city, matter=w.m2, unit=w.jyj)
    office = cast.users["office"]
    assert _numbers(_list(client, office, "q=背街小巷")[0]) == [m2_case.number]
    assert _numbers(_list(client, office, "q=市教育局")[0]) == [m2_case.number]
    assert _numbers(_list(client, office, "q=市城管局")[0]) == [m1_case.number]  # by short name
    assert _numbers(_list(client, office, f"q={m1_case.number}")[0]) == [m1_case.number]
    assert _numbers(_list(client, office, "q=M2")[0]) == [m2_case.number]
    _, page = _list(client, office, "q=背街小巷&state=open")
    assert 'value="背街小巷"' in page and "清除筛选" in page and "共 1 条" in page


def test_the_case_list_pages_with_the_filters_kept(client, cast):
    w = cast.world
    for _ in range(35):
        case_open(actor=cast.users["office"], jurisdiction=w.city, matter=w.m1, unit=w.cgj)
    response, page = _list(client, cast.users["office"], "state=open&page=2")
    assert len(_numbers(response)) == 5 and "第 2 / 2 页" in page
    assert 'href="?state=open&amp;page=1"' in page


def test_awaiting_me_filters_in_the_list(client, cast):
    cases = _cases_at_every_step(cast)
    response, _ = _list(client, cast.users["yiji"], "mine=1")
    assert _numbers(response) == [cases[2].number]
    assert response.context["awaiting_count"] == 1


def test_another_jurisdictions_or_units_cases_never_appear(client, cast):
    open_ready_case(cast)
    assert _numbers(_list(client, cast.users["county_office"], "q=城管")[0]) == []
    assert _numbers(_list(client, cast.users["erji_other"], "")[0]) == []


def _queries(client, user, query):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/cases/?{query}").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role, query", [("office", ""), ("office", "q=城管&state=open"), ("erji_unit", "mine=1")])
def test_the_case_list_costs_the_same_queries_for_5_and_50_cases(client, cast, role, query):
    w = cast.world

    def add(count):
        for _ in range(count):
            run_chain(cast, open_ready_case(cast), until=1)  # at 二级督查, with an opinion

    add(5)
    five = _queries(client, cast.users[role], query)
    add(45)
    assert Case.objects.count() == 50 and w.city
    assert _queries(client, cast.users[role], query) == five


def test_the_workbench_count_of_cases_awaiting_me_links_to_as_many(client, cast):
    for _ in range(10):
        run_chain(cast, open_ready_case(cast), until=1)  # at 二级督查
    client.force_login(cast.users["erji_unit"])
    page = client.get("/workbench/").content.decode()
    assert '<a href="/cases/?mine=1">待我办理的问责案件（10）</a>' in page and "查看全部 10 件" in page
    assert client.get("/cases/?mine=1").context["page"].paginator.count == 10


def test_the_versions_telling_a_unit_of_its_cases_are_read_once_each_not_once_per_case(cast):
    cases = _cases_at_every_step(cast)
    jurisdiction = cases[0].jurisdiction
    versions = set(Case.objects.filter(jurisdiction=jurisdiction).values_list("rulebook_id", flat=True))
    assert len(cases) > len(versions)
    telling = selectors._rulebooks_telling(jurisdiction, "unit")
    assert len(telling) == len(set(telling)) <= len(versions)
