"""The 台账 as a 任务分解表 (.xlsx); the import is duban.ledger.workbook_import.

Export: the rows of the 督查台账 (the filters on screen) with their standing, latest progress and
deadlines, one task a row, in the columns the reader (duban.intake.workbook) recognises, and each
task's 系统编号 so that the sheet imports back to the same tasks.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import islice
from typing import BinaryIO

from django.db.models import QuerySet, prefetch_related_objects
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

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
        lines.append(
            deadline.text if _read_back(deadline.text, today) == (deadline.date,) else _date_text(deadline.date)
        )
    return "\n".join(lines)


@functools.lru_cache(maxsize=4096)
def _read_back(text: str, today: dt.date) -> tuple[dt.date, ...]:
    """The dates the reader reads in a 完成时限 as printed: read once per wording (an export repeats a few
    hundred wordings over thousands of tasks)."""
    found, _, _ = read_deadlines(text, today)
    return tuple(when for when, _ in found)


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


EXPORT_CHUNK = 500  # tasks read, prefetched and written at a time: what the export holds in memory


def ledger_rows_in_chunks(tasks: QuerySet[Task], *, chunk: int = EXPORT_CHUNK) -> Iterator[LedgerRow]:
    """The 台账's rows of ``tasks`` (a ledger_query / LedgerFilters.tasks queryset, in its order), read by one
    query and built ``chunk`` tasks at a time, each chunk with what its rows show prefetched in one query per
    relation (units, reports, the jurisdiction, deadlines, targets): the memory a chunk's, whatever the
    ledger's size, and the queries a constant number per chunk."""
    found = tasks.iterator(chunk_size=chunk)
    while batch := list(islice(found, chunk)):
        rows = ledger_page_rows(batch)
        prefetch_related_objects(batch, "jurisdiction", "deadlines", "targets")
        yield from rows


def _styled(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def ledger_workbook_write(
    out: BinaryIO, rows: Iterable[LedgerRow], *, jurisdiction: Jurisdiction, filters: str = ""
) -> int:
    """The 督查台账's rows as a 任务分解表 written to ``out``: a title row, a styled, frozen header, one task a row.
    Written as it is read (openpyxl's write-only sheet, on disk until the file is put together): its memory
    does not grow with the rows. Answers how many tasks it holds."""
    today = clock.today()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    for index, (_, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C3"  # the header and the number columns stay in view
    sheet.row_dimensions[1].height = 24
    title = f"{jurisdiction.name}督查台账（任务分解表）· 导出于{_date_text(today)}"
    sheet.append([_styled(sheet, f"{title} · {filters}" if filters else title, font=Font(bold=True, size=14))])
    sheet.merged_cells.add(CellRange(min_row=1, min_col=1, max_row=1, max_col=len(EXPORT_COLUMNS)))
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.append(
        [
            _styled(sheet, header, font=Font(bold=True), fill=_HEADER_FILL, border=_BORDER, alignment=header_alignment)
            for header, _ in EXPORT_COLUMNS
        ]
    )
    # A write-only sheet writes a row as it is appended, so one styled cell per column serves every row: styling
    # each cell anew costs more than writing it (openpyxl hashes the style objects for every cell).
    cells = [_styled(sheet, None, alignment=_WRAP, border=_BORDER) for _ in EXPORT_COLUMNS]
    count = 0
    for row in rows:
        task = row.task
        latest, percent = _latest(row)
        values = [
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
        for cell, value in zip(cells, values, strict=True):
            cell.value = value
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(EXPORT_COLUMNS))}{count + 2}"
    sheet.print_title_rows = "2:2"
    workbook.save(out)
    return count


def ledger_export(
    *, jurisdiction: Jurisdiction, rows: Iterable[LedgerRow] | None = None, filters: str = ""
) -> tuple[bytes, int]:
    """(the .xlsx, how many tasks): the given rows of the 台账, else every confirmed task of the jurisdiction."""
    if rows is None:
        rows = ledger_rows_in_chunks(ledger_query(Task.objects.filter(jurisdiction=jurisdiction)))
    buffer = BytesIO()
    count = ledger_workbook_write(buffer, rows, jurisdiction=jurisdiction, filters=filters)
    return buffer.getvalue(), count


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
