"""The decisions counted by day and by month, kept by every decision write: what the 督查通报 and the charts read.

The 督查通报 counts the decisions in force dated in each period that apply 通报批评 or 公开曝光, and the charts
count a year's decisions by 第六条 situation and 第五条 method. Grouped from the decisions on each request, they
cost in proportion to the decisions (a city of a province decides 70,000 a year: 80 ms for the 通报, 44 for the
charts). So the counts are stored, a row per key with how many decisions it has:

- DecisionDayTally: the decisions in force (生效, 申诉中) by jurisdiction, day and combination of methods;
- DecisionMonthTally: every decision, whatever became of it, by jurisdiction, month, situation and methods.

Never a cache: each save and delete of a decision (signals; the admin, the services and the loaders alike)
and each update and bulk create of decisions (models.DecisionQuerySet) takes its decisions' old keys out and
their new ones in, in the same transaction, by an upsert that adds to the row (concurrent writers add; the old
values are read under the row's lock). ``decision_tallies_rebuild`` counts them again from the decisions (the
migration that made them); ``decision_tallies_differences`` says where stored and counted disagree (the
tests hold it empty after every kind of write).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.db import connection, transaction

from duban.counts import counts_add
from duban.rules import model as rules

# The decision's fields a tally reads: an update of any of them moves its decision between keys.
TALLIED_FIELDS = {"jurisdiction", "jurisdiction_id", "date", "status", "situation_number", "methods"}
IN_FORCE = frozenset({rules.STATUS_EFFECTIVE, rules.STATUS_UNDER_APPEAL})
_VALUES = ("jurisdiction_id", "date", "status", "situation_number", "methods")


class DecisionKey(NamedTuple):
    """What the tallies know of one decision."""

    jurisdiction_id: int
    date: dt.date
    status: str
    situation_number: int
    methods_key: str


def methods_key(methods) -> str:
    """A combination of methods as the tallies key it: the JSON array of their names, in the decision's order."""
    return json.dumps([str(m) for m in methods or ()], ensure_ascii=False)


def methods_of_key(key: str) -> tuple[str, ...]:
    return tuple(json.loads(key))


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def keys_of(decision) -> DecisionKey:
    """The keys of a decision as written (a row bulk_create has just inserted)."""
    return DecisionKey(
        decision.jurisdiction_id,
        decision.date,
        decision.status,
        decision.situation_number,
        methods_key(decision.methods),
    )


def decision_keys(ids: Sequence[int], *, model=None) -> list[DecisionKey]:
    """The keys of these decisions as the database holds them, their rows locked until the transaction ends
    (so that a concurrent write of the same decision waits and then reads what this one wrote)."""
    from duban.accountability.models import Decision

    rows = (model or Decision).objects.filter(pk__in=list(ids))
    if connection.in_atomic_block and connection.features.has_select_for_update:
        rows = rows.select_for_update(no_key=True)
    return [
        DecisionKey(j, day, status, situation, methods_key(methods))
        for j, day, status, situation, methods in rows.order_by("pk").values_list(*_VALUES)
    ]


def _day_counts(keys: Iterable[DecisionKey]) -> Counter:
    return Counter((k.jurisdiction_id, k.date, k.methods_key) for k in keys if k.status in IN_FORCE)


def _month_counts(keys: Iterable[DecisionKey]) -> Counter:
    return Counter((k.jurisdiction_id, month_of(k.date), k.situation_number, k.methods_key) for k in keys)


def decision_tallies_apply(*, removed: Iterable[DecisionKey], added: Iterable[DecisionKey]) -> None:
    """Take the decisions of ``removed`` out of the tallies and those of ``added`` in (one upsert a tally)."""
    from duban.accountability.models import DecisionDayTally, DecisionMonthTally

    removed, added = list(removed), list(added)
    day = _day_counts(added)
    day.subtract(_day_counts(removed))
    month = _month_counts(added)
    month.subtract(_month_counts(removed))
    with transaction.atomic():
        counts_add(
            DecisionDayTally,
            keys=("jurisdiction_id", "date", "methods_key"),
            counts=("n",),
            rows=[(*key, n) for key, n in sorted(day.items())],
        )
        counts_add(
            DecisionMonthTally,
            keys=("jurisdiction_id", "month", "situation_number", "methods_key"),
            counts=("n",),
            rows=[(*key, n) for key, n in sorted(month.items())],
        )


# --- counted again from the decisions -------------------------------------------------------------


def _counted(decision_model, jurisdiction_ids: Sequence[int] | None) -> tuple[Counter, Counter]:
    rows = decision_model.objects.order_by()
    if jurisdiction_ids is not None:
        rows = rows.filter(jurisdiction_id__in=list(jurisdiction_ids))
    keys = [
        DecisionKey(j, day, status, situation, methods_key(methods))
        for j, day, status, situation, methods in rows.values_list(*_VALUES).iterator(chunk_size=5000)
    ]
    return _day_counts(keys), _month_counts(keys)


def decision_tallies_rebuild(*, jurisdiction_ids: Sequence[int] | None = None, models=None) -> None:
    """Count the tallies of these jurisdictions (all: None) again from their decisions. ``models``: a migration's
    own (Decision, DecisionDayTally, DecisionMonthTally)."""
    from duban.accountability import models as current

    decision, day_model, month_model = models or (
        current.Decision,
        current.DecisionDayTally,
        current.DecisionMonthTally,
    )
    day, month = _counted(decision, jurisdiction_ids)
    with transaction.atomic():
        for model in (day_model, month_model):
            stale = model.objects.all()
            if jurisdiction_ids is not None:
                stale = stale.filter(jurisdiction_id__in=list(jurisdiction_ids))
            stale.delete()
        day_model.objects.bulk_create(
            [day_model(jurisdiction_id=j, date=d, methods_key=m, n=n) for (j, d, m), n in day.items() if n],
            batch_size=2000,
        )
        month_model.objects.bulk_create(
            [
                month_model(jurisdiction_id=j, month=mo, situation_number=s, methods_key=m, n=n)
                for (j, mo, s, m), n in month.items()
                if n
            ],
            batch_size=2000,
        )


def decision_tallies_differences(*, jurisdiction_ids: Sequence[int] | None = None) -> list[str]:
    """Where the stored tallies and the decisions counted again disagree, a line each (none: they agree)."""
    from duban.accountability.models import Decision, DecisionDayTally, DecisionMonthTally

    day, month = _counted(Decision, jurisdiction_ids)
    found = []
    for label, model, fields, counted in (
        ("day", DecisionDayTally, ("jurisdiction_id", "date", "methods_key"), day),
        ("month", DecisionMonthTally, ("jurisdiction_id", "month", "situation_number", "methods_key"), month),
    ):
        rows = model.objects.all()
        if jurisdiction_ids is not None:
            rows = rows.filter(jurisdiction_id__in=list(jurisdiction_ids))
        stored = Counter({tuple(row[:-1]): row[-1] for row in rows.values_list(*fields, "n")})
        for key in sorted(set(stored) | set(counted), key=str):
            if stored.get(key, 0) != counted.get(key, 0):
                found.append(f"{label} {key}: stored {stored.get(key, 0)}, counted {counted.get(key, 0)}")
    return found


# --- every save and delete of a decision -----------------------------------------------------------


def _before_save(sender, instance, **kwargs) -> None:
    instance._tally_before = decision_keys([instance.pk]) if instance.pk is not None else []


def _after_save(sender, instance, **kwargs) -> None:
    # what the row holds now (a save of some fields leaves the others as they were in the database)
    before = getattr(instance, "_tally_before", [])
    instance._tally_before = []
    decision_tallies_apply(removed=before, added=decision_keys([instance.pk]))


def _before_delete(sender, instance, **kwargs) -> None:
    instance._tally_before = decision_keys([instance.pk])


def _after_delete(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_tally_before", [])
    instance._tally_before = []
    decision_tallies_apply(removed=before, added=[])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from duban.accountability.models import Decision

    pre_save.connect(_before_save, sender=Decision, dispatch_uid="decision-tallies-before-save")
    post_save.connect(_after_save, sender=Decision, dispatch_uid="decision-tallies-after-save")
    pre_delete.connect(_before_delete, sender=Decision, dispatch_uid="decision-tallies-before-delete")
    post_delete.connect(_after_delete, sender=Decision, dispatch_uid="decision-tallies-after-delete")
