"""Reads of the score ledger: monthly rankings, annual assessments, people's consequences.

Every read takes `as_of`: only ledger rows recorded by then count, so a ranking published on a
past date can be reproduced exactly, whatever was revoked or corrected since.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank

from duban.accountability.models import Decision
from duban.accountability.rulebooks import rulebook_in_force_or_none
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.selectors import units_ranked
from duban.inputs import parse_month
from duban.rules import model as rules
from duban.scoring.models import ConsequenceEntry, ConsequenceTally, PublicExposure

DEFAULT_BASE_POINTS = 100

# Long texts the score pages and their exports do not show, left in the database when a page loads the
# decisions behind its lines: the decision's 备注 and 历史导入理由, its matter's 来源, a case's 调查核实情况.
DECISION_TEXT_UNSHOWN = ("note", "historical_reason", "matter__source")
CASE_TEXT_UNSHOWN = ("investigation",)


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

    @property
    def civilized_label(self) -> str:
        return rules.CIVILIZED_ACTION_LABELS.get(self.civilized_title, "")


@dataclass
class PersonYearRow:
    person: Person
    bonus_months: list[str] = field(default_factory=list)  # 扣除当月平时考核奖
    excellent_barred: bool = False  # 年度考核不得评定为优秀等次
    interviews: int = 0  # 二级督查被约谈 (第九条第（五）项)
    written_explanations: int = 0  # 一级督查书面说明 (第九条第（六）项)


def is_month(text: str) -> bool:
    return parse_month(text) is not None


def of_decision_year(jurisdiction: Jurisdiction, year: int) -> dict:
    """Ledger rows of the decisions of ``year``. Naming the decision's jurisdiction too (the rows' own, as
    every row has its decision's) lets the database walk the year's decisions (decision_jurisdiction_date_idx)
    and take each one's rows (ledger_decision_party_idx) instead of reading every row of the jurisdiction."""
    return {"decision__jurisdiction": jurisdiction, "decision__date__year": year}


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
    if as_of is None:
        return monthly_ranking_rows(jurisdiction, month, monthly_ranking_units(jurisdiction, month))
    base = _monthly_base(jurisdiction, month)
    deducted = _net_points(jurisdiction, rules.UNIT_MONTHLY, month, as_of)
    scored = [(unit, base, deducted.get(unit.pk, 0)) for unit in units_ranked(jurisdiction=jurisdiction)]
    return [
        RankingRow(rank=rank, unit=unit, base=base, deducted=points, score=base - points)
        for rank, (unit, base, points) in _ranked(scored)
    ]


def monthly_ranking_units(jurisdiction: Jurisdiction, month: str) -> QuerySet[Unit]:
    """The month's ranked units, best first, each with ``deducted`` and ``rank``, in SQL (a page pages it)."""
    _monthly_base(jurisdiction, month)  # the month is checked before anything is read
    return _ranked_units(jurisdiction, rules.UNIT_MONTHLY, month)


def monthly_ranking_rows(jurisdiction: Jurisdiction, month: str, units) -> list[RankingRow]:
    """The ranking's rows of ``units`` (monthly_ranking_units, or a page of it)."""
    base = _monthly_base(jurisdiction, month)
    return [
        RankingRow(rank=unit.rank, unit=unit, base=base, deducted=unit.deducted, score=base - unit.deducted)
        for unit in units
    ]


def annual_assessment(jurisdiction: Jurisdiction, year: int, as_of: dt.datetime | None = None) -> list[AssessmentRow]:
    """年度综合目标考核（加减分事项） of every active unit, with the other unit consequences of the year."""
    if as_of is None:
        return annual_assessment_rows(jurisdiction, year, annual_assessment_units(jurisdiction, year))
    base = base_points(jurisdiction, dt.date(year, 12, 31), "scoring.annual_base_points")
    deducted = _net_points(jurisdiction, rules.UNIT_ANNUAL, str(year), as_of)
    flags = _unit_flags(jurisdiction, year, as_of)
    scored = [(unit, base, deducted.get(unit.pk, 0)) for unit in units_ranked(jurisdiction=jurisdiction)]
    return [
        _assessment_row(rank, unit, base, points, flags.get(unit.pk, {}))
        for rank, (unit, base, points) in _ranked(scored)
    ]


def annual_assessment_units(jurisdiction: Jurisdiction, year: int) -> QuerySet[Unit]:
    """The year's ranked units, best first, each with ``deducted`` and ``rank``, in SQL."""
    return _ranked_units(jurisdiction, rules.UNIT_ANNUAL, str(year))


def annual_assessment_rows(jurisdiction: Jurisdiction, year: int, units) -> list[AssessmentRow]:
    """The assessment's rows of ``units`` (annual_assessment_units, or a page of it), their flags read for
    them only."""
    units = list(units)
    base = base_points(jurisdiction, dt.date(year, 12, 31), "scoring.annual_base_points")
    flags = _unit_flags(jurisdiction, year, None, units=[unit.pk for unit in units])
    return [_assessment_row(unit.rank, unit, base, unit.deducted, flags.get(unit.pk, {})) for unit in units]


def _assessment_row(rank: int, unit: Unit, base: int, points: int, unit_flags: dict) -> AssessmentRow:
    return AssessmentRow(
        rank=rank,
        unit=unit,
        base=base,
        deducted=points,
        score=base - points,
        award_ineligible=unit_flags.get(rules.AWARD_INELIGIBLE, 0) > 0,
        exposures=unit_flags.get(rules.PUBLIC_EXPOSURE, 0),
        rectifications=unit_flags.get(rules.RECTIFICATION, 0),
        civilized_title=unit_flags.get("civilized_title_action", ""),
    )


def _monthly_base(jurisdiction: Jurisdiction, month: str) -> int:
    if parse_month(month) is None:
        raise ValueError(f"month must be YYYY-MM of a plausible year, got {month!r}")
    year, number = int(month[:4]), int(month[5:])
    last_day = dt.date(year, number, calendar.monthrange(year, number)[1])
    return base_points(jurisdiction, last_day, "scoring.monthly_base_points")


def _ranked_units(jurisdiction: Jurisdiction, effect: str, period: str) -> QuerySet[Unit]:
    """Every ranked unit with its net deduction from the balances and its competition rank (ties share a
    rank: 1, 1, 3; every unit starts from one base, so fewest points deducted ranks first), then by name —
    what _ranked does with the rows, done by the database so that a page reads only its units."""
    deducted = (
        ConsequenceTally.objects.filter(
            jurisdiction=jurisdiction,
            who_kind=ConsequenceEntry.WhoKind.UNIT,
            effect=effect,
            period=period,
            unit=OuterRef("pk"),
        )
        .order_by()
        .values("unit")
        .annotate(total=Sum("net"))
        .values("total")
    )
    return (
        units_ranked(jurisdiction=jurisdiction)
        .annotate(deducted=Coalesce(Subquery(deducted), Value(0)))
        .annotate(rank=Window(Rank(), order_by=F("deducted").asc()))
        .order_by("deducted", "name", "pk")
    )


def person_consequences(jurisdiction: Jurisdiction, year: int, as_of: dt.datetime | None = None) -> list[PersonYearRow]:
    """Each person's consequences in `year`: bonus months, the 优秀 bar, supervisors' interviews and
    written explanations. Only people with at least one, by unit and name."""
    if as_of is None:
        return _people_rows(_tallies(jurisdiction, year), people=list(people_with_consequences(jurisdiction, year)))
    rows = (
        ledger(jurisdiction, as_of)
        .filter(who_kind=ConsequenceEntry.WhoKind.PERSON, **of_decision_year(jurisdiction, year))
        .values("person_id", "effect", "period", "decision_id", "label", "basis")
        .annotate(net=Sum("value"))
    )
    # One ledger key in force counts once, as a balance's ``keys`` does.
    in_force = [
        {"person_id": row["person_id"], "effect": row["effect"], "period": row["period"], "keys": 1}
        for row in rows
        if row["net"] > 0
    ]
    return _people_rows(in_force, people=None)


def people_with_consequences(jurisdiction: Jurisdiction, year: int) -> QuerySet[Person]:
    """The people with a consequence in force in `year`, by unit and name: what the assessment pages
    (in SQL, a page at a time) and person_consequences_of reads the rows of."""
    having = _tallies(jurisdiction, year).values("person_id")
    return (
        Person.objects.filter(pk__in=having)
        .select_related("unit")
        .order_by(Coalesce("unit__name", Value("")), "name", "pk")
    )


def person_consequences_of(jurisdiction: Jurisdiction, year: int, people) -> list[PersonYearRow]:
    """person_consequences for ``people`` only (one page of people_with_consequences), in their order."""
    people = list(people)
    rows = _tallies(jurisdiction, year).filter(person__in=[person.pk for person in people])
    return _people_rows(rows, people=people)


def _tallies(jurisdiction: Jurisdiction, year: int):
    return ConsequenceTally.objects.filter(
        jurisdiction=jurisdiction, who_kind=ConsequenceEntry.WhoKind.PERSON, year=year, keys__gt=0
    ).values("person_id", "effect", "period", "keys")


def _people_rows(rows, *, people: list[Person] | None) -> list[PersonYearRow]:
    rows = list(rows)
    if people is None:
        people = sorted(
            Person.objects.filter(pk__in={row["person_id"] for row in rows}).select_related("unit"),
            key=lambda p: (p.unit.name if p.unit else "", p.name, p.pk),
        )
    by_person = {person.pk: PersonYearRow(person=person) for person in people}
    for row in rows:
        entry = by_person[row["person_id"]]
        if row["effect"] == rules.BONUS and row["period"] not in entry.bonus_months:
            entry.bonus_months.append(row["period"])
        elif row["effect"] == rules.EXCELLENT_BARRED:
            entry.excellent_barred = True
        elif row["effect"] == rules.SUPERVISOR_INTERVIEW:
            entry.interviews += row["keys"]
        elif row["effect"] == rules.WRITTEN_EXPLANATION:
            entry.written_explanations += row["keys"]
    result = list(by_person.values())
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


def _net_points(jurisdiction: Jurisdiction, effect: str, period: str, as_of: dt.datetime) -> dict[int, int]:
    rows = (
        ledger(jurisdiction, as_of)
        .filter(effect=effect, period=period, who_kind=ConsequenceEntry.WhoKind.UNIT)
        .values("unit_id")
        .annotate(net=Sum("value"))
    )
    return {row["unit_id"]: row["net"] for row in rows}


def _unit_flags(
    jurisdiction: Jurisdiction, year: int, as_of: dt.datetime | None, units: list[int] | None = None
) -> dict[int, dict]:
    """Net counts of the unit's non-point consequences in `year` (by the decision's date when the
    effect has no period of its own); ``units``: of those units only (a page's)."""
    counted = (rules.AWARD_INELIGIBLE, rules.PUBLIC_EXPOSURE, rules.RECTIFICATION)
    flags: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    rows = ledger(jurisdiction, as_of).filter(who_kind=ConsequenceEntry.WhoKind.UNIT)
    if as_of is None:
        # The counts from the balances; the 文明单位 action (a label, not a count) from the rows of the few
        # units whose balance says they have one.
        balances = ConsequenceTally.objects.filter(
            jurisdiction=jurisdiction,
            who_kind=ConsequenceEntry.WhoKind.UNIT,
            year=year,
            effect__in=(*counted, rules.CIVILIZED_TITLE),
            keys__gt=0,
        )
        if units is not None:
            balances = balances.filter(unit__in=units)
        titled = []
        for unit_pk, effect, keys in balances.values_list("unit_id", "effect", "keys"):
            if effect == rules.CIVILIZED_TITLE:
                titled.append(unit_pk)
            else:
                flags[unit_pk][effect] += keys
        counted = ()
        rows = rows.filter(unit__in=titled, decision__date__year=year)
    else:
        rows = rows.filter(**of_decision_year(jurisdiction, year))
    rows = (
        rows.filter(effect__in=(*counted, rules.CIVILIZED_TITLE))
        .values("unit_id", "effect", "decision_id", "label", "basis")
        .annotate(net=Sum("value"))
    )
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
    """公开曝光, from its register (scoring.models.PublicExposure, kept by the ledger's sync): the decisions in
    force that apply it directly (the method the rulebook codes public_exposure, 第五条第（四）项 in the city's)
    or by escalation (the ledger's public_exposure rows, net of reversals: 第九条第（三）项), newest first,
    each annotated ``by_escalation``."""
    register = PublicExposure.objects.filter(jurisdiction=jurisdiction)
    if year is not None:
        register = register.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    return (
        Decision.objects.filter(pk__in=register.values("decision"))
        .annotate(by_escalation=F("public_exposure__by_escalation"))
        .select_related("unit", "matter")
        .order_by("-date", "-pk")
    )


def public_exposures_count(jurisdiction: Jurisdiction, year: int) -> int:
    """How many 公开曝光 the year has (the ranking's link to them), read from the register alone."""
    return PublicExposure.objects.filter(
        jurisdiction=jurisdiction, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ).count()


def public_exposures_page_query(jurisdiction: Jurisdiction, year: int | None = None) -> QuerySet[PublicExposure]:
    """The register's rows (of ``year``), newest first, each with its decision, unit and matter: what the
    public page pages (walking the register's index, not sorting the year's decisions)."""
    register = PublicExposure.objects.filter(jurisdiction=jurisdiction)
    if year is not None:
        register = register.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    return register.select_related("decision__unit", "decision__matter").order_by("-date", "-decision")


def exposure_years(jurisdiction: Jurisdiction) -> list[int]:
    """The years that have a 公开曝光, newest first: the first and the last date, then one probe of the
    register's index per year between them (not a walk of every row)."""
    register = PublicExposure.objects.filter(jurisdiction=jurisdiction)
    first = register.order_by("date").values_list("date", flat=True).first()
    if first is None:
        return []
    last = register.order_by("-date").values_list("date", flat=True).first()
    return [
        year
        for year in range(last.year, first.year - 1, -1)
        if year in (first.year, last.year)
        or register.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)).exists()
    ]


def exposures_of(rows) -> list[Exposure]:
    """The rows of one page of public_exposures_page_query, as the public page shows them."""
    return [
        Exposure(
            row.decision_id,
            row.date,
            row.decision.unit,
            row.decision.matter.title,
            row.decision.situation_number,
            row.by_escalation,
            row.decision.is_historical,
        )
        for row in rows
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
    mine, of = place_of(unit, monthly_ranking_units(unit.jurisdiction, months[0]))
    if mine is None:
        return None
    return UnitStanding(months[0], monthly_ranking_rows(unit.jurisdiction, months[0], [mine])[0], of)


def place_of(unit: Unit, ranked: QuerySet[Unit]) -> tuple[Unit | None, int]:
    """The unit's row of a ranking in SQL (monthly_ranking_units, annual_assessment_units) with its rank (as
    _ranked_units' Rank(): 1 + the units with fewer points deducted), and how many units the ranking lists:
    three small counting queries, not every unit's row. None when the ranking does not list the unit."""
    mine = ranked.filter(pk=unit.pk).first()
    if mine is not None:
        mine.rank = 1 + ranked.filter(deducted__lt=mine.deducted).count()
    return mine, ranked.count()


# --- why a score: each consequence in force behind a unit's month or year, or a person's -------------


@dataclass
class ConsequenceLine:
    """One consequence of one decision for one unit or person, as the score ledger holds it: ``points`` is
    the net of its rows (what is in force), ``booked`` what was booked before any reversal. The decision
    (with its matter, unit, cases and responsibles prefetched) and its case number come with it."""

    decision: Decision
    case_number: str
    effect: str
    period: str
    label: str
    points: int
    booked: int
    basis: str
    parameter: str
    rulebook: str
    note: str  # the engine's reasoning (of the first booking)
    reversal_note: str  # why it was reversed, if it was
    unit: Unit | None = None
    person: Person | None = None
    articles: list[tuple[str, str]] = field(default_factory=list)  # (第九条第（二）项, the article's words)
    parameter_value: object = None  # the rulebook value the points came from (10 for 每次扣10分), if one
    link: str = ""  # set by a page: where this reader may follow the decision (none if they may not)

    @property
    def in_force(self) -> bool:
        return self.points > 0

    @property
    def reversed_points(self) -> int:
        return self.booked - self.points

    effect_label: str = ""  # the effect in the words of the rulebook version that booked it (consequence_lines)


def consequence_lines(
    jurisdiction: Jurisdiction,
    *,
    effects: tuple[str, ...],
    period: str | None = None,
    decision_year: int | None = None,
    unit: Unit | None = None,
    person: Person | None = None,
    as_of: dt.datetime | None = None,
) -> list[ConsequenceLine]:
    """Each consequence (of ``effects``) booked in the jurisdiction, per decision and party, net of its
    reversals, in SQL: one aggregate over the score ledger (with the case number as a subquery), then
    the decisions and the parties in bulk — a constant number of queries however many there are.

    ``period`` is the ledger's own (YYYY-MM of a monthly deduction, YYYY of an annual one);
    ``decision_year`` takes the consequences of the decisions of that year (effects without a period of
    their own). Lines whose bookings were all reversed are included with ``points`` 0 (``in_force`` is
    False), so a page can show what came back; ordered by the decision's date, then the party."""
    from duban.accountability.models import Case, DecisionResponsible

    rows = ledger(jurisdiction, as_of).filter(effect__in=effects)
    if period is not None:
        rows = rows.filter(period=period)
    if decision_year is not None:
        # One unit's or person's rows are found by the party (ledger_unit_effect_idx, ledger_person_effect_idx).
        by_year = (
            {"decision__date__year": decision_year} if unit or person else of_decision_year(jurisdiction, decision_year)
        )
        rows = rows.filter(**by_year)
    if unit is not None:
        rows = rows.filter(who_kind=ConsequenceEntry.WhoKind.UNIT, unit=unit)
    if person is not None:
        rows = rows.filter(who_kind=ConsequenceEntry.WhoKind.PERSON, person=person)
    case_number = Case.objects.filter(decision=OuterRef("decision_id")).order_by("-opened_on", "-id").values("number")
    positive, negative = Q(value__gt=0), Q(value__lt=0)
    grouped = list(
        rows.values("decision_id", "unit_id", "person_id", "effect", "period", "label", "basis")
        .annotate(
            points=Sum("value"),
            booked=Coalesce(Sum("value", filter=positive), 0),
            booked_parameter=Max("parameter", filter=positive),
            booked_rulebook=Max("rulebook", filter=positive),
            booked_note=Max("note", filter=positive),
            booked_reversal_note=Max("note", filter=negative),
            first=Min("id"),
            booked_case=Subquery(case_number[:1]),
        )
        .filter(booked__gt=0)
        .order_by("decision__date", "decision_id", "first")
    )
    cases = Case.objects.select_related("unit", "jurisdiction").defer(*CASE_TEXT_UNSHOWN).order_by("-opened_on", "-id")
    decisions = (
        Decision.objects.select_related("matter", "unit", "person", "jurisdiction")
        .defer(*DECISION_TEXT_UNSHOWN)
        .prefetch_related(
            Prefetch("cases", queryset=cases),
            Prefetch("responsibles", queryset=DecisionResponsible.objects.select_related("person")),
        )
    )
    by_pk = decisions.in_bulk({row["decision_id"] for row in grouped})
    units = Unit.objects.in_bulk({row["unit_id"] for row in grouped if row["unit_id"]})
    people = Person.objects.select_related("unit").in_bulk({row["person_id"] for row in grouped if row["person_id"]})
    lines = []
    for row in grouped:
        line = ConsequenceLine(
            decision=by_pk[row["decision_id"]],
            case_number=row["booked_case"] or "",
            effect=row["effect"],
            period=row["period"],
            label=row["label"],
            points=row["points"],
            booked=row["booked"],
            basis=row["basis"],
            parameter=row["booked_parameter"] or "",
            rulebook=row["booked_rulebook"] or "",
            note=row["booked_note"] or "",
            reversal_note=row["booked_reversal_note"] or "",
            unit=units.get(row["unit_id"]),
            person=people.get(row["person_id"]),
        )
        line.articles, line.parameter_value = _articles(jurisdiction, line)
        line.effect_label = effect_words(jurisdiction, line)
        lines.append(line)
    return lines


def effect_words(jurisdiction: Jurisdiction, line) -> str:
    """The effect of ``line`` (a consequence line or a score-ledger row: its ``effect`` and ``rulebook``) as the
    version that booked it declares it (effects[].label); as the latest version declaring it
    says when that version is gone; its code when none does (read from files: no query)."""
    versions = _rulebook_versions(jurisdiction)
    booked = [v for v in versions if v.id == line.rulebook]
    for version in (*booked, *reversed(versions)):
        if line.effect in version.effects:
            return version.effect_label(line.effect)
    return line.effect


def _articles(jurisdiction: Jurisdiction, line: ConsequenceLine) -> tuple[list[tuple[str, str]], object]:
    """The articles a line rests on, each with its words where the rulebook version that booked it quotes
    them, and the rulebook value its points came from (read from files: no query)."""
    references = [part for part in line.basis.split("；") if part]
    version = next((v for v in _rulebook_versions(jurisdiction) if v.id == line.rulebook), None)
    if version is None:
        return [(reference, "") for reference in references], None
    texts: dict[str, str] = {}
    for rule in version.rules:
        if rule.get("text"):
            texts.setdefault(str(rule["reference"]), str(rule["text"]))
    aggregation = version.data.get("consequences", {}).get("same_matter_aggregation", {})
    if isinstance(aggregation, dict) and aggregation.get("text"):
        texts.setdefault(str(aggregation.get("reference", "")), str(aggregation["text"]))
    # The rule that booked it (consequences.rules.<id>…) speaks for its own article.
    rule_id = line.parameter.split(".")[2] if line.parameter.startswith("consequences.rules.") else ""
    rule = next((r for r in version.rules if rule_id and r.get("id") == rule_id and r.get("text")), None)
    if rule is not None:
        texts[str(rule["reference"])] = str(rule["text"])
    value = None
    if line.parameter.startswith("consequences.unit_points."):
        try:
            value = version.value(line.parameter)
        except Exception:  # a parameter no longer in the version: the points stand on their own
            value = None
    return [(reference, texts.get(reference, "")) for reference in references], value


def _declared_effects(jurisdiction: Jurisdiction, subjects: set[str], *, points: bool) -> tuple[str, ...]:
    codes: dict[str, None] = {}
    for version in _rulebook_versions(jurisdiction):
        for code, effect in version.effects.items():
            if effect["subject"] in subjects and (effect["carries"] == "points") == points:
                codes[code] = None
    return tuple(codes)


def unit_flag_effects(jurisdiction: Jurisdiction) -> tuple[str, ...]:
    """The unit's consequences other than points, as the jurisdiction's rulebook versions declare them (驻马店's:
    评先资格, 公开曝光, 整改, 文明单位)."""
    return _declared_effects(jurisdiction, {"unit"}, points=False)


def person_own_effects(jurisdiction: Jurisdiction) -> tuple[str, ...]:
    """The consequences that fall on a person, as the jurisdiction's rulebook versions declare them (驻马店's:
    平时考核奖, 优秀等次, a supervisor's 约谈 and 书面说明)."""
    return _declared_effects(jurisdiction, {"person", "supervisor"}, points=False)


@dataclass
class UnitScore:
    """A unit's month (月排名积分) or year (年度综合目标考核): its row of the ranking (None when the unit is
    not ranked), how many units are ranked, and every deduction behind it — in force, and reversed."""

    unit: Unit
    period: str  # YYYY-MM or YYYY
    row: RankingRow | AssessmentRow | None
    of: int
    deductions: list[ConsequenceLine]
    reversed: list[ConsequenceLine]
    other: list[ConsequenceLine] = field(default_factory=list)  # the year's other unit consequences
    months: list[tuple[str, int]] = field(default_factory=list)  # the year's months: (YYYY-MM, net points)

    @property
    def deducted(self) -> int:
        return sum(line.points for line in self.deductions)


def unit_month_score(unit: Unit, month: str, as_of: dt.datetime | None = None) -> UnitScore:
    """Why the unit has its 月排名积分 for ``month``: its place and every deduction booked for the month."""
    if as_of is None:  # the unit's row only (place_of), not the whole ranking
        mine, of = place_of(unit, monthly_ranking_units(unit.jurisdiction, month))
        row = monthly_ranking_rows(unit.jurisdiction, month, [mine])[0] if mine is not None else None
    else:
        ranking = monthly_ranking(unit.jurisdiction, month, as_of)
        row, of = next((row for row in ranking if row.unit.pk == unit.pk), None), len(ranking)
    lines = consequence_lines(unit.jurisdiction, effects=(rules.UNIT_MONTHLY,), period=month, unit=unit, as_of=as_of)
    return UnitScore(
        unit=unit,
        period=month,
        row=row,
        of=of,
        deductions=[line for line in lines if line.in_force],
        reversed=[line for line in lines if not line.in_force],
    )


def unit_year_score(unit: Unit, year: int, as_of: dt.datetime | None = None) -> UnitScore:
    """Why the unit has its 年度综合目标考核 score for ``year``: its place, every annual deduction, the year's
    other consequences (评先资格, 公开曝光, 整改, 文明单位) and its monthly deductions month by month."""
    jurisdiction = unit.jurisdiction
    if as_of is None:  # the unit's row only (place_of), its flags read for it alone
        mine, of = place_of(unit, annual_assessment_units(jurisdiction, year))
        row = annual_assessment_rows(jurisdiction, year, [mine])[0] if mine is not None else None
    else:
        assessment = annual_assessment(jurisdiction, year, as_of)
        row, of = next((row for row in assessment if row.unit.pk == unit.pk), None), len(assessment)
    lines = consequence_lines(jurisdiction, effects=(rules.UNIT_ANNUAL,), period=str(year), unit=unit, as_of=as_of)
    flags = unit_flag_effects(jurisdiction)
    other = consequence_lines(jurisdiction, effects=flags, decision_year=year, unit=unit, as_of=as_of)
    monthly = (
        ledger(jurisdiction, as_of)
        .filter(effect=rules.UNIT_MONTHLY, who_kind=ConsequenceEntry.WhoKind.UNIT, unit=unit)
        .filter(period__startswith=f"{year}-")
        .values("period")
        .annotate(net=Sum("value"))
        .order_by("period")
    )
    return UnitScore(
        unit=unit,
        period=str(year),
        row=row,
        of=of,
        deductions=[line for line in lines if line.in_force],
        reversed=[line for line in lines if not line.in_force],
        other=[line for line in other if line.in_force],
        months=[(row["period"], row["net"]) for row in monthly],
    )


def person_consequence_lines(person: Person, as_of: dt.datetime | None = None) -> list[ConsequenceLine]:
    """Every consequence the score ledger booked on ``person`` (平时考核奖, 优秀等次, a supervisor's 约谈 or
    书面说明), in force or reversed, newest decision first."""
    own = person_own_effects(person.jurisdiction)
    lines = consequence_lines(person.jurisdiction, effects=own, person=person, as_of=as_of)
    return sorted(lines, key=lambda line: (line.decision.date, line.decision.pk), reverse=True)


@dataclass
class PersonYear:
    """A person's consequences in force in one year, as the HR office applies them."""

    year: int
    bonus_months: list[str] = field(default_factory=list)  # 扣除当月平时考核奖
    excellent_barred: bool = False  # 年度考核不得评定为优秀等次
    interviews: int = 0  # 二级督查被约谈
    written_explanations: int = 0  # 一级督查书面说明


@dataclass
class OwnConsequences:
    person: Person
    lines: list[ConsequenceLine]  # in force and reversed, newest decision first
    years: list[PersonYear]  # newest first
    decisions: list  # accountability.selectors.PartyDecision: the decisions naming the person, with the appeal window
    referrals: list  # Referral rows that concern the person

    @property
    def in_force(self) -> list[ConsequenceLine]:
        return [line for line in self.lines if line.in_force]

    @property
    def reversed(self) -> list[ConsequenceLine]:
        return [line for line in self.lines if not line.in_force]


def person_years(lines: list[ConsequenceLine]) -> list[PersonYear]:
    """The lines in force, year by year (a month's 平时考核奖 counts once, whatever decisions took it)."""
    years: dict[int, PersonYear] = {}
    for line in lines:
        if not line.in_force:
            continue
        year = int(line.period[:4]) if line.period else line.decision.date.year
        entry = years.setdefault(year, PersonYear(year))
        if line.effect == rules.BONUS and line.period not in entry.bonus_months:
            entry.bonus_months.append(line.period)
        elif line.effect == rules.EXCELLENT_BARRED:
            entry.excellent_barred = True
        elif line.effect == rules.SUPERVISOR_INTERVIEW:
            entry.interviews += 1
        elif line.effect == rules.WRITTEN_EXPLANATION:
            entry.written_explanations += 1
    for entry in years.values():
        entry.bonus_months.sort()
    return sorted(years.values(), key=lambda entry: -entry.year)


def own_consequences(person: Person, today: dt.date | None = None) -> OwnConsequences:
    """Everything duban holds on ``person``'s own consequences, for their page: the ledger's lines, the
    years, the decisions that name them (as subject or one of the 第三条 responsibles, or that booked a
    consequence on them) with the appeal deadline, and the referrals concerning them."""
    from duban.accountability.models import DecisionResponsible, Referral
    from duban.accountability.selectors import party_rows

    lines = person_consequence_lines(person)
    # Each way in by its own index (subject, responsible, a booked line), as a union of keys: an OR of the
    # three would walk every decision of the jurisdiction.
    of_jurisdiction = Decision.objects.filter(jurisdiction=person.jurisdiction).order_by()
    ways = [
        of_jurisdiction.filter(person=person).values("pk"),
        of_jurisdiction.filter(pk__in=DecisionResponsible.objects.filter(person=person).values("decision_id")).values(
            "pk"
        ),
        of_jurisdiction.filter(pk__in=sorted({line.decision.pk for line in lines})).values("pk"),
    ]
    decisions = (
        Decision.objects.filter(pk__in=ways[0].union(*ways[1:]))
        .select_related("unit", "matter", "person", "jurisdiction")
        .defer(*DECISION_TEXT_UNSHOWN)
        .order_by("-date", "-id")
    )
    referrals = (
        Referral.objects.filter(person=person).select_related("decision__unit", "decision__matter").order_by("-sent_on")
    )
    return OwnConsequences(
        person=person,
        lines=lines,
        years=person_years(lines),
        decisions=party_rows(decisions, today),
        referrals=list(referrals),
    )


def person_has_own_consequences(person: Person) -> bool:
    """Whether duban holds anything on ``person``'s own page (我的结果): a row of the score ledger, a decision
    naming them as its subject or a responsible, or a referral concerning them (one query)."""
    named = (
        Q(consequence_entries__isnull=False)
        | Q(decisions_as_subject__isnull=False)
        | Q(responsibilities__isnull=False)
        | Q(referrals__isnull=False)
    )
    return Person.objects.filter(named, pk=person.pk).exists()
