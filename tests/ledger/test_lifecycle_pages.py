"""The task's life through the pages (the Django test client): the liaison's 签收, 延期 and 办结 forms, the
office's decisions, the task page's history and the workbench's panels; bad input gets a Chinese
message on the form and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.ledger import services
from duban.ledger.models import ClosureAttachment, ClosureRequest, DeadlineChange, ExtensionRequest, TaskUnit
from tests.factories import minimal_pdf

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def assigned(lw, settings):
    """Task A 交办 on Wednesday 2020-07-01 (签收 due Friday 07-03); the site runs on 07-01."""
    settings.DUBAN_TODAY = "2020-07-01"
    services.task_assign(actor=lw.user("office_city"), task=lw.task_a, reporting_cycle="monthly", owner=None)
    return lw


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def workbench_panel(client, user) -> dict:
    client.force_login(user)
    return next(p for p in client.get("/workbench/").context["panels"] if p["template"] == "ledger/panel.html")


def test_the_liaison_acknowledges_on_the_task_page_and_the_unit_staff_only_reads(client, assigned):
    lw = assigned
    task_url = reverse("ledger:task", args=[lw.task_a.pk])
    html = page(client, lw.user("liaison_a"), task_url)
    ack = reverse("ledger:acknowledge", args=[lw.task_a.pk])
    assert ack in html and "待签收" in html and "请于 2020-07-03 前签收" in html
    assert ack not in page(client, lw.user("staff_a"), task_url)
    client.force_login(lw.user("liaison_a"))
    response = client.post(ack, follow=True)
    text = response.content.decode()
    assert "已签收任务" in text and "已签收（2020-07-01" in text and ack not in text
    response = client.post(ack, follow=True)  # a second time: refused in Chinese, nothing changes
    assert "已于 2020-07-01 签收该任务" in response.content.decode()
    assert TaskUnit.objects.filter(task=lw.task_a, acknowledged_at__isnull=False).count() == 1


def test_the_workbenches_flag_what_waits_for_whom(client, assigned, settings):
    lw = assigned
    liaison = workbench_panel(client, lw.user("liaison_a"))
    assert [item.task for item in liaison["to_acknowledge"]] == [lw.task_a]
    card = next(c for c in liaison["cards"] if c["label"] == "待签收")
    assert card["count"] == 1 and client.get(card["url"]).context["page"].paginator.count == 1
    html = client.get("/workbench/").content.decode()
    assert 'name="next" value="workbench"' in html
    assert client.post(reverse("ledger:acknowledge", args=[lw.task_a.pk]), {"next": "workbench"}).url == "/workbench/"
    assert not workbench_panel(client, lw.user("liaison_a"))["to_acknowledge"]

    services.task_assign(actor=None, task=lw.task_b, reporting_cycle="monthly", owner=None)
    settings.DUBAN_TODAY = "2020-07-06"  # past task B's window: unit B never acknowledged it
    office = workbench_panel(client, lw.user("office_city"))
    late = next(c for c in office["cards"] if c["label"] == "超时未签收")
    assert late["count"] == 1 and [i.unit for i in office["late_acknowledgements"]] == [lw.unit_b]
    listed = client.get(late["url"])
    assert listed.context["page"].paginator.count == 1 and "超时未签收" in listed.content.decode()
    assert "市教育局" in listed.content.decode() and "实施健康知识普及行动" not in listed.content.decode()


def test_an_extension_asked_refused_asked_again_and_approved(client, assigned):
    lw = assigned
    new = reverse("ledger:extension_new", args=[lw.task_a.pk])
    deadline = lw.task_a.deadlines.get()
    client.force_login(lw.user("liaison_a"))
    bad = client.post(new, {"deadline": deadline.pk, "requested_date": "2020-06-01", "reason": "汛期"})
    assert bad.status_code == 200 and "须晚于现在的完成时限 2020-06-15" in bad.content.decode()
    bad = client.post(new, {"deadline": deadline.pk, "requested_date": "2020-08-31", "reason": ""})
    assert "请填写延期理由" in bad.content.decode()
    assert not ExtensionRequest.objects.exists()
    assert (
        client.post(new, {"deadline": deadline.pk, "requested_date": "2020-08-31", "reason": "汛期停工"}).status_code
        == 302
    )
    first = ExtensionRequest.objects.get()

    office = workbench_panel(client, lw.user("office_city"))
    assert office["extensions_to_decide"] == [first]
    detail = reverse("ledger:extension", args=[first.pk])
    html = page(client, lw.user("office_city"), detail)
    assert "同意延期" in html and "汛期停工" in html
    refused = client.post(detail, {"decision": "refuse", "note": ""})
    assert refused.status_code == 200 and "不同意延期须说明理由" in refused.content.decode()
    client.post(detail, {"decision": "refuse", "note": "理由不充分"})
    deadline.refresh_from_db()
    assert deadline.date == D(2020, 6, 15)
    assert "提交审批" not in page(client, lw.user("office_city"), detail)  # decided: no form

    client.force_login(lw.user("liaison_a"))
    client.post(new, {"deadline": deadline.pk, "requested_date": "2020-09-30", "reason": "补充了停工证明"})
    second = ExtensionRequest.objects.get(status="pending")
    client.force_login(lw.user("office_city"))
    client.post(reverse("ledger:extension", args=[second.pk]), {"decision": "approve", "note": ""})
    deadline.refresh_from_db()
    assert deadline.date == D(2020, 9, 30)
    (change,) = DeadlineChange.objects.all()
    html = page(client, lw.user("liaison_a"), reverse("ledger:task", args=[lw.task_a.pk]))
    assert "完成时限调整记录" in html and reverse("ledger:extension", args=[second.pk]) in html
    assert "理由不充分" in html and "未同意" in html and "已同意" in html
    assert "2020年9月30日（延期，原为2020年6月15日：" in html  # the facts say the deadline moved
    assert change.from_date == D(2020, 6, 15)
    # unit B's liaison sees neither the task nor its requests
    client.force_login(lw.user("liaison_b"))
    assert client.get(detail).status_code == 403
    assert "汛期" not in client.get(reverse("ledger:extensions") + "?status=").content.decode()


def test_a_closure_returned_then_accepted_through_the_pages(client, assigned):
    lw = assigned
    new = reverse("ledger:closure_new", args=[lw.task_a.pk])
    client.force_login(lw.user("liaison_a"))
    html = client.get(new).content.decode()
    assert 'enctype="multipart/form-data"' in html
    fake = SimpleUploadedFile("佐证.pdf", b"<html>not a pdf</html>")
    bad = client.post(new, {"summary": "已完成", "attachments": fake})
    assert bad.status_code == 200 and "无法作为 PDF 文件打开" in bad.content.decode()
    bad = client.post(new, {"summary": "已完成"})
    assert "请上传办结佐证材料" in bad.content.decode()
    assert not ClosureRequest.objects.exists() and not ClosureAttachment.objects.exists()
    client.post(new, {"summary": "已完成", "attachments": SimpleUploadedFile("佐证.pdf", minimal_pdf())})
    first = ClosureRequest.objects.get()
    assert "正等待督查室验收" in client.get(new).content.decode()

    office = workbench_panel(client, lw.user("office_city"))
    card = next(c for c in office["cards"] if c["label"] == "待验收办结")
    assert card["count"] == 1 and office["closures_to_accept"] == [first]
    detail = reverse("ledger:closure", args=[first.pk])
    html = page(client, lw.user("office_city"), detail)
    download = reverse("ledger:closure_attachment", args=[first.attachments.get().pk])
    assert download in html and "验收通过，任务办结" in html
    assert client.get(download).status_code == 200
    returned = client.post(detail, {"decision": "return", "note": ""})
    assert "退回须说明理由" in returned.content.decode()
    client.post(detail, {"decision": "return", "note": "缺少现场照片"})
    html = page(client, lw.user("liaison_a"), reverse("ledger:task", args=[lw.task_a.pk]))
    assert "缺少现场照片" in html and "已退回" in html and "已办结" not in html

    client.post(new, {"summary": "已补充照片", "attachments": SimpleUploadedFile("照片.pdf", minimal_pdf("photo"))})
    second = ClosureRequest.objects.get(status="pending")
    client.force_login(lw.user("office_city"))
    client.post(reverse("ledger:closure", args=[second.pk]), {"decision": "accept", "note": "同意办结"})
    lw.task_a.refresh_from_db()
    assert lw.task_a.done_on == D(2020, 7, 1)
    html = page(client, lw.user("liaison_a"), reverse("ledger:task", args=[lw.task_a.pk]))
    assert "已办结" in html and reverse("ledger:closure_new", args=[lw.task_a.pk]) not in html
    assert reverse("ledger:report", args=[lw.task_a.pk]) not in html  # a task 办结 takes no more reports
    title = html[html.index("<h2>") : html.index("</h2>")]
    assert title.count("已办结") == 1  # the standing's badge, no light saying it again beside it
    client.force_login(lw.user("liaison_b"))
    assert client.get(download).status_code == 403
