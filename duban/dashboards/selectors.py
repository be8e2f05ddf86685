"""The figures behind the charts, read by the database: each function is a fixed number of queries
whatever the number of tasks, units or decisions (tests/dashboards/test_dashboard_selectors.py counts
them), and returns plain rows the charts (duban.dashboards.charts) and the Excel export both show.

The ledger's traffic light (亮灯) is issue 11's: until it lands, a task's light is its standing
(duban.ledger.selectors.with_standing): 已逾期 = 红灯, 即将到期 = 黄灯, 办理中 = 绿灯, and 已办结 / 无时限.
The 第六条 groups and the 第五条 methods are the rulebook's (duban/rules, the version in force on each
decision's date), never a list of this module's.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from duban.accountability.models import Appeal, Decision, DecisionMonthTally
from duban.accountability.rulebooks import rulebooks_for
from duban.accountability.tallies import methods_of_key
from duban.accounts.models import Jurisdiction, Unit
from duban.accounts.selectors import units_ranked
from duban.ledger import tallies as standing_tallies
from duban.ledger.models import ProgressReport, ReportingCycle, Target, TargetReading, Task, TaskUnit
from duban.ledger.selectors import (
    STANDING_LABELS,
    period_end,
    period_of,
    standing_conditions,
    target_status,
    with_standing,
)
from duban.reports.figures import leads_here
from duban.rules import model as rules
from duban.scoring.models import ConsequenceEntry, ConsequenceTally
from duban.scoring.selectors import base_points

# The order the charts list the standings in, and each one's light (issue 11 will bring its own model).
STANDINGS = ("overdue", "due_soon", "open", "no_deadline", "done")
LIGHT_LABELS = {
    "overdue": "红灯（已逾期）",
    "due_soon": "黄灯（即将到期）",
    "open": "绿灯（办理中）",
    "no_deadline": "无时限",
    "done": STANDING_LABELS["done"],
}
LIGHT_SHORT = {
    "overdue": "红灯",
    "due_soon": "黄灯",
    "open": "绿灯",
    "no_deadline": "无时限",
    "done": STANDING_LABELS["done"],
}


def months_of(year: int, as_of: dt.date) -> list[str]:
    """The months of ``year`` up to ``as_of`` (all twelve for a past year): "2020-01" …"""
    last = 12 if as_of.year > year else (as_of.month if as_of.year == year else 0)
    return [f"{year}-{month:02d}" for month in range(1, last + 1)]


def month_end(month: str) -> dt.date:
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def confirmed_tasks(jurisdiction: Jurisdiction) -> QuerySet[Task]:
    return Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED)


# --- the ledger: lights, by unit, rates, overdue by month --------------------------------------------


def standing_counts(tasks: QuerySet[Task], as_of: dt.date) -> dict[str, int]:
    """How many of ``tasks`` stand at each light on ``as_of``: one query, grouped by the standing (each
    task's standing worked out once, not once per light)."""
    counts = dict.fromkeys(STANDINGS, 0)
    rows = with_standing(tasks, as_of).order_by().values("ledger_standing").annotate(n=Count("pk"))
    for row in rows:
        counts[row["ledger_standing"]] += row["n"]
    return counts


def standing_on(jurisdiction: Jurisdiction, as_of: dt.date) -> dict[str, int]:
    """How many of the ledger's tasks stand at each light on ``as_of``: what the writes keep counted by day
    (duban.ledger.tallies.standing_on: one query whatever the number of tasks), the tasks 在账 by that day —
    standing_counts of them (tests/dashboards/test_dashboard_figures.py holds the two equal)."""
    found = standing_tallies.standing_on(jurisdiction_id=jurisdiction.pk, day=as_of)
    return {code: found[code] for code in STANDINGS}


@dataclass
class UnitTasks:
    unit: Unit
    counts: dict[str, int]  # standing → tasks the unit leads
    total: int = 0
    done: int = 0
    due: int = 0  # 应完成: tasks with a deadline on or before as_of, or already done before their deadline
    on_time: int = 0  # 按期办结: done on or before the (earliest) deadline

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.done, self.total)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.due)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# What a chart of units reads of each unit (its name as tables list it, and its page's link): not its aliases.
UNIT_FIELDS = ("pk", "jurisdiction_id", "name", "short_name")


def tasks_by_unit(jurisdiction: Jurisdiction, as_of: dt.date, tasks: QuerySet[Task] | None = None) -> list[UnitTasks]:
    """Each unit that leads a task: its tasks by light, done, due and done on time on ``as_of``; the
    units with the most red lights first (units_figures: two queries)."""
    return units_figures(jurisdiction, [], as_of, tasks).rows


@dataclass
class OverdueHeat:
    months: list[str]
    units: list[Unit]  # the units with an overdue task in one of the months, the most first (the first ``limit``)
    counts: dict[tuple[int, str], int]  # (unit pk, month) → tasks it led that were overdue at the month's end
    total_units: int = 0  # how many units had any (``units`` may list only the first of them)

    def row(self, unit: Unit) -> list[int]:
        return [self.counts.get((unit.pk, month), 0) for month in self.months]


def overdue_by_unit_month(jurisdiction: Jurisdiction, months: list[str], as_of: dt.date) -> OverdueHeat:
    """逾期: for each month, the tasks each unit led that stood overdue at its end (on ``as_of`` for the
    running month): units_figures (two queries)."""
    return units_figures(jurisdiction, months, as_of).heat


@dataclass
class UnitsFigures:
    rows: list[UnitTasks]  # the units that lead a task, the most red lights first (the first ``limit``)
    total_units: int  # how many units lead a task
    heat: OverdueHeat


def units_figures(
    jurisdiction: Jurisdiction,
    months: list[str],
    as_of: dt.date,
    tasks: QuerySet[Task] | None = None,
    *,
    limit: int | None = None,
) -> UnitsFigures:
    """The charts of units from one reading of the lead assignments, grouped by unit and standing (at most five
    rows a unit, whatever the number of tasks), and one of the units shown:

    - each unit that leads a task, with its tasks by standing on ``as_of``, how many were due (a deadline on or
      before ``as_of``, or done with a deadline) and done on time (its 办结 date on or before its earliest
      deadline); the most red lights first, then the most tasks, then by name;
    - 逾期 by month: the tasks each unit led that stood overdue at each month's end (``as_of`` for the running
      month): a deadline before that day, not 办结 by then, summed by the database a column a month (plain
      comparisons of the task's stored earliest deadline and 办结 date); only the units with any, the most first.

    ``limit``: how many units of each list are loaded and returned (the page draws 30; None: all, the Excel)."""
    tasks = confirmed_tasks(jurisdiction) if tasks is None else tasks
    conditions = standing_conditions(as_of)
    has_deadline = Q(earliest_deadline__isnull=False)
    due = Q(earliest_deadline__lte=as_of) | (conditions["done"] & has_deadline)
    on_time = conditions["done"] & has_deadline & Q(done_on__lte=F("earliest_deadline"))
    days = [min(month_end(month), as_of) for month in months]
    # overdue at each month's end: the standing's own condition on that day
    overdue_on = {f"overdue_{i}": Sum(_flag(standing_conditions(day)["overdue"])) for i, day in enumerate(days)}
    by_standing = {f"n_{code}": Sum(_flag(conditions[code])) for code in STANDINGS}
    rows = (
        tasks.order_by()
        .filter(leads_here())
        .values_list("assignments__unit")
        .annotate(**by_standing, n_due=Sum(_flag(due)), n_on_time=Sum(_flag(on_time)), **overdue_on)
    )
    standings: dict[int, dict[str, int]] = {}
    figures: dict[int, list[int]] = {}  # unit → [due, on time]
    counts: dict[tuple[int, str], int] = {}
    totals: dict[int, int] = {}
    for unit_id, *numbers in rows:
        standings[unit_id] = dict(zip(STANDINGS, numbers, strict=False))
        figures[unit_id] = numbers[len(STANDINGS) : len(STANDINGS) + 2]
        for month, m in zip(months, numbers[len(STANDINGS) + 2 :], strict=True):
            if m:
                counts[(unit_id, month)] = m
                totals[unit_id] = totals.get(unit_id, 0) + m
    names = dict(Unit.objects.filter(pk__in=list(standings)).values_list("pk", "name"))
    leading = sorted(
        standings, key=lambda pk: (-standings[pk]["overdue"], -sum(standings[pk].values()), names.get(pk, ""))
    )[:limit]
    hottest = sorted(totals, key=lambda pk: (-totals[pk], names.get(pk, "")))[:limit]
    units = Unit.objects.only(*UNIT_FIELDS).in_bulk({*leading, *hottest})
    by_unit = [
        UnitTasks(
            unit=units[pk],
            counts=standings[pk],
            total=sum(standings[pk].values()),
            done=standings[pk]["done"],
            due=figures[pk][0],
            on_time=figures[pk][1],
        )
        for pk in leading
    ]
    heat = OverdueHeat(months=months, units=[units[pk] for pk in hottest], counts=counts, total_units=len(totals))
    return UnitsFigures(rows=by_unit, total_units=len(standings), heat=heat)


# --- the ranking over months -----------------------------------------------------------------------


@dataclass
class RankTrend:
    months: list[str]
    ranks: dict[int, list[int]]  # unit pk → its place each month (the units that lost points)
    scores: dict[int, list[int]]
    units: list[Unit]  # the units that lost points in one of the months, best average place first (the first ``limit``)
    others: int = 0  # units ranked that lost no point in any of the months (they share the first place)
    lost: int = 0  # how many units lost points (``units`` may list only the first of them)


@dataclass(frozen=True)
class MonthRanks:
    """The places and scores of each month's ranking (scoring.selectors.monthly_ranking's rule: base − the net
    monthly deductions booked for the month; ties share a place, 1, 1, 3), of the ranked units with a balance
    in one of the months; every other ranked unit scores the base each month, at the place ``unbooked`` gives."""

    months: list[str]
    ranked: int  # how many units the rankings list (accounts.selectors.units_ranked)
    ranks: dict[int, list[int]]  # unit pk → its place each month
    scores: dict[int, list[int]]
    deducted: dict[int, list[int]]
    unbooked: list[int]  # each month, the place of a unit with nothing booked for it
    bases: list[int]  # each month's base, the score of a unit with nothing booked for it


def month_ranks(jurisdiction: Jurisdiction, months: list[str]) -> MonthRanks:
    """The monthly rankings of ``months`` in two queries whatever their number of months and units: how many
    units are ranked, and the net monthly deductions grouped by unit and month from the balances of the ranked
    units (scoring.models.ConsequenceTally, by its index). A unit's place is one more than the number of units
    scoring higher: those with balances, and the others at the base when it is higher.
    tests/dashboards/test_month_ranks.py holds it equal to monthly_ranking month by month."""
    ranked = units_ranked(jurisdiction=jurisdiction).order_by()
    count = ranked.count()
    net: dict[int, dict[str, int]] = {}
    if months:
        rows = (
            ConsequenceTally.objects.filter(
                jurisdiction=jurisdiction,
                who_kind=ConsequenceEntry.WhoKind.UNIT,
                effect=rules.UNIT_MONTHLY,
                period__in=months,
                unit__in=ranked.values("pk"),
            )
            .order_by()
            .values_list("unit_id", "period")
            .annotate(net=Sum("net"))
        )
        for unit_id, period, n in rows:
            net.setdefault(unit_id, {})[period] = n
    ranks: dict[int, list[int]] = {pk: [] for pk in net}
    scores: dict[int, list[int]] = {pk: [] for pk in net}
    deducted: dict[int, list[int]] = {pk: [] for pk in net}
    unbooked, bases = [], []
    for month in months:
        base = base_points(jurisdiction, month_end(month), "scoring.monthly_base_points")
        month_scores = {pk: base - booked.get(month, 0) for pk, booked in net.items()}
        ascending = sorted(month_scores.values())
        at_base = count - len(ascending)  # the ranked units with no balance at all: each at the base

        def place(score: int, ascending=ascending, at_base=at_base, base=base) -> int:
            higher = len(ascending) - bisect.bisect_right(ascending, score) + (at_base if base > score else 0)
            return higher + 1

        for pk, score in month_scores.items():
            ranks[pk].append(place(score))
            scores[pk].append(score)
            deducted[pk].append(base - score)
        unbooked.append(place(base))
        bases.append(base)
    return MonthRanks(
        months=months, ranked=count, ranks=ranks, scores=scores, deducted=deducted, unbooked=unbooked, bases=bases
    )


def rank_trend(jurisdiction: Jurisdiction, months: list[str], *, limit: int | None = None) -> RankTrend:
    """Each unit's place in the monthly ranking month by month, of the units that lost points in one of them
    (month_ranks: two queries, however many months and units; their names, and the first ``limit`` of them as
    units: two more)."""
    ranked = month_ranks(jurisdiction, months)
    lost = [pk for pk, points in ranked.deducted.items() if any(points)]
    names = dict(Unit.objects.filter(pk__in=lost).values_list("pk", "name"))
    shown = sorted(lost, key=lambda pk: (sum(ranked.ranks[pk]) / max(1, len(months)), names[pk]))[:limit]
    units = Unit.objects.only(*UNIT_FIELDS).in_bulk(shown)
    return RankTrend(
        months=months,
        ranks={pk: ranked.ranks[pk] for pk in lost},
        scores={pk: ranked.scores[pk] for pk in lost},
        units=[units[pk] for pk in shown],
        others=ranked.ranked - len(lost),
        lost=len(lost),
    )


# --- targets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    target: Target
    status_label: str
    status_code: str
    first: Decimal | None
    latest: Decimal | None
    expected: Decimal | None  # where the straight line from the first reading to the target stands
    progress: float | None  # the share of the way from the first reading to the target covered (%)
    trajectory: float | None  # the share of the time from the first reading to the year's end elapsed (%)


def target_rows(jurisdiction: Jurisdiction, as_of: dt.date) -> list[TargetRow]:
    """The quantitative targets of the ledger's tasks (the seed's 2022 and 2030 indicators) against their
    trajectory, by ledger.selectors.target_status: two queries (targets, their readings)."""
    targets = (
        Target.objects.filter(task__jurisdiction=jurisdiction, task__status=Task.Status.CONFIRMED)
        .select_related("task")
        .prefetch_related(Prefetch("readings", queryset=TargetReading.objects.select_related("report")))
        .order_by("year", "indicator", "pk")
    )
    rows = []
    for target in targets:
        status = target_status(target, as_of)
        readings = sorted(target.readings.all(), key=lambda r: (r.report.reported_on, r.pk))
        first = readings[0] if readings else None
        progress = trajectory = None
        if first is not None and status.latest is not None:
            span = target.value - first.value
            if span:
                progress = round(float(100 * (status.latest.value - first.value) / span), 1)
            end = dt.date(target.year, 12, 31)
            days = (end - first.report.reported_on).days
            if days > 0:
                elapsed = min(max((as_of - first.report.reported_on).days, 0), days)
                trajectory = round(100 * elapsed / days, 1)
        rows.append(
            TargetRow(
                target=target,
                status_label=status.label,
                status_code=status.code,
                first=first.value if first else None,
                latest=status.latest.value if status.latest else None,
                expected=status.expected,
                progress=progress,
                trajectory=trajectory,
            )
        )
    return rows


# --- accountability: 第六条 groups, 第五条 methods, appeals ------------------------------------------


@dataclass
class Counted:
    label: str
    count: int
    reference: str = ""


def _versions(jurisdiction: Jurisdiction) -> tuple:
    try:
        return rulebooks_for(jurisdiction).versions
    except ValidationError:
        return ()


def _in_force(version) -> Q:
    condition = Q(date__gte=version.effective_from)
    if version.effective_until is not None:
        condition &= Q(date__lte=version.effective_until)
    return condition


@dataclass(frozen=True)
class DecisionTally:
    """The year's decisions grouped by the rulebook version in force on their date (an index into
    ``versions``; None: in none), their 第六条 situation and their 第五条 methods, with how many they are."""

    versions: tuple
    rows: list[tuple[int | None, int, tuple[str, ...], int]]


def decisions_tally(jurisdiction: Jurisdiction, year: int) -> DecisionTally:
    """At most two queries, grouped: a few dozen rows (versions × situations × the combinations of methods decided)
    however many decisions. The months wholly within one rulebook version (or in none) are read from
    DecisionMonthTally (kept by every decision write, duban.accountability.tallies); a month a version begins
    or ends within, from its decisions, each by the version in force on its date. The charts by group and by
    method count from it."""
    versions = _versions(jurisdiction)
    whole: dict[dt.date, int | None] = {}  # month → the version in force all of it (None: none is in force in it)
    split: list[dt.date] = []
    for number in range(1, 13):
        first = dt.date(year, number, 1)
        last = dt.date(year, number, calendar.monthrange(year, number)[1])
        touching = [i for i, v in enumerate(versions) if _overlaps(v, first, last)]
        covering = [i for i in touching if _covers(versions[i], first, last)]
        if covering:
            whole[first] = covering[0]
        elif touching:
            split.append(first)
        else:
            whole[first] = None
    counted: dict[tuple[int | None, int, tuple[str, ...]], int] = {}
    by_version: dict[int | None, list[dt.date]] = {}
    for month, version in whole.items():
        by_version.setdefault(version, []).append(month)
    month_version = Case(
        *[When(month__in=months, then=Value(version)) for version, months in by_version.items() if version is not None],
        default=Value(None),
        output_field=IntegerField(),
    )
    stored = (
        DecisionMonthTally.objects.filter(jurisdiction=jurisdiction, month__in=list(whole))
        .order_by()
        .annotate(version=month_version)
        .values_list("version", "situation_number", "methods_key")
        .annotate(total=Sum("n"))
    )
    methods_of = functools.cache(methods_of_key)  # a few combinations, each read once
    for version, situation, key, n in stored:
        group = (version, situation, methods_of(key))
        counted[group] = counted.get(group, 0) + n
    if split:
        in_version = Case(
            *[When(_in_force(version), then=Value(index)) for index, version in reversed(list(enumerate(versions)))],
            default=Value(None),
            output_field=IntegerField(),
        )
        spans = Q()
        for first in split:
            spans |= Q(date__gte=first, date__lte=first.replace(day=calendar.monthrange(year, first.month)[1]))
        grouped = (
            Decision.objects.filter(spans, jurisdiction=jurisdiction)
            .order_by()
            .annotate(version=in_version)
            .values("version", "situation_number", "methods")
            .annotate(n=Count("pk"))
        )
        for row in grouped:
            group = (row["version"], row["situation_number"], tuple(str(m) for m in row["methods"] or ()))
            counted[group] = counted.get(group, 0) + row["n"]
    rows = [(version, situation, methods, n) for (version, situation, methods), n in counted.items() if n]
    return DecisionTally(versions=versions, rows=rows)


def _overlaps(version, first: dt.date, last: dt.date) -> bool:
    return version.effective_from <= last and (version.effective_until is None or version.effective_until >= first)


def _covers(version, first: dt.date, last: dt.date) -> bool:
    return version.effective_from <= first and (version.effective_until is None or version.effective_until >= last)


UNMATCHED_GROUP = "未对应第六条情形"


def decisions_by_group(jurisdiction: Jurisdiction, year: int, tally: DecisionTally | None = None) -> list[Counted]:
    """Decisions by 第六条 group (不作为 / 慢作为 / 乱作为 / 其他 in the city's rulebook): each decision's
    situation read in the rulebook version in force on its date (versions do not overlap: the loader
    refuses it). From decisions_tally."""
    tally = tally or decisions_tally(jurisdiction, year)
    versions = tally.versions
    order: list[tuple[str, str]] = []
    group_of: dict[int, dict[int, str]] = {}  # version index → situation number → group name
    for index in reversed(range(len(versions))):  # the newest version's groups first, in its order
        version = versions[index]
        groups = {group["number"]: group for group in version.data.get("groups", [])}
        for group in groups.values():
            if group["name"] not in [name for name, _ in order]:
                order.append((group["name"], str(group.get("reference", ""))))
        for situation in version.situations:
            group = groups.get(situation.get("group"))
            if group is not None:
                group_of.setdefault(index, {})[situation["number"]] = group["name"]
    counts: dict[str, int] = {}
    for version, situation, _methods, n in tally.rows:
        name = group_of.get(version, {}).get(situation, UNMATCHED_GROUP) if version is not None else UNMATCHED_GROUP
        counts[name] = counts.get(name, 0) + n
    result = [Counted(name, counts.get(name, 0), reference) for name, reference in order]
    if counts.get(UNMATCHED_GROUP):
        result.append(Counted(UNMATCHED_GROUP, counts[UNMATCHED_GROUP]))
    return result


def decisions_by_method(jurisdiction: Jurisdiction, year: int, tally: DecisionTally | None = None) -> list[Counted]:
    """Decisions applying each 第五条 method (methods may be combined: a decision counts under each of
    its methods, once), in the rulebook's order, a method counting where the version in force on the
    decision's date names it. From decisions_tally."""
    tally = tally or decisions_tally(jurisdiction, year)
    versions = tally.versions
    methods: dict[str, str] = {}
    for version in reversed(versions):
        for method in version.methods:
            methods.setdefault(str(method["name"]), str(method.get("reference", "")))
    if not methods:
        return []
    named = [{str(m["name"]) for m in version.methods} for version in versions]
    counts = dict.fromkeys(methods, 0)
    for version, _situation, applied, n in tally.rows:
        if version is None:
            continue
        for name in set(applied) & named[version]:
            counts[name] += n
    return [Counted(name, counts[name], reference) for name, reference in methods.items()]


def appeal_outcomes(jurisdiction: Jurisdiction, year: int) -> list[Counted]:
    """申诉复核 filed in ``year`` by outcome (待复核 / 维持 / 变更 / 撤销). One query."""
    rows = (
        Appeal.objects.filter(decision__jurisdiction=jurisdiction, filed_on__year=year)
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    counts = {row["outcome"]: row["n"] for row in rows}
    return [Counted(str(label), counts.get(code, 0)) for code, label in Appeal.Outcome.choices]


# --- a unit's own page --------------------------------------------------------------------------------


@dataclass
class DueReport:
    task: Task
    period: str
    due: dt.date


@dataclass
class UnitOverview:
    """A unit's tasks on ``as_of``: the counts (one query), and the lists as ordered querysets that a page
    shows one page of (``listed``: every task the unit is named on; ``due``: those whose report of the
    running period it has not made, the task not done)."""

    unit: Unit
    as_of: dt.date
    counts: dict[str, int]  # standing → tasks the unit is named on
    due_count: int
    listed: QuerySet[Task]  # annotated with ledger_standing, ledger_deadline, current_period, reported
    due: QuerySet[Task]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @cached_property
    def tasks(self) -> list[Task]:
        """All of ``listed``, each with its ``light_label`` (the Excel and the tests; a page shows one page)."""
        return with_light_labels(self.listed)

    @cached_property
    def due_reports(self) -> list[DueReport]:
        return due_reports_of(self.due, self.as_of)


def unit_tasks(unit: Unit, as_of: dt.date) -> QuerySet[Task]:
    """The confirmed tasks ``unit`` is named on (any role), with their standing on ``as_of``."""
    named = TaskUnit.objects.filter(task=OuterRef("pk"), unit=unit)
    return with_standing(confirmed_tasks(unit.jurisdiction).filter(Exists(named)), as_of)


def with_light_labels(tasks) -> list[Task]:
    listed = list(tasks)
    for task in listed:
        task.light_label = LIGHT_LABELS[task.ledger_standing]
    return listed


def due_reports_of(tasks, as_of: dt.date) -> list[DueReport]:
    """The rows of (a page of) UnitOverview.due."""
    return [DueReport(task, task.current_period, period_end(task.reporting_cycle, as_of)) for task in tasks]


def unit_overview(unit: Unit, as_of: dt.date) -> UnitOverview:
    """The unit's tasks, their lights and the reports due from it in the running period of each task's
    cycle (not yet reported, task not done): one query for the counts (grouped by standing and whether
    reported), the lists ordered in SQL (red first, then by earliest deadline) and fetched a page at a time."""
    periods = {cycle: period_of(cycle, as_of) for cycle in ReportingCycle.values}
    current = Case(
        *[When(reporting_cycle=cycle, then=Value(period)) for cycle, period in periods.items()],
        output_field=CharField(),
    )
    reported = ProgressReport.objects.filter(task=OuterRef("pk"), unit=unit, period=OuterRef("current_period"))
    tasks = unit_tasks(unit, as_of).annotate(current_period=current, reported=Exists(reported))
    counts = dict.fromkeys(STANDINGS, 0)
    due_count = 0
    for row in tasks.order_by().values("ledger_standing", "reported").annotate(n=Count("pk")):
        counts[row["ledger_standing"]] += row["n"]
        if not row["reported"] and row["ledger_standing"] != "done":
            due_count += row["n"]
    light_order = Case(
        *[When(ledger_standing=code, then=Value(index)) for index, code in enumerate(STANDINGS)],
        output_field=IntegerField(),
    )
    listed = tasks.order_by(light_order, F("ledger_deadline").asc(nulls_last=True), "pk")
    due = listed.filter(reported=False).exclude(ledger_standing="done")
    return UnitOverview(unit=unit, as_of=as_of, counts=counts, due_count=due_count, listed=listed, due=due)


def unit_rank_trend(unit: Unit, months: list[str]) -> list[tuple[str, int | None, int | None, int]]:
    """The unit's rank and score in each month's ranking (None: it is not ranked), and how many units it was
    ranked among (month_ranks, and whether the ranking lists the unit: three queries)."""
    ranked = month_ranks(unit.jurisdiction, months)
    listed = units_ranked(jurisdiction=unit.jurisdiction).filter(pk=unit.pk).exists()
    mine_ranks = ranked.ranks.get(unit.pk, ranked.unbooked) if listed else [None] * len(months)
    mine_scores = ranked.scores.get(unit.pk, ranked.bases) if listed else [None] * len(months)
    return [(month, mine_ranks[index], mine_scores[index], ranked.ranked) for index, month in enumerate(months)]
