"""One-click downloads of the score workbooks (GET, through duban.reports.exports.export_bytes): the monthly
ranking and the annual assessment with every deduction, and the HR office's sheet. A bad month or year, or a
writer's refusal, is a Chinese message on the page the link came from, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from duban.accounts.access import request_jurisdiction, require
from duban.inputs import parse_month, parse_year
from duban.reports.access import access_hr_workbook, access_score_workbooks
from duban.reports.exports import ExportRequest, kind_named
from duban.reports.http import export_download


def _download(request: HttpRequest, kind: str, file_name: str, back: str, **subject) -> HttpResponse:
    jurisdiction = subject.pop("jurisdiction")
    export = ExportRequest(kind=kind_named(kind), jurisdiction=jurisdiction, actor=request.user, **subject)
    return export_download(request, export, file_name=file_name, back=back)


@login_required
def ranking_workbook(request: HttpRequest) -> HttpResponse:
    """督查事项月排名积分 of ``?month=YYYY-MM``: 排名 and 扣分明细."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access_score_workbooks(request.user, jurisdiction))
    back = f"{reverse('home')}?j={jurisdiction.code}"
    requested = request.GET.get("month", "")
    month = parse_month(requested)
    if month is None:
        messages.error(request, f"无法导出：月份“{requested[:20]}”无效，应为 YYYY-MM。")
        return redirect(back)
    name = f"{jurisdiction.name}{month}督查事项月排名积分.xlsx"
    return _download(request, "ranking-notice", name, f"{back}&month={month}", jurisdiction=jurisdiction, month=month)


def _year_or_message(request: HttpRequest) -> int | None:
    requested = request.GET.get("year", "")
    year = parse_year(requested)
    if year is None:
        messages.error(request, f"无法导出：年份“{requested[:20]}”无效，应为四位年份。")
    return year


@login_required
def assessment_workbook(request: HttpRequest) -> HttpResponse:
    """年度综合目标考核 of ``?year=YYYY``: 考核, 扣分明细, 其他结果运用."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access_score_workbooks(request.user, jurisdiction))
    back = reverse("assessment")
    year = _year_or_message(request)
    if year is None:
        return redirect(back)
    name = f"{jurisdiction.name}{year}年度综合目标考核（加减分事项）.xlsx"
    return _download(request, "assessment", name, f"{back}?year={year}", jurisdiction=jurisdiction, year=year)


@login_required
def hr_workbook(request: HttpRequest) -> HttpResponse:
    """个人问责结果运用 of ``?year=YYYY``, for the HR office: 人事 and 明细."""
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access_hr_workbook(request.user, jurisdiction))
    back = reverse("assessment")
    year = _year_or_message(request)
    if year is None:
        return redirect(back)
    name = f"{jurisdiction.name}{year}年个人问责结果运用（人事）.xlsx"
    return _download(request, "hr-consequences", name, f"{back}?year={year}", jurisdiction=jurisdiction, year=year)
