"""The accountability services refuse text no one can see and dates no procedure has, and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from accountability_cast import open_ready_case, run_chain
from django.core.exceptions import ValidationError

from duban.accountability.models import Appeal, Case, CaseOpinion, Decision, Matter, RectificationItem, Referral
from duban.accountability.services import (
    appeal_decide,
    appeal_file,
    case_agree,
    case_letter_issue,
    case_open,
    case_return,
    case_update_investigation,
    case_withdraw,
    decision_correct,
    decision_letter_received,
    matter_create,
    matter_update,
    rectification_create,
    rectification_report,
    rectification_review,
    referral_create,
    referral_record_result,
)
from duban.accounts.models import AuditLog
from duban.scoring.models import ConsequenceEntry
from tests.factories import decide

pytestmark = pytest.mark.django_db

BLANK = ["\u200b", "\u3000\ufeff\u2060"]
IMPLAUSIBLE = [dt.date(9999, 12, 31), dt.date(1, 1, 1)]


def state():
    models = (Matter, Case, CaseOpinion, Decision, Appeal, Referral, RectificationItem, ConsequenceEntry, AuditLog)
    return (
        tuple(m.objects.count() for m in models),
        list(Case.objects.values_list("step", "state", "investigation", "rectification_due", "letter_number")),
        list(Decision.objects.values_list("status", "date", "opinion_letter_received")),
    )


def refused(call, *words: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as caught:
        call()
    text = "；".join(caught.value.messages)
    for word in words:
        assert word in text, text
    assert state() == before, "a refused write must leave nothing written"


def decided(cast) -> Case:
    return run_chain(cast, open_ready_case(cast, subject="person", person=cast.party))


def with_letter(cast) -> Decision:
    case = decided(cast)
    case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕1号", issued_on=dt.date(2020, 6, 22))
    return decision_letter_received(actor=None, decision=case.decision, received_on=dt.date(2020, 6, 23))


@pytest.mark.parametrize("blank", BLANK)
def test_matters_and_the_chain_refuse_blank_text(cast, blank):
    w = cast.world
    refused(lambda: matter_create(actor=None, jurisdiction=w.city, code=blank, title="道路修复", unit=w.cgj), "编号")
    refused(lambda: matter_create(actor=None, jurisdiction=w.city, code="M9", title=blank, unit=w.cgj), "名称")
    refused(lambda: matter_update(actor=None, matter=w.m1, data={"title": blank}), "名称")
    case = open_ready_case(cast, investigation=blank)
    refused(lambda: case_agree(actor=cast.users["office"], case=case, step="investigate"), "调查核实")
    case = case_update_investigation(actor=None, case=case, data={"investigation": "已核实逾期。"})
    refused(lambda: case_withdraw(actor=None, case=case, step="investigate", reason=blank), "理由")
    case = case_agree(actor=cast.users["office"], case=case, step="investigate")
    refused(lambda: case_return(actor=None, case=case, step=case.step, reason=blank), "理由")


def test_an_opinion_of_invisible_characters_counts_as_none(cast):
    case = case_agree(actor=cast.users["office"], case=open_ready_case(cast), step="investigate", opinion="\u200b")
    assert case.opinions.get().text == "提请审核"


@pytest.mark.parametrize("blank", BLANK)
def test_letters_appeals_referrals_and_rectification_refuse_blank_text(cast, blank):
    case = decided(cast)
    refused(
        lambda: case_letter_issue(actor=None, case=case, letter_number=blank, issued_on=dt.date(2020, 6, 22)), "文号"
    )
    decision = with_letter(cast)
    refused(lambda: appeal_file(actor=None, decision=decision, reason=blank, filed_on=dt.date(2020, 6, 24)), "申诉理由")
    appeal_file(actor=None, decision=decision, reason="延误系资金未到位", filed_on=dt.date(2020, 6, 24))
    refused(lambda: appeal_decide(actor=None, decision=decision, outcome="upheld", reason=blank), "复核意见")
    w = cast.world
    referred = decide(w, "2020-07-01", ["建议组织部门处理"])
    refused(
        lambda: referral_create(actor=None, decision=referred, target_body=blank, sent_on=dt.date(2020, 7, 3)),
        "接收机关",
    )
    referral = referral_create(actor=None, decision=referred, target_body="市委组织部", sent_on=dt.date(2020, 7, 3))
    refused(
        lambda: referral_record_result(
            actor=None, referral=referral, result=blank, result_on=dt.date(2020, 8, 1), sanctioned=False
        ),
        "处理结果",
    )
    notice = decide(w, "2020-07-02", ["问题通报"])
    refused(
        lambda: rectification_create(actor=None, decision=notice, due_on=dt.date(2020, 8, 1), requirement=blank),
        "整改要求",
    )
    item = rectification_create(actor=None, decision=notice, due_on=dt.date(2020, 8, 1), requirement="限期修复")
    refused(lambda: rectification_report(actor=None, item=item, report=blank), "整改结果")
    item = rectification_report(actor=None, item=item, report="已修复")
    refused(lambda: rectification_review(actor=None, item=item, accept=False, note=blank), "理由")


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_cases_refuse_implausible_dates(cast, day):
    w = cast.world
    refused(lambda: case_open(actor=None, jurisdiction=w.city, matter=w.m1, unit=w.cgj, opened_on=day), "2100")
    refused(lambda: case_open(actor=None, jurisdiction=w.city, matter=w.m1, unit=w.cgj, rectification_due=day), "2100")
    case = open_ready_case(cast, methods=["问题通报"], rectification_due=dt.date(2020, 7, 31))
    refused(lambda: case_update_investigation(actor=None, case=case, data={"rectification_due": day}), "2100")
    case = run_chain(cast, case, until=5)
    refused(
        lambda: case_agree(actor=cast.users["committee"], case=case, step="committee_approval", decided_on=day), "2100"
    )


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_decisions_letters_appeals_referrals_and_rectification_refuse_implausible_dates(cast, day):
    w = cast.world
    refused(lambda: decide(w, day.isoformat(), ["通报批评"]), "2100")
    plain = decide(w, "2020-07-01", ["通报批评"])
    refused(lambda: decision_correct(actor=None, decision=plain, data={"date": day}), "2100")
    refused(lambda: decision_correct(actor=None, decision=plain, data={"opinion_letter_received": day}), "2100")
    case = decided(cast)
    refused(lambda: case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕2号", issued_on=day), "2100")
    case_letter_issue(actor=None, case=case, letter_number="驻督问〔2020〕2号", issued_on=dt.date(2020, 6, 22))
    refused(lambda: decision_letter_received(actor=None, decision=case.decision, received_on=day), "2100")
    decision = decision_letter_received(actor=None, decision=case.decision, received_on=dt.date(2020, 6, 23))
    refused(lambda: appeal_file(actor=None, decision=decision, reason="理由", filed_on=day), "2100")
    appeal_file(actor=None, decision=decision, reason="理由", filed_on=dt.date(2020, 6, 24))
    refused(
        lambda: appeal_decide(actor=None, decision=decision, outcome="upheld", reason="维持", decided_on=day), "2100"
    )
    referred = decide(w, "2020-07-01", ["建议组织部门处理"])
    refused(lambda: referral_create(actor=None, decision=referred, target_body="市委组织部", sent_on=day), "2100")
    refused(
        lambda: referral_create(
            actor=None, decision=referred, target_body="市委组织部", sent_on=dt.date(2020, 7, 3), due_on=day
        ),
        "2100",
    )
    referral = referral_create(actor=None, decision=referred, target_body="市委组织部", sent_on=dt.date(2020, 7, 3))
    refused(
        lambda: referral_record_result(actor=None, referral=referral, result="诫勉", result_on=day, sanctioned=False),
        "2100",
    )
    notice = decide(w, "2020-07-02", ["问题通报"])
    refused(lambda: rectification_create(actor=None, decision=notice, due_on=day, requirement="限期修复"), "2100")
    item = rectification_create(actor=None, decision=notice, due_on=dt.date(2020, 8, 1), requirement="限期修复")
    refused(lambda: rectification_report(actor=None, item=item, report="已修复", reported_on=day), "2100")
