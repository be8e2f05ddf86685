"""A June of 市城管局 decided through the 第八条 chain, for the score pages' tests: each decision with its case
number, one of them revoked on appeal. Built on the accountability cast (every role's login)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from duban.accountability.models import Case, Decision, Matter
from duban.accountability.procedure import case_chain
from duban.accountability.services import (
    appeal_decide,
    appeal_file,
    case_agree,
    case_letter_issue,
    case_open,
    case_update_investigation,
    decision_letter_received,
    matter_create,
)
from tests.accountability.accountability_cast import STEP_USERS, Cast


@dataclass
class June:
    criticised: Decision  # 通报批评 on M1, 10 points (第九条第（二）项)
    talked_to: Decision  # 工作约谈 on M1 too: 30 by the max rule, so 20 more (第九条第（五）项、第（七）项)
    written: Decision  # 责令作出书面检查 on M2, 20 points (第九条第（三）项)
    revoked: Decision  # 通报批评 on M3, revoked on appeal: its 10 points reversed
    cases: dict[int, Case]  # decision pk → the case that decided it


def decided(cast: Cast, matter: Matter, methods: list[str], day: dt.date, **extra) -> Case:
    """A case on 市城管局 through the whole city chain, decided on ``day``."""
    w = cast.world
    office = cast.users["office"]
    case = case_open(actor=office, jurisdiction=w.city, matter=matter, unit=w.cgj, opened_on=day - dt.timedelta(days=5))
    case = case_update_investigation(
        actor=office,
        case=case,
        data={
            "investigation": f"经调查核实，{matter.title}逾期未完成。",
            "situation_number": extra.pop("situation_number", 11),
            "methods": methods,
            "subject": "unit",
            "person": None,
            "responsible": {"承办人员": [w.handler], "科室负责人": [w.section_head], "分管领导": [w.leader]},
            **extra,
        },
    )
    for index, step in enumerate(case_chain(case)):
        case = case_agree(
            actor=cast.users[STEP_USERS[index]], case=case, step=step.code, opinion=f"{step.name}：同意", decided_on=day
        )
    return case


def june_story(cast: Cast) -> June:
    w = cast.world
    m3 = matter_create(actor=None, jurisdiction=w.city, code="M3", title="城区公厕改造", unit=w.cgj)
    cases = [
        decided(cast, w.m1, ["通报批评"], dt.date(2020, 6, 3)),
        decided(cast, w.m1, ["工作约谈"], dt.date(2020, 6, 10), situation_number=8),
        decided(cast, w.m2, ["责令作出书面检查"], dt.date(2020, 6, 17), situation_number=2),
        decided(cast, m3, ["通报批评"], dt.date(2020, 6, 24), situation_number=13),
    ]
    appealed = cases[-1]
    office = cast.users["office"]
    case_letter_issue(actor=office, case=appealed, letter_number="驻督问〔2020〕9号", issued_on=dt.date(2020, 6, 25))
    decision = decision_letter_received(actor=office, decision=appealed.decision, received_on=dt.date(2020, 6, 26))
    appeal_file(actor=cast.users["party"], decision=decision, reason="已按期整改", filed_on=dt.date(2020, 7, 2))
    appeal_decide(
        actor=cast.users["committee"],
        decision=decision,
        outcome="revoked",
        reason="经复核撤销",
        decided_on=dt.date(2020, 7, 9),
    )
    decisions = [Decision.objects.get(pk=case.decision_id) for case in cases]
    return June(*decisions, cases={case.decision_id: case for case in cases})
