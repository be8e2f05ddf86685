"""亮灯: every task's light, derived when read (never stored), with the thresholds of its jurisdiction's
督办设置 (duban.ledger.supervision.settings_for, the ``lights`` and ``reports`` sections).

- 已办结 (``done``): the task is done (selectors.task_is_done / with_standing) — no light.
- 红灯 (``red``): overdue (its earliest deadline has passed: the standing 已逾期), or, where
  ``order_overdue_red``, a 督办单 issued to one of its units that is still unanswered past its reply date.
- 黄灯 (``yellow``): its deadline falls within ``warning_days`` (today included); or its lead units' progress
  (the lowest latest % of its lead units, 0 for a lead that has not reported) is behind the straight line
  from 0% on the day the task was given (交办, else 入台账) to 100% on its deadline by more than
  ``behind_trajectory_points``; or a lead unit missed each of the last ``missed_reports`` ended periods of the
  task's reporting cycle (a period has ended ``grace_days`` after its last day; only periods ending on or
  after the day the task was given count).
- 绿灯 (``green``): none of these.

Each light carries its reasons (all that apply, red ones first). ``task_light`` reads one task in Python;
``with_lights`` states the same rules as SQL annotations, so lists filter and count by light in the
database (one query for the counts, none per row); tests/ledger/test_lights_property.py holds the two equal
to each other and to a plain reading of the thresholds on a generated ledger.

Missed reports per period (``missed_reports``) are the same rule for one chosen period: the lead
units of the tasks of that period's cycle that made no report for it once it ended.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from duban import clock
from duban.accounts.models import Jurisdiction, Unit
from duban.ledger import selectors
from duban.ledger.models import ProgressReport, ReportingCycle, SupervisionOrder, Task, TaskUnit
from duban.ledger.supervision import SupervisionSettings, settings_for

LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "done": "已办结"}
REASON_LABELS = {
    "overdue": "已逾期",
    "order_overdue": "督办单逾期未回复",
    "due_soon": "即将到期",
    "behind": "进度滞后",
    "missed": "漏报进度",
}
RED_REASONS = ("overdue", "order_overdue")
YELLOW_REASONS = ("due_soon", "behind", "missed")


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASON_LABELS
    text: str

    @property
    def label(self) -> str:
        return REASON_LABELS[self.code]


@dataclass(frozen=True)
class Light:
    code: str  # "red", "yellow", "green", "done"
    reasons: tuple[Reason, ...] = ()

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self.code]

    @property
    def css(self) -> str:
        return f"light-{self.code}"

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    @property
    def summary(self) -> str:
        """The reasons in one line (the list's hover text)."""
        if self.code == "done":
            return "任务已办结"
        return "；".join(r.text for r in self.reasons) or "正常推进"


def _light(reasons: list[Reason]) -> Light:
    codes = {r.code for r in reasons}
    ordered = tuple(sorted(reasons, key=lambda r: list(REASON_LABELS).index(r.code)))
    if codes & set(RED_REASONS):
        return Light("red", ordered)
    if codes & set(YELLOW_REASONS):
        return Light("yellow", ordered)
    return Light("green", ())


# --- the facts both readings share: days, periods -----------------------------------------------------


def task_start(task: Task) -> dt.date | None:
    """The day the task was given to its units (交办), else the day it entered the ledger (入台账)."""
    moment = task.assigned_at or task.reviewed_at
    return timezone.localtime(moment).date() if moment is not None else None


@dataclass(frozen=True)
class Period:
    code: str  # as ProgressReport.period: 2020-06, 2020-06-1, 2020-W23
    end: dt.date

    @property
    def label(self) -> str:
        return selectors.period_label(self.code)


@functools.lru_cache(maxsize=256)
def ended_periods(cycle: str, today: dt.date, grace_days: int, count: int) -> tuple[Period, ...]:
    """The last ``count`` periods of ``cycle`` that have ended by ``today`` (their last day plus
    ``grace_days`` is before today), newest first."""
    last_day = today - dt.timedelta(days=grace_days + 1)  # a period ending on this day or before has ended
    found: list[Period] = []
    day = last_day
    while len(found) < count:
        end = selectors.period_end(cycle, day)
        if end <= last_day:
            found.append(Period(selectors.period_of(cycle, day), end))
        day = _period_start(cycle, day) - dt.timedelta(days=1)
    return tuple(found)


def _period_start(cycle: str, day: dt.date) -> dt.date:
    if cycle == ReportingCycle.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if cycle == ReportingCycle.BIWEEKLY:
        return day.replace(day=1 if day.day <= 15 else 16)
    return day.replace(day=1)


def _expected_percent(start: dt.date, deadline: dt.date, today: dt.date) -> int:
    span = (deadline - start).days
    elapsed = min(max((today - start).days, 0), span)
    return 100 * elapsed // span


def _reason_texts(
    settings: SupervisionSettings,
    today: dt.date,
    deadline: dt.date | None,
    *,
    overdue: bool,
    orders: str | None,
    due_soon: bool,
    behind: tuple[int, int] | None,
    missed: tuple[Period, ...] | None,
) -> list[Reason]:
    reasons = []
    if overdue and deadline is not None:
        reasons.append(Reason("overdue", f"已逾期 {(today - deadline).days} 天（完成时限 {deadline:%Y-%m-%d}）"))
    if orders is not None:
        reasons.append(Reason("order_overdue", f"督办单逾期未回复{orders}"))
    if due_soon and deadline is not None:
        left = (deadline - today).days
        when = "今天到期" if left == 0 else f"{left} 天后到期"
        reasons.append(Reason("due_soon", f"{when}（{deadline:%Y-%m-%d}，{settings.warning_days} 日内预警）"))
    if behind is not None:
        actual, expected = behind
        reasons.append(
            Reason(
                "behind",
                f"进度 {actual}%，按时序应达 {expected}%，滞后超过 {settings.behind_trajectory_points} 个百分点",
            )
        )
    if missed:
        names = "、".join(p.label for p in reversed(missed))
        reasons.append(Reason("missed", f"漏报{names}进度"))
    return reasons


# --- one task, in Python ----------------------------------------------------------------------------


def task_light(task: Task, today: dt.date | None = None, *, settings: SupervisionSettings | None = None) -> Light:
    """The light of ``task`` on ``today`` (its deadlines, assignments, reports and 督办单 read from the task,
    prefetched or not)."""
    today = today or clock.today()
    settings = settings or settings_for(task.jurisdiction)
    standing = selectors.task_standing(task, today)
    if standing.code == "done":
        return Light("done")
    deadline = standing.deadline
    late_orders = []
    if settings.order_overdue_red:
        late_orders = [
            order
            for order in task.supervision_orders.all()
            if order.issued_on <= today
            and order.reply_by < today
            and (order.answered_on is None or order.answered_on > today)
        ]
    due_soon = deadline is not None and 0 <= (deadline - today).days <= settings.warning_days
    start = task_start(task)
    leads = selectors.task_lead_unit_ids(task)
    behind = None
    points = settings.behind_trajectory_points
    if points is not None and deadline is not None and start is not None and start < deadline and leads:
        latest = selectors.task_latest_reports(task, today)
        actual = min(latest[unit].percent if unit in latest else 0 for unit in leads)
        span = (deadline - start).days
        elapsed = min(max((today - start).days, 0), span)
        if 100 * elapsed - actual * span > points * span:
            behind = (actual, _expected_percent(start, deadline, today))
    missed = None
    periods = ended_periods(task.reporting_cycle, today, settings.report_grace_days, settings.missed_reports_for_yellow)
    if start is not None and periods[-1].end >= start:
        wanted = {p.code for p in periods}
        for unit in leads:
            made = {r.period for r in task.progress_reports.all() if r.unit_id == unit}
            if not made & wanted:
                missed = periods
                break
    numbers = "（" + "、".join(o.number for o in late_orders) + "）" if late_orders else None
    return _light(
        _reason_texts(
            settings,
            today,
            deadline,
            overdue=standing.is_overdue,
            orders=numbers,
            due_soon=due_soon,
            behind=behind,
            missed=missed,
        )
    )


# --- many tasks, in SQL -----------------------------------------------------------------------------


class DayNumber(Func):
    """A date as the number of days since 1970-01-01 (so dates subtract to whole days on every backend)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((%(expressions)s)::date - DATE '1970-01-01')", **extra)


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _conditions(settings: SupervisionSettings, today: dt.date) -> dict[str, Q]:
    """Each reason of the light as a condition on a task annotated by with_lights' first step (whether the task
    is done is the light's first question, not the reasons'). Each refers once to what is costly to compute (the
    standing, the lead units' progress, the reports made), since the database computes an expression each time
    it is named."""
    conditions = {
        "overdue": Q(ledger_deadline__lt=today),  # the standing 已逾期, the task not being done
        "order_overdue": Q(light_orders_late=True) if settings.order_overdue_red else Q(pk__in=[]),
        "due_soon": Q(
            ledger_deadline__gte=today, ledger_deadline__lte=today + dt.timedelta(days=settings.warning_days)
        ),
    }
    points = settings.behind_trajectory_points
    if points is None:
        conditions["behind"] = Q(pk__in=[])
    else:
        # without a lead unit the lowest % is NULL, and so is how far behind it is (no reason)
        conditions["behind"] = Q(light_span__gt=0) & Q(
            light_behind_by__gt=ExpressionWrapper(F("light_span") * points, output_field=IntegerField())
        )
    missed = Q(pk__in=[])
    for cycle in ReportingCycle.values:
        periods = ended_periods(cycle, today, settings.report_grace_days, settings.missed_reports_for_yellow)
        unreported = selectors.leading_assignments().filter(task=OuterRef("pk"))
        unreported = unreported.filter(
            ~Exists(
                ProgressReport.objects.filter(
                    task=OuterRef("task"), unit=OuterRef("unit"), period__in=[p.code for p in periods]
                )
            )
        )
        missed |= Q(reporting_cycle=cycle, light_start__lte=periods[-1].end) & Exists(unreported)
    conditions["missed"] = missed
    return conditions


def with_lights(
    tasks: QuerySet[Task], today: dt.date | None = None, *, jurisdiction: Jurisdiction | None = None
) -> QuerySet[Task]:
    """``tasks`` (annotated by selectors.with_standing, which is applied when it is not) annotated with
    ``light`` (the code of task_light) and ``light_<reason>`` for each reason (of a task not done: a done
    task's are not read), computed by the database.
    The thresholds are ``jurisdiction``'s when given (every task of ``tasks`` is then of it), else each task's
    own jurisdiction's."""
    today = today or clock.today()
    if "ledger_standing" not in tasks.query.annotations:
        tasks = selectors.with_standing(tasks, today)
    latest_percent = Subquery(
        ProgressReport.objects.filter(task=OuterRef("task"), unit=OuterRef("unit"), reported_on__lte=today)
        .order_by("-reported_on", "-pk")
        .values("percent")[:1],
        output_field=IntegerField(),
    )
    lowest_lead = (
        selectors.leading_assignments()
        .filter(task=OuterRef("pk"))
        .annotate(p=Coalesce(latest_percent, Value(0)))
        .order_by("p")
        .values("p")[:1]
    )
    late_orders = SupervisionOrder.objects.filter(task=OuterRef("pk"), issued_on__lte=today, reply_by__lt=today).filter(
        Q(answered_on__isnull=True) | Q(answered_on__gt=today)
    )
    start = F("started_on")  # stored with the task (Task.save, duban.ledger.facts): the same as task_start
    if today >= clock.today():
        # Today (or later): the stored facts (duban.ledger.facts) are as of now, so they are the day's.
        percent, orders_late = F("lead_percent"), Q(orders_reply_by__lt=today)
    else:
        # A past day: what was reported and answered by then, from the rows.
        percent, orders_late = Subquery(lowest_lead, output_field=IntegerField()), Exists(late_orders)
    tasks = tasks.annotate(
        light_start=start,
        light_percent=percent,
        light_orders_late=ExpressionWrapper(orders_late, output_field=BooleanField()),
    ).annotate(
        light_span=ExpressionWrapper(
            DayNumber(F("ledger_deadline")) - DayNumber(F("light_start")), output_field=IntegerField()
        ),
    )
    tasks = tasks.annotate(
        light_behind_by=ExpressionWrapper(
            100 * Least(Greatest(Value(_day_number(today)) - DayNumber(F("light_start")), Value(0)), F("light_span"))
            - F("light_percent") * F("light_span"),
            output_field=IntegerField(),
        )
    )
    groups = [(scope, _conditions(settings, today)) for scope, settings in _settings_groups(tasks, jurisdiction)]
    reasons: dict[str, Q] = {}
    for code in REASON_LABELS:
        reasons[code] = functools.reduce(
            lambda a, b: a | b, (scope & conditions[code] for scope, conditions in groups), Q(pk__in=[])
        )
    tasks = tasks.annotate(
        **{
            f"light_{code}": Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
            for code, condition in reasons.items()
        }
    )
    red = reasons["overdue"] | reasons["order_overdue"]
    yellow = reasons["due_soon"] | reasons["behind"] | reasons["missed"]
    return tasks.annotate(
        light=Case(
            When(ledger_standing="done", then=Value("done")),
            When(red, then=Value("red")),
            When(yellow, then=Value("yellow")),
            default=Value("green"),
            output_field=CharField(),
        )
    )


def _settings_groups(tasks: QuerySet[Task], jurisdiction: Jurisdiction | None) -> list[tuple[Q, SupervisionSettings]]:
    """(which tasks, their settings): all of them with ``jurisdiction``'s, else one group per distinct
    settings of the jurisdictions (one small query)."""
    if jurisdiction is not None:
        return [(Q(), settings_for(jurisdiction))]
    by_settings: dict[SupervisionSettings, list[int]] = {}
    known = {j.pk: j for j in Jurisdiction.objects.select_related("parent")}
    for pk, item in known.items():
        by_settings.setdefault(settings_for(item), []).append(pk)
    return [(Q(jurisdiction_id__in=pks), settings) for settings, pks in by_settings.items()]


def light_of(task: Task, today: dt.date | None = None, *, settings: SupervisionSettings | None = None) -> Light:
    """The light of a task read through with_lights (its annotations; no query). The reasons' words give
    less detail than task_light's (no 督办单 numbers)."""
    if task.light == "done":
        return Light("done")
    today = today or clock.today()
    settings = settings or settings_for(task.jurisdiction)
    deadline = task.ledger_deadline
    behind = None
    if task.light_behind:
        behind = (task.light_percent, _expected_percent(task.light_start, deadline, today))
    missed = None
    if task.light_missed:
        missed = ended_periods(
            task.reporting_cycle, today, settings.report_grace_days, settings.missed_reports_for_yellow
        )
    reasons = _reason_texts(
        settings,
        today,
        deadline,
        overdue=task.light_overdue,
        orders="" if task.light_order_overdue else None,
        due_soon=task.light_due_soon,
        behind=behind,
        missed=missed,
    )
    return Light(task.light, _light(reasons).reasons if task.light != "green" else ())


def light_counts(tasks: QuerySet[Task]) -> dict[str, int]:
    """How many of ``tasks`` (from with_lights) have each light: one query."""
    return ledger_counts(tasks)[1]


def ledger_grid(tasks: QuerySet[Task]) -> dict[tuple[str, str], int]:
    """How many of ``tasks`` (from with_lights) have each (standing, light): one query, grouped (each task's
    standing and light computed once), not one FILTER per count."""
    rows = tasks.order_by().values_list("ledger_standing", "light").annotate(n=Count("pk"))
    return {(standing, light): n for standing, light, n in rows}


def grid_counts(grid: dict[tuple[str, str], int]) -> tuple[dict[str, int], dict[str, int]]:
    """The standings' and the lights' counts of a ledger_grid."""
    standings = dict.fromkeys(selectors.STANDING_LABELS, 0)
    lit = dict.fromkeys(LIGHT_LABELS, 0)
    for (standing, light), n in grid.items():
        standings[standing] += n
        lit[light] += n
    return standings, lit


def ledger_counts(tasks: QuerySet[Task]) -> tuple[dict[str, int], dict[str, int]]:
    """How many of ``tasks`` (from with_lights) stand at each standing, and have each light: one query."""
    return grid_counts(ledger_grid(tasks))


def attach_lights(rows: Iterable, today: dt.date | None = None, *, settings: SupervisionSettings) -> list:
    """Give each row of selectors.ledger_page_rows (of a with_lights query) its ``light``."""
    rows = list(rows)
    for row in rows:
        row.light = light_of(row.task, today, settings=settings)
    return rows


# --- missed periodic reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MissedReport:
    unit: Unit
    period: Period
    due: dt.date  # the last day it could be made (the period's end plus the grace days)


def task_missed_reports(
    task: Task, today: dt.date | None = None, *, settings: SupervisionSettings | None = None
) -> list[MissedReport]:
    """Every report a lead unit of ``task`` owed and did not make: each period of the task's cycle ending
    on or after the day it was given, ended by ``today`` (``grace_days`` after its last day) while the task
    was not done, without a report of that unit for it. Oldest first."""
    today = today or clock.today()
    settings = settings or settings_for(task.jurisdiction)
    start = task_start(task)
    if start is None:
        return []
    grace = dt.timedelta(days=settings.report_grace_days)
    leads = selectors.task_lead_unit_ids(task)
    units = Unit.objects.in_bulk(leads)  # one query, not one per unit named on the task
    made = {(r.unit_id, r.period) for r in task.progress_reports.all()}
    missed = []
    day = start
    while True:
        end = selectors.period_end(task.reporting_cycle, day)
        if end + grace >= today or selectors.task_is_done(task, end):
            break
        period = Period(selectors.period_of(task.reporting_cycle, day), end)
        missed += [MissedReport(units[u], period, end + grace) for u in leads if (u, period.code) not in made]
        day = end + dt.timedelta(days=1)
    return missed


def period_parse(code: str) -> tuple[str, Period] | None:
    """(the cycle, the period) a period code names (2020-06, 2020-06-1, 2020-W23), or None."""
    try:
        if "-W" in code:
            year, week = code.split("-W")
            day = dt.date.fromisocalendar(int(year), int(week), 1)
            cycle = ReportingCycle.WEEKLY
        else:
            parts = code.split("-")
            if len(parts) == 2:
                day, cycle = dt.date(int(parts[0]), int(parts[1]), 1), ReportingCycle.MONTHLY
            elif len(parts) == 3 and parts[2] in ("1", "2"):
                day = dt.date(int(parts[0]), int(parts[1]), 1 if parts[2] == "1" else 16)
                cycle = ReportingCycle.BIWEEKLY
            else:
                return None
    except ValueError:
        return None
    if selectors.period_of(cycle, day) != code or not 2000 <= day.year <= 2100:
        return None
    return cycle, Period(code, selectors.period_end(cycle, day))


def recent_periods(today: dt.date, grace_days: int) -> dict[str, tuple[Period, ...]]:
    """The periods the office may pick on the missed-reports page: of each cycle, those ended by ``today``
    over about the last year, newest first."""
    return {
        ReportingCycle.MONTHLY: ended_periods(ReportingCycle.MONTHLY, today, grace_days, 12),
        ReportingCycle.BIWEEKLY: ended_periods(ReportingCycle.BIWEEKLY, today, grace_days, 24),
        ReportingCycle.WEEKLY: ended_periods(ReportingCycle.WEEKLY, today, grace_days, 52),
    }


def missed_reports(tasks: QuerySet[Task], *, cycle: str, period: Period) -> QuerySet[TaskUnit]:
    """The lead units' assignments (TaskUnit, with task and unit) of ``tasks`` of ``cycle`` that owed a
    report for ``period`` and made none: the task was given on or before the period's last day and was not
    done by then. Nothing fetched; in the 台账's order. Whether the period has ended is the caller's
    (recent_periods)."""
    owing = selectors.with_standing(
        tasks.filter(status=Task.Status.CONFIRMED, reporting_cycle=cycle), period.end
    ).annotate(light_start=F("started_on"))
    owing = owing.filter(light_start__lte=period.end).exclude(ledger_standing="done")
    reported = ProgressReport.objects.filter(task=OuterRef("task"), unit=OuterRef("unit"), period=period.code)
    return (
        selectors.leading_assignments()
        .filter(task__in=owing.values("pk"))
        .filter(~Exists(reported))
        .select_related("task", "unit", "task__document", "task__owner")
        .order_by(
            "task__ledger_place",
            "task__pk",
            "unit__name",
        )
    )
