"""The 台账 as a 任务分解表: what the .xlsx holds, how Excel shows it, and `duban tasks export`."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from duban.cli import main
from duban.intake.workbook import read_sheet
from duban.ledger.workbook import LedgerUnitLookup, ledger_export, parse_identity, task_identity
from tests.workbooks import read_rows

pytestmark = pytest.mark.django_db
TODAY = "2020-07-01"


@override_settings(DUBAN_TODAY=TODAY)
def test_the_export_holds_every_confirmed_task_with_standing_progress_and_deadlines(lw):
    content, count = ledger_export(jurisdiction=lw.city)
    assert count == 2
    rows = read_rows(content)
    assert rows[0][0].startswith("驻马店市督查台账（任务分解表）· 导出于2020年7月1日")
    assert rows[1] == [
        "序号",
        "系统编号",
        "任务",
        "具体内容",
        "牵头单位",
        "责任单位",
        "配合单位",
        "完成时限",
        "目标",
        "报送周期",
        "办理状态",
        "最新进展",
        "完成进度",
        "任务来源",
    ]
    by_title = {row[2]: row for row in rows[2:]}
    first = by_title["实施健康知识普及行动"]
    assert first[1] == task_identity(lw.task_a) == f"zhumadian-{lw.task_a.pk}"
    assert first[4] == "市卫生健康体育委员会"
    assert first[7] == "2020-06-15"
    assert first[8] == "到2022年，居民健康素养水平不低于22%"
    assert (first[9], first[10], first[11]) == ("每月", "已逾期", "未报送")
    assert first[13] == "驻政〔2020〕99号"
    assert by_title["加强学校体育工作"][10] == "办理中"
    assert "驿城区" not in str(rows)  # the county's tasks are the county's


@override_settings(DUBAN_TODAY=TODAY)
def test_the_export_is_excel_friendly(lw):
    content, _ = ledger_export(jurisdiction=lw.city)
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert sheet.title == "督查台账"
    assert sheet.freeze_panes == "C3"
    assert sheet["C2"].font.bold and sheet["C2"].fill.fgColor.rgb.endswith("DDE6F0")
    assert sheet.column_dimensions["D"].width == 50
    assert sheet["D3"].alignment.wrap_text
    assert sheet.auto_filter.ref == "A2:N4"


@override_settings(DUBAN_TODAY=TODAY)
def test_the_export_reads_back_with_each_task_s_identity(lw):
    content, _ = ledger_export(jurisdiction=lw.city)
    reading = read_sheet(content, LedgerUnitLookup(lw.city), today=dt.date(2020, 7, 1))
    assert reading.header_row == 2
    assert sorted(parse_identity(record.identity)[1] for record in reading.records) == sorted(
        [lw.task_a.pk, lw.task_b.pk]
    )
    assert reading.errors == []


def test_a_deadline_printed_without_its_year_is_exported_as_its_date(lw):
    from duban.ledger.workbook import deadline_cell

    deadline = lw.task_b.deadlines.get()
    deadline.text = "年底前"  # as a gazette prints it: the year is the document's
    deadline.save()
    assert deadline_cell(lw.task_b, dt.date(2021, 3, 1)) == "2030年12月31日"
    deadline.text = "2030年12月底前"
    deadline.save()
    assert deadline_cell(lw.task_b, dt.date(2021, 3, 1)) == "2030年12月底前"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("zhumadian-12", ("zhumadian", 12)), ("yi-cheng-3", ("yi-cheng", 3)), ("12", None), ("zhumadian-１２", None)],
)
def test_identities(text, parsed):
    assert parse_identity(text) == parsed


@override_settings(DUBAN_TODAY=TODAY)
def test_duban_tasks_export_writes_the_file(lw, tmp_path, capsys):
    out = tmp_path / "台账.xlsx"
    assert main(["tasks", "export", "--jurisdiction", "zhumadian", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"导出督查台账 2 项：{out}\n"
    assert len(read_rows(out.read_bytes())) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jurisdiction", "nowhere", "--out", "{tmp}/a.xlsx"], "未知的辖区：nowhere"),
        (["--jurisdiction", "zhumadian", "--out", "{tmp}/a.csv"], "must be an .xlsx file"),
        (["--jurisdiction", "zhumadian", "--out", "{tmp}/missing/a.xlsx"], "no such directory"),
    ],
)
def test_duban_tasks_export_refuses_bad_input_in_one_line(lw, tmp_path, capsys, args, message):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    assert main(["tasks", "export", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and message in captured.err
    assert list(tmp_path.iterdir()) == []
