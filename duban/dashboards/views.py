"""统计图表: the office's and leaders' charts, a unit's own page, and the Excel of the figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from duban import clock
from duban.accounts.access import request_jurisdiction, require
from duban.dashboards import access
from duban.dashboards.charts import office_dashboard, unit_dashboard
from duban.dashboards.exports import statistics_as_of
from duban.inputs import parse_year
from duban.reports.exports import ExportRequest, kind_named
from duban.reports.http import export_download

FIRST_YEAR = 2020


def _year(request: HttpRequest) -> int:
    requested = request.GET.get("year", "")
    year = parse_year(requested) if requested else None
    today = clock.today()
    if requested and (year is None or year > today.year):
        messages.warning(
            request, f"年份“{requested[:20]}”无效（应为{FIRST_YEAR}至{today.year}年），显示{today.year}年。"
        )
        year = None
    return year or today.year


def _years() -> list[int]:
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


@login_required
def office(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_dashboard(request.user, jurisdiction))
    year = _year(request)
    dashboard = office_dashboard(jurisdiction, year, statistics_as_of(year))
    context = {"jurisdiction": jurisdiction, "dashboard": dashboard, "years": _years(), "year": year}
    return render(request, "dashboards/office.html", context)


@login_required
def office_xlsx(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_dashboard(request.user, jurisdiction))
    year = parse_year(request.GET.get("year", "")) or clock.today().year
    export = ExportRequest(kind=kind_named("statistics"), jurisdiction=jurisdiction, year=year, actor=request.user)
    name = f"统计图表数据-{jurisdiction.name}-{year}年.xlsx"
    return export_download(request, export, file_name=name, back=reverse("dashboards:office"), failure="")


@login_required
def my_unit(request: HttpRequest) -> HttpResponse:
    unit = access.own_unit(request.user)
    require(unit is not None)
    return redirect("dashboards:unit", unit_id=unit.pk)


@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    chosen = access.access_unit_dashboard_by_id(request.user, unit_id)
    year = _year(request)
    dashboard = unit_dashboard(chosen, year, statistics_as_of(year))
    context = {
        "dashboard": dashboard,
        "unit": chosen,
        "years": _years(),
        "year": year,
        "office_reader": access.access_dashboard(request.user, chosen.jurisdiction),
        "can_report": access.access_unit_report(request.user, chosen),
    }
    return render(request, "dashboards/unit.html", context)
