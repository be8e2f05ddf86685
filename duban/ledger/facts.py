"""The stored facts of a task: what today's standing and 亮灯 read, kept in the row of the task.

The 台账's standing and light of a task depend on its other rows: its earliest deadline, the latest
progress of each unit that leads it, its unanswered 督办单, which of its units lead. Worked out for every
task of a jurisdiction on every request (correlated subqueries, selectors.with_standing and
lights.with_lights), they cost in proportion to the ledger: at a province's scale the 台账 took seconds.
So they are stored, in the task's own row (Task.started_on, earliest_deadline, lead_percent, orders_reply_by,
for 待签收 unacknowledged_units, for the 督查通报 given_on) and in each assignment (TaskUnit.leads), and kept
here: every save and delete of a Deadline, ProgressReport, TaskUnit or SupervisionOrder, from every door (the
services, the admin, the loaders), refreshes its task's facts in the same transaction (a signal; the receivers are connected in LedgerConfig.ready()). Never a
cache: nothing reads them that a write has not brought up to date. ``deferred()`` gathers the refreshes of
a write of many rows (an ingest) into one at the end of its block, still inside the transaction.

Which facts hold on which day: the earliest deadline and who leads do not depend on the day. The lowest
lead progress and the earliest reply date of an unanswered 督办单 are as of now: a report or an answer
dated later than a day looked at in the past would count in them, so lights.with_lights reads them only
for today (or later), and works the past out from the rows (the 督查通报 of a past period).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from duban.ledger.models import (
    Deadline,
    Document,
    ProgressReport,
    SupervisionOrder,
    Task,
    TaskSource,
    TaskUnit,
    given_on_expression,
    ledger_place_expression,
    started_on_expression,
    unacknowledged_units_expression,
)

_local = threading.local()


def task_facts_refresh(task_ids: Iterable[int]) -> None:
    """Work the stored facts of these tasks out again from their rows (three queries a chunk of tasks)."""
    ids = sorted({pk for pk in task_ids if pk is not None})
    if not ids:
        return
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.update(ids)
        return
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK])


CHUNK = 500  # tasks a statement names (SQLite's limit on parameters is far above)


def _refresh_chunk(ids: list[int]) -> None:
    from duban.ledger.selectors import leading_assignments_worked_out

    leading = leading_assignments_worked_out().filter(task_id__in=ids).values("pk")
    TaskUnit.objects.filter(task_id__in=ids, leads=True).exclude(pk__in=leading).update(leads=False)
    TaskUnit.objects.filter(task_id__in=ids, leads=False, pk__in=leading).update(leads=True)
    latest_percent = (
        ProgressReport.objects.filter(task=OuterRef("task"), unit=OuterRef("unit"))
        .order_by("-reported_on", "-pk")
        .values("percent")[:1]
    )
    lowest = (
        TaskUnit.objects.filter(task=OuterRef("pk"), leads=True)
        .annotate(p=Coalesce(Subquery(latest_percent, output_field=IntegerField()), Value(0)))
        .order_by("p")
        .values("p")[:1]
    )
    Task.objects.filter(pk__in=ids).update(
        started_on=started_on_expression(),
        given_on=given_on_expression(),
        ledger_place=ledger_place_expression(),
        unacknowledged_units=unacknowledged_units_expression(),
        earliest_deadline=Subquery(Deadline.objects.filter(task=OuterRef("pk")).order_by("date").values("date")[:1]),
        lead_percent=Subquery(lowest, output_field=IntegerField()),
        orders_reply_by=Subquery(
            SupervisionOrder.objects.filter(task=OuterRef("pk"), answered_on__isnull=True)
            .order_by("reply_by")
            .values("reply_by")[:1]
        ),
    )


@contextmanager
def deferred() -> Iterator[None]:
    """Refresh the facts of every task written in the block once, when it ends (inside the caller's
    transaction): for writes of many rows at once. Nested blocks refresh at the outermost one's end."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = set()
    try:
        yield
    finally:
        pending, _local.pending = _local.pending, None
    task_facts_refresh(pending)


def _refresh(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the fixture's facts are its own
        return
    task_facts_refresh([instance.task_id])


def _document_saved(sender, instance, **kwargs) -> None:
    """台账顺序 of a document's tasks follows its gazette issue and its place in it, 在账日期 its 成文日期."""
    if kwargs.get("raw"):
        return
    Task.objects.filter(document=instance).update(
        ledger_place=ledger_place_expression(), given_on=given_on_expression()
    )


def _source_written(sender, instance, **kwargs) -> None:
    """在账日期 of a task opened by hand follows its source's date."""
    if kwargs.get("raw"):
        return
    Task.objects.filter(pk=instance.task_id).update(given_on=given_on_expression())


def connect() -> None:
    """Refresh a task's facts after each save and delete of the rows they are made of."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_document_saved, sender=Document, dispatch_uid="task-place-document-save")
    post_save.connect(_source_written, sender=TaskSource, dispatch_uid="task-given-source-save")
    post_delete.connect(_source_written, sender=TaskSource, dispatch_uid="task-given-source-delete")
    for model in (Deadline, ProgressReport, TaskUnit, SupervisionOrder):
        post_save.connect(_refresh, sender=model, dispatch_uid=f"task-facts-save-{model.__name__}")
        post_delete.connect(_refresh, sender=model, dispatch_uid=f"task-facts-delete-{model.__name__}")
