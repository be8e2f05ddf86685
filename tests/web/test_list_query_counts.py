"""Every list page of the site costs no more queries for four times the rows, and stays under its ceiling.

`PAGES` is the inventory: each page of the site that shows rows of data (the 台账 and its filters, the
ledger's other lists, the cases' lists, the scores, the charts, the 督查通报, every role's workbench, the
admin's changelists, the task page's and the audit log's history, and the workbooks that are the lists
as files), with the role that sees all of it and a ceiling of queries. Each is requested in the two
cities of tests/web/list_world.py — the same page, the same role, one city holding four times the rows
of the other — and must cost at most as many queries in the large city as in the small one (an N+1
shows as a larger count) and no more than its ceiling; the large city's page must show more rows, or
the comparison would prove nothing. `NOT_LISTS` names every other URL of the site with the reason it
is no list, and a test walks the URL resolver so that a new page must be put in one or the other.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.once import built_once
from tests.web.list_world import CODES, TODAY, Side, side_build, superuser_create, supervision_folder


@pytest.fixture(scope="module")
def sides(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small city (k=1), the large one (k=4) and the system administrator, built once, on TODAY."""

    def build():
        small = side_build(k=1, prefix="small-", code=CODES[0], name="甲市")
        large = side_build(k=4, prefix="large-", code=CODES[1], name="乙市")
        return small, large, superuser_create()

    folder = supervision_folder(tmp_path_factory.mktemp("supervision"))
    with override_settings(DUBAN_TODAY=TODAY, DUBAN_SUPERVISION_DIR=str(folder)):
        yield from built_once(django_db_blocker, build)


# --- what a page shows -------------------------------------------------------------------------------


def html_rows(response) -> int:
    """The table rows and list items of the page's main part (the frame's header is the same in both)."""
    text = response.content.decode()
    start, end = text.find("<main"), text.rfind("</main>")
    if start >= 0 and end > start:
        text = text[start:end]
    return len(re.findall(r"<tr[\s>]", text)) + len(re.findall(r"<li[\s>]", text))


def xlsx_rows(response) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    return sum(sheet.max_row for sheet in workbook.worksheets)


def docx_rows(response) -> int:
    import docx

    content = b"".join(response.streaming_content) if response.streaming else response.content
    return sum(len(table.rows) for table in docx.Document(io.BytesIO(content)).tables)


def context_rows(*keys: str) -> Callable:
    """How many rows the view handed its template under ``keys`` (dotted: ``score.deductions``)."""

    def rows(response) -> int:
        total = 0
        for key in keys:
            first, *rest = key.split(".")
            value = response.context[first]
            for name in rest:
                value = getattr(value, name)
            total += len(value)
        return total

    return rows


def workbench_figures(response) -> int:
    """The system administrator's workbench has no rows of its own: its cards count the jurisdiction's."""
    return sum(card["count"] for panel in response.context["panels"] for card in panel.get("cards", []))


def tongbao_figures(response) -> int:
    """The overview's rows are the five cycles: what grows is what they count (在账, 红灯, 督办单 …)."""
    return sum(figure.value or 0 for row in response.context["rows"] for figure in row["figures"])


@dataclass(frozen=True)
class Page:
    id: str  # the page in words (the test's id)
    name: str  # its URL pattern's name
    role: str  # who sees everything on it: a key of Side.users, "admin" or "anonymous"
    path: Callable[[Side], str]
    ceiling: int
    rows: Callable = html_rows
    xfail: str = ""  # an N+1 in an app another part of issue 13 works on (strict: it fails once fixed)
    per_page: tuple[str, str, int] | None = None  # (module, name, size): a smaller page, so both cities have a page 2
    writes_once: bool = False  # its first request writes (a 发文字号 taken): both cities are requested once first


def url(name: str, *args, query: str = ""):
    return lambda side: (
        reverse(name, args=[arg(side) if callable(arg) else arg for arg in args])
        + (f"?{query.format(side=side)}" if query else "")
    )


ADMIN_SCOPED = [  # the clerk's own jurisdiction's rows (ScopedByJurisdiction)
    "accounts_unit",
    "accounts_person",
    "accountability_matter",
    "accountability_decision",
    "accountability_case",
    "accountability_appeal",
    "accountability_referral",
    "accountability_rectificationitem",
    "ledger_notificationchannel",
    "ledger_delivery",
    "ledger_gazetteissue",
    "ledger_document",
    "ledger_task",
    "ledger_progressreport",
    "ledger_supervisionorder",
    "ledger_reminder",
    "ledger_extensionrequest",
    "ledger_closurerequest",
    "ledger_deadlinechange",
    "scoring_consequenceentry",
]


# Changelists whose rows read more per row (an N+1 named, the test xfail strict until it is fixed).
ADMIN_ELSEWHERE: dict[str, str] = {}  # admin changelists with a known N+1: none left (issue 13)

PAGES: list[Page] = [
    # 督查台账 (duban/ledger)
    Page("台账", "ledger:tasks", "office", url("ledger:tasks"), 15),
    Page("台账·搜索", "ledger:tasks", "office", url("ledger:tasks", query="q=重点任务"), 15),
    Page("台账·状态", "ledger:tasks", "office", url("ledger:tasks", query="standing=overdue"), 15),
    Page("台账·亮灯", "ledger:tasks", "office", url("ledger:tasks", query="light=red"), 15),
    Page("台账·单位", "ledger:tasks", "office", url("ledger:tasks", query="unit={side.unit.pk}"), 20),
    Page("台账·来源", "ledger:tasks", "office", url("ledger:tasks", query="source=instruction"), 15),
    Page(
        "台账·第2页",
        "ledger:tasks",
        "office",
        url("ledger:tasks", query="page=2"),
        15,
        per_page=("duban.ledger.views", "TASKS_PER_PAGE", 15),
    ),
    Page("台账·联络员", "ledger:tasks", "liaison", url("ledger:tasks"), 15),
    Page("台账·二级督查", "ledger:tasks", "erji", url("ledger:tasks"), 15),
    Page("公文审核", "ledger:review", "office", url("ledger:review"), 20),
    Page("公文库", "ledger:library", "office", url("ledger:library"), 15, rows=context_rows("rows")),
    Page(
        "公文库·搜索", "ledger:library", "office", url("ledger:library", query="q=正文"), 15, rows=context_rows("rows")
    ),
    Page("公文库·期", "ledger:library_issues", "office", url("ledger:library_issues"), 10),
    Page("公文库·一期", "ledger:library_issue", "office", url("ledger:library_issue", lambda s: s.big_issue.pk), 15),
    Page(
        "公文库·一文",
        "ledger:library_document",
        "office",
        url("ledger:library_document", lambda s: s.drafts_document.pk),
        15,
    ),
    Page("任务页", "ledger:task", "office", url("ledger:task", lambda s: s.report_task.pk), 60),
    Page("督办单", "ledger:orders", "office", url("ledger:orders"), 10),
    Page("督办单·联络员", "ledger:orders", "liaison", url("ledger:orders"), 10),
    Page("提醒·联络员", "ledger:reminders", "liaison", url("ledger:reminders", query="all=1&q=批示任务"), 15),
    Page("提醒·督查室", "ledger:reminders", "office", url("ledger:reminders", query="all=1"), 15),
    Page("签收", "ledger:acknowledgements", "office", url("ledger:acknowledgements"), 10),
    Page("签收·联络员", "ledger:acknowledgements", "liaison", url("ledger:acknowledgements"), 10),
    Page("延期申请", "ledger:extensions", "office", url("ledger:extensions"), 10),
    Page("办结申请", "ledger:closures", "office", url("ledger:closures"), 15),
    Page("漏报进度", "ledger:missed_reports", "office", url("ledger:missed_reports"), 10),
    Page(
        "任务分解表预览",
        "ledger:workbook_preview",
        "office",
        url("ledger:workbook_preview", lambda s: s.workbook_token),
        15,
    ),
    Page("台账·导出", "ledger:workbook_export", "office", url("ledger:workbook_export"), 15, rows=xlsx_rows),
    # 问责 (duban/accountability: its N+1s are another part's)
    Page("问责案件", "accountability:cases", "office", url("accountability:cases"), 20),
    Page(
        "问责案件页",
        "accountability:case_detail",
        "office",
        url("accountability:case_detail", lambda s: s.history_case.pk),
        25,
    ),
    Page("问责案件·待我办理", "accountability:cases", "erji", url("accountability:cases", query="mine=1"), 15),
    Page(
        "我的问责决定",
        "accountability:my_decisions",
        "party",
        url("accountability:my_decisions"),
        15,
        rows=context_rows("rows"),
    ),
    Page(
        "我的问责决定·联络员",
        "accountability:my_decisions",
        "liaison",
        url("accountability:my_decisions"),
        15,
        rows=context_rows("rows"),
    ),
    Page("申诉复核", "accountability:appeals", "committee", url("accountability:appeals"), 15),
    Page("移送处理", "accountability:referrals", "office", url("accountability:referrals"), 15),
    Page(
        "整改事项",
        "accountability:rectifications",
        "office",
        url("accountability:rectifications"),
        15,
        rows=context_rows("items", "missing"),
    ),
    Page(
        "整改事项·联络员",
        "accountability:rectifications",
        "liaison",
        url("accountability:rectifications"),
        10,
        rows=context_rows("items"),
    ),
    # 排名, 考核, 得分 (duban/scoring, the frame)
    Page("月排名", "home", "office", url("home"), 15),
    Page("月排名·公众", "home", "anonymous", url("home", query="j={side.city.code}"), 10),
    Page("公开曝光", "exposures", "anonymous", url("exposures", query="j={side.city.code}"), 10),
    Page("年度考核", "assessment", "office", url("assessment", query="year=2020"), 15),
    Page(
        "单位得分·月",
        "scoring:unit_score",
        "office",
        url("scoring:unit_score", lambda s: s.unit.pk, "2020-06"),
        20,
        rows=context_rows("score.deductions", "score.reversed", "score.other"),
    ),
    Page(
        "单位得分·年",
        "scoring:unit_score",
        "office",
        url("scoring:unit_score", lambda s: s.unit.pk, "2020"),
        25,
        rows=context_rows("score.deductions", "score.reversed", "score.other"),
    ),
    Page(
        "我的结果",
        "scoring:my_consequences",
        "party",
        url("scoring:my_consequences"),
        20,
        rows=context_rows("mine.lines", "mine.decisions", "mine.referrals"),
    ),
    Page(
        "月排名·Excel",
        "score_exports:ranking",
        "office",
        url("score_exports:ranking", query="month=2020-06"),
        15,
        rows=xlsx_rows,
    ),
    Page(
        "年度考核·Excel",
        "score_exports:assessment",
        "office",
        url("score_exports:assessment", query="year=2020"),
        25,
        rows=xlsx_rows,
    ),
    Page("人事·Excel", "score_exports:hr", "office", url("score_exports:hr", query="year=2020"), 15, rows=xlsx_rows),
    Page(
        "月排名通报·Word",
        "documents:ranking_notice",
        "office",
        url("documents:ranking_notice", query="month=2020-06"),
        15,
        rows=docx_rows,
        writes_once=True,
    ),
    Page(
        "年度考核·Word",
        "documents:assessment",
        "office",
        url("documents:assessment", query="year=2020"),
        20,
        rows=docx_rows,
        writes_once=True,
    ),
    # 统计图表 (duban/dashboards)
    Page("统计图表", "dashboards:office", "office", url("dashboards:office", query="year=2020"), 35),
    Page(
        "统计图表·Excel",
        "dashboards:statistics-xlsx",
        "office",
        url("dashboards:statistics-xlsx", query="year=2020"),
        35,
        rows=xlsx_rows,
    ),
    Page("单位统计", "dashboards:unit", "liaison", url("dashboards:unit", lambda s: s.unit.pk, query="year=2020"), 30),
    # 督查通报 (duban/reports)
    Page("督查通报", "reports:tongbao", "office", url("reports:tongbao"), 85, rows=tongbao_figures),
    # A cycle's list: its rows are periods (of time, the same in both cities; 12 a page, each read in a fixed
    # number of queries); what grows is what the periods count.
    Page(
        "督查通报·周",
        "reports:tongbao",
        "office",
        url("reports:tongbao", query="cycle=week"),
        105,
        rows=tongbao_figures,
    ),
    Page("督查通报·年", "reports:tongbao_period", "office", url("reports:tongbao_period", "2020"), 30),
    Page(
        "督查通报·Excel",
        "reports:tongbao_download",
        "office",
        url("reports:tongbao_download", "2020", "xlsx"),
        30,
        rows=xlsx_rows,
    ),
    # 工作台 (duban/web, with every app's panel)
    Page("工作台·督查室", "workbench", "office", url("workbench"), 35),
    Page("工作台·二级督查", "workbench", "erji", url("workbench"), 20),
    Page("工作台·一级督查", "workbench", "yiji", url("workbench"), 20),
    Page("工作台·副总督查", "workbench", "fuzong", url("workbench"), 20),
    Page("工作台·总督查", "workbench", "zongducha", url("workbench"), 20),
    Page("工作台·委员会", "workbench", "committee", url("workbench"), 25),
    Page("工作台·联络员", "workbench", "liaison", url("workbench"), 40),
    Page("工作台·承办人员", "workbench", "party", url("workbench"), 35),
    Page("工作台·分管领导", "workbench", "leader", url("workbench"), 35),
    Page(
        "工作台·系统管理员",
        "workbench",
        "admin",
        url("workbench", query="j={side.city.code}"),
        30,
        rows=workbench_figures,
    ),
    # the admin: the clerk's changelists, and the administrator's
    *[
        Page(
            f"admin·{model}",
            f"admin:{model}_changelist",
            "office",
            url(f"admin:{model}_changelist"),
            15,
            xfail=ADMIN_ELSEWHERE.get(model, ""),
        )
        for model in ADMIN_SCOPED
    ],
    Page(
        "admin·accounts_jurisdiction",
        "admin:accounts_jurisdiction_changelist",
        "admin",
        url("admin:accounts_jurisdiction_changelist", query="parent__id__exact={side.city.pk}"),
        15,
    ),
    Page(
        "admin·auth_user",
        "admin:auth_user_changelist",
        "admin",
        url("admin:auth_user_changelist", query="q={side.prefix}"),
        15,
    ),
    Page(
        "admin·操作记录",
        "admin:accounts_auditlog_changelist",
        "admin",
        url("admin:accounts_auditlog_changelist", query="actor__id__exact={side.users[office].pk}&action=order_issue"),
        15,
    ),
]


def _params() -> list:
    return [
        pytest.param(page, id=page.id, marks=[pytest.mark.xfail(strict=True, reason=page.xfail)] if page.xfail else [])
        for page in PAGES
    ]


def _user(sides, side: Side, role: str):
    if role == "admin":
        return sides[2]
    return None if role == "anonymous" else side.users[role]


def _sign_in(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def _get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.parametrize("page", _params())
def test_the_page_costs_no_more_queries_for_four_times_the_rows(
    client, db, sides, page, django_assert_max_num_queries, monkeypatch
):
    small, large, _ = sides
    if page.per_page is not None:
        module, name, size = page.per_page
        monkeypatch.setattr(f"{module}.{name}", size)
    users = {side.k: _user(sides, side, page.role) for side in (small, large)}
    # The small city once first, so that whatever a process reads once is read; the large one not (what it
    # would read once then counts against it, never for it), unless the first request writes.
    for side in (small, large) if page.writes_once else (small,):
        _sign_in(client, users[side.k])
        _get(client, page.path(side))
    _sign_in(client, users[small.k])
    with django_assert_max_num_queries(page.ceiling) as at_n:
        shown_small = page.rows(_get(client, page.path(small)))
    _sign_in(client, users[large.k])
    with django_assert_max_num_queries(len(at_n)):
        shown_large = page.rows(_get(client, page.path(large)))
    assert shown_large > shown_small > 0, "the large city must show more rows, or the counts prove nothing"


# --- the inventory is the site's: every named URL is a list page above, or says why it is none -------------

# Every other page of the site (pattern name → why it is no list). A new page is put here or in PAGES.
NOT_LISTS = {
    "healthz": "the health check (reads no database)",
    "login": "the sign-in form",
    "logout": "signs out",
    "password_change": "a form",
    "password_change_done": "a message",
    "ledger:task_edit": "a form of one draft",
    "ledger:task_confirm": "POST: confirms one draft",
    "ledger:task_reject": "POST: rejects one draft",
    "ledger:document_confirm": "POST: confirms one document's drafts",
    "ledger:workbook_upload": "the upload form",
    "ledger:workbook_import": "POST: imports a previewed sheet (its rows are the preview's, in PAGES)",
    "ledger:task_open": "the 立项 form",
    "ledger:report": "a form: one unit's report on one task",
    "ledger:task_watch": "POST: 关注",
    "ledger:task_instruct": "a form: one 批示",
    "ledger:assign": "a form: one task's 交办 and its own deadlines",
    "ledger:deadline_add": "POST: one deadline",
    "ledger:deadline_move": "POST: one deadline",
    "ledger:task_done": "POST: 办结",
    "ledger:order_issue": "a form: one 督办单",
    "ledger:order": "one 督办单",
    "ledger:order_answer": "a form: one answer",
    "ledger:supervision_settings": "the jurisdiction's 督办设置, read from its file",
    "ledger:reminder_read": "POST: one reminder read",
    "ledger:reminders_read_all": "POST: marks all read",
    "ledger:attachment": "a file",
    "ledger:source_attachment": "a file",
    "ledger:acknowledge": "POST: one 签收",
    "ledger:extension_new": "a form, with the task's own few requests",
    "ledger:extension": "one 延期申请",
    "ledger:closure_new": "a form, with the task's own few requests",
    "ledger:closure": "one 办结申请",
    "ledger:closure_attachment": "a file",
    "ledger:upload": "the upload form, with the last ten jobs (a fixed number)",
    "ledger:upload_job": "one upload job",
    "ledger:upload_job_status": "one upload job's state (JSON)",
    "accountability:rulebook": "the 办法 in force, read from the rulebook's files",
    "accountability:case_new": "the 立案 form",
    "accountability:exemption_new": "the 容错免责 form",
    "accountability:case_open_from_task": "立案 from one task",
    "accountability:case_edit": "a form: one case's 调查核实",
    "accountability:case_agree": "POST: one step",
    "accountability:case_return": "POST: one step",
    "accountability:case_withdraw": "POST: one case",
    "accountability:case_letter_issue": "POST: one 意见书",
    "accountability:case_letter_received": "POST: one 意见书",
    "accountability:decision_import": "the 历史导入 form",
    "accountability:decision_letter": "one 意见书",
    "accountability:appeal_file": "a form: one appeal",
    "accountability:appeal_decide": "a form: one appeal",
    "accountability:referral_new": "a form: one referral",
    "accountability:referral_result": "a form: one referral's result",
    "accountability:rectification_new": "a form: one item",
    "accountability:rectification_report": "a form: one item",
    "accountability:rectification_review": "a form: one item",
    "dashboards:my-unit": "redirects to the unit's page (dashboards:unit, in PAGES)",
    "scoring:unit_score_latest": "redirects to the unit's month (scoring:unit_score, in PAGES)",
    "documents:order": "one 督办单 as Word",
    "documents:opinion_letter": "one 意见书 as Word",
    "documents:criticism_notice": "one decision's notice as Word",
    "documents:templates": "the fixed kinds of 公文模板",
    "documents:template": "a file",
    "documents:template_replace": "POST: one template",
    "admin:index": "the models of the admin (fixed)",
    "admin:app_list": "one app's models (fixed)",
    "admin:login": "the admin's sign-in form",
    "admin:logout": "signs out",
    "admin:password_change": "a form",
    "admin:password_change_done": "a message",
    "admin:jsi18n": "the admin's script catalogue",
    "admin:autocomplete": "a select box's search, paginated by Django (its querysets are the changelists')",
    "admin:view_on_site": "a redirect",
    "admin:auth_group_changelist": "the eight role groups of duban.accounts.roles (fixed)",
    "admin:axes_accessattempt_changelist": "django-axes' own records of failed sign-ins (no foreign key shown)",
    "admin:axes_accesslog_changelist": "django-axes' own records of sign-ins (no foreign key shown)",
    "admin:axes_accessfailurelog_changelist": "django-axes' own records of failed sign-ins (no foreign key shown)",
}
# The admin's pages of one row: its add, change and delete forms, and Django's history of its admin edits
# (LogEntry, one object's; duban's own history is the audit log, admin:accounts_auditlog_changelist in PAGES).
ADMIN_ONE_ROW = ("_add", "_change", "_delete", "_history", "_password_change")


def _names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_page_of_the_site_is_in_the_inventory_or_says_why_it_is_no_list():
    names = set(_names(get_resolver().url_patterns))
    assert "ledger:tasks" in names and "admin:ledger_task_changelist" in names and len(names) > 150
    listed = {page.name for page in PAGES}
    one_row = {n for n in names if n.startswith("admin:") and n.endswith(ADMIN_ONE_ROW) and n not in NOT_LISTS}
    unaccounted = names - listed - set(NOT_LISTS) - one_row
    assert unaccounted == set(), "put each in PAGES (a list: its query counts) or in NOT_LISTS (with the reason)"
    assert listed & set(NOT_LISTS) == set()
    assert (listed | set(NOT_LISTS)) - names == set(), "no longer pages of the site"


def test_every_changelist_of_the_admin_is_in_the_inventory():
    """A model registered in the admin has a list page: it is measured, or NOT_LISTS says why not."""
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        assert name in {page.name for page in PAGES} | set(NOT_LISTS), name
