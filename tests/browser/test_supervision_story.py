"""Issue 4's story, in a real browser on the demo data, each person signed in as themselves:

a liaison reports progress; the office opens a case from an overdue task and takes it through the
第八条 chain to a decision; the accountable party appeals within 15 days (the decision stays in
force); the monthly ranking shows the deduction.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from duban import clock
from duban.accountability.models import Case, Decision
from duban.accounts.models import Unit
from duban.ledger.access import access_task_report
from duban.ledger.models import Task
from duban.ledger.selectors import task_lead_unit_ids, task_standing, tasks_overdue
from duban.web.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"


def the_unit() -> Unit:
    return Unit.objects.get(short_name="市卫健体委")


def an_open_task_the_liaison_reports_on() -> Task:
    liaison = get_user_model().objects.get(username="lianluoyuan")
    for task in Task.objects.filter(status=Task.Status.CONFIRMED, assignments__unit=the_unit()).distinct():
        if access_task_report(liaison, task) and task_standing(task).code not in ("done", "overdue"):
            return task
    raise AssertionError("the demo has no open task for 市卫健体委's liaison")


def an_overdue_task_of_the_unit() -> Task:
    unit = the_unit()
    for task in tasks_overdue(jurisdiction=unit.jurisdiction):
        if unit.pk in task_lead_unit_ids(task):
            return task
    raise AssertionError("the demo has no overdue task led by 市卫健体委")


def sign_in_as(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")


def test_from_progress_report_to_appeal_and_ranking(page, screenshot):
    load_demo()
    today = clock.today()  # the story's date (tests/browser/conftest.py)
    month = today.strftime("%Y-%m")

    # 1. The liaison of 市卫健体委 reports progress on one of the unit's tasks.
    task = an_open_task_the_liaison_reports_on()
    sign_in_as(page, "lianluoyuan")
    screenshot("story-1-liaison-workbench")
    page.goto(f"/ledger/tasks/{task.pk}/report/")
    page.fill("#id_text", "已完成全市健康科普专家库组建，第三季度开展专题讲座12场。")
    page.fill("#id_percent", "80")
    page.click("button:has-text('提交报送')")
    page.wait_for_url(f"**/ledger/tasks/{task.pk}/")
    assert "已完成全市健康科普专家库组建" in page.content()
    screenshot("story-1-task-after-report")

    # 2. The office opens a case from an overdue task in one click and records the investigation.
    overdue = an_overdue_task_of_the_unit()
    sign_in_as(page, "duchashi")
    page.goto(f"/ledger/tasks/{overdue.pk}/")
    page.click("button:has-text('立案问责')")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(matter__task=overdue)
    page.fill("textarea[name=investigation]", "经调查核实，该任务逾期未完成，经督办仍无改进。")
    page.select_option("select[name=situation_number]", "8")
    page.check("input[name=methods][value=通报批评]")
    page.select_option("select[name=subject]", "person")
    handler = the_unit().people.get(name="何文博")
    page.select_option("select[name=person]", str(handler.pk))
    page.check(f"input[name=responsible_0][value='{handler.pk}']")
    page.click("button:has-text('保存调查核实情况')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    screenshot("story-2-case-investigated")
    page.fill("#id_opinion", "提请按程序征求意见。")
    page.click("button:has-text('提交下一环节')")
    page.wait_for_url(f"**/cases/{case.pk}/")

    # 3. Each step's own actor agrees, in the order of 第八条; the committee decides.
    for username in ("erji", "yiji", "fuzong", "zongducha"):
        sign_in_as(page, username)
        page.goto(f"/cases/{case.pk}/")
        page.fill("#id_opinion", "同意。")
        page.click("form.act button:has-text('同意')")
        page.wait_for_url(f"**/cases/{case.pk}/")
    sign_in_as(page, "weiyuanhui")
    page.goto(f"/cases/{case.pk}/")
    page.click("button:has-text('同意（作出决定）')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    case.refresh_from_db()
    decision = case.decision
    assert decision is not None and decision.status == Decision.Status.EFFECTIVE
    screenshot("story-3-case-decided")

    # The office serves the 督查问责意见书 and records when it was received.
    sign_in_as(page, "duchashi")
    page.goto(f"/cases/{case.pk}/")
    page.fill("input[name=letter_number]", f"驻督问〔{today.year}〕1号")
    page.fill("input[name=issued_on]", today.isoformat())
    page.click("button:has-text('登记送达')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.fill("input[name=received_on]", today.isoformat())
    page.click("button:has-text('登记收到日期')")
    page.wait_for_url(f"**/cases/{case.pk}/")

    # 4. The person held accountable appeals; the page shows the deadline; the decision stays in force.
    sign_in_as(page, "beiwenze")
    page.goto("/cases/decisions/mine/")
    assert "申诉期限" in page.content()
    screenshot("story-4-my-decisions")
    page.fill(f"#reason-{decision.pk}", "任务逾期系因上级政策调整，非本人原因。")
    page.click("button:has-text('提出申诉复核')")
    page.wait_for_load_state()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.UNDER_APPEAL
    screenshot("story-4-appealed")

    # 5. The ranking of the decision's month shows the deduction, appeal or not (执行不停止).
    page.context.clear_cookies()
    page.goto(f"/?month={month}")
    row = page.locator("tr", has_text="市卫健体委").first.inner_text()
    assert "90" in row.split(), row
    screenshot("story-5-ranking")
