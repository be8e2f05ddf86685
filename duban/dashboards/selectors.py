"""The figures behind the charts, read by the database: each function is a fixed number of queries
whatever the number of tasks, units or decisions (tests/dashboards/test_dashboard_selectors.py counts
them), and returns plain rows the charts (duban.dashboards.charts) and the Excel export both show.

The ledger's traffic light (亮灯) is issue 11's: until it lands, a task's light is its standing
(duban.ledger.selectors.with_standing): 已逾期 = 红灯, 即将到期 = 黄灯, 办理中 = 绿灯, and 已办结 / 无时限.
The 第六条 groups and the 第五条 methods are the rulebook's (duban/rules, the version in force on each
decision's date), never a list of this module's.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from duban.accountability.models import Appeal, Decision
from duban.accountability.rulebooks import rulebooks_for
from duban.accountability.selectors import JsonListHasAny
from duban.accounts.models import Jurisdiction, Unit
from duban.ledger.models import ProgressReport, ReportingCycle, Target, TargetReading, Task, TaskUnit
from duban.ledger.selectors import (
    STANDING_LABELS,
    leading_assignments,
    period_end,
    period_of,
    target_status,
    with_standing,
)
from duban.scoring.selectors import monthly_ranking

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


def _leading() -> QuerySet[TaskUnit]:
    """Every assignment whose unit leads its task (ledger.selectors.leading_assignments): usable as ``pk__in``."""
    return leading_assignments()


# --- the ledger: lights, by unit, rates, overdue by month --------------------------------------------


def standing_counts(tasks: QuerySet[Task], as_of: dt.date) -> dict[str, int]:
    """How many of ``tasks`` stand at each light on ``as_of``: one query."""
    counted = (
        with_standing(tasks, as_of)
        .order_by()
        .aggregate(**{code: Count("pk", filter=Q(ledger_standing=code)) for code in STANDINGS})
    )
    return {code: counted[code] or 0 for code in STANDINGS}


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


def _done_on(as_of: dt.date):
    """The day a task came to be 办结 (with_standing's rule as a date): the office's 办结 date (its 验收),
    when it falls on or before ``as_of``."""
    return Case(When(done_on__lte=as_of, then=F("done_on")), default=Value(None), output_field=DateField())


def tasks_by_unit(jurisdiction: Jurisdiction, as_of: dt.date, tasks: QuerySet[Task] | None = None) -> list[UnitTasks]:
    """Each unit that leads a task: its tasks by light, done, due and done on time on ``as_of``; the
    units with the most red lights first. Two queries (the counts, the units)."""
    tasks = confirmed_tasks(jurisdiction) if tasks is None else tasks
    annotated = with_standing(tasks, as_of).annotate(finished_on=_done_on(as_of))
    is_done = Q(ledger_standing="done")
    due = Q(ledger_deadline__lte=as_of) | (is_done & Q(ledger_deadline__isnull=False))
    on_time = is_done & Q(ledger_deadline__isnull=False) & Q(finished_on__lte=F("ledger_deadline"))
    rows = (
        annotated.filter(assignments__in=_leading())
        .order_by()
        .values("assignments__unit")
        .annotate(
            total=Count("pk"),
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=on_time),
            **{code: Count("pk", filter=Q(ledger_standing=code)) for code in STANDINGS},
        )
    )
    rows = {row["assignments__unit"]: row for row in rows}
    units = Unit.objects.in_bulk(rows)
    result = [
        UnitTasks(
            unit=units[pk],
            counts={code: row[code] for code in STANDINGS},
            total=row["total"],
            done=row["done"],
            due=row["due"],
            on_time=row["on_time"],
        )
        for pk, row in rows.items()
    ]
    return sorted(result, key=lambda r: (-r.counts["overdue"], -r.total, r.unit.name))


@dataclass
class OverdueHeat:
    months: list[str]
    units: list[Unit]
    counts: dict[tuple[int, str], int]  # (unit pk, month) → tasks it led that were overdue at the month's end

    def row(self, unit: Unit) -> list[int]:
        return [self.counts.get((unit.pk, month), 0) for month in self.months]


def overdue_by_unit_month(jurisdiction: Jurisdiction, months: list[str], as_of: dt.date) -> OverdueHeat:
    """逾期: for each month, the tasks each unit led that stood overdue at its end (on ``as_of`` for the
    running month): a task with a deadline before that day, not 办结 by then (the office's 办结 date, or the
    day its last lead unit first reported 100%). One query reads each (lead unit, task) with its earliest
    deadline and the day it was done, as of ``as_of``; the months are counted from those rows (asking the
    database a count per month would have it work out each task's standing twelve times). One more query
    for the units."""
    days = [min(month_end(month), as_of) for month in months]
    rows = (
        with_standing(confirmed_tasks(jurisdiction), as_of)
        .annotate(finished_on=_done_on(as_of))
        .filter(assignments__in=_leading(), ledger_deadline__isnull=False)
        .values_list("assignments__unit", "ledger_deadline", "finished_on")
    )
    counts: dict[tuple[int, str], int] = {}
    for unit_id, deadline, finished_on in rows:
        for month, day in zip(months, days, strict=True):
            if deadline < day and (finished_on is None or finished_on > day):
                counts[(unit_id, month)] = counts.get((unit_id, month), 0) + 1
    unit_ids = {pk for pk, _ in counts}
    units = sorted(Unit.objects.filter(pk__in=unit_ids), key=lambda u: (-sum_of(counts, u.pk), u.name))
    return OverdueHeat(months=months, units=units, counts=counts)


def sum_of(counts: dict[tuple[int, str], int], unit_pk: int) -> int:
    return sum(n for (pk, _), n in counts.items() if pk == unit_pk)


# --- the ranking over months -----------------------------------------------------------------------


@dataclass
class RankTrend:
    months: list[str]
    ranks: dict[int, list[int | None]]  # unit pk → its rank each month (None: not ranked that month)
    scores: dict[int, list[int | None]]
    units: list[Unit]  # the units that lost points in one of the months, best average rank first
    others: int = 0  # units ranked every month that lost no point (they share the first place)


def rank_trend(jurisdiction: Jurisdiction, months: list[str]) -> RankTrend:
    """Each unit's place in the monthly ranking (duban.scoring.selectors.monthly_ranking, the ranking's
    own rule) month by month: two queries a month, at most twelve months."""
    ranks: dict[int, list[int | None]] = {}
    scores: dict[int, list[int | None]] = {}
    lost: set[int] = set()
    units: dict[int, Unit] = {}
    for index, month in enumerate(months):
        for row in monthly_ranking(jurisdiction, month):
            units[row.unit.pk] = row.unit
            ranks.setdefault(row.unit.pk, [None] * len(months))[index] = row.rank
            scores.setdefault(row.unit.pk, [None] * len(months))[index] = row.score
            if row.deducted:
                lost.add(row.unit.pk)
    shown = sorted(
        (units[pk] for pk in lost),
        key=lambda u: (sum(r or 0 for r in ranks[u.pk]) / max(1, len(months)), u.name),
    )
    return RankTrend(months=months, ranks=ranks, scores=scores, units=shown, others=len(units) - len(shown))


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
        Target.objects.filter(task__in=confirmed_tasks(jurisdiction))
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


def decisions_of_year(jurisdiction: Jurisdiction, year: int) -> QuerySet[Decision]:
    """The 问责决定 dated in ``year``, whatever became of them (the appeals chart says which were revoked)."""
    return Decision.objects.filter(jurisdiction=jurisdiction, date__year=year)


def decisions_by_group(jurisdiction: Jurisdiction, year: int) -> list[Counted]:
    """Decisions by 第六条 group (不作为 / 慢作为 / 乱作为 / 其他 in the city's rulebook): each decision's
    situation read in the rulebook version in force on its date. One query."""
    versions = _versions(jurisdiction)
    whens = []
    order: list[tuple[str, str]] = []
    for version in reversed(versions):  # the newest version's groups first, in its order
        groups = {group["number"]: group for group in version.data.get("groups", [])}
        for group in groups.values():
            if group["name"] not in [name for name, _ in order]:
                order.append((group["name"], str(group.get("reference", ""))))
        by_group: dict[str, list[int]] = {}
        for situation in version.situations:
            group = groups.get(situation.get("group"))
            if group is not None:
                by_group.setdefault(group["name"], []).append(situation["number"])
        for name, numbers in by_group.items():
            whens.append(When(_in_force(version) & Q(situation_number__in=numbers), then=Value(name)))
    unmatched = "未对应第六条情形"
    grouped = (
        decisions_of_year(jurisdiction, year)
        .annotate(group=Case(*whens, default=Value(unmatched), output_field=CharField()))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
    )
    counts = {row["group"]: row["n"] for row in grouped}
    result = [Counted(name, counts.get(name, 0), reference) for name, reference in order]
    if counts.get(unmatched):
        result.append(Counted(unmatched, counts[unmatched]))
    return result


def decisions_by_method(jurisdiction: Jurisdiction, year: int) -> list[Counted]:
    """Decisions applying each 第五条 method (methods may be combined: a decision counts under each of
    its methods), in the rulebook's order. One query."""
    versions = _versions(jurisdiction)
    methods: dict[str, str] = {}
    for version in reversed(versions):
        for method in version.methods:
            methods.setdefault(str(method["name"]), str(method.get("reference", "")))
    if not methods:
        return []
    counted = (
        decisions_of_year(jurisdiction, year)
        .order_by()
        .aggregate(
            **{f"m{index}": Count("pk", filter=_any_version(versions, name)) for index, name in enumerate(methods)}
        )
    )
    return [Counted(name, counted[f"m{index}"] or 0, methods[name]) for index, name in enumerate(methods)]


def _any_version(versions, name: str) -> Q:
    """Decisions dated in a version that names the method ``name``, and applying it."""
    condition = Q(pk__in=[])
    for version in versions:
        if name in {str(m["name"]) for m in version.methods}:
            condition |= _in_force(version) & Q(JsonListHasAny("methods", [name]))
    return condition


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
    unit: Unit
    counts: dict[str, int] = field(default_factory=dict)  # standing → tasks the unit is named on
    tasks: list[Task] = field(default_factory=list)  # annotated with ledger_standing, ledger_deadline
    due_reports: list[DueReport] = field(default_factory=list)


def unit_tasks(unit: Unit, as_of: dt.date) -> QuerySet[Task]:
    """The confirmed tasks ``unit`` is named on (any role), with their standing on ``as_of``."""
    named = TaskUnit.objects.filter(task=OuterRef("pk"), unit=unit)
    return with_standing(confirmed_tasks(unit.jurisdiction).filter(Exists(named)), as_of)


def unit_overview(unit: Unit, as_of: dt.date) -> UnitOverview:
    """The unit's tasks, their lights and the reports due from it in the running period of each task's
    cycle (not yet reported, task not done): three queries."""
    tasks = unit_tasks(unit, as_of)
    counts = standing_counts(confirmed_tasks(unit.jurisdiction).filter(pk__in=tasks.values("pk")), as_of)
    periods = {cycle: period_of(cycle, as_of) for cycle in ReportingCycle.values}
    current = Case(
        *[When(reporting_cycle=cycle, then=Value(period)) for cycle, period in periods.items()],
        output_field=CharField(),
    )
    reported = ProgressReport.objects.filter(task=OuterRef("pk"), unit=unit, period=OuterRef("current_period"))
    listed = list(
        tasks.annotate(current_period=current, reported=Exists(reported)).order_by(
            F("ledger_deadline").asc(nulls_last=True), "pk"
        )
    )
    order = {code: index for index, code in enumerate(STANDINGS)}
    for task in listed:
        task.light_label = LIGHT_LABELS[task.ledger_standing]
    listed.sort(key=lambda t: (order[t.ledger_standing], t.ledger_deadline or dt.date.max, t.pk))
    due = [
        DueReport(task, task.current_period, period_end(task.reporting_cycle, as_of))
        for task in listed
        if not task.reported and task.ledger_standing != "done"
    ]
    return UnitOverview(unit=unit, counts=counts, tasks=listed, due_reports=due)


def unit_rank_trend(unit: Unit, months: list[str]) -> list[tuple[str, int | None, int | None, int]]:
    """The unit's rank and score in each month's ranking, and how many units it was ranked among."""
    result = []
    for month in months:
        rows = monthly_ranking(unit.jurisdiction, month)
        mine = next((row for row in rows if row.unit.pk == unit.pk), None)
        result.append((month, mine.rank if mine else None, mine.score if mine else None, len(rows)))
    return result
