"""A page's query parameters are what anyone can type: a bad one gets a Chinese message, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import AuditLog

pytestmark = pytest.mark.django_db

# `demo` (tests/conftest.py): the demo loaded once for this module; its tests only read it.


def _get(client, url, username=None):
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    before = AuditLog.objects.count()
    response = client.get(url)
    assert AuditLog.objects.count() == before
    return response, response.content.decode()


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "١٢٣٤-01", "2020-13", "2020-5"])
def test_the_public_ranking_says_a_month_is_not_one(client, demo, month):
    response, page = _get(client, f"/?month={month}")
    assert response.status_code == 200
    assert f"月份“{month}”无效" in page


def test_the_public_ranking_of_a_plausible_month_says_nothing(client, demo):
    response, page = _get(client, "/?month=2020-06")
    assert response.status_code == 200 and "无效" not in page


@pytest.mark.parametrize("unit", ["²", "١", "99999999999999999999999", "-1"])
def test_the_ledger_says_a_unit_filter_is_not_one(client, demo, unit):
    response, page = _get(client, f"/ledger/tasks/?unit={unit}", "duchashi")
    assert response.status_code == 200
    assert "单位筛选条件无效" in page


@pytest.mark.parametrize("year", ["²", "²⁰²⁰", "0000", "9999", "99999999999999999999999"])
def test_the_assessment_says_a_year_is_not_one(client, demo, year):
    response, page = _get(client, f"/assessment/?year={year}", "duchashi")
    assert response.status_code == 200
    assert f"年份“{year[:20]}”无效" in page


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2020-02-30", "²⁰²⁰-01-01"])
def test_the_regulation_page_says_a_date_is_not_one(client, demo, day):
    response, page = _get(client, f"/cases/rulebook/?date={day}")
    assert response.status_code == 200
    assert f"日期“{day}”无效" in page
