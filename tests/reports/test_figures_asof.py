"""The 督查通报's figures of many periods at once (tongbao.readings_counts: each of its four queries groups
the rows by the periods they count in, duban.reports.figures) against the same figures asked the plain
way, one period and one question at a time (``one_period`` below: the queries the 通报 made before), on
the small ledger of tongbao_world with a hundred more tasks, reports, 督办单 and decisions drawn at random:
every period of every cycle from April to the day the ledger is read, figure by figure."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from duban.accountability.models import Decision
from duban.accountability.selectors import JsonListHasAny
from duban.accountability.services import decision_appeal, decision_exempt, decision_revoke
from duban.ledger.models import ProgressReport, SupervisionOrder
from duban.ledger.selectors import with_standing
from duban.ledger.services import order_answer, order_issue, progress_report_create, task_mark_done
from duban.reports.periods import CYCLE_REPORTS
from duban.reports.tongbao import (
    FIGURES,
    IN_FORCE,
    STANDING_ORDER,
    Reading,
    _criticism_names,
    ledger_tasks,
    periods_of_cycle,
    readings_counts,
)
from duban.scoring.selectors import public_exposures_query
from tests.factories import decide
from tests.reports.tongbao_world import _document, build_tongbao_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 7, 10)
METHODS = ["通报批评", "公开曝光", "工作约谈", "责令作出书面检查", "问题通报"]


def one_period(jurisdiction, period, as_of) -> dict[str, int]:
    """The figures of one period, each by its own question (the 通报's queries before readings_counts)."""
    tasks = ledger_tasks(jurisdiction, as_of)
    standing = with_standing(tasks, as_of)
    counts = {"tasks": tasks.count()}
    for code in STANDING_ORDER:
        counts[f"standing_{code}"] = standing.filter(ledger_standing=code).count()
    before = period.start - dt.timedelta(days=1)
    done_before = with_standing(ledger_tasks(jurisdiction, before), before).filter(ledger_standing="done")
    counts["completed"] = standing.filter(ledger_standing="done").exclude(pk__in=done_before.values("pk")).count()
    # every report made in the period, on whichever task (one dated before its task's 在账日期 too)
    reports = ProgressReport.objects.filter(
        task__jurisdiction=jurisdiction, reported_on__gte=period.start, reported_on__lte=as_of
    )
    counts["reports"] = reports.count()
    counts["reported_tasks"] = reports.values("task").distinct().count()
    orders = SupervisionOrder.objects.filter(jurisdiction=jurisdiction, issued_on__lte=as_of)
    counts["orders_issued"] = orders.filter(issued_on__gte=period.start).count()
    counts["orders_answered"] = orders.filter(answered_on__gte=period.start, answered_on__lte=as_of).count()
    counts["orders_pending"] = orders.filter(Q(answered_on__isnull=True) | Q(answered_on__gt=as_of)).count()
    decided = Decision.objects.filter(
        jurisdiction=jurisdiction, status__in=IN_FORCE, date__gte=period.start, date__lte=as_of
    )
    criticising = decided.filter(JsonListHasAny("methods", _criticism_names(jurisdiction)))
    exposing = public_exposures_query(jurisdiction).filter(date__gte=period.start, date__lte=as_of)
    counts["criticisms"] = criticising.count()
    counts["exposures"] = exposing.count()
    counts["decisions"] = decided.filter(Q(pk__in=criticising.values("pk")) | Q(pk__in=exposing.values("pk"))).count()
    return counts


def _random_ledger(tw, seed: int) -> None:
    """A hundred more tasks (three documents of April, May and June; deadlines from March to September or
    none), some done, reported on, sent a 督办单 once late, and thirty decisions of any method, some under
    appeal, revoked or exempted."""
    rng = random.Random(seed)
    w = tw.w
    units = [w.cgj, w.jyj, w.wjw]
    day = dt.date(2020, 3, 1)

    def some_day(start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=rng.randrange((end - start).days + 1))

    tasks = []
    for number, (name, given) in enumerate(
        [("四月补充任务", "2020-04-08"), ("五月补充任务", "2020-05-13"), ("六月补充任务", "2020-06-24")], start=10
    ):
        rows = []
        for n in range(34):
            deadline = None if rng.random() < 0.2 else some_day(day, dt.date(2020, 9, 30)).isoformat()
            rows.append((f"R{number}-{n}", units[rng.randrange(3)].name, deadline, []))
        tasks += _document(w, number, name, given, rows)
    for task in tasks:
        lead = task.assignments.get(role="lead").unit
        deadline = task.deadlines.order_by("date").values_list("date", flat=True).first()
        if rng.random() < 0.5:
            with contextlib.suppress(ValidationError):  # one report a period
                progress_report_create(
                    actor=None,
                    task=task,
                    unit=lead,
                    text="推进中",
                    percent=rng.randrange(101),
                    reported_on=some_day(dt.date(2020, 4, 1), TODAY),
                )
        if deadline is not None and deadline < TODAY - dt.timedelta(days=2) and rng.random() < 0.3:
            issued = some_day(max(deadline, dt.date(2020, 4, 1)) + dt.timedelta(days=1), TODAY)
            order = order_issue(
                actor=None,
                task=task,
                unit=lead,
                reason="逾期",
                reply_by=issued + dt.timedelta(days=7),
                issued_on=issued,
            )
            if rng.random() < 0.6:
                order_answer(actor=None, order=order, answer="已办", answered_on=some_day(issued, TODAY))
        if rng.random() < 0.3:
            task_mark_done(actor=None, task=task, on=some_day(dt.date(2020, 4, 1), TODAY))
    for _ in range(30):
        methods = rng.sample(METHODS, rng.choice([1, 1, 2]))
        decision = decide(w, some_day(dt.date(2020, 4, 22), TODAY).isoformat(), methods, unit=units[rng.randrange(3)])
        fate = rng.random()
        if fate < 0.2:  # appealed: still in force; then, for some, revoked
            decision_appeal(actor=w.actor, decision=decision, filed_on=decision.date)
            if fate < 0.1:
                decision_revoke(actor=w.actor, decision=decision, reason="撤销")
        elif fate < 0.3:
            decision_exempt(actor=w.actor, decision=decision, ground=1, reason="容错")


@pytest.mark.parametrize("seed", [1, 2])
def test_every_period_of_every_cycle_counts_as_one_period_at_a_time(settings, seed):
    settings.DUBAN_TODAY = TODAY.isoformat()
    tw = build_tongbao_world()
    _random_ledger(tw, seed)
    city = tw.w.city
    periods = [p for cycle in CYCLE_REPORTS for p in periods_of_cycle(cycle, first=dt.date(2020, 3, 1), today=TODAY)]
    readings = [Reading(p, min(p.end, TODAY)) for p in periods]
    counted = readings_counts(city, readings)
    assert len(readings) == 31  # 20 weeks (from 02-24), 5 months, 3 quarters, 2 halves, 1 year
    for reading, counts in zip(readings, counted, strict=True):
        assert counts == one_period(city, reading.period, reading.as_of), reading.period.code
    # the ledger is not empty of what it counts
    totals = {key: sum(c[key] for c in counted) for key in [*FIGURES, "decisions"]}
    assert all(totals.values()), totals


def test_decisions_grouped_by_method_not_counted_twice(settings):
    """A decision naming two methods that both count (通报批评 and 公开曝光) is one decision of the list."""
    settings.DUBAN_TODAY = TODAY.isoformat()
    tw = build_tongbao_world()
    decide(tw.w, "2020-07-01", ["通报批评", "公开曝光"])
    from duban.reports.periods import parse_period

    (july,) = readings_counts(tw.w.city, [Reading(parse_period("2020-07"), TODAY)])
    assert (july["criticisms"], july["exposures"], july["decisions"]) == (1, 1, 1)
    assert Decision.objects.filter(date__gte="2020-07-01").aggregate(n=Count("pk"))["n"] == 1
