"""The liaison's pages on a 390-px phone: the workbench, the 台账, a task, the progress report form and the
督办单 answer fit the screen (no horizontal overflow: tables become cards) and their controls are visible.
Screenshots in var/screenshots/phone-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from duban.accounts.models import Person
from duban.ledger.access import access_closure_apply
from duban.ledger.models import ClosureRequest, ExtensionRequest, SupervisionOrder, Task, TaskUnit
from duban.web.demo import load_demo
from tests.browser.conftest import PHONE_WIDTH, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTH = PHONE_WIDTH

# What sticks out of the viewport, for the failure message: the element's tag, class and right edge.
_OVERFLOW = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .slice(0, 8)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def page_user():
    return get_user_model().objects.get(username="lianluoyuan")


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, (path, response.status)


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

    visit(page, "/ledger/tasks/")
    fits_the_phone(
        page, "2-ledger", ("form.list-search input[type=search]", "form.list-search button", "table.ledger a")
    )
    assert page.locator("table.ledger thead").bounding_box()["height"] <= 1  # the column heads give way to labels

    unit = Person.objects.get(name="谢芳").unit
    order = SupervisionOrder.objects.get(unit=unit, status=SupervisionOrder.Status.ISSUED)  # the demo's open 督办单
    task = order.task
    visit(page, f"/ledger/tasks/{task.pk}/")
    fits_the_phone(page, "3-task", ("a.button[href$='/report/']", "table.history td"))

    visit(page, f"/ledger/tasks/{task.pk}/report/")
    fits_the_phone(
        page, "4-report", ("form.stacked textarea", "form.stacked input[type=number]", "form.stacked button")
    )

    visit(page, "/ledger/orders/")
    fits_the_phone(page, "5-orders", (f"a[href='/ledger/orders/{order.pk}/']",))
    visit(page, f"/ledger/orders/{order.pk}/")
    fits_the_phone(page, "6-order", (".order-sheet h1", "a.button[href$='/answer/']"))
    visit(page, f"/ledger/orders/{order.pk}/answer/")
    fits_the_phone(page, "7-order-answer", ("form.stacked textarea", "form.stacked button[type=submit]"))

    visit(page, "/ledger/reminders/")
    fits_the_phone(page, "8-reminders", ("table.cards-on-phone button",))
    assert page.refusals == []


def test_the_liaisons_signoff_extension_and_closure_pages_fit_a_phone(phone):
    """The pages of the task's life (签收, 延期, 办结) as the liaison sees them on the demo data."""
    load_demo()
    page = phone
    unit = Person.objects.get(name="谢芳").unit
    sign_in(page, "lianluoyuan", PASSWORD)
    open_task = next(
        a.task
        for a in TaskUnit.objects.filter(unit=unit, task__status=Task.Status.CONFIRMED, task__done_on=None)
        .select_related("task")
        .order_by("task__pk")
    )
    visit(page, f"/ledger/tasks/{open_task.pk}/")
    fits_the_phone(page, "9-task-life", ("a.button[href$='/extension/']", "section.task-life"))
    visit(page, f"/ledger/tasks/{open_task.pk}/extension/")
    fits_the_phone(page, "10-extension-form", ("form.stacked select", "form.stacked textarea", "form.stacked button"))
    visit(page, "/ledger/extensions/?status=")  # all of them
    fits_the_phone(page, "11-extensions", ("table.cards-on-phone a",))
    extension = ExtensionRequest.objects.filter(unit=unit).order_by("pk").first()
    assert extension is not None, "the demo has a 延期申请 of 市卫健体委"
    visit(page, f"/ledger/extensions/{extension.pk}/")
    fits_the_phone(page, "12-extension", ("dl.facts",))
    visit(page, "/ledger/closures/?status=")
    fits_the_phone(page, "13-closures", ("table.cards-on-phone a",))
    closure = ClosureRequest.objects.filter(unit=unit).order_by("pk").first()
    assert closure is not None, "the demo has a 办结申请 of 市卫健体委"
    visit(page, f"/ledger/closures/{closure.pk}/")
    fits_the_phone(page, "14-closure", ("dl.facts",))
    lead_task = next(
        t
        for t in Task.objects.filter(assignments__unit=unit, done_on=None, status=Task.Status.CONFIRMED)
        if access_closure_apply(page_user(), t)
    )
    visit(page, f"/ledger/tasks/{lead_task.pk}/closure/")
    fits_the_phone(
        page, "15-closure-form", ("form.stacked textarea", "form.stacked input[type=file]", "form.stacked button")
    )
    visit(page, "/ledger/acknowledgements/")
    fits_the_phone(page, "16-acknowledgements", ("form.list-search input[type=checkbox]",))
    check = page.locator("form.list-search label:has(input[type=checkbox])").bounding_box()
    assert check["height"] < 36, check  # the box and its words on one line, not stacked
    assert page.refusals == []
