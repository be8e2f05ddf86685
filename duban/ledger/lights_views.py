"""漏报进度: the office's page of the reports its tasks' lead units owed for one period and did not make
(duban.ledger.missed, the rule of duban.ledger.lights.missed_reports), one period at a time, paginated in SQL."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban import clock
from duban.accounts.access import request_jurisdiction, require
from duban.ledger import access, lights, missed
from duban.ledger.models import ReportingCycle
from duban.ledger.supervision import settings_for
from duban.web.paging import paginate

PER_PAGE = 30


@login_required
def missed_reports(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access.access_missed_reports(request.user, jurisdiction))
    today = clock.today()
    thresholds = settings_for(jurisdiction)
    choices = lights.recent_periods(today, thresholds.report_grace_days)
    requested = request.GET.get("period", "").strip()[:12]
    chosen = lights.period_parse(requested) if requested else None
    if requested and chosen is None:
        messages.warning(request, f"报送期无效（“{requested}”），显示最近截止的月度报送期。")
    elif chosen is not None and chosen[1].end + dt.timedelta(days=thresholds.report_grace_days) >= today:
        messages.warning(request, f"{chosen[1].label}的报送尚未截止，显示最近截止的月度报送期。")
        chosen = None
    if chosen is None:
        chosen = (ReportingCycle.MONTHLY, choices[ReportingCycle.MONTHLY][0])
    cycle, period = chosen
    rows = missed.missed_reports(access.tasks_visible(request.user, jurisdiction), cycle=cycle, period=period)
    page = paginate(request, rows.values_list("pk", flat=True), per_page=PER_PAGE)  # keys: sorted whole, narrow
    return render(
        request,
        "ledger/missed_reports.html",
        {
            "jurisdiction": jurisdiction,
            "period": period,
            "cycle_label": ReportingCycle(cycle).label,
            "due": period.end + dt.timedelta(days=thresholds.report_grace_days),
            "choices": [(ReportingCycle(c).label, periods) for c, periods in choices.items()],
            "page": page,
            "rows": missed.missed_page_rows(page.object_list),
            "thresholds": thresholds,
            "today": today,
        },
    )
