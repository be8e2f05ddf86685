"""The liaison's pages on a 390-px phone: the workbench, the 台账, a task, the progress report form and the
督办单 answer fit the screen (no horizontal overflow: tables become cards) and their controls are visible.
Screenshots in var/screenshots/phone-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.accounts.models import Person
from duban.ledger.models import SupervisionOrder
from duban.web.demo import load_demo
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTH = 390

# What sticks out of the viewport, for the failure message: the element's tag, class and right edge.
_OVERFLOW = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .slice(0, 8)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, device_scale_factor=2, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    refusals: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refusals.append(message.text))
    page.refusals = refusals
    yield page
    context.close()


def fits_the_phone(page, name: str, controls: tuple[str, ...] = ()) -> None:
    """No horizontal scroll; each control visible and inside the screen's width; a screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, (name, width, page.evaluate(_OVERFLOW, WIDTH))
    for selector in controls:
        control = page.locator(selector).first
        assert control.is_visible(), (name, selector)
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (name, selector, box)


def test_the_liaisons_pages_fit_a_phone(phone):
    load_demo()
    page = phone
    sign_in(page, "lianluoyuan", PASSWORD)
    fits_the_phone(page, "1-workbench", ("header.site nav a", "form.logout button", "section.ledger-panel a.card"))
    cards = page.locator("section.ledger-panel table.cards-on-phone tr")
    assert cards.count() >= 1  # the unit's overdue tasks, as cards

    page.goto("/ledger/tasks/")
    fits_the_phone(
        page, "2-ledger", ("form.list-search input[type=search]", "form.list-search button", "table.ledger a")
    )
    assert page.locator("table.ledger thead").bounding_box()["height"] <= 1  # the column heads give way to labels

    unit = Person.objects.get(name="谢芳").unit
    order = SupervisionOrder.objects.get(unit=unit, status=SupervisionOrder.Status.ISSUED)  # the demo's open 督办单
    task = order.task
    page.goto(f"/ledger/tasks/{task.pk}/")
    fits_the_phone(page, "3-task", ("a.button[href$='/report/']", "table.history td"))

    page.goto(f"/ledger/tasks/{task.pk}/report/")
    fits_the_phone(
        page, "4-report", ("form.stacked textarea", "form.stacked input[type=number]", "form.stacked button")
    )

    page.goto("/ledger/orders/")
    fits_the_phone(page, "5-orders", (f"a[href='/ledger/orders/{order.pk}/']",))
    page.goto(f"/ledger/orders/{order.pk}/")
    fits_the_phone(page, "6-order", (".order-sheet h1", "a.button[href$='/answer/']"))
    page.goto(f"/ledger/orders/{order.pk}/answer/")
    fits_the_phone(page, "7-order-answer", ("form.stacked textarea", "form.stacked button[type=submit]"))

    page.goto("/ledger/reminders/")
    fits_the_phone(page, "8-reminders", ("table.cards-on-phone button",))
    assert page.refusals == []
