"""漏报进度's page query (duban.ledger.missed) is lights.missed_reports stated with the columns themselves: on the
generated ledger of tests/ledger/test_lights_property.py (a city and its county, tasks given early in the morning
in Beijing, so a day earlier in UTC, done on every kind of day, every kind of unit list and report history), for
every cycle and every period ended by the days looked at, both find the same assignments in the same order, and
the page shows them."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ledger import lights, missed
from duban.ledger.models import ReportingCycle, Task
from tests.factories import login_create
from tests.ledger.test_lights_property import _generate

pytestmark = pytest.mark.django_db


def test_the_page_query_finds_what_lights_missed_reports_finds_in_its_order():
    plans = _generate(seed=23)
    tasks = Task.objects.filter(pk__in=[plan.task.pk for plan in plans])
    compared = found = 0
    for today in (dt.date(2020, 3, 15), dt.date(2020, 7, 1), dt.date(2020, 12, 10)):
        for cycle in ReportingCycle.values:
            for period in lights.ended_periods(cycle, today, 0, 4):
                for scope in (tasks, tasks.filter(jurisdiction__parent__isnull=True)):
                    expected = list(
                        lights.missed_reports(scope, cycle=cycle, period=period).values_list("pk", flat=True)
                    )
                    assert list(
                        missed.missed_reports(scope, cycle=cycle, period=period).values_list("pk", flat=True)
                    ) == (expected), (cycle, period)
                    compared += 1
                    found += len(expected)
    assert compared == 3 * 3 * 4 * 2 and found > 200


def test_the_page_shows_the_page_of_rows_the_query_orders(client, settings):
    from duban.accounts.services import person_create

    settings.DUBAN_TODAY = "2020-12-10"
    plans = _generate(seed=5)
    city = (
        plans[0].task.jurisdiction
        if plans[0].task.jurisdiction.parent_id is None
        else plans[0].task.jurisdiction.parent
    )
    office = login_create(
        "office",
        person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"),
        password="pw-12345678",
    )
    client.force_login(office)
    period = lights.period_parse("2020-10")[1]
    expected = list(missed.missed_reports(Task.objects.filter(jurisdiction=city), cycle="monthly", period=period))
    assert len(expected) > 30
    response = client.get("/ledger/missed-reports/?period=2020-10&page=2")
    assert response.context["page"].paginator.count == len(expected)
    assert [(a.task_id, a.unit_id) for a in response.context["rows"]] == [
        (a.task_id, a.unit_id) for a in expected[30:60]
    ]
    html = response.content.decode()
    assert all(f'href="/ledger/tasks/{a.task_id}/"' in html for a in expected[30:60])
