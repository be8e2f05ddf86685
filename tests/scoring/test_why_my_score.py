"""Why my score (issue 10, part 4): a unit's 联络员 follows every point of its month's 月排名积分 to the decision,
the case number, the method, the article and the rulebook parameter it came from — and a revoked decision's
points come back and are shown as reversed, not counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from duban.accountability.rulebooks import rulebook_in_force
from duban.accountability.services import matter_create
from duban.accounts.services import person_create
from duban.scoring.selectors import annual_assessment, monthly_ranking
from tests.accountability.accountability_cast import build_cast
from tests.factories import decide, login_create
from tests.scoring.score_story import june_story


@pytest.fixture
def cast(db):
    return build_cast()


def _deductions(response, section: str = "") -> list[dict]:
    """The deductions a page shows, as a reader reads them: points, decision link, case number, articles."""
    assert response.status_code == 200, response.status_code
    tree = lxml_html.fromstring(response.content.decode())
    found = []
    for block in tree.xpath("//article[contains(concat(' ', @class, ' '), ' consequence ')]"):
        link = block.xpath(".//dd[@class='decision']//a/@href")
        found.append(
            {
                "points": int(block.get("data-points")),
                "reversed": "reversed" in block.get("class"),
                "link": link[0] if link else "",
                "case": block.xpath("string(.//dd[@class='case-number'])").strip(),
                "methods": block.xpath("string(.//dd[@class='methods'])"),
                "articles": [
                    (p.get("data-reference"), p.xpath("string(q)")) for p in block.xpath(".//dd[@class='articles']/p")
                ],
                "parameter": block.xpath("string(.//dd[@class='parameter']/code)"),
            }
        )
    return found


def _article_texts(cast) -> dict[str, set[str]]:
    """第九条's items in the words of the rulebook in force (consequences.rules[].text)."""
    rulebook = rulebook_in_force(cast.world.city, dt.date(2020, 6, 30))
    texts: dict[str, set[str]] = {}
    for rule in rulebook.rules:
        if rule.get("text"):
            texts.setdefault(str(rule["reference"]), set()).add(str(rule["text"]))
    aggregation = rulebook.data["consequences"]["same_matter_aggregation"]
    texts.setdefault(aggregation["reference"], set()).add(aggregation["text"])
    return texts


def test_the_liaison_of_a_unit_traces_each_point_of_its_months_score_to_a_decision_a_case_and_an_article(client, cast):
    june = june_story(cast)
    w = cast.world
    client.force_login(cast.users["liaison_unit"])

    # From the workbench's panel the liaison reaches the unit's June: 100 − 50 = 50.
    row = next(r for r in monthly_ranking(w.city, "2020-06") if r.unit == w.cgj)
    assert (row.base, row.deducted, row.score) == (100, 50, 50)
    response = client.get(f"/scores/units/{w.cgj.pk}/2020-06/")
    page = response.content.decode()
    assert "得分" in page and ">50</strong> 分 = 基础分 100 − 扣分 50" in page

    shown = _deductions(response)
    in_force = [d for d in shown if not d["reversed"]]
    reversed_ = [d for d in shown if d["reversed"]]
    # Every point of the month is one of the deductions shown, and nothing else is counted.
    assert sum(d["points"] for d in in_force) == row.deducted == 50
    assert [d["points"] for d in in_force] == [10, 20, 20]
    texts = _article_texts(cast)
    for deduction, decision in zip(in_force, [june.criticised, june.talked_to, june.written], strict=True):
        case = june.cases[decision.pk]
        # ... each to its decision (the case page, which the unit reads once decided) and its case number ...
        assert deduction["link"] == f"/cases/{case.pk}/"
        assert deduction["case"] == case.number
        assert "、".join(decision.methods) in deduction["methods"]
        # ... and to the article it rests on, in the 办法's own words, and the rulebook parameter.
        assert deduction["articles"]
        for reference, text in deduction["articles"]:
            assert reference.startswith("第九条第（") and text in texts[reference]
        assert deduction["parameter"] == f"consequences.unit_points.monthly.{decision.methods[0]}"
    assert [ref for ref, _ in in_force[0]["articles"]] == ["第九条第（二）项"]
    assert [ref for ref, _ in in_force[1]["articles"]] == ["第九条第（五）项", "第九条第（七）项"]  # the max rule
    assert [ref for ref, _ in in_force[2]["articles"]] == ["第九条第（三）项"]
    assert "累计由10分增至30分" in page  # why the 约谈 took 20, not 30

    # The revoked decision is shown with its 10 points reversed, and not counted.
    assert [(d["points"], d["case"]) for d in reversed_] == [(0, june.cases[june.revoked.pk].number)]
    assert "已冲销 10 分" in page and "冲销：问责决定经申诉复核撤销" in page


def test_the_year_page_traces_the_annual_deductions_and_links_each_month(client, cast):
    june = june_story(cast)
    w = cast.world
    client.force_login(cast.users["liaison_unit"])
    response = client.get(f"/scores/units/{w.cgj.pk}/2020/")
    row = next(r for r in annual_assessment(w.city, 2020) if r.unit == w.cgj)
    in_force = [
        d for d in _deductions(response) if not d["reversed"] and d["parameter"].startswith("consequences.unit")
    ]
    assert sum(d["points"] for d in in_force) == row.deducted == 25  # 5 + 10 (max rule) + 10
    assert all(d["parameter"].startswith("consequences.unit_points.annual.") for d in in_force)
    assert f'href="/scores/units/{w.cgj.pk}/2020-06/"' in response.content.decode()
    assert june.revoked.status == "revoked"


def test_the_ranking_and_the_workbench_lead_the_liaison_to_the_units_page(client, cast):
    june_story(cast)
    w = cast.world
    client.force_login(cast.users["liaison_unit"])
    home = client.get("/?month=2020-06").content.decode()
    assert f'href="/scores/units/{w.cgj.pk}/2020-06/"' in home
    assert f'href="/scores/units/{w.jyj.pk}/2020-06/"' not in home  # another unit's page is not theirs
    workbench = client.get("/workbench/").content.decode()
    assert f"/scores/units/{w.cgj.pk}/" in workbench and "扣分明细" in workbench
    client.logout()
    assert "/scores/units/" not in client.get("/?month=2020-06").content.decode()  # the public sees points only


@pytest.mark.parametrize(
    "period", ["2020-13", "2020-00", "1800-06", "abcd", "2020-6", "20201", "２０２０", "2020-06-01"]
)
def test_a_bad_month_or_year_in_the_url_is_a_chinese_message_not_a_500(client, cast, period):
    w = cast.world
    decide(w, "2020-06-03", ["通报批评"])
    client.force_login(cast.users["liaison_unit"])
    response = client.get(f"/scores/units/{w.cgj.pk}/{period}/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/scores/units/{w.cgj.pk}/2020-06/"
    assert "不是有效的月份或年份（应为 YYYY-MM 或 YYYY 四位年份），显示2020-06的得分" in response.content.decode()


def test_a_unit_that_does_not_exist_is_the_chinese_404(client, cast):
    client.force_login(cast.users["office"])
    response = client.get("/scores/units/999999/2020-06/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("reader", ["liaison_unit", "office", "erji_unit", "unit_leader"])
def test_a_units_page_costs_the_same_queries_for_2_and_8_deductions(client, cast, reader):
    w = cast.world
    users = {**cast.users, "unit_leader": login_create("unit_leader", w.leader, password="pw-leader-2020")}
    client.force_login(users[reader])
    url_month, url_year = f"/scores/units/{w.cgj.pk}/2020-06/", f"/scores/units/{w.cgj.pk}/2020/"

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            matter = matter_create(actor=None, jurisdiction=w.city, code=f"Q{n}", title=f"事项{n}", unit=w.cgj)
            decide(w, f"2020-06-{n + 1:02d}", ["通报批评"], matter=matter)

    add(2, 0)
    few = (_queries(client, url_month), _queries(client, url_year))
    add(6, 2)
    many = (_queries(client, url_month), _queries(client, url_year))
    assert len(_deductions(client.get(url_month))) == 8
    assert few == many


def test_a_persons_page_costs_the_same_queries_for_2_and_8_decisions(client, cast):
    w = cast.world
    client.force_login(cast.users["party"])  # 承办人丙, named on every decision

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            matter = matter_create(actor=None, jurisdiction=w.city, code=f"T{n}", title=f"约谈事项{n}", unit=w.cgj)
            decide(w, f"2020-{n + 5:02d}-10", ["工作约谈"], matter=matter, situation_number=8)

    add(2, 0)
    few = _queries(client, "/scores/mine/")
    add(6, 2)
    assert _queries(client, "/scores/mine/") == few


def test_an_unranked_unit_still_shows_its_deductions(client, cast):
    w = cast.world
    person_create(actor=None, jurisdiction=w.city, name="无关人员", role="承办人员")
    w.wjw.ranked = False
    w.wjw.save(update_fields=["ranked"])
    decide(w, "2020-06-03", ["通报批评"], unit=w.wjw, responsible={})
    client.force_login(cast.users["office"])
    response = client.get(f"/scores/units/{w.wjw.pk}/2020-06/")
    assert "不参加月排名" in response.content.decode()
    assert [d["points"] for d in _deductions(response)] == [10]


def test_a_deduction_links_to_its_decision_only_where_the_reader_may_read_it(client, cast):
    w = cast.world
    decision = decide(w, "2020-06-03", ["通报批评"], responsible={})  # no case; nobody of the unit named on it
    pages = {
        "liaison_unit": f"/cases/decisions/{decision.pk}/letter/",  # the unit's 联络员 is its party: the 意见书
        "office": f"/cases/decisions/{decision.pk}/letter/",
        "unit_leader": "",  # reads the unit's score, is not a party to this decision: no link
    }
    users = {**cast.users, "unit_leader": login_create("unit_leader", w.leader, password="pw-leader-2020")}
    for role, link in pages.items():
        client.force_login(users[role])
        [shown] = _deductions(client.get(f"/scores/units/{w.cgj.pk}/2020-06/"))
        assert (shown["points"], shown["link"]) == (10, link), role
        if link:
            assert client.get(link).status_code == 200, role
