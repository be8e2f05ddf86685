"""The 督查通报's figures in SQL on each database (SQLite in the suite, PostgreSQL under `-m postgres`):
the JSON method lists, the dates coalesced from documents and sources, the standing subqueries grouped
by lead unit — the same hand-worked numbers as tests/reports/test_tongbao_figures.py."""

from __future__ import annotations

import pytest

from duban.reports.periods import parse_period
from duban.reports.tongbao import tongbao_report
from tests.reports.test_tongbao_figures import EXPECTED, TODAY
from tests.reports.tongbao_world import build_tongbao_world

pytestmark = pytest.mark.django_db


def test_june_beside_may(database, settings):
    settings.DUBAN_TODAY = "2020-07-10"
    tw = build_tongbao_world()
    report = tongbao_report(tw.w.city, parse_period("2020-06"), today=TODAY)
    assert {f.key: (f.value, f.previous) for f in report.figures} == EXPECTED
    assert [(u.name, u.tasks, u.overdue, u.longest_late) for u in report.units] == [
        ("市城市管理局", 3, 1, 41),
        ("市卫健体委", 2, 1, 10),
        ("市教育局", 2, 0, 0),
    ]
    assert [(d.unit, d.criticism, d.exposure, d.exposure_by_escalation) for d in report.decisions] == [
        ("市城市管理局", True, False, False),
        ("市教育局", False, True, True),
        ("市城市管理局", False, True, False),
    ]
