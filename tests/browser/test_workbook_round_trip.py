"""Issue 9's Excel steps in a real browser on the demo, as the 督查室 clerk: a 20-row 任务分解表 with two
bad rows is refused with both rows named; fixed, it imports; the 台账 exported as .xlsx imports back
unchanged. Screenshots land in var/screenshots/ (looked at, not committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.ledger.models import Task
from duban.ledger.selectors import task_standing
from duban.ledger.services import task_snapshot
from duban.web.demo import load_demo
from tests.workbooks import twenty_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def shot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda name: page.screenshot(path=str(SCREENSHOTS / f"excel-{name}.png"), full_page=True)


@pytest.fixture
def refusals(page):
    """What the browser says against the pages: a Content-Security-Policy refusal, a script error, a
    resource of the site that is not there."""
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: said.append(str(error)))
    page.on(
        "response",
        lambda response: said.append(f"{response.status} {response.url}") if response.status == 404 else None,
    )
    return said


def _upload(page, path: Path) -> None:
    page.goto("/ledger/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并预览')")
    page.wait_for_url("**/ledger/import/*/")


def test_import_a_sheet_refused_then_fixed_export_the_ledger_and_import_it_back(page, shot, refusals, tmp_path):
    load_demo()
    page.goto("/login/")
    page.fill("#id_username", "duchashi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
    page.goto("/ledger/tasks/")
    before = Task.objects.count()

    # 1. Twenty rows, two of them bad: the preview names both rows and 导入 cannot be pressed.
    bad = tmp_path / "2021年重点工作任务分解表.xlsx"
    bad.write_bytes(xlsx(twenty_rows(bad=True)))
    _upload(page, bad)
    errors = page.locator("#workbook-errors li").all_inner_texts()
    assert errors == [
        "第7行：牵头单位“市卫建委”不在机构名录中（是否为：驻马店市卫生健康体育委员会）",
        "第16行：完成时限“尽快完成”无法识别为日期",
    ]
    assert page.locator("#row-7.has-error").count() == 1 and page.locator("#row-16.has-error").count() == 1
    assert page.locator("#workbook-import").is_disabled()
    shot("1-refused-two-rows")
    assert Task.objects.count() == before

    # 2. Fixed, the same sheet imports: twenty new tasks in the 台账.
    fixed = tmp_path / "2021年重点工作任务分解表（修改）.xlsx"
    fixed.write_bytes(xlsx(twenty_rows(bad=False)))
    _upload(page, fixed)
    assert "新任务 20 项" in page.inner_text("#workbook-summary")
    shot("2-fixed-preview")
    page.click("#workbook-import")
    page.wait_for_url("**/ledger/tasks/")
    assert "新任务 20 项" in page.inner_text(".messages")
    shot("3-imported")
    assert Task.objects.count() == before + 20

    # 3. The 台账 exported as .xlsx, then imported back: every row is already there, nothing changes.
    snapshots = {task.pk: (task_snapshot(task), task_standing(task).code) for task in Task.objects.all()}
    with page.expect_download() as download:
        page.click("a:has-text('导出 Excel')")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.suffix == ".xlsx"
    confirmed = Task.objects.filter(jurisdiction__code="zhumadian", status=Task.Status.CONFIRMED).count()
    _upload(page, exported)
    summary = page.inner_text("#workbook-summary")
    assert f"已在台账 {confirmed} 项" in summary and "新任务 0 项" in summary, summary
    shot("4-export-preview")
    page.click("#workbook-import")
    page.wait_for_url("**/ledger/tasks/")
    assert "新任务 0 项" in page.inner_text(".messages")
    shot("5-export-imported-back")
    assert {task.pk: (task_snapshot(task), task_standing(task).code) for task in Task.objects.all()} == snapshots
    assert refusals == []
