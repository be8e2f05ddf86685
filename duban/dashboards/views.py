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
from duban.dashboards.charts import PAGE_UNITS, office_dashboard, unit_dashboard
from duban.dashboards.exports import statistics_as_of
from duban.dashboards.selectors import due_reports_of, with_light_labels
from duban.inputs import parse_year
from duban.reports.exports import ExportRequest, kind_named
from duban.reports.http import export_download
from duban.web.paging import paginate

FIRST_YEAR = 2020
UNIT_ROWS = 30  # a unit page's lists (its tasks, its reports due) are paged: a unit may lead hundreds


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
    dashboard = office_dashboard(jurisdiction, year, statistics_as_of(year), units_shown=PAGE_UNITS)
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
    overview = dashboard.overview
    tasks_page = paginate(request, overview.listed, per_page=UNIT_ROWS)
    due_page = paginate(request, overview.due, per_page=UNIT_ROWS, param="due_page")
    context = {
        "dashboard": dashboard,
        "overview": overview,
        "tasks_page": tasks_page,
        "tasks": with_light_labels(tasks_page.object_list),
        "due_page": due_page,
        "due_reports": due_reports_of(due_page.object_list, dashboard.as_of),
        "unit": chosen,
        "years": _years(),
        "year": year,
        "office_reader": access.access_dashboard(request.user, chosen.jurisdiction),
        "can_report": access.access_unit_report(request.user, chosen),
    }
    return render(request, "dashboards/unit.html", context)
