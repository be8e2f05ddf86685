"""The 督查通报's workbook (tongbao_xlsx): the figures beside the previous period's, then one sheet per list,
written by `duban export tongbao` as by the page."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from duban.cli import main
from tests.reports.tongbao_world import build_tongbao_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def tw(settings):
    settings.DUBAN_TODAY = "2020-07-10"
    return build_tongbao_world()


def test_the_workbook_of_june(tw, tmp_path, capsys):
    out = tmp_path / "通报.xlsx"
    assert main(["export", "tongbao", "--jurisdiction", "zhumadian", "--period", "2020-06", "--out", str(out)]) == 0
    assert "已导出 督查通报" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames == ["总体情况", "分单位", "逾期任务", "督办单", "问责情况"]
    figures = book["总体情况"]
    assert figures["A1"].value == "驻马店市2020年6月督查通报（月调度）"
    assert [c.value for c in figures[2]] == ["指标", "本期", "上期", "增减", "单位"]
    rows = {row[0]: row[1:4] for row in figures.iter_rows(min_row=3, max_row=16, values_only=True)}
    assert rows["在账任务"] == (7, 6, 1)
    assert rows["红灯（已逾期）"] == (2, 1, 1)
    assert rows["绿灯（办理中）"] == (1, 3, -2)
    assert rows["本期公开曝光"] == (2, 0, 2)
    assert figures.freeze_panes == "A3"
    notes = [row[0] for row in figures.iter_rows(min_row=18, values_only=True) if row[0]]
    assert notes[0] == "统计截至2020年06月30日"
    overdue = list(book["逾期任务"].iter_rows(min_row=3, values_only=True))
    assert overdue == [
        ("T1", "任务T1", "市城市管理局", dt.datetime(2020, 5, 20), 41, 1),
        ("T3", "任务T3", "市卫健体委", dt.datetime(2020, 6, 20), 10, 1),
    ]
    units = list(book["分单位"].iter_rows(min_row=3, values_only=True))
    assert units[0] == ("市城市管理局", 3, 1, 0, 1, 1, 0, 41)
    orders = list(book["督办单"].iter_rows(min_row=3, values_only=True))
    assert orders == [
        ("督办〔2020〕2号", "市卫健体委", "任务T3", dt.datetime(2020, 6, 25), dt.datetime(2020, 7, 5), None)
    ]
    decisions = list(book["问责情况"].iter_rows(min_row=3, values_only=True))
    assert [(d[1], d[5], d[6], d[7]) for d in decisions] == [
        ("市城市管理局", "通报批评", "是", None),
        ("市教育局", "责令作出书面检查", None, "是"),
        ("市城市管理局", "公开曝光", None, "是"),
    ]


def test_a_period_not_begun_is_one_line_and_no_file(tw, tmp_path, capsys):
    out = tmp_path / "通报.xlsx"
    assert main(["export", "tongbao", "--jurisdiction", "zhumadian", "--period", "2020-W40", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err == "duban: 2020年第40周（9月28日—10月4日）尚未开始，不能生成周通报\n"
    assert captured.out == "" and list(tmp_path.iterdir()) == []
