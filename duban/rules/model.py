"""The engine's inputs and outputs: plain frozen dataclasses, no Django.

Ids are strings: scenario ids for `duban rules evaluate`, database primary keys (as str) when the
scoring app evaluates stored decisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SUBJECT_UNIT = "unit"
SUBJECT_PERSON = "person"

# Method codes the code keys on; the rulebook maps each to its local name (methods[].code).
METHOD_PUBLIC_EXPOSURE = "public_exposure"  # a decision applying it is published (第五条第（四）项)

# 第八条第（二）项: where a decision is handed on. The rulebook's referral.routes say which methods
# go to the first two and which body receives them; the other two are chosen by unit and cadre level.
ROUTE_ORGANIZATION = "organization"  # 组织部门
ROUTE_DISCIPLINE = "discipline"  # 纪检监察机关
ROUTE_COUNTY_OR_DEPARTMENT = "county_or_department"  # 科级及以下: 所在县区政府或市直部门
ROUTE_VERTICAL_LETTER = "vertical_letter"  # 垂直管理单位: a letter to its superior
METHOD_ROUTES = (ROUTE_ORGANIZATION, ROUTE_DISCIPLINE)
REFERRAL_ROUTES = (*METHOD_ROUTES, ROUTE_COUNTY_OR_DEPARTMENT, ROUTE_VERTICAL_LETTER)

# The parts of an accountability case, and the audiences the rulebook lets read each
# (procedure.visible_to): until the committee decides, a case is the supervisors' work (第八条).
CASE_PARTS = ("existence", "investigation", "proposal", "opinions", "history", "decision")
CASE_PART_LABELS = {
    "existence": "案件的存在（编号、单位、事项、环节、状态）",
    "investigation": "调查核实情况",
    "proposal": "拟问责情形、方式、对象和责任人",
    "opinions": "各环节意见",
    "history": "操作记录",
    "decision": "问责决定和意见书",
}
AUDIENCE_OFFICE = "office"  # the jurisdiction's 督查室
AUDIENCE_SUPERVISORS = "supervisors"  # the case's chain: the unit's own 二级督查/一级督查, 副总督查, 总督查, committee
AUDIENCE_UNIT = "unit"  # the investigated unit (its 联络员)
AUDIENCE_PARTIES = "parties"  # the persons the decision names (on their own page, 我的问责决定)
CASE_AUDIENCES = (AUDIENCE_OFFICE, AUDIENCE_SUPERVISORS, AUDIENCE_UNIT, AUDIENCE_PARTIES)
CASE_AUDIENCE_LABELS = {
    AUDIENCE_OFFICE: "督查室",
    AUDIENCE_SUPERVISORS: "督查人员（本案各环节）",
    AUDIENCE_UNIT: "被调查单位（联络员）",
    AUDIENCE_PARTIES: "被问责人和责任人",
}

# Unit fields that name a unit's own supervisor (a step actor `of: unit`, a supervisor_effects rule).
SUPERVISOR_FIELDS = ("liaison_supervisor", "first_level_supervisor")

STATUS_EFFECTIVE = "effective"
STATUS_UNDER_APPEAL = "under_appeal"
STATUS_EXEMPTED = "exempted"
STATUS_REVOKED = "revoked"
STATUSES = (STATUS_EFFECTIVE, STATUS_UNDER_APPEAL, STATUS_EXEMPTED, STATUS_REVOKED)

# 文明单位: the levels a unit may hold, and what 第九条第（六）项 does to each (the rulebook picks).
CIVILIZED_LEVEL_LABELS = {"city": "市级文明单位", "province": "省级文明单位", "national": "全国文明单位"}
CIVILIZED_LEVELS = (None, *CIVILIZED_LEVEL_LABELS)
CIVILIZED_ACTION_LABELS = {
    "rectify_or_revoke": "限期整改或撤销文明单位称号",
    "refer_to_superior": "建议上级有关部门处理",
}


@dataclass(frozen=True)
class Unit:
    id: str
    name: str = ""
    civilized: str | None = None  # None, "city", "province" or "national" (文明单位 level)
    liaison_supervisor: str | None = None  # person id of the 二级督查 who liaises with the unit
    first_level_supervisor: str | None = None  # person id of the 一级督查 in charge


@dataclass(frozen=True)
class Person:
    id: str
    name: str = ""
    unit: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    matter: str
    date: dt.date
    unit: str
    subject: str  # SUBJECT_UNIT or SUBJECT_PERSON
    person: str | None
    responsible: dict[str, tuple[str, ...]]  # accountable role -> person ids
    methods: tuple[str, ...]
    status: str = STATUS_EFFECTIVE
    sanctioned_after_referral: bool = False

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        # accountability-rules.md, interpretation 2: "in order of date, then id".
        return (self.date, self.id)


@dataclass(frozen=True)
class Scenario:
    units: tuple[Unit, ...]
    people: tuple[Person, ...]
    decisions: tuple[Decision, ...]
    jurisdiction: str = "zhumadian"


# The effects 驻马店's rulebook declares (effects.yaml), by the codes the engine and the score ledger know; a
# rulebook may declare others of its own.
UNIT_MONTHLY = "monthly"  # 督查事项月排名积分 deduction, period "YYYY-MM"
UNIT_ANNUAL = "annual"  # 年度综合目标考核（加减分事项） deduction, period "YYYY"
AWARD_INELIGIBLE = "award_ineligible"  # 取消年度综合目标考核评先资格, period "YYYY"
PUBLIC_EXPOSURE = "public_exposure"  # 公开曝光 by escalation, value = decision id
RECTIFICATION = "rectification"  # 限期整改并上报结果 (问题通报), value = decision id
CIVILIZED_TITLE = "civilized_title"  # value "rectify_or_revoke" / "refer_to_superior"
BONUS = "bonus"  # 扣除当月平时考核奖, period "YYYY-MM"
EXCELLENT_BARRED = "excellent_barred"  # 年度考核不得评定为优秀等次, period "YYYY"
SUPERVISOR_INTERVIEW = "supervisor_interview"  # 对联系该单位的二级督查进行工作约谈
WRITTEN_EXPLANATION = "written_explanation"  # 一级督查做出书面说明

# The words of an effect's declaration (effects[].subject, .period, .carries), for the pages that show a rulebook.
EFFECT_SUBJECT_LABELS = {"unit": "单位", "person": "个人", "supervisor": "联系该单位的督查人员"}
EFFECT_PERIOD_LABELS = {"month": "当月", "year": "年度"}
EFFECT_CARRIES_LABELS = {"none": "—", "points": "分值", "decision": "所依据的决定", "choice": "规则所定的处理"}

# The order the score ledger writes a decision's rows in: the engine's effects first, then a rulebook's own.
EFFECTS = (
    UNIT_MONTHLY,
    UNIT_ANNUAL,
    AWARD_INELIGIBLE,
    PUBLIC_EXPOSURE,
    RECTIFICATION,
    CIVILIZED_TITLE,
    BONUS,
    EXCELLENT_BARRED,
    SUPERVISOR_INTERVIEW,
    WRITTEN_EXPLANATION,
)


@dataclass(frozen=True, slots=True)
class Consequence:
    """One consequence of one decision, with the trail that justifies it."""

    decision: str
    who: str  # unit id or person id
    effect: str  # one of EFFECTS
    period: str | None  # "YYYY-MM", "YYYY" or None
    value: int | str | None  # points for monthly/annual; otherwise a label or None
    basis: str  # the article, e.g. "第九条第（二）项"
    parameter: str  # the rulebook parameter, e.g. "consequences.unit_points.monthly.通报批评"
    rulebook: str = ""  # the rulebook version that applied, e.g. "zhumadian/2020-04-22"
    note: str = ""  # the reasoning in words, for the trail ("同一事项第2次通报批评……")


@dataclass
class Result:
    consequences: list[Consequence] = field(default_factory=list)


# The rulebook's choices in words, for pages that explain the rulebook (the validator admits these).
CHOICE_LABELS = {
    "same_matter_aggregation": {"max": "同一事项按最高分值扣除", "sum": "同一事项累计扣除"},
    "person_subject_unless_listed": {
        "any_role": "除非已以任何责任类型列为责任人",
        "same_role": "除非已以该责任类型列为责任人",
    },
    "order": {"date_then_id": "按决定日期先后（同日按编号）"},
    "exemption_procedure": {"same_as_accountability": "与督查问责实施程序一致"},
    "counted_from": {"receipt_of_opinion_letter": "自接到督查问责意见书之日起"},
}
STATUS_LABELS = {
    STATUS_EFFECTIVE: "生效",
    STATUS_UNDER_APPEAL: "申诉中",
    STATUS_EXEMPTED: "容错免责",
    STATUS_REVOKED: "已撤销",
}
