"""The register of 公开曝光 counted by day and methods, kept with the register: what the 督查通报 reads.

The 督查通报 counts the decisions in force dated in each period that expose their unit, directly or by
escalation (the register, models.PublicExposure: half of a city's exposures come by escalation, so they are no
few to read apart). ExposureDayTally holds how many rows of the register a jurisdiction has on a day with one
combination of methods (PublicExposure.methods_key, the decision's). The register is written by the ledger's
sync alone (services._exposures_apply: bulk creates and updates, which take their rows in here) and deleted by
it or with its decision (a delete's signal takes the row out), in the same transaction, by an upsert that adds
to the row. ``exposure_tally_differences`` says where stored and counted disagree (the tests hold it empty).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from duban.counts import counts_add

Key = tuple[int, dt.date, str]  # jurisdiction, date, methods


def exposure_key(row) -> Key:
    return (row.jurisdiction_id, row.date, row.methods_key)


def exposure_tally_apply(*, removed: Iterable[Key], added: Iterable[Key]) -> None:
    from duban.scoring.models import ExposureDayTally

    deltas = Counter(added)
    deltas.subtract(Counter(removed))
    counts_add(
        ExposureDayTally,
        keys=("jurisdiction_id", "date", "methods_key"),
        counts=("n",),
        rows=[(*key, n) for key, n in sorted(deltas.items())],
    )


def _counted(exposure_model) -> Counter:
    return Counter(
        exposure_model.objects.order_by()
        .values_list("jurisdiction_id", "date", "methods_key")
        .iterator(chunk_size=5000)
    )


def exposure_tally_rebuild(*, models=None) -> None:
    """Count the tally again from the register. ``models``: a migration's own (PublicExposure, ExposureDayTally)."""
    from duban.scoring import models as current

    exposure_model, tally_model = models or (current.PublicExposure, current.ExposureDayTally)
    counted = _counted(exposure_model)
    with transaction.atomic():
        tally_model.objects.all().delete()
        tally_model.objects.bulk_create(
            [tally_model(jurisdiction_id=j, date=d, methods_key=m, n=n) for (j, d, m), n in counted.items()],
            batch_size=2000,
        )


def exposure_tally_differences() -> list[str]:
    from duban.scoring.models import ExposureDayTally, PublicExposure

    counted = _counted(PublicExposure)
    stored = Counter(
        {
            (j, d, m): n
            for j, d, m, n in ExposureDayTally.objects.values_list("jurisdiction_id", "date", "methods_key", "n")
        }
    )
    return [
        f"{key}: stored {stored.get(key, 0)}, counted {counted.get(key, 0)}"
        for key in sorted(set(stored) | set(counted), key=str)
        if stored.get(key, 0) != counted.get(key, 0)
    ]


def _before_save(sender, instance, **kwargs) -> None:
    from duban.scoring.models import PublicExposure

    old = PublicExposure.objects.filter(pk=instance.pk).values_list("jurisdiction_id", "date", "methods_key")
    instance._tally_before = list(old)


def _after_save(sender, instance, **kwargs) -> None:
    before, instance._tally_before = getattr(instance, "_tally_before", []), []
    exposure_tally_apply(removed=before, added=[exposure_key(instance)])


def _after_delete(sender, instance, **kwargs) -> None:
    exposure_tally_apply(removed=[exposure_key(instance)], added=[])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    from duban.scoring.models import PublicExposure

    pre_save.connect(_before_save, sender=PublicExposure, dispatch_uid="exposure-tally-before-save")
    post_save.connect(_after_save, sender=PublicExposure, dispatch_uid="exposure-tally-after-save")
    post_delete.connect(_after_delete, sender=PublicExposure, dispatch_uid="exposure-tally-after-delete")
