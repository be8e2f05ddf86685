"""The annual assessment page (年度综合目标考核（加减分事项）), read from the score ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban import clock, panels
from duban.accounts.access import request_jurisdiction
from duban.inputs import parse_year
from duban.rules.model import CIVILIZED_ACTION_LABELS
from duban.scoring.access import access_assessment, access_personnel_consequences
from duban.scoring.selectors import annual_assessment, person_consequences


@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    if jurisdiction is None or not access_assessment(request.user, jurisdiction):
        raise PermissionDenied("只有督查室和督查人员可以查看年度考核")
    requested = request.GET.get("year", "")
    year = parse_year(requested) or clock.today().year
    if requested and year != parse_year(requested):
        messages.warning(request, f"年份“{requested[:20]}”无效（应为四位年份），显示{year}年的考核。")
    rows = annual_assessment(jurisdiction, year)
    context = {
        "jurisdiction": jurisdiction,
        "year": year,
        "years": list(range(clock.today().year, 2019, -1)),
        "rows": rows,
        "civilized_actions": CIVILIZED_ACTION_LABELS,
        "downloads": panels.build(
            panels.DOWNLOADS, request, page="scoring.assessment", jurisdiction=jurisdiction, year=year
        ),
        "people": person_consequences(jurisdiction, year)
        if access_personnel_consequences(request.user, jurisdiction)
        else None,
    }
    return render(request, "scoring/assessment.html", context)
