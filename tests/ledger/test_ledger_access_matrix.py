"""Every role × every ledger page and action, through the Django test client.

Allowed: the page answers 200 (or the action redirects after doing its work); forbidden: 403;
anonymous: a redirect to the login page. Each case runs in a fresh world, so the POSTs that succeed
do not disturb the next case: the world is built once for the module (tests/once.py) and each
case's own transaction, nested in the module's, is rolled back after it; each case gets its own
copy of the world's objects.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from ledger_world import build_ledger_world

from duban.ledger.models import ProgressAttachment, ProgressReport, Task, UploadJob
from duban.ledger.services import progress_report_create, task_open
from duban.ledger.sources import TaskSourceInput
from duban.ledger.uploads import upload_job_create
from tests.factories import minimal_pdf
from tests.once import built_once
from tests.workbooks import xlsx

ROLES = [
    "anonymous",
    "office_city",
    "office_county",
    "liaison_a",
    "liaison_b",
    "staff_a",
    "erji",
    "fuzong",
    "committee",
    "admin",
]

EVERYONE = set(ROLES) - {"anonymous"}
OFFICE = {"office_city", "admin"}  # the city's 督查室 (and the system administrator) for city objects
SEES_TASK_A = {"office_city", "liaison_a", "staff_a", "erji", "fuzong", "committee", "admin"}
SEES_TASK_B = {"office_city", "liaison_b", "fuzong", "committee", "admin"}
LEADER = {
    "fuzong"
}  # the city's 副总督查 (the committee's login is not a 总督查's)  # the 二级督查 does not supervise unit B
LIAISON_A = {"liaison_a"}
OFFICES = {"office_city", "office_county", "admin"}  # each office in its own jurisdiction
UPLOADER = {"office_city"}  # an uploaded sheet is its uploader's


def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


# (action, method, url(world), data(world), roles allowed)
MATRIX = [
    ("公文审核", "GET", lambda w: reverse("ledger:review"), None, {"office_city", "office_county", "admin"}),
    ("修改任务（页面）", "GET", lambda w: reverse("ledger:task_edit", args=[w.draft.pk]), None, OFFICE),
    (
        "修改任务",
        "POST",
        lambda w: reverse("ledger:task_edit", args=[w.draft.pk]),
        lambda w: {"title": "开展健康城市建设", "lead_units": [w.unit_a.pk], "units": [w.unit_b.pk], "deadlines": ""},
        OFFICE,
    ),
    ("确认入台账", "POST", lambda w: reverse("ledger:task_confirm", args=[w.draft.pk]), None, OFFICE),
    (
        "退回",
        "POST",
        lambda w: reverse("ledger:task_reject", args=[w.draft.pk]),
        lambda w: {"reason": "重复任务"},
        OFFICE,
    ),
    ("确认全文", "POST", lambda w: reverse("ledger:document_confirm", args=[w.draft.document_id]), None, OFFICE),
    ("督查台账", "GET", lambda w: reverse("ledger:tasks"), None, EVERYONE),
    ("立项（页面）", "GET", lambda w: reverse("ledger:task_open"), None, OFFICES),
    (
        "立项",
        "POST",
        lambda w: reverse("ledger:task_open"),
        lambda w: {"kind": "public", "public_origin": "12345热线", "title": "处理噪声投诉", "lead_units": "市教育局"},
        OFFICES,
    ),
    ("任务详情", "GET", lambda w: reverse("ledger:task", args=[w.task_a.pk]), None, SEES_TASK_A),
    ("任务详情（B）", "GET", lambda w: reverse("ledger:task", args=[w.task_b.pk]), None, SEES_TASK_B),
    ("待审核任务详情", "GET", lambda w: reverse("ledger:task", args=[w.draft.pk]), None, OFFICE),
    (
        "县区任务详情",
        "GET",
        lambda w: reverse("ledger:task", args=[w.county_task.pk]),
        None,
        {"office_county", "admin"},
    ),
    ("报送进度（页面）", "GET", lambda w: reverse("ledger:report", args=[w.task_a.pk]), None, LIAISON_A),
    (
        "报送进度",
        "POST",
        lambda w: reverse("ledger:report", args=[w.task_a.pk]),
        lambda w: {"text": "已完成宣传", "percent": "40"},
        LIAISON_A,
    ),
    ("交办（页面）", "GET", lambda w: reverse("ledger:assign", args=[w.task_a.pk]), None, OFFICE),
    (
        "交办",
        "POST",
        lambda w: reverse("ledger:assign", args=[w.task_a.pk]),
        lambda w: {"reporting_cycle": "weekly", "owner": ""},
        OFFICE,
    ),
    (
        "新增时限",
        "POST",
        lambda w: reverse("ledger:deadline_add", args=[w.task_a.pk]),
        lambda w: {"date": _future(), "text": ""},
        OFFICE,
    ),
    (
        "调整时限",
        "POST",
        lambda w: reverse("ledger:deadline_move", args=[w.task_a.deadlines.get().pk]),
        lambda w: {"date": _future()},
        OFFICE,
    ),
    ("办结", "POST", lambda w: reverse("ledger:task_done", args=[w.task_a.pk]), lambda w: {"note": "已核验"}, OFFICE),
    ("下发督办单（页面）", "GET", lambda w: reverse("ledger:order_issue", args=[w.task_a.pk]), None, OFFICE),
    (
        "下发督办单",
        "POST",
        lambda w: reverse("ledger:order_issue", args=[w.task_a.pk]),
        lambda w: {"unit": w.unit_a.pk, "reason": "再次督办", "reply_by": _future()},
        OFFICE,
    ),
    ("督办单列表", "GET", lambda w: reverse("ledger:orders"), None, EVERYONE),
    ("漏报进度", "GET", lambda w: reverse("ledger:missed_reports"), None, OFFICES),
    ("漏报进度（指定报送期）", "GET", lambda w: reverse("ledger:missed_reports") + "?period=2020-06", None, OFFICES),
    ("督办单", "GET", lambda w: reverse("ledger:order", args=[w.order.pk]), None, SEES_TASK_A),
    ("回复督办单（页面）", "GET", lambda w: reverse("ledger:order_answer", args=[w.order.pk]), None, LIAISON_A),
    (
        "回复督办单",
        "POST",
        lambda w: reverse("ledger:order_answer", args=[w.order.pk]),
        lambda w: {"answer": "已整改到位"},
        LIAISON_A,
    ),
    ("我的提醒", "GET", lambda w: reverse("ledger:reminders"), None, EVERYONE),
    ("督办设置", "GET", lambda w: reverse("ledger:supervision_settings"), None, EVERYONE),
    ("标为已读", "POST", lambda w: reverse("ledger:reminder_read", args=[w.reminder.pk]), None, LIAISON_A),
    ("全部标为已读", "POST", lambda w: reverse("ledger:reminders_read_all"), None, EVERYONE),
    ("下载附件", "GET", lambda w: reverse("ledger:attachment", args=[_attachment(w).pk]), None, SEES_TASK_A),
    ("关注", "POST", lambda w: reverse("ledger:task_watch", args=[w.task_a.pk]), lambda w: {"watch": "1"}, LEADER),
    ("批示（页面）", "GET", lambda w: reverse("ledger:task_instruct", args=[w.task_a.pk]), None, LEADER),
    (
        "批示",
        "POST",
        lambda w: reverse("ledger:task_instruct", args=[w.task_a.pk]),
        lambda w: {"text": "请加快进度"},
        LEADER,
    ),
    (
        "县区任务批示",
        "POST",
        lambda w: reverse("ledger:task_instruct", args=[w.county_task.pk]),
        lambda w: {"text": "请加快进度"},
        set(),
    ),
    ("下载批示件", "GET", lambda w: reverse("ledger:source_attachment", args=[_instructed(w).pk]), None, SEES_TASK_A),
    ("工作台", "GET", lambda w: reverse("workbench"), None, EVERYONE),
    ("导入任务分解表（页面）", "GET", lambda w: reverse("ledger:workbook_upload"), None, OFFICES),
    ("上传任务分解表", "POST", lambda w: reverse("ledger:workbook_upload"), lambda w: {"file": _sheet_file()}, OFFICES),
    ("导入预览", "GET", lambda w: reverse("ledger:workbook_preview", args=[_staged(w)]), None, UPLOADER),
    (
        "按所选的列读取",
        "POST",
        lambda w: reverse("ledger:workbook_preview", args=[_staged(w)]),
        lambda w: _mapping(w),
        UPLOADER,
    ),
    ("导入", "POST", lambda w: reverse("ledger:workbook_import", args=[_staged(w)]), None, UPLOADER),
    ("导出 Excel", "GET", lambda w: reverse("ledger:workbook_export"), None, OFFICES),
    ("上传公文（页面）", "GET", lambda w: reverse("ledger:upload"), None, OFFICES),
    (
        "上传公文",
        "POST",
        lambda w: reverse("ledger:upload"),
        lambda w: {"jurisdiction": w.city.pk, "file": SimpleUploadedFile("通知.txt", "不是公文的文字".encode() * 3)},
        OFFICES,  # the county's office is answered by the form: 所选辖区无效或无权上传
    ),
    ("读取进度", "GET", lambda w: reverse("ledger:upload_job", args=[_job(w).pk]), None, OFFICE),
    ("读取进度（数据）", "GET", lambda w: reverse("ledger:upload_job_status", args=[_job(w).pk]), None, OFFICE),
    ("公文库", "GET", lambda w: reverse("ledger:library") + "?q=健康", None, OFFICES),
    ("公报列表", "GET", lambda w: reverse("ledger:library_issues"), None, OFFICES),
    ("公报", "GET", lambda w: reverse("ledger:library_issue", args=[w.draft.document.issue_id]), None, OFFICE),
    ("公文全文", "GET", lambda w: reverse("ledger:library_document", args=[w.draft.document_id]), None, OFFICE),
    # the task's life: 签收, 延期, 办结验收
    ("签收", "POST", lambda w: reverse("ledger:acknowledge", args=[w.task_a.pk]), None, LIAISON_A),
    (
        "待签收任务",
        "GET",
        lambda w: reverse("ledger:acknowledgements"),
        None,
        OFFICES | {"liaison_a", "liaison_b", "staff_a"},  # a unit's people: their own unit's
    ),
    ("申请延期（页面）", "GET", lambda w: reverse("ledger:extension_new", args=[w.task_a.pk]), None, LIAISON_A),
    (
        "申请延期",
        "POST",
        lambda w: reverse("ledger:extension_new", args=[w.task_a.pk]),
        lambda w: {"deadline": w.task_a.deadlines.get().pk, "requested_date": _future(), "reason": "汛期停工"},
        LIAISON_A,
    ),
    ("延期申请列表", "GET", lambda w: reverse("ledger:extensions"), None, EVERYONE),
    ("延期申请", "GET", lambda w: reverse("ledger:extension", args=[_extension(w).pk]), None, SEES_TASK_A),
    (
        "审批延期",
        "POST",
        lambda w: reverse("ledger:extension", args=[_extension(w).pk]),
        lambda w: {"decision": "approve", "note": "同意"},
        OFFICE,
    ),
    ("申请办结（页面）", "GET", lambda w: reverse("ledger:closure_new", args=[w.task_a.pk]), None, LIAISON_A),
    (
        "申请办结",
        "POST",
        lambda w: reverse("ledger:closure_new", args=[w.task_a.pk]),
        lambda w: {"summary": "已完成", "attachments": SimpleUploadedFile("佐证.pdf", minimal_pdf())},
        LIAISON_A,
    ),
    ("办结申请列表", "GET", lambda w: reverse("ledger:closures"), None, EVERYONE),
    ("办结申请", "GET", lambda w: reverse("ledger:closure", args=[_closure(w).pk]), None, SEES_TASK_A),
    (
        "办结验收",
        "POST",
        lambda w: reverse("ledger:closure", args=[_closure(w).pk]),
        lambda w: {"decision": "accept", "note": ""},
        OFFICE,
    ),
    (
        "下载佐证材料",
        "GET",
        lambda w: reverse("ledger:closure_attachment", args=[_closure(w).attachments.get().pk]),
        None,
        SEES_TASK_A,
    ),
]


def _extension(world):
    """Unit A's pending 延期 of task A (made once per case)."""
    from duban.ledger.lifecycle import extension_request
    from duban.ledger.models import ExtensionRequest

    found = ExtensionRequest.objects.filter(task=world.task_a).first()
    return found or extension_request(
        actor=world.users["liaison_a"],
        task=world.task_a,
        unit=world.unit_a,
        deadline=world.task_a.deadlines.get(),
        requested_date=dt.date.fromisoformat(_future()),
        reason="汛期停工",
    )


def _closure(world):
    """Unit A's pending 办结申请 of task A with one file (made once per case)."""
    from duban.ledger.lifecycle import closure_apply
    from duban.ledger.models import ClosureRequest

    found = ClosureRequest.objects.filter(task=world.task_a).first()
    return found or closure_apply(
        actor=world.users["liaison_a"],
        task=world.task_a,
        unit=world.unit_a,
        summary="已完成",
        attachments=[SimpleUploadedFile("佐证.pdf", minimal_pdf())],
    )


def _job(world) -> UploadJob:
    return upload_job_create(
        actor=world.users["office_city"], jurisdiction=world.city, file_name="a.txt", content=b"no document"
    )


def _sheet() -> bytes:
    return xlsx([["任务", "牵头单位", "完成时限"], ["推进校园足球", "市教育局", "2031年6月底前"]])


def _sheet_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("分解表.xlsx", _sheet())


def _staged(world) -> str:
    """A sheet the city's office uploaded (only its uploader previews and imports it)."""
    from duban.ledger.workbook_import import workbook_stage

    return workbook_stage(
        actor=world.users["office_city"], jurisdiction=world.city, content=_sheet(), file_name="分解表.xlsx"
    )


def _mapping(world) -> dict:
    return {"header_row": "2", "col_1": "title", "col_2": "lead", "col_3": "deadline"}


def _instructed(world) -> Task:
    """A task opened from a leader's 批示 with its scan, led by unit A (so seen as task A is)."""
    scan = SimpleUploadedFile("批示件.pdf", minimal_pdf("pishi"), content_type="application/pdf")
    return task_open(
        actor=world.users["office_city"],
        jurisdiction=world.city,
        source=TaskSourceInput(
            kind="instruction", person="王市长", date=dt.date(2020, 6, 1), words="阅", attachment=scan
        ),
        title="落实批示",
        lead_units=[world.unit_a],
    )


def _attachment(world) -> ProgressAttachment:
    report = progress_report_create(
        actor=world.users["liaison_a"],
        task=world.task_a,
        unit=world.unit_a,
        text="宣传周",
        percent=30,
        attachments=[SimpleUploadedFile("进展.pdf", minimal_pdf(), content_type="application/pdf")],
        reported_on=dt.date(2020, 6, 10),
        today=dt.date(2020, 6, 10),
    )
    return report.attachments.get()


CASES = [
    pytest.param(action, method, url, data, role, role in allowed, id=f"{action}-{role}")
    for action, method, url, data, allowed in MATRIX
    for role in ROLES
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module")
def ledger_world(django_db_setup, django_db_blocker):
    yield from built_once(django_db_blocker, build_ledger_world)


@pytest.fixture
def lw(ledger_world, db):
    """The module's world, as every case finds it (ledger_world.py builds it)."""
    return copy.deepcopy(ledger_world)


@pytest.mark.parametrize("action, method, url, data, role, allowed", CASES)
def test_access_matrix(client, lw, action, method, url, data, role, allowed):
    if action == "下发督办单":
        # The open 督办单 of the world is answered first, so that a second one may be issued.
        from duban.ledger.services import order_answer

        order_answer(actor=lw.users["liaison_a"], order=lw.order, answer="已回复", answered_on=dt.date(2020, 6, 25))
    if role != "anonymous":
        client.force_login(lw.users[role])
    address = url(lw)
    payload = data(lw) if data else {}
    response = client.get(address) if method == "GET" else client.post(address, payload)
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/login/"), action
        return
    if allowed:
        assert response.status_code in (200, 302), f"{action} as {role}: {response.status_code}"
        if response.status_code == 302:
            assert not response.url.startswith("/login/")
    else:
        assert response.status_code == 403, f"{action} as {role}: expected 403, got {response.status_code}"


def test_the_matrix_covers_every_ledger_url():
    from duban.ledger import urls

    names = {pattern.name for pattern in urls.urlpatterns}
    covered = {
        "review",
        "task_edit",
        "task_confirm",
        "task_reject",
        "document_confirm",
        "tasks",
        "task_open",
        "task_watch",
        "task_instruct",
        "task",
        "report",
        "assign",
        "deadline_add",
        "deadline_move",
        "task_done",
        "order_issue",
        "orders",
        "order",
        "order_answer",
        "missed_reports",
        "reminders",
        "supervision_settings",
        "reminder_read",
        "reminders_read_all",
        "attachment",
        "source_attachment",
        "workbook_upload",
        "workbook_preview",
        "workbook_import",
        "workbook_export",
        "upload",
        "upload_job",
        "upload_job_status",
        "library",
        "library_issues",
        "library_issue",
        "library_document",
        "acknowledge",
        "acknowledgements",
        "extension_new",
        "extensions",
        "extension",
        "closure_new",
        "closures",
        "closure",
        "closure_attachment",
    }
    assert names == covered


def test_allowed_posts_did_their_work(client, lw):
    """Spot checks that an allowed action in the matrix changed what it should."""
    client.force_login(lw.users["liaison_a"])
    client.post(reverse("ledger:report", args=[lw.task_a.pk]), {"text": "已完成宣传", "percent": "40"})
    assert ProgressReport.objects.get(task=lw.task_a).percent == 40
    client.force_login(lw.users["office_city"])
    client.post(reverse("ledger:task_done", args=[lw.task_a.pk]), {"note": "已核验"})
    lw.task_a.refresh_from_db()
    assert lw.task_a.done_on is not None


def test_allowed_life_posts_did_their_work(client, lw):
    """签收, 延期 and 办结 through the pages: each POST the matrix allows changed what it should."""
    from duban.ledger.models import ClosureRequest, ExtensionRequest, TaskUnit

    client.force_login(lw.users["liaison_a"])
    client.post(reverse("ledger:acknowledge", args=[lw.task_a.pk]))
    assert TaskUnit.objects.get(task=lw.task_a, unit=lw.unit_a).acknowledged_by == lw.users["liaison_a"]
    deadline = lw.task_a.deadlines.get()
    client.post(
        reverse("ledger:extension_new", args=[lw.task_a.pk]),
        {"deadline": deadline.pk, "requested_date": _future(), "reason": "汛期停工"},
    )
    extension = ExtensionRequest.objects.get(task=lw.task_a)
    client.post(
        reverse("ledger:closure_new", args=[lw.task_a.pk]),
        {"summary": "已完成", "attachments": SimpleUploadedFile("佐证.pdf", minimal_pdf())},
    )
    closure = ClosureRequest.objects.get(task=lw.task_a)
    client.force_login(lw.users["office_city"])
    client.post(reverse("ledger:extension", args=[extension.pk]), {"decision": "approve"})
    deadline.refresh_from_db()
    assert deadline.date.isoformat() == _future()
    client.post(reverse("ledger:closure", args=[closure.pk]), {"decision": "accept"})
    lw.task_a.refresh_from_db()
    assert lw.task_a.done_on is not None


def test_lists_show_only_what_the_role_may_see(client, lw):
    pages = {}
    for role in ("office_city", "office_county", "liaison_a", "liaison_b", "staff_a", "erji", "committee", "admin"):
        client.force_login(lw.users[role])
        pages[role] = client.get(reverse("ledger:tasks")).content.decode()
    a, b, county = "实施健康知识普及行动", "加强学校体育工作", "老旧小区改造"
    assert a in pages["office_city"] and b in pages["office_city"] and county not in pages["office_city"]
    assert county in pages["office_county"] and a not in pages["office_county"]
    assert a in pages["liaison_a"] and b not in pages["liaison_a"]
    assert b in pages["liaison_b"] and a not in pages["liaison_b"]
    assert a in pages["staff_a"] and b not in pages["staff_a"]
    assert a in pages["erji"] and b not in pages["erji"]
    assert a in pages["committee"] and b in pages["committee"]
    assert a in pages["admin"] and b in pages["admin"]
    # The 督办单 list: unit B's liaison sees none of unit A's.
    client.force_login(lw.users["liaison_b"])
    assert lw.order.number not in client.get(reverse("ledger:orders")).content.decode()
    client.force_login(lw.users["liaison_a"])
    assert lw.order.number in client.get(reverse("ledger:orders")).content.decode()


def test_review_link_is_in_the_office_navigation_only(client, lw):
    client.force_login(lw.users["office_city"])
    assert reverse("ledger:review") in client.get(reverse("ledger:tasks")).content.decode()
    client.force_login(lw.users["liaison_a"])
    page = client.get(reverse("ledger:tasks")).content.decode()
    assert reverse("ledger:review") not in page and reverse("ledger:reminders") in page
