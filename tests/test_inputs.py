"""duban.inputs: what every door checks of what a user types."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.inputs import (
    date_problem,
    has_visible_text,
    parse_date,
    parse_int,
    parse_month,
    parse_year,
    visible_text,
)


@pytest.mark.parametrize(
    "text", ["", "   ", "\u200b", "\ufeff\u200b\u200c\u200d\u2060", "\u3000\u3000", "\t\n\r", "\u3164", "\u0301", None]
)
def test_blank_and_zero_width_text_is_not_visible(text):
    assert not has_visible_text(text)
    assert visible_text(text) == ""


@pytest.mark.parametrize("text", ["退回", "x", "1", "。", "\u200b理由\u200b", "\u3000说明\u3000"])
def test_text_with_a_visible_character_is(text):
    assert has_visible_text(text)


def test_visible_text_trims_the_invisible_around_it_only():
    assert visible_text("\ufeff\u3000 逾期\u200b未办 \u200b\n") == "逾期\u200b未办"


@pytest.mark.parametrize("text", ["²", "١", "١٢", "-1", "+1", " 1", "1.0", "", "1" * 19, None])
def test_parse_int_takes_ascii_digits_only(text):
    assert parse_int(text) is None


def test_parse_int_reads_ascii_digits():
    assert parse_int("0042") == 42


@pytest.mark.parametrize(
    "day, problem",
    [
        (dt.date(1949, 1, 1), False),
        (dt.date(2100, 12, 31), False),
        (dt.date(1948, 12, 31), True),
        (dt.date(2101, 1, 1), True),
        (dt.date(9999, 12, 31), True),
        (dt.date(1, 1, 1), True),
        (None, False),
    ],
)
def test_one_bound_for_dates(day, problem):
    assert bool(date_problem(day)) == problem


def test_months_years_and_days_of_a_plausible_year():
    assert parse_month("2020-06") == "2020-06"
    assert [parse_month(m) for m in ("0000-01", "9999-12", "١٢٣٤-01", "2020-13", "2020-5")] == [None] * 5
    assert parse_year("2020") == 2020
    assert [parse_year(y) for y in ("²", "0000", "9999", "20", "02020")] == [None] * 5
    assert parse_date("2020-02-29") == dt.date(2020, 2, 29)
    assert [parse_date(d) for d in ("2020-02-30", "9999-12-31", "²⁰²⁰-01-01", "20200101")] == [None] * 4
