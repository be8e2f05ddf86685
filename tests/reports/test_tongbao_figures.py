"""The 督查通报's figures for June 2020 and May (the period before) on the small ledger of
tests/reports/tongbao_world.py, each number worked out by hand from the story told there."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from duban.reports.exports import ExportError
from duban.reports.periods import parse_period
from duban.reports.tongbao import periods_of_cycle, tongbao_report
from tests.reports.tongbao_world import build_tongbao_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 7, 10)


class Rollback(Exception):
    """Undoes one world of the query-count test."""


@pytest.fixture
def tw(settings):
    settings.DUBAN_TODAY = "2020-07-10"
    return build_tongbao_world()


# (June as of 06-30, May as of 05-31). May: T1–T6 given (T7 came on 06-10); T1 overdue since 05-21,
# T2 T3 T5 open (deadlines 06-15, 06-20, 07-02 more than 3 days off), T4 without deadline, T6 closed
# on 05-15. June: T1 and T3 overdue, T5 due on 07-02 (2 days), T7 open, T2 done by its 100% of
# 06-10, T6 still done, T4 without deadline.
EXPECTED = {
    "tasks": (7, 6),
    "standing_overdue": (2, 1),
    "standing_due_soon": (1, 0),
    "standing_open": (1, 3),
    "standing_no_deadline": (1, 1),
    "standing_done": (2, 1),
    "completed": (1, 1),  # June: T2 (T6 was done in May already); May: T6
    "reports": (2, 1),  # June: T2 on 06-10, T4 on 06-05; May: T3 on 05-25
    "reported_tasks": (2, 1),
    "orders_issued": (1, 1),  # June: T3's; May: T1's
    "orders_answered": (1, 0),  # T1's, answered on 06-03
    "orders_pending": (1, 1),  # June's end: T3's; May's end: T1's
    "criticisms": (1, 1),  # 06-18; 05-12 (the 工作约谈 of 06-20 is neither)
    "exposures": (2, 0),  # 06-28 directly, 06-22 by escalation (the second 书面检查 of 教育局 this year)
}


def test_each_figure_of_june_beside_may(tw):
    report = tongbao_report(tw.w.city, parse_period("2020-06"), today=TODAY)
    assert (report.as_of, report.previous.code, report.previous_as_of) == (
        dt.date(2020, 6, 30),
        "2020-05",
        dt.date(2020, 5, 31),
    )
    assert {f.key: (f.value, f.previous) for f in report.figures} == EXPECTED
    assert report.figure("standing_open").change_text == "减少2项"
    assert report.figure("tasks").change_text == "增加1项"
    assert report.figure("standing_no_deadline").change_text == "持平"
    assert report.figure("standing_overdue").label == "红灯（已逾期）"


def test_overdue_tasks_by_lead_unit_and_how_late(tw):
    report = tongbao_report(tw.w.city, parse_period("2020-06"), today=TODAY)
    assert [(r.ref, r.units, r.deadline, r.days_late, r.orders) for r in report.overdue] == [
        ("T1", ["市城市管理局"], dt.date(2020, 5, 20), 41, 1),
        ("T3", ["市卫健体委"], dt.date(2020, 6, 20), 10, 1),
    ]
    # 城管 leads T1 (overdue), T4, T7 — not T2, where it is only responsible.
    assert [(u.name, u.tasks, u.overdue, u.longest_late, u.counts["done"]) for u in report.units] == [
        ("市城市管理局", 3, 1, 41, 0),
        ("市卫健体委", 2, 1, 10, 1),
        ("市教育局", 2, 0, 0, 1),
    ]


def test_orders_and_decisions_of_the_period(tw):
    report = tongbao_report(tw.w.city, parse_period("2020-06"), today=TODAY)
    assert [(o.number, o.unit, o.issued_on, o.answered_on) for o in report.orders] == [
        ("督办〔2020〕2号", "市卫健体委", dt.date(2020, 6, 25), None)
    ]
    assert [(d.date, d.unit, d.methods, d.criticism, d.exposure) for d in report.decisions] == [
        (dt.date(2020, 6, 18), "市城市管理局", ["通报批评"], True, False),
        (dt.date(2020, 6, 22), "市教育局", ["责令作出书面检查"], False, True),
        (dt.date(2020, 6, 28), "市城市管理局", ["公开曝光"], False, True),
    ]
    assert report.decisions[0].situation_reference == "第六条第（十一）项"


def test_a_running_period_is_read_as_of_today(tw):
    """July 2020 on 07-10: T5's deadline of 07-02 has passed; T1's 督办单 answered in June is not July's."""
    report = tongbao_report(tw.w.city, parse_period("2020-07"), today=TODAY)
    assert report.as_of == TODAY and report.running
    figures = {f.key: (f.value, f.previous) for f in report.figures}
    assert figures["standing_overdue"] == (3, 2)
    assert figures["orders_answered"] == (0, 1)
    assert [r.days_late for r in report.overdue] == [51, 20, 8]


def test_a_week_and_a_quarter(tw):
    week = tongbao_report(tw.w.city, parse_period("2020-W26"), today=TODAY)  # 06-22 … 06-28
    figures = {f.key: (f.value, f.previous) for f in week.figures}
    assert figures["orders_issued"] == (1, 0)  # 06-25; the week before (06-15 … 06-21) none
    assert figures["exposures"] == (2, 0)
    assert figures["criticisms"] == (0, 1)  # 06-18 was in W25
    assert figures["completed"] == (0, 0)  # T2 became done on 06-10, in W24
    quarter = tongbao_report(tw.w.city, parse_period("2020-Q2"), today=TODAY)
    assert quarter.figure("completed").value == 2 and quarter.figure("criticisms").value == 2


def test_a_period_not_yet_begun_is_refused(tw):
    with pytest.raises(ExportError, match="2020年8月尚未开始，不能生成月调度"):
        tongbao_report(tw.w.city, parse_period("2020-08"), today=TODAY)


def test_the_periods_of_a_cycle_back_to_the_first_task():
    codes = [p.code for p in periods_of_cycle("month", first=dt.date(2020, 4, 20), today=TODAY)]
    assert codes == ["2020-07", "2020-06", "2020-05", "2020-04"]
    assert [p.code for p in periods_of_cycle("half", first=dt.date(2020, 4, 20), today=TODAY)] == ["2020-H2", "2020-H1"]


@pytest.mark.parametrize("cycle", ["2020-06", "2020-W26"])
def test_the_figures_take_the_same_queries_for_5_and_50_tasks(settings, cycle):
    settings.DUBAN_TODAY = "2020-07-10"
    counted = []
    for extra in (5, 50):
        with contextlib.suppress(Rollback), transaction.atomic():
            world = build_tongbao_world(extra_tasks=extra)
            with CaptureQueriesContext(connection) as queries:
                report = tongbao_report(world.w.city, parse_period(cycle), today=TODAY)
            assert report.figure("tasks").value == 7 + extra
            assert len(report.overdue) > extra // 3  # the extra tasks with a deadline (06-10) are overdue
            counted.append(len(queries))
            raise Rollback
    assert counted[0] == counted[1], counted
