"""The charts' figures against the small world of conftest.py, each number counted by hand there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.dashboards import selectors
from duban.dashboards.charts import office_dashboard, unit_dashboard
from tests.dashboards.conftest import AS_OF, build_chart_world, open_task
from tests.factories import decide

MONTHS = ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"]


def test_the_months_of_a_year_run_to_the_day_the_figures_stand_on():
    assert selectors.months_of(2020, AS_OF) == MONTHS
    assert len(selectors.months_of(2019, AS_OF)) == 12
    assert selectors.months_of(2021, AS_OF) == []


def test_tasks_by_light(cw):
    counts = selectors.standing_counts(selectors.confirmed_tasks(cw.w.city), AS_OF)
    assert counts == {"overdue": 1, "due_soon": 1, "open": 1, "no_deadline": 1, "done": 2}


def test_tasks_by_unit_with_on_time_and_completion_rates(cw):
    rows = selectors.tasks_by_unit(cw.w.city, AS_OF)
    # the most red lights first, then the most tasks, then by name (市卫健体委 before 市教育局)
    assert [row.unit for row in rows] == [cw.w.cgj, cw.w.wjw, cw.w.jyj]
    cgj, wjw, jyj = rows
    assert cgj.counts == {"overdue": 1, "due_soon": 0, "open": 0, "no_deadline": 0, "done": 1}
    assert (cgj.total, cgj.done, cgj.due, cgj.on_time) == (2, 1, 2, 1)  # T1 on time; T2 due and late
    assert (cgj.completion_rate, cgj.on_time_rate) == (50.0, 50.0)
    # T4 names no 牵头单位: jyj, named first, leads it; wjw, named second, is not counted for it
    assert jyj.counts == {"overdue": 0, "due_soon": 1, "open": 0, "no_deadline": 0, "done": 1}
    assert (jyj.total, jyj.done, jyj.due, jyj.on_time) == (2, 1, 1, 0)  # T3 closed on 05-10, after 04-15
    assert (jyj.completion_rate, jyj.on_time_rate) == (50.0, 0.0)
    assert wjw.counts == {"overdue": 0, "due_soon": 0, "open": 1, "no_deadline": 1, "done": 0}
    assert (wjw.total, wjw.done, wjw.due, wjw.on_time) == (2, 0, 0, 0)
    assert (wjw.completion_rate, wjw.on_time_rate) == (0.0, None)  # nothing due yet: no rate, not 0%


def test_a_task_accepted_as_done_before_its_deadline_is_on_time(cw):
    task = open_task(cw.w, "T7", lead=[cw.w.wjw], deadline=dt.date(2020, 6, 20))
    from tests.dashboards.conftest import report
    from tests.factories import closure_accepted

    report(task, cw.w.wjw, dt.date(2020, 6, 15), 100)
    wjw = next(row for row in selectors.tasks_by_unit(cw.w.city, AS_OF) if row.unit == cw.w.wjw)
    assert (wjw.total, wjw.done) == (3, 0)  # a 100% report closes nothing
    closure_accepted(task, cw.w.wjw, on=dt.date(2020, 6, 15), actor=cw.w.actor)
    wjw = next(row for row in selectors.tasks_by_unit(cw.w.city, AS_OF) if row.unit == cw.w.wjw)
    assert (wjw.total, wjw.done, wjw.due, wjw.on_time) == (3, 1, 1, 1)


def test_overdue_by_unit_and_month(cw):
    heat = selectors.overdue_by_unit_month(cw.w.city, MONTHS, AS_OF)
    assert heat.units == [cw.w.cgj, cw.w.jyj]  # wjw never had an overdue task
    assert heat.row(cw.w.cgj) == [0, 0, 0, 0, 0, 1]  # T2: due 05-31, overdue from 06-01 (June: on 06-15)
    assert heat.row(cw.w.jyj) == [0, 0, 0, 1, 0, 0]  # T3: due 04-15, closed 05-10


def test_the_heat_is_a_plain_reading_of_each_lead_task_on_each_months_day(cw):
    """Each (unit, month): the tasks the unit leads whose earliest deadline is before the month's day (its end,
    today for the running month) and that were not 办结 by that day, read task by task in Python."""
    from duban.ledger.selectors import task_lead_unit_ids

    tasks = list(selectors.confirmed_tasks(cw.w.city).prefetch_related("assignments", "deadlines"))
    for as_of in (dt.date(2020, 4, 30), dt.date(2020, 5, 10), AS_OF, dt.date(2020, 12, 31)):
        months = selectors.months_of(2020, as_of)
        heat = selectors.overdue_by_unit_month(cw.w.city, months, as_of)
        expected: dict[tuple[int, str], int] = {}
        for task in tasks:
            dates = [d.date for d in task.deadlines.all()]
            if not dates:
                continue
            for month in months:
                day = min(selectors.month_end(month), as_of)
                if min(dates) < day and (task.done_on is None or task.done_on > day):
                    for unit in task_lead_unit_ids(task):
                        expected[(unit, month)] = expected.get((unit, month), 0) + 1
        assert heat.counts == expected, as_of
        assert {unit.pk for unit in heat.units} == {unit for unit, _ in expected}


def test_each_units_rank_over_the_months(cw):
    trend = selectors.rank_trend(cw.w.city, MONTHS)
    assert trend.units == [cw.w.cgj, cw.w.jyj]
    assert trend.ranks[cw.w.cgj.pk] == [1, 1, 1, 1, 3, 1]  # 通报批评 in May: 100 − 10
    assert trend.scores[cw.w.cgj.pk] == [100, 100, 100, 100, 90, 100]
    assert trend.ranks[cw.w.jyj.pk] == [1, 1, 1, 1, 1, 3]  # 工作约谈 in June: 100 − 30
    assert trend.others == 1  # wjw: first every month


def test_targets_against_their_trajectory(cw):
    (row,) = selectors.target_rows(cw.w.city, AS_OF)
    assert (row.target.year, row.target.value, row.first, row.latest) == (2022, 22, 18, 19)
    # the line from 18 on 2020-03-31 to 22 on 2022-12-31 (1005 days) stands at 18 + 4 × 61/1005 on 05-31
    assert row.expected == Decimal("18.24")
    assert row.status_label == "进度正常"
    assert row.progress == 25.0  # (19 − 18) / (22 − 18)
    assert row.trajectory == 7.6  # 76 of 1005 days by 06-15


def test_decisions_by_group_and_method_read_from_the_rulebook(cw):
    groups = selectors.decisions_by_group(cw.w.city, 2020)
    assert [(g.label, g.count) for g in groups] == [
        ("工作不作为", 1),
        ("工作慢作为", 1),
        ("工作乱作为", 0),
        ("其他", 0),
    ]
    assert groups[0].reference == "第六条第（一）项"
    methods = {m.label: m.count for m in selectors.decisions_by_method(cw.w.city, 2020)}
    assert len(methods) == 7 and methods["通报批评"] == 1 and methods["工作约谈"] == 1
    assert sum(methods.values()) == 2
    assert [g.count for g in selectors.decisions_by_group(cw.w.city, 2019)] == [0, 0, 0, 0]


def test_the_groups_follow_the_rulebook_not_a_list_in_the_code(cw, settings, tmp_path):
    """A rulebook that names its 第六条 groups otherwise: the chart shows its names."""
    import shutil
    from pathlib import Path

    root = tmp_path / "rulebooks"
    source = Path(__file__).resolve().parents[2] / "rulebooks"
    shutil.copytree(source, root)
    situations = root / "zhumadian" / "2020-04-22" / "situations.yaml"
    situations.write_text(situations.read_text("utf-8").replace("name: 工作慢作为", "name: 拖延推诿"), "utf-8")
    settings.DUBAN_RULEBOOKS_DIR = str(root)
    labels = [g.label for g in selectors.decisions_by_group(cw.w.city, 2020)]
    assert labels == ["工作不作为", "拖延推诿", "工作乱作为", "其他"]


def test_appeal_outcomes(cw):
    outcomes = selectors.appeal_outcomes(cw.w.city, 2020)
    assert [(o.label, o.count) for o in outcomes] == [("待复核", 1), ("维持", 0), ("变更", 0), ("撤销", 0)]


def test_a_units_own_page(cw):
    jyj = selectors.unit_overview(cw.w.jyj, AS_OF)
    assert [t.title for t in jyj.tasks] == [
        "T4",
        "T3",
        "T1",
    ]  # due soon first, then the done ones by deadline (04-15, 04-30)
    assert jyj.counts == {"overdue": 0, "due_soon": 1, "open": 0, "no_deadline": 0, "done": 2}
    assert [(d.task.title, d.period, d.due) for d in jyj.due_reports] == [("T4", "2020-06", dt.date(2020, 6, 30))]
    cgj = selectors.unit_overview(cw.w.cgj, AS_OF)
    assert [d.task.title for d in cgj.due_reports] == ["T2"]  # T1 is done
    assert selectors.unit_rank_trend(cw.w.cgj, MONTHS)[4] == ("2020-05", 3, 90, 3)


def test_each_chart_table_shows_the_chart_numbers(cw):
    charts = {chart.key: chart for chart in office_dashboard(cw.w.city, 2020, AS_OF).charts}
    assert list(charts) == [
        "lights",
        "units",
        "rates",
        "overdue",
        "ranks",
        "targets-2022",
        "groups",
        "methods",
        "appeals",
    ]
    assert charts["lights"].rows == [
        ["红灯（已逾期）", 1],
        ["黄灯（即将到期）", 1],
        ["绿灯（办理中）", 1],
        ["无时限", 1],
        ["已办结", 2],
    ]
    assert charts["rates"].rows[0] == ["市城管局", 50.0, 50.0, 2, 1, 2, 1]
    assert charts["overdue"].head == ["牵头单位", "1月", "2月", "3月", "4月", "5月", "6月", "合计"]
    assert charts["overdue"].rows == [["市城管局", 0, 0, 0, 0, 0, 1, 1], ["市教育局", 0, 0, 0, 1, 0, 0, 1]]
    assert charts["ranks"].rows[0] == ["市城管局", 1, 1, 1, 1, 3, 1]
    for chart in charts.values():  # the drawn numbers of each table row are its series' data
        data = [s.data for s in chart.series]
        drawn = [row[1 : 1 + chart.drawn_columns] for row in chart.rows]
        assert drawn == (data if chart.rows_are_series else [list(col) for col in zip(*data, strict=True)])
    unit = {chart.key: chart for chart in unit_dashboard(cw.w.cgj, 2020, AS_OF).charts}
    assert unit["unit-rank"].rows[4] == ["5月", 3, 90, 3]


def _office_queries(city) -> int:
    with CaptureQueriesContext(connection) as captured:
        office_dashboard(city, 2020, AS_OF)
    return len(captured)


def _unit_queries(unit) -> int:
    with CaptureQueriesContext(connection) as captured:
        unit_dashboard(unit, 2020, AS_OF)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(db, settings):
    from duban.accounts.services import unit_create
    from tests.factories import ledger_tasks_create

    cw = build_chart_world(settings)
    small_office, small_unit = _office_queries(cw.w.city), _unit_queries(cw.w.cgj)
    more_units = [unit_create(actor=None, jurisdiction=cw.w.city, name=f"市测试局{n}") for n in range(12)]
    ledger_tasks_create(cw.w.city, [cw.w.cgj, *more_units], 40)
    for n, unit in enumerate(more_units[:5]):
        decide(cw.w, f"2020-0{5 + n % 2}-1{n}", ["通报批评"], unit=unit, situation_number=n + 1)
    assert _office_queries(cw.w.city) == small_office
    assert _unit_queries(cw.w.cgj) == small_unit
    # six months: two queries a month for the ranks, one for the overdue map, and a dozen more
    assert small_office <= 6 * 3 + 14


def test_the_lights_on_a_day_are_the_standings_of_the_tasks_in_the_ledger_by_then(cw):
    """standing_on reads the counts the writes keep by day; standing_counts counts the tasks themselves."""
    for day in (dt.date(2020, 2, 1), dt.date(2020, 4, 30), dt.date(2020, 5, 10), AS_OF, dt.date(2020, 12, 31)):
        in_ledger = selectors.confirmed_tasks(cw.w.city).filter(given_on__lte=day)
        assert selectors.standing_on(cw.w.city, day) == selectors.standing_counts(in_ledger, day), day
    assert selectors.standing_on(cw.w.city, AS_OF) == selectors.standing_counts(
        selectors.confirmed_tasks(cw.w.city), AS_OF
    )


def test_the_charts_of_units_load_only_the_units_they_list(cw):
    figures = selectors.units_figures(cw.w.city, MONTHS, AS_OF, limit=1)
    assert [row.unit for row in figures.rows] == [cw.w.cgj] and figures.total_units == 3
    assert figures.heat.units == [cw.w.cgj] and figures.heat.total_units == 2
    assert figures.heat.row(cw.w.jyj) == [0, 0, 0, 1, 0, 0]  # counted, not listed
    trend = selectors.rank_trend(cw.w.city, MONTHS, limit=1)
    assert trend.units == [cw.w.cgj] and trend.lost == 2 and trend.others == 1
    charts = {chart.key: chart for chart in office_dashboard(cw.w.city, 2020, AS_OF, units_shown=1).charts}
    assert charts["units"].categories == ["市城管局"]
    assert "图表列出前1个单位（共3个）" in charts["units"].note
    assert "图表列出前1个单位（共2个）" in charts["overdue"].note
    assert "图表列出前1个单位（共2个）" in charts["ranks"].note


def test_a_chart_table_body_escapes_its_values_links_its_rows_and_right_aligns_numbers():
    from duban.dashboards.charts import Chart, Series

    chart = Chart(
        key="units",
        title="各单位",
        kind="hbar",
        categories=["<甲>局", "乙局"],
        series=[Series("红灯", [1, None]), Series("办结率", [50.0, 12.5])],
        row_header="单位",
        details=["说明"],
        detail_rows=[["a&b"], ["—"]],
        links=["/dashboards/unit/1/?x=1&y=2", ""],
    )
    assert chart.body_html().splitlines() == [
        '<tr><th scope="row"><a href="/dashboards/unit/1/?x=1&amp;y=2">&lt;甲&gt;局</a></th>'
        '<td class="num">1</td><td class="num">50.0</td><td>a&amp;b</td></tr>',
        '<tr><th scope="row">乙局</th><td class="num">—</td><td class="num">12.5</td><td>—</td></tr>',
    ]
