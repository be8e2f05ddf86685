"""Reads of the score ledger: monthly rankings, annual assessments, people's consequences.

Every read takes `as_of`: only ledger rows recorded by then count, so a ranking published on a
past date can be reproduced exactly, whatever was revoked or corrected since.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum

from duban.accountability.rulebooks import rulebook_in_force_or_none
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.selectors import units_ranked
from duban.inputs import parse_month
from duban.rules import model as rules
from duban.scoring.models import ConsequenceEntry

DEFAULT_BASE_POINTS = 100


@dataclass(frozen=True)
class RankingRow:
    rank: int
    unit: Unit
    base: int
    deducted: int
    score: int


@dataclass
class AssessmentRow:
    rank: int
    unit: Unit
    base: int
    deducted: int
    score: int
    award_ineligible: bool = False
    civilized_title: str = ""  # "rectify_or_revoke" / "refer_to_superior" / ""
    exposures: int = 0  # 公开曝光 by escalation (第九条第（三）项)
    rectifications: int = 0  # 问题通报 items to rectify (第九条第（一）项)


@dataclass
class PersonYearRow:
    person: Person
    bonus_months: list[str] = field(default_factory=list)  # 扣除当月平时考核奖
    excellent_barred: bool = False  # 年度考核不得评定为优秀等次
    interviews: int = 0  # 二级督查被约谈 (第九条第（五）项)
    written_explanations: int = 0  # 一级督查书面说明 (第九条第（六）项)


def is_month(text: str) -> bool:
    return parse_month(text) is not None


def ledger(jurisdiction: Jurisdiction, as_of: dt.datetime | None = None) -> QuerySet[ConsequenceEntry]:
    rows = ConsequenceEntry.objects.filter(jurisdiction=jurisdiction)
    return rows.filter(recorded_at__lte=as_of) if as_of is not None else rows


def base_points(jurisdiction: Jurisdiction, day: dt.date, parameter: str) -> int:
    """The base a score starts from (the 办法 leaves it to the 督查室: a rulebook parameter)."""
    rulebook = rulebook_in_force_or_none(jurisdiction, day)
    if rulebook is None:
        return DEFAULT_BASE_POINTS
    try:
        return int(rulebook.value(parameter))
    except Exception:  # a rulebook without the parameter: the documented default
        return DEFAULT_BASE_POINTS


def monthly_ranking(jurisdiction: Jurisdiction, month: str, as_of: dt.datetime | None = None) -> list[RankingRow]:
    """督查事项月排名积分 of every active unit: base − net monthly deductions booked for `month`."""
    if parse_month(month) is None:
        raise ValueError(f"month must be YYYY-MM of a plausible year, got {month!r}")
    year, number = int(month[:4]), int(month[5:])
    last_day = dt.date(year, number, calendar.monthrange(year, number)[1])
    base = base_points(jurisdiction, last_day, "scoring.monthly_base_points")
    deducted = _net_points(jurisdiction, rules.UNIT_MONTHLY, month, as_of)
    scored = [(unit, base, deducted.get(unit.pk, 0)) for unit in units_ranked(jurisdiction=jurisdiction)]
    return [
        RankingRow(rank=rank, unit=unit, base=base, deducted=points, score=base - points)
        for rank, (unit, base, points) in _ranked(scored)
    ]


def annual_assessment(jurisdiction: Jurisdiction, year: int, as_of: dt.datetime | None = None) -> list[AssessmentRow]:
    """年度综合目标考核（加减分事项） of every active unit, with the other unit consequences of the year."""
    base = base_points(jurisdiction, dt.date(year, 12, 31), "scoring.annual_base_points")
    deducted = _net_points(jurisdiction, rules.UNIT_ANNUAL, str(year), as_of)
    flags = _unit_flags(jurisdiction, year, as_of)
    scored = [(unit, base, deducted.get(unit.pk, 0)) for unit in units_ranked(jurisdiction=jurisdiction)]
    rows = []
    for rank, (unit, base, points) in _ranked(scored):
        row = AssessmentRow(rank=rank, unit=unit, base=base, deducted=points, score=base - points)
        unit_flags = flags.get(unit.pk, {})
        row.award_ineligible = unit_flags.get(rules.AWARD_INELIGIBLE, 0) > 0
        row.exposures = unit_flags.get(rules.PUBLIC_EXPOSURE, 0)
        row.rectifications = unit_flags.get(rules.RECTIFICATION, 0)
        row.civilized_title = unit_flags.get("civilized_title_action", "")
        rows.append(row)
    return rows


def person_consequences(jurisdiction: Jurisdiction, year: int, as_of: dt.datetime | None = None) -> list[PersonYearRow]:
    """Each person's consequences in `year`: bonus months, the 优秀 bar, supervisors' interviews and
    written explanations. Only people with at least one."""
    rows = (
        ledger(jurisdiction, as_of)
        .filter(who_kind=ConsequenceEntry.WhoKind.PERSON, decision__date__year=year)
        .values("person_id", "effect", "period", "decision_id", "label", "basis")
        .annotate(net=Sum("value"))
    )
    by_person: dict[int, PersonYearRow] = {}
    people = {p.pk: p for p in Person.objects.filter(pk__in={row["person_id"] for row in rows}).select_related("unit")}
    for row in rows:
        if row["net"] <= 0:
            continue
        entry = by_person.setdefault(row["person_id"], PersonYearRow(person=people[row["person_id"]]))
        if row["effect"] == rules.BONUS and row["period"] not in entry.bonus_months:
            entry.bonus_months.append(row["period"])
        elif row["effect"] == rules.EXCELLENT_BARRED:
            entry.excellent_barred = True
        elif row["effect"] == rules.SUPERVISOR_INTERVIEW:
            entry.interviews += 1
        elif row["effect"] == rules.WRITTEN_EXPLANATION:
            entry.written_explanations += 1
    result = sorted(
        by_person.values(), key=lambda r: (r.person.unit.name if r.person.unit else "", r.person.name, r.person.pk)
    )
    for entry in result:
        entry.bonus_months.sort()
    return result


def months_with_data(jurisdiction: Jurisdiction) -> list[str]:
    """Months with any monthly deduction booked (reversed or not), newest first."""
    return list(
        ConsequenceEntry.objects.filter(jurisdiction=jurisdiction, effect=rules.UNIT_MONTHLY)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


def latest_month_with_data(jurisdiction: Jurisdiction) -> str | None:
    months = months_with_data(jurisdiction)
    return months[0] if months else None


# --- helpers -------------------------------------------------------------------------------------


def _net_points(jurisdiction: Jurisdiction, effect: str, period: str, as_of: dt.datetime | None) -> dict[int, int]:
    rows = (
        ledger(jurisdiction, as_of)
        .filter(effect=effect, period=period, who_kind=ConsequenceEntry.WhoKind.UNIT)
        .values("unit_id")
        .annotate(net=Sum("value"))
    )
    return {row["unit_id"]: row["net"] for row in rows}


def _unit_flags(jurisdiction: Jurisdiction, year: int, as_of: dt.datetime | None) -> dict[int, dict]:
    """Net counts of the unit's non-point consequences in `year` (by the decision's date when the
    effect has no period of its own)."""
    rows = (
        ledger(jurisdiction, as_of)
        .filter(
            who_kind=ConsequenceEntry.WhoKind.UNIT,
            effect__in=(rules.AWARD_INELIGIBLE, rules.PUBLIC_EXPOSURE, rules.RECTIFICATION, rules.CIVILIZED_TITLE),
            decision__date__year=year,
        )
        .values("unit_id", "effect", "decision_id", "label", "basis")
        .annotate(net=Sum("value"))
    )
    flags: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row["net"] <= 0:
            continue
        unit_flags = flags[row["unit_id"]]
        if row["effect"] == rules.CIVILIZED_TITLE:
            unit_flags["civilized_title_action"] = row["label"]
        else:
            unit_flags[row["effect"]] += 1
    return flags


def _ranked(scored: list[tuple[Unit, int, int]]):
    """Competition ranking by score, highest first, then by unit name: ties share a rank (1, 1, 3)."""
    ordered = sorted(scored, key=lambda item: (-(item[1] - item[2]), item[0].name))
    previous_score, previous_rank = None, 0
    for position, (unit, base, points) in enumerate(ordered, start=1):
        score = base - points
        rank = previous_rank if score == previous_score else position
        previous_score, previous_rank = score, rank
        yield rank, (unit, base, points)


@dataclass(frozen=True)
class Exposure:
    decision_id: int
    date: dt.date
    unit: Unit
    matter: str
    situation_number: int | None
    by_escalation: bool  # 第九条第（三）项: a second 书面检查 within the year
    historical: bool = False  # a decision made before duban, entered by 历史导入


def public_exposures_query(jurisdiction: Jurisdiction, year: int | None = None) -> QuerySet:
    """公开曝光, in SQL: the decisions in force that apply it directly (the method the rulebook codes
    public_exposure, 第五条第（四）项 in the city's) or by escalation (the ledger's public_exposure rows, net
    of reversals: 第九条第（三）项), newest first, each annotated ``by_escalation``."""
    from duban.accountability.models import Decision
    from duban.accountability.selectors import JsonListHasAny

    escalated = (
        ledger(jurisdiction)
        .filter(effect=rules.PUBLIC_EXPOSURE)
        .values("decision_id")
        .annotate(net=Sum("value"))
        .filter(net__gt=0)
        .values("decision_id")
    )
    # The method the rulebook codes public_exposure, in any version.
    exposing = {
        name
        for version in _rulebook_versions(jurisdiction)
        if (name := version.method_with_code(rules.METHOD_PUBLIC_EXPOSURE)) is not None
    }
    decisions = Decision.objects.filter(jurisdiction=jurisdiction, status__in=["effective", "under_appeal"])
    if year is not None:
        decisions = decisions.filter(date__year=year)
    return (
        decisions.filter(Q(pk__in=escalated) | JsonListHasAny("methods", exposing))
        .annotate(by_escalation=ExpressionWrapper(Q(pk__in=escalated), output_field=BooleanField()))
        .select_related("unit", "matter")
        .order_by("-date", "-pk")
    )


def exposure_years(jurisdiction: Jurisdiction) -> list[int]:
    """The years that have a 公开曝光, newest first (one query)."""
    dates = public_exposures_query(jurisdiction).dates("date", "year", order="DESC")
    return [day.year for day in dates]


def exposures_of(decisions) -> list[Exposure]:
    """The rows of one page of public_exposures_query, as the public page shows them."""
    return [
        Exposure(d.pk, d.date, d.unit, d.matter.title, d.situation_number, d.by_escalation, d.is_historical)
        for d in decisions
    ]


def _rulebook_versions(jurisdiction: Jurisdiction) -> tuple:
    from django.core.exceptions import ValidationError

    from duban.accountability.rulebooks import rulebooks_for

    try:
        return rulebooks_for(jurisdiction).versions
    except ValidationError:
        return ()


@dataclass(frozen=True)
class TaskPoints:
    unit: Unit
    effect: str  # rules.UNIT_MONTHLY or rules.UNIT_ANNUAL
    period: str
    points: int
    basis: str


def task_points(task) -> list[TaskPoints]:
    """Points in force that decisions about a ledger task took from units (月排名积分, 年度考核), net of
    reversals, in one query; people's consequences are not shown here (they are personnel matters)."""
    rows = (
        ConsequenceEntry.objects.filter(
            decision__matter__task=task,
            who_kind=ConsequenceEntry.WhoKind.UNIT,
            effect__in=(rules.UNIT_MONTHLY, rules.UNIT_ANNUAL),
        )
        .values("unit_id", "effect", "period", "basis")
        .annotate(net=Sum("value"))
        .order_by("period", "effect", "unit_id")
    )
    rows = [row for row in rows if row["net"]]
    units = Unit.objects.in_bulk({row["unit_id"] for row in rows})
    return [TaskPoints(units[r["unit_id"]], r["effect"], r["period"], r["net"], r["basis"]) for r in rows]


@dataclass(frozen=True)
class UnitStanding:
    month: str
    row: RankingRow
    of: int  # how many units the ranking lists


def unit_standing(unit: Unit) -> UnitStanding | None:
    """The unit's place in the latest monthly ranking with data, if it is ranked."""
    months = months_with_data(unit.jurisdiction)
    if not months or not unit.ranked:
        return None
    rows = monthly_ranking(unit.jurisdiction, months[0])
    row = next((r for r in rows if r.unit.pk == unit.pk), None)
    return UnitStanding(months[0], row, len(rows)) if row is not None else None
