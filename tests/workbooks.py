"""Builders of 任务分解表 workbooks (.xlsx) for the reader's, the import's, the CLI's and the browser's tests.

Pure openpyxl: no Django, so the intake tests use them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook, load_workbook

HEADER = ("序号", "重点任务", "具体内容", "牵头单位", "责任单位", "完成时限")


def xlsx(
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = "2021年重点工作任务分解表",
    merges: Iterable[str] = (),
    sheet: str = "任务分解",
) -> bytes:
    """A workbook with one sheet: an optional title row merged across the width, then ``rows``
    (the first of them usually the header), then ``merges`` (ranges such as "D3:D5")."""
    rows = [list(row) for row in rows]
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    width = max((len(row) for row in rows), default=1)
    if title is not None:
        worksheet.append([title])
        worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
    for row in rows:
        worksheet.append(row)
    for merged in merges:
        worksheet.merge_cells(merged)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def twenty_rows(*, bad: bool) -> list[list[object]]:
    """A header and twenty tasks of the city; with ``bad``, row 7 names a unit the 机构名录 lacks
    (市卫建委, a slip for 市卫健委) and row 16 a deadline no reader reads (sheet rows, under the title)."""
    leads = ["市发改委", "市财政局", "市教育局", "市民政局", "市公安局"]
    rows: list[list[object]] = [list(HEADER)]
    for n in range(1, 21):
        rows.append(
            [
                n,
                f"2021年重点任务第{n}项",
                f"推进第{n}项重点工作，按月报送进展。",
                leads[n % len(leads)],
                "市财政局、市教育局" if n % 2 else "市民政局\n市司法局",
                f"2021年{(n % 12) + 1}月底前",
            ]
        )
    if bad:
        rows[5][3] = "市卫建委"  # sheet row 7 (title row 1, header row 2)
        rows[14][5] = "尽快完成"  # sheet row 16
    return rows


def read_rows(content: bytes) -> list[list[object]]:
    """The cells of a workbook's first sheet, as values."""
    worksheet = load_workbook(BytesIO(content)).worksheets[0]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]
