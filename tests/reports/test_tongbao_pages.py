"""The 督查通报 pages (/reports/): who reads them, the five cycles with the change since the last period, a
period's figures and lists, the one-click downloads, and bad input answered with a Chinese message."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from duban.accounts.services import person_create, user_add_role
from tests.factories import county_create, login_create
from tests.once import built_once
from tests.reports.tongbao_world import TongbaoWorld, build_tongbao_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "office", "office_county", "erji", "yiji", "fuzong", "zongducha", "committee", "liaison", "admin"]
READERS = {"office", "office_county", "fuzong", "zongducha", "committee", "admin"}
PAGES = ["/reports/", "/reports/?cycle=week", "/reports/tongbao/2020-06/", "/reports/tongbao/2020-06/xlsx/"]


@dataclass
class PagesWorld:
    tw: TongbaoWorld
    users: dict


def _build() -> PagesWorld:
    tw = build_tongbao_world()
    city = tw.w.city
    county = county_create(city)

    def login(name, jurisdiction, role, unit=None):
        person = person_create(actor=None, jurisdiction=jurisdiction, name=name, role=role, unit=unit)
        return login_create(name, person, password="pw-tongbao-2020")

    users = {
        "office": login("office", city, "督查室工作人员"),
        "office_county": login("office_county", county, "督查室工作人员"),
        "erji": login("erji", city, "二级督查"),
        "yiji": login("yiji", city, "一级督查"),
        "fuzong": login("fuzong", city, "副总督查"),
        "zongducha": login("zongducha", city, "总督查"),
        "committee": login("committee", city, "督查室工作人员"),
        "liaison": login("liaison", city, "联络员", tw.w.cgj),
        "admin": get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-2020"),
    }
    users["committee"].groups.clear()
    user_add_role(actor=None, user=users["committee"], role="督查落实委员会")
    return PagesWorld(tw, users)


@pytest.fixture(scope="module")
def pw(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, _build)


@pytest.fixture(autouse=True)
def _story_day(settings):
    settings.DUBAN_TODAY = "2020-07-10"


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_tongbao(client, pw, role):
    if role != "anonymous":
        client.force_login(pw.users[role])
    for path in PAGES:
        response = client.get(path)
        if role in READERS:
            assert response.status_code == 200, (role, path)
        elif role == "anonymous":
            assert response.status_code == 302 and "login" in response.url, (role, path)
        else:
            assert response.status_code == 403, (role, path)
    nav = client.get("/workbench/").content.decode() if role != "anonymous" else ""
    assert ('href="/reports/"' in nav) == (role in READERS), role


def test_the_five_cycles_with_the_change_since_the_last(client, pw):
    client.force_login(pw.users["office"])
    page = client.get("/reports/").content.decode()
    for name in ("周通报", "月调度", "季分析", "半年考评", "年度考核"):
        assert name in page
    # July 2020 as of 07-10: T5 (07-02) joined T1 and T3 in the red: 3 against June's 2.
    assert 'href="/reports/tongbao/2020-07/"' in page and "2020年7月" in page
    assert '3 <span class="muted change" title="上期 2">↑1</span>' in page
    assert 'href="/reports/tongbao/2020-07/docx/"' in page and 'href="/reports/tongbao/2020-07/xlsx/"' in page


def test_a_cycle_lists_its_periods_back_to_the_first_task(client, pw):
    client.force_login(pw.users["office"])
    page = client.get("/reports/?cycle=month").content.decode()
    for code in ("2020-07", "2020-06", "2020-05", "2020-04"):
        assert f'href="/reports/tongbao/{code}/xlsx/"' in page
    assert "2020-03" not in page  # the first task was given on 2020-04-20


def test_a_period_page_has_every_figure_and_the_lists(client, pw):
    client.force_login(pw.users["fuzong"])
    page = client.get("/reports/tongbao/2020-06/").content.decode()
    assert "驻马店市 2020年6月 督查通报（月调度）" in page
    assert '<td>在账任务</td><td class="num">7项</td><td class="num">6项</td><td>增加1项</td>' in page
    assert "41天" in page and "10天" in page
    assert "督办〔2020〕2号" in page
    assert "年度内第二次责令书面检查，给予公开曝光（第九条第（三）项）" in page


def test_the_county_office_reads_its_own_county(client, pw):
    client.force_login(pw.users["office_county"])
    page = client.get("/reports/tongbao/2020-06/").content.decode()
    assert "驿城区 2020年6月" in page and "41天" not in page


def test_the_excel_of_a_period_is_one_click(client, pw):
    client.force_login(pw.users["office"])
    response = client.get("/reports/tongbao/2020-06/xlsx/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book["总体情况"]["A1"].value == "驻马店市2020年6月督查通报（月调度）"


@pytest.mark.parametrize(
    "path, message, back",
    [
        ("/reports/tongbao/2020-13/", "通报期间“2020-13”无法识别", "/reports/"),
        ("/reports/tongbao/2021-W02/xlsx/", "2021年第2周（1月11日—1月17日）尚未开始，不能生成周通报。", "/reports/"),
        ("/reports/tongbao/2020-06/pdf/", "不能下载为“pdf”格式", "/reports/tongbao/2020-06/"),
        ("/reports/?cycle=decade", "没有“decade”这一通报周期", None),
    ],
)
def test_bad_input_is_a_message_not_an_error(client, pw, path, message, back):
    client.force_login(pw.users["office"])
    response = client.get(path, follow=True)
    assert response.status_code == 200
    if back:
        assert response.redirect_chain[-1][0] == back
    assert message in response.content.decode()


def test_the_overview_takes_the_same_queries_whatever_the_ledger(client, pw):
    """Five cycles' figures (each beside the period before), and a page of a cycle's periods, in a fixed
    number of queries: adding tasks adds none."""
    from tests.factories import ledger_tasks_create

    client.force_login(pw.users["office"])
    paths = ["/reports/", "/reports/?cycle=month"]
    for path in paths:
        client.get(path)

    def counted() -> list[int]:
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            counts.append(len(queries))
        return counts

    before = counted()
    ledger_tasks_create(pw.tw.w.city, [pw.tw.w.cgj, pw.tw.w.jyj], 30)
    assert counted() == before


def test_the_word_of_a_period_is_one_click_and_numbered_once(client, pw):
    from duban.accounts.models import AuditLog
    from duban.reports.models import IssuedDocument

    client.force_login(pw.users["office"])
    first = client.get("/reports/tongbao/2020-06/docx/")
    again = client.get("/reports/tongbao/2020-06/docx/")
    assert first["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert first.content[:2] == b"PK" and again.status_code == 200
    issued = IssuedDocument.objects.get(kind="tongbao", subject_key="2020-06")
    assert issued.reference == "驻督通〔2020〕1号" and issued.issued_by == pw.users["office"]
    assert AuditLog.objects.filter(object_id=str(issued.pk), action="document_issue").count() == 1


def test_each_past_period_shows_what_changed_since_the_one_before(client, pw):
    client.force_login(pw.users["office"])
    page = client.get("/reports/?cycle=month").content.decode()
    june = page[page.index('href="/reports/tongbao/2020-06/"') : page.index('href="/reports/tongbao/2020-06/docx/"')]
    # June beside May: 7 tasks (↑1), 2 red (↑1), 1 yellow (↑1), 1 done (持平), 2 reports (↑1), 1 督办单 (持平),
    # 1 通报批评 (持平), 2 公开曝光 (↑2) — the numbers of tests/reports/test_tongbao_figures.py.
    changes = [
        "7 <span", "↑1", "2 <span", "↑1", "1 <span", "↑1", "1 <span", "持平",
        "2 <span", "↑1", "1 <span", "持平", "1 <span", "持平", "2 <span", "↑2",
    ]  # fmt: skip
    at = 0
    for piece in changes:
        at = june.index(piece, at)


@pytest.mark.parametrize("role", ["fuzong", "zongducha", "committee"])
def test_leaders_read_the_figures_and_excel_but_the_numbered_word_is_the_offices(client, pw, role):
    """A Word 督查通报 takes a 发文字号 at its first download: the office issues it (as i10-word's notices)."""
    client.force_login(pw.users[role])
    page = client.get("/reports/tongbao/2020-06/").content.decode()
    assert "/reports/tongbao/2020-06/xlsx/" in page and "/reports/tongbao/2020-06/docx/" not in page
    assert client.get("/reports/tongbao/2020-06/docx/").status_code == 403
