"""Progress reports counted by period, kept by every report write: what the 督查通报's 本期报送进展 reads.

The 督查通报 counts, for each period (a week, month, quarter, half or year: reports.periods), the progress
reports made in it and how many tasks they are on. Grouped from the reports on each request, that cost grew with
them (a city of a province: 40,000 reports, 60 ms); the number of tasks is no sum of smaller periods' numbers.
So ReportTally keeps both for every period of every cycle: a save of a report takes its task's counts in the
periods of its day (before and after) out and in; a delete the same (signals); a bulk create adds what its rows
add, and an update of reports' tasks or days counts those periods again (ledger.signals.progress_reports_written,
sent by ledger.models.ProgressReportQuerySet) — in the same transaction, by an upsert that adds to the row.
``report_tallies_rebuild`` counts them again from the reports (the migration that made them);
``report_tallies_differences`` says where stored and counted disagree (the tests hold it empty).

The 督查通报 reads a period as of its last day, or as of today while it runs; reports are never dated after
today (ledger.services refuses it), so a period's counts are its tally's. Where the clock has been set back
before reports already made (the demo's clock, a test's), the 通报 counts from the rows instead.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import transaction

from duban.counts import counts_add
from duban.reports.periods import HALF, MONTH, QUARTER, WEEK, YEAR, Period, period_containing

CYCLES = (WEEK, MONTH, QUARTER, HALF, YEAR)
Key = tuple[int, str, dt.date]  # jurisdiction, cycle, the period's first day


def periods_of(days: Iterable[dt.date]) -> set[Period]:
    return {period_containing(cycle, day) for day in days for cycle in CYCLES}


def _rows(periods: set[Period], **filters) -> list[tuple[int, int, dt.date]]:
    """The reports (task, jurisdiction, day) in the span of ``periods`` matching ``filters``."""
    from duban.ledger.models import ProgressReport

    if not periods:
        return []
    span = (min(p.start for p in periods), max(p.end for p in periods))
    return list(
        ProgressReport.objects.filter(reported_on__range=span, **filters)
        .order_by()
        .values_list("task_id", "task__jurisdiction_id", "reported_on")
    )


def _counted(rows: Iterable[tuple[int, int, dt.date]], periods: set[Period]) -> tuple[Counter, Counter]:
    """Reports and distinct tasks per key, over the periods of ``periods`` only."""
    wanted = {(p.cycle, p.start) for p in periods}
    reports: Counter = Counter()
    tasks: set[tuple[int, Key]] = set()
    for task_id, jurisdiction_id, day in rows:
        for cycle in CYCLES:
            start = period_containing(cycle, day).start
            if (cycle, start) in wanted:
                key = (jurisdiction_id, cycle, start)
                reports[key] += 1
                tasks.add((task_id, key))
    return reports, Counter(key for _, key in tasks)


def _add(reports: Counter, tasks: Counter) -> None:
    from duban.reports.models import ReportTally

    counts_add(
        ReportTally,
        keys=("jurisdiction_id", "cycle", "start"),
        counts=("reports", "tasks"),
        rows=[(*key, reports.get(key, 0), tasks.get(key, 0)) for key in sorted(set(reports) | set(tasks))],
    )


def _tasks_counts(task_ids: Iterable[int], periods: set[Period]) -> tuple[Counter, Counter]:
    return _counted(_rows(periods, task_id__in=sorted(set(task_ids))), periods)


def _difference(after: tuple[Counter, Counter], before: tuple[Counter, Counter]) -> tuple[Counter, Counter]:
    reports, tasks = Counter(after[0]), Counter(after[1])
    reports.subtract(before[0])
    tasks.subtract(before[1])
    return reports, tasks


def _recount(task_ids: Iterable[int], periods: set[Period]) -> None:
    """Count the periods of ``periods`` again, for the jurisdictions of these tasks, from all their reports."""
    from duban.ledger.models import Task
    from duban.reports.models import ReportTally

    jurisdictions = sorted(
        set(Task.objects.filter(pk__in=sorted(set(task_ids))).values_list("jurisdiction_id", flat=True))
    )
    if not jurisdictions or not periods:
        return
    reports, tasks = _counted(_rows(periods, task__jurisdiction_id__in=jurisdictions), periods)
    with transaction.atomic():
        for period in periods:
            ReportTally.objects.filter(
                jurisdiction_id__in=jurisdictions, cycle=period.cycle, start=period.start
            ).delete()
        _add(reports, tasks)


def report_tallies_rebuild(*, models=None) -> None:
    """Count every tally again from the reports. ``models``: a migration's own (ProgressReport, ReportTally)."""
    from duban.ledger.models import ProgressReport as current_reports
    from duban.reports.models import ReportTally as current_tally

    report_model, tally_model = models or (current_reports, current_tally)
    reports: Counter = Counter()
    tasks: set = set()
    rows = report_model.objects.order_by().values_list("task_id", "task__jurisdiction_id", "reported_on")
    for task_id, jurisdiction_id, day in rows.iterator(chunk_size=5000):
        for cycle in CYCLES:
            key = (jurisdiction_id, cycle, period_containing(cycle, day).start)
            reports[key] += 1
            tasks.add((task_id, key))
    distinct = Counter(key for _, key in tasks)
    with transaction.atomic():
        tally_model.objects.all().delete()
        tally_model.objects.bulk_create(
            [
                tally_model(jurisdiction_id=j, cycle=c, start=s, reports=n, tasks=distinct[(j, c, s)])
                for (j, c, s), n in reports.items()
            ],
            batch_size=2000,
        )


def report_tallies_differences(*, jurisdiction_ids: Sequence[int] | None = None) -> list[str]:
    """Where the stored tallies and the reports counted again disagree, a line each (none: they agree)."""
    from duban.reports.models import ReportTally

    stored_rows = ReportTally.objects.all()
    filters = {}
    if jurisdiction_ids is not None:
        stored_rows = stored_rows.filter(jurisdiction_id__in=list(jurisdiction_ids))
        filters["task__jurisdiction_id__in"] = list(jurisdiction_ids)
    from duban.ledger.models import ProgressReport

    rows = list(ProgressReport.objects.filter(**filters).values_list("task_id", "task__jurisdiction_id", "reported_on"))
    periods = periods_of({day for _, _, day in rows})
    reports, tasks = _counted(rows, periods)
    stored = {
        (j, c, s): (r, t)
        for j, c, s, r, t in stored_rows.values_list("jurisdiction_id", "cycle", "start", "reports", "tasks")
    }
    found = []
    for key in sorted(set(stored) | set(reports), key=str):
        counted = (reports.get(key, 0), tasks.get(key, 0))
        if stored.get(key, (0, 0)) != counted:
            found.append(f"{key}: stored {stored.get(key, (0, 0))}, counted {counted}")
    return found


# --- every write of a report ------------------------------------------------------------------------


def _written_before(instance) -> list[tuple[int, dt.date]]:
    from duban.ledger.models import ProgressReport

    if instance.pk is None:
        return []
    return list(ProgressReport.objects.filter(pk=instance.pk).values_list("task_id", "reported_on"))


def _before(sender, instance, **kwargs) -> None:
    old = _written_before(instance)
    task_ids = {t for t, _ in old} | ({instance.task_id} if instance.task_id else set())
    days = {d for _, d in old} | ({instance.reported_on} if instance.reported_on else set())
    periods = periods_of(days)
    instance._tally_before = (task_ids, periods, _tasks_counts(task_ids, periods))


def _after(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_tally_before", None)
    instance._tally_before = None
    if before is None:
        return
    task_ids, periods, counts = before
    _add(*_difference(_tasks_counts(task_ids, periods), counts))


def _bulk_written(sender, task_ids, days, created=None, **kwargs) -> None:
    periods = periods_of(days)
    if created is None:  # an update: those periods counted again
        _recount(task_ids, periods)
        return
    # a bulk create: these tasks' reports in those periods now, and the same less the new rows (before)
    rows = _rows(periods, task_id__in=sorted(set(task_ids)))
    remaining = Counter(created)
    before = []
    for task_id, jurisdiction_id, day in rows:
        if remaining[(task_id, day)] > 0:
            remaining[(task_id, day)] -= 1
        else:
            before.append((task_id, jurisdiction_id, day))
    _add(*_difference(_counted(rows, periods), _counted(before, periods)))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from duban.ledger.models import ProgressReport
    from duban.ledger.signals import progress_reports_written

    pre_save.connect(_before, sender=ProgressReport, dispatch_uid="report-tallies-before-save")
    post_save.connect(_after, sender=ProgressReport, dispatch_uid="report-tallies-after-save")
    pre_delete.connect(_before, sender=ProgressReport, dispatch_uid="report-tallies-before-delete")
    post_delete.connect(_after, sender=ProgressReport, dispatch_uid="report-tallies-after-delete")
    progress_reports_written.connect(_bulk_written, sender=ProgressReport, dispatch_uid="report-tallies-bulk")
