"""Each chart as one object: its categories and series, from which both the table beside it and the
ECharts option (built in dashboards/charts.js from the same data, passed with json_script) are made,
and the Excel sheet of `duban export statistics`. A number is shown once and copied nowhere else.

kinds: "pie" (one series, a slice per category), "bar" (vertical bars, series side by side), "hbar"
(horizontal bars; ``stack``: stacked), "line" (a series per row, categories on the x axis; ``inverse``:
rank 1 on top), "heatmap" (a series per row of the map, categories on the x axis).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from duban.dashboards import selectors
from duban.dashboards.selectors import LIGHT_LABELS, LIGHT_SHORT, STANDINGS
from duban.ledger.selectors import period_label

# The lights' colours (the site's red, amber, green; grey for 无时限, blue for 已办结).
LIGHT_COLORS = {
    "overdue": "#c0392b",
    "due_soon": "#e6a23c",
    "open": "#3c9a5f",
    "no_deadline": "#9aa5b1",
    "done": "#4a78c2",
}

Number = int | float | None


@dataclass
class Series:
    name: str
    data: list[Number]
    color: str = ""


@dataclass
class Chart:
    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    row_header: str  # the table's first column: what a row is (单位, 亮灯, 月份 …)
    unit: str = ""  # of the values: 项, %, 名, 件
    note: str = ""
    stack: bool = False
    inverse: bool = False
    rows_are_series: bool = False  # the table has a row per series (line, heatmap), else a row per category
    details: list[str] = field(default_factory=list)  # further table columns, not drawn
    detail_rows: list[list[Any]] = field(default_factory=list)  # their values, one list per table row
    colors: list[str] = field(default_factory=list)  # a pie's slices, one per category
    links: list[str] = field(default_factory=list)  # a page per table row (a unit's page), where there is one

    @property
    def empty(self) -> bool:
        return not self.categories or not self.series

    @property
    def head(self) -> list[str]:
        drawn = self.categories if self.rows_are_series else [s.name for s in self.series]
        return [self.row_header, *drawn, *self.details]

    @property
    def rows(self) -> list[list[Any]]:
        """The table's rows: a label, the drawn numbers, then the details."""
        if self.rows_are_series:
            body = [[s.name, *s.data] for s in self.series]
        else:
            body = [[category, *(s.data[i] for s in self.series)] for i, category in enumerate(self.categories)]
        for row, extra in zip(body, self.detail_rows, strict=False):
            row.extend(extra)
        return body

    @property
    def linked_rows(self) -> list[tuple[str, list[Any]]]:
        """(link, row) for the template: the link is "" where a row has no page."""
        rows = self.rows
        links = self.links or [""] * len(rows)
        return list(zip(links, rows, strict=True))

    def body_html(self) -> SafeString:
        """The table's body, each value escaped: the first column a row header (linked to the row's page where
        it has one), numbers right-aligned. Built here rather than cell by cell in the template: a chart of 30
        units by 13 months is 400 cells, and the template's loops took half the page's time."""
        lines = []
        for link, row in self.linked_rows:
            label = escape(row[0])
            head = f'<a href="{escape(link)}">{label}</a>' if link else label
            cells = "".join(
                f'<td class="num">{escape(cell(value))}</td>' if numeric(value) else f"<td>{escape(cell(value))}</td>"
                for value in row[1:]
            )
            lines.append(f'<tr><th scope="row">{head}</th>{cells}</tr>')
        return mark_safe("\n".join(lines))

    @property
    def drawn_columns(self) -> int:
        return len(self.categories) if self.rows_are_series else len(self.series)

    def option_data(self) -> dict[str, Any]:
        """What charts.js builds the ECharts option from (json_script: numbers and strings only)."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "stack": self.stack,
            "inverse": self.inverse,
            "categories": self.categories,
            "colors": self.colors,
            "series": [{"name": s.name, "data": s.data, "color": s.color} for s in self.series],
        }


def cell(value: Any) -> str:
    """A number as the table shows it: — for none, decimals without trailing zeros."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def numeric(value: Any) -> bool:
    """A number (or none, shown —): its cell is right-aligned."""
    return value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool))


COMPARATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝"}
APPEAL_COLORS = ["#9aa5b1", "#4a78c2", "#e6a23c", "#3c9a5f"]  # 待复核, 维持, 变更, 撤销


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month_label(month: str) -> str:
    return f"{int(month[5:])}月"


# --- the office and leaders --------------------------------------------------------------------------


@dataclass
class OfficeDashboard:
    year: int
    as_of: dt.date
    charts: list[Chart]


# The units a chart of units draws on the page (the most red lights, the most overdue, the lowest places
# first): a province's city has hundreds; the Excel of the figures lists them all.
PAGE_UNITS = 30


def _left(shown: int, total: int) -> str:
    """The note's words when a chart lists only the first of its units."""
    return f"图表列出前{shown}个单位（共{total}个），全部单位见 Excel。" if shown < total else ""


def office_dashboard(jurisdiction, year: int, as_of: dt.date, *, units_shown: int | None = None) -> OfficeDashboard:
    """The charts of the jurisdiction's year; ``units_shown``: how many units a chart of units lists (the
    page's PAGE_UNITS; None, all of them: the Excel)."""
    months = selectors.months_of(year, as_of)
    counts = selectors.standing_on(jurisdiction, as_of)
    figures = selectors.units_figures(jurisdiction, months, as_of, limit=units_shown)
    by_unit, heat = figures.rows, figures.heat
    units_left = _left(len(by_unit), figures.total_units)
    heat_units, heat_left = heat.units, _left(len(heat.units), heat.total_units)
    trend = selectors.rank_trend(jurisdiction, months, limit=units_shown)
    trend_units, trend_left = trend.units, _left(len(trend.units), trend.lost)
    targets = selectors.target_rows(jurisdiction, as_of)
    on = f"截至{chinese_date(as_of)}"
    charts = [
        Chart(
            key="lights",
            title="任务亮灯情况",
            kind="pie",
            categories=[LIGHT_LABELS[code] for code in STANDINGS],
            series=[Series("任务数", [counts[code] for code in STANDINGS])],
            colors=[LIGHT_COLORS[code] for code in STANDINGS],
            row_header="亮灯",
            unit="项",
            note=f"{on}，当日在账的全部任务。亮灯暂按任务办理状态：已逾期为红灯，3日内到期为黄灯，其余在办为绿灯。",
        ),
        Chart(
            key="units",
            title="各单位牵头任务亮灯情况",
            kind="hbar",
            stack=True,
            categories=[row.unit.display_name for row in by_unit],
            series=[
                Series(LIGHT_SHORT[code], [row.counts[code] for row in by_unit], LIGHT_COLORS[code])
                for code in STANDINGS
            ],
            row_header="牵头单位",
            unit="项",
            details=["合计"],
            detail_rows=[[row.total] for row in by_unit],
            links=[reverse("dashboards:unit", args=[row.unit.pk]) for row in by_unit],
            note=(
                f"{on}。红灯为已逾期，黄灯为3日内到期，绿灯为在办。"
                "任务计入其牵头单位（未写明牵头单位的，列第一位的单位牵头）。" + units_left
            ),
        ),
        Chart(
            key="rates",
            title="各单位按期完成率与完成率",
            kind="hbar",
            categories=[row.unit.display_name for row in by_unit],
            series=[
                Series("按期完成率", [row.on_time_rate for row in by_unit], "#3c9a5f"),
                Series("完成率", [row.completion_rate for row in by_unit], "#4a78c2"),
            ],
            row_header="牵头单位",
            unit="%",
            details=["牵头任务", "已办结", "应完成", "按期办结"],
            detail_rows=[[row.total, row.done, row.due, row.on_time] for row in by_unit],
            note=(
                f"{on}。完成率 = 已办结 ÷ 牵头任务；按期完成率 = 在最早时限前办结的 ÷ 应完成"
                "（时限已到或已办结的有时限任务）。无应完成任务的记为“—”。" + units_left
            ),
        ),
        Chart(
            key="overdue",
            title=f"{year}年各单位逾期任务（按月）",
            kind="heatmap",
            rows_are_series=True,
            categories=[month_label(m) for m in months],
            series=[Series(unit.display_name, heat.row(unit)) for unit in heat_units],
            row_header="牵头单位",
            unit="项",
            details=["合计"],
            detail_rows=[[sum(heat.row(unit))] for unit in heat_units],
            note="每月月末（本月为今天）处于逾期状态的牵头任务数；只列有逾期的单位。" + heat_left,
        ),
        Chart(
            key="ranks",
            title=f"{year}年各单位月排名走势",
            kind="line",
            inverse=True,
            rows_are_series=True,
            categories=[month_label(m) for m in months],
            series=[Series(unit.display_name, trend.ranks[unit.pk]) for unit in trend_units],
            row_header="单位",
            unit="名",
            note=(
                f"督查事项月排名积分的名次（第1名在上）；只列当年被扣分的单位，"
                f"其余{trend.others}个单位各月均未扣分、并列第1名。" + trend_left
            ),
        ),
    ]
    for target_year in sorted({row.target.year for row in targets}):
        rows = [row for row in targets if row.target.year == target_year]
        charts.append(
            Chart(
                key=f"targets-{target_year}",
                title=f"{target_year}年量化目标进度与时间进度",
                kind="hbar",
                categories=[row.target.indicator or row.target.text[:20] for row in rows],
                series=[
                    Series("目标进度", [row.progress for row in rows], "#4a78c2"),
                    Series("时间进度", [row.trajectory for row in rows], "#9aa5b1"),
                ],
                row_header="指标",
                unit="%",
                details=["目标", "首次监测值", "最新监测值", "按轨迹应达", "状态"],
                detail_rows=[
                    [
                        f"{COMPARATORS.get(row.target.comparator, row.target.comparator)}"
                        f"{cell(row.target.value)}{row.target.unit_label}",
                        row.first,
                        row.latest,
                        row.expected,
                        row.status_label,
                    ]
                    for row in rows
                ],
                note=(
                    "目标进度 = （最新监测值 − 首次监测值）÷（目标值 − 首次监测值）；时间进度 = 首次监测至今"
                    f"占首次监测至{target_year}年底的比例。目标进度不低于时间进度即在轨迹上。"
                ),
            )
        )
    tally = selectors.decisions_tally(jurisdiction, year)
    groups = selectors.decisions_by_group(jurisdiction, year, tally)
    methods = selectors.decisions_by_method(jurisdiction, year, tally)
    appeals = selectors.appeal_outcomes(jurisdiction, year)
    charts += [
        Chart(
            key="groups",
            title=f"{year}年问责决定按第六条情形分类",
            kind="bar",
            categories=[row.label for row in groups],
            series=[Series("问责决定", [row.count for row in groups], "#a61b1b")],
            row_header="情形",
            unit="件",
            details=["依据"],
            detail_rows=[[row.reference] for row in groups],
            note="当年作出的问责决定（含其后撤销或免责的），按决定日期适用的问责办法归类。",
        ),
        Chart(
            key="methods",
            title=f"{year}年问责决定按问责方式",
            kind="hbar",
            categories=[row.label for row in methods],
            series=[Series("问责决定", [row.count for row in methods], "#a61b1b")],
            row_header="问责方式",
            unit="件",
            details=["依据"],
            detail_rows=[[row.reference] for row in methods],
            note="问责方式可以合并使用：一件决定按其每种方式各计一次。",
        ),
        Chart(
            key="appeals",
            title=f"{year}年申诉复核结果",
            kind="pie",
            categories=[row.label for row in appeals],
            series=[Series("申诉", [row.count for row in appeals])],
            colors=APPEAL_COLORS[: len(appeals)],
            row_header="复核结果",
            unit="件",
            note="当年提出的申诉，按复核结果。",
        ),
    ]
    return OfficeDashboard(year=year, as_of=as_of, charts=charts)


# --- a unit ---------------------------------------------------------------------------------------------


@dataclass
class UnitDashboard:
    unit: Any
    year: int
    as_of: dt.date
    overview: selectors.UnitOverview
    charts: list[Chart]


def unit_dashboard(unit, year: int, as_of: dt.date) -> UnitDashboard:
    overview = selectors.unit_overview(unit, as_of)
    months = selectors.months_of(year, as_of)
    trend = selectors.unit_rank_trend(unit, months)
    charts = [
        Chart(
            key="unit-lights",
            title="本单位任务亮灯情况",
            kind="pie",
            categories=[LIGHT_LABELS[code] for code in STANDINGS],
            series=[Series("任务数", [overview.counts[code] for code in STANDINGS])],
            colors=[LIGHT_COLORS[code] for code in STANDINGS],
            row_header="亮灯",
            unit="项",
            note=f"截至{chinese_date(as_of)}，本单位承担（牵头、责任或配合）的台账任务。",
        ),
        Chart(
            key="unit-rank",
            title=f"{year}年本单位月排名",
            kind="line",
            inverse=True,
            categories=[month_label(month) for month, *_ in trend],
            series=[Series("名次", [rank for _, rank, _, _ in trend], "#a61b1b")],
            row_header="月份",
            unit="名",
            details=["积分", "参加排名单位数"],
            detail_rows=[[score, count] for _, _, score, count in trend],
            note="督查事项月排名积分的名次（第1名在上）。",
        ),
    ]
    return UnitDashboard(unit=unit, year=year, as_of=as_of, overview=overview, charts=charts)


def period_text(period: str) -> str:
    return period_label(period)
