"""The ledger's standing counted by day (duban.ledger.tallies) follows every door a task is written through, and
what it sums to on a day is what with_standing says of the tasks that day."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from duban.ledger.models import Deadline, StandingChange, Task
from duban.ledger.selectors import DUE_SOON_DAYS, with_standing
from duban.ledger.tallies import TaskKey, standing_changes_differences, standing_changes_rebuild, steps
from tests.factories import ledger_tasks_create

pytestmark = pytest.mark.django_db

D = dt.date


def stands(key: TaskKey, day: dt.date) -> dict[str, int]:
    counted: dict[str, int] = {}
    for when, measure, n in steps(key, DUE_SOON_DAYS):
        if when <= day:
            counted[measure] = counted.get(measure, 0) + n
    return {measure: n for measure, n in counted.items() if n}


def test_a_task_with_a_deadline_is_due_soon_then_overdue_until_it_is_done():
    key = TaskKey(1, "confirmed", D(2020, 3, 1), D(2020, 4, 20), D(2020, 4, 15))
    assert stands(key, D(2020, 2, 29)) == {}
    assert stands(key, D(2020, 3, 1)) == {"tasks": 1}
    assert stands(key, D(2020, 4, 15) - dt.timedelta(days=DUE_SOON_DAYS)) == {"tasks": 1, "due_soon": 1}
    assert stands(key, D(2020, 4, 15)) == {"tasks": 1, "due_soon": 1}
    assert stands(key, D(2020, 4, 16)) == {"tasks": 1, "overdue": 1}
    assert stands(key, D(2020, 4, 20)) == {"tasks": 1, "done": 1}


def test_a_task_done_before_it_was_given_counts_done_from_the_day_it_was_given():
    key = TaskKey(1, "confirmed", D(2020, 3, 1), D(2020, 2, 1), None)
    assert stands(key, D(2020, 3, 1)) == {"tasks": 1, "done": 1}


def test_a_task_without_a_deadline_and_a_draft():
    assert stands(TaskKey(1, "confirmed", D(2020, 3, 1), None, None), D(2021, 1, 1)) == {"tasks": 1, "no_deadline": 1}
    assert steps(TaskKey(1, "draft", D(2020, 3, 1), None, None), DUE_SOON_DAYS) == []
    assert steps(TaskKey(1, "confirmed", None, None, None), DUE_SOON_DAYS) == []


def test_the_sum_up_to_a_day_is_the_ledger_standing_on_that_day(world):
    tasks = ledger_tasks_create(world.city, [world.cgj, world.jyj], 12)
    rng = random.Random(4)
    for task in tasks:
        for _ in range(rng.randrange(3)):
            Deadline.objects.create(task=task, date=D(2020, 1, 1) + dt.timedelta(days=rng.randrange(200)), text="时限")
        if rng.random() < 0.4:
            Task.objects.filter(pk=task.pk).update(done_on=D(2020, 1, 1) + dt.timedelta(days=rng.randrange(200)))
    assert standing_changes_differences() == []
    confirmed = Task.objects.filter(jurisdiction=world.city, status=Task.Status.CONFIRMED)
    for day in (D(2019, 12, 31), D(2020, 2, 1), D(2020, 3, 15), D(2020, 6, 30), D(2026, 1, 1)):
        expected: dict[str, int] = {}
        for task in with_standing(confirmed.filter(given_on__lte=day), day):
            expected["tasks"] = expected.get("tasks", 0) + 1
            if task.ledger_standing != "open":
                expected[task.ledger_standing] = expected.get(task.ledger_standing, 0) + 1
        summed: dict[str, int] = {}
        for measure, n in StandingChange.objects.filter(jurisdiction=world.city, day__lte=day).values_list(
            "measure", "n"
        ):
            summed[measure] = summed.get(measure, 0) + n
        assert {m: n for m, n in summed.items() if n} == expected, day


def test_deletes_bulk_creates_and_the_rebuild_keep_the_steps(world):
    tasks = ledger_tasks_create(world.city, [world.cgj], 3)
    Deadline.objects.filter(task=tasks[0]).delete()
    Task.objects.filter(pk=tasks[1].pk).update(status=Task.Status.DRAFT)
    assert standing_changes_differences() == []
    StandingChange.objects.all().delete()
    assert standing_changes_differences()
    standing_changes_rebuild()
    assert standing_changes_differences() == []
