"""`statistics`: the Excel of the 统计图表 page, one sheet a chart, the rows of the tables beside the charts;
from the page (one GET) and from `duban export statistics --year`."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from duban.cli import main
from duban.dashboards.charts import office_dashboard
from duban.reports.exports import ExportError, ExportRequest, export_bytes, kind_named
from tests.dashboards.conftest import AS_OF
from tests.factories import login_create


def _statistics(city, year=2020) -> bytes:
    return export_bytes(ExportRequest(kind=kind_named("statistics"), jurisdiction=city, year=year), ".xlsx")


def test_one_sheet_per_chart_with_the_tables_rows(cw):
    book = load_workbook(io.BytesIO(_statistics(cw.w.city)))
    charts = office_dashboard(cw.w.city, 2020, AS_OF).charts
    assert book.sheetnames == [chart.title[:31] for chart in charts]
    for chart, sheet in zip(charts, book.worksheets, strict=True):
        assert sheet["A1"].value == f"驻马店市 {chart.title}"
        header = [cell.value for cell in sheet[2]]
        assert header[0] == chart.row_header and len(header) == len(chart.head)
        assert sheet.freeze_panes == "A3"
        body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_row=2 + len(chart.rows))]
        assert body == [[float(v) if hasattr(v, "as_tuple") else v for v in row] for row in chart.rows]
    lights = book["任务亮灯情况"]
    assert [c.value for c in lights[2]] == ["亮灯", "任务数（项）"]
    assert [[c.value for c in row] for row in lights.iter_rows(min_row=3, max_row=7)] == [
        ["红灯（已逾期）", 1],
        ["黄灯（即将到期）", 1],
        ["绿灯（办理中）", 1],
        ["无时限", 1],
        ["已办结", 2],
    ]
    rates = book["各单位按期完成率与完成率"]
    assert [c.value for c in rates[2]] == [
        "牵头单位",
        "按期完成率（%）",
        "完成率（%）",
        "牵头任务",
        "已办结",
        "应完成",
        "按期办结",
    ]
    assert [c.value for c in rates[5]] == ["市教育局", 0.0, 50.0, 2, 1, 1, 0]
    assert [c.value for c in rates[4]][:3] == ["市卫健体委", None, 0.0]  # no rate where nothing was due


def test_a_year_not_begun_is_refused_with_a_message(cw):
    with pytest.raises(ExportError, match="2021年尚未开始"):
        _statistics(cw.w.city, 2021)


def test_the_command_line_writes_the_same_workbook(cw, tmp_path, capsys):
    out = tmp_path / "统计.xlsx"
    assert main(["export", "statistics", "--jurisdiction", "zhumadian", "--year", "2020", "--out", str(out)]) == 0
    assert "已导出 统计图表数据" in capsys.readouterr().out
    assert load_workbook(out).sheetnames[0] == "任务亮灯情况"
    assert main(["export", "statistics", "--jurisdiction", "zhumadian", "--year", "2021", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("duban: 2021年尚未开始")


@pytest.fixture
def office_login(cw):
    from duban.accounts.services import person_create

    person = person_create(actor=None, jurisdiction=cw.w.city, name="督查室甲", role="督查室工作人员")
    return login_create("office-x", person, password="pw-charts-2020")


def test_the_pages_excel_button_downloads_it(cw, client, office_login):
    client.force_login(office_login)
    page = client.get("/dashboards/?year=2020")
    assert 'href="/dashboards/statistics.xlsx?year=2020"' in page.content.decode()
    response = client.get("/dashboards/statistics.xlsx?year=2020")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "任务亮灯情况"


def test_a_writer_error_is_a_message_on_the_page_not_a_500(cw, client, office_login):
    client.force_login(office_login)
    response = client.get("/dashboards/statistics.xlsx?year=2021", follow=True)
    assert response.status_code == 200
    assert "2021年尚未开始，没有统计数据" in response.content.decode()
