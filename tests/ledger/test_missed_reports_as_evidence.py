"""The missed periodic reports are offered as evidence on 立案 from a task (accountability's page): the office
ticks those it relies on, they are written into the investigation; duban opens no case by itself."""

import datetime as dt

import pytest

from duban.accountability.models import Case
from duban.ledger.models import Task

pytestmark = pytest.mark.django_db

JAN = dt.datetime(2020, 1, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def late(lw, settings):
    """On 2020-07-10 task A (due 06-15, given in January) has missed every monthly report."""
    settings.DUBAN_TODAY = "2020-07-10"
    Task.objects.filter(pk=lw.task_a.pk).update(assigned_at=JAN)
    return lw


def test_the_task_page_offers_立案_with_the_missed_reports(client, late):
    client.force_login(late.users["office_city"])
    page = client.get(f"/ledger/tasks/{late.task_a.pk}/").content.decode()
    assert f'href="/cases/from-task/{late.task_a.pk}/">附漏报证据立案（6 次漏报）…</a>' in page
    page = client.get(f"/cases/from-task/{late.task_a.pk}/").content.decode()
    assert f'value="{late.unit_a.pk}:2020-06"' in page and "市卫健体委 2020年6月（应于 2020-06-30 前报送）" in page
    assert "由督查室在调查核实时认定，系统不作判断" in page
    assert not Case.objects.exists()  # looking opens nothing


def test_the_ticked_reports_are_written_into_the_investigation(client, late):
    client.force_login(late.users["office_city"])
    unit = late.unit_a.pk
    response = client.post(f"/cases/from-task/{late.task_a.pk}/", {"missed": [f"{unit}:2020-05", f"{unit}:2020-06"]})
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert case.investigation.endswith(
        "漏报进度2次：市卫生健康体育委员会2020年5月（应于2020年5月31日前报送）；"
        "市卫生健康体育委员会2020年6月（应于2020年6月30日前报送）。"
    )


def test_a_report_that_was_not_missed_is_refused_and_nothing_is_opened(client, late):
    client.force_login(late.users["office_city"])
    response = client.post(
        f"/cases/from-task/{late.task_a.pk}/", {"missed": [f"{late.unit_b.pk}:2020-06"]}, follow=True
    )
    assert "所选漏报记录不属于该任务" in response.content.decode()
    assert not Case.objects.exists()


def test_the_page_is_the_offices(client, late):
    client.force_login(late.users["liaison_a"])
    assert client.get(f"/cases/from-task/{late.task_a.pk}/").status_code == 403
