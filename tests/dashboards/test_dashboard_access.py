"""Who reads the charts (duban/dashboards/access.py), role by role and page by page, and the header
entries that lead there; the pages' query counts do not grow with the data."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accounts.services import person_create, user_add_role
from tests.dashboards.conftest import build_chart_world
from tests.factories import county_create, ledger_tasks_create, login_create

ROLES = [
    "anonymous",
    "office",
    "office_county",
    "erji",
    "yiji",
    "erji_other",
    "fuzong",
    "zongducha",
    "committee",
    "liaison",
    "staff",
    "liaison_other",
    "admin",
]
OFFICE_PAGE = {"office", "office_county", "fuzong", "zongducha", "committee", "admin"}  # the county: its own
UNIT_PAGE = {"office", "erji", "yiji", "fuzong", "zongducha", "committee", "liaison", "staff", "admin"}


@pytest.fixture
def users(db, settings):
    cw = build_chart_world(settings)
    w = cw.w
    county = county_create(w.city)

    def login(name, role, *, jurisdiction=None, unit=None, person=None):
        person = person or person_create(
            actor=None, jurisdiction=jurisdiction or w.city, name=name, role=role, unit=unit
        )
        return login_create(name, person, password="pw-charts-2020")

    made = {
        "office": login("office", "督查室工作人员"),
        "office_county": login("office_county", "督查室工作人员", jurisdiction=county),
        "erji": login("erji", "", person=w.liaison),  # 二级督查 of 市城管局 and 市教育局
        "yiji": login("yiji", "", person=w.chief),  # 一级督查 of 市城管局
        "erji_other": login("erji_other", "二级督查"),
        "fuzong": login("fuzong", "副总督查"),
        "zongducha": login("zongducha", "总督查"),
        "committee": login("committee", "督查室工作人员"),
        "liaison": login("liaison", "联络员", unit=w.cgj),
        "staff": login("staff", "", person=w.handler),  # 承办人员 of 市城管局
        "liaison_other": login("liaison_other", "联络员", unit=w.wjw),
        "admin": get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-2020"),
    }
    made["committee"].groups.clear()
    user_add_role(actor=None, user=made["committee"], role="督查落实委员会")
    return cw, made


def _get(client, users, role, path):
    cw, made = users
    if role != "anonymous":
        client.force_login(made[role])
    return client.get(path.format(cgj=cw.w.cgj.pk))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/dashboards/?year=2020", OFFICE_PAGE),
        ("/dashboards/statistics.xlsx?year=2020", OFFICE_PAGE),
        ("/dashboards/units/{cgj}/?year=2020", UNIT_PAGE),
    ],
)
def test_who_reads_the_charts(client, users, role, path, allowed):
    response = _get(client, users, role, path)
    if role in allowed:
        assert response.status_code == 200, (role, path, response.status_code)
    elif role == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
    else:
        assert response.status_code == 403, (role, path, response.status_code)


def test_a_county_office_sees_its_own_county(client, users):
    body = _get(client, users, "office_county", "/dashboards/").content.decode()
    assert "驿城区统计图表" in body and "驻马店市统计图表" not in body


def test_a_unit_page_of_a_unit_that_does_not_exist_is_404(client, users):
    assert _get(client, users, "office", "/dashboards/units/999999/").status_code == 404


@pytest.mark.parametrize(
    "role, target", [("liaison", "/dashboards/units/{cgj}/"), ("staff", "/dashboards/units/{cgj}/")]
)
def test_my_unit_leads_a_units_people_to_their_units_page(client, users, role, target):
    cw, _ = users
    response = _get(client, users, role, "/dashboards/unit/")
    assert response.status_code == 302 and response.url == target.format(cgj=cw.w.cgj.pk)


@pytest.mark.parametrize("role", ["office", "zongducha", "erji"])
def test_my_unit_is_refused_to_who_has_no_unit(client, users, role):
    assert _get(client, users, role, "/dashboards/unit/").status_code == 403


@pytest.mark.parametrize(
    "role, entries",
    [
        ("office", {"图表"}),
        ("zongducha", {"图表"}),
        ("committee", {"图表"}),
        ("liaison", {"单位统计"}),
        ("staff", {"单位统计"}),
        ("erji", set()),
    ],
)
def test_the_header_entries(client, users, role, entries):
    body = _get(client, users, role, "/workbench/").content.decode()
    shown = {label for label in ("图表", "单位统计") if f">{label}</a>" in body}
    assert shown == entries


def test_the_liaison_may_report_from_the_unit_page_the_office_may_not(client, users):
    cw, _ = users
    t2 = cw.tasks["T2"].pk
    liaison_page = _get(client, users, "liaison", "/dashboards/units/{cgj}/").content.decode()
    assert f'href="/ledger/tasks/{t2}/report/"' in liaison_page
    client.logout()
    office_page = _get(client, users, "office", "/dashboards/units/{cgj}/").content.decode()
    assert f"/ledger/tasks/{t2}/report/" not in office_page
    assert f'href="/ledger/tasks/{t2}/"' in office_page


def _page_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_pages_queries_do_not_grow_with_the_data(client, users):
    cw, made = users
    client.force_login(made["office"])
    office, unit = _page_queries(client, "/dashboards/"), _page_queries(client, f"/dashboards/units/{cw.w.cgj.pk}/")
    ledger_tasks_create(cw.w.city, [cw.w.cgj, cw.w.jyj, cw.w.wjw], 30)
    assert _page_queries(client, "/dashboards/") == office
    assert _page_queries(client, f"/dashboards/units/{cw.w.cgj.pk}/") == unit


@pytest.mark.parametrize("year", ["abc", "2030", "１９９９"])
def test_a_bad_year_is_named_and_the_running_year_shown(client, users, year):
    response = _get(client, users, "office", f"/dashboards/?year={year}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"年份“{year}”无效" in body
    assert "驻马店市统计图表 · 2020年" in body
