"""The score workbooks (issue 10, part 2), opened with openpyxl: the monthly ranking (排名 + 扣分明细 + 已冲销), the
annual assessment (考核 + 扣分明细 + 其他结果运用) and the HR office's sheet (人事 + 明细) — each deduction a row
with its decision, case number and article; and their one-click downloads, behind the pages' access."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from duban.cli import main
from duban.reports import exports
from duban.reports.exports import XLSX, ExportError, ExportRequest, export_bytes, kind_named
from tests.accountability.accountability_cast import build_cast
from tests.factories import decide
from tests.scoring.score_story import june_story


@pytest.fixture
def story(db):
    cast = build_cast()
    june = june_story(cast)
    decide(cast.world, "2020-06-15", ["问题通报"], unit=cast.world.jyj, responsible={}, situation_number=5)
    return cast, june


def _book(kind: str, jurisdiction, **subject):
    content = export_bytes(ExportRequest(kind=kind_named(kind), jurisdiction=jurisdiction, **subject), XLSX)
    return load_workbook(io.BytesIO(content))


def _rows(sheet, header_row: int = 2) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    headers = values[header_row - 1]
    return [
        dict(zip(headers, row, strict=True)) for row in values[header_row:] if row[0] is not None and row[1] is not None
    ]


def test_the_ranking_workbook_has_the_ranking_and_each_deduction_with_its_decision_case_and_article(story):
    cast, june = story
    book = _book("ranking-notice", cast.world.city, month="2020-06")
    assert book.sheetnames == ["排名", "扣分明细", "已冲销"]
    ranking = book["排名"]
    assert ranking["A1"].value == "驻马店市 2020-06 督查事项月排名积分"
    assert ranking.freeze_panes == "A3"
    assert [c.value for c in ranking[2]] == ["名次", "单位", "基础分", "扣分", "得分", "扣分项数"]
    rows = {row["单位"]: row for row in _rows(ranking)}
    assert rows["市城管局"] == {"名次": 3, "单位": "市城管局", "基础分": 100, "扣分": 50, "得分": 50, "扣分项数": 3}
    assert rows["市教育局"]["扣分"] == 0  # 问题通报 takes no points (第九条第（一）项)

    details = _rows(book["扣分明细"])
    assert [(d["单位"], d["扣分"]) for d in details] == [("市城管局", 10), ("市城管局", 20), ("市城管局", 20)]
    for detail, decision in zip(details, [june.criticised, june.talked_to, june.written], strict=True):
        assert detail["问责决定编号"] == decision.pk
        assert detail["案件编号"] == june.cases[decision.pk].number
        assert detail["决定日期"] == dt.datetime.combine(decision.date, dt.time())  # a date, not text
        assert detail["问责方式"] == "、".join(decision.methods)
        assert detail["规则参数"] == f"consequences.unit_points.monthly.{decision.methods[0]}"
        assert detail["规则版本"] == "zhumadian/2020-04-22"
    assert [d["依据条款"] for d in details] == [
        "第九条第（二）项",
        "第九条第（五）项；第九条第（七）项",
        "第九条第（三）项",
    ]
    assert details[1]["条款原文"].startswith("第九条第（五）项：单位和工作人员被工作约谈的，每次扣除")
    assert book["扣分明细"]["D3"].number_format == "yyyy-mm-dd"
    assert sum(d["扣分"] for d in details) == rows["市城管局"]["扣分"]

    reversed_ = _rows(book["已冲销"])
    assert [(d["扣分"], d["原扣分"], d["案件编号"], d["决定状态"]) for d in reversed_] == [
        (0, 10, june.cases[june.revoked.pk].number, "已撤销")
    ]


def test_the_assessment_workbook_has_the_year_its_deductions_and_the_unit_flags(story):
    cast, _ = story
    book = _book("assessment", cast.world.city, year=2020)
    assert book.sheetnames == ["考核", "扣分明细", "其他结果运用"]
    rows = {row["单位"]: row for row in _rows(book["考核"])}
    assert (rows["市城管局"]["扣分"], rows["市城管局"]["得分"], rows["市城管局"]["评先资格"]) == (25, 75, "保留")
    assert rows["市教育局"]["整改事项"] == 1
    details = _rows(book["扣分明细"])
    assert [(d["单位"], d["扣分"], d["依据条款"]) for d in details] == [
        ("市城管局", 5, "第九条第（二）项"),
        ("市城管局", 10, "第九条第（五）项；第九条第（七）项"),
        ("市城管局", 10, "第九条第（三）项"),
    ]
    flags = _rows(book["其他结果运用"])
    assert [(f["单位"], f["结果"], f["依据条款"]) for f in flags] == [
        ("市教育局", "限期整改并上报整改结果", "第九条第（一）项")
    ]


def test_the_hr_workbook_has_each_persons_months_and_bar_with_the_decisions(story):
    cast, june = story
    book = _book("hr-consequences", cast.world.city, year=2020)
    assert book.sheetnames == ["人事", "明细"]
    people = {row["姓名"]: row for row in _rows(book["人事"])}
    handler = people["承办人丙"]
    assert (handler["单位"], handler["扣除平时考核奖（月份）"], handler["扣除月数"]) == ("市城管局", "2020-06", 1)
    assert handler["年度考核不得评定为优秀等次"] == "是"
    assert june.cases[june.talked_to.pk].number in handler["问责决定"]
    assert june.cases[june.revoked.pk].number not in handler["问责决定"]  # revoked: nothing of it stays
    details = [d for d in _rows(book["明细"]) if d["姓名"] == "承办人丙"]
    assert {(d["结果"], d["期间"], d["依据条款"]) for d in details} >= {
        ("扣除当月平时考核奖", "2020-06", "第九条第（五）项"),
        ("年度考核不得评定为优秀等次", "2020", "第九条第（五）项"),
    }


def test_the_command_line_writes_the_same_workbook(story, tmp_path, capsys):
    out = tmp_path / "排名.xlsx"
    assert (
        main(["export", "ranking-notice", "--jurisdiction", "zhumadian", "--month", "2020-06", "--out", str(out)]) == 0
    )
    assert "已导出 督查事项月排名通报" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["排名", "扣分明细", "已冲销"]


# --- the downloads -------------------------------------------------------------------------------------------

DOWNLOADS = {
    "/reports/scores/ranking.xlsx?month=2020-06": {"office", "fuzong", "zongducha", "committee", "admin"},
    "/reports/scores/assessment.xlsx?year=2020": {"office", "fuzong", "zongducha", "committee", "admin"},
    "/reports/scores/hr.xlsx?year=2020": {"office", "zongducha", "committee", "admin"},
}
COUNTY_READS_ITS_OWN = {"county_office"}  # the county's office downloads its own county's workbooks


@pytest.mark.parametrize("url", list(DOWNLOADS))
@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "office",
        "county_office",
        "erji_unit",
        "yiji",
        "fuzong",
        "zongducha",
        "committee",
        "liaison_unit",
        "party",
        "admin",
    ],
)
def test_a_workbook_downloads_in_one_click_for_the_readers_of_its_page(client, story, role, url):
    cast, _ = story
    if cast.users[role] is not None:
        client.force_login(cast.users[role])
    response = client.get(url)
    if role in DOWNLOADS[url] | COUNTY_READS_ITS_OWN:
        assert response.status_code == 200, (role, url, response.status_code)
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "filename*=utf-8''" in response["Content-Disposition"]
        jurisdiction = "驿城区" if role == "county_office" else "驻马店市"
        assert quote(jurisdiction) in response["Content-Disposition"]
        load_workbook(io.BytesIO(response.content))
    elif role == "anonymous":
        assert response.status_code == 302 and "/login/" in response.url
    else:
        assert response.status_code == 403, (role, url, response.status_code)


@pytest.mark.parametrize(
    "url, back, message",
    [
        ("/reports/scores/ranking.xlsx?month=2020-13", "/?j=zhumadian", "无法导出：月份“2020-13”无效，应为 YYYY-MM。"),
        ("/reports/scores/ranking.xlsx", "/?j=zhumadian", "无法导出：月份“”无效"),
        ("/reports/scores/assessment.xlsx?year=20x0", "/assessment/", "无法导出：年份“20x0”无效，应为四位年份。"),
        ("/reports/scores/hr.xlsx?year=1800", "/assessment/", "无法导出：年份“1800”无效"),
    ],
)
def test_a_bad_month_or_year_is_a_chinese_message_on_the_page(client, story, url, back, message):
    cast, _ = story
    client.force_login(cast.users["office"])
    response = client.get(url)
    assert response.status_code == 302 and response.url == back
    assert message in client.get(back).content.decode()


def test_a_writer_that_refuses_is_a_chinese_message_not_a_500(client, story, monkeypatch):
    cast, _ = story

    def refuse(request):
        raise ExportError("模板损坏：ranking.xlsx")

    monkeypatch.setattr(exports, "writer_of", lambda kind, suffix: refuse)
    client.force_login(cast.users["office"])
    response = client.get("/reports/scores/ranking.xlsx?month=2020-06", follow=True)
    assert response.status_code == 200
    assert "无法导出：模板损坏：ranking.xlsx" in response.content.decode()


@pytest.mark.parametrize(
    "role, page, shown",
    [
        ("office", "/?month=2020-06", ["/reports/scores/ranking.xlsx"]),
        ("liaison_unit", "/?month=2020-06", []),
        ("office", "/assessment/?year=2020", ["/reports/scores/assessment.xlsx", "/reports/scores/hr.xlsx"]),
        ("erji_unit", "/assessment/?year=2020", []),  # reads the assessment, not every unit's decisions
        ("fuzong", "/assessment/?year=2020", ["/reports/scores/assessment.xlsx"]),  # not the personnel section
    ],
)
def test_the_excel_buttons_are_on_the_pages_for_those_who_may_download(client, story, role, page, shown):
    cast, _ = story
    client.force_login(cast.users[role])
    html = client.get(page).content.decode()
    for url in ("/reports/scores/ranking.xlsx", "/reports/scores/assessment.xlsx", "/reports/scores/hr.xlsx"):
        assert (url in html) == (url in shown), (role, page, url)
