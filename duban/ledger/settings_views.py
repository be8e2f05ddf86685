"""督办设置: the jurisdiction's settings for the task's side of supervision (duban/ledger/supervision.py),
as the office wrote them: 签收 window, who approves a 延期, the lights' thresholds, when a report is
missed, the escalation ladder, and the working-day calendar. Read-only: the settings are a file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.accounts.access import request_jurisdiction, require
from duban.ledger import supervision
from duban.ledger.access import access_supervision_settings


@login_required
def supervision_settings(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    require(access_supervision_settings(request.user, jurisdiction))
    calendar = supervision.calendar()
    return render(
        request,
        "ledger/supervision_settings.html",
        {
            "jurisdiction": jurisdiction,
            "settings": supervision.settings_for(jurisdiction),
            "recipients": supervision.RECIPIENTS,
            "calendar_years": calendar.years(),
        },
    )
