"""督查通报 pages: the city's five reporting cycles (周通报、月调度、季分析、半年考评、年度考核), each with its
current and past periods, the figures of a period beside the period before, and one-click Word and Excel
(duban.reports.exports.export_bytes, the same files as `duban export tongbao`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from duban import clock
from duban.accounts.access import request_jurisdiction, require
from duban.reports import exports
from duban.reports.access import access_tongbao, access_tongbao_document
from duban.reports.http import export_download
from duban.reports.periods import CYCLE_REPORTS, parse_period, period_containing
from duban.reports.tongbao import ledger_first_day, periods_figures, periods_of_cycle, tongbao_report, tongbao_reports
from duban.web.paging import paginate

PERIODS_PER_PAGE = 12
LIST_ROWS = 30  # a period's page lists the first rows of each list; the Word and Excel files hold them all
# The figures the overview shows for each cycle's current period (all of them are on a period's page).
OVERVIEW_FIGURES = {
    "tasks": "在账",
    "standing_overdue": "红灯",
    "standing_due_soon": "黄灯",
    "completed": "办结",
    "reports": "报送进展",
    "orders_issued": "督办单",
    "criticisms": "通报批评",
    "exposures": "公开曝光",
}
FORMATS = {"docx": exports.DOCX, "xlsx": exports.XLSX}


def _jurisdiction(request: HttpRequest):
    jurisdiction = request_jurisdiction(request)
    require(jurisdiction is not None and access_tongbao(request.user, jurisdiction))
    return jurisdiction


@login_required
def tongbao_cycles(request: HttpRequest) -> HttpResponse:
    """The five cycles, each with its current period's figures and change; ``?cycle=`` lists a cycle's periods."""
    jurisdiction = _jurisdiction(request)
    today = clock.today()
    first = ledger_first_day(jurisdiction)
    context: dict = {
        "jurisdiction": jurisdiction,
        "cycles": CYCLE_REPORTS,
        "first": first,
        "today": today,
        "word": access_tongbao_document(request.user, jurisdiction),
    }
    cycle = request.GET.get("cycle", "")
    if cycle and cycle not in CYCLE_REPORTS:
        messages.warning(request, f"没有“{cycle[:20]}”这一通报周期，显示全部周期。")
        cycle = ""
    if cycle:
        periods = periods_of_cycle(cycle, first=first or today, today=today)
        page = paginate(request, periods, per_page=PERIODS_PER_PAGE)
        shown = list(page.object_list)
        figures = periods_figures(jurisdiction, shown, today=today)
        rows = [
            {"period": p, "figures": [next(f for f in row if f.key == key) for key in OVERVIEW_FIGURES]}
            for p, row in zip(shown, figures, strict=True)
        ]
        context.update(
            cycle=cycle, cycle_name=CYCLE_REPORTS[cycle], page=page, rows=rows, headers=OVERVIEW_FIGURES.values()
        )
        return render(request, "reports/tongbao_cycle.html", context)
    current = [period_containing(code, today) for code in CYCLE_REPORTS]
    rows = [
        {"cycle": code, "name": name, "report": report, "figures": [report.figure(key) for key in OVERVIEW_FIGURES]}
        for (code, name), report in zip(
            CYCLE_REPORTS.items(), tongbao_reports(jurisdiction, current, today=today), strict=True
        )
    ]
    context.update(rows=rows, headers=OVERVIEW_FIGURES.values())
    return render(request, "reports/tongbao_cycles.html", context)


def _period_or_back(request: HttpRequest, code: str):
    period = parse_period(code)
    if period is None:
        messages.error(request, f"通报期间“{code[:20]}”无法识别，应为 2020-W16、2020-04、2020-Q2、2020-H1 或 2020。")
    elif period.start > clock.today():
        messages.error(request, f"{period.label}尚未开始，不能生成{period.report_name}。")
        period = None
    return period


@login_required
def tongbao_period(request: HttpRequest, code: str) -> HttpResponse:
    """One period's 督查通报: every figure beside the previous period's, the lists, the downloads."""
    jurisdiction = _jurisdiction(request)
    period = _period_or_back(request, code)
    if period is None:
        return redirect("reports:tongbao")
    report = tongbao_report(jurisdiction, period, limit=LIST_ROWS)
    cycle_periods = reverse("reports:tongbao") + f"?cycle={period.cycle}"
    return render(
        request,
        "reports/tongbao_period.html",
        {
            "jurisdiction": jurisdiction,
            "report": report,
            "period": period,
            "cycle_periods": cycle_periods,
            "word": access_tongbao_document(request.user, jurisdiction),
        },
    )


@login_required
def tongbao_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The period's 督查通报 as Word (docx) or its figures and lists as Excel (xlsx): one GET, one file."""
    jurisdiction = _jurisdiction(request)
    period = _period_or_back(request, code)
    if period is None:
        return redirect("reports:tongbao")
    if fmt not in FORMATS:
        messages.error(request, f"不能下载为“{fmt[:10]}”格式，可下载 Word（docx）或 Excel（xlsx）。")
        return redirect("reports:tongbao_period", code=period.code)
    suffix = FORMATS[fmt]
    if suffix == exports.DOCX:
        require(access_tongbao_document(request.user, jurisdiction))
    request_ = exports.ExportRequest(
        kind=exports.kind_named("tongbao"), jurisdiction=jurisdiction, period=period.code, actor=request.user
    )
    name = f"{jurisdiction.name}{period.label}督查通报（{period.report_name}）{suffix}"
    back = reverse("reports:tongbao_period", kwargs={"code": period.code})
    return export_download(request, request_, file_name=name, back=back, failure="")
