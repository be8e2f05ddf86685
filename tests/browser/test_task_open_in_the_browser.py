"""立项 in chromium on the demo: the office opens one task from each source kind by hand, picking the
units from the 机构名录 with the search box (duban.js), and sees each task's source on its page; an
unknown unit is answered with the closest units. No refusal of the Content-Security-Policy in the
console. Screenshots land in var/screenshots/ (looked at, not committed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.ledger.models import Task
from duban.ledger.sources import HAND_KINDS, SOURCE_KINDS
from duban.web.demo import load_demo
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "duban-demo-2020"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

FIELDS = {
    "instruction": {"person": "王市长", "date": "2020-12-08", "words": "请督查室牵头跟踪，按月报告进展。"},
    "meeting": {"origin": "市政府第二十次常务会议", "date": "2020-12-01", "number": "纪要〔2020〕20号"},
    "superior": {"origin": "河南省人民政府督查室", "number": "豫政督〔2020〕31号"},
    "npc": {"number": "第20200087号", "person": "刘建华代表"},
    "cppcc": {"number": "第20200142号", "person": "孙丽委员"},
    "public": {"origin": "12345政务服务热线", "number": "ZMD2020120912"},
}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pick(page, field: str, name: str) -> None:
    """Type into the unit picker's search box of ``field`` and press Enter."""
    search = page.locator(f"#id_{field} + .unit-picker input.unit-search")
    search.fill(name)
    search.press("Enter")


def test_the_office_opens_a_task_from_each_source(page, tmp_path):
    load_demo()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/login/")
    page.fill("#id_username", "duchashi")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
    scan = tmp_path / "市长批示件.pdf"
    scan.write_bytes(minimal_pdf("pishi"))

    for number, kind in enumerate(HAND_KINDS, start=1):
        label = SOURCE_KINDS[kind].label
        page.goto("/ledger/tasks/new/")
        page.check(f"input[name=kind][value={kind}]")
        # only the chosen kind's fields show
        assert page.locator(f'fieldset[data-source-kind="{kind}"]').is_visible()
        others = [k for k in HAND_KINDS if k != kind]
        assert not any(page.locator(f'fieldset[data-source-kind="{k}"]').is_visible() for k in others)
        for name, value in FIELDS[kind].items():
            page.fill(f"#id_{kind}_{name}", value)
        if kind == "instruction":
            page.set_input_files("#id_instruction_attachment", str(scan))
        page.fill("#id_title", f"{label}事项：冬季清洁取暖保障")
        page.fill("#id_text", "确保全市清洁取暖设施安全运行，群众温暖过冬。")
        pick(page, "lead_units", "市卫健体委")  # a short name: the picker puts in the unit's full name
        pick(page, "responsible_units", "市住建局")
        pick(page, "cooperating_units", "市财政局")
        page.fill("#id_deadlines", "2021-01-31 春节前完成")
        page.fill("#id_targets_text", "到2021年，清洁取暖覆盖率不低于80%。")
        if number == 1:
            shot(page, "i9-open-1-form-instruction")
        page.click("form[data-source-form] button[type=submit]")
        page.wait_for_url("**/ledger/tasks/*/")
        task = Task.objects.get(title=f"{label}事项：冬季清洁取暖保障")
        assert task.source_kind == kind and task.status == Task.Status.CONFIRMED
        assert task.assignments.count() == 3
        body = page.content()
        assert label in body and "已立项" in body
        for value in FIELDS[kind].values():
            if "-" not in value:
                assert value in body
        if kind == "instruction":
            assert "市长批示件.pdf" in body
            with page.expect_download() as download:
                page.click("a:has-text('市长批示件.pdf')")
            assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        shot(page, f"i9-open-{number + 1}-task-{kind}")

    # The ledger filtered by source kind.
    page.goto("/ledger/tasks/?source=meeting")
    assert "会议交办事项：冬季清洁取暖保障" in page.content()
    assert "领导批示事项：冬季清洁取暖保障" not in page.content()
    shot(page, "i9-open-8-ledger-by-source")

    # An unknown unit: the closest units of the jurisdiction, nothing created.
    page.goto("/ledger/tasks/new/")
    page.check("input[name=kind][value=public]")
    page.fill("#id_public_origin", "市长信箱")
    page.fill("#id_title", "背街小巷路灯修复")
    pick(page, "lead_units", "市城管执法局")
    page.click("form[data-source-form] button[type=submit]")
    page.wait_for_selector("text=机构名录中没有“市城管执法局”")
    assert "是否为" in page.content()
    assert not Task.objects.filter(title="背街小巷路灯修复").exists()
    shot(page, "i9-open-9-unknown-unit")
    assert refused == []
