"""督办单 as a list: searched by number, unit and task, one page at a time with the search kept, another
jurisdiction's or unit's orders never shown, the same queries for 5 orders as for 50."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.ledger.models import SupervisionOrder
from duban.ledger.services import order_answer, order_issue

pytestmark = pytest.mark.django_db


def add_orders(lw, count: int, *, task=None, unit=None, office="office_city") -> list:
    """``count`` more orders on the task to the unit, each issued once the one before is answered."""
    task, unit = task or lw.task_a, unit or lw.unit_a
    made = []
    for _ in range(count):
        waiting = SupervisionOrder.objects.filter(task=task, unit=unit, status=SupervisionOrder.Status.ISSUED)
        for order in waiting:
            order_answer(actor=None, order=order, answer="已整改", answered_on=dt.date(2020, 6, 21))
        made.append(
            order_issue(
                actor=lw.user(office),
                task=task,
                unit=unit,
                reason="逾期未完成",
                reply_by=dt.date(2020, 7, 30),
                issued_on=dt.date(2020, 6, 21),
            )
        )
    return made


def _list(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/ledger/orders/?{query}")
    assert response.status_code == 200
    return response, response.content.decode()


def _numbers(response) -> list[str]:
    return [order.number for order in response.context["orders"]]


def test_the_order_list_searches_number_unit_and_task(client, lw):
    [second] = add_orders(lw, 1)
    office = lw.user("office_city")
    assert _numbers(_list(client, office, f"q={second.number}")[0]) == [second.number]
    assert _numbers(_list(client, office, "q=〕2号")[0]) == [second.number]
    assert len(_numbers(_list(client, office, "q=市卫健体委")[0])) == 2  # by short name
    assert len(_numbers(_list(client, office, "q=健康知识")[0])) == 2  # by the task's title
    assert _numbers(_list(client, office, "q=市教育局")[0]) == []
    _, page = _list(client, office, "q=健康知识&status=issued")
    assert 'value="健康知识"' in page and "清除筛选" in page and "共 1 条" in page


def test_the_order_list_pages_with_the_search_kept(client, lw):
    add_orders(lw, 34)
    response, page = _list(client, lw.user("office_city"), "q=卫健&page=2")
    assert len(_numbers(response)) == 5 and "第 2 / 2 页" in page
    assert 'href="?q=%E5%8D%AB%E5%81%A5&amp;page=1"' in page
    assert _numbers(response)[-1] == lw.order.number  # the first order, last


def test_another_jurisdictions_or_units_orders_never_appear(client, lw):
    add_orders(lw, 2)
    assert len(_numbers(_list(client, lw.user("office_city"), "")[0])) == 3
    assert _numbers(_list(client, lw.user("office_county"), "")[0]) == []
    assert _numbers(_list(client, lw.user("office_county"), "q=卫健")[0]) == []
    assert _numbers(_list(client, lw.user("liaison_b"), "")[0]) == []  # 市教育局 has none
    assert len(_numbers(_list(client, lw.user("liaison_a"), "")[0])) == 3


def _queries(client, user, query) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ledger/orders/?{query}").status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "role, query", [("office_city", ""), ("office_city", "q=卫健&status=answered"), ("liaison_a", "")]
)
def test_the_order_list_costs_the_same_queries_for_5_and_50_orders(client, lw, role, query):
    add_orders(lw, 4)
    five = _queries(client, lw.user(role), query)
    add_orders(lw, 45)
    assert _list(client, lw.user(role), query)[0].context["page"].paginator.count > 30  # more than a page
    assert _queries(client, lw.user(role), query) == five
