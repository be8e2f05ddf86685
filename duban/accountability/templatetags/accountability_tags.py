"""Template helpers of the accountability pages: the section's tabs, by what the user may open."""

from __future__ import annotations

from django import template
from django.urls import reverse

from duban.accountability import access
from duban.accounts.access import person_of

register = template.Library()


@register.simple_tag(takes_context=True)
def case_tabs(context) -> list[dict]:
    request = context["request"]
    user = request.user
    person = person_of(user)
    jurisdiction = person.jurisdiction if person is not None else None
    tabs = [("问责案件", "accountability:cases", access.access_cases_page(user))]
    tabs.append(("我的问责决定", "accountability:my_decisions", person is not None))
    if jurisdiction is not None:
        tabs.append(("申诉复核", "accountability:appeals", access.access_appeals_page(user, jurisdiction)))
        tabs.append(("移送处理", "accountability:referrals", access.access_referrals_page(user, jurisdiction)))
    tabs.append(("整改事项", "accountability:rectifications", access.access_rectifications_page(user)))
    items = []
    for label, name, allowed in tabs:
        if allowed:
            url = reverse(name)
            items.append({"label": label, "url": url, "current": request.path == url})
    return items


@register.filter
def join_list(value, sep="、") -> str:
    return sep.join(str(v) for v in (value or []))
