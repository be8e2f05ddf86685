"""The shared pager (duban/web/paging.py, web/_pager.html): any page number anyone types answers a page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from duban.accounts.models import Unit
from duban.accounts.services import unit_create
from duban.web.paging import paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(city):
    for n in range(1, 26):
        unit_create(actor=None, jurisdiction=city, name=f"单位{n:02d}")
    return Unit.objects.filter(jurisdiction=city).order_by("name")


def _page(units, query: str, per_page: int = 10):
    return paginate(RequestFactory().get(f"/list/?{query}"), units, per_page=per_page)


def test_the_requested_page_holds_its_rows(units):
    page = _page(units, "page=2")
    assert page.number == 2
    assert [u.name for u in page.object_list] == [f"单位{n:02d}" for n in range(11, 21)]
    assert page.paginator.num_pages == 3 and page.paginator.count == 25
    assert page.problem == ""


@pytest.mark.parametrize("number, expected", [("99", 3), ("99999999999999999999999", 3), ("0", 1), ("000", 1), ("", 1)])
def test_a_page_out_of_range_answers_the_nearest(units, number, expected):
    page = _page(units, f"page={number}")
    assert page.number == expected
    assert page.problem == ""


@pytest.mark.parametrize("number", ["abc", "-1", "²", "١", "1.5", "2e3", "x" * 100])
def test_a_page_that_is_no_number_answers_the_first_with_a_message(units, number):
    page = _page(units, f"page={number}")
    assert page.number == 1
    assert page.problem.startswith(f"页码“{number[:20]}”无效")


def test_an_empty_list_has_one_empty_page(city):
    page = _page(Unit.objects.filter(jurisdiction=city).order_by("name"), "page=5")
    assert page.number == 1 and list(page.object_list) == [] and page.paginator.count == 0


def test_the_query_string_is_kept_without_the_page(units):
    page = _page(units, "unit=3&q=%E6%AE%A1%E8%91%AC&page=2&standing=overdue")
    assert page.query == "unit=3&q=%E6%AE%A1%E8%91%AC&standing=overdue"
    assert page.query_prefix == page.query + "&"
    assert _page(units, "page=2").query_prefix == ""


def test_a_page_costs_a_count_and_one_select_whatever_the_size(units):
    with CaptureQueriesContext(connection) as queries:
        page = _page(units, "page=2")
        rows = list(page.object_list)
        pages = page.paginator.num_pages
    assert len(rows) == 10 and pages == 3
    assert len(queries) == 2


def test_the_partial_links_keep_the_filters(units):
    page = _page(units, "q=a%20b&page=2")
    html = render_to_string("web/_pager.html", {"page": page})
    assert 'href="?q=a+b&amp;page=1"' in html and "上一页" in html
    assert 'href="?q=a+b&amp;page=3"' in html and "下一页" in html
    assert "第 2 / 3 页" in html and "共 25 条" in html


def test_the_partial_on_the_first_and_last_page_links_nowhere_beyond(units):
    first = render_to_string("web/_pager.html", {"page": _page(units, "")})
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = render_to_string("web/_pager.html", {"page": _page(units, "page=3")})
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_the_partial_says_a_bad_page_number(units):
    html = render_to_string("web/_pager.html", {"page": _page(units, "page=abc")})
    assert "页码“abc”无效" in html
