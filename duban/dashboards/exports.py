"""`statistics`: the figures behind each chart of the 统计图表 page as Excel, one sheet a chart, the same
rows as the tables beside the charts (duban.dashboards.charts), through the shared writer."""

from __future__ import annotations

import datetime as dt

from duban import clock
from duban.dashboards.charts import Chart, chinese_date, office_dashboard
from duban.reports.exports import ExportError, ExportRequest
from duban.reports.xlsx import Column, Sheet, workbook_bytes


def statistics_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's figures stand on: today in the running year, the 31 December of a past one."""
    today = today or clock.today()
    if year > today.year:
        raise ExportError(f"{year}年尚未开始，没有统计数据（今天是{chinese_date(today)}）")
    return min(today, dt.date(year, 12, 31))


def chart_sheet(chart: Chart, *, jurisdiction_name: str, as_of: dt.date) -> Sheet:
    columns = [Column(chart.head[0], wrap=len(chart.head) > 2 and chart.row_header == "指标")]
    columns += [Column(f"{header}（{chart.unit}）" if chart.unit else header) for header in chart.head[1:]]
    columns[1 + chart.drawn_columns :] = [Column(header) for header in chart.head[1 + chart.drawn_columns :]]
    return Sheet(
        title=chart.title,
        columns=columns,
        rows=chart.rows,
        heading=f"{jurisdiction_name} {chart.title}",
        notes=[chart.note, f"数据截至{chinese_date(as_of)}，由督办系统从督查台账和积分台账生成。"],
    )


def statistics_xlsx(request: ExportRequest) -> bytes:
    if request.year is None:
        raise ExportError("统计图表数据需要年份（--year YYYY）")
    as_of = statistics_as_of(request.year)
    dashboard = office_dashboard(request.jurisdiction, request.year, as_of)
    return workbook_bytes(
        [chart_sheet(chart, jurisdiction_name=request.jurisdiction.name, as_of=as_of) for chart in dashboard.charts]
    )
