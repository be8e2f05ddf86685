"""Standing (overdue, due soon, done) from deadlines AND progress; targets against their readings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from duban.ledger import selectors, services
from duban.ledger.models import Target, Task

D = dt.date


def _report(lw, day, percent, unit=None, readings=None, task=None):
    return services.progress_report_create(
        actor=None,
        task=task or lw.task_a,
        unit=unit or lw.unit_a,
        text="进展",
        percent=percent,
        reported_on=day,
        today=day,
        readings=readings,
    )


def fresh(task: Task) -> Task:
    return selectors.tasks_confirmed(jurisdiction=task.jurisdiction).get(pk=task.pk)


def test_standing_follows_the_deadline(lw):
    task = fresh(lw.task_a)  # due 2020-06-15
    assert selectors.task_standing(task, D(2020, 6, 1)).code == "open"
    assert selectors.task_standing(task, D(2020, 6, 12)).code == "due_soon"
    assert selectors.task_standing(task, D(2020, 6, 15)).code == "due_soon"
    assert selectors.task_standing(task, D(2020, 6, 16)).is_overdue
    assert selectors.task_standing(task, D(2020, 6, 16)).label == "已逾期"


def test_a_full_report_of_the_lead_unit_closes_nothing_the_office_closes_the_task(lw):
    _report(lw, D(2020, 6, 10), 80)
    assert selectors.task_standing(fresh(lw.task_a), D(2020, 6, 20)).is_overdue
    _report(lw, D(2020, 7, 3), 100)
    task = fresh(lw.task_a)
    assert not selectors.task_is_done(task)  # 办结 is the office's 验收, not the unit's 100%
    assert selectors.task_standing(task, D(2020, 7, 10)).is_overdue
    assert selectors.tasks_overdue(jurisdiction=lw.city, today=D(2020, 7, 10)) == [task]
    services.task_mark_done(actor=None, task=task, on=D(2020, 7, 5))
    task = fresh(lw.task_a)
    assert selectors.task_is_done(task)
    assert selectors.task_standing(task, D(2020, 7, 10)).code == "done"
    # As of a day before the office closed it, it was overdue.
    assert selectors.task_standing(task, D(2020, 7, 4)).is_overdue
    assert selectors.tasks_overdue(jurisdiction=lw.city, today=D(2020, 7, 10)) == []


def test_every_units_100_percent_leaves_the_task_open_in_python_and_in_sql(lw):
    draft = lw.draft
    services.task_update(
        actor=None,
        task=draft,
        title=draft.title,
        lead_units=[lw.unit_a],
        units=[lw.unit_b],
        deadlines=[D(2020, 6, 30)],
        today=D(2020, 6, 1),
    )
    services.task_confirm(actor=None, task=draft)
    _report(lw, D(2020, 6, 20), 100, unit=lw.unit_b, task=draft)
    _report(lw, D(2020, 7, 2), 100, unit=lw.unit_a, task=draft)
    assert selectors.task_standing(fresh(draft), D(2020, 7, 3)).is_overdue
    sql = selectors.with_standing(Task.objects.filter(pk=draft.pk), D(2020, 7, 3)).get()
    assert sql.ledger_standing == "overdue"


def test_the_office_closing_a_task_makes_it_done(lw):
    services.task_mark_done(actor=None, task=lw.task_a, on=D(2020, 6, 20))
    task = fresh(lw.task_a)
    assert selectors.task_standing(task, D(2020, 6, 19)).is_overdue
    assert selectors.task_standing(task, D(2020, 6, 21)).code == "done"


def test_no_deadline_and_overdue_list(lw):
    task = Task.objects.get(pk=lw.draft.pk)
    assert selectors.task_standing(task, D(2020, 6, 1)).code == "no_deadline"
    overdue = selectors.tasks_overdue(jurisdiction=lw.city, today=D(2020, 7, 1))
    assert [t.pk for t in overdue] == [lw.task_a.pk]
    assert selectors.tasks_overdue(jurisdiction=lw.county, today=D(2021, 1, 1)) == [lw.county_task]


def test_ledger_rows_filter_by_unit_and_standing(lw):
    tasks = Task.objects.filter(jurisdiction=lw.city)
    rows = selectors.ledger_rows(tasks, today=D(2020, 7, 1))
    assert [r.task.pk for r in rows] == [lw.task_a.pk, lw.task_b.pk]  # confirmed only
    assert [r.task.pk for r in selectors.ledger_rows(tasks, unit=lw.unit_b, today=D(2020, 7, 1))] == [lw.task_b.pk]
    assert [r.task.pk for r in selectors.ledger_rows(tasks, standing="overdue", today=D(2020, 7, 1))] == [lw.task_a.pk]
    assert selectors.standing_counts(rows) == {"overdue": 1, "due_soon": 0, "open": 1, "no_deadline": 0, "done": 0}


@pytest.mark.parametrize(
    "cycle, day, period, end, label",
    [
        ("monthly", D(2020, 6, 10), "2020-06", D(2020, 6, 30), "2020年6月"),
        ("biweekly", D(2020, 6, 10), "2020-06-1", D(2020, 6, 15), "2020年6月上半月"),
        ("biweekly", D(2020, 2, 20), "2020-02-2", D(2020, 2, 29), "2020年2月下半月"),
        ("weekly", D(2020, 6, 10), "2020-W24", D(2020, 6, 14), "2020年第24周"),
    ],
)
def test_reporting_periods(cycle, day, period, end, label):
    assert selectors.period_of(cycle, day) == period
    assert selectors.period_end(cycle, day) == end
    assert selectors.period_label(period) == label


def _target(lw, year, comparator, value):
    return Target.objects.create(
        document=lw.task_b.document,
        task=lw.task_b,
        text="目标",
        indicator="指标",
        year=year,
        comparator=comparator,
        value=Decimal(value),
    )


def test_targets_met_missed_on_track_and_behind(lw):
    near = _target(lw, 2022, ">=", "22")
    far = _target(lw, 2030, ">=", "30")
    falling = _target(lw, 2030, "<=", "5")
    assert selectors.target_status(near, D(2020, 7, 1)).code == "no_data"
    _report(lw, D(2020, 5, 20), 10, unit=lw.unit_b, task=lw.task_b, readings={near: "19", far: "19", falling: "7"})
    assert selectors.target_status(near, D(2020, 7, 1)).code == "pending"  # one reading: no trend yet
    _report(
        lw, D(2020, 10, 20), 30, unit=lw.unit_b, task=lw.task_b, readings={near: "22.4", far: "19.1", falling: "6.5"}
    )
    status = selectors.target_status(near, D(2020, 11, 1))
    assert (status.code, status.latest.value, status.css) == ("met", Decimal("22.4"), "on-track")
    # 2030: the straight line from 19 (2020-05-20) to 30 (2030-12-31) expects ~19.43 by 2020-10-20.
    behind = selectors.target_status(far, D(2020, 11, 1))
    assert behind.code == "behind" and Decimal("19.4") < behind.expected < Decimal("19.5")
    assert selectors.target_status(falling, D(2020, 11, 1)).code == "on_track"
    _report(lw, D(2021, 1, 5), 40, unit=lw.unit_b, task=lw.task_b, readings={near: "21"})
    assert selectors.target_status(near, D(2023, 1, 1)).code == "missed"  # 2022 over, latest below the target
    labels = {s.target.pk: s.label for s in selectors.task_targets(lw.task_b, D(2020, 11, 1))}
    assert labels[far.pk] == "进度滞后" and labels[falling.pk] == "进度正常"


def test_task_page_shows_targets_progress_orders_and_history(client, lw):
    target = lw.task_a.targets.get()
    _report(lw, D(2020, 6, 10), 60, readings={target: "20.5"})
    client.force_login(lw.users["office_city"])
    page = client.get(f"/ledger/tasks/{lw.task_a.pk}/").content.decode()
    for text in (
        "实施健康知识普及行动的原文",
        "居民健康素养水平",
        "20.5%",
        "60%",
        "督办〔2020〕1号",
        "签发督办单",
        "报送进度",
        "确认入台账",
        "已逾期",
    ):
        assert text in page, text


def test_each_task_meets_exactly_one_standing_condition_the_one_the_ledger_names(lw):
    """standing_conditions (a query's counts of every standing at once) and with_standing (the 台账's one
    standing a task) state the same rules: on each day around the deadlines and the 办结 date, each task
    meets exactly the condition of the standing the ledger gives it."""
    services.task_mark_done(actor=None, task=fresh(lw.task_a), on=D(2020, 6, 20))
    tasks = selectors.tasks_confirmed(jurisdiction=lw.city)
    seen: set[str] = set()
    for day in (D(2020, 6, 1) + dt.timedelta(days=n) for n in range(60)):
        named = {t.pk: t.ledger_standing for t in selectors.with_standing(tasks, day)}
        met: dict[int, list[str]] = {pk: [] for pk in named}
        for code, condition in selectors.standing_conditions(day).items():
            for pk in tasks.filter(condition).values_list("pk", flat=True):
                met[pk].append(code)
        assert met == {pk: [code] for pk, code in named.items()}, day
        seen |= set(named.values())
    assert {"done", "overdue", "due_soon", "open"} <= seen
