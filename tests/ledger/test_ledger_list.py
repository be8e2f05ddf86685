"""The 督查台账 as a list: standing, search and filters in SQL, one page at a time, scoped by the access layer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accounts.services import person_create, unit_create
from duban.ledger import selectors
from duban.ledger.models import Task
from tests.factories import ledger_tasks_create, login_create

pytestmark = pytest.mark.django_db

D = dt.date


def _page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/ledger/tasks/?{query}")
    assert response.status_code == 200
    return response, response.content.decode()


def _titles(response) -> list[str]:
    return [row.task.title for row in response.context["rows"]]


# --- the standing in SQL is task_standing ---------------------------------------------------------


def test_a_100_percent_report_closes_nothing_in_sql_the_office_does(lw):
    from duban.ledger.services import progress_report_create, task_mark_done

    progress_report_create(actor=None, task=lw.task_b, unit=lw.unit_b, text="完成", percent=100, today=D(2020, 7, 1))
    tasks = Task.objects.filter(pk__in=[lw.task_a.pk, lw.task_b.pk])
    standing = {t.pk: t.ledger_standing for t in selectors.with_standing(tasks, D(2020, 7, 2))}
    assert standing == {lw.task_a.pk: "overdue", lw.task_b.pk: "open"}
    task_mark_done(actor=None, task=lw.task_b, on=D(2020, 7, 2))
    assert {t.pk: t.ledger_standing for t in selectors.with_standing(tasks, D(2020, 7, 2))}[lw.task_b.pk] == "done"
    assert selectors.task_standing(Task.objects.get(pk=lw.task_b.pk), D(2020, 7, 2)).code == "done"
    # a 办结 dated after the day looked at does not count yet
    assert {t.pk: t.ledger_standing for t in selectors.with_standing(tasks, D(2020, 7, 1))}[lw.task_b.pk] == "open"


def test_a_cooperating_unit_never_leads_a_task_that_names_no_lead(lw):
    """A task with a 责任单位 and a 配合单位 (each first of its role) and no 牵头单位: the 责任单位 leads, as
    task_lead_unit_ids says, and leading_assignments says the same in SQL."""
    from duban.ledger.models import TaskUnit

    task = lw.task_b
    task.assignments.all().delete()
    TaskUnit.objects.create(task=task, role=TaskUnit.Role.RESPONSIBLE, printed_name="B", unit=lw.unit_b, position=0)
    TaskUnit.objects.create(task=task, role=TaskUnit.Role.COOPERATING, printed_name="A", unit=lw.unit_a, position=0)
    fresh = Task.objects.get(pk=task.pk)
    assert selectors.task_lead_unit_ids(fresh) == [lw.unit_b.pk]
    leading = selectors.leading_assignments().filter(task=task).values_list("unit_id", flat=True)
    assert list(leading) == [lw.unit_b.pk]


# --- search and filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, expected",
    [
        ("健康知识", ["实施健康知识普及行动"]),  # title
        ("加强学校体育工作的原文", ["加强学校体育工作"]),  # content
        ("市教育局", ["加强学校体育工作"]),  # unit by name
        ("卫健体委", ["实施健康知识普及行动"]),  # unit by short name
        ("驻政〔2020〕99号", ["实施健康知识普及行动", "加强学校体育工作"]),  # source: the document's 文号
        ("市政府通知", ["实施健康知识普及行动", "加强学校体育工作"]),  # source: the document's title
        ("二", ["加强学校体育工作"]),  # number (编号)
        ("健康　普及", ["实施健康知识普及行动"]),  # every word (a full-width space between)
        ("殡葬", []),
    ],
)
def test_the_ledger_searches_title_content_unit_source_and_number(client, lw, words, expected):
    response, _ = _page(client, lw.user("office_city"), f"q={words}")
    assert _titles(response) == expected


def test_search_unit_and_standing_combine_and_stay_in_the_pager_and_the_cards(client, lw):
    response, page = _page(client, lw.user("office_city"), f"q=行动&unit={lw.unit_a.pk}&standing=overdue")
    assert _titles(response) == ["实施健康知识普及行动"]
    assert 'value="行动"' in page
    # the cards count within the search and unit, and their links keep both
    counts = {card["code"]: card["count"] for card in response.context["standing_cards"]}
    assert counts["overdue"] == 1 and sum(counts.values()) == 1
    assert f"?q=%E8%A1%8C%E5%8A%A8&amp;unit={lw.unit_a.pk}&amp;standing=due_soon" in page


def test_the_ledger_pages_and_the_pager_keeps_the_filters(client, city):
    units = [unit_create(actor=None, jurisdiction=city, name=f"市第{n}局") for n in range(1, 4)]
    ledger_tasks_create(city, units, 65)
    office = login_create(
        "office",
        person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"),
        password="pw-12345678",
    )
    response, page = _page(client, office, "q=批量任务&page=2")
    assert _titles(response) == [f"批量任务{n}" for n in range(31, 61)]
    assert "第 2 / 3 页" in page and "共 65 条" in page
    assert 'href="?q=%E6%89%B9%E9%87%8F%E4%BB%BB%E5%8A%A1&amp;page=3"' in page
    response, page = _page(client, office, "standing=no_deadline&page=99")
    assert response.context["page"].number == 2 and len(_titles(response)) == 2  # 32 even-numbered tasks
    response, page = _page(client, office, "page=abc")
    assert "页码“abc”无效" in page and response.context["page"].number == 1


def test_a_bad_standing_says_so_and_shows_all(client, lw):
    response, page = _page(client, lw.user("office_city"), "standing=late")
    assert "状态筛选条件无效" in page and len(_titles(response)) == 2


# --- scope: another unit's or jurisdiction's tasks never appear ----------------------------------------


def test_a_liaison_searches_only_their_units_tasks(client, lw):
    response, _ = _page(client, lw.user("liaison_b"), "q=健康")
    assert _titles(response) == []
    response, _ = _page(client, lw.user("liaison_b"), "")
    assert _titles(response) == ["加强学校体育工作"]
    assert sum(c["count"] for c in response.context["standing_cards"]) == 1


def test_a_unit_of_another_unit_is_no_filter_for_a_liaison(client, lw):
    response, page = _page(client, lw.user("liaison_b"), f"unit={lw.unit_a.pk}")
    assert "单位筛选条件无效" in page and _titles(response) == ["加强学校体育工作"]


def test_the_county_office_never_finds_the_citys_tasks(client, lw):
    response, _ = _page(client, lw.user("office_county"), "q=行动")
    assert _titles(response) == []
    response, _ = _page(client, lw.user("office_county"), "q=老旧小区")
    assert _titles(response) == ["老旧小区改造"]


# --- the cost does not grow with the ledger ------------------------------------------------------------


def _queries_for(client, user, query=""):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ledger/tasks/?{query}").status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query", ["", "q=批量&standing=overdue", "unit=UNIT&q=批量&page=2", "light=red", "light=yellow&unit=UNIT&page=2"]
)
def test_the_ledger_costs_the_same_queries_for_5_and_50_rows(client, city, query):
    units = [unit_create(actor=None, jurisdiction=city, name=f"市第{n}局") for n in range(1, 4)]
    office = login_create(
        "office",
        person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"),
        password="pw-12345678",
    )
    query = query.replace("UNIT", str(units[0].pk))
    ledger_tasks_create(city, units, 5, prefix="批量甲")
    five = _queries_for(client, office, query)
    ledger_tasks_create(city, units, 45, prefix="批量乙")
    assert Task.objects.filter(status=Task.Status.CONFIRMED).count() == 50
    assert _queries_for(client, office, query) == five


def test_a_task_without_deadlines_stands_without_a_deadline(lw):
    no_deadline = ledger_tasks_create(lw.city, [lw.unit_a, lw.unit_b], 2)[1]  # the even ones have none
    tasks = Task.objects.filter(pk=no_deadline.pk)
    assert [t.ledger_standing for t in selectors.with_standing(tasks, D(2020, 7, 1))] == ["no_deadline"]
    assert selectors.task_standing(Task.objects.get(pk=no_deadline.pk), D(2020, 7, 1)).code == "no_deadline"


# --- 提醒 and 公文审核 ----------------------------------------------------------------------------------


def _reminder_world(lw, count: int, prefix: str):
    from duban.ledger.daily import reminders_generate

    ledger_tasks_create(lw.city, [lw.unit_a], count, prefix=prefix)
    reminders_generate(jurisdiction=lw.city, today=D(2020, 7, 1))


def test_reminders_page_and_search_within_the_users_own(client, lw):
    _reminder_world(lw, 35, "提醒任务")
    client.force_login(lw.user("liaison_a"))
    response = client.get("/ledger/reminders/?q=提醒任务3&page=1")
    texts = [r.text for r in response.context["reminders"]]
    assert texts and all("提醒任务3" in t for t in texts)
    assert 6 <= response.context["page"].paginator.count < 35  # 提醒任务3, 30..34 (one report due each)
    page = client.get("/ledger/reminders/?all=1").content.decode()
    assert "第 1 / 2 页" in page and 'href="?all=1&amp;page=2"' in page
    client.force_login(lw.user("liaison_b"))  # 市教育局's liaison: none of 市卫健体委's reminders
    assert client.get("/ledger/reminders/?q=提醒任务&all=1").context["page"].paginator.count == 0


def test_reminders_cost_the_same_queries_for_5_and_50(client, lw):
    client.force_login(lw.user("liaison_a"))
    _reminder_world(lw, 5, "甲")
    with CaptureQueriesContext(connection) as five:
        client.get("/ledger/reminders/?all=1")
    _reminder_world(lw, 45, "乙")
    with CaptureQueriesContext(connection) as fifty:
        assert client.get("/ledger/reminders/?all=1").context["page"].paginator.count > 50
    assert len(fifty) == len(five)


def _drafts(lw, count: int, prefix: str):
    from duban.ledger.ingest import issue_ingest

    issue_ingest(
        actor=None,
        jurisdiction=lw.city,
        source_name=f"{prefix}.txt",
        content=prefix.encode(),
        extraction={
            "source": f"{prefix}.txt",
            "issue": {"title": prefix},
            "documents": [
                {
                    "doc_no": f"{prefix}〔2020〕1号",
                    "title": f"{prefix}通知",
                    "issuer": "人民政府",
                    "date": "2020-04-20",
                    "kind": "通知",
                    "text": "草稿。",
                    "tasks": [
                        {
                            "ref": str(n),
                            "title": f"{prefix}草稿{n}",
                            "text": "",
                            "lead_units": ["市卫健体委"],
                            "units": ["市未知局"] if n % 2 else [],
                            "deadlines": [{"text": "年底前", "date": "2020-12-31"}],
                            "targets": [],
                        }
                        for n in range(1, count + 1)
                    ],
                    "targets": [],
                    "deadlines": [],
                }
            ],
        },
    )


def test_review_searches_and_pages_the_drafts_of_the_jurisdiction(client, lw):
    _drafts(lw, 45, "待审")
    client.force_login(lw.user("office_city"))
    response = client.get("/ledger/review/?q=待审草稿&page=2")
    page = response.content.decode()
    assert "第 2 / 2 页" in page and "共 45 条" in page
    group = response.context["groups"][0]
    assert len(group["rows"]) == 5 and group["drafts"] == 45 and group["resolvable"] == 22  # the whole document's
    assert [g["rows"][0]["task"].title for g in client.get("/ledger/review/?q=开展健康").context["groups"]] == [
        "开展健康城市建设"
    ]
    client.force_login(lw.user("office_county"))
    assert client.get("/ledger/review/?q=待审").context["groups"] == []


def test_review_costs_the_same_queries_for_5_and_50_drafts(client, lw):
    client.force_login(lw.user("office_city"))
    _drafts(lw, 5, "甲")
    with CaptureQueriesContext(connection) as five:
        client.get("/ledger/review/?q=草稿")
    _drafts(lw, 45, "乙")
    with CaptureQueriesContext(connection) as fifty:
        assert client.get("/ledger/review/?q=草稿").context["page"].paginator.count == 50
    assert len(fifty) == len(five)


def test_the_workbench_counts_link_to_lists_that_show_as_many(client, lw):
    ledger_tasks_create(lw.city, [lw.unit_a, lw.unit_b], 12)
    for role in ("office_city", "liaison_a"):
        client.force_login(lw.user(role))
        panel = next(p for p in client.get("/workbench/").context["panels"] if p["template"] == "ledger/panel.html")
        cards = [c for c in panel["cards"] if c["url"].startswith("/ledger/tasks/")]
        assert cards
        for card in cards:
            listed = client.get(card["url"]).context["page"].paginator.count
            assert listed == card["count"], (role, card)
