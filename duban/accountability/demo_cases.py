"""Demo cases for `make demo`: the 第八条 chain at work, written through the services as the people
of demo/people.yaml would (each step by its own login), idempotently.

What the demo shows: open cases at different steps (one at 二级督查 for erji, one at 总督查, one
returned with its reason), a case decided through the whole chain whose 意见书 was just received (so
beiwenze can still appeal, and 市卫健体委's liaison has a rectification item), a decision with an
appeal pending for beiwenze, an exemption request in progress, referrals with their deadlines, and
a county case at its first step. A case is looked up by its matter: loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from duban import clock
from duban.accountability import services
from duban.accountability.models import Case, Decision, Matter, Referral
from duban.accountability.procedure import case_chain
from duban.accounts.models import Jurisdiction, Person
from duban.accounts.selectors import unit_find

# Who acts at each step of the city's chain (demo/people.yaml logins).
STEP_LOGINS = {
    "investigate": "duchashi",
    "liaison_opinion": "erji",
    "first_level_opinion": "yiji",
    "deputy_chief_opinion": "fuzong",
    "chief_review": "zongducha",
    "committee_approval": "weiyuanhui",
}
OPINIONS = {
    "investigate": "调查核实完毕，事实清楚，提请审核。",
    "liaison_opinion": "情况属实，同意督查室意见。",
    "first_level_opinion": "同意。",
    "deputy_chief_opinion": "同意，提请总督查审核。",
    "chief_review": "审核同意，提请督查落实委员会研究。",
    "committee_approval": "经研究，同意实施督查问责。",
}

# Relative days are counted back from the day the demo is loaded (the appeal window must be open).
CASES: list[dict[str, Any]] = [
    {  # at 二级督查: erji (陈志强, liaison supervisor of 市教育局) is to give an opinion
        "matter": {
            "code": "DB2020-066",
            "title": "校园食品安全专项检查发现问题整改",
            "unit": "市教育局",
            "source": "市政府食品安全专项督查",
        },
        "opened_on": -12,
        "investigation": "经调查核实，市教育局对专项检查发现的12所学校食堂问题，截至督办期限仍有5所未整改到位，经两次督办仍无明显改进。",
        "situation": 2,
        "methods": ["通报批评"],
        "responsible": {"承办人员": ["萧雨晴"], "科室负责人": ["程浩"]},
        "until": "liaison_opinion",
    },
    {  # at 总督查
        "matter": {
            "code": "DB2020-068",
            "title": "医保基金监管专项行动推进迟缓",
            "unit": "市医保局",
            "source": "市政府第112次常务会议交办",
        },
        "opened_on": -25,
        "investigation": "经调查核实，市医保局未按时限完成定点医药机构全覆盖检查，完成率仅为61%，且未作出合理解释。",
        "situation": 11,
        "methods": ["责令作出书面检查"],
        "responsible": {"承办人员": ["潘佳"], "科室负责人": ["杜宏伟"]},
        "until": "chief_review",
    },
    {  # returned by the 一级督查 to the 二级督查, with the reason
        "matter": {
            "code": "DB2020-071",
            "title": "托育服务机构备案工作滞后",
            "unit": "市发改委",
            "source": "驻政办〔2020〕24号 三、（二）",
        },
        "opened_on": -18,
        "investigation": "经调查核实，市发改委牵头的托育机构备案工作进展缓慢，全市备案率低于全省平均水平。",
        "situation": 12,
        "methods": ["工作约谈"],
        "responsible": {"承办人员": ["戴子轩"], "科室负责人": ["夏明哲"]},
        "until": "first_level_opinion",
        "return": {
            "step": "first_level_opinion",
            "reason": "拟工作约谈依据不足：请补充两次督办的书面记录和单位的说明，再提出意见。",
        },
    },
    {  # decided through the whole chain a few days ago; 意见书 received: beiwenze may still appeal
        "matter": {
            "code": "DB2020-073",
            "title": "全民健身中心错时开放服务不到位",
            "unit": "市卫健体委",
            "source": "市长热线转办",
        },
        "opened_on": -20,
        "investigation": "经调查核实，市全民健身中心未按承诺落实错时、延时开放，群众多次反映；承办人员何文博未及时上报问题。",
        "situation": 6,
        "methods": ["问题通报"],
        "subject": "person",
        "person": "何文博",
        "responsible": {"科室负责人": ["高雅琴"]},
        "rectification_due": 20,
        "decided_on": -6,
        "letter": {"number": "驻督问〔{year}〕1号", "issued_on": -5, "received_on": -4},
    },
    {  # decided in 2020; the 意见书 received; beiwenze's appeal pending before the committee
        "matter": {
            "code": "DB2020-075",
            "title": "国民体质监测数据报送迟报",
            "unit": "市卫健体委",
            "source": "省体育局通报问题整改",
        },
        "opened_on": "2020-11-02",
        "investigation": "经调查核实，2020年国民体质监测数据迟报23日，承办人员何文博未按时限报送且未作说明。",
        "situation": 11,
        "methods": ["通报批评"],
        "subject": "person",
        "person": "何文博",
        "responsible": {"科室负责人": ["高雅琴"]},
        "decided_on": "2020-11-24",
        "letter": {"number": "驻督问〔2020〕9号", "issued_on": "2020-11-25", "received_on": "2020-11-26"},
        "appeal": {
            "filed_on": "2020-12-04",
            "login": "beiwenze",
            "reason": "数据迟报系省级平台故障所致，已有平台维护通知为证，请求撤销通报批评。",
        },
    },
]
# 第七条: an exemption request in progress, for the 市发改委's 问题通报 on a pilot (先行先试).
EXEMPTION = {
    "matter": "DB2020-061",
    "unit": "市发改委",
    "ground": 3,
    "opened_on": -8,
    "investigation": "市发改委申请容错免责：婴幼儿照护服务属国家试点，备案标准尚未出台，属探索性工作中的非预见性问题。",
    "until": "liaison_opinion",
}
# 第八条第（二）项第2目: referrals of decisions in demo/decisions.yaml, one overdue, one answered.
REFERRALS = [
    {"matter": "DB2020-047", "person": "魏春燕", "target_body": "市民政局", "sent_on": "2020-11-10"},
    {
        "matter": "DB2020-042",
        "person": "贾国强",
        "target_body": "市纪委监委",
        "sent_on": "2020-10-15",
        "result": "经市纪委监委审理，给予贾国强党内警告处分。",
        "result_on": "2020-11-20",
        "sanctioned": True,
    },
]
COUNTY_CASE = {
    "jurisdiction": "yicheng",
    "login": "quduchashi",
    "matter": {
        "code": "YC2020-005",
        "title": "城中村改造项目征收进度滞后",
        "unit": "驿城区住建局",
        "source": "区政府重点工作督查",
    },
    "opened_on": -3,
    "investigation": "区督查室正在调查核实：项目征收完成率低于计划进度。",
}


def _day(value: Any, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, int):
        return today + dt.timedelta(days=value)
    return dt.date.fromisoformat(str(value))


@transaction.atomic
def load_demo_cases(
    report: Any = None, log: Callable[[str], None] = lambda _: None, today: dt.date | None = None
) -> None:
    today = today or clock.today()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[*STEP_LOGINS.values(), "beiwenze", "quduchashi"])
    }
    city = Jurisdiction.objects.get(code="zhumadian")

    def count(kind: str) -> None:
        if report is not None:
            report.count(kind)

    for spec in CASES:
        matter = _matter(city, spec["matter"], users.get("duchashi"), count)
        if Case.objects.filter(matter=matter, kind=Case.Kind.ACCOUNTABILITY).exists():
            continue
        case = _open(city, matter, spec, users, today)
        count("问责案件")
        stop = spec.get("until")
        for step in case_chain(case):
            if step.code == stop:
                break
            case = services.case_agree(
                actor=users.get(STEP_LOGINS[step.code]),
                case=case,
                step=step.code,
                opinion=OPINIONS[step.code],
                decided_on=_day(spec.get("decided_on"), today),
            )
        if spec.get("return"):
            back = spec["return"]
            case = services.case_return(
                actor=users.get(STEP_LOGINS[back["step"]]), case=case, step=back["step"], reason=back["reason"]
            )
        if case.state == Case.State.DECIDED:
            count("问责决定")
            log(f"{case.decided_on} {case.unit.name} {'、'.join(case.methods)}（经第八条程序）")
            _letter_and_appeal(case, spec, users, today)

    _exemption(city, users, today, count)
    _referrals(city, users, count)
    _county_case(users, today, count)


def _matter(jurisdiction: Jurisdiction, spec: dict, actor, count) -> Matter:
    matter = Matter.objects.filter(jurisdiction=jurisdiction, code=spec["code"]).first()
    if matter is None:
        matter = services.matter_create(
            actor=actor,
            jurisdiction=jurisdiction,
            code=spec["code"],
            title=spec["title"],
            unit=unit_find(jurisdiction=jurisdiction, name=spec["unit"]),
            source=spec["source"],
        )
        count("督查事项")
    return matter


def _open(jurisdiction: Jurisdiction, matter: Matter, spec: dict, users: dict, today: dt.date) -> Case:
    office = users.get("duchashi")
    case = services.case_open(
        actor=office, jurisdiction=jurisdiction, matter=matter, opened_on=_day(spec["opened_on"], today)
    )
    unit = matter.unit

    def staff(name: str) -> Person:
        return Person.objects.get(jurisdiction=jurisdiction, unit=unit, name=name)

    return services.case_update_investigation(
        actor=office,
        case=case,
        data={
            "investigation": spec["investigation"],
            "situation_number": spec["situation"],
            "methods": spec["methods"],
            "subject": spec.get("subject", "unit"),
            "person": staff(spec["person"]) if spec.get("person") else None,
            "rectification_due": _day(spec.get("rectification_due"), today),
            "responsible": {role: [staff(n) for n in names] for role, names in spec.get("responsible", {}).items()},
        },
    )


def _letter_and_appeal(case: Case, spec: dict, users: dict, today: dt.date) -> None:
    letter = spec.get("letter")
    if letter:
        case = services.case_letter_issue(
            actor=users.get("duchashi"),
            case=case,
            letter_number=letter["number"].format(year=case.decided_on.year),
            issued_on=_day(letter["issued_on"], today),
        )
        services.decision_letter_received(
            actor=users.get("duchashi"), decision=case.decision, received_on=_day(letter["received_on"], today)
        )
    appeal = spec.get("appeal")
    if appeal:
        services.appeal_file(
            actor=users.get(appeal["login"]),
            decision=case.decision,
            reason=appeal["reason"],
            filed_on=_day(appeal["filed_on"], today),
        )


def _exemption(city: Jurisdiction, users: dict, today: dt.date, count) -> None:
    unit = unit_find(jurisdiction=city, name=EXEMPTION["unit"])
    decision = Decision.objects.filter(jurisdiction=city, matter__code=EXEMPTION["matter"], unit=unit).first()
    if decision is None or Case.objects.filter(exempted_decision=decision).exists():
        return
    case = services.case_open(
        actor=users.get("duchashi"),
        jurisdiction=city,
        matter=decision.matter,
        kind=Case.Kind.EXEMPTION,
        exempted_decision=decision,
        exemption_ground=EXEMPTION["ground"],
        investigation=EXEMPTION["investigation"],
        opened_on=_day(EXEMPTION["opened_on"], today),
    )
    count("容错免责申请")
    for step in case_chain(case):
        if step.code == EXEMPTION["until"]:
            break
        case = services.case_agree(
            actor=users.get(STEP_LOGINS[step.code]), case=case, step=step.code, opinion="核实属实，提请审核。"
        )


def _referrals(city: Jurisdiction, users: dict, count) -> None:
    for spec in REFERRALS:
        decision = Decision.objects.filter(jurisdiction=city, matter__code=spec["matter"]).first()
        if decision is None:
            continue
        person = Person.objects.filter(jurisdiction=city, unit=decision.unit, name=spec["person"]).first()
        if Referral.objects.filter(decision=decision, person=person).exists():
            continue
        referral = services.referral_create(
            actor=users.get("duchashi"),
            decision=decision,
            person=person,
            target_body=spec["target_body"],
            sent_on=_day(spec["sent_on"], None),
        )
        count("移送处理")
        if spec.get("result"):
            services.referral_record_result(
                actor=users.get("duchashi"),
                referral=referral,
                result=spec["result"],
                result_on=_day(spec["result_on"], None),
                sanctioned=spec["sanctioned"],
            )


def _county_case(users: dict, today: dt.date, count) -> None:
    county = Jurisdiction.objects.filter(code=COUNTY_CASE["jurisdiction"]).first()
    if county is None:
        return
    matter = _matter(county, COUNTY_CASE["matter"], users.get(COUNTY_CASE["login"]), count)
    if Case.objects.filter(matter=matter).exists():
        return
    services.case_open(
        actor=users.get(COUNTY_CASE["login"]),
        jurisdiction=county,
        matter=matter,
        investigation=COUNTY_CASE["investigation"],
        opened_on=_day(COUNTY_CASE["opened_on"], today),
    )
    count("问责案件")
