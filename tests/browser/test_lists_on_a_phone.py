"""The 台账 on a liaison's phone (390 px): paging and searching, the pager and the search form fit the
screen, the filters stay in the URL; no refusal by the Content-Security-Policy. Screenshots in
var/screenshots/lists-*.png."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from duban.web.demo import load_demo
from tests.browser.conftest import PHONE_WIDTH, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTH = PHONE_WIDTH


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"lists-{name}.png"), full_page=True)


def _fits(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (selector, box)


def _query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def test_the_ledger_pages_and_searches_on_a_phone(phone):
    load_demo()
    page = phone
    sign_in(page, "duchashi", PASSWORD)
    page.goto("/ledger/tasks/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # nothing wider than the phone
    for selector in ("form.list-search input[type=search]", "form.list-search button", "nav.pager"):
        _fits(page, selector)
    assert "第 1 / 2 页" in page.locator("nav.pager").inner_text()
    _shot(page, "1-ledger-first-page")

    page.click("nav.pager a.pager-next")
    page.wait_for_url("**/ledger/tasks/?page=2")
    assert "第 2 / 2 页" in page.locator("nav.pager").inner_text()
    _shot(page, "2-ledger-second-page")

    page.fill("form.list-search input[type=search]", "卫健体委")
    page.select_option("form.list-search select[name=standing]", "done")
    page.click("form.list-search button[type=submit]")
    page.wait_for_url("**q=*")
    assert _query(page) == {"q": ["卫健体委"], "standing": ["done"]}
    rows = page.locator("table.ledger tbody tr")
    assert rows.count() >= 1
    assert page.locator("form.list-search input[type=search]").input_value() == "卫健体委"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    _fits(page, "nav.pager")
    _shot(page, "3-ledger-searched")

    # a standing card keeps the search in its link
    page.click("div.cards a.card >> nth=0")
    assert _query(page) == {"q": ["卫健体委"], "standing": ["overdue"]}
    _shot(page, "4-ledger-card-keeps-search")

    page.goto("/ledger/tasks/?page=abc")
    assert "页码“abc”无效" in page.content()
    _shot(page, "5-ledger-bad-page")
    assert page.refusals == []
