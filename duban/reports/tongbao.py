"""督查通报: a reporting period's figures from the ledger, the 督办单 and the decisions, each beside its value
in the period before (the same cycle's), and the writers of its Excel and Word files.

The city's cycles (the 2020-04-27 speech: 周通报、月调度、季分析、半年考评、年度考核) are the periods of
duban.reports.periods. A period is read as of its last day, or as of today while it runs:

- 在账任务: the confirmed tasks given by then (a 公文's task from the 公文's 成文日期, a task opened by hand
  from its source's date, else from the day it was confirmed);
- their standing then (duban.ledger.selectors.with_standing: the ledger's own rules, in SQL), shown with the
  light it stands for until the ledger has its own 亮灯 (issue 11): 已逾期 = 红灯, 即将到期 = 黄灯,
  办理中 = 绿灯; 已办结 and 无时限 as they are;
- 办结 in the period: done by its end and not done the day before it began;
- progress reports made in the period (every report dated in it, on whichever task: one dated before its
  task's 在账日期 too), 督办单 issued and answered in it and still unanswered at its end;
- decisions in force dated in the period that apply 通报批评 (the method the rulebook codes criticism) or
  公开曝光 (scoring.selectors.public_exposures_query: directly or by escalation).

Every figure is counted by the database in six queries at most whatever the size of the ledger and however many
periods are read at once (readings_counts), none of them reading a row per task, report or decision: the
standing on each day from the steps each task's dates make (ledger.tallies.StandingChange), the reports of a
period from its count (reports.tallies.ReportTally), the decisions in force by day and methods
(accountability.tallies.DecisionDayTally), each kept by the writes in their transaction; the 督办单 (a few)
grouped by the periods they count in (duban.reports.figures). So the five cycles of the overview and a page of
twelve past periods each cost the same few queries, whatever the ledger's size
(tests/reports/test_tongbao_figures.py and test_tongbao_pages.py hold the counts equal at two sizes of the
ledger). The lists (overdue tasks,
units, 督办单, decisions) are one query each; a page shows their first rows (``limit``), the Word and Excel
files all of them. Standing uses the deadlines as they stand now (a moved deadline counts at its new date
for a past period too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from duban import clock
from duban.accountability.models import Decision, DecisionDayTally
from duban.accountability.rulebooks import rulebooks_for
from duban.accountability.selectors import JsonListHasAny
from duban.accountability.tallies import methods_of_key
from duban.accounts.models import Jurisdiction
from duban.ledger.models import ProgressReport, StandingChange, SupervisionOrder, Task
from duban.ledger.selectors import STANDING_LABELS, task_lead_unit_ids, with_standing
from duban.reports.exports import ExportError, ExportRequest
from duban.reports.figures import first_day, leads_here, sorted_days
from duban.reports.models import ReportTally
from duban.reports.periods import Period, parse_period, period_containing
from duban.rules import model as rules
from duban.scoring.models import ExposureDayTally
from duban.scoring.selectors import ledger as score_ledger

# The rulebook's code of 通报批评 (第五条第（二）项 in the city's methods.yaml).
METHOD_CRITICISM = "criticism"
IN_FORCE = (Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL)

# The standing codes in the order a 通报 lists them, with the light each stands for until the ledger has
# its own 亮灯 (issue 11): overdue = 红灯, due_soon = 黄灯, open = 绿灯.
STANDING_ORDER = ("overdue", "due_soon", "open", "no_deadline", "done")
LIGHT_LABELS = {
    "overdue": f"红灯（{STANDING_LABELS['overdue']}）",
    "due_soon": f"黄灯（{STANDING_LABELS['due_soon']}）",
    "open": f"绿灯（{STANDING_LABELS['open']}）",
    "no_deadline": STANDING_LABELS["no_deadline"],
    "done": STANDING_LABELS["done"],
}

# The figures of a period, in the order the 通报 and the workbook give them: key → (label, measure word).
FIGURES: dict[str, tuple[str, str]] = {
    "tasks": ("在账任务", "项"),
    **{f"standing_{code}": (LIGHT_LABELS[code], "项") for code in STANDING_ORDER},
    "completed": ("本期办结", "项"),
    "reports": ("本期报送进展", "次"),
    "reported_tasks": ("本期报送进展的任务", "项"),
    "orders_issued": ("本期下发督办单", "份"),
    "orders_answered": ("本期回复督办单", "份"),
    "orders_pending": ("督办单待回复（期末）", "份"),
    "criticisms": ("本期通报批评", "次"),
    "exposures": ("本期公开曝光", "次"),
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    measure: str  # 项, 次, 份
    value: int
    previous: int

    @property
    def change(self) -> int:
        return self.value - self.previous

    @property
    def change_text(self) -> str:
        """较上期增加3项 / 减少2项 / 持平, as a 通报 says it."""
        if self.change > 0:
            return f"增加{self.change}{self.measure}"
        if self.change < 0:
            return f"减少{-self.change}{self.measure}"
        return "持平"


@dataclass(frozen=True)
class UnitRow:
    """One lead unit (牵头单位) and the standing of the tasks it leads."""

    unit_id: int
    name: str
    tasks: int
    counts: dict[str, int]  # standing code → tasks
    longest_late: int  # days its longest-overdue task is late (0: none overdue)

    @property
    def overdue(self) -> int:
        return self.counts["overdue"]


@dataclass(frozen=True)
class OverdueRow:
    task_id: int
    ref: str
    title: str
    units: list[str]  # lead units
    deadline: dt.date
    days_late: int
    orders: int  # 督办单 issued on the task by the period's end


@dataclass(frozen=True)
class OrderRow:
    order_id: int
    number: str
    unit: str
    task: str
    issued_on: dt.date
    reply_by: dt.date
    answered_on: dt.date | None  # within the period's reading (None: not answered by then)


@dataclass(frozen=True)
class DecisionRow:
    decision_id: int
    date: dt.date
    unit: str
    person: str
    matter: str
    situation_number: int
    methods: list[str]
    criticism: bool
    exposure: bool
    historical: bool
    exposure_by_escalation: bool = False  # 公开曝光 not decided as such but by escalation (第九条第（三）项)

    @property
    def situation_reference(self) -> str:
        return f"第六条第（{_chinese_number(self.situation_number)}）项"


@dataclass
class TongbaoReport:
    jurisdiction: Jurisdiction
    period: Period
    as_of: dt.date  # the day the period is read on: its end, or today while it runs
    previous: Period
    previous_as_of: dt.date
    figures: list[Figure]
    units: list[UnitRow] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)
    decisions_count: int = 0  # the decisions of the period that criticise or expose (the list's whole length)
    limit: int | None = None  # the lists hold their first ``limit`` rows (a page), None: all of them

    @property
    def running(self) -> bool:
        return self.as_of < self.period.end

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    # The lists' whole lengths (a page shows their first rows): the overdue tasks and the 督办单 of the
    # period are the figures', the decisions counted with them.
    @property
    def overdue_count(self) -> int:
        return self.figure("standing_overdue").value

    @property
    def orders_count(self) -> int:
        return self.figure("orders_issued").value

    @property
    def units_shown(self) -> list[UnitRow]:
        return self.units if self.limit is None else self.units[: self.limit]

    @property
    def late_units_count(self) -> int:
        return sum(1 for unit in self.units if unit.overdue)


# --- the queries ---------------------------------------------------------------------------------------


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def ledger_tasks(jurisdiction: Jurisdiction, as_of: dt.date) -> QuerySet[Task]:
    """The confirmed tasks of the jurisdiction given by ``as_of`` (see the module's note on 在账任务)."""
    return Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED, given_on__lte=as_of)


def _method_names(jurisdiction: Jurisdiction, code: str) -> list[str]:
    """The name of the method coded ``code`` in every version of the jurisdiction's rulebook (none when
    it cannot be read)."""
    try:
        versions = rulebooks_for(jurisdiction).versions
    except ValidationError:
        return []
    return sorted({name for version in versions if (name := version.method_with_code(code))})


def _criticism_names(jurisdiction: Jurisdiction) -> list[str]:
    return _method_names(jurisdiction, METHOD_CRITICISM)


@dataclass(frozen=True)
class Reading:
    """A period read on a day: its last day, or today while it runs."""

    period: Period
    as_of: dt.date

    @property
    def before(self) -> dt.date:
        return self.period.start - dt.timedelta(days=1)


def readings_counts(jurisdiction: Jurisdiction, readings: Sequence[Reading]) -> list[dict[str, int]]:
    """The figures of each reading (FIGURES' keys, and ``decisions``: the decisions in force of the period that
    criticise or expose, the list's length): six queries at most, whatever the ledger's size and however many
    readings."""
    counts: list[dict[str, int]] = [dict.fromkeys([*FIGURES, "decisions"], 0) for _ in readings]
    if readings:
        _count_tasks(jurisdiction, readings, counts)
        _count_reports(jurisdiction, readings, counts)
        _count_orders(jurisdiction, readings, counts)
        _count_decisions(jurisdiction, readings, counts)
    return counts


def _count_tasks(jurisdiction: Jurisdiction, readings: Sequence[Reading], counts: list[dict[str, int]]) -> None:
    """在账任务 and their standing on each reading's day, and 办结 in its period (done by its day, less those
    done by the day before it began): one query, the jurisdiction's StandingChange rows (the days each task
    enters and leaves the ledger's standings, kept by every task write: duban.ledger.tallies) up to the last day,
    summed by measure and by the first of the days each counts from; what stands on a day is the sum up to it."""
    days = sorted_days([r.as_of for r in readings] + [r.before for r in readings])
    index = {day: i for i, day in enumerate(days)}
    grouped = (
        StandingChange.objects.filter(jurisdiction=jurisdiction, day__lte=days[-1])
        .order_by()
        .annotate(first=first_day("day", days))
        .values_list("measure", "first")
        .annotate(total=Sum("n"))
    )
    on_day = {measure: [0] * len(days) for measure in StandingChange.Measure.values}
    for measure, first, total in grouped:
        for i in range(first, len(days)):
            on_day[measure][i] += total
    for reading, figures in zip(readings, counts, strict=True):
        now, before = index[reading.as_of], index[reading.before]
        figures["tasks"] = on_day["tasks"][now]
        for code in ("done", "no_deadline", "overdue", "due_soon"):
            figures[f"standing_{code}"] = on_day[code][now]
        figures["standing_open"] = figures["tasks"] - sum(
            figures[f"standing_{code}"] for code in ("done", "no_deadline", "overdue", "due_soon")
        )
        figures["completed"] = on_day["done"][now] - on_day["done"][before]


def _count_reports(jurisdiction: Jurisdiction, readings: Sequence[Reading], counts: list[dict[str, int]]) -> None:
    """Progress reports made in each period (by its day), and how many tasks they are on: one query of the
    periods' rows of ReportTally (kept by every report write: duban.reports.tallies), and while a period runs one
    more asking whether any report is dated after its day (never, but where the clock has been set back: then
    the reports are counted from their rows)."""
    running = [r.as_of for r in readings if r.as_of < r.period.end]
    # any report of any jurisdiction (from the index of 报送日期 alone, no join): never, as reports are not dated
    # after today, but where the clock has been set back
    if running and ProgressReport.objects.filter(reported_on__gt=min(running)).exists():
        _count_reports_from_rows(jurisdiction, readings, counts)
        return
    wanted = Q()
    for reading in readings:
        wanted |= Q(cycle=reading.period.cycle, start=reading.period.start)
    tallied = {
        (cycle, start): (reports, tasks)
        for cycle, start, reports, tasks in ReportTally.objects.filter(wanted, jurisdiction=jurisdiction).values_list(
            "cycle", "start", "reports", "tasks"
        )
    }
    for reading, figures in zip(readings, counts, strict=True):
        figures["reports"], figures["reported_tasks"] = tallied.get(
            (reading.period.cycle, reading.period.start), (0, 0)
        )


def _count_reports_from_rows(
    jurisdiction: Jurisdiction, readings: Sequence[Reading], counts: list[dict[str, int]]
) -> None:
    """The same counted from the reports of the readings' span, grouped by task, each task counting its reports
    of each period, then summed over the tasks (and the tasks with any counted)."""
    reports = ProgressReport.objects.filter(
        task__jurisdiction=jurisdiction,
        reported_on__gte=min(r.period.start for r in readings),
        reported_on__lte=max(r.as_of for r in readings),
    )
    per_task = {}
    for number, reading in enumerate(readings):
        made = Q(reported_on__gte=reading.period.start, reported_on__lte=reading.as_of)
        per_task[f"made_{number}"] = Count("pk", filter=made)
    totals = {}
    for number in range(len(readings)):
        totals[f"reports_{number}"] = Sum(f"made_{number}")
        totals[f"tasks_{number}"] = Count("task", filter=Q(**{f"made_{number}__gt": 0}))
    counted = reports.order_by().values("task").annotate(**per_task).aggregate(**totals)
    for number, figures in enumerate(counts):
        figures["reports"] = counted[f"reports_{number}"] or 0
        figures["reported_tasks"] = counted[f"tasks_{number}"] or 0


def _count_orders(jurisdiction: Jurisdiction, readings: Sequence[Reading], counts: list[dict[str, int]]) -> None:
    """督办单 issued and answered in each period, and waiting for an answer at its day: one query."""
    aggregates = {}
    for number, reading in enumerate(readings):
        start, as_of = reading.period.start, reading.as_of
        issued = Q(issued_on__lte=as_of)
        aggregates[f"issued_{number}"] = Count("pk", filter=issued & Q(issued_on__gte=start))
        aggregates[f"answered_{number}"] = Count(
            "pk", filter=issued & Q(answered_on__gte=start, answered_on__lte=as_of)
        )
        aggregates[f"pending_{number}"] = Count(
            "pk", filter=issued & (Q(answered_on__isnull=True) | Q(answered_on__gt=as_of))
        )
    counted = (
        SupervisionOrder.objects.filter(jurisdiction=jurisdiction, issued_on__lte=max(r.as_of for r in readings))
        .order_by()
        .aggregate(**aggregates)
    )
    for number, figures in enumerate(counts):
        figures["orders_issued"] = counted[f"issued_{number}"] or 0
        figures["orders_answered"] = counted[f"answered_{number}"] or 0
        figures["orders_pending"] = counted[f"pending_{number}"] or 0


def _count_decisions(jurisdiction: Jurisdiction, readings: Sequence[Reading], counts: list[dict[str, int]]) -> None:
    """The decisions in force dated in each period that apply 通报批评, that are in the register of 公开曝光
    (directly or by escalation), and that do either (the list's length): two queries, of the counts by day and
    methods kept by the writes — the decisions in force (accountability.tallies.DecisionDayTally) and the register
    (scoring.tallies.ExposureDayTally) — each of the readings' span grouped by the stretch of days between the
    periods' bounds they fall in and by methods (a few combinations); the methods are read against the
    rulebook's names here."""
    bounds = sorted_days([r.period.start for r in readings] + [r.as_of + dt.timedelta(days=1) for r in readings])
    position = {day: i for i, day in enumerate(bounds)}
    criticising = set(_criticism_names(jurisdiction))
    span = {"date__gte": min(r.period.start for r in readings), "date__lte": max(r.as_of for r in readings)}
    # (stretch, criticises, exposes, how many): the decisions criticising; those exposed (of them, the ones that
    # criticise too are already among the criticising for the list's length)
    stretches: list[tuple[int, bool, bool, int]] = []
    for model, exposes in ((DecisionDayTally, False), (ExposureDayTally, True)):
        grouped = (
            model.objects.filter(jurisdiction=jurisdiction, **span)
            .order_by()
            .annotate(stretch=first_day("date", bounds, strict=True))  # how many bounds are on or before its date
            .values_list("stretch", "methods_key")
            .annotate(total=Sum("n"))
        )
        for stretch, key, total in grouped:
            criticises = bool(set(methods_of_key(key)) & criticising)
            if exposes or criticises:
                stretches.append((stretch, criticises, exposes, total))
    for reading, figures in zip(readings, counts, strict=True):
        first, last = position[reading.period.start] + 1, position[reading.as_of + dt.timedelta(days=1)]
        for stretch, criticises, exposes, n in stretches:
            if first <= stretch <= last:
                if exposes:
                    figures["exposures"] += n
                    figures["decisions"] += 0 if criticises else n
                else:
                    figures["criticisms"] += n
                    figures["decisions"] += n


def period_counts(jurisdiction: Jurisdiction, period: Period, as_of: dt.date) -> dict[str, int]:
    """The figures of ``period`` read on ``as_of`` (≤ its end): six queries at most, whatever the ledger's size."""
    counted = readings_counts(jurisdiction, [Reading(period, as_of)])[0]
    return {key: counted[key] for key in FIGURES}


def _as_of(period: Period, today: dt.date) -> dt.date:
    return min(period.end, today)


def unit_rows(jurisdiction: Jurisdiction, as_of: dt.date) -> list[UnitRow]:
    """Each lead unit with its tasks by standing and how late its longest-overdue task is: one query, the
    lead assignments of the tasks given by ``as_of`` grouped by unit and standing."""
    rows = (
        with_standing(ledger_tasks(jurisdiction, as_of), as_of)
        .order_by()
        .filter(leads_here())
        .values("assignments__unit", "assignments__unit__name", "ledger_standing")
        .annotate(tasks=Count("pk", distinct=True), earliest=Min("ledger_deadline"))
    )
    names: dict[int, str] = {}
    counts: dict[int, dict[str, int]] = {}
    longest_late: dict[int, int] = {}
    for row in rows:
        pk = row["assignments__unit"]
        names[pk] = row["assignments__unit__name"]
        counts.setdefault(pk, dict.fromkeys(STANDING_ORDER, 0))[row["ledger_standing"]] += row["tasks"]
        if row["ledger_standing"] == "overdue" and row["earliest"] is not None:
            longest_late[pk] = (as_of - row["earliest"]).days
    # a task has one standing: its unit's distinct tasks are the sum of the distinct tasks of each standing
    result = [UnitRow(pk, names[pk], sum(counts[pk].values()), counts[pk], longest_late.get(pk, 0)) for pk in names]
    return sorted(result, key=lambda r: (-r.overdue, -r.longest_late, r.name))


def overdue_rows(jurisdiction: Jurisdiction, as_of: dt.date, *, limit: int | None = None) -> list[OverdueRow]:
    """The tasks overdue on ``as_of``, the longest late first (the first ``limit`` of them), with their lead
    units (two queries)."""
    orders = (
        SupervisionOrder.objects.filter(task=OuterRef("pk"), issued_on__lte=as_of)
        .order_by()
        .values("task")
        .annotate(n=Count("pk"))
        .values("n")
    )
    overdue = (
        with_standing(ledger_tasks(jurisdiction, as_of), as_of)
        .filter(ledger_standing="overdue")
        .annotate(orders=Coalesce(Subquery(orders, output_field=IntegerField()), Value(0)))
        .prefetch_related("assignments__unit")
        .order_by("ledger_deadline", "pk")
    )
    rows = []
    for task in overdue[:limit] if limit is not None else overdue:
        units = {a.unit_id: a.unit.name for a in task.assignments.all() if a.unit_id}
        rows.append(
            OverdueRow(
                task_id=task.pk,
                ref=task.ref,
                title=task.title,
                units=[units[pk] for pk in task_lead_unit_ids(task)],
                deadline=task.ledger_deadline,
                days_late=(as_of - task.ledger_deadline).days,
                orders=task.orders,
            )
        )
    return rows


def order_rows(
    jurisdiction: Jurisdiction, period: Period, as_of: dt.date, *, limit: int | None = None
) -> list[OrderRow]:
    """The 督办单 issued in the period (the first ``limit``): one query."""
    orders = (
        SupervisionOrder.objects.filter(jurisdiction=jurisdiction, issued_on__gte=period.start, issued_on__lte=as_of)
        .select_related("unit", "task")
        .order_by("issued_on", "serial")
    )
    return [
        OrderRow(
            order_id=o.pk,
            number=o.number,
            unit=o.unit.name,
            task=o.task.title,
            issued_on=o.issued_on,
            reply_by=o.reply_by,
            answered_on=o.answered_on if o.answered_on and o.answered_on <= as_of else None,
        )
        for o in (orders[:limit] if limit is not None else orders)
    ]


def decision_rows(
    jurisdiction: Jurisdiction, period: Period, as_of: dt.date, *, limit: int | None = None
) -> list[DecisionRow]:
    """The decisions in force dated in the period that apply 通报批评 or 公开曝光, or were exposed by escalation
    (the first ``limit`` by date): one query, each decision's escalation read from its own score-ledger rows
    (so the database stops at the ``limit``-th)."""
    criticising = Q(JsonListHasAny("methods", _criticism_names(jurisdiction)))
    exposing_names = set(_method_names(jurisdiction, rules.METHOD_PUBLIC_EXPOSURE))
    escalation = (
        score_ledger(jurisdiction)
        .filter(effect=rules.PUBLIC_EXPOSURE, decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(net=Sum("value"))
        .values("net")
    )
    decisions = (
        Decision.objects.filter(jurisdiction=jurisdiction, status__in=IN_FORCE, date__gte=period.start, date__lte=as_of)
        .alias(escalated_net=Subquery(escalation, output_field=IntegerField()))
        .annotate(
            criticises=ExpressionWrapper(criticising, output_field=BooleanField()),
            exposes=ExpressionWrapper(
                Q(escalated_net__gt=0) | Q(JsonListHasAny("methods", exposing_names)), output_field=BooleanField()
            ),
        )
        .filter(Q(criticises=True) | Q(exposes=True))
        .select_related("unit", "matter", "person")
        .order_by("date", "pk")
    )
    return [
        DecisionRow(
            decision_id=d.pk,
            date=d.date,
            unit=d.unit.name,
            person=d.person.name if d.person_id else "",
            matter=d.matter.title,
            situation_number=d.situation_number,
            methods=list(d.methods or []),
            criticism=bool(d.criticises),
            exposure=bool(d.exposes),
            historical=d.is_historical,
            exposure_by_escalation=bool(d.exposes) and not exposing_names & set(d.methods or []),
        )
        for d in (decisions[:limit] if limit is not None else decisions)
    ]


def _report(jurisdiction: Jurisdiction, period: Period, now: dict[str, int], before: dict[str, int], today: dt.date):
    previous = period.previous()
    return TongbaoReport(
        jurisdiction=jurisdiction,
        period=period,
        as_of=_as_of(period, today),
        previous=previous,
        previous_as_of=_as_of(previous, today),
        figures=[Figure(key, label, measure, now[key], before[key]) for key, (label, measure) in FIGURES.items()],
        decisions_count=now["decisions"],
    )


def _check_begun(period: Period, today: dt.date) -> None:
    if period.start > today:
        raise ExportError(f"{period.label}尚未开始，不能生成{period.report_name}")


def tongbao_report(
    jurisdiction: Jurisdiction,
    period: Period,
    *,
    today: dt.date | None = None,
    lists: bool = True,
    limit: int | None = None,
) -> TongbaoReport:
    """The 督查通报 of ``period``: its figures beside the previous period's, and (``lists``) the lists, each
    its first ``limit`` rows (a page; None: all, the Word and Excel files) but the units, all of them."""
    today = today or clock.today()
    _check_begun(period, today)
    previous = period.previous()
    now, before = readings_counts(
        jurisdiction, [Reading(period, _as_of(period, today)), Reading(previous, _as_of(previous, today))]
    )
    report = _report(jurisdiction, period, now, before, today)
    report.limit = limit
    if lists:
        as_of = report.as_of
        report.units = unit_rows(jurisdiction, as_of)
        report.overdue = overdue_rows(jurisdiction, as_of, limit=limit)
        report.orders = order_rows(jurisdiction, period, as_of, limit=limit)
        report.decisions = decision_rows(jurisdiction, period, as_of, limit=limit)
    return report


def tongbao_reports(jurisdiction: Jurisdiction, periods: list[Period], *, today: dt.date | None = None) -> list:
    """The figures of several periods (of any cycles), each beside its previous period's, without the lists:
    six queries at most for all of them (readings_counts)."""
    today = today or clock.today()
    for period in periods:
        _check_begun(period, today)
    readings = [Reading(p, _as_of(p, today)) for p in periods]
    readings += [Reading(p.previous(), _as_of(p.previous(), today)) for p in periods]
    counted = readings_counts(jurisdiction, readings)
    return [
        _report(jurisdiction, period, counted[i], counted[len(periods) + i], today) for i, period in enumerate(periods)
    ]


def periods_figures(jurisdiction: Jurisdiction, periods: list[Period], *, today: dt.date | None = None) -> list:
    """For consecutive ``periods`` of one cycle, newest first (a page of periods_of_cycle), each period's
    figures beside the previous period's: each period is read once (the period after it uses it as its
    previous), all of them in the few queries of readings_counts."""
    today = today or clock.today()
    if not periods:
        return []
    counted = readings_counts(jurisdiction, [Reading(p, _as_of(p, today)) for p in [*periods, periods[-1].previous()]])
    return [
        [Figure(key, label, measure, counted[i][key], counted[i + 1][key]) for key, (label, measure) in FIGURES.items()]
        for i in range(len(periods))
    ]


def periods_of_cycle(cycle: str, *, first: dt.date, today: dt.date) -> list[Period]:
    """The periods of ``cycle`` from the one holding ``first`` to the current one, newest first."""
    periods, period = [], period_containing(cycle, today)
    while period.end >= first:
        periods.append(period)
        period = period.previous()
    return periods


def ledger_first_day(jurisdiction: Jurisdiction) -> dt.date | None:
    """The day the jurisdiction's first task was given (the start of its reporting periods): one query."""
    return Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED).aggregate(
        first=Min("given_on")
    )["first"]


# --- the writers (duban.reports.exports: kind "tongbao") ---------------------------------------------------


def _request_report(request: ExportRequest) -> TongbaoReport:
    period = parse_period(request.period)
    if period is None:
        raise ExportError(f"通报期间应为 2020-W16、2020-04、2020-Q2、2020-H1 或 2020，收到：{request.period}")
    return tongbao_report(request.jurisdiction, period)


def tongbao_title(report: TongbaoReport) -> str:
    return f"{report.jurisdiction.name}{report.period.label}督查通报（{report.period.report_name}）"


def tongbao_xlsx(request: ExportRequest) -> bytes:
    """The period's figures with the previous period's and the change, then one sheet per list."""
    from duban.reports.xlsx import Column, Sheet, workbook_bytes

    report = _request_report(request)
    reading = f"统计截至{report.as_of:%Y年%m月%d日}" + ("（本期尚未结束）" if report.running else "")
    notes = [
        reading,
        f"上期：{report.previous.label}，统计截至{report.previous_as_of:%Y年%m月%d日}",
        "红灯、黄灯、绿灯即任务的办理状态：已逾期、即将到期（3日内）、办理中。",
        "来源：督查台账、督办单、督查问责决定（在效力中的）。",
    ]
    figures = Sheet(
        "总体情况",
        [Column("指标", 28), Column("本期", 10), Column("上期", 10), Column("增减", 10), Column("单位", 6)],
        [[f.label, f.value, f.previous, f.change, f.measure] for f in report.figures],
        heading=tongbao_title(report),
        notes=notes,
    )
    units = Sheet(
        "分单位",
        [
            Column("牵头单位", 28),
            Column("在账任务"),
            *(Column(LIGHT_LABELS[code]) for code in STANDING_ORDER),
            Column("最长逾期（天）"),
        ],
        [[u.name, u.tasks, *(u.counts[code] for code in STANDING_ORDER), u.longest_late] for u in report.units],
        heading=f"{report.period.label} 各牵头单位任务办理情况（截至{report.as_of:%Y-%m-%d}）",
    )
    overdue = Sheet(
        "逾期任务",
        [
            Column("编号", 10),
            Column("任务", 50, wrap=True),
            Column("牵头单位", 28, wrap=True),
            Column("完成时限"),
            Column("逾期（天）"),
            Column("督办单（份）"),
        ],
        [[r.ref, r.title, "、".join(r.units), r.deadline, r.days_late, r.orders] for r in report.overdue],
        heading=f"截至{report.as_of:%Y-%m-%d}逾期未完成的任务",
    )
    orders = Sheet(
        "督办单",
        [
            Column("文号", 18),
            Column("督办单位", 28),
            Column("任务", 50, wrap=True),
            Column("签发日期"),
            Column("回复期限"),
            Column("回复日期"),
        ],
        [[o.number, o.unit, o.task, o.issued_on, o.reply_by, o.answered_on] for o in report.orders],
        heading=f"{report.period.label}下发的督办单",
    )
    decisions = Sheet(
        "问责情况",
        [
            Column("决定日期"),
            Column("被问责单位", 28),
            Column("被问责人", 12),
            Column("督查事项", 40, wrap=True),
            Column("问责情形", 22),
            Column("问责方式", 30, wrap=True),
            Column("通报批评"),
            Column("公开曝光"),
        ],
        [
            [
                d.date,
                d.unit,
                d.person,
                d.matter,
                d.situation_reference,
                "、".join(d.methods),
                "是" if d.criticism else "",
                "是" if d.exposure else "",
            ]
            for d in report.decisions
        ],
        heading=f"{report.period.label}作出的通报批评、公开曝光决定",
    )
    return workbook_bytes([figures, units, overdue, orders, decisions])


# --- the Word 督查通报: its wording, from the figures ----------------------------------------------------


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


TITLE_IN_TEXT = 48  # a task's title in the 通报's sentences: cut beyond this many characters


def _short(title: str) -> str:
    """A task's title as a sentence quotes it: whole, or its first words and “……” (the 台账 has the rest)."""
    title = title.strip().rstrip("。；;，,")
    return title if len(title) <= TITLE_IN_TEXT else title[: TITLE_IN_TEXT - 1].rstrip("，、；,") + "……"


def _than_before(figure: Figure) -> str:
    """（较上期增加1项） / （与上期持平）."""
    return "（与上期持平）" if figure.change == 0 else f"（较上期{figure.change_text}）"


def tongbao_wording(report: TongbaoReport, *, regulation: str = "《问责办法》") -> dict:
    """The sentences of the 通报's sections 一 to 三 (section 四 is the template's own text, the office's)."""
    f = report.by_key
    overall = (
        f"截至{_day(report.as_of)}，{report.jurisdiction.name}督查台账在账任务{f['tasks'].value}项"
        f"{_than_before(f['tasks'])}。其中，已办结{f['standing_done'].value}项{_than_before(f['standing_done'])}，"
        f"办理中（绿灯）{f['standing_open'].value}项{_than_before(f['standing_open'])}，"
        f"即将到期（黄灯）{f['standing_due_soon'].value}项{_than_before(f['standing_due_soon'])}，"
        f"已逾期（红灯）{f['standing_overdue'].value}项{_than_before(f['standing_overdue'])}，"
        f"无明确完成时限{f['standing_no_deadline'].value}项。"
    )
    work = (
        f"{report.period.label}，共办结任务{f['completed'].value}项{_than_before(f['completed'])}；"
        + (
            f"{f['reported_tasks'].value}项任务报送进展{f['reports'].value}次{_than_before(f['reports'])}；"
            if f["reports"].value
            else f"没有任务报送进展{_than_before(f['reports'])}；"
        )
        + f"下发督办单{f['orders_issued'].value}份{_than_before(f['orders_issued'])}，"
        f"收到回复{f['orders_answered'].value}份，截至期末尚有{f['orders_pending'].value}份待回复。"
    )
    late_units = [u for u in report.units if u.overdue]
    if report.overdue:
        long_late = sum(1 for r in report.overdue if r.days_late > 30)
        problems = (
            f"截至{_day(report.as_of)}，共有{len(report.overdue)}项任务逾期未完成"
            f"{_than_before(f['standing_overdue'])}，涉及{len(late_units)}个牵头单位"
            + (f"，其中逾期30天以上的{long_late}项" if long_late else "")
            + "。具体如下："
        )
    else:
        problems = f"截至{_day(report.as_of)}，台账任务均在时限内推进，没有逾期未完成的任务。"
    by_unit = []
    for unit in late_units:
        tasks = [r for r in report.overdue if unit.name in r.units]
        items = []
        for number, r in enumerate(tasks, start=1):
            orders = f"，已下发督办单{r.orders}份" if r.orders else ""
            items.append(f"{number}.“{_short(r.title)}”，完成时限{_day(r.deadline)}，已逾期{r.days_late}天{orders}。")
        by_unit.append(
            {
                "heading": f"{unit.name}：逾期任务{unit.overdue}项，最长逾期{unit.longest_late}天。",
                "items": items,
            }
        )
    criticisms, exposures = f["criticisms"].value, f["exposures"].value
    if report.decisions:
        units = len({d.unit for d in report.decisions})
        accountability = (
            f"{report.period.label}，依据{regulation}，对{units}个单位作出通报批评{criticisms}次"
            f"{_than_before(f['criticisms'])}、公开曝光{exposures}次{_than_before(f['exposures'])}："
        )
    else:
        accountability = f"{report.period.label}，未作出通报批评、公开曝光的督查问责决定。"
    decisions = []
    for number, d in enumerate(report.decisions, start=1):
        who = f"{d.unit}{d.person}同志" if d.person else d.unit
        methods = "、".join(d.methods)
        escalated = (
            "；因年度内第二次被责令作出书面检查，予以公开曝光（第九条第（三）项）" if d.exposure_by_escalation else ""
        )
        decisions.append(
            f"{number}.{who}：{d.matter}，属{d.situation_reference}情形，{_day(d.date)}决定{methods}{escalated}。"
        )
    return {
        "overall": overall,
        "work": work,
        "problems": problems,
        "by_unit": by_unit,
        "accountability": accountability,
        "decisions": decisions,
    }


def _recipient(jurisdiction: Jurisdiction) -> str:
    """主送机关: a city's counties and departments, or a county's townships and departments."""
    if jurisdiction.level == "county":
        return f"各乡镇人民政府、街道办事处，{jurisdiction.name[-1]}人民政府各部门："
    return "各县区人民政府，市人民政府各部门："


def _regulation(jurisdiction: Jurisdiction, day: dt.date) -> str:
    """《…处理办法》（驻政〔2020〕24号）: the regulation in force on ``day``, as the rulebook names it."""
    from duban.accountability.rulebooks import rulebook_in_force_or_none

    rulebook = rulebook_in_force_or_none(jurisdiction, day)
    document = rulebook.data.get("document", {}) if rulebook is not None else {}
    title = str(document.get("title") or "问责办法").strip("《》")
    number = document.get("doc_no")
    return f"《{title}》" + (f"（{number}）" if number else "")


def _items(level: int, texts) -> list[dict]:
    return [{"level": level, "text": text} for text in texts]


def tongbao_context(report: TongbaoReport, *, reference: str, issuer) -> dict:
    """The docxtpl context of tongbao.docx (duban/reports/tongbao_template.py names its fields)."""
    regulation = _regulation(report.jurisdiction, report.as_of)
    wording = tongbao_wording(report, regulation=regulation)
    problems = _items(0, [wording["problems"]])
    for number, unit in enumerate(wording["by_unit"], start=1):
        problems.append({"level": 2, "text": f"（{_chinese_number(number)}）{unit['heading']}"})
        problems.extend(_items(0, unit["items"]))
    reading = f"（本期尚未结束，统计至{_day(report.as_of)}）" if report.running else ""
    opening = f"现将{report.period.label}{report.jurisdiction.name}督查工作情况通报如下{reading}："
    return {
        "mark": issuer.mark,
        "reference": reference,
        "title": f"关于{report.period.label}督查工作情况的通报",
        "recipient": _recipient(report.jurisdiction),
        "opening": _items(0, [opening]),
        "overall": _items(0, [wording["overall"], wording["work"]]),
        "figures_caption": f"表1  主要指标对比表（本期{report.period.label}，上期{report.previous.label}）",
        "figures": [
            {
                "label": figure.label,
                "value": f"{figure.value}{figure.measure}",
                "previous": f"{figure.previous}{figure.measure}",
                "change": figure.change_text,
            }
            for figure in report.figures
        ],
        "problems": problems,
        "accountability": _items(0, [wording["accountability"], *wording["decisions"]]),
        "regulation": regulation,
        "issuer": issuer.issuer,
        "date": _day(clock.today()),
        "printer": issuer.printer,
        "printed_on": _day(clock.today()),
        "period": report.period.label,
        "cycle": report.period.report_name,
    }


def tongbao_docx(request: ExportRequest) -> bytes:
    """The period's 督查通报 in the 公文 layout (the template tongbao.docx), numbered in the jurisdiction's
    督通 sequence (document_issue: the same period downloaded again keeps its number)."""
    from duban.reports.docx import issuer_of, render_docx
    from duban.reports.services import document_issue

    report = _request_report(request)
    issuer = issuer_of(request.jurisdiction, "tongbao")
    issued = document_issue(
        actor=request.actor,
        jurisdiction=request.jurisdiction,
        kind="tongbao",
        subject_key=report.period.code,
        title=tongbao_title(report),
    )
    context = tongbao_context(report, reference=issued.reference, issuer=issuer)
    return render_docx(jurisdiction=request.jurisdiction, template="tongbao.docx", context=context)
