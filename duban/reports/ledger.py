"""The 督查台账 as a 任务分解表 (.xlsx): the whole confirmed ledger of the jurisdiction, as the 台账 page's
export button writes it with no filter (duban.ledger.workbook, the file the Excel import reads back)."""

from __future__ import annotations

from duban.ledger.workbook import ledger_export
from duban.reports.exports import ExportRequest


def ledger_xlsx(request: ExportRequest) -> bytes:
    content, _ = ledger_export(jurisdiction=request.jurisdiction)
    return content
