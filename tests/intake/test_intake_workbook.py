"""The 任务分解表 reader (duban.intake.workbook) on sheets built with openpyxl, against the city's 机构名录."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from duban import DIRECTORIES_DIR
from duban.errors import InputError
from duban.intake.directory import load_directory
from duban.intake.workbook import (
    HEADER_VOCABULARY,
    DirectoryLookup,
    closest_names,
    header_field,
    read_deadlines,
    read_sheet,
)
from tests.workbooks import HEADER, twenty_rows, xlsx

TODAY = date(2021, 1, 5)
UNITS = DirectoryLookup(load_directory(DIRECTORIES_DIR / "zhumadian" / "units.yaml"))


def read(content: bytes, **options):
    return read_sheet(content, UNITS, today=TODAY, file_name="分解表.xlsx", **options)


def test_header_under_a_title_row_in_any_order_and_spelling():
    rows = [
        ["完成期限", "工作任务", "牵头部门", "序号", "工作内容", "配合单位", "目标"],
        ["2021年6月底前", "殡葬改革", "市民政局", "1", "推进殡葬改革", "市财政局", "火化率100%"],
    ]
    reading = read(xlsx(rows))
    assert reading.header_row == 2
    assert {column.header: column.field for column in reading.columns} == {
        "完成期限": "deadline",
        "工作任务": "title",
        "牵头部门": "lead",
        "序号": "seq",
        "工作内容": "text",
        "配合单位": "cooperating",
        "目标": "targets",
    }
    (record,) = reading.records
    assert (record.row, record.seq, record.title, record.text) == (3, "1", "殡葬改革", "推进殡葬改革")
    assert record.lead.resolved == ["驻马店市民政局"]
    assert record.cooperating.resolved == ["驻马店市财政局"]
    assert record.deadlines == [(date(2021, 6, 30), "2021年6月底前")]
    assert record.targets_text == "火化率100%"
    assert reading.ok


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("任务名称", "title"),
        ("重点任务", "title"),
        ("工作任务", "title"),
        ("牵头单位", "lead"),
        ("牵头部门", "lead"),
        ("牵头单位（盖章）", "lead"),
        ("牵头责任单位", "lead"),
        ("责任领导", "leader"),
        ("责任单位", "responsible"),
        ("责任单位\n（部门）", "responsible"),
        ("完成时间", "deadline"),
        ("时限要求", "deadline"),
        ("完成期限", "deadline"),
        ("完成时限(截止日期)", "deadline"),
        ("*具体内容", "text"),
        ("系统编号", "identity"),
        ("备注", None),
        ("", None),
    ],
)
def test_header_words(written, field):
    assert header_field(written) == field


def test_every_vocabulary_word_names_its_own_field():
    for name, words in HEADER_VOCABULARY.items():
        for word in words:
            assert header_field(word) == name, word


def test_a_merged_lead_unit_applies_to_every_row_it_covers():
    rows = [
        list(HEADER),
        [1, "任务一", "", "市发改委", "市财政局", "2021年3月底前"],
        [2, "任务二", "", None, "市教育局", "2021年4月底前"],
        [3, "任务三", "", None, "市民政局", "2021年5月底前"],
        [4, "任务四", "", "市公安局", "市司法局", "2021年6月底前"],
    ]
    reading = read(xlsx(rows, merges=["D3:D5"]))
    assert [record.lead.resolved for record in reading.records] == [
        ["驻马店市发展和改革委员会"],
        ["驻马店市发展和改革委员会"],
        ["驻马店市发展和改革委员会"],
        ["驻马店市公安局"],
    ]


def test_a_merged_task_over_its_rows_gives_each_row_the_task():
    rows = [
        list(HEADER),
        [1, "优化营商环境", "压缩开办时间", "市发改委", "市财政局", "2021年3月底前"],
        [None, None, "推行一网通办", "市发改委", "市公安局", "2021年6月底前"],
    ]
    reading = read(xlsx(rows, merges=["A3:A4", "B3:B4"]))
    assert [(record.seq, record.title, record.text) for record in reading.records] == [
        ("1", "优化营商环境", "压缩开办时间"),
        ("1", "优化营商环境", "推行一网通办"),
    ]


def test_multi_line_unit_cells_split_at_newlines_and_punctuation():
    rows = [
        list(HEADER),
        [1, "任务", "", "市发改委\n市财政局", "市教育局、市民政局，市公安局\n\n市司法局；市人社局", "2021年6月底前"],
    ]
    (record,) = read(xlsx(rows)).records
    assert record.lead.printed == ["市发改委", "市财政局"]
    assert record.responsible.resolved == [
        "驻马店市教育局",
        "驻马店市民政局",
        "驻马店市公安局",
        "驻马店市司法局",
        "驻马店市人力资源和社会保障局",
    ]
    assert record.ok


def test_a_section_heading_merged_across_the_row_is_no_task():
    rows = [
        list(HEADER),
        ["一、产业发展"],
        [1, "任务一", "", "市发改委", "", "2021年6月底前"],
    ]
    reading = read(xlsx(rows, merges=["A3:F3"]))
    assert [record.title for record in reading.records] == ["任务一"]


@pytest.mark.parametrize(
    ("written", "dates", "standing"),
    [
        ("2021年6月底前", [date(2021, 6, 30)], ""),
        ("2021年6月15日", [date(2021, 6, 15)], ""),
        ("2021.3.15", [date(2021, 3, 15)], ""),
        ("年底前", [date(2021, 12, 31)], ""),
        ("6月底前", [date(2021, 6, 30)], ""),
        ("2020年12月底前", [date(2020, 12, 31)], ""),  # before today: still the sheet's deadline
        ("三季度末", [date(2021, 9, 30)], ""),
        ("2021年3月底前完成方案\n2021年12月底前全面完成", [date(2021, 3, 31), date(2021, 12, 31)], ""),
        ("长期坚持", [], "长期坚持"),
        ("每季度", [], "每季度"),
        ("每月25日前报送进展", [], "每月25日前报送进展"),
        ("持续推进", [], "持续推进"),
    ],
)
def test_deadline_cells(written, dates, standing):
    found, standing_found, unread = read_deadlines(written, TODAY)
    assert [when for when, _ in found] == dates
    assert standing_found == standing
    assert unread == []


def test_an_excel_date_cell_is_a_deadline():
    rows = [list(HEADER), [1, "任务", "", "市发改委", "", datetime(2021, 9, 30)]]
    (record,) = read(xlsx(rows)).records
    assert record.deadlines == [(date(2021, 9, 30), "2021年9月30日")]


def test_row_problems_name_the_row_unknown_units_with_suggestions_bad_dates_and_empty_tasks():
    rows = [
        list(HEADER),
        [1, "任务一", "", "市卫建委", "", "2021年6月底前"],
        [2, "任务二", "", "市发改委", "", "尽快"],
        [3, "", "", "市发改委", "", "2021年6月底前"],
        [4, "任务四", "", "", "", ""],
    ]
    reading = read(xlsx(rows))
    assert [str(problem) for problem in reading.errors] == [
        "第3行：牵头单位“市卫建委”不在机构名录中（是否为：驻马店市卫生健康体育委员会）",
        "第4行：完成时限“尽快”无法识别为日期",
        "第5行：任务为空（“任务”“具体内容”都没有填写）",
        "第6行：没有填写牵头单位或责任单位",
    ]
    assert not reading.ok


def test_twenty_rows_with_two_bad_rows_name_exactly_those_rows():
    reading = read(xlsx(twenty_rows(bad=True)))
    assert len(reading.records) == 20
    assert sorted({problem.row for problem in reading.errors}) == [7, 16]
    assert [str(problem) for problem in reading.errors] == [
        "第7行：牵头单位“市卫建委”不在机构名录中（是否为：驻马店市卫生健康体育委员会）",
        "第16行：完成时限“尽快完成”无法识别为日期",
    ]
    fixed = read(xlsx(twenty_rows(bad=False)))
    assert fixed.ok and len(fixed.records) == 20


def test_unrecognised_headers_ask_for_a_mapping_and_the_mapping_reads_the_rows():
    rows = [["编", "事", "谁", "何时"], ["1", "殡葬改革", "市民政局", "2021年6月底前"]]
    reading = read(xlsx(rows, title=None))
    assert reading.needs_mapping and not reading.ok
    assert reading.header_row is None
    assert [column.header for column in reading.columns] == ["编", "事", "谁", "何时"]
    mapped = read(xlsx(rows, title=None), mapping={1: "seq", 2: "title", 3: "lead", 4: "deadline"})
    assert mapped.header_row == 1
    (record,) = mapped.records
    assert (record.title, record.lead.resolved, record.deadlines) == (
        "殡葬改革",
        ["驻马店市民政局"],
        [(date(2021, 6, 30), "2021年6月底前")],
    )


def test_a_mapping_naming_no_field_of_the_import_is_refused():
    with pytest.raises(InputError, match="未知的字段"):
        read(xlsx([["a", "b"], ["1", "2"]]), mapping={1: "title", 2: "password"})


def test_a_field_named_by_two_columns_is_a_sheet_problem():
    rows = [["任务", "牵头单位", "牵头部门"], ["任务一", "市发改委", "市财政局"]]
    reading = read(xlsx(rows))
    assert [str(problem) for problem in reading.problems] == ["第2行：牵头单位对应了两列（B列、C列），只读取B列"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.xlsx", "文件为空"),
        (b"not a workbook", "a.xlsx", "不是可读取的 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", "旧版 Excel"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused_by_name(content, name, message):
    with pytest.raises(InputError, match=message):
        read_sheet(content, UNITS, today=TODAY, file_name=name)


def test_closest_names_share_most_characters():
    names = ["驻马店市卫生健康体育委员会", "市卫健委", "市财政局", "市教育局"]
    assert closest_names("市卫建委", names)[0] == "市卫健委"
    assert closest_names("市气象局", names) == []
