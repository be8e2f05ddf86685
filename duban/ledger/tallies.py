"""The ledger's standing counted by day, kept by every task write: what the 督查通报 reads of any past day.

The 督查通报 reads, for each period, the confirmed tasks 在账 on a day and how many of them stand 已办结, 无时限,
已逾期 and 即将到期 then (duban.ledger.selectors.with_standing's rules, on that day). Worked out from the tasks on
each request, it costs in proportion to the ledger (a city of a province: 14,000 tasks, 25 ms). Each task's
standing is a function of three of its dates (在账日期 given_on, 办结 done_on, the earliest deadline) and of the
day: it enters the ledger on given_on, enters 已办结 on done_on (or given_on, if later), and between those stands
无时限 without a deadline, else 即将到期 from DUE_SOON_DAYS before its deadline through the deadline and 已逾期
after it. So a task is a few steps on the days' line, and StandingChange stores the steps of all of them summed
by (jurisdiction, day, measure): what stands on a day is the sum of the steps up to it (a few thousand rows a
jurisdiction, whatever its size; 办理中 is what is left).

Never a cache: each save and delete of a task (signals) and each update and bulk create of tasks
(models.TaskQuerySet: the facts' refresh, the document's and the source's saves included) takes its tasks' old
steps out and their new ones in, in the same transaction, read under the rows' lock, by an upsert that adds to
the row. ``standing_changes_rebuild`` counts them again from the tasks (the migration that made them);
``standing_changes_differences`` says where stored and counted disagree (the tests hold it empty).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection, transaction

from duban.counts import counts_add

# The task's fields its steps follow: an update of any of them moves them.
TALLIED_FIELDS = {"jurisdiction", "jurisdiction_id", "status", "given_on", "done_on", "earliest_deadline"}
_VALUES = ("jurisdiction_id", "status", "given_on", "done_on", "earliest_deadline")
CONFIRMED = "confirmed"  # Task.Status.CONFIRMED: only tasks in the ledger stand anywhere
ONE_DAY = dt.timedelta(days=1)


class TaskKey(NamedTuple):
    jurisdiction_id: int
    status: str
    given_on: dt.date | None
    done_on: dt.date | None
    deadline: dt.date | None


def key_of(task) -> TaskKey:
    """The key of a task as written (a row bulk_create has just inserted)."""
    return TaskKey(task.jurisdiction_id, task.status, task.given_on, task.done_on, task.earliest_deadline)


def task_keys(ids: Sequence[int], *, model=None) -> list[TaskKey]:
    """The keys of these tasks as the database holds them, their rows locked until the transaction ends."""
    from duban.ledger.models import Task

    rows = (model or Task).objects.filter(pk__in=list(ids))
    if connection.in_atomic_block and connection.features.has_select_for_update:
        rows = rows.select_for_update(no_key=True)
    return [TaskKey(*row) for row in rows.order_by("pk").values_list(*_VALUES)]


def steps(key: TaskKey, due_soon_days: int) -> list[tuple[dt.date, str, int]]:
    """The days a task enters (+1) or leaves (−1) the ledger and each standing (with_standing's rules)."""
    if key.status != CONFIRMED or key.given_on is None:
        return []
    given = key.given_on
    found = [(given, "tasks", 1)]
    done = max(given, key.done_on) if key.done_on is not None else None
    if done is not None:
        found.append((done, "done", 1))

    def between(measure: str, start: dt.date, end: dt.date | None) -> None:  # [start, end)
        if end is None or start < end:
            found.append((start, measure, 1))
            if end is not None:
                found.append((end, measure, -1))

    if key.deadline is None:
        between("no_deadline", given, done)
    else:
        after = key.deadline + ONE_DAY
        between("overdue", max(given, after), done)
        soon_end = after if done is None else min(after, done)
        between("due_soon", max(given, key.deadline - dt.timedelta(days=due_soon_days)), soon_end)
    return found


def _counts(keys: Iterable[TaskKey]) -> Counter:
    from duban.ledger.selectors import DUE_SOON_DAYS

    counted: Counter = Counter()
    for key in keys:
        for day, measure, n in steps(key, DUE_SOON_DAYS):
            counted[(key.jurisdiction_id, day, measure)] += n
    return counted


def standing_changes_apply(*, removed: Iterable[TaskKey], added: Iterable[TaskKey]) -> None:
    """Take the steps of the tasks of ``removed`` out and those of ``added`` in (one upsert)."""
    from duban.ledger.models import StandingChange

    deltas = _counts(added)
    deltas.subtract(_counts(removed))
    counts_add(
        StandingChange,
        keys=("jurisdiction_id", "day", "measure"),
        counts=("n",),
        rows=[(*key, n) for key, n in sorted(deltas.items())],
    )


def _counted(task_model, jurisdiction_ids: Sequence[int] | None) -> Counter:
    rows = task_model.objects.order_by().filter(status=CONFIRMED)
    if jurisdiction_ids is not None:
        rows = rows.filter(jurisdiction_id__in=list(jurisdiction_ids))
    return _counts(TaskKey(*row) for row in rows.values_list(*_VALUES).iterator(chunk_size=5000))


def standing_changes_rebuild(*, jurisdiction_ids: Sequence[int] | None = None, models=None) -> None:
    """Count the steps of these jurisdictions (all: None) again from their tasks. ``models``: a migration's own
    (Task, StandingChange)."""
    from duban.ledger import models as current

    task_model, change_model = models or (current.Task, current.StandingChange)
    counted = _counted(task_model, jurisdiction_ids)
    with transaction.atomic():
        stale = change_model.objects.all()
        if jurisdiction_ids is not None:
            stale = stale.filter(jurisdiction_id__in=list(jurisdiction_ids))
        stale.delete()
        change_model.objects.bulk_create(
            [change_model(jurisdiction_id=j, day=d, measure=m, n=n) for (j, d, m), n in counted.items() if n],
            batch_size=2000,
        )


def standing_changes_differences(*, jurisdiction_ids: Sequence[int] | None = None) -> list[str]:
    """Where the stored steps and the tasks counted again disagree, a line each (none: they agree)."""
    from duban.ledger.models import StandingChange, Task

    counted = _counted(Task, jurisdiction_ids)
    rows = StandingChange.objects.all()
    if jurisdiction_ids is not None:
        rows = rows.filter(jurisdiction_id__in=list(jurisdiction_ids))
    stored = Counter({(j, d, m): n for j, d, m, n in rows.values_list("jurisdiction_id", "day", "measure", "n")})
    return [
        f"{key}: stored {stored.get(key, 0)}, counted {counted.get(key, 0)}"
        for key in sorted(set(stored) | set(counted), key=str)
        if stored.get(key, 0) != counted.get(key, 0)
    ]


def standing_on(*, jurisdiction_id: int, day: dt.date) -> dict[str, int]:
    """How many of the jurisdiction's tasks stand 在账 (``tasks``) and at each standing on ``day`` (``open``:
    those left over), by one query of its StandingChange rows up to the day, whatever the number of tasks."""
    from django.db.models import Sum

    from duban.ledger.models import StandingChange

    rows = (
        StandingChange.objects.filter(jurisdiction_id=jurisdiction_id, day__lte=day)
        .order_by()
        .values_list("measure")
        .annotate(total=Sum("n"))
    )
    found = dict.fromkeys(StandingChange.Measure.values, 0)
    found.update(dict(rows))
    found["open"] = found["tasks"] - sum(found[m] for m in found if m != "tasks")
    return found


# --- every save and delete of a task ----------------------------------------------------------------


def _before(sender, instance, **kwargs) -> None:
    instance._steps_before = task_keys([instance.pk]) if instance.pk is not None else []


def _after_save(sender, instance, **kwargs) -> None:
    before, instance._steps_before = getattr(instance, "_steps_before", []), []
    standing_changes_apply(removed=before, added=task_keys([instance.pk]))


def _after_delete(sender, instance, **kwargs) -> None:
    before, instance._steps_before = getattr(instance, "_steps_before", []), []
    standing_changes_apply(removed=before, added=[])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from duban.ledger.models import Task

    pre_save.connect(_before, sender=Task, dispatch_uid="standing-changes-before-save")
    post_save.connect(_after_save, sender=Task, dispatch_uid="standing-changes-after-save")
    pre_delete.connect(_before, sender=Task, dispatch_uid="standing-changes-before-delete")
    post_delete.connect(_after_delete, sender=Task, dispatch_uid="standing-changes-after-delete")
