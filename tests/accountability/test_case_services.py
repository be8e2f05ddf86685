"""Cases through the 第八条 chain: driven by the rulebook, audited, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from accountability_cast import STEP_USERS, open_ready_case, run_chain
from django.core.exceptions import ValidationError

from duban.accountability import access
from duban.accountability.models import Appeal, Case, CaseOpinion, Decision, RectificationItem, Referral
from duban.accountability.procedure import case_chain
from duban.accountability.services import (
    appeal_decide,
    appeal_file,
    case_agree,
    case_letter_issue,
    case_open,
    case_open_from_task,
    case_return,
    case_update_investigation,
    case_withdraw,
    decision_letter_received,
    rectification_report,
    rectification_review,
    referral_create,
    referral_record_result,
)
from duban.accounts.models import AuditLog
from duban.accounts.services import person_create, unit_update
from duban.scoring.models import ConsequenceEntry
from duban.scoring.selectors import monthly_ranking
from tests.factories import decide

pytestmark = pytest.mark.django_db


def state():
    from duban.accountability.models import CaseResponsible

    return tuple(
        m.objects.count()
        for m in (
            Case,
            CaseOpinion,
            CaseResponsible,
            Decision,
            Appeal,
            Referral,
            RectificationItem,
            ConsequenceEntry,
            AuditLog,
        )
    )


def refused(call) -> dict[str, list[str]]:
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert state() == before, "a refused write must leave nothing written"
    return excinfo.value.message_dict


# --- the chain comes from the rulebook ---------------------------------------------------------------


def test_city_chain_has_the_six_steps_of_its_rulebook(cast):
    case = open_ready_case(cast)
    chain = case_chain(case)
    assert [s.code for s in chain] == [
        "investigate",
        "liaison_opinion",
        "first_level_opinion",
        "deputy_chief_opinion",
        "chief_review",
        "committee_approval",
    ]
    assert [s.actor for s in chain] == ["督查室", "二级督查", "一级督查", "副总督查", "总督查", "督查落实委员会"]
    assert case.step == "investigate" and case.rulebook_id == "zhumadian/2020-04-22"
    steps_seen = []
    for index, step in enumerate(chain):
        steps_seen.append(case.step)
        case = case_agree(
            actor=cast.users[STEP_USERS[index]], case=case, step=step.code, decided_on=dt.date(2020, 6, 20)
        )
    assert steps_seen == [s.code for s in chain]
    assert case.state == Case.State.DECIDED


def test_county_chain_has_its_own_four_steps(cast):
    county = cast.county
    from duban.accountability.services import matter_create

    matter = matter_create(actor=None, jurisdiction=county, code="YC1", title="农村危房改造", unit=cast.county_unit)
    case = case_open(
        actor=cast.users["county_office"], jurisdiction=county, matter=matter, opened_on=dt.date(2020, 6, 1)
    )
    chain = case_chain(case)
    assert case.rulebook_id == "yicheng/2020-05-01"
    assert [s.name for s in chain] == [
        "调查核实",
        "征求分管督查意见",
        "区政府督查落实工作领导小组审核",
        "区政府研究同意",
    ]
    assert case.step == "investigate"


def test_a_case_opened_before_the_county_rulebook_is_refused(cast):
    from duban.accountability.services import matter_create

    matter = matter_create(actor=None, jurisdiction=cast.county, code="YC1", title="危房", unit=cast.county_unit)
    errors = refused(
        lambda: case_open(actor=None, jurisdiction=cast.county, matter=matter, opened_on=dt.date(2020, 4, 30))
    )
    assert errors == {"opened": ["2020-04-30时驿城区没有生效的问责办法"]}


# --- moving along, returning, double submits -----------------------------------------------------------


def test_return_sends_the_case_one_step_back_with_its_reason(cast):
    case = run_chain(cast, open_ready_case(cast), until=3)  # now at 副总督查
    assert case.step == "deputy_chief_opinion"
    case = case_return(
        actor=cast.users["fuzong"], case=case, step="deputy_chief_opinion", reason="责任人认定依据不足，请补充"
    )
    assert case.step == "first_level_opinion"
    opinion = case.opinions.last()
    assert (opinion.verdict, opinion.step_name, opinion.text, opinion.actor_name) == (
        "return",
        "征求副总督查意见",
        "责任人认定依据不足，请补充",
        "副总督查辛",
    )
    log = AuditLog.objects.filter(action="case_return").get()
    assert (log.before["step"], log.after["step"], log.after["opinion"]["text"]) == (
        "deputy_chief_opinion",
        "first_level_opinion",
        "责任人认定依据不足，请补充",
    )


def test_a_return_needs_a_reason_and_the_first_step_cannot_return(cast):
    case = run_chain(cast, open_ready_case(cast), until=1)
    assert refused(lambda: case_return(actor=None, case=case, step="liaison_opinion", reason="  ")) == {
        "reason": ["退回须说明理由"]
    }
    fresh = open_ready_case(cast)
    errors = refused(lambda: case_return(actor=None, case=fresh, step="investigate", reason="x"))
    assert "第一个环节，不能退回" in errors["step"][0]


def test_agreeing_twice_at_a_step_is_refused(cast):
    case = open_ready_case(cast)
    case = case_agree(actor=cast.users["office"], case=case, step="investigate")
    errors = refused(lambda: case_agree(actor=cast.users["office"], case=case, step="investigate"))
    assert errors["step"] == [
        "案件已不在“调查核实”环节（当前环节：征求分管二级督查意见），请勿重复提交或刷新页面后再办理"
    ]


def test_an_incomplete_investigation_cannot_leave_the_first_step(cast):
    w = cast.world
    case = case_open(actor=None, jurisdiction=w.city, matter=w.m1, opened_on=dt.date(2020, 6, 1))
    errors = refused(lambda: case_agree(actor=None, case=case, step="investigate"))
    assert set(errors) == {"investigation", "situation_number", "methods"}
    assert errors["situation_number"] == ["请选择问责情形（第六条）"]


def test_unknown_method_and_situation_are_refused_in_chinese(cast):
    case = open_ready_case(cast)
    errors = refused(
        lambda: case_update_investigation(actor=None, case=case, data={"methods": ["通报表扬"], "situation_number": 23})
    )
    assert errors["methods"][0].startswith("未知的问责方式：通报表扬（第五条规定的方式：问题通报、")
    assert errors["situation_number"] == ["问责情形应为第六条第1至22项，收到：23"]


def test_problem_notice_needs_a_rectification_deadline(cast):
    case = open_ready_case(cast, methods=["问题通报"])
    errors = refused(lambda: case_agree(actor=None, case=case, step="investigate"))
    assert errors == {"rectification_due": ["拟问题通报的，应确定整改期限（第九条第（一）项：限期整改）"]}


def test_the_investigation_is_frozen_after_the_first_step_and_a_decided_case_is_closed(cast):
    case = run_chain(cast, open_ready_case(cast), until=1)
    errors = refused(lambda: case_update_investigation(actor=None, case=case, data={"investigation": "改"}))
    assert errors["step"] == ["案件已进入“征求分管二级督查意见”环节，调查核实内容不能再修改"]
    decided = run_chain(cast, open_ready_case(cast))
    assert refused(lambda: case_update_investigation(actor=None, case=decided, data={"investigation": "改"})) == {
        "state": ["案件已决定，不能再办理或修改"]
    }
    assert refused(lambda: case_agree(actor=None, case=decided, step="committee_approval")) == {
        "state": ["案件已决定，不能再办理或修改"]
    }


def test_withdraw_at_the_first_step_needs_a_reason(cast):
    case = open_ready_case(cast)
    assert refused(lambda: case_withdraw(actor=None, case=case, step="investigate", reason="")) == {
        "reason": ["撤案须说明理由"]
    }
    case = case_withdraw(
        actor=cast.users["office"], case=case, step="investigate", reason="经核实系上级资金未到位，不予问责"
    )
    assert case.state == Case.State.WITHDRAWN


# --- only the right actor (the access helpers behind every page) ----------------------------------------


def test_only_the_actor_of_each_step_may_act(cast):
    case = open_ready_case(cast)
    chain = case_chain(case)
    for index, step in enumerate(chain):
        allowed = {key for key, user in cast.users.items() if user is not None and access.access_case_act(user, case)}
        expected = {STEP_USERS[index]}
        if step.code == "investigate":
            expected = {"office"}
        assert allowed == expected, (step.code, allowed)
        case = case_agree(
            actor=cast.users[STEP_USERS[index]], case=case, step=step.code, decided_on=dt.date(2020, 6, 20)
        )
    assert not any(access.access_case_act(u, case) for u in cast.users.values() if u is not None)


def test_the_liaison_supervisor_step_belongs_to_the_units_own_supervisor(cast):
    case = run_chain(cast, open_ready_case(cast), until=1)
    unit_update(actor=None, unit=cast.world.cgj, data={"liaison_supervisor": cast.other_liaison_supervisor})
    case.refresh_from_db()
    case.unit.refresh_from_db()
    assert access.access_case_act(cast.users["erji_other"], case)
    assert not access.access_case_act(cast.users["erji_unit"], case)


# --- approval, the ledger, the ranking ------------------------------------------------------------------


def test_committee_approval_creates_the_decision_and_moves_the_ranking(cast):
    city = cast.world.city
    assert {r.unit.name: r.deducted for r in monthly_ranking(city, "2020-06")}["市城市管理局"] == 0
    case = run_chain(cast, open_ready_case(cast))
    decision = case.decision
    assert (case.state, case.decided_on) == (Case.State.DECIDED, dt.date(2020, 6, 20))
    assert (decision.date, decision.methods, decision.situation_number, decision.status) == (
        dt.date(2020, 6, 20),
        ["通报批评"],
        11,
        "effective",
    )
    assert sorted(decision.responsibles.values_list("role", "person__name")) == [
        ("承办人员", "承办人丙"),
        ("科室负责人", "科长丁"),
    ]
    assert AuditLog.objects.get(action="decision_create").actor_label == "committee"
    assert {r.unit.name: r.deducted for r in monthly_ranking(city, "2020-06")}["市城市管理局"] == 10
    assert ConsequenceEntry.objects.filter(decision=decision, effect="monthly").get().value == 10
    # Every state change of the case wrote its audit row.
    assert list(
        AuditLog.objects.filter(object_type="accountability.Case").order_by("id").values_list("action", flat=True)
    ) == ["case_open", "case_update_investigation", *["case_agree"] * 6]


def test_problem_notice_approval_creates_the_rectification_item(cast):
    case = run_chain(cast, open_ready_case(cast, methods=["问题通报"], rectification_due=dt.date(2020, 7, 31)))
    item = RectificationItem.objects.get(decision=case.decision)
    assert (item.unit, item.due_on, item.state) == (cast.world.cgj, dt.date(2020, 7, 31), "pending")


def test_exemption_request_goes_through_the_same_chain_and_reverses_the_points(cast):
    w = cast.world
    decision = decide(w, "2020-06-05", ["通报批评"])
    assert ConsequenceEntry.objects.filter(decision=decision, effect="monthly").get().value == 10
    case = case_open(
        actor=cast.users["office"],
        jurisdiction=w.city,
        matter=w.m1,
        kind="exemption",
        exempted_decision=decision,
        opened_on=dt.date(2020, 6, 10),
    )
    errors = refused(lambda: case_agree(actor=None, case=case, step="investigate"))
    assert set(errors) == {"investigation", "exemption_ground"}
    case_update_investigation(actor=None, case=case, data={"investigation": "汛期停工", "exemption_ground": 1})
    assert refused(
        lambda: case_open(actor=None, jurisdiction=w.city, matter=w.m1, kind="exemption", exempted_decision=decision)
    )["exempted_decision"] == ["该决定已有办理中的容错免责申请，请勿重复提交"]
    case = run_chain(cast, case)
    decision.refresh_from_db()
    assert (case.state, decision.status, decision.exemption_ground) == ("decided", "exempted", 1)
    rows = list(
        ConsequenceEntry.objects.filter(decision=decision, effect="monthly")
        .order_by("id")
        .values_list("value", flat=True)
    )
    assert rows == [10, -10]


def test_an_exemption_ground_outside_article_seven_is_refused(cast):
    w = cast.world
    decision = decide(w, "2020-06-05", ["通报批评"])
    errors = refused(
        lambda: case_open(
            actor=None,
            jurisdiction=w.city,
            matter=w.m1,
            kind="exemption",
            exempted_decision=decision,
            exemption_ground=5,
        )
    )
    assert errors == {"exemption_ground": ["容错免责情形应为第七条第1至4项，收到：5"]}


# --- 意见书 and appeal --------------------------------------------------------------------------------


def decided_with_letter(cast, received: dt.date) -> Decision:
    case = run_chain(cast, open_ready_case(cast, subject="person", person=cast.party))
    case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕1号", issued_on=dt.date(2020, 6, 22))
    return decision_letter_received(actor=None, decision=case.decision, received_on=received)


def test_letter_issue_and_receipt_are_recorded_once(cast):
    decision = decided_with_letter(cast, dt.date(2020, 6, 23))
    case = decision.cases.get()
    assert (case.letter_number, decision.opinion_letter_received) == ("驻督问〔2020〕1号", dt.date(2020, 6, 23))
    assert (
        "请勿重复提交"
        in refused(lambda: case_letter_issue(actor=None, case=case, letter_number="x", issued_on=dt.date(2020, 6, 25)))[
            "letter_issued_on"
        ][0]
    )
    assert (
        "请勿重复提交"
        in refused(lambda: decision_letter_received(actor=None, decision=decision, received_on=dt.date(2020, 6, 24)))[
            "received_on"
        ][0]
    )


def test_appeal_on_the_15th_day_is_accepted_and_the_decision_stays_in_force(cast):
    decision = decided_with_letter(cast, dt.date(2020, 6, 23))
    ledger = ConsequenceEntry.objects.count()
    appeal = appeal_file(
        actor=cast.users["party"], decision=decision, reason="延误系资金未到位", filed_on=dt.date(2020, 7, 8)
    )
    decision.refresh_from_db()
    assert (appeal.outcome, decision.status) == ("pending", "under_appeal")
    assert ConsequenceEntry.objects.count() == ledger  # 申诉期间不停止执行
    errors = refused(lambda: appeal_file(actor=None, decision=decision, reason="再次", filed_on=dt.date(2020, 7, 8)))
    assert errors == {"status": ["该决定已在申诉复核中，请勿重复提交"]}


def test_appeal_on_the_16th_day_is_refused_in_chinese(cast):
    decision = decided_with_letter(cast, dt.date(2020, 6, 23))
    errors = refused(lambda: appeal_file(actor=None, decision=decision, reason="理由", filed_on=dt.date(2020, 7, 9)))
    assert errors == {
        "filed_on": [
            "已超过申诉期限：应在收到督查问责意见书之日（2020-06-23）起15日内、即2020-07-08前申诉（第八条第（三）项）"
        ]
    }


def test_appeal_needs_the_receipt_and_a_reason(cast):
    case = run_chain(cast, open_ready_case(cast))
    assert (
        "尚未登记收到督查问责意见书"
        in refused(lambda: appeal_file(actor=None, decision=case.decision, reason="x"))["filed_on"][0]
    )
    decision = decided_with_letter(cast, dt.date(2020, 6, 23))
    assert refused(lambda: appeal_file(actor=None, decision=decision, reason=" ", filed_on=dt.date(2020, 6, 24))) == {
        "reason": ["请填写申诉理由"]
    }


def test_appeal_revoked_reverses_the_points_by_appended_rows(cast):
    decision = decided_with_letter(cast, dt.date(2020, 6, 23))
    appeal_file(actor=None, decision=decision, reason="理由", filed_on=dt.date(2020, 6, 30))
    old_rows = list(ConsequenceEntry.objects.values_list("pk", "value"))
    appeal_decide(actor=cast.users["committee"], decision=decision, outcome="revoked", reason="经复核撤销")
    decision.refresh_from_db()
    assert decision.status == "revoked"
    assert (
        list(ConsequenceEntry.objects.filter(pk__in=[pk for pk, _ in old_rows]).values_list("pk", "value")) == old_rows
    )
    reversals = ConsequenceEntry.objects.filter(decision=decision, value__lt=0)
    assert reversals.filter(effect="monthly", value=-10).exists()
    assert all(r.reverses_id for r in reversals)
    assert {r.unit.name: r.deducted for r in monthly_ranking(cast.world.city, "2020-06")}["市城市管理局"] == 0
    appeal = Appeal.objects.get()
    assert (appeal.outcome, appeal.outcome_reason) == ("revoked", "经复核撤销")
    assert refused(lambda: appeal_decide(actor=None, decision=decision, outcome="upheld", reason="x"))["status"][
        0
    ].endswith("没有待复核的申诉，请勿重复提交")


def test_appeal_changed_rescored_and_upheld_kept(cast):
    decision = decided_with_letter(cast, dt.date(2020, 6, 23))
    appeal_file(actor=None, decision=decision, reason="理由", filed_on=dt.date(2020, 6, 30))
    assert refused(
        lambda: appeal_decide(
            actor=None, decision=decision, outcome="changed", reason="改", changes={"methods": ["通报批评"]}
        )
    )["changes"][0].startswith("变更后的内容与原决定相同")
    appeal_decide(
        actor=None,
        decision=decision,
        outcome="changed",
        reason="情节较轻，改为问题通报",
        changes={"methods": ["问题通报"]},
    )
    decision.refresh_from_db()
    assert (decision.status, decision.methods) == ("effective", ["问题通报"])
    assert {r.unit.name: r.deducted for r in monthly_ranking(cast.world.city, "2020-06")}["市城市管理局"] == 0
    assert Appeal.objects.get().outcome == "changed"


# --- referrals -------------------------------------------------------------------------------------------


def test_referral_routes_follow_vertical_management_and_cadre_level(cast):
    w = cast.world
    leader = w.leader  # 分管领导, 科级及以下 by default
    section = person_create(
        actor=None, jurisdiction=w.city, unit=w.cgj, name="处长甲", role="分管领导", cadre_level="处级"
    )
    decision = decide(w, "2020-07-01", ["建议纪检监察机关处理"], responsible={"分管领导": [leader, section]})
    county = referral_create(
        actor=None, decision=decision, person=leader, target_body="市城管局", sent_on=dt.date(2020, 7, 3)
    )
    assert (county.route, county.due_on) == ("county_or_department", dt.date(2020, 8, 2))  # report_back_days 30
    senior = referral_create(
        actor=None, decision=decision, person=section, target_body="市纪委监委", sent_on=dt.date(2020, 7, 3)
    )
    assert (senior.route, senior.due_on) == ("discipline", None)
    assert (
        "请勿重复提交"
        in refused(
            lambda: referral_create(
                actor=None, decision=decision, person=section, target_body="市纪委监委", sent_on=dt.date(2020, 7, 3)
            )
        )["route"][0]
    )
    unit_update(actor=None, unit=w.jyj, data={"vertically_managed": True})
    vertical = decide(w, "2020-07-01", ["通报批评"], unit=w.jyj, matter=w.m2)
    letter = referral_create(actor=None, decision=vertical, target_body="省教育厅", sent_on=dt.date(2020, 7, 5))
    assert letter.route == "vertical_letter"
    plain = decide(w, "2020-07-02", ["通报批评"])
    assert (
        "无需移送"
        in refused(lambda: referral_create(actor=None, decision=plain, target_body="x", sent_on=dt.date(2020, 7, 3)))[
            "route"
        ][0]
    )


def test_referral_result_with_sanction_is_booked_on_the_decision(cast):
    w = cast.world
    decision = decide(w, "2020-07-01", ["建议组织部门处理"])
    referral = referral_create(actor=None, decision=decision, target_body="市委组织部", sent_on=dt.date(2020, 7, 3))
    assert referral.route == "organization"
    assert not ConsequenceEntry.objects.filter(decision=decision, effect="award_ineligible").exists()
    referral_record_result(
        actor=None, referral=referral, result="给予诫勉", result_on=dt.date(2020, 8, 1), sanctioned=True
    )
    decision.refresh_from_db()
    assert decision.sanctioned_after_referral
    assert ConsequenceEntry.objects.filter(decision=decision, effect="award_ineligible").exists()
    assert (
        "请勿重复提交"
        in refused(
            lambda: referral_record_result(
                actor=None, referral=referral, result="x", result_on=dt.date(2020, 8, 2), sanctioned=False
            )
        )["result"][0]
    )


# --- rectification --------------------------------------------------------------------------------------


def test_rectification_is_reported_once_then_reviewed(cast):
    case = run_chain(cast, open_ready_case(cast, methods=["问题通报"], rectification_due=dt.date(2020, 7, 31)))
    item = RectificationItem.objects.get(decision=case.decision)
    assert refused(lambda: rectification_report(actor=None, item=item, report="")) == {"report": ["请填写整改结果"]}
    item = rectification_report(actor=cast.users["liaison_unit"], item=item, report="已完成全部破损路面修复")
    assert item.state == "reported"
    assert "请勿重复提交" in refused(lambda: rectification_report(actor=None, item=item, report="again"))["state"][0]
    assert refused(lambda: rectification_review(actor=None, item=item, accept=False)) == {"note": ["退回须说明理由"]}
    item = rectification_review(actor=cast.users["office"], item=item, accept=False, note="缺少验收照片")
    assert item.state == "pending"
    item = rectification_report(actor=cast.users["liaison_unit"], item=item, report="补充验收照片")
    item = rectification_review(actor=cast.users["office"], item=item, accept=True)
    assert item.state == "accepted"
    assert list(
        AuditLog.objects.filter(object_type="accountability.RectificationItem")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "rectification_create",
        "rectification_report",
        "rectification_return",
        "rectification_report",
        "rectification_accept",
    ]


# --- one click from an overdue task ---------------------------------------------------------------------


def make_task(cast, *, deadline: dt.date, status="confirmed"):
    from duban.ledger.models import Deadline, Document, GazetteIssue, Task, TaskUnit

    w = cast.world
    issue = GazetteIssue.objects.create(
        jurisdiction=w.city, source_name="seed.txt", content_hash=str(deadline) + status
    )
    document = Document.objects.create(
        issue=issue, jurisdiction=w.city, doc_no="驻政〔2020〕23号", title="健康驻马店行动"
    )
    task = Task.objects.create(
        document=document, jurisdiction=w.city, ref="二、3", title="实施全民健身行动", status=status
    )
    TaskUnit.objects.create(task=task, role="lead", printed_name="市城管局", unit=w.cgj)
    TaskUnit.objects.create(task=task, role="responsible", printed_name="市教育局", unit=w.jyj)
    Deadline.objects.create(document=document, task=task, text="2020年6月底前", date=deadline)
    return task


def test_case_open_from_an_overdue_task_in_one_click(cast):
    task = make_task(cast, deadline=dt.date(2020, 6, 30))
    case = case_open_from_task(actor=cast.users["office"], task=task, today=dt.date(2020, 7, 10))
    assert (case.unit, case.matter.task, case.matter.title, case.step) == (
        cast.world.cgj,
        task,
        "实施全民健身行动",
        "investigate",
    )
    assert "已逾期10日" in case.investigation
    errors = refused(lambda: case_open_from_task(actor=None, task=task, today=dt.date(2020, 7, 11)))
    assert errors == {"task": ["该任务已有办理中的问责案件，请勿重复立案"]}


def test_a_task_not_overdue_cannot_be_opened_in_one_click(cast):
    task = make_task(cast, deadline=dt.date(2020, 6, 30))
    errors = refused(lambda: case_open_from_task(actor=None, task=task, today=dt.date(2020, 6, 20)))
    assert "只有已逾期的任务才能一键立案" in errors["task"][0]


def test_the_county_runs_its_four_steps_with_its_own_people(cast):
    """驿城区's rulebook: 调查核实 → 二级督查 → 总督查 (领导小组审核) → 委员会 (区政府研究同意); no 一级督查 or 副总督查."""
    from duban.accountability.services import matter_create
    from duban.accounts.services import person_link_user, user_add_role, user_create

    county = cast.county
    chief = person_create(actor=None, jurisdiction=county, name="区总督查", role="总督查")
    chief_user = user_create(actor=None, username="county_chief", password="x-pass-1234")
    person_link_user(actor=None, person=chief, user=chief_user)
    secretary = person_create(actor=None, jurisdiction=county, name="区政府秘书", role="督查室工作人员")
    committee_user = user_create(actor=None, username="county_committee", password="x-pass-1234")
    person_link_user(actor=None, person=secretary, user=committee_user)
    user_add_role(actor=None, user=committee_user, role="督查落实委员会")
    supervisor_user = user_create(actor=None, username="county_erji", password="x-pass-1234")
    person_link_user(actor=None, person=cast.county_unit.liaison_supervisor, user=supervisor_user)

    matter = matter_create(actor=None, jurisdiction=county, code="YC1", title="农村危房改造", unit=cast.county_unit)
    case = case_open(
        actor=cast.users["county_office"], jurisdiction=county, matter=matter, opened_on=dt.date(2020, 6, 1)
    )
    case = case_update_investigation(
        actor=None, case=case, data={"investigation": "逾期", "situation_number": 12, "methods": ["通报批评"]}
    )
    everyone = {
        **{k: u for k, u in cast.users.items() if u is not None},
        "county_erji": supervisor_user,
        "county_chief": chief_user,
        "county_committee": committee_user,
    }
    expected = {  # the county secretary registering the committee's result is also 督查室 staff
        "investigate": ("county_office", {"county_office", "county_committee"}),
        "liaison_opinion": ("county_erji", {"county_erji"}),
        "chief_review": ("county_chief", {"county_chief"}),
        "committee_approval": ("county_committee", {"county_committee"}),
    }
    for step in case_chain(case):
        actor, allowed = expected[step.code]
        assert {k for k, u in everyone.items() if access.access_case_act(u, case)} == allowed, step.code
        case = case_agree(actor=everyone[actor], case=case, step=step.code, decided_on=dt.date(2020, 6, 20))
    assert case.state == "decided" and case.decision.jurisdiction == county
    assert [o.step for o in case.opinions.order_by("id")] == [
        "investigate",
        "liaison_opinion",
        "chief_review",
        "committee_approval",
    ]


def test_case_numbering_reads_ascii_serials_only(cast):
    """A number whose tail str.isdigit() takes but int() refuses ('²') must not break numbering."""
    first = open_ready_case(cast, opened_on=dt.date(2020, 6, 1))
    Case.objects.filter(pk=first.pk).update(number="2020-²")
    second = open_ready_case(cast, opened_on=dt.date(2020, 6, 2))
    assert second.number == "2020-001"
