"""A page's download of an export: the file as an attachment with its Chinese name, or — when the writer
refuses (ExportError) — back to the page with the reason in Chinese. Every download button of duban.reports
and duban.dashboards answers through `export_download`; `attachment` serves a file as it is."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from duban.reports.exports import DOCX, XLSX, ExportError, ExportRequest, export_bytes
from duban.reports.xlsx import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE

CONTENT_TYPES = {DOCX: DOCX_CONTENT_TYPE, XLSX: XLSX_CONTENT_TYPE}


def attachment(content: bytes, file_name: str) -> HttpResponse:
    """`content` downloaded as `file_name` (its suffix, .docx or .xlsx, gives the content type)."""
    suffix = file_name[file_name.rfind(".") :].lower()
    return HttpResponse(
        content,
        content_type=CONTENT_TYPES[suffix],
        headers={"Content-Disposition": content_disposition_header(True, file_name)},
    )


def export_download(
    request: HttpRequest, export: ExportRequest, *, file_name: str, back: str, failure: str = "无法导出："
) -> HttpResponse:
    """The file of `export` (the type from `file_name`'s suffix); on ExportError, `failure` + the reason on
    the page `back`."""
    suffix = file_name[file_name.rfind(".") :].lower()
    try:
        content = export_bytes(export, suffix)
    except ExportError as error:
        messages.error(request, f"{failure}{error}")
        return redirect(back)
    return attachment(content, file_name)
