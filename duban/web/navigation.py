"""The site's navigation: each entry names its URL and the roles that see it (None: every signed-in
user; "public": everyone; "person": a signed-in person duban holds consequences, decisions or referrals on).
An entry whose URL is not defined is left out."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from duban.accounts import roles
from duban.accounts.access import person_of, role_names
from duban.dashboards.access import DASHBOARD_READERS, UNIT_DASHBOARD_ROLES
from duban.reports.access import TONGBAO_READERS
from duban.scoring.access import ASSESSMENT_READERS

PUBLIC = "public"
PERSON = "person"

# 上传公文 is on 公文审核 and the 公文库, 立项 and the Excel import on the 台账: the header stays one line.
ENTRIES: list[tuple[str, str, object]] = [
    ("工作台", "workbench", None),
    ("公文审核", "ledger:review", {roles.OFFICE}),
    ("公文库", "ledger:library", {roles.OFFICE}),
    ("督查台账", "ledger:tasks", None),
    ("问责案件", "accountability:cases", None),
    ("月排名", "home", PUBLIC),
    ("公开曝光", "exposures", PUBLIC),
    ("问责办法", "accountability:rulebook", PUBLIC),
    ("年度考核", "assessment", set(ASSESSMENT_READERS)),
    ("督查通报", "reports:tongbao", set(TONGBAO_READERS)),
    ("图表", "dashboards:office", set(DASHBOARD_READERS)),  # 统计图表: two characters keep a leader's header one line
    ("单位统计", "dashboards:my-unit", set(UNIT_DASHBOARD_ROLES)),
    ("提醒", "ledger:reminders", None),
    ("我的结果", "scoring:my_consequences", PERSON),
]


def navigation(request) -> dict:
    user = request.user
    signed_in = user.is_authenticated
    mine = role_names(user)
    items = []
    for label, url_name, who in ENTRIES:
        if who is None and not signed_in:
            continue
        if isinstance(who, set) and not (user.is_superuser or mine & who):
            continue
        if who == PERSON and not _has_own_page(user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": request.path == url})
    return {"nav_items": items, "user_roles": sorted(mine)}


def _has_own_page(user) -> bool:
    """我的结果 is in the header of those it has something for (the page itself answers every person)."""
    from duban.scoring.selectors import person_has_own_consequences

    person = person_of(user)
    return person is not None and person_has_own_consequences(person)


def clock(request) -> dict:
    """The banner of a site that runs on a fixed date (the demo's DUBAN_TODAY), on every page."""
    from duban.clock import fixed_today

    return {"fixed_today": fixed_today()}


def regulation(request) -> dict:
    """The 办法 in force where the request is (its title and 文号), for the pages that cite it."""
    from duban import clock
    from duban.accountability.rulebooks import rulebook_in_force_or_none
    from duban.accounts.access import request_jurisdiction

    jurisdiction = request_jurisdiction(request, public=True)
    rulebook = rulebook_in_force_or_none(jurisdiction, clock.today()) if jurisdiction is not None else None
    return {"regulation": rulebook.data.get("document", {}) if rulebook is not None else {}}
