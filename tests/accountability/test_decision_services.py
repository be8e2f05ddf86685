"""Decisions: validated against the rulebook in force, audited, synced to the ledger, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duban.accountability.models import Decision, DecisionResponsible
from duban.accountability.services import (
    decision_appeal,
    decision_exempt,
    decision_revoke,
    decision_set_sanction,
    decision_uphold,
    matter_create,
)
from duban.accounts.models import AuditLog
from duban.accounts.services import jurisdiction_create, unit_create
from duban.rules import engine
from duban.scoring.models import ConsequenceEntry
from tests.factories import decide

pytestmark = pytest.mark.django_db


def counts():
    return (
        Decision.objects.count(),
        DecisionResponsible.objects.count(),
        AuditLog.objects.count(),
        ConsequenceEntry.objects.count(),
    )


def errors_of(call) -> dict[str, list[str]]:
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert counts() == before, "a refused decision must leave nothing written"
    return excinfo.value.message_dict


def test_decision_create_stores_responsibles_audits_and_books(world):
    decision = decide(world, "2020-05-12", ["通报批评"])
    assert decision.status == "effective"
    assert sorted(decision.responsibles.values_list("role", "person__name")) == sorted(
        [("承办人员", "承办人丙"), ("科室负责人", "科长丁"), ("分管领导", "副局长戊"), ("单位主要领导", "局长己")]
    )
    log = AuditLog.objects.get(action="decision_create")
    assert log.object_id == str(decision.pk)
    assert log.after["methods"] == ["通报批评"]
    assert {"role": "科室负责人", "person_id": world.section_head.pk} in log.after["responsible"]
    sync_log = AuditLog.objects.get(action="ledger_sync")
    assert sync_log.after["count"] == ConsequenceEntry.objects.count() == 2  # monthly 10, annual 5
    assert sorted(ConsequenceEntry.objects.values_list("effect", "value")) == [("annual", 5), ("monthly", 10)]


def test_unknown_method_is_refused_in_chinese(world):
    errors = errors_of(lambda: decide(world, "2020-05-12", ["通报批评", "通报表扬"]))
    assert list(errors) == ["methods"]
    assert errors["methods"][0].startswith("未知的问责方式：通报表扬（第五条规定的方式：问题通报、通报批评")


def test_situation_number_out_of_range_is_refused(world):
    errors = errors_of(lambda: decide(world, "2020-05-12", ["通报批评"], situation_number=23))
    assert errors == {"situation_number": ["问责情形应为第六条第1至22项，收到：23"]}


def test_empty_and_repeated_methods_are_refused(world):
    assert errors_of(lambda: decide(world, "2020-05-12", []))["methods"] == [
        "问责方式不能为空，应为第五条规定的方式名称列表"
    ]
    assert errors_of(lambda: decide(world, "2020-05-12", ["通报批评", "通报批评"]))["methods"] == ["问责方式重复"]


def test_a_date_before_the_rulebook_is_refused(world):
    # 第十一条: 驻政〔2020〕24号 is in force from 2020-04-22.
    errors = errors_of(lambda: decide(world, "2020-04-21", ["通报批评"]))
    assert errors == {"date": ["2020-04-21时驻马店市没有生效的问责办法"]}


def test_person_subject_needs_a_person_of_the_unit(world):
    errors = errors_of(lambda: decide(world, "2020-05-12", ["通报批评"], subject="person"))
    assert errors["person"] == ["问责对象为个人时必须指定被问责人"]
    stranger = world.liaison  # no unit: allowed as a person, but a 二级督查 of no unit
    teacher_unit = world.jyj
    errors = errors_of(
        lambda: decide(world, "2020-05-12", ["通报批评"], unit=teacher_unit, subject="person", person=world.handler)
    )
    assert errors["person"] == ["被问责人承办人丙不在被问责单位市教育局"]
    assert stranger.unit is None


def test_sanction_only_follows_a_referral(world):
    errors = errors_of(lambda: decide(world, "2020-05-12", ["通报批评"], sanctioned_after_referral=True))
    assert errors["sanctioned_after_referral"] == [
        "只有建议组织部门处理或建议纪检监察机关处理的决定才能登记移送后受处分（第九条第（六）项）"
    ]


def test_each_jurisdiction_runs_its_own(world):
    # 第八条: 各县区政府负责本级政府系统的督查问责 — a county's matter is not the city's.
    county = jurisdiction_create(
        actor=world.actor, code="yicheng", name="驿城区", level="county", parent=world.city, rulebook_code="zhumadian"
    )
    county_unit = unit_create(actor=world.actor, jurisdiction=county, name="驿城区住建局")
    county_matter = matter_create(
        actor=world.actor, jurisdiction=county, code="M1", title="老旧小区改造", unit=county_unit
    )
    errors = errors_of(lambda: decide(world, "2020-05-12", ["通报批评"], matter=county_matter))
    assert errors == {"matter": ["督查事项M1不属于驻马店市"]}
    with pytest.raises(ValidationError):
        matter_create(actor=world.actor, jurisdiction=world.city, code="M9", title="x", unit=county_unit)


def test_a_failing_ledger_sync_leaves_no_decision(world, monkeypatch):
    def engine_down(scenario, rulebooks):
        raise RuntimeError("engine down")

    monkeypatch.setattr(engine, "evaluate", engine_down)
    before = counts()
    with pytest.raises(RuntimeError):
        decide(world, "2020-05-12", ["通报批评"])
    assert counts() == before


def test_status_changes_only_through_transitions(world):
    decision = decide(world, "2020-05-12", ["通报批评"])
    with pytest.raises(AttributeError):
        decision.status = "revoked"


def test_appeal_keeps_the_decision_in_force(world):
    # 第八条第（三）项: 申诉期间，督查问责决定不停止执行.
    decision = decide(world, "2020-05-12", ["通报批评"], opinion_letter_received=dt.date(2020, 5, 14))
    booked = ConsequenceEntry.objects.count()
    decision = decision_appeal(actor=world.actor, decision=decision, filed_on=dt.date(2020, 5, 29))
    assert decision.status == "under_appeal"
    assert decision.get_status_display() == "申诉中"
    assert ConsequenceEntry.objects.count() == booked
    decision = decision_uphold(actor=world.actor, decision=decision, reason="维持原决定")
    assert decision.status == "effective"
    assert ConsequenceEntry.objects.count() == booked
    actions = list(
        AuditLog.objects.filter(object_type="accountability.Decision", object_id=str(decision.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["decision_create", "decision_appeal", "decision_uphold"]
    assert AuditLog.objects.get(action="decision_uphold").after["reason"] == "维持原决定"


def test_appeal_after_fifteen_days_is_refused(world):
    decision = decide(world, "2020-05-12", ["通报批评"], opinion_letter_received=dt.date(2020, 5, 14))
    errors = errors_of(lambda: decision_appeal(actor=world.actor, decision=decision, filed_on=dt.date(2020, 5, 30)))
    assert errors == {"filed_on": ["已超过申诉期限：应在收到督查问责意见书之日起15日内申诉（第八条第（三）项）"]}


def test_illegal_transitions_are_refused_in_chinese(world):
    decision = decide(world, "2020-05-12", ["通报批评"])
    errors = errors_of(lambda: decision_revoke(actor=world.actor, decision=decision))
    assert errors == {"status": ["问责决定当前状态为“生效”，不能撤销"]}
    decision = decision_exempt(actor=world.actor, decision=decision, ground=2)
    assert (decision.status, decision.exemption_ground) == ("exempted", 2)
    errors = errors_of(lambda: decision_appeal(actor=world.actor, decision=decision, filed_on=dt.date(2020, 5, 20)))
    assert errors == {"status": ["问责决定当前状态为“容错免责”，不能申诉"]}


def test_exemption_ground_must_be_one_of_article_7(world):
    decision = decide(world, "2020-05-12", ["通报批评"])
    errors = errors_of(lambda: decision_exempt(actor=world.actor, decision=decision, ground=5))
    assert errors == {"exemption_ground": ["容错免责情形应为第七条第1至4项，收到：5"]}


def test_sanction_after_referral_books_article_9_6(world):
    decision = decide(world, "2020-10-10", ["建议纪检监察机关处理"])
    assert ConsequenceEntry.objects.count() == 0  # interpretation 5: a referral alone has no consequence
    decision_set_sanction(actor=world.actor, decision=decision, sanctioned=True)
    effects = sorted(ConsequenceEntry.objects.values_list("effect", "who_kind", "label"))
    assert effects == sorted(
        [
            ("award_ineligible", "unit", ""),
            ("civilized_title", "unit", "rectify_or_revoke"),  # 市城管局 is a city-level 文明单位
            ("written_explanation", "person", ""),  # the 一级督查 in charge
        ]
        + [("excellent_barred", "person", "")] * 4  # all four roles
    )
