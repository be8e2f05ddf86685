"""Every demo role signs in and sees its own work: the main pages, screenshotted for review.

The screenshots (artifacts/screenshots/tour-*.png) are what a reviewer looks at; the assertions
check that each role lands on real content and that the navigation offers only what it may use.
"""

from __future__ import annotations

import pytest

from duban.web.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"

# role login → (pages to visit, words each must show, navigation entries it must NOT offer)
TOUR = {
    "duchashi": (
        ["/workbench/", "/ledger/review/", "/ledger/tasks/", "/cases/", "/assessment/?year=2020"],
        ["公文审核", "督查台账", "问责案件"],
        [],
    ),
    "erji": (["/workbench/", "/cases/"], ["问责案件"], ["公文审核"]),
    "zongducha": (["/workbench/", "/cases/"], ["问责案件"], ["公文审核"]),
    "weiyuanhui": (["/workbench/", "/cases/"], ["问责案件"], []),  # the committee secretary is 督查室 staff too
    "lianluoyuan": (["/workbench/", "/ledger/tasks/", "/ledger/reminders/"], ["督查台账"], ["公文审核", "年度考核"]),
    "beiwenze": (["/workbench/", "/cases/decisions/mine/"], ["我的问责决定"], ["公文审核", "年度考核"]),
    "quduchashi": (["/workbench/", "/ledger/tasks/"], ["驿城区"], []),
}


def test_each_role_sees_its_own_pages(page, screenshot):
    load_demo()  # once: loading the demo takes seconds, the tour only reads
    for username, (pages, words, hidden) in TOUR.items():
        page.context.clear_cookies()
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/workbench/")
        seen = ""
        for index, path in enumerate(pages):
            response = page.goto(path)
            assert response.status == 200, f"{username} {path}: {response.status}"
            seen += page.content()
            name = path.strip("/").split("?")[0].replace("/", "-") or "home"
            screenshot(f"tour-{username}-{index + 1}-{name}")
        for word in words:
            assert word in seen, f"{username} should see {word}"
        nav = page.locator("header.site nav").inner_text()
        for label in hidden:
            assert label not in nav, f"{username} should not be offered {label}"
