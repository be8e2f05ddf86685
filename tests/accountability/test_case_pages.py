"""The case pages in use: the whole chain through the web by each login, bad input refused with a
Chinese message and nothing changed, the 意见书, the appeal deadline, the workbench panel."""

from __future__ import annotations

import datetime as dt

import pytest
from accountability_cast import STEP_USERS, open_ready_case, run_chain
from django.utils import timezone

from duban.accountability.models import Case, Decision
from duban.accountability.services import case_letter_issue, decision_letter_received
from duban.accounts.models import AuditLog

pytestmark = pytest.mark.django_db


def as_user(client, cast, role):
    client.force_login(cast.users[role])
    return client


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_whole_chain_through_the_web(client, cast):
    w = cast.world
    office = as_user(client, cast, "office")
    response = office.post("/cases/new/", {"matter": w.m1.pk, "investigation": "经核实逾期"}, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/" and "已立案" in messages_of(response)
    response = office.post(
        f"/cases/{case.pk}/edit/",
        {
            "investigation": "经调查核实，道路破损修复任务逾期30日未完成。",
            "situation_number": "11",
            "methods": ["通报批评"],
            "subject": "unit",
            "responsible_0": [w.handler.pk],
            "responsible_1": [w.section_head.pk],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "第六条第11项" in page and "对市政府重要会议及各类批示督办事项，未按时限要求完成且无法作出合理解释的" in page
    for index, role in enumerate(STEP_USERS):
        client.force_login(cast.users[role])
        case.refresh_from_db()
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "退回上一环节" in page or index == 0
        response = client.post(
            f"/cases/{case.pk}/agree/", {"step": case.step, "opinion": f"第{index + 1}环节同意"}, follow=True
        )
        assert "已提交意见" in messages_of(response)
    case.refresh_from_db()
    assert case.state == "decided" and case.decision.status == "effective"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert page.count("第6环节同意") == 2 and "作出问责决定" in page  # in the chain and in the history
    assert "退回上一环节" not in page  # nobody acts on a decided case


def test_a_return_shows_its_reason_and_the_case_waits_at_the_step_before(client, cast):
    case = run_chain(cast, open_ready_case(cast), until=2)  # at 一级督查
    yiji = as_user(client, cast, "yiji")
    response = yiji.post(f"/cases/{case.pk}/return/", {"step": "first_level_opinion", "opinion": ""}, follow=True)
    assert "退回须说明理由" in messages_of(response)
    yiji.post(f"/cases/{case.pk}/return/", {"step": "first_level_opinion", "opinion": "请补充督办记录"})
    case.refresh_from_db()
    assert case.step == "liaison_opinion"
    page = as_user(client, cast, "erji_unit").get(f"/cases/{case.pk}/").content.decode()
    assert "征求一级督查意见退回" in page and "请补充督办记录" in page
    assert "被退回" in client.get("/cases/").content.decode()


def test_a_double_submit_changes_nothing_and_says_so(client, cast):
    case = open_ready_case(cast)
    office = as_user(client, cast, "office")
    office.post(f"/cases/{case.pk}/agree/", {"step": "investigate"})
    logs = AuditLog.objects.count()
    response = office.post(f"/cases/{case.pk}/agree/", {"step": "investigate"}, follow=True)
    assert response.status_code == 403  # no longer the office's step
    erji = as_user(client, cast, "erji_unit")
    erji.post(f"/cases/{case.pk}/agree/", {"step": "liaison_opinion"})
    client.force_login(cast.users["yiji"])
    response = client.post(f"/cases/{case.pk}/agree/", {"step": "liaison_opinion"}, follow=True)  # stale form
    assert "请勿重复提交" in messages_of(response)
    case.refresh_from_db()
    assert case.step == "first_level_opinion" and AuditLog.objects.count() == logs + 1


def test_an_unknown_method_is_refused_with_a_chinese_message(client, cast):
    case = open_ready_case(cast)
    before = (case.methods, AuditLog.objects.count())
    response = as_user(client, cast, "office").post(
        f"/cases/{case.pk}/edit/", {"investigation": "x", "subject": "unit", "methods": ["通报表扬"]}
    )
    assert response.status_code == 400
    assert "通报表扬" in response.content.decode() and "未保存" in messages_of(response)
    case.refresh_from_db()
    assert (case.methods, AuditLog.objects.count()) == before


def decided_for_party(cast, received: dt.date) -> Decision:
    case = run_chain(
        cast,
        open_ready_case(cast, subject="person", person=cast.party, opened_on=received - dt.timedelta(days=3)),
        decided_on=received - dt.timedelta(days=1),
    )
    case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕2号", issued_on=received)
    return decision_letter_received(actor=None, decision=case.decision, received_on=received)


def test_the_party_sees_the_deadline_and_appeals_in_time(client, cast):
    today = timezone.localdate()
    decision = decided_for_party(cast, today - dt.timedelta(days=15))  # the 15th day: still allowed
    party = as_user(client, cast, "party")
    page = party.get("/cases/decisions/mine/").content.decode()
    assert f"{today:%Y-%m-%d}" in page and "还剩 0 日" in page and "提出申诉复核</button>" in page
    response = party.post(f"/cases/decisions/{decision.pk}/appeal/", {"reason": "延误系资金未到位"}, follow=True)
    assert "申诉已提交" in messages_of(response) and "不停止执行" in messages_of(response)
    decision.refresh_from_db()
    assert decision.status == "under_appeal"
    response = party.post(f"/cases/decisions/{decision.pk}/appeal/", {"reason": "再次"}, follow=True)
    assert "请勿重复提交" in messages_of(response)


def test_an_appeal_on_the_16th_day_is_refused_and_changes_nothing(client, cast):
    today = timezone.localdate()
    decision = decided_for_party(cast, today - dt.timedelta(days=16))
    party = as_user(client, cast, "party")
    page = party.get("/cases/decisions/mine/").content.decode()
    assert "已届满" in page and "提出申诉复核</button>" not in page
    logs = AuditLog.objects.count()
    response = party.post(f"/cases/decisions/{decision.pk}/appeal/", {"reason": "不服"}, follow=True)
    assert "已超过申诉期限" in messages_of(response)
    decision.refresh_from_db()
    assert decision.status == "effective" and AuditLog.objects.count() == logs


def test_the_committee_revokes_on_appeal_and_the_points_come_back(client, cast):
    from duban.scoring.selectors import monthly_ranking

    today = timezone.localdate()
    decision = decided_for_party(cast, today - dt.timedelta(days=2))
    as_user(client, cast, "party").post(f"/cases/decisions/{decision.pk}/appeal/", {"reason": "不服"})
    month = decision.date.strftime("%Y-%m")
    assert {r.unit.name: r.deducted for r in monthly_ranking(cast.world.city, month)}["市城市管理局"] == 10
    committee = as_user(client, cast, "committee")
    assert "待复核" in committee.get("/cases/appeals/").content.decode()
    response = committee.post(
        f"/cases/decisions/{decision.pk}/appeal/decide/", {"outcome": "revoked", "reason": "经复核撤销"}, follow=True
    )
    assert "撤销原决定" in messages_of(response)
    decision.refresh_from_db()
    assert decision.status == "revoked"
    assert {r.unit.name: r.deducted for r in monthly_ranking(cast.world.city, month)}["市城市管理局"] == 0


def test_the_letter_is_printable_and_names_the_deadline(client, cast):
    decision = decided_for_party(cast, dt.date(2020, 6, 23))
    page = as_user(client, cast, "party").get(f"/cases/decisions/{decision.pk}/letter/").content.decode()
    assert "督查问责意见书" in page and "驻督问〔2020〕2号" in page and "2020年7月8日前" in page
    assert (
        '<button type="button" data-print>打印</button>' in page and "第六条第11项" in page and "返回案件" not in page
    )


def test_the_workbench_lists_what_awaits_each_role(client, cast):
    case = run_chain(cast, open_ready_case(cast), until=1)
    page = as_user(client, cast, "erji_unit").get("/workbench/").content.decode()
    assert "待我办理的问责案件（1）" in page and case.number in page
    page = as_user(client, cast, "erji_other").get("/workbench/").content.decode()
    assert "待我办理的问责案件" not in page
    decided_for_party(cast, timezone.localdate())
    page = as_user(client, cast, "party").get("/workbench/").content.decode()
    assert "我的问责决定" in page and "还剩 15 日" in page


def test_one_click_from_an_overdue_task(client, cast):
    from test_case_services import make_task

    task = make_task(cast, deadline=timezone.localdate() - dt.timedelta(days=3))
    office = as_user(client, cast, "office")
    response = office.post(f"/cases/from-task/{task.pk}/", follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/" and "已逾期3日" in response.content.decode()
    response = office.post(f"/cases/from-task/{task.pk}/", follow=True)
    assert "请勿重复立案" in messages_of(response) and Case.objects.count() == 1
    page = office.get(f"/cases/from-task/{task.pk}/").content.decode()  # the page now says a case is open
    assert "该任务已有办理中的问责案件" in page and case.number in page
    assert office.put(f"/cases/from-task/{task.pk}/").status_code == 405


def test_cases_are_read_only_in_the_admin(client, cast):
    case = run_chain(cast, open_ready_case(cast))
    client.force_login(cast.users["admin"])
    assert client.get("/admin/accountability/case/").status_code == 200
    assert client.get(f"/admin/accountability/case/{case.pk}/change/").status_code == 200
    assert client.get("/admin/accountability/case/add/").status_code == 403
    response = client.post(f"/admin/accountability/case/{case.pk}/change/", {"investigation": "改"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.investigation.startswith("经调查核实")


def test_the_new_case_page_offers_overdue_tasks_in_one_click(client, cast):
    from test_case_services import make_task

    task = make_task(cast, deadline=timezone.localdate() - dt.timedelta(days=3))
    office = as_user(client, cast, "office")
    page = office.get("/cases/new/").content.decode()
    assert "由逾期任务一键立案" in page and f'action="/cases/from-task/{task.pk}/"' in page
    office.post(f"/cases/from-task/{task.pk}/")
    assert f'action="/cases/from-task/{task.pk}/"' not in office.get("/cases/new/").content.decode()
