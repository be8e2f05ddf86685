"""漏报进度: per period, the lead units that owed a report and made none (lights.missed_reports in SQL,
lights.task_missed_reports per task), and the office's page with its period picker."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accounts.services import person_create, unit_create
from duban.ledger import lights
from duban.ledger.models import Task
from duban.ledger.services import progress_report_create, task_mark_done
from tests.factories import ledger_tasks_create, login_create

pytestmark = pytest.mark.django_db

D = dt.date
JAN = dt.datetime(2020, 1, 2, 10, 0, tzinfo=dt.UTC)


def _period(code):
    return lights.period_parse(code)


@pytest.fixture
def given(lw, settings):
    settings.DUBAN_TODAY = "2020-07-10"
    Task.objects.filter(pk__in=[lw.task_a.pk, lw.task_b.pk, lw.county_task.pk]).update(assigned_at=JAN)
    return lw


def _missed(lw, code):
    cycle, period = _period(code)
    return [(a.task_id, a.unit_id) for a in lights.missed_reports(Task.objects.all(), cycle=cycle, period=period)]


def test_a_lead_unit_that_did_not_report_is_listed_for_the_period(given):
    lw = given
    progress_report_create(actor=None, task=lw.task_b, unit=lw.unit_b, text="五月", percent=10, today=D(2020, 5, 20))
    assert (lw.task_b.pk, lw.unit_b.pk) not in _missed(lw, "2020-05")  # B reported for May
    assert (lw.task_b.pk, lw.unit_b.pk) in _missed(lw, "2020-06")  # and not for June
    assert (lw.task_a.pk, lw.unit_a.pk) in _missed(lw, "2020-06")
    assert _missed(lw, "2020-06-1") == []  # no task reports half-monthly
    per_task = lights.task_missed_reports(Task.objects.get(pk=lw.task_b.pk), D(2020, 7, 10))
    assert [m.period.code for m in per_task] == ["2020-01", "2020-02", "2020-03", "2020-04", "2020-06"]
    assert per_task[-1].due == D(2020, 6, 30) and per_task[-1].unit == lw.unit_b


def test_a_task_given_after_the_period_or_done_before_its_end_owed_nothing(given):
    lw = given
    Task.objects.filter(pk=lw.task_b.pk).update(assigned_at=dt.datetime(2020, 7, 1, 2, tzinfo=dt.UTC))
    task_mark_done(actor=None, task=lw.task_a, on=D(2020, 6, 10))
    assert _missed(lw, "2020-06") == [(lw.county_task.pk, lw.unit_c.pk)]
    assert (lw.task_a.pk, lw.unit_a.pk) in _missed(lw, "2020-05")  # before it was done it owed May's
    assert lights.task_missed_reports(Task.objects.get(pk=lw.task_b.pk), D(2020, 7, 10)) == []


def test_period_codes_are_read_strictly():
    assert _period("2020-06")[1].end == D(2020, 6, 30)
    assert _period("2020-06-1")[1].end == D(2020, 6, 15)
    assert _period("2020-W23")[1].end == D(2020, 6, 7)
    for bad in ("2020-13", "2020-6", "2020-06-3", "2020-W60", "abc", "2020-06-01", "99999-01"):
        assert _period(bad) is None, bad


def test_the_office_page_lists_one_period(client, given):
    lw = given
    client.force_login(lw.users["office_city"])
    page = client.get("/ledger/missed-reports/").content.decode()
    assert "2020年6月" in page and "实施健康知识普及行动" in page and "加强学校体育工作" in page
    assert "老旧小区改造" not in page  # the county's own
    page = client.get("/ledger/missed-reports/?period=2020-W20").content.decode()
    assert "2020年第20周没有漏报的进度。" in page
    response = client.get("/ledger/missed-reports/?period=2020-07")
    assert "2020年7月的报送尚未截止" in response.content.decode() and response.context["period"].code == "2020-06"
    response = client.get("/ledger/missed-reports/?period=<b>")
    assert "报送期无效（“&lt;b&gt;”）" in response.content.decode()


def test_the_page_costs_the_same_queries_for_5_and_50_tasks(client, city, settings):
    settings.DUBAN_TODAY = "2020-07-10"
    units = [unit_create(actor=None, jurisdiction=city, name=f"市第{n}局") for n in range(1, 4)]
    office = login_create(
        "office",
        person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"),
        password="pw-1234567",
    )
    client.force_login(office)

    def queries():
        Task.objects.update(assigned_at=JAN)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/ledger/missed-reports/?period=2020-06&page=2")
        assert response.status_code == 200
        return len(captured), response.context["page"].paginator.count

    ledger_tasks_create(city, units, 5, prefix="批量甲")
    five, count = queries()
    ledger_tasks_create(city, units, 45, prefix="批量乙")
    fifty, count_50 = queries()
    assert fifty == five and count < 30 < count_50  # the second page holds rows only with 50
