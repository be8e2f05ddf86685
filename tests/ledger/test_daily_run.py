"""The daily run (duban/ledger/daily.py): a registry of jobs run for every jurisdiction, each in its own
transaction, started by the huey worker's scheduler and by `manage.py ledger_reminders`."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.ledger import daily, tasks
from duban.ledger.models import Reminder

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps left it, restored after the test."""
    monkeypatch.setattr(daily, "_JOBS", dict(daily._JOBS))
    return daily._JOBS


def test_the_ledger_registers_its_reminders():
    assert daily.jobs()["ledger.reminders"] is daily.reminders_generate


def test_every_job_runs_for_every_jurisdiction_on_the_day(lw, registry):
    seen = []
    daily.register("test.seen", lambda *, jurisdiction, today: seen.append((jurisdiction.code, today)) or 2)
    runs = daily.run_daily(D(2020, 6, 13))
    assert sorted(seen) == sorted([(lw.city.code, D(2020, 6, 13)), (lw.county.code, D(2020, 6, 13))])
    assert {(r.jurisdiction.code, r.made) for r in runs if r.name == "test.seen"} == {
        (lw.city.code, 2),
        (lw.county.code, 2),
    }
    assert Reminder.objects.filter(kind="report_due").exists()  # the ledger's own job ran too


def test_a_failing_job_writes_nothing_and_leaves_the_others_to_run(lw, registry):
    def half_then_fail(*, jurisdiction, today):
        Reminder.objects.create(recipient=lw.users["office_city"], kind="x", text="半截", link="/", key="half")
        raise RuntimeError("boom")

    daily.register("test.fails", half_then_fail)
    runs = daily.run_daily(D(2020, 6, 13))
    failed = [r for r in runs if r.error]
    assert {r.name for r in failed} == {"test.fails"} and "boom" in failed[0].error
    assert not Reminder.objects.filter(key="half").exists()
    assert Reminder.objects.filter(kind="report_due").exists()


def test_the_command_reports_a_failed_job_and_exits_1(lw, registry, capsys):
    daily.register("test.fails", lambda *, jurisdiction, today: 1 / 0)
    with pytest.raises(CommandError) as raised:
        call_command("ledger_reminders", "--date", "2020-06-13")
    assert raised.value.returncode == 1
    assert "test.fails 运行失败：ZeroDivisionError" in capsys.readouterr().err


def test_the_command_refuses_a_bad_date_with_exit_2(lw):
    with pytest.raises(CommandError, match="日期格式不对") as raised:
        call_command("ledger_reminders", "--date", "2020-13-40")
    assert raised.value.returncode == 2


def test_the_command_runs_the_day_once(lw, capsys):
    call_command("ledger_reminders", "--date", "2020-06-13")
    first = Reminder.objects.count()
    call_command("ledger_reminders", "--date", "2020-06-13")
    assert Reminder.objects.count() == first and "共生成提醒 0 条" in capsys.readouterr().out


def test_the_worker_schedules_the_daily_run_every_morning():
    from huey.contrib.djhuey import HUEY

    assert settings.HUEY["consumer"]["periodic"] is True and HUEY.utc  # huey reads its crontabs in UTC
    evening = dt.datetime(2020, 6, 13, 0, 0)
    minutes = [evening + dt.timedelta(minutes=m) for m in range(24 * 60)]
    fired = [m for m in minutes if any(t.name == "ledger.run_daily" for t in HUEY.read_periodic(m))]
    assert fired == [dt.datetime(2020, 6, 13, 22, 30)]  # once a day, 06:30 in Beijing


def test_the_periodic_task_runs_the_daily_run(lw, monkeypatch):
    monkeypatch.setattr("duban.clock.today", lambda: D(2020, 6, 13))
    tasks.daily_run.call_local()
    assert Reminder.objects.filter(kind="report_due").exists()
