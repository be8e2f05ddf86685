"""Reads of the ledger. A task's standing (overdue, due soon, done) is derived when read, never stored:
from its deadlines and the office's 办结 (its 验收 of a 办结申请; a 100% report closes nothing)."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Concat

from duban import clock
from duban.accounts.history import HistoryRow, audit_history
from duban.accounts.models import Jurisdiction, Unit
from duban.ledger.models import (
    ClosureRequest,
    ExtensionRequest,
    ProgressReport,
    Reminder,
    ReportingCycle,
    SupervisionOrder,
    Target,
    TargetReading,
    Task,
    TaskUnit,
)

DUE_SOON_DAYS = 3  # a deadline this close is 即将到期: the one place the window is stated
DUE_SOON_LABEL = f"{DUE_SOON_DAYS}日内到期"


@dataclass(frozen=True)
class Standing:
    code: str  # "done", "overdue", "due_soon", "open", "no_deadline"
    label: str
    deadline: dt.date | None

    @property
    def is_overdue(self) -> bool:
        return self.code == "overdue"

    @property
    def css(self) -> str:
        return self.code.replace("_", "-")


STANDING_LABELS = {
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "open": "办理中",
    "no_deadline": "无时限",
    "done": "已办结",
}


# --- reporting periods -----------------------------------------------------------------------------


def period_of(cycle: str, day: dt.date) -> str:
    """The reporting period ``day`` falls in: 2020-06 (monthly), 2020-06-1/-2 (halves), 2020-W23 (weekly)."""
    if cycle == ReportingCycle.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if cycle == ReportingCycle.BIWEEKLY:
        return f"{day:%Y-%m}-{1 if day.day <= 15 else 2}"
    return f"{day:%Y-%m}"


def period_end(cycle: str, day: dt.date) -> dt.date:
    """The last day of the period ``day`` falls in: the report is due by then."""
    last_of_month = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if cycle == ReportingCycle.WEEKLY:
        return day + dt.timedelta(days=6 - day.weekday())
    if cycle == ReportingCycle.BIWEEKLY:
        return day.replace(day=15) if day.day <= 15 else last_of_month
    return last_of_month


def period_label(period: str) -> str:
    if "-W" in period:
        year, week = period.split("-W")
        return f"{year}年第{int(week)}周"
    parts = period.split("-")
    if len(parts) == 3:
        return f"{parts[0]}年{int(parts[1])}月{'上' if parts[2] == '1' else '下'}半月"
    if len(parts) == 2:
        return f"{parts[0]}年{int(parts[1])}月"
    return period


# --- standing --------------------------------------------------------------------------------------


def task_next_deadline(task: Task) -> dt.date | None:
    dates = sorted(d.date for d in task.deadlines.all())
    return dates[0] if dates else None


def task_latest_reports(task: Task, today: dt.date | None = None) -> dict[int, ProgressReport]:
    """Each unit's latest report on the task (as of ``today`` when given)."""
    latest: dict[int, ProgressReport] = {}
    for report in task.progress_reports.all():
        if today is not None and report.reported_on > today:
            continue
        current = latest.get(report.unit_id)
        if current is None or (report.reported_on, report.pk) > (current.reported_on, current.pk):
            latest[report.unit_id] = report
    return latest


def task_latest_report(task: Task, today: dt.date | None = None) -> ProgressReport | None:
    reports = list(task_latest_reports(task, today).values())
    return max(reports, key=lambda r: (r.reported_on, r.pk)) if reports else None


def task_lead_unit_ids(task: Task) -> list[int]:
    """The lead units (牵头单位); where a document names none, the unit named first leads
    (列第一位的为牵头单位, as 公文 put it)."""
    assignments = sorted(
        (a for a in task.assignments.all() if a.unit_id and a.role != TaskUnit.Role.COOPERATING),
        key=lambda a: (a.role != TaskUnit.Role.LEAD, a.position),
    )
    leads = [a.unit_id for a in assignments if a.role == TaskUnit.Role.LEAD]
    return leads or [a.unit_id for a in assignments[:1]]


ROLE_ORDER = {TaskUnit.Role.LEAD: 0, TaskUnit.Role.RESPONSIBLE: 1, TaskUnit.Role.COOPERATING: 2}


def task_assignments_in_order(task: Task) -> list[TaskUnit]:
    """The task's units as a page lists them: 牵头, 责任, then 配合, each in the order named."""
    return sorted(task.assignments.select_related("unit"), key=lambda a: (ROLE_ORDER.get(a.role, 9), a.position))


def task_is_done(task: Task, today: dt.date | None = None) -> bool:
    """办结: the office closed the task (验收 of the lead unit's 办结申请, or its own 办结) on or before
    ``today``. A 100% progress report closes nothing."""
    return task.done_on is not None and (today is None or task.done_on <= today)


def task_standing(task: Task, today: dt.date | None = None) -> Standing:
    today = today or clock.today()
    deadline = task_next_deadline(task)
    if task_is_done(task, today):
        return Standing("done", STANDING_LABELS["done"], deadline)
    if deadline is None:
        return Standing("no_deadline", STANDING_LABELS["no_deadline"], None)
    if deadline < today:
        return Standing("overdue", STANDING_LABELS["overdue"], deadline)
    if (deadline - today).days <= DUE_SOON_DAYS:
        return Standing("due_soon", STANDING_LABELS["due_soon"], deadline)
    return Standing("open", STANDING_LABELS["open"], deadline)


def _with_ledger_relations(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.select_related("document", "source", "owner").prefetch_related(
        "deadlines",
        "assignments__unit",
        Prefetch("progress_reports", queryset=ProgressReport.objects.select_related("unit")),
    )


def tasks_confirmed(*, jurisdiction: Jurisdiction) -> QuerySet[Task]:
    return _with_ledger_relations(Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED))


def tasks_overdue(*, jurisdiction: Jurisdiction, today: dt.date | None = None) -> list[Task]:
    return [task for task in tasks_confirmed(jurisdiction=jurisdiction) if task_standing(task, today).is_overdue]


@dataclass
class LedgerRow:
    task: Task
    standing: Standing
    latest: ProgressReport | None
    lead_units: list[Unit]
    units: list[Unit]

    @property
    def unit_count(self) -> int:
        return len(self.lead_units) + len(self.units)


def ledger_rows(
    tasks: QuerySet[Task], *, unit: Unit | None = None, standing: str = "", today: dt.date | None = None
) -> list[LedgerRow]:
    """The 督查台账: each confirmed task with its standing and latest progress, filtered."""
    today = today or clock.today()
    tasks = _with_ledger_relations(tasks.filter(status=Task.Status.CONFIRMED))
    if unit is not None:
        tasks = tasks.filter(assignments__unit=unit).distinct()
    rows = []
    for task in tasks.order_by("document__issue", "document__position", "position"):
        row_standing = task_standing(task, today)
        if standing and row_standing.code != standing:
            continue
        units = {a.unit_id: a.unit for a in task.assignments.all() if a.unit_id}
        leads = task_lead_unit_ids(task)
        rows.append(
            LedgerRow(
                task=task,
                standing=row_standing,
                latest=task_latest_report(task),
                lead_units=[units[pk] for pk in leads],
                units=[unit for pk, unit in units.items() if pk not in leads],
            )
        )
    return rows


# --- the 台账 as a query: standing, search and filters in SQL, one page built in Python -----------


def leading_assignments() -> QuerySet[TaskUnit]:
    """Every assignment whose unit leads its task (task_lead_unit_ids): the stored flag TaskUnit.leads, which
    duban.ledger.facts keeps equal to leading_assignments_worked_out. Not correlated: filter it by task."""
    return TaskUnit.objects.filter(leads=True)


def leading_assignments_worked_out() -> QuerySet[TaskUnit]:
    """Every assignment whose unit leads its task (task_lead_unit_ids, stated as a query): its 牵头单位, or
    where the task names none, its first unit named that is not only cooperating (positions count within a
    role, so a 责任单位 and a 配合单位 may both be first). Not correlated: filter it by task as needed."""
    leads_of_same_task = TaskUnit.objects.filter(task=OuterRef("task"), role=TaskUnit.Role.LEAD, unit__isnull=False)
    first_named = (
        TaskUnit.objects.filter(task=OuterRef("task"), unit__isnull=False)
        .exclude(role=TaskUnit.Role.COOPERATING)
        .order_by("position", "pk")
        .values("pk")
    )
    return TaskUnit.objects.filter(unit__isnull=False).filter(
        Q(role=TaskUnit.Role.LEAD) | (~Exists(leads_of_same_task) & Q(pk=Subquery(first_named[:1])))
    )


def standing_rules(today: dt.date, *, deadline: str = "ledger_deadline", done: str = "done_on") -> list[tuple[str, Q]]:
    """task_standing's rules as conditions on a task's 办结 date and earliest deadline, in order: a task stands at
    the first whose condition it meets, 办理中 (``open``) when none."""
    return [
        ("done", Q(**{f"{done}__lte": today})),
        ("no_deadline", Q(**{f"{deadline}__isnull": True})),
        ("overdue", Q(**{f"{deadline}__lt": today})),
        ("due_soon", Q(**{f"{deadline}__lte": today + dt.timedelta(days=DUE_SOON_DAYS)})),
    ]


def standing_conditions(today: dt.date) -> dict[str, Q]:
    """standing_rules as one condition a standing (``open`` included), each excluding those before it, on the
    task's own fields: a query counts every standing of a group at once with them."""
    found: dict[str, Q] = {}
    before = Q()
    for code, condition in standing_rules(today, deadline="earliest_deadline"):
        found[code] = condition & ~before if before else condition
        before |= condition
    found["open"] = ~before
    return found


def with_standing(tasks: QuerySet[Task], today: dt.date | None = None) -> QuerySet[Task]:
    """``tasks`` annotated with ``ledger_deadline`` (the earliest deadline) and ``ledger_standing`` (the
    code of task_standing), computed by the database, so the 台账 filters and counts by standing in SQL.
    The same rules as task_standing, stated as a query (tests/ledger/test_ledger_list.py holds them equal)."""
    today = today or clock.today()
    # The earliest deadline is a stored fact of the task (duban.ledger.facts), whatever the day.
    return tasks.annotate(ledger_deadline=F("earliest_deadline")).annotate(
        ledger_standing=Case(
            *[When(condition, then=Value(code)) for code, condition in standing_rules(today)],
            default=Value("open"),
            output_field=CharField(),
        )
    )


def task_search(tasks: QuerySet[Task], text: str) -> QuerySet[Task]:
    """Tasks matching every word of ``text`` (split on spaces, full-width too) in their title, content,
    number (编号), units (as printed or by the unit's name and short name) or source (the document's title,
    文号 and issuer; a typed source's kind, person, body, number and words)."""
    from duban.ledger.sources import SOURCE_KINDS

    for word in text.replace("\u3000", " ").split():
        kinds = [code for code, kind in SOURCE_KINDS.items() if word in kind.label]
        units = TaskUnit.objects.filter(task=OuterRef("pk")).filter(
            Q(printed_name__icontains=word) | Q(unit__name__icontains=word) | Q(unit__short_name__icontains=word)
        )
        tasks = tasks.filter(
            Q(title__icontains=word)
            | Q(text__icontains=word)
            | Q(ref__icontains=word)
            | Q(document__title__icontains=word)
            | Q(document__doc_no__icontains=word)
            | Q(document__issuer__icontains=word)
            | Q(source__person__icontains=word)
            | Q(source__origin__icontains=word)
            | Q(source__number__icontains=word)
            | Q(source__words__icontains=word)
            | Q(source_kind__in=kinds)
            | Exists(units)
        )
    return tasks


def ledger_query(
    tasks: QuerySet[Task],
    *,
    unit: Unit | None = None,
    search: str = "",
    standing: str = "",
    today: dt.date | None = None,
) -> QuerySet[Task]:
    """The 台账's tasks filtered by unit, search words and standing, in the 台账's order; nothing fetched."""
    tasks = with_standing(tasks.filter(status=Task.Status.CONFIRMED), today)
    if unit is not None:
        tasks = tasks.filter(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit=unit)))
    if search:
        tasks = task_search(tasks, search)
    if standing:
        tasks = tasks.filter(ledger_standing=standing)
    return tasks.select_related("document", "source").order_by("ledger_place", "pk")


def ledger_standing_counts(tasks: QuerySet[Task]) -> dict[str, int]:
    """How many of ``tasks`` (from with_standing / ledger_query) stand at each standing: one query."""
    counted = tasks.order_by().aggregate(
        **{code: Count("pk", filter=Q(ledger_standing=code)) for code in STANDING_LABELS}
    )
    return {code: counted[code] or 0 for code in STANDING_LABELS}


# What a row of the 台账 on screen does not show: the tasks' and their documents' long texts.
LIST_DEFERRED = ("text", "targets_text", "document__full_text", "document__search_tokens")


def for_list(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """``tasks`` (from ledger_query) without the long texts a list on screen does not show."""
    return tasks.defer(*LIST_DEFERRED)


def ledger_page_rows(tasks) -> list[LedgerRow]:
    """The rows of one page of ledger_query (its standing from the query, its units and latest report
    from one prefetch for the page)."""
    rows = []
    page_tasks = list(tasks)
    prefetch_related_objects(page_tasks, "assignments__unit")
    # Each task's latest report (task_latest_report), one query for the page, not every report of its tasks.
    latest_of_task = ProgressReport.objects.filter(task=OuterRef("task")).order_by("-reported_on", "-pk").values("pk")
    latest = {
        report.task_id: report
        for report in ProgressReport.objects.filter(
            task__in=[task.pk for task in page_tasks], pk=Subquery(latest_of_task[:1])
        ).select_related("unit")
    }
    for task in page_tasks:
        units = {a.unit_id: a.unit for a in task.assignments.all() if a.unit_id}
        leads = task_lead_unit_ids(task)
        code = task.ledger_standing
        rows.append(
            LedgerRow(
                task=task,
                standing=Standing(code, STANDING_LABELS[code], task.ledger_deadline),
                latest=latest.get(task.pk),
                lead_units=[units[pk] for pk in leads],
                units=[unit for pk, unit in units.items() if pk not in leads],
            )
        )
    return rows


def standing_counts(rows: list[LedgerRow]) -> dict[str, int]:
    counts = dict.fromkeys(STANDING_LABELS, 0)
    for row in rows:
        counts[row.standing.code] += 1
    return counts


# --- targets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    latest: TargetReading | None
    code: str  # "met", "on_track", "behind", "missed", "no_data", "pending"
    label: str
    expected: Decimal | None = None

    @property
    def css(self) -> str:
        return {"met": "on-track", "on_track": "on-track", "behind": "due-soon", "missed": "overdue"}.get(self.code, "")


def _meets(value: Decimal, comparator: str, goal: Decimal) -> bool:
    return {
        ">=": value >= goal,
        ">": value > goal,
        "<=": value <= goal,
        "<": value < goal,
        "=": value == goal,
    }[comparator]


def target_status(target: Target, today: dt.date | None = None) -> TargetStatus:
    """The latest reported value against the target, and whether it is on track.

    Met when the latest value satisfies the target; missed when the target year has ended without
    that; otherwise on track when the latest value is at or beyond the straight line from the first
    reading to the target at the end of its year.
    """
    today = today or clock.today()
    readings = sorted(target.readings.all(), key=lambda r: (r.report.reported_on, r.pk))
    if not readings:
        return TargetStatus(target, None, "no_data", "暂无监测值")
    latest = readings[-1]
    if _meets(latest.value, target.comparator, target.value):
        return TargetStatus(target, latest, "met", "已达到目标")
    end = dt.date(target.year, 12, 31)
    if today > end:
        return TargetStatus(target, latest, "missed", "未达到目标")
    first = readings[0]
    start = first.report.reported_on
    if len(readings) < 2 or latest.report.reported_on <= start:
        return TargetStatus(target, latest, "pending", "待评估（监测值不足）")
    share = Decimal((latest.report.reported_on - start).days) / Decimal(max((end - start).days, 1))
    expected = first.value + (target.value - first.value) * share
    rising = target.value >= first.value
    on_track = latest.value >= expected if rising else latest.value <= expected
    expected = expected.quantize(Decimal("0.01"))
    if on_track:
        return TargetStatus(target, latest, "on_track", "进度正常", expected)
    return TargetStatus(target, latest, "behind", "进度滞后", expected)


def task_targets(task: Task, today: dt.date | None = None) -> list[TargetStatus]:
    targets = task.targets.prefetch_related(
        Prefetch("readings", queryset=TargetReading.objects.select_related("report__unit"))
    ).order_by("indicator", "year", "id")
    return [target_status(target, today) for target in targets]


# --- review, orders, reminders, history --------------------------------------------------------------


def drafts_query(*, jurisdiction: Jurisdiction, search: str = "") -> QuerySet[Task]:
    """公文审核's drafts in the documents' order (one page of them is grouped by drafts_grouped)."""
    drafts = Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.DRAFT)
    if search:
        drafts = task_search(drafts, search)
    return drafts.order_by("ledger_place", "pk")


def drafts_grouped(page_tasks) -> list[dict]:
    """One page of drafts_query grouped by document, each document with its whole counts (drafts,
    resolvable: every unit resolved) from one query, as its 确认本文全部 button acts on all of them."""
    tasks = list(page_tasks)
    prefetch_related_objects(tasks, "document", "assignments__unit", "targets", "deadlines")
    unresolved = TaskUnit.objects.filter(task=OuterRef("pk"), unit__isnull=True)
    assigned = TaskUnit.objects.filter(task=OuterRef("pk"))
    counts = {
        row["document"]: row
        for row in Task.objects.filter(document__in={t.document_id for t in tasks}, status=Task.Status.DRAFT)
        .order_by()
        .values("document")
        .annotate(
            drafts=Count("pk"),
            resolvable=Count("pk", filter=Q(Exists(assigned)) & ~Q(Exists(unresolved))),
        )
    }
    groups: dict[int, dict] = {}
    for task in tasks:
        group = groups.setdefault(
            task.document_id,
            {
                "document": task.document,
                "rows": [],
                "drafts": counts[task.document_id]["drafts"],
                "resolvable": counts[task.document_id]["resolvable"],
            },
        )
        group["rows"].append({"task": task, "resolvable": task_is_resolvable(task)})
    return list(groups.values())


def task_is_resolvable(task: Task) -> bool:
    assignments = list(task.assignments.all())
    return bool(assignments) and all(a.unit_id for a in assignments)


def orders_for(*, jurisdiction: Jurisdiction, unit: Unit | None = None, status: str = "") -> QuerySet[SupervisionOrder]:
    orders = SupervisionOrder.objects.filter(jurisdiction=jurisdiction).select_related("task", "unit", "issued_by")
    if unit is not None:
        orders = orders.filter(unit=unit)
    if status:
        orders = orders.filter(status=status)
    return orders


def order_search(orders: QuerySet[SupervisionOrder], text: str) -> QuerySet[SupervisionOrder]:
    """督办单 matching every word of ``text`` in their number (督办〔2020〕3号, as printed), unit (name or
    short name) or task (title or number)."""
    words = text.replace("\u3000", " ").split()
    if not words:
        return orders
    orders = orders.alias(
        number_text=Concat(
            Value("督办〔"),
            Cast("year", CharField()),
            Value("〕"),
            Cast("serial", CharField()),
            Value("号"),
            output_field=CharField(),
        )
    )
    for word in words:
        orders = orders.filter(
            Q(number_text__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
            | Q(task__title__icontains=word)
            | Q(task__ref__icontains=word)
        )
    return orders


def reminders_of(user, *, unread_only: bool = False, search: str = "") -> QuerySet[Reminder]:
    """The user's reminders, newest first; with ``search``, those whose text or task (title, number)
    holds every word."""
    reminders = Reminder.objects.filter(recipient=user).select_related("task")
    if unread_only:
        reminders = reminders.filter(read_at__isnull=True)
    for word in search.replace("\u3000", " ").split():
        reminders = reminders.filter(
            Q(text__icontains=word) | Q(task__title__icontains=word) | Q(task__ref__icontains=word)
        )
    return reminders.order_by("-created", "-id")


def _squeezed(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", name) if not ch.isspace() and ch not in "（）()")


def units_closest(*, jurisdiction: Jurisdiction, name: str, limit: int = 3) -> list[Unit]:
    """The jurisdiction's active units whose name, short name or alias is closest to ``name`` (for
    "did you mean"): by similarity of the written names, a name holding the other counting most."""
    wanted = _squeezed(name)
    if not wanted:
        return []
    scored: list[tuple[float, str, Unit]] = []
    for unit in Unit.objects.filter(jurisdiction=jurisdiction, active=True):
        best = 0.0
        for written in (unit.name, unit.short_name, *(unit.aliases or [])):
            key = _squeezed(written or "")
            if not key:
                continue
            score = difflib.SequenceMatcher(None, wanted, key).ratio()
            if wanted in key or key in wanted:
                score += 0.5
            best = max(best, score)
        if best >= 0.4:
            scored.append((-best, unit.name, unit))
    return [unit for _, _, unit in sorted(scored, key=lambda item: item[:2])[:limit]]


# Snapshot keys that are not model fields (task_snapshot's units and deadlines, a 督办单's number).
TASK_SNAPSHOT_LABELS = {
    "lead_units": "牵头单位",
    "units": "责任单位",
    "cooperating_units": "配合单位",
    "source": "任务来源",
    "targets_text": "目标要求",
    "deadlines": "完成时限",
    "owner": "经办人",
    "number": "编号",
    "acknowledged": "签收",
    "deadline_date": "完成时限",
    "attachments": "佐证材料",
    "task_done_on": "任务办结日期",
}


def task_history(task: Task, *, limit: int = 100) -> list[HistoryRow]:
    """操作记录 of the task and of what hangs on it (reports, 督办单, 签收, 延期 and 办结 requests), newest first."""
    return audit_history(
        [
            (Task, [task.pk]),
            (ProgressReport, task.progress_reports.values_list("pk", flat=True)),
            (SupervisionOrder, task.supervision_orders.values_list("pk", flat=True)),
            (TaskUnit, task.assignments.values_list("pk", flat=True)),  # 签收
            (ExtensionRequest, task.extension_requests.values_list("pk", flat=True)),
            (ClosureRequest, task.closure_requests.values_list("pk", flat=True)),
        ],
        labels=TASK_SNAPSHOT_LABELS,
        summary_keys=("number", "period", "percent", "reply_by"),
        newest_first=True,
        limit=limit,
    )
