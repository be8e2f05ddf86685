"""Importing a 任务分解表: every row through task_open, all or nothing, nothing new for rows already in
the 台账 (an export's 系统编号, or the same row of the same file imported before); `duban tasks import`."""

from __future__ import annotations

import pytest
from django.test import override_settings

from duban.accounts.models import AuditAction, AuditLog
from duban.cli import main
from duban.ledger import services
from duban.ledger.models import Deadline, Task, TaskUnit
from duban.ledger.services import task_snapshot
from duban.ledger.sources import WORKBOOK
from duban.ledger.workbook import ledger_export, task_identity
from duban.ledger.workbook_import import WorkbookRefused, workbook_import, workbook_plan
from tests.factories import county_create, sheet_units_create
from tests.workbooks import HEADER, twenty_rows, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]
TODAY = "2021-01-05"


@pytest.fixture
def on_the_day():
    with override_settings(DUBAN_TODAY=TODAY):
        yield


@pytest.fixture
def units(city):
    return sheet_units_create(city)


def _import(city, content, name="分解表.xlsx", **options):
    return workbook_import(actor=None, jurisdiction=city, content=content, file_name=name, **options)


def _written():
    return Task.objects.count(), TaskUnit.objects.count(), Deadline.objects.count(), AuditLog.objects.count()


def test_two_bad_rows_refuse_the_whole_sheet_naming_both_and_writing_nothing(city, units):
    before = _written()
    with pytest.raises(WorkbookRefused) as refused:
        _import(city, xlsx(twenty_rows(bad=True)))
    assert refused.value.lines() == [
        "第7行：牵头单位“市卫建委”不在机构名录中（是否为：驻马店市卫生健康体育委员会）",
        "第16行：完成时限“尽快完成”无法识别为日期",
    ]
    assert _written() == before


def test_the_fixed_sheet_opens_twenty_tasks_with_their_source_units_and_deadlines(city, units):
    result = _import(city, xlsx(twenty_rows(bad=False)))
    assert len(result.created) == 20 and result.existing == 0
    task = Task.objects.get(title="2021年重点任务第3项")
    assert (task.status, task.source_kind, task.ref) == (Task.Status.CONFIRMED, WORKBOOK, "3")
    assert (task.source.file_name, task.source.sheet, task.source.row) == ("分解表.xlsx", "任务分解", 5)
    assert [a.unit.short_name for a in task.assignments.filter(role="lead")] == ["市民政局"]
    assert [a.unit.short_name for a in task.assignments.filter(role="responsible")] == ["市财政局", "市教育局"]
    assert [(d.date.isoformat(), d.text) for d in task.deadlines.all()] == [("2021-04-30", "2021年4月底前")]
    assert AuditLog.objects.filter(action=AuditAction.TASK_OPEN).count() == 20
    (summary,) = AuditLog.objects.filter(action=AuditAction.WORKBOOK_IMPORT)
    assert summary.after["file_name"] == "分解表.xlsx" and len(summary.after["created"]) == 20


def test_the_same_sheet_imported_again_creates_nothing_new(city, units):
    content = xlsx(twenty_rows(bad=False))
    _import(city, content)
    before = _written()
    again = _import(city, content)
    assert (again.created, again.existing) == ([], 20)
    assert _written()[:3] == before[:3]


def test_an_export_imports_back_to_the_same_tasks_unchanged(city, units):
    _import(city, xlsx(twenty_rows(bad=False)))
    snapshots = {task.pk: task_snapshot(task) for task in Task.objects.all()}
    exported, count = ledger_export(jurisdiction=city)
    assert count == 20
    plan = workbook_plan(jurisdiction=city, content=exported, file_name="台账导出.xlsx")
    assert plan.ok and plan.new_rows == []
    assert sorted(row.existing.pk for row in plan.existing_rows) == sorted(snapshots)
    before = _written()
    result = _import(city, exported, name="台账导出.xlsx")
    assert (result.created, result.existing) == ([], 20)
    assert _written()[:3] == before[:3]
    assert {task.pk: task_snapshot(task) for task in Task.objects.all()} == snapshots


def test_a_refusal_by_task_open_halfway_leaves_nothing_written(city, units, monkeypatch):
    opened = []
    real = services.task_open

    def failing_on_the_third(**kwargs):
        if len(opened) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError({"title": "任务名称有误"})
        opened.append(real(**kwargs))
        return opened[-1]

    monkeypatch.setattr("duban.ledger.workbook_import.task_open", failing_on_the_third)
    before = _written()
    with pytest.raises(WorkbookRefused) as refused:
        _import(city, xlsx(twenty_rows(bad=False)))
    assert len(opened) == 2
    assert refused.value.lines() == ["第5行：任务名称有误"]
    assert _written() == before


def test_what_task_open_would_refuse_is_said_of_the_row_first(city, units):
    rows = [
        list(HEADER),
        [1, "任务一", "", "市发改委", "市发改委、市财政局", "2020年12月底前"],
        ["9" * 61, "任务二", "", "市发改委", "", "2021年6月底前\n2021年6月30日"],
    ]
    plan = workbook_plan(jurisdiction=city, content=xlsx(rows), file_name="a.xlsx")
    assert plan.lines() == [
        "第3行：完成时限“2020年12月底前”（2020-12-31）早于今天",
        "第4行：序号过长（最多 60 字）",
    ]
    first, second = plan.rows
    assert first.record.responsible.resolved == ["驻马店市财政局"]  # the lead is not listed twice
    assert second.record.deadlines == [(second.record.deadlines[0][0], "2021年6月底前")]


def test_a_system_number_must_name_a_task_of_this_jurisdiction(city, units):
    county = county_create(city)
    _import(city, xlsx(twenty_rows(bad=False)))
    task = Task.objects.order_by("pk").first()
    header = ["系统编号", *HEADER]
    rows = [
        header,
        [task_identity(task), 1, "任务", "", "市发改委", "", ""],
        [task_identity(task), 2, "任务", "", "市发改委", "", ""],
        ["yicheng-1", 3, "任务", "", "市发改委", "", ""],
        ["zhumadian-999999", 4, "任务", "", "市发改委", "", ""],
        ["第5号", 5, "任务", "", "市发改委", "", ""],
    ]
    plan = workbook_plan(jurisdiction=city, content=xlsx(rows), file_name="b.xlsx")
    assert plan.lines() == [
        f"第4行：系统编号“{task_identity(task)}”与第3行重复",
        f"第5行：系统编号“yicheng-1”属于其他辖区，不能导入{city.name}",
        "第6行：系统编号“zhumadian-999999”对应的任务不存在（请删去该编号作为新任务导入）",
        "第7行：系统编号“第5号”无法识别（应为导出时的编号，如 zhumadian-12）",
    ]
    assert county.code == "yicheng"


# --- duban tasks import ------------------------------------------------------------------------------


def _write(tmp_path, rows, name="分解表.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return path


def test_the_command_refuses_a_sheet_with_bad_rows_one_line_per_row(city, units, tmp_path, capsys):
    path = _write(tmp_path, twenty_rows(bad=True))
    before = _written()
    assert main(["tasks", "import", str(path), "--jurisdiction", "zhumadian"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "第7行：牵头单位“市卫建委”不在机构名录中（是否为：驻马店市卫生健康体育委员会）",
        "第16行：完成时限“尽快完成”无法识别为日期",
    ]
    assert main(["tasks", "import", str(path), "--jurisdiction", "zhumadian", "--dry-run"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 2
    assert _written() == before


def test_the_command_checks_imports_and_imports_an_export_again_to_nothing_new(city, units, tmp_path, capsys):
    path = _write(tmp_path, twenty_rows(bad=False))
    before = _written()
    assert main(["tasks", "import", str(path), "--jurisdiction", "zhumadian", "--dry-run"]) == 0
    assert capsys.readouterr().out == "分解表.xlsx：检查通过，可导入新任务 20 项，已在台账 0 项（未导入）。\n"
    assert _written() == before
    assert main(["tasks", "import", str(path), "--jurisdiction", "zhumadian"]) == 0
    assert capsys.readouterr().out == "分解表.xlsx：导入新任务 20 项，已在台账 0 项（未重复导入）。\n"
    out = tmp_path / "导出.xlsx"
    assert main(["tasks", "export", "--jurisdiction", "zhumadian", "--out", str(out)]) == 0
    capsys.readouterr()
    after = _written()
    assert main(["tasks", "import", str(out), "--jurisdiction", "zhumadian"]) == 0
    assert capsys.readouterr().out == "导出.xlsx：导入新任务 0 项，已在台账 20 项（未重复导入）。\n"
    assert _written()[:3] == after[:3]


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("missing.xlsx", None, "no such file"),
        ("a.xlsx", b"not a workbook", "不是可读取的 Excel"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Excel"),
    ],
)
def test_the_command_refuses_a_file_that_is_no_sheet_in_one_line(city, units, tmp_path, capsys, file, content, message):
    path = tmp_path / file
    if content is not None:
        path.write_bytes(content)
    assert main(["tasks", "import", str(path), "--jurisdiction", "zhumadian"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and message in captured.err


def test_the_command_says_when_the_header_is_not_recognised(city, units, tmp_path, capsys):
    path = _write(tmp_path, [["编", "事"], ["1", "殡葬改革"]])
    assert main(["tasks", "import", str(path), "--jurisdiction", "zhumadian"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "未能识别表头" in line
