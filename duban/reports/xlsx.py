"""Excel workbooks as offices use them (openpyxl): Chinese headers in bold on a frozen first row, column
widths that fit Chinese text, dates stored as dates (shown 2020-04-15), numbers as numbers, a title row
above the header when a sheet has one. Every Excel export of duban is written through `workbook_bytes`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, as the office reads it
    width: float | None = None  # in characters; None: fitted to the header and the values
    wrap: bool = False  # long text (a task's wording): wrapped in its cell


@dataclass
class Sheet:
    title: str  # the tab's name (at most 31 characters; Excel forbids []:*?/\)
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    heading: str = ""  # a title row above the header, e.g. "驻马店市 2020年4月 督查事项月排名积分"
    notes: Sequence[str] = field(default_factory=tuple)  # lines under the table (source, as-of, rulebook)


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _safe_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet"
    return cleaned[:31]


def _write_sheet(ws, sheet: Sheet) -> None:
    ws.title = _safe_title(sheet.title)
    header_row = 1
    if sheet.heading:
        ws.cell(row=1, column=1, value=sheet.heading).font = Font(bold=True, size=14)
        header_row = 2
    widths = [_display_width(column.header) for column in sheet.columns]
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row_number = header_row
    for row_number, values in enumerate(sheet.rows, start=header_row + 1):
        if len(values) != len(sheet.columns):
            raise ValueError(f"sheet {sheet.title!r}: a row has {len(values)} values for {len(sheet.columns)} columns")
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row=row_number, column=index, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if sheet.columns[index - 1].wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index - 1] = max(widths[index - 1], _display_width(value))
    for index, column in enumerate(sheet.columns, start=1):
        width = column.width if column.width is not None else min(MAX_WIDTH, widths[index - 1] + 2)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for offset, note in enumerate(sheet.notes, start=2):
        ws.cell(row=row_number + offset, column=1, value=note).font = Font(italic=True, color="555555")


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file of `sheets`, in order (at least one)."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    book = Workbook()
    _write_sheet(book.active, sheets[0])
    for sheet in sheets[1:]:
        _write_sheet(book.create_sheet(), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
