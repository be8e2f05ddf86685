"""Pages. Thin: they pick what to show from the request and read it through selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from duban.accounts.models import Jurisdiction
from duban.accounts.selectors import jurisdiction_default, jurisdiction_get
from duban.scoring.selectors import is_month, monthly_ranking, months_with_data


def home(request: HttpRequest) -> HttpResponse:
    """The monthly ranking (督查事项月排名积分) of a jurisdiction, latest month with data by default."""
    jurisdiction = _jurisdiction(request.GET.get("j", ""))
    context: dict = {"jurisdiction": jurisdiction, "jurisdictions": Jurisdiction.objects.order_by("pk")}
    if jurisdiction is not None:
        months = months_with_data(jurisdiction)
        requested = request.GET.get("month", "")
        month = requested if is_month(requested) else (months[0] if months else timezone.localdate().strftime("%Y-%m"))
        context.update(month=month, months=months, rows=monthly_ranking(jurisdiction, month))
    return render(request, "web/home.html", context)


def _jurisdiction(code: str) -> Jurisdiction | None:
    if code:
        found = jurisdiction_get(code=code)
        if found is not None:
            return found
    return jurisdiction_default() or Jurisdiction.objects.order_by("pk").first()
