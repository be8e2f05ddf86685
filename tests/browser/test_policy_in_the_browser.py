"""In chromium, under the Content-Security-Policy: the pages run and look as before (no refusal in the
console), the progress bars show without style attributes, and 打印 prints from the static script."""

from __future__ import annotations

import pytest

from duban.accountability.models import Decision
from duban.ledger.models import ProgressReport, SupervisionOrder
from duban.web.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pages_run_under_the_policy(page, login, screenshot):
    load_demo()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.add_init_script("window.printed = 0; window.print = function () { window.printed += 1; };")

    login("duchashi", "duban-demo-2020")
    task = ProgressReport.objects.order_by("pk").first().task_id
    order = SupervisionOrder.objects.order_by("pk").first().pk
    decision = Decision.objects.order_by("pk").first().pk
    pages = ["/", "/workbench/", "/ledger/tasks/", f"/ledger/tasks/{task}/", "/cases/", "/password/", "/admin/"]
    pages += ["/admin/accountability/decision/", f"/admin/accountability/decision/{decision}/change/"]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200 and response.headers["content-security-policy"], path
    assert refused == []

    page.goto("/ledger/tasks/")
    bars = page.locator("progress.bar")
    assert bars.count() > 10
    assert bars.first.bounding_box()["width"] == 64  # drawn by the stylesheet
    screenshot("policy-tasks-with-progress-bars")

    page.goto(f"/ledger/orders/{order}/")
    page.click("button[data-print]")
    assert page.evaluate("window.printed") == 1
    page.goto(f"/cases/decisions/{decision}/letter/")
    page.click("button[data-print]")
    assert page.evaluate("window.printed") == 1
    assert refused == []
