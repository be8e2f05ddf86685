"""The charts' SQL on a real PostgreSQL server (grouping by a unit over annotated standings, the methods
in a jsonb list, the 第六条 groups as CASE): the same hand-counted numbers as on SQLite
(tests/dashboards/test_dashboard_figures.py)."""

from __future__ import annotations

import pytest

from duban.dashboards import selectors
from duban.dashboards.charts import office_dashboard, unit_dashboard
from tests.dashboards.conftest import AS_OF, build_chart_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
MONTHS = ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"]


def test_the_figures_on_postgresql(settings):
    w = build_chart_world(settings).w
    assert selectors.standing_counts(selectors.confirmed_tasks(w.city), AS_OF) == {
        "overdue": 1,
        "due_soon": 1,
        "open": 1,
        "no_deadline": 1,
        "done": 2,
    }
    rows = {row.unit: row for row in selectors.tasks_by_unit(w.city, AS_OF)}
    assert (rows[w.cgj].total, rows[w.cgj].due, rows[w.cgj].on_time) == (2, 2, 1)
    assert (rows[w.jyj].done, rows[w.jyj].on_time_rate) == (1, 0.0)
    heat = selectors.overdue_by_unit_month(w.city, MONTHS, AS_OF)
    assert heat.row(w.cgj) == [0, 0, 0, 0, 0, 1] and heat.row(w.jyj) == [0, 0, 0, 1, 0, 0]
    assert [g.count for g in selectors.decisions_by_group(w.city, 2020)] == [1, 1, 0, 0]
    methods = {m.label: m.count for m in selectors.decisions_by_method(w.city, 2020)}
    assert methods["通报批评"] == 1 and methods["工作约谈"] == 1 and sum(methods.values()) == 2
    assert [a.count for a in selectors.appeal_outcomes(w.city, 2020)] == [1, 0, 0, 0]
    assert [c.key for c in office_dashboard(w.city, 2020, AS_OF).charts][:3] == ["lights", "units", "rates"]
    assert [d.task.title for d in unit_dashboard(w.jyj, 2020, AS_OF).overview.due_reports] == ["T4"]
