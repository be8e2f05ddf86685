"""起算日期 (Task.started_on) follows 交办 and 入台账 through every door: a save, and a queryset update that
calls no save (the loaders', the generator's, a fixture's)."""

import datetime as dt

import pytest

from duban.ledger.models import Task

pytestmark = pytest.mark.django_db

LATE_EVENING = dt.datetime(2020, 1, 2, 17, 30, tzinfo=dt.UTC)  # 2020-01-03 01:30 in Beijing


def test_a_queryset_update_of_assigned_at_moves_the_start_to_the_beijing_day(lw):
    Task.objects.filter(pk=lw.task_a.pk).update(assigned_at=LATE_EVENING)
    assert Task.objects.get(pk=lw.task_a.pk).started_on == dt.date(2020, 1, 3)


def test_without_assigned_at_the_start_is_the_day_it_entered_the_ledger(lw):
    Task.objects.filter(pk=lw.task_b.pk).update(assigned_at=None, reviewed_at=LATE_EVENING)
    assert Task.objects.get(pk=lw.task_b.pk).started_on == dt.date(2020, 1, 3)


def test_an_update_of_other_fields_leaves_the_start_alone(lw):
    before = Task.objects.get(pk=lw.task_a.pk).started_on
    Task.objects.filter(pk=lw.task_a.pk).update(title="改了标题")
    assert Task.objects.get(pk=lw.task_a.pk).started_on == before
