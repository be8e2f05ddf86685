"""The access matrix of issue 4: every role × every accountability page and action, through the
Django test client. Each row lists who is let in; everyone else is refused (403), anonymous
visitors are sent to the login. POSTs run inside a savepoint that is rolled back, so each cell
sees the same data; the data is built once for the module (`matrix_world`)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from accountability_cast import CAST_ROLES, build_cast, open_ready_case, run_chain
from django.db import transaction
from django.utils import timezone

from duban.accountability.models import RectificationItem
from duban.accountability.services import (
    appeal_file,
    case_letter_issue,
    case_open,
    decision_letter_received,
    matter_create,
    referral_create,
)
from tests.factories import decide
from tests.once import built_once

pytestmark = pytest.mark.django_db

ROLES = CAST_ROLES
EVERYONE = set(ROLES) - {"anonymous"}
CASE_READERS = {"office", "erji_unit", "yiji", "fuzong", "zongducha", "committee", "liaison_unit", "admin"}


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The cast and its scene, built once for the module (tests/once.py): every request of the matrix
    runs in a savepoint that is rolled back, and each test's own transaction undoes its logins."""

    def build():
        cast = build_cast()
        return cast, build_scene(cast)

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def cast(matrix_world, db):
    return copy.deepcopy(matrix_world[0])  # nothing a test does to the objects reaches the next


@pytest.fixture
def scene(matrix_world, db):
    return matrix_world[1]


def build_scene(cast):
    """Cases and decisions in every state a page or action needs."""
    today = timezone.localdate()
    w = cast.world
    first = open_ready_case(cast, opened_on=today)  # at 调查核实
    at_liaison = run_chain(cast, open_ready_case(cast, opened_on=today), until=1)  # at 二级督查
    decided = run_chain(
        cast,
        open_ready_case(
            cast,
            methods=["问题通报"],
            subject="person",
            person=cast.party,
            rectification_due=today + dt.timedelta(days=30),
            opened_on=today,
        ),
        decided_on=today,
    )
    case_letter_issue(actor=None, case=decided, letter_number="驻督问〔2020〕1号", issued_on=today)
    decision = decision_letter_received(actor=None, decision=decided.decision, received_on=today)
    item = RectificationItem.objects.get(decision=decision)
    county_matter = matter_create(actor=None, jurisdiction=cast.county, code="YC1", title="危房", unit=cast.county_unit)
    county_case = case_open(actor=None, jurisdiction=cast.county, matter=county_matter, opened_on=today)
    appealed = decide(
        w, "2020-06-01", ["通报批评"], subject="person", person=w.handler, opinion_letter_received=dt.date(2020, 6, 2)
    )
    appeal_file(actor=None, decision=appealed, reason="理由", filed_on=dt.date(2020, 6, 5))
    referred = decide(w, "2020-06-03", ["建议组织部门处理"], matter=w.m2)
    referral = referral_create(actor=None, decision=referred, target_body="市委组织部", sent_on=dt.date(2020, 6, 4))
    notice = decide(w, "2020-06-04", ["问题通报"], matter=w.m2)
    from test_case_services import make_task

    task = make_task(cast, deadline=today - dt.timedelta(days=5))
    return {
        "first": first.pk,
        "liaison": at_liaison.pk,
        "decided": decided.pk,
        "decision": decision.pk,
        "county": county_case.pk,
        "item": item.pk,
        "appealed": appealed.pk,
        "referred": referred.pk,
        "referral": referral.pk,
        "notice": notice.pk,
        "task": task.pk,
    }


# (label, method, url template, data, roles let in)
MATRIX = [
    # A unit's staff read no cases: the list sends them to their own decisions.
    (
        "问责案件列表",
        "get",
        "/cases/",
        None,
        EVERYONE - {"party", "other_staff"},
        {"party": "mine", "other_staff": "mine"},
    ),
    ("立案页", "get", "/cases/new/", None, {"office", "county_office"}),
    ("容错免责申请页", "get", "/cases/exemption/new/", None, {"office", "county_office"}),
    ("案件页（调查核实）", "get", "/cases/{first}/", None, CASE_READERS),
    ("案件页（县区）", "get", "/cases/{county}/", None, {"county_office", "admin"}),
    ("案件页（已决定）", "get", "/cases/{decided}/", None, CASE_READERS),
    ("意见书", "get", "/cases/decisions/{decision}/letter/", None, CASE_READERS | {"party"}),
    ("我的问责决定", "get", "/cases/decisions/mine/", None, EVERYONE - {"admin"}),
    ("申诉复核页", "get", "/cases/appeals/", None, {"office", "county_office", "committee"}),
    ("移送处理页", "get", "/cases/referrals/", None, {"office", "county_office", "committee", "zongducha"}),
    ("整改事项页", "get", "/cases/rectification/", None, {"office", "county_office", "liaison_unit", "liaison_other"}),
    (
        "记录调查核实",
        "post",
        "/cases/{first}/edit/",
        {"investigation": "补充", "subject": "unit", "situation_number": "11", "methods": ["通报批评"]},
        {"office"},
    ),
    ("调查核实：提交", "post", "/cases/{first}/agree/", {"step": "investigate"}, {"office"}),
    ("调查核实：撤案", "post", "/cases/{first}/withdraw/", {"step": "investigate", "opinion": "不予问责"}, {"office"}),
    ("二级督查：同意", "post", "/cases/{liaison}/agree/", {"step": "liaison_opinion"}, {"erji_unit"}),
    (
        "二级督查：退回",
        "post",
        "/cases/{liaison}/return/",
        {"step": "liaison_opinion", "opinion": "补充"},
        {"erji_unit"},
    ),
    ("二级督查环节：修改调查", "post", "/cases/{liaison}/edit/", {"investigation": "改", "subject": "unit"}, set()),
    ("已决定案件：同意", "post", "/cases/{decided}/agree/", {"step": "committee_approval"}, set()),
    ("已决定案件：修改", "post", "/cases/{decided}/edit/", {"investigation": "改", "subject": "unit"}, set()),
    ("县区案件：提交", "post", "/cases/{county}/agree/", {"step": "investigate"}, {"county_office"}),
    (
        "登记意见书送达",
        "post",
        "/cases/{decided}/letter/issue/",
        {"letter_number": "x", "issued_on": "2030-01-01"},
        {"office"},
    ),
    ("登记收到意见书", "post", "/cases/{decided}/letter/received/", {"received_on": "2030-01-01"}, {"office"}),
    ("逾期任务一键立案", "post", "/cases/from-task/{task}/", {}, {"office"}),
    ("立案页（漏报证据）", "get", "/cases/from-task/{task}/", None, {"office"}),
    ("提出申诉", "post", "/cases/decisions/{decision}/appeal/", {"reason": "不服"}, {"party"}),
    (
        "申诉复核结果",
        "post",
        "/cases/decisions/{appealed}/appeal/decide/",
        {"outcome": "upheld", "reason": "维持"},
        {"committee"},
    ),
    (
        "登记移送",
        "post",
        "/cases/decisions/{referred}/referral/",
        {"target_body": "市委组织部", "sent_on": "2020-06-10"},
        {"office"},
    ),
    (
        "登记移送结果",
        "post",
        "/cases/referrals/{referral}/result/",
        {"result": "诫勉", "result_on": "2020-07-01", "sanctioned": "no"},
        {"office"},
    ),
    (
        "产生整改事项",
        "post",
        "/cases/decisions/{notice}/rectification/",
        {"requirement": "整改", "due_on": "2020-07-01"},
        {"office"},
    ),
    ("上报整改结果", "post", "/cases/rectification/{item}/report/", {"report": "已整改"}, {"liaison_unit"}),
    ("整改审核", "post", "/cases/rectification/{item}/review/", {"accept": "yes"}, {"office"}),
]


def outcome(response) -> str:
    if response.status_code == 302 and response.url.startswith("/login/"):
        return "login"
    if (
        response.status_code == 302
        and response.url == "/cases/decisions/mine/"
        and response.request["REQUEST_METHOD"] == "GET"
    ):
        return "mine"
    if response.status_code == 403:
        return "forbidden"
    assert response.status_code in (200, 302, 400), response.status_code
    return "allowed"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, cast, scene, role):
    user = cast.users[role]
    if user is not None:
        client.force_login(user)
    expected, actual = {}, {}
    for label, method, url, data, allowed, *special in MATRIX:
        url = url.format(**scene)
        if role == "anonymous":
            expected[label] = "login"
        else:
            expected[label] = "allowed" if role in allowed else "forbidden"
        expected[label] = special[0].get(role, expected[label]) if special else expected[label]
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
            transaction.set_rollback(True)
        actual[label] = outcome(response)
    assert actual == expected


def test_a_unit_staff_member_is_sent_from_the_case_list_to_their_decisions(client, cast, scene):
    client.force_login(cast.users["party"])
    response = client.get("/cases/")
    assert response.status_code == 302 and response.url == "/cases/decisions/mine/"


def test_lists_show_only_what_the_role_may_read(client, cast, scene):
    client.force_login(cast.users["county_office"])
    page = client.get("/cases/").content.decode()
    assert "危房" in page and "城区道路破损修复" not in page
    client.force_login(cast.users["office"])
    page = client.get("/cases/").content.decode()
    assert "城区道路破损修复" in page and "危房" not in page
    client.force_login(cast.users["liaison_other"])
    assert "没有符合条件的案件" in client.get("/cases/").content.decode()
    assert "没有整改事项" in client.get("/cases/rectification/").content.decode()
    client.force_login(cast.users["liaison_unit"])
    assert "上报整改结果" in client.get("/cases/rectification/").content.decode()
    client.force_login(cast.users["erji_other"])
    assert "没有符合条件的案件" in client.get("/cases/").content.decode()
