"""Progress reports counted by period (duban.reports.tallies) follow every door a report is written through, and
the 督查通报 reads the same from them as from the rows, the clock set back before reports included."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ledger.models import ProgressReport
from duban.reports.models import ReportTally
from duban.reports.periods import period_containing
from duban.reports.tallies import report_tallies_differences, report_tallies_rebuild
from duban.reports.tongbao import Reading, _count_reports, _count_reports_from_rows
from tests.factories import ledger_tasks_create

pytestmark = pytest.mark.django_db

D = dt.date


def report(task, unit, day: dt.date, period: str) -> ProgressReport:
    return ProgressReport.objects.create(task=task, unit=unit, period=period, reported_on=day, text="推进", percent=10)


def in_month(w, month: dt.date) -> tuple[int, int]:
    row = ReportTally.objects.filter(jurisdiction=w.city, cycle="month", start=month).first()
    return (row.reports, row.tasks) if row else (0, 0)


def test_a_period_counts_its_reports_and_the_tasks_they_are_on(world):
    first, second = ledger_tasks_create(world.city, [world.cgj, world.jyj], 2, prefix="报送")
    report(first, world.cgj, D(2020, 5, 6), "2020-05")
    report(first, world.jyj, D(2020, 5, 7), "2020-05")
    moved = report(second, world.jyj, D(2020, 5, 8), "2020-05")
    assert in_month(world, D(2020, 5, 1)) == (3, 2)

    moved.reported_on = D(2020, 6, 1)  # a save that moves it
    moved.save()
    assert in_month(world, D(2020, 5, 1)) == (2, 1)
    assert in_month(world, D(2020, 6, 1)) == (1, 1)
    moved.delete()
    assert in_month(world, D(2020, 6, 1)) == (0, 0)
    assert report_tallies_differences() == []


def test_bulk_creates_updates_and_the_rebuild_keep_the_tallies(world):
    first, second = ledger_tasks_create(world.city, [world.cgj, world.jyj], 2, prefix="报送")
    report(first, world.cgj, D(2020, 5, 6), "2020-05")
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                task=first, unit=world.jyj, period="2020-05", reported_on=D(2020, 5, 9), text="批量", percent=5
            ),
            ProgressReport(
                task=second, unit=world.cgj, period="2020-05", reported_on=D(2020, 5, 9), text="批量", percent=5
            ),
        ]
    )
    assert in_month(world, D(2020, 5, 1)) == (3, 2)
    assert report_tallies_differences() == []
    ProgressReport.objects.filter(task=second).update(reported_on=D(2020, 7, 1))
    assert in_month(world, D(2020, 5, 1)) == (2, 1)
    assert report_tallies_differences() == []
    ReportTally.objects.all().delete()
    assert report_tallies_differences()
    report_tallies_rebuild()
    assert report_tallies_differences() == []


def test_with_the_clock_set_back_the_running_period_counts_from_the_rows(world):
    (task,) = ledger_tasks_create(world.city, [world.cgj], 1, prefix="报送")
    report(task, world.cgj, D(2020, 5, 6), "2020-05")
    report(task, world.jyj, D(2020, 5, 20), "2020-05")
    month = period_containing("month", D(2020, 5, 1))
    readings = [Reading(month, D(2020, 5, 10)), Reading(month, month.end)]
    tallied = [{} for _ in readings]
    from_rows = [{} for _ in readings]
    _count_reports(world.city, readings, tallied)
    _count_reports_from_rows(world.city, readings, from_rows)
    assert (
        tallied
        == from_rows
        == [
            {"reports": 1, "reported_tasks": 1},
            {"reports": 2, "reported_tasks": 1},
        ]
    )
