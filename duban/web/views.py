"""Pages. Thin: they pick what to show from the request and read it through selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban import clock
from duban.accounts.access import jurisdiction_of, person_of
from duban.accounts.models import Jurisdiction
from duban.accounts.selectors import jurisdiction_default, jurisdiction_get
from duban.ledger import views as ledger_views
from duban.scoring.selectors import is_month, monthly_ranking, months_with_data, public_exposures

# Each app adds the panel it shows on the workbench: (template, context function(request) -> dict | None).
WORKBENCH_PANELS: list[tuple[str, object]] = []
WORKBENCH_PANELS.append(("ledger/panel.html", ledger_views.workbench_panel))


def home(request: HttpRequest) -> HttpResponse:
    """The monthly ranking (督查事项月排名积分) of a jurisdiction, latest month with data by default."""
    jurisdiction = _jurisdiction(request.GET.get("j", ""), request)
    context: dict = {"jurisdiction": jurisdiction, "jurisdictions": Jurisdiction.objects.order_by("pk")}
    if jurisdiction is not None:
        months = months_with_data(jurisdiction)
        requested = request.GET.get("month", "")
        month = requested if is_month(requested) else (months[0] if months else clock.today().strftime("%Y-%m"))
        context.update(
            month=month,
            months=months,
            rows=monthly_ranking(jurisdiction, month),
            # 公开曝光 is public by its nature (第五条第（四）项); the page shows the year's.
            exposures=public_exposures(jurisdiction, int(month[:4])),
        )
    return render(request, "web/home.html", context)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """What the signed-in user has to do, panel by panel (each app contributes its panels)."""
    panels = []
    for template, build in WORKBENCH_PANELS:
        context = build(request)
        if context is not None:
            panels.append({"template": template, **context})
    return render(request, "web/workbench.html", {"person": person_of(request.user), "panels": panels})


def _jurisdiction(code: str, request: HttpRequest) -> Jurisdiction | None:
    if code:
        found = jurisdiction_get(code=code)
        if found is not None:
            return found
    return jurisdiction_of(request.user) or jurisdiction_default() or Jurisdiction.objects.order_by("pk").first()


from duban.accountability.views import workbench_panel as _accountability_panel  # noqa: E402

WORKBENCH_PANELS.append(("accountability/panel.html", _accountability_panel))
