"""The score pages, read from the score ledger: the annual assessment (年度综合目标考核（加减分事项）), a unit's
score for a month or a year with every deduction behind it (单位得分明细), a person's own consequences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from duban import clock, panels
from duban.accountability.rulebooks import rulebook_in_force_or_none
from duban.accounts.access import person_of, request_jurisdiction, require
from duban.accounts.models import Unit
from duban.inputs import parse_month, parse_year
from duban.scoring.access import (
    access_assessment,
    access_own_consequences,
    access_personnel_consequences,
    access_unit_scores_by_id,
    decision_page_for,
    units_scores_readable,
)
from duban.scoring.selectors import (
    ConsequenceLine,
    annual_assessment_rows,
    annual_assessment_units,
    latest_month_with_data,
    months_with_data,
    own_consequences,
    people_with_consequences,
    person_consequences_of,
    unit_month_score,
    unit_year_score,
)
from duban.web.paging import paginate

UNITS_PER_PAGE = 50
PEOPLE_PER_PAGE = 50


@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    jurisdiction = request_jurisdiction(request)
    if jurisdiction is None or not access_assessment(request.user, jurisdiction):
        raise PermissionDenied("只有督查室和督查人员可以查看年度考核")
    requested = request.GET.get("year", "")
    year = parse_year(requested) or clock.today().year
    if requested and year != parse_year(requested):
        messages.warning(request, f"年份“{requested[:20]}”无效（应为四位年份），显示{year}年的考核。")
    # The units a page at a time, ranked by the database; the people likewise, on their own pager.
    units_page = paginate(request, annual_assessment_units(jurisdiction, year), per_page=UNITS_PER_PAGE)
    rows = annual_assessment_rows(jurisdiction, year, units_page.object_list)
    context = {
        "units_page": units_page,
        # Each row links to the unit's score page where the reader may read it (its own supervisors').
        "readable": units_scores_readable(request.user, jurisdiction, [row.unit for row in rows]),
        "jurisdiction": jurisdiction,
        "year": year,
        "years": list(range(clock.today().year, 2019, -1)),
        "rows": rows,
        "downloads": panels.build(
            panels.DOWNLOADS, request, page="scoring.assessment", jurisdiction=jurisdiction, year=year
        ),
        "people": None,  # not for this reader
    }
    if access_personnel_consequences(request.user, jurisdiction):
        # 个人结果运用, a page of people at a time (a province's city: thousands), in SQL.
        page = paginate(
            request, people_with_consequences(jurisdiction, year), per_page=PEOPLE_PER_PAGE, param="people_page"
        )
        context["people_page"] = page
        context["people"] = person_consequences_of(jurisdiction, year, page.object_list)
    return render(request, "scoring/assessment.html", context)


# --- why a unit's score: its month and its year, every deduction with its decision and article ------------


def _default_month(unit: Unit) -> str:
    return latest_month_with_data(unit.jurisdiction) or clock.today().strftime("%Y-%m")


def _with_links(user, lines: list[ConsequenceLine]) -> list[ConsequenceLine]:
    """Each line's decision page where this reader may follow it (the case page, or the 意见书), else none."""
    for line in lines:
        target = decision_page_for(user, line.decision)
        if target is None:
            line.link = ""
        elif target[0] == "case":
            line.link = reverse("accountability:case_detail", args=[target[1]])
        else:
            line.link = reverse("accountability:decision_letter", args=[target[1]])
    return lines


@login_required
def unit_score(request: HttpRequest, unit_id: int, period: str | None = None) -> HttpResponse:
    """单位得分明细: a unit's 月排名积分 (``period`` YYYY-MM) or 年度综合目标考核 (YYYY), with every deduction
    in force behind it, each traced to its decision, case number, method, article and rulebook parameter."""
    unit = access_unit_scores_by_id(request.user, unit_id)
    if period is None:
        return redirect("scoring:unit_score", unit_id=unit.pk, period=_default_month(unit))
    month = parse_month(period)
    year = parse_year(period) if month is None else None
    if month is None and year is None:
        fallback = _default_month(unit)
        messages.warning(
            request, f"“{period[:20]}”不是有效的月份或年份（应为 YYYY-MM 或 YYYY 四位年份），显示{fallback}的得分。"
        )
        return redirect("scoring:unit_score", unit_id=unit.pk, period=fallback)
    score = unit_month_score(unit, month) if month else unit_year_score(unit, year)
    _with_links(request.user, score.deductions + score.reversed + score.other)
    this_year = int(period[:4])
    context = {
        "unit": unit,
        "score": score,
        "month": month,
        "year": this_year,
        "months": sorted(m for m in months_with_data(unit.jurisdiction) if m.startswith(f"{this_year}-"))
        if month
        else [],
        "historical_label": "历史导入",
        "can_read_assessment": access_assessment(request.user, unit.jurisdiction),
    }
    return render(request, "scoring/unit_score.html", context)


# --- a person's own consequences ----------------------------------------------------------------------


@login_required
def my_consequences(request: HttpRequest) -> HttpResponse:
    """我的问责结果: the signed-in person's own consequences (平时考核奖 months, 优秀等次, a supervisor's 约谈 or
    书面说明), each with its decision and article, the decisions that name them with the appeal window
    (第八条第（三）项, counted from the 意见书's receipt) and the referrals that concern them."""
    require(access_own_consequences(request.user))
    person = person_of(request.user)
    mine = own_consequences(person)
    _with_links(request.user, mine.lines)
    rulebook = rulebook_in_force_or_none(person.jurisdiction, clock.today())
    context = {
        "person": person,
        "mine": mine,
        "today": clock.today(),
        "appeal_window": rulebook.param("appeal.window_days") if rulebook and rulebook.has_appeal else None,
    }
    return render(request, "scoring/my_consequences.html", context)
