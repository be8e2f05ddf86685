"""Pages of the site's frame. Thin: they pick what to show from the request and read it through
selectors; the workbench shows the panels the apps register (duban.panels)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from duban import clock, panels
from duban.accounts import services as accounts_services
from duban.accounts.access import person_of, request_jurisdiction
from duban.accounts.models import Jurisdiction
from duban.inputs import parse_int, parse_month
from duban.scoring.access import units_scores_readable
from duban.scoring.selectors import (
    exposure_years,
    exposures_of,
    monthly_ranking_rows,
    monthly_ranking_units,
    months_with_data,
    public_exposures_count,
    public_exposures_page_query,
)
from duban.web.paging import paginate

RANKING_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    """The monthly ranking (督查事项月排名积分) of a jurisdiction, latest month with data by default."""
    jurisdiction = request_jurisdiction(request, public=True)
    context: dict = {"jurisdiction": jurisdiction, "jurisdictions": Jurisdiction.objects.order_by("pk")}
    if jurisdiction is not None:
        months = months_with_data(jurisdiction)
        requested = request.GET.get("month", "")
        month = parse_month(requested) or (months[0] if months else clock.today().strftime("%Y-%m"))
        if requested and month != requested:
            messages.warning(request, f"月份“{requested}”无效（应为 YYYY-MM），显示{month}的排名。")
        # The ranking a page at a time, ranked by the database (a province's city has hundreds of units).
        page = paginate(request, monthly_ranking_units(jurisdiction, month), per_page=RANKING_PER_PAGE)
        rows = monthly_ranking_rows(jurisdiction, month, page.object_list)
        context.update(
            month=month,
            months=months,
            rows=rows,
            page=page,
            # A unit's name links to why it has its points, for those who may read it (its own people,
            # its supervisors, the office); the ranking itself is public.
            readable=units_scores_readable(request.user, jurisdiction, [row.unit for row in rows]),
            exposure_count=public_exposures_count(jurisdiction, int(month[:4])),
            downloads=panels.build(panels.DOWNLOADS, request, page="web.home", jurisdiction=jurisdiction, month=month),
        )
    return render(request, "web/home.html", context)


EXPOSURES_PER_PAGE = 30


def exposures(request: HttpRequest) -> HttpResponse:
    """公开曝光 (第五条第（四）项), public by its nature: the decisions that expose a unit, by year, with
    the unit, the matter, the date and the article; nothing else of a decision is shown."""
    jurisdiction = request_jurisdiction(request, public=True)
    context: dict = {"jurisdiction": jurisdiction, "jurisdictions": Jurisdiction.objects.order_by("pk")}
    if jurisdiction is not None:
        years = exposure_years(jurisdiction)
        requested = request.GET.get("year", "")
        year = parse_int(requested)
        if requested and year not in years:
            messages.warning(request, f"年份“{requested[:10]}”没有公开曝光，显示全部年份。")
            year = None
        page = paginate(request, public_exposures_page_query(jurisdiction, year), per_page=EXPOSURES_PER_PAGE)
        context.update(years=years, year=year, page=page, exposures=exposures_of(page.object_list))
    return render(request, "web/exposures.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    """The load balancer's and the monitor's check that this process answers: no database, no session,
    no template (also the trivial view the web benchmark compares the pages against)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """What the signed-in user has to do, panel by panel (each app registers its panels)."""
    return render(
        request,
        "web/workbench.html",
        {"person": person_of(request.user), "panels": panels.build(panels.WORKBENCH, request)},
    )


class PasswordChange(auth_views.PasswordChangeView):
    """修改密码, for everyone signed in (Django's view: it asks for the old password and checks the new one
    against the site's rules). The service writes it with an audit row; the session stays signed in."""

    template_name = "web/password_change.html"

    def form_valid(self, form):
        user = accounts_services.user_password_change(
            actor=form.user, user=form.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"
