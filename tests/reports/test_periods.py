"""The reporting cycles as periods: codes, bounds, labels and the period before."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.reports.periods import parse_period, period_containing


@pytest.mark.parametrize(
    "code, start, end, label, previous",
    [
        ("2020-W16", dt.date(2020, 4, 13), dt.date(2020, 4, 19), "2020年第16周（4月13日—4月19日）", "2020-W15"),
        ("2020-W01", dt.date(2019, 12, 30), dt.date(2020, 1, 5), "2020年第1周（12月30日—1月5日）", "2019-W52"),
        ("2020-04", dt.date(2020, 4, 1), dt.date(2020, 4, 30), "2020年4月", "2020-03"),
        ("2020-01", dt.date(2020, 1, 1), dt.date(2020, 1, 31), "2020年1月", "2019-12"),
        ("2020-Q2", dt.date(2020, 4, 1), dt.date(2020, 6, 30), "2020年第二季度", "2020-Q1"),
        ("2020-H2", dt.date(2020, 7, 1), dt.date(2020, 12, 31), "2020年下半年", "2020-H1"),
        ("2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31), "2020年", "2019"),
    ],
)
def test_a_period_has_bounds_a_label_and_the_one_before(code, start, end, label, previous):
    period = parse_period(code)
    assert (period.code, period.start, period.end, period.label) == (code, start, end, label)
    assert period.previous().code == previous


@pytest.mark.parametrize("code", ["2020-13", "2020-00", "2020-W54", "2021-W53", "2020-Q0", "2020-H3", "20", "", "四月"])
def test_codes_that_name_no_period(code):
    assert parse_period(code) is None


def test_a_week_across_the_new_year_touches_two_months():
    assert parse_period("2020-W53").months() == ["2020-12", "2021-01"]
    assert period_containing("week", dt.date(2021, 1, 2)).code == "2020-W53"
