"""Word downloads from the pages documents belong to: one GET, the page's access check (duban/reports/
access.py), the file through `export_bytes` as `duban export` writes it. A document that cannot be written
(a broken template, nothing to rank) goes back to the page with the reason in Chinese, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from duban.accountability.access import access_decision_by_id
from duban.accounts.access import request_jurisdiction, require
from duban.inputs import parse_month, parse_year
from duban.ledger.access import access_order_by_id
from duban.reports import access
from duban.reports.docx import jurisdiction_folder, template_path
from duban.reports.exports import KINDS, ExportError, ExportRequest
from duban.reports.http import attachment, export_download
from duban.reports.samples import SAMPLES
from duban.reports.services import TEMPLATE_MAX_BYTES, document_template_replace


def _download(request: HttpRequest, *, kind: str, jurisdiction, file_name: str, back: str, **subject) -> HttpResponse:
    export = ExportRequest(kind=KINDS[kind], jurisdiction=jurisdiction, actor=request.user, **subject)
    return export_download(request, export, file_name=file_name, back=back, failure=f"无法生成{KINDS[kind].label}：")


@login_required
@require_GET
def order_document(request: HttpRequest, pk: int) -> HttpResponse:
    order = access_order_by_id(request.user, pk, allowed=access.access_order_document)
    return _download(
        request,
        kind="order",
        jurisdiction=order.jurisdiction,
        file_name=f"督办单-{order.number}.docx",
        back=reverse("ledger:order", args=[order.pk]),
        order_id=order.pk,
    )


@login_required
@require_GET
def opinion_letter_document(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access_decision_by_id(request.user, pk, allowed=access.access_opinion_letter_document)
    return _download(
        request,
        kind="opinion-letter",
        jurisdiction=decision.jurisdiction,
        file_name=f"督查问责意见书-{decision.unit.name}-{decision.date:%Y%m%d}.docx",
        back=reverse("accountability:decision_letter", args=[decision.pk]),
        decision_id=decision.pk,
    )


@login_required
@require_GET
def criticism_notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access_decision_by_id(request.user, pk, allowed=access.access_criticism_notice_document)
    return _download(
        request,
        kind="criticism-notice",
        jurisdiction=decision.jurisdiction,
        file_name=f"通报-{decision.unit.name}-{decision.date:%Y%m%d}.docx",
        back=reverse("accountability:decision_letter", args=[decision.pk]),
        decision_id=decision.pk,
    )


@login_required
@require_GET
def ranking_notice_document(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_ranking_notice_document(request.user, jurisdiction))
    month = parse_month(request.GET.get("month", ""))
    back = reverse("home")
    if month is None:
        messages.error(request, f"月份“{request.GET.get('month', '')[:20]}”无效（应为 YYYY-MM），未生成排名通报。")
        return redirect(back)
    return _download(
        request,
        kind="ranking-notice",
        jurisdiction=jurisdiction,
        file_name=f"督查事项月排名通报-{jurisdiction.name}-{month}.docx",
        back=f"{back}?j={jurisdiction.code}&month={month}",
        month=month,
    )


@login_required
@require_GET
def assessment_document(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_assessment_document(request.user, jurisdiction))
    requested = request.GET.get("year", "")
    year = parse_year(requested)
    back = reverse("assessment")
    if year is None:
        messages.error(request, f"年份“{requested[:20]}”无效（应为四位年份），未生成考核情况表。")
        return redirect(back)
    return _download(
        request,
        kind="assessment",
        jurisdiction=jurisdiction,
        file_name=f"年度综合目标考核-{jurisdiction.name}-{year}.docx",
        back=f"{back}?year={year}",
        year=year,
    )


@login_required
@require_GET
def templates_page(request: HttpRequest) -> HttpResponse:
    """The jurisdiction's Word templates: each kind's current file (its own or the shipped one) to download,
    and a replacement to upload (rendered once with sample data before it is saved)."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_templates_manage(request.user, jurisdiction))
    rows = [
        {
            "name": name,
            "label": label,
            "own": template_path(jurisdiction, name).parent == jurisdiction_folder(jurisdiction),
        }
        for name, (label, _) in SAMPLES.items()
    ]
    return render(request, "reports/templates.html", {"jurisdiction": jurisdiction, "rows": rows})


@login_required
@require_GET
def template_download(request: HttpRequest, name: str) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_templates_manage(request.user, jurisdiction))
    if name not in SAMPLES:
        raise Http404("没有这个公文模板")
    path = template_path(jurisdiction, name)
    return attachment(path.read_bytes(), f"{jurisdiction.code}-{name}")


@login_required
@require_POST
def template_replace(request: HttpRequest, name: str) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_templates_manage(request.user, jurisdiction))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的 .docx 模板文件。")
        return redirect("documents:templates")
    if upload.size > TEMPLATE_MAX_BYTES:
        messages.error(request, f"上传的模板超过 {TEMPLATE_MAX_BYTES // (1024 * 1024)} MB。")
        return redirect("documents:templates")
    try:
        document_template_replace(actor=request.user, jurisdiction=jurisdiction, template=name, content=upload.read())
    except ExportError as error:
        messages.error(request, f"未替换模板：{error}")
    else:
        messages.success(request, f"已替换{jurisdiction.name}的公文模板 {name}。")
    return redirect("documents:templates")
