"""亮灯 on the pages: the 台账's column, cards and filter (in SQL), the task page's reasons, the workbench's
counts linking to the filtered list."""

import datetime as dt

import pytest

from duban.ledger import lights
from duban.ledger.models import Task

pytestmark = pytest.mark.django_db

D = dt.date
ON = dt.datetime(2020, 1, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def lit(lw, settings):
    """On 2020-07-01: task A is overdue with its 督办单 unanswered past 06-30 (red); task B, given in January,
    has no report for June (yellow); the county's task is the county's."""
    settings.DUBAN_TODAY = "2020-07-01"
    Task.objects.filter(pk__in=[lw.task_a.pk, lw.task_b.pk]).update(assigned_at=ON)
    return lw


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_ledger_shows_each_light_with_its_reasons_and_counts_them(client, lit):
    response, page = _get(client, lit.users["office_city"], "/ledger/tasks/")
    rows = {row.task.pk: row.light for row in response.context["rows"]}
    assert rows[lit.task_a.pk].code == "red" and rows[lit.task_a.pk].reason_codes == (
        "overdue",
        "order_overdue",
        "behind",
        "missed",
    )
    assert rows[lit.task_b.pk].code == "yellow" and rows[lit.task_b.pk].reason_codes == ("missed",)
    assert {c["code"]: c["count"] for c in response.context["light_cards"]} == {
        "red": 1,
        "yellow": 1,
        "green": 0,
        "done": 0,
    }
    assert 'title="已逾期 16 天（完成时限 2020-06-15）；督办单逾期未回复；进度 0%，按时序应达 100%' in page
    assert 'title="漏报2020年6月进度"' in page
    assert "<th>亮灯</th>" in page and '<select name="light">' in page


def test_the_ledger_filters_by_light(client, lit):
    response, _ = _get(client, lit.users["office_city"], "/ledger/tasks/?light=yellow")
    assert [row.task.pk for row in response.context["rows"]] == [lit.task_b.pk]
    # the cards still count every light (the filter narrows the rows)
    assert {c["code"]: c["count"] for c in response.context["light_cards"]}["red"] == 1
    response, _ = _get(client, lit.users["office_city"], "/ledger/tasks/?light=red&standing=open")
    assert response.context["rows"] == []


def test_a_light_the_ledger_does_not_know_is_dropped_with_a_warning(client, lit):
    response, page = _get(client, lit.users["office_city"], "/ledger/tasks/?light=purple")
    assert len(response.context["rows"]) == 2
    assert "亮灯筛选条件无效（“purple”），显示全部任务。" in page


def test_the_task_page_says_why_its_light_is_on(client, lit):
    _, page = _get(client, lit.users["liaison_a"], f"/ledger/tasks/{lit.task_a.pk}/")
    assert "红灯" in page and "已逾期 16 天（完成时限 2020-06-15）" in page
    assert f"督办单逾期未回复（{lit.order.number}）" in page  # the page names the 督办单
    _, page = _get(client, lit.users["liaison_b"], f"/ledger/tasks/{lit.task_b.pk}/")
    assert "黄灯" in page and "漏报2020年6月进度" in page
    assert "市教育局 2020年6月（应于 2020-06-30 前报送）" in page  # and lists what was missed


def test_the_workbench_counts_the_lights_and_links_to_them(client, lit):
    _, page = _get(client, lit.users["office_city"], "/workbench/")
    assert 'href="/ledger/tasks/?light=red"><div class="count">1</div>红灯' in page
    assert 'href="/ledger/tasks/?light=yellow"><div class="count">1</div>黄灯' in page
    _, page = _get(client, lit.users["liaison_b"], "/workbench/")  # 市教育局: only its own task B
    assert 'href="/ledger/tasks/?light=red"><div class="count">0</div>红灯' in page
    assert 'href="/ledger/tasks/?light=yellow"><div class="count">1</div>黄灯' in page


def test_a_county_reads_its_own_warning_window(lit):
    # 驿城区 warns 5 days ahead (yicheng.yaml), the city 3: the county's task due 2020-12-31 on 12-27
    # (given on 12-26, so not yet behind the straight line)
    county = Task.objects.filter(pk=lit.county_task.pk)
    county.update(assigned_at=dt.datetime(2020, 12, 26, 2, tzinfo=dt.UTC))
    assert [t.light for t in lights.with_lights(county, D(2020, 12, 27))] == ["yellow"]
    assert lights.task_light(county.get(), D(2020, 12, 27)).reason_codes == ("due_soon",)
    assert [t.light for t in lights.with_lights(county, D(2020, 12, 25))] == ["green"]
