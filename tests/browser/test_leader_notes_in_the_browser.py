"""In chromium on the demo: the 副总督查 marks a task 关注 and adds a 批示; the lead unit's liaison sees
both on the task and has a reminder. Screenshots land in var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.accounts.models import Unit
from duban.ledger.models import Reminder, Task
from duban.ledger.selectors import task_lead_unit_ids
from duban.web.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in_as(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")


def test_a_leader_watches_and_instructs_and_the_unit_sees_it(page):
    load_demo()
    unit = Unit.objects.get(short_name="市卫健体委")
    task = next(
        t
        for t in Task.objects.filter(status=Task.Status.CONFIRMED, assignments__unit=unit).distinct()
        if unit.pk in task_lead_unit_ids(t)
    )
    sign_in_as(page, "fuzong")
    page.goto(f"/ledger/tasks/{task.pk}/")
    page.click("button:has-text('关注')")
    page.wait_for_selector("text=已关注该任务")
    page.fill("textarea[name=text]", "此项工作事关群众健康，请市卫健体委加快推进，月底前报送结果。")
    page.click("button:has-text('发出批示')")
    page.wait_for_selector("text=批示已发出")
    assert "取消关注" in page.content()
    shot(page, "i9-leader-1-fuzong-task")

    sign_in_as(page, "lianluoyuan")
    page.goto(f"/ledger/tasks/{task.pk}/")
    body = page.content()
    assert "领导关注" in body and "请市卫健体委加快推进" in body and "发出批示" not in body
    shot(page, "i9-leader-2-liaison-task")
    page.goto("/ledger/reminders/")
    assert "批示" in page.content()
    shot(page, "i9-leader-3-liaison-reminders")
    assert Reminder.objects.filter(recipient__username="lianluoyuan", kind="task_instructed", task=task).exists()
