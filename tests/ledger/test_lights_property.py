"""亮灯 on a generated ledger: a few hundred tasks of a city and its county (seeded), every kind of unit
list, deadline, report history and 督办单, looked at on several days under two sets of 督办设置. The light the
database computes (lights.with_lights), the light of the task read in Python (lights.task_light) and a plain
reading of the thresholds written here from the rule's words (lights.py's docstring) agree on every task,
light and reasons alike."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from duban.accounts.services import unit_create
from duban.ledger import lights, selectors
from duban.ledger.facts import task_facts_refresh
from duban.ledger.models import Deadline, ProgressReport, ReportingCycle, SupervisionOrder, Task, TaskUnit
from duban.ledger.supervision import settings_for
from tests.factories import city_create, county_create

pytestmark = pytest.mark.django_db

D = dt.date
LOCAL = ZoneInfo("Asia/Shanghai")
TASKS = 320
DAYS = [D(2020, 3, 15), D(2020, 6, 30), D(2020, 7, 1), D(2020, 9, 16), D(2020, 12, 10), D(2021, 2, 1)]
CYCLES = [ReportingCycle.MONTHLY, ReportingCycle.BIWEEKLY, ReportingCycle.WEEKLY]
# (role, position) lists: a 牵头单位 or two; none, where the first 责任单位 leads; a 配合单位 first in position
UNIT_PATTERNS = [
    [("lead", 0)],
    [("lead", 0), ("responsible", 0)],
    [("lead", 0), ("lead", 1), ("cooperating", 0)],
    [("responsible", 0), ("responsible", 1)],
    [("cooperating", 0), ("responsible", 1)],
    [("responsible", 1), ("cooperating", 0), ("responsible", 0)],
]

STRICT = """
reference: 测试
acknowledge: {within_working_days: 1}
extension: {approver: office}
lights: {warning_days: 10, behind_trajectory_points: null, missed_reports: 2, order_overdue_red: false}
reports: {grace_days: 3}
ladder: {rungs: []}
"""
COUNTY_STRICT = """
extends: zhumadian
lights: {warning_days: 0, behind_trajectory_points: 10, missed_reports: 3}
reports: {grace_days: 0}
"""


@dataclass
class Plan:
    """What the generator made, as plain values (what the plain reading reads)."""

    task: Task
    cycle: str
    start: dt.date | None
    deadlines: list[dt.date]
    leads: list[int]
    reports: list[tuple[int, str, dt.date, int]] = field(default_factory=list)  # unit, period, day, %
    orders: list[tuple[dt.date, dt.date, dt.date | None]] = field(default_factory=list)  # issued, reply by, answered


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    # early-morning times in Beijing fall on the day before in UTC: the start must be the local date
    return dt.datetime.combine(day, dt.time(rng.choice([0, 3, 7, 9, 15, 23]), rng.randrange(60)), LOCAL)


def _generate(seed: int) -> list[Plan]:
    rng = random.Random(seed)
    city = city_create()
    county = county_create(city)
    units = {
        j.pk: [unit_create(actor=None, jurisdiction=j, name=f"{j.name}单位{n}") for n in range(4)]
        for j in (city, county)
    }
    plans = []
    reports: list[ProgressReport] = []
    serial = 0
    for n in range(TASKS):
        jurisdiction = city if rng.random() < 0.75 else county
        cycle = rng.choice(CYCLES)
        start = D(2020, 1, 1) + dt.timedelta(days=rng.randrange(300))
        has = rng.random()
        assigned = _moment(rng, start) if has < 0.8 else None
        reviewed = _moment(rng, start) if has >= 0.8 and has < 0.95 else _moment(rng, start - dt.timedelta(days=9))
        if has >= 0.95:
            reviewed = None
        task = Task.objects.create(
            jurisdiction=jurisdiction,
            source_kind="meeting",
            ref=str(n),
            title=f"生成任务{n}",
            status=Task.Status.CONFIRMED,
            reporting_cycle=cycle,
            assigned_at=assigned,
            reviewed_at=reviewed,
            done_on=start + dt.timedelta(days=rng.randrange(20, 300)) if rng.random() < 0.1 else None,
        )
        real_start = (assigned or reviewed).astimezone(LOCAL).date() if (assigned or reviewed) else None
        deadlines = sorted({_near(rng, start) for _ in range(rng.choice([0, 1, 1, 1, 2]))})
        Deadline.objects.bulk_create([Deadline(task=task, text="生成", date=day) for day in deadlines])
        pattern = rng.choice(UNIT_PATTERNS)
        chosen = rng.sample(units[jurisdiction.pk], len(pattern))
        for (role, position), unit in zip(pattern, chosen, strict=True):
            TaskUnit.objects.create(task=task, role=role, printed_name=unit.name, unit=unit, position=position)
        leads = [u.pk for (role, _), u in zip(pattern, chosen, strict=True) if role == "lead"]
        if not leads:
            first = min(
                ((position, i) for i, (role, position) in enumerate(pattern) if role != "cooperating"),
            )
            leads = [chosen[first[1]].pk]
        plan = Plan(task, cycle, real_start, deadlines, leads)
        diligence = rng.choice([0.0, 0.5, 0.9, 1.0])
        for unit in chosen:
            percent = 0
            day = start - dt.timedelta(days=rng.randrange(0, 20))
            while day < D(2021, 2, 1):
                period = selectors.period_of(cycle, day)
                end = selectors.period_end(cycle, day)
                if rng.random() < diligence:
                    percent = min(100, percent + rng.choice([0, 5, 10, 20, 40]))
                    on = day + dt.timedelta(days=rng.randrange((end - day).days + 1))
                    reports.append(
                        ProgressReport(
                            task=task, unit=unit, period=period, reported_on=on, text="进展", percent=percent
                        )
                    )
                    plan.reports.append((unit.pk, period, on, percent))
                day = end + dt.timedelta(days=1)
        if rng.random() < 0.35:
            serial += 1
            issued = start + dt.timedelta(days=rng.randrange(200))
            reply_by = max(issued, _near(rng, issued))
            answered = max(issued, _near(rng, reply_by)) if rng.random() < 0.5 else None
            SupervisionOrder.objects.create(
                jurisdiction=jurisdiction,
                year=issued.year,
                serial=serial,
                task=task,
                unit=chosen[0],
                reason="生成",
                reply_by=reply_by,
                issued_on=issued,
                status="answered" if answered else "issued",
                answered_on=answered,
            )
            plan.orders.append((issued, reply_by, answered))
        plans.append(plan)
    ProgressReport.objects.bulk_create(reports)
    task_facts_refresh([plan.task.pk for plan in plans])  # bulk_create sends no signals (duban.ledger.facts)
    return plans


def _near(rng: random.Random, day: dt.date) -> dt.date:
    """A date some way after ``day``, or (often) on or next to a boundary of one of the days looked at:
    the day itself, the warning windows' last days, a day either side."""
    if rng.random() < 0.5:
        return day + dt.timedelta(days=rng.randrange(-10, 330))
    return rng.choice(DAYS) + dt.timedelta(days=rng.choice([-1, 0, 0, 1, 2, 3, 4, 5, 6, 9, 10, 11]))


def _plain(plan: Plan, today: dt.date, done: bool) -> tuple[str, frozenset[str]]:
    """The thresholds read plainly from the settings, on the generator's own record of the task."""
    if done:
        return "done", frozenset()
    s = settings_for(plan.task.jurisdiction)
    reasons = set()
    deadline = min(plan.deadlines) if plan.deadlines else None
    if deadline is not None and deadline < today:
        reasons.add("overdue")
    if s.order_overdue_red:
        for issued, reply_by, answered in plan.orders:
            if issued <= today and reply_by < today and (answered is None or answered > today):
                reasons.add("order_overdue")
    if deadline is not None and today <= deadline <= today + dt.timedelta(days=s.warning_days):
        reasons.add("due_soon")
    points = s.behind_trajectory_points
    if points is not None and deadline is not None and plan.start is not None and plan.start < deadline:
        share = Fraction((today - plan.start).days, (deadline - plan.start).days)
        share = min(max(share, Fraction(0)), Fraction(1))
        latest = []
        for unit in plan.leads:
            mine = [(day, pct) for u, _, day, pct in plan.reports if u == unit and day <= today]
            latest.append(max(mine)[1] if mine else 0)
        if 100 * share - min(latest) > points:
            reasons.add("behind")
    if plan.start is not None:
        ended = {}  # every period ending on or after the start that has ended by today
        day = max(plan.start, today - dt.timedelta(days=200))
        while day < today:
            end = selectors.period_end(plan.cycle, day)
            if end >= plan.start and end + dt.timedelta(days=s.report_grace_days) < today:
                ended[selectors.period_of(plan.cycle, day)] = end
            day += dt.timedelta(days=1)
        last = sorted(ended, key=ended.get)[-s.missed_reports_for_yellow :]
        if len(last) == s.missed_reports_for_yellow:
            for unit in plan.leads:
                if not any(u == unit and period in last for u, period, _, _ in plan.reports):
                    reasons.add("missed")
    if reasons & {"overdue", "order_overdue"}:
        return "red", frozenset(reasons)
    if reasons:
        return "yellow", frozenset(reasons)
    return "green", frozenset()


def _agree(plans: list[Plan]) -> tuple[set[str], set[str]]:
    seen_lights: set[str] = set()
    seen_reasons: set[str] = set()
    tasks = Task.objects.filter(status=Task.Status.CONFIRMED)
    by_pk = {p.task.pk: p for p in plans}
    for today in DAYS:
        by_sql = {}
        for task in lights.with_lights(tasks, today):
            reasons = frozenset(code for code in lights.REASON_LABELS if getattr(task, f"light_{code}"))
            reasons = frozenset() if task.light == "done" else reasons  # a done task's reasons are not read
            by_sql[task.pk] = (task.light, reasons)
        loaded = tasks.select_related("jurisdiction__parent").prefetch_related(
            "deadlines", "assignments", "progress_reports", "supervision_orders"
        )
        by_python = {}
        plain = {}
        for task in loaded:
            light = lights.task_light(task, today)
            by_python[task.pk] = (light.code, frozenset(light.reason_codes) if light.code != "green" else frozenset())
            plain[task.pk] = _plain(by_pk[task.pk], today, selectors.task_is_done(task, today))
        assert by_python == plain, today
        assert by_sql == plain, today
        seen_lights |= {code for code, _ in plain.values()}
        seen_reasons |= {r for _, reasons in plain.values() for r in reasons}
    _missed_agree(tasks)
    return seen_lights, seen_reasons


def _missed_agree(tasks) -> None:
    """The per-period list (SQL) holds exactly the missed reports each task's own reading finds."""
    today = D(2020, 12, 10)
    loaded = list(
        tasks.select_related("jurisdiction__parent").prefetch_related("assignments__unit", "progress_reports")
    )
    per_task = {(t.pk, m.unit.pk, m.period.code) for t in loaded for m in lights.task_missed_reports(t, today)}
    found = 0
    for cycle in CYCLES:
        for period in lights.ended_periods(cycle, today, 10, 3):  # ended for every grace used here
            by_sql = {
                (a.task_id, a.unit_id, period.code) for a in lights.missed_reports(tasks, cycle=cycle, period=period)
            }
            assert by_sql == {m for m in per_task if m[2] == period.code}, period
            found += len(by_sql)
    assert found > 20


def test_the_three_readings_of_the_lights_agree_under_the_shipped_settings():
    plans = _generate(seed=11)
    seen_lights, seen_reasons = _agree(plans)
    # the generated ledger is varied enough to mean something
    assert seen_lights == set(lights.LIGHT_LABELS)
    assert seen_reasons == set(lights.REASON_LABELS)


def test_the_three_readings_agree_under_other_thresholds(settings, tmp_path):
    (tmp_path / "zhumadian.yaml").write_text(STRICT, encoding="utf-8")
    (tmp_path / "yicheng.yaml").write_text(COUNTY_STRICT, encoding="utf-8")
    settings.DUBAN_SUPERVISION_DIR = str(tmp_path)
    plans = _generate(seed=12)
    seen_lights, seen_reasons = _agree(plans)
    assert seen_lights == set(lights.LIGHT_LABELS)
    assert {"overdue", "due_soon", "behind", "missed"} <= seen_reasons


def test_todays_lights_read_from_the_stored_facts_agree_with_the_rows(settings):
    """On the site's own day the lights read the tasks' stored facts (duban.ledger.facts) instead of their
    rows; with nothing dated after that day (as on a real site), the three readings still agree — after
    reports, 督办单 and answers are removed or changed one by one, each write refreshing its task's facts."""
    plans = _generate(seed=13)
    today = D(2020, 9, 16)
    settings.DUBAN_TODAY = today  # the site runs on this day: with_lights reads the stored facts
    ProgressReport.objects.filter(reported_on__gt=today).delete()
    SupervisionOrder.objects.filter(issued_on__gt=today).delete()
    for order in SupervisionOrder.objects.filter(answered_on__gt=today):
        order.answered_on, order.status = None, "issued"
        order.save()
    for plan in plans:
        plan.reports = [r for r in plan.reports if r[2] <= today]
        plan.orders = [(i, r, a if a is not None and a <= today else None) for i, r, a in plan.orders if i <= today]
    tasks = Task.objects.filter(status=Task.Status.CONFIRMED)
    by_pk = {p.task.pk: p for p in plans}
    seen = set()
    for task in lights.with_lights(tasks, today).select_related("jurisdiction__parent"):
        reasons = frozenset(code for code in lights.REASON_LABELS if getattr(task, f"light_{code}"))
        found = (task.light, frozenset() if task.light == "done" else reasons)
        assert found == _plain(by_pk[task.pk], today, task.done_on is not None and task.done_on <= today), task.pk
        seen.add(task.light)
    assert seen == set(lights.LIGHT_LABELS)
    stored = Task.objects.filter(pk__in=by_pk).values_list("pk", "earliest_deadline")
    assert all(day == (min(by_pk[pk].deadlines) if by_pk[pk].deadlines else None) for pk, day in stored)
