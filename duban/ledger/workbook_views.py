"""The 任务分解表 pages: upload, preview (with the mapping step), 导入; and the 台账 exported as .xlsx.

Thin: access (ledger.access), a form, then duban.ledger.workbook_import / workbook.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban import clock
from duban.accounts.access import request_jurisdiction, require
from duban.errors import InputError
from duban.intake.workbook import FIELD_LABELS
from duban.ledger import access
from duban.ledger.filters import ledger_filters
from duban.ledger.forms import WorkbookMappingForm, WorkbookUploadForm
from duban.ledger.workbook import ledger_rows_in_chunks, ledger_workbook_write
from duban.ledger.workbook_import import (
    StagedWorkbook,
    WorkbookPlan,
    WorkbookRefused,
    workbook_import,
    workbook_plan,
    workbook_stage,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_workbook_import(request.user, jurisdiction))
    form = WorkbookUploadForm(request.POST, request.FILES) if request.method == "POST" else WorkbookUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            token = workbook_stage(
                actor=request.user, jurisdiction=jurisdiction, content=upload.read(), file_name=upload.name
            )
        except InputError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已读取“{upload.name}”，请核对每一行后导入。")
            return redirect("ledger:workbook_preview", token=token)
    return render(request, "ledger/workbook_upload.html", {"jurisdiction": jurisdiction, "form": form})


def _plan(staged: StagedWorkbook, form: WorkbookMappingForm | None) -> WorkbookPlan:
    mapping = form.mapping() if form is not None else None
    header_row = form.cleaned_data["header_row"] if form is not None else None
    return workbook_plan(
        jurisdiction=staged.jurisdiction,
        content=staged.content(),
        file_name=staged.file_name,
        mapping=mapping,
        header_row=header_row,
    )


def _columns_form(plan: WorkbookPlan, data=None, *, hidden: bool = False) -> WorkbookMappingForm:
    reading = plan.reading
    initial = {f"col_{column.index}": column.field or "" for column in reading.columns}
    initial["header_row"] = reading.header_row or 1
    return WorkbookMappingForm(data, columns=reading.columns, hidden=hidden, initial=initial)


def _preview(request, staged: StagedWorkbook, plan: WorkbookPlan, *, mapping_form=None, mapped=False, status=200):
    reading = plan.reading
    return render(
        request,
        "ledger/workbook_preview.html",
        {
            "jurisdiction": staged.jurisdiction,
            "staged": staged,
            "plan": plan,
            "reading": reading,
            "columns": [
                (column, FIELD_LABELS.get(column.field or "", "")) for column in reading.columns if column.header
            ],
            "sheet_problems": reading.problems,
            "error_rows": sorted({problem.row for problem in plan.errors}),
            "mapping_form": mapping_form or _columns_form(plan),
            "import_form": _columns_form(plan, hidden=True) if mapped else None,
            "mapped": mapped,
        },
        status=status,
    )


def _mapping_from(staged: StagedWorkbook, data) -> tuple[WorkbookMappingForm, WorkbookPlan]:
    """The mapping form bound to ``data``, with the columns of the sheet as recognised (or guessed)."""
    plan = _plan(staged, None)
    return _columns_form(plan, data), plan


def _unreadable(request: HttpRequest, error: InputError) -> HttpResponse:
    """A kept sheet the reader refuses as a whole (too many rows, no sheet …): say so, upload again."""
    messages.error(request, str(error))
    return redirect("ledger:workbook_upload")


@login_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    staged = access.access_staged_workbook_by_token(request.user, token)
    try:
        return _preview_or_mapping(request, staged)
    except InputError as error:
        return _unreadable(request, error)


def _preview_or_mapping(request: HttpRequest, staged: StagedWorkbook) -> HttpResponse:
    if request.method != "POST":
        return _preview(request, staged, _plan(staged, None))
    form, plan = _mapping_from(staged, request.POST)
    if not form.is_valid():
        messages.error(request, "列的对应有误，请按提示修改。")
        return _preview(request, staged, plan, mapping_form=form)
    mapped = _plan(staged, form)
    messages.success(request, f"已按所选的列重新读取：{len(mapped.rows)} 行。")
    return _preview(request, staged, mapped, mapping_form=form, mapped=True)


@login_required
@require_POST
def do_import(request: HttpRequest, token: str) -> HttpResponse:
    staged = access.access_staged_workbook_by_token(request.user, token)
    try:
        return _import(request, staged)
    except InputError as error:
        return _unreadable(request, error)


def _import(request: HttpRequest, staged: StagedWorkbook) -> HttpResponse:
    form = None
    if "header_row" in request.POST:
        form, plan = _mapping_from(staged, request.POST)
        if not form.is_valid():
            messages.error(request, "列的对应有误，请按提示修改。")
            return _preview(request, staged, plan, mapping_form=form)
    try:
        result = workbook_import(
            actor=request.user,
            jurisdiction=staged.jurisdiction,
            content=staged.content(),
            file_name=staged.file_name,
            mapping=form.mapping() if form is not None else None,
            header_row=form.cleaned_data["header_row"] if form is not None else None,
        )
    except WorkbookRefused as refused:
        rows = refused.lines()
        messages.error(request, f"未导入：有 {len(rows)} 处错误，请修改 Excel 后重新上传。" + "；".join(rows[:3]))
        return _preview(request, staged, refused.plan, mapping_form=form, mapped=form is not None)
    staged.discard()
    messages.success(
        request,
        f"已导入“{staged.file_name}”：新任务 {len(result.created)} 项，已在台账 {result.existing} 项（未重复导入）。",
    )
    return redirect("ledger:tasks")


@login_required
def export(request: HttpRequest) -> FileResponse:
    """The 督查台账 with the filters on screen (duban.ledger.filters) as a 任务分解表: written a chunk of tasks at
    a time into a temporary file (the memory of a chunk, whatever the ledger's size), then sent from it."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_workbook_export(request.user, jurisdiction))
    chosen = ledger_filters(request, jurisdiction)
    tasks = chosen.tasks(access.tasks_visible(request.user, jurisdiction), jurisdiction=jurisdiction)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent; the file has no name)
    try:
        ledger_workbook_write(out, ledger_rows_in_chunks(tasks), jurisdiction=jurisdiction, filters=chosen.described())
    except BaseException:
        out.close()
        raise
    out.seek(0)
    name = f"督查台账-{jurisdiction.name}-{clock.today():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)
