"""漏报 stored with each task (Task.missed, for the periods in Task.missed_window): worked out by the task's facts
refresh and by the daily run, read by the light only while those are the periods it asks for, emptied when the
task's start or cycle changes; otherwise the light works 漏报 out from the rows, as it always did."""

import datetime as dt

import pytest

from duban.ledger import daily, lights
from duban.ledger.facts import task_facts_refresh
from duban.ledger.models import Task
from duban.ledger.supervision import settings_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2020, 9, 10)  # July's and August's reports of the tasks given in June are owed


@pytest.fixture
def today(settings):
    settings.DUBAN_TODAY = TODAY.isoformat()
    return TODAY


def window_now(task: Task) -> str:
    settings = settings_for(task.jurisdiction)
    return lights.window_of(
        lights.ended_periods(
            task.reporting_cycle, TODAY, settings.report_grace_days, settings.missed_reports_for_yellow
        )
    )


def missed_from_the_rows(task: Task) -> bool:
    return any(reason.code == "missed" for reason in lights.task_light(task, TODAY).reasons)


def test_the_refresh_stores_for_todays_periods_what_the_rows_say(lw, today):
    tasks = list(Task.objects.filter(status=Task.Status.CONFIRMED))
    task_facts_refresh([task.pk for task in tasks])
    for task in Task.objects.filter(pk__in=[task.pk for task in tasks]):
        assert task.missed_window == window_now(task)
        assert task.missed == missed_from_the_rows(task), task


def test_the_light_reads_the_stored_answer_while_its_periods_are_todays(lw, today):
    task_facts_refresh([lw.task_b.pk])
    task = Task.objects.get(pk=lw.task_b.pk)
    Task.objects.filter(pk=task.pk).update(missed=not task.missed)  # what only the stored answer says
    read = lights.with_lights(Task.objects.filter(pk=task.pk), TODAY).get()
    assert read.light_missed is (not task.missed)


def test_an_answer_stored_for_other_periods_is_not_read(lw, today):
    task = Task.objects.get(pk=lw.task_b.pk)
    Task.objects.filter(pk=task.pk).update(missed_window="2019-01", missed=not missed_from_the_rows(task))
    read = lights.with_lights(Task.objects.filter(pk=task.pk), TODAY).get()
    assert read.light_missed is missed_from_the_rows(task)


def test_a_new_cycle_or_start_empties_the_stored_window(lw, today):
    task_facts_refresh([lw.task_a.pk, lw.task_b.pk])
    Task.objects.filter(pk=lw.task_a.pk).update(reporting_cycle=Task.ReportingCycle.WEEKLY)
    task_b = Task.objects.get(pk=lw.task_b.pk)
    task_b.assigned_at = dt.datetime(2020, 8, 20, 2, tzinfo=dt.UTC)
    task_b.save(update_fields=["assigned_at"])
    assert list(Task.objects.filter(pk__in=[lw.task_a.pk, lw.task_b.pk]).values_list("missed_window", flat=True)) == [
        "",
        "",
    ]


def test_the_daily_run_works_out_the_open_tasks_for_the_periods_ended_that_day(lw, today):
    Task.objects.filter(jurisdiction=lw.city).update(missed_window="")
    assert "ledger.missed" in daily.jobs()
    daily.jobs()["ledger.missed"](jurisdiction=lw.city, today=TODAY)
    for task in Task.objects.filter(jurisdiction=lw.city, status=Task.Status.CONFIRMED, done_on__isnull=True):
        assert task.missed_window == window_now(task)
        assert task.missed == missed_from_the_rows(task)
