"""Issue 11's story, in chromium on the demo data, each person signed in as themselves — the office at a
desk, the unit's liaison on a 390-px phone (every page the liaison opens is measured for horizontal
overflow):

a task is opened and assigned to 市卫健体委; its liaison acknowledges it (签收); the scheduler's daily run
(the huey periodic task's body) reminds the liaison of the month's report; the liaison reports, asks for
more time (延期) and the office approves (the deadline's history shows it); a month passes without a
report and the missed report is flagged; the liaison applies for closure (办结), the office returns it,
the liaison applies again and the office accepts it (已办结). A case's reminders reach each actor in turn.

The days pass by moving DUBAN_TODAY (duban.clock), as the demo's clock does. Screenshots in
var/screenshots/life-*.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.accountability.models import Case, Decision
from duban.accounts.models import Unit
from duban.ledger import tasks as queue
from duban.ledger.channels import channel_create
from duban.ledger.models import Reminder, Task
from duban.ledger.selectors import task_lead_unit_ids, tasks_overdue
from duban.web.demo import load_demo
from tests.browser.conftest import sign_in
from tests.factories import sample_file

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTH = 390
TITLE = "全民健身中心延时开放"

_OVERFLOW = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .slice(0, 8)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


class Person:
    """One actor's browser: a page of its own (cookies of its own), signed in once."""

    def __init__(self, browser, live_server, username: str, *, phone: bool = False) -> None:
        viewport = {"width": WIDTH, "height": 844} if phone else {"width": 1280, "height": 900}
        self.context = browser.new_context(
            viewport=viewport, device_scale_factor=2 if phone else 1, locale="zh-CN", base_url=live_server.url
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.phone = phone
        self.username = username
        self.refusals: list[str] = []
        self.page.on(
            "console", lambda message: "Content Security Policy" in message.text and self.refusals.append(message.text)
        )
        sign_in(self.page, username, PASSWORD)

    def goto(self, path: str, shot: str | None = None):
        response = self.page.goto(path)
        assert response.status == 200, (path, response.status)
        self.look(shot)
        return response

    def look(self, shot: str | None) -> None:
        """A screenshot; on the phone, nothing may stick out of the screen."""
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"life-{shot}.png"), full_page=True)
        if self.phone:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= WIDTH, (self.page.url, width, self.page.evaluate(_OVERFLOW, WIDTH))

    def text(self) -> str:
        return self.page.locator("main").inner_text()


def on(settings, day: dt.date) -> None:
    """The site's date moves (the live server reads the same settings)."""
    settings.DUBAN_TODAY = day


def scheduler_runs() -> int:
    """What the huey worker's scheduler does each morning: the periodic task's own body."""
    return queue.daily_run.call_local()


def test_a_task_lives_its_whole_life_in_the_browser(browser, live_server, settings, fake_robot, tmp_path):
    load_demo()
    unit = Unit.objects.get(short_name="市卫健体委")
    channel_create(  # the unit's 钉钉 work group has a robot (a local fake one), set up in the admin
        actor=None,
        jurisdiction=unit.jurisdiction,
        unit=unit,
        kind="dingtalk",
        name="市卫健体委督办群",
        url=fake_robot.url(),
        secret="SECstory123",
    )
    office = Person(browser, live_server, "duchashi")
    liaison = Person(browser, live_server, "lianluoyuan", phone=True)

    # 1. Assigned: the office opens a task from a meeting, led by 市卫健体委, reported monthly.
    page = office.page
    office.goto("/ledger/tasks/new/")
    page.check("input[name=kind][value=meeting]")
    page.fill("#id_meeting_origin", "市政府第二十次常务会议")
    page.fill("#id_meeting_date", "2020-12-08")
    page.fill("#id_title", TITLE)
    page.fill("#id_text", "全市全民健身中心工作日延时开放至21时，节假日全天开放。")
    search = page.locator("#id_lead_units + .unit-picker input.unit-search")
    search.fill("市卫健体委")
    search.press("Enter")
    page.fill("#id_deadlines", "2021-01-31 春节前完成")
    page.select_option("#id_reporting_cycle", "monthly")
    page.click("form[data-source-form] button[type=submit]")
    page.wait_for_url("**/ledger/tasks/*/")
    task = Task.objects.get(title=TITLE)
    assert task.assigned_at is not None
    office.look("1-office-opened")

    liaison.goto("/workbench/", "1-liaison-workbench")  # the liaison is told at once
    assert Reminder.objects.filter(recipient__username="lianluoyuan", task=task, kind="task_assigned").count() == 1
    assert f"新立项任务：{TITLE}" in liaison.text()

    # 2. 签收: the liaison finds the task waiting on the workbench and acknowledges it there.
    waiting = liaison.page.locator("li", has_text=TITLE).filter(has=liaison.page.locator("button:has-text('签收')"))
    assert waiting.count() == 1, "待签收 on the liaison's workbench"
    waiting.locator("button:has-text('签收')").click()
    liaison.page.wait_for_load_state()
    liaison.look("2-liaison-acknowledged")
    assignment = task.assignments.get(unit=unit)
    assert assignment.acknowledged_at is not None and assignment.acknowledged_by.username == "lianluoyuan"
    office.goto(f"/ledger/tasks/{task.pk}/", "2-office-sees-acknowledged")
    assert "已签收" in office.page.locator("section.task-life").inner_text()

    # 3. The scheduler's morning run, later in the month: the liaison is reminded of December's report.
    on(settings, dt.date(2020, 12, 28))
    assert scheduler_runs() > 0
    reminder = Reminder.objects.get(recipient__username="lianluoyuan", task=task, kind="report_due")
    assert "2020-12-31" in reminder.text
    liaison.goto("/workbench/", "3-liaison-reminded")
    assert f"报送2020年12月进度：{TITLE}" in liaison.text()
    assert scheduler_runs() >= 0 and Reminder.objects.filter(task=task, kind="report_due").count() == 1  # once
    posted = [body["markdown"]["text"] for _, body in fake_robot.requests if TITLE in str(body)]
    assert any("报送2020年12月进度" in text for text in posted), posted  # and the unit's group was told

    # The liaison follows the reminder to the report form and reports.
    page = liaison.page
    page.click(f"a:has-text('报送2020年12月进度：{TITLE}')")
    page.wait_for_url(f"**/ledger/tasks/{task.pk}/report/")
    liaison.look("3-liaison-report-form")
    page.fill("#id_text", "已在5个全民健身中心试行延时开放，群众反映良好。")
    page.fill("#id_percent", "40")
    page.click("button:has-text('提交报送')")
    page.wait_for_url(f"**/ledger/tasks/{task.pk}/")
    liaison.look("3-liaison-reported")
    assert "已在5个全民健身中心试行延时开放" in liaison.text()

    # 4. 延期: the liaison asks for two more months; the office approves from its workbench; the liaison is
    # told, and the task page keeps the deadline's history.
    page.click("a:has-text('申请延期')")
    page.wait_for_url(f"**/ledger/tasks/{task.pk}/extension/")
    liaison.look("4-liaison-extension-form")
    page.fill("#id_requested_date", "2021-03-31")
    page.fill("#id_reason", "部分场馆改造施工延误，需待春节后完成设施调试。")
    page.click("button:has-text('提交延期申请')")
    page.wait_for_url(f"**/ledger/tasks/{task.pk}/")
    liaison.look("4-liaison-extension-asked")
    office.goto("/workbench/", "4-office-extension-to-decide")
    office.page.locator("a[href^='/ledger/extensions/']", has_text=TITLE).first.click()
    office.page.wait_for_url("**/ledger/extensions/*/")
    office.page.check("input[name=decision][value=approve]")
    office.page.fill("#id_note", "同意延至2021年3月31日。")
    office.page.click("button:has-text('提交审批')")
    office.page.wait_for_load_state()
    office.look("4-office-extension-approved")
    assert task.deadlines.get().date == dt.date(2021, 3, 31)
    liaison.goto("/workbench/")
    assert f"延期申请已同意：完成时限延至 2021-03-31（{TITLE}）" in liaison.text()
    liaison.goto(f"/ledger/tasks/{task.pk}/", "4-liaison-deadline-history")
    history = liaison.page.locator("section.task-life").inner_text()
    assert "完成时限调整记录" in history and "2021-01-31" in history and "2021-03-31" in history, history

    # 5. January passes without a report: on 1 February the missed report is flagged — the task's light turns
    # yellow with 漏报进度, on the liaison's phone and in the office's list of missed reports for 2021年1月.
    on(settings, dt.date(2021, 2, 1))
    scheduler_runs()
    liaison.goto(f"/ledger/tasks/{task.pk}/", "5-liaison-missed-report")
    assert liaison.page.locator("dl.facts .lamp").first.inner_text().strip() == "黄灯"  # on track otherwise
    reasons = liaison.page.locator("dl.facts ul.lamp-reasons").inner_text()
    assert "漏报2021年1月进度" in reasons and "逾期" not in reasons, reasons
    office.goto("/ledger/missed-reports/?period=2021-01", "5-office-missed-reports")
    row = office.page.locator("table.ledger tr", has_text=TITLE)
    assert row.count() == 1 and "市卫健体委" in row.inner_text()

    # 6. 办结: the liaison applies with evidence; the office returns it (not yet done); the liaison applies
    # again; the office accepts: 已办结.
    on(settings, dt.date(2021, 3, 20))
    evidence = tmp_path / "延时开放情况汇总.pdf"
    evidence.write_bytes(sample_file(".pdf"))
    for attempt, (verdict, note) in enumerate(
        (("return", "请补充各中心延时开放的考勤记录。"), ("accept", "材料齐全，同意办结。")), start=1
    ):
        liaison.goto(f"/ledger/tasks/{task.pk}/")
        page.click("a:has-text('申请办结')")
        page.wait_for_url(f"**/ledger/tasks/{task.pk}/closure/")
        liaison.look(f"6-liaison-closure-form-{attempt}")
        page.fill("#id_summary", f"全市12个全民健身中心均已实行延时开放（第{attempt}次申请）。")
        page.set_input_files("#id_attachments", str(evidence))
        page.click("button:has-text('提交办结申请')")
        page.wait_for_url(f"**/ledger/tasks/{task.pk}/")
        liaison.look(f"6-liaison-closure-applied-{attempt}")
        office.goto("/workbench/")
        office.page.locator("a[href^='/ledger/closures/']", has_text=TITLE).first.click()
        office.page.wait_for_url("**/ledger/closures/*/")
        office.look(f"6-office-closure-{attempt}")
        office.page.check(f"input[name=decision][value={verdict}]")
        office.page.fill("#id_note", note)
        office.page.click("button:has-text('提交验收意见')")
        office.page.wait_for_load_state()
        task.refresh_from_db()
        liaison.goto("/workbench/", f"6-liaison-closure-{verdict}")
        if verdict == "return":
            assert task.done_on is None
            assert f"办结申请被退回（{note}），请继续办理：{TITLE}" in liaison.text()
    assert task.done_on == dt.date(2021, 3, 20)
    assert f"办结验收通过，任务已办结：{TITLE}" in liaison.text()
    liaison.goto(f"/ledger/tasks/{task.pk}/", "6-liaison-task-done")
    assert liaison.page.locator("h2 .badge").first.inner_text().strip() == "已办结"
    closures = liaison.page.locator("section.task-life").inner_text()
    assert "已退回" in closures and "请补充各中心延时开放的考勤记录" in closures, closures

    assert office.refusals == [] and liaison.refusals == []


def reminded(person: Person, kind: str, *words: str, shot: str | None = None) -> Reminder:
    """The person's one unread reminder of ``kind`` naming ``words``, shown on their 提醒 page."""
    found = [
        r
        for r in Reminder.objects.filter(recipient__username=person.username, kind=kind, read_at=None)
        if all(word in r.text for word in words)
    ]
    assert len(found) == 1, (person.username, kind, words, [r.text for r in found])
    person.goto("/ledger/reminders/", shot)
    assert found[0].text in person.text(), (person.username, found[0].text)
    return found[0]


def test_a_cases_reminders_reach_each_actor(browser, live_server, settings):
    """立案 → each step of 第八条's chain → the decision → the 意见书 served and received → an appeal filed and
    decided → a rectification due: at each turn the next actor finds the reminder on their own 提醒 page."""
    load_demo()
    unit = Unit.objects.get(short_name="市卫健体委")
    overdue = next(t for t in tasks_overdue(jurisdiction=unit.jurisdiction) if unit.pk in task_lead_unit_ids(t))
    office = Person(browser, live_server, "duchashi")
    page = office.page
    office.goto(f"/ledger/tasks/{overdue.pk}/")
    page.click("button:has-text('立案问责')")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(matter__task=overdue)
    page.fill("textarea[name=investigation]", "经调查核实，该任务逾期未完成，经督办仍无改进。")
    page.select_option("select[name=situation_number]", "8")
    page.check("input[name=methods][value=通报批评]")
    page.select_option("select[name=subject]", "person")
    handler = unit.people.get(name="何文博")
    page.select_option("select[name=person]", str(handler.pk))
    page.check(f"input[name=responsible_0][value='{handler.pk}']")
    page.click("button:has-text('保存调查核实情况')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.fill("#id_opinion", "提请按程序征求意见。")
    page.click("button:has-text('提交下一环节')")
    page.wait_for_url(f"**/cases/{case.pk}/")

    # Each step's actor is reminded when the case reaches them, acts, and the reminder is settled.
    for number, username in enumerate(("erji", "yiji", "fuzong", "zongducha", "weiyuanhui"), start=1):
        actor = Person(browser, live_server, username)
        reminder = reminded(actor, "case_step", case.number, shot=f"case-{number}-{username}-reminded")
        actor.goto(f"/cases/{case.pk}/")
        if username == "weiyuanhui":
            actor.page.click("button:has-text('同意（作出决定）')")
        else:
            actor.page.fill("#id_opinion", "同意。")
            actor.page.click("form.act button:has-text('同意')")
        actor.page.wait_for_url(f"**/cases/{case.pk}/")
        reminder.refresh_from_db()
        assert reminder.read_at is not None, (username, "the step's reminder is settled once acted on")
        actor.context.close()
    case.refresh_from_db()
    decision = case.decision
    assert decision is not None and decision.status == Decision.Status.EFFECTIVE

    # The office is asked for the 意见书, serves it; the party is told, with the appeal window.
    reminded(office, "case_letter_due", case.number, shot="case-6-office-letter-due")
    office.goto(f"/cases/{case.pk}/")
    page.fill("input[name=letter_number]", "驻督问〔2020〕1号")
    page.fill("input[name=issued_on]", "2020-12-10")
    page.click("button:has-text('登记送达')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    party = Person(browser, live_server, "beiwenze", phone=True)
    reminded(party, "letter_served", "驻督问〔2020〕1号", "申诉", shot="case-7-party-letter-served")
    page.fill("input[name=received_on]", "2020-12-10")
    page.click("button:has-text('登记收到日期')")
    page.wait_for_url(f"**/cases/{case.pk}/")
    reminded(party, "appeal_deadline", decision.matter.title, "申诉", shot="case-8-party-appeal-deadline")

    # The party appeals: the committee is reminded; it decides: the party is told the result.
    party.goto("/cases/decisions/mine/")
    party.page.fill(f"#reason-{decision.pk}", "任务逾期系因上级政策调整，非本人原因。")
    party.page.click("button:has-text('提出申诉复核')")
    party.page.wait_for_load_state()
    committee = Person(browser, live_server, "weiyuanhui")
    reminded(committee, "appeal_filed", decision.matter.title, shot="case-9-committee-appeal-filed")
    committee.goto("/cases/appeals/")
    form = committee.page.locator(f"form[action='/cases/decisions/{decision.pk}/appeal/decide/']")
    form.locator("select[name=outcome]").select_option("upheld")
    form.locator("textarea[name=reason]").fill("经复核，原决定事实清楚，维持原决定。")
    form.locator("button:has-text('登记复核结果')").click()
    committee.page.wait_for_load_state()
    reminded(party, "appeal_decided", decision.matter.title, "维持", shot="case-10-party-appeal-decided")

    # A rectification comes due: the scheduler's morning run reminds the 督查室.
    assert not Reminder.objects.filter(recipient__username="duchashi", kind="rectification_due").exists()
    on(settings, dt.date(2020, 12, 28))
    scheduler_runs()
    reminded(office, "rectification_due", "全民健身中心错时开放服务不到位", shot="case-11-office-rectification-due")
    assert office.refusals == [] and party.refusals == [] and committee.refusals == []
