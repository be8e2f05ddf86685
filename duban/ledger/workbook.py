"""The 台账 as a 任务分解表 (.xlsx); the import is duban.ledger.workbook_import.

Export: the rows of the 督查台账 (the filters on screen) with their standing, latest progress and
deadlines, one task a row, in the columns the reader (duban.intake.workbook) recognises, and each
task's 系统编号 so that the sheet imports back to the same tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO

from django.db.models import prefetch_related_objects
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from duban import clock
from duban.accounts.models import Jurisdiction, Unit
from duban.intake.workbook import closest_names, read_deadlines
from duban.ledger.ingest import UnitResolver
from duban.ledger.models import Task, TaskUnit
from duban.ledger.selectors import LedgerRow, ledger_page_rows, ledger_query

SHEET_NAME = "督查台账"
# (header, width in characters): the reader's words, so that the export reads back.
EXPORT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 8),
    ("系统编号", 16),
    ("任务", 30),
    ("具体内容", 50),
    ("牵头单位", 22),
    ("责任单位", 26),
    ("配合单位", 22),
    ("完成时限", 18),
    ("目标", 30),
    ("报送周期", 10),
    ("办理状态", 10),
    ("最新进展", 40),
    ("完成进度", 10),
    ("任务来源", 24),
)
IDENTITY_SEPARATOR = "-"

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def task_identity(task: Task) -> str:
    """The 系统编号 an export writes and an import recognises: the jurisdiction's code and the task's id."""
    return f"{task.jurisdiction.code}{IDENTITY_SEPARATOR}{task.pk}"


def parse_identity(text: str) -> tuple[str, int] | None:
    """(jurisdiction code, task id) of a 系统编号, or None when it is not one."""
    code, _, number = text.strip().rpartition(IDENTITY_SEPARATOR)
    if not code or not number.isascii() or not number.isdigit():
        return None
    return code, int(number)


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def deadline_cell(task: Task, today: dt.date) -> str:
    """Each deadline as printed when that reads back to its date (2021年6月底前), else its date written
    out (a 原文 such as 6月底前 has no year of its own)."""
    lines = []
    for deadline in sorted(task.deadlines.all(), key=lambda d: (d.date, d.pk)):
        found, _, _ = read_deadlines(deadline.text, today)
        lines.append(deadline.text if [when for when, _ in found] == [deadline.date] else _date_text(deadline.date))
    return "\n".join(lines)


def _units(task: Task, role: str) -> str:
    names = [
        a.unit.name if a.unit_id else a.printed_name
        for a in sorted(task.assignments.all(), key=lambda a: a.position)
        if a.role == role
    ]
    return "\n".join(dict.fromkeys(names))


def _latest(row: LedgerRow) -> tuple[str, int | None]:
    if row.latest is None:
        return "未报送", None
    report = row.latest
    return f"{_date_text(report.reported_on)}（{report.unit.name}）：{report.text}", report.percent


def ledger_workbook(rows: Sequence[LedgerRow], *, jurisdiction: Jurisdiction, filters: str = "") -> bytes:
    """The 督查台账's rows as a 任务分解表: a title row, a styled, frozen header, one task a row."""
    today = clock.today()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    title = f"{jurisdiction.name}督查台账（任务分解表）· 导出于{_date_text(today)}"
    sheet.append([f"{title} · {filters}" if filters else title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(EXPORT_COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.row_dimensions[1].height = 24
    sheet.append([header for header, _ in EXPORT_COLUMNS])
    # what each row reads of its task beyond ledger_page_rows' prefetch, in one query each for all the rows
    prefetch_related_objects([row.task for row in rows], "jurisdiction", "deadlines", "targets")
    for index, (_, width) in enumerate(EXPORT_COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        task = row.task
        latest, percent = _latest(row)
        sheet.append(
            [
                task.ref,
                task_identity(task),
                task.title,
                task.text,
                _units(task, TaskUnit.Role.LEAD),
                _units(task, TaskUnit.Role.RESPONSIBLE),
                _units(task, TaskUnit.Role.COOPERATING),
                deadline_cell(task, today),
                task.targets_text or "\n".join(target.text for target in task.targets.all()),
                task.get_reporting_cycle_display(),
                row.standing.label,
                latest,
                f"{percent}%" if percent is not None else "",
                task.source_summary,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = _WRAP
            cell.border = _BORDER
    sheet.freeze_panes = "C3"  # the header and the number columns stay in view
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(EXPORT_COLUMNS))}{max(sheet.max_row, 2)}"
    sheet.print_title_rows = "2:2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_export(
    *, jurisdiction: Jurisdiction, rows: Sequence[LedgerRow] | None = None, filters: str = ""
) -> tuple[bytes, int]:
    """(the .xlsx, how many tasks): the given rows of the 台账, else every confirmed task of the jurisdiction."""
    if rows is None:
        rows = ledger_page_rows(ledger_query(Task.objects.filter(jurisdiction=jurisdiction)))
    return ledger_workbook(rows, jurisdiction=jurisdiction, filters=filters), len(rows)


class LedgerUnitLookup:
    """The reader's ``UnitLookup`` over a jurisdiction's units: by name, short name, alias and the 机构名录
    (ledger.ingest.UnitResolver); it answers each unit's full name, and suggests the closest units."""

    def __init__(self, jurisdiction: Jurisdiction):
        self.resolver = UnitResolver(jurisdiction)
        self.units: dict[str, Unit] = {}
        self.spellings: dict[str, Unit] = {}
        for unit in Unit.objects.filter(jurisdiction=jurisdiction, active=True).order_by("name"):
            self.units[unit.name] = unit
            for name in (unit.name, unit.short_name, *(unit.aliases or [])):
                if name:
                    self.spellings.setdefault(name, unit)

    def resolve(self, printed: str) -> str | None:
        unit = self.resolver.resolve(printed)
        return unit.name if unit is not None and unit.name in self.units else None

    def suggest(self, printed: str) -> list[str]:
        found = [self.spellings[name].name for name in closest_names(printed, self.spellings, limit=6)]
        return list(dict.fromkeys(found))[:3]

    def unit(self, name: str) -> Unit:
        return self.units[name]
