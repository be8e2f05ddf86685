"""The 立项 page: one service call per post; units named as the 机构名录 writes them (an unknown name
answered with the closest units, never created); the task page shows its source; the ledger filters
by source kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.accounts.models import AuditLog, Unit
from duban.ledger.models import Task, TaskSource
from duban.ledger.sources import HAND_KINDS, SOURCE_KINDS
from tests.factories import minimal_pdf

TODAY = dt.date(2020, 7, 1)

POSTS = {
    "instruction": {
        "instruction_person": "王市长",
        "instruction_date": "2020-06-28",
        "instruction_words": "请抓紧落实。",
    },
    "meeting": {"meeting_origin": "市政府第12次常务会议", "meeting_date": "2020-06-20", "meeting_number": "纪要12号"},
    "superior": {"superior_origin": "省政府督查室", "superior_number": "豫政督〔2020〕8号"},
    "npc": {"npc_number": "第0123号", "npc_person": "李代表"},
    "cppcc": {"cppcc_number": "第0456号", "cppcc_person": "赵委员"},
    "public": {"public_origin": "12345热线", "public_number": "GD20200601"},
}


@pytest.fixture(autouse=True)
def _today(settings, tmp_path):
    settings.DUBAN_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office(client, lw):
    client.force_login(lw.users["office_city"])
    return client


def post(client, kind: str, **extra):
    data = {
        "kind": kind,
        **POSTS[kind],
        "title": f"{SOURCE_KINDS[kind].label}交办事项",
        "text": "具体内容。",
        "lead_units": "市卫健委",  # an alias: resolved to 市卫生健康体育委员会
        "responsible_units": "市教育局",
        "deadlines": "2020-12-31 年底前完成\n2020-09-30",
        "reporting_cycle": "monthly",
    }
    data.update(extra)
    return client.post(reverse("ledger:task_open"), data)


def test_the_page_offers_every_hand_kind_and_the_directory(office):
    page = office.get(reverse("ledger:task_open")).content.decode()
    for code in HAND_KINDS:
        assert f'data-source-kind="{code}"' in page and SOURCE_KINDS[code].label in page
    assert 'id="unit-directory"' in page and "市卫生健康体育委员会" in page
    assert "data-unit-picker" in page


@pytest.mark.parametrize("kind", HAND_KINDS)
def test_each_kind_opens_a_task_the_task_page_shows(office, lw, kind):
    response = post(office, kind)
    task = Task.objects.get(title=f"{SOURCE_KINDS[kind].label}交办事项")
    assert response.status_code == 302 and response.url == reverse("ledger:task", args=[task.pk])
    assert task.source_kind == kind and task.status == Task.Status.CONFIRMED
    assert [a.unit for a in task.assignments.order_by("role")] == [lw.unit_a, lw.unit_b]
    assert [(d.date, d.text) for d in task.deadlines.all()] == [
        (dt.date(2020, 9, 30), "2020年9月30日前"),
        (dt.date(2020, 12, 31), "年底前完成"),
    ]
    page = office.get(response.url).content.decode()
    assert SOURCE_KINDS[kind].label in page
    for value in POSTS[kind].values():
        if "-" not in value:
            assert value in page
    listed = office.get(reverse("ledger:tasks"), {"source": kind}).content.decode()
    assert task.title in listed and lw.task_a.title not in listed


def test_the_scan_of_an_instruction_is_kept_and_downloaded(office, lw):
    scan = SimpleUploadedFile("批示件.pdf", minimal_pdf("pishi"), content_type="application/pdf")
    response = post(office, "instruction", instruction_attachment=scan)
    task = Task.objects.get(source_kind="instruction")
    assert response.status_code == 302
    page = office.get(response.url).content.decode()
    link = reverse("ledger:source_attachment", args=[task.pk])
    assert link in page and "批示件.pdf" in page
    download = office.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert TaskSource.objects.get(task=task).attachment_name == "批示件.pdf"


def test_a_task_without_scan_has_no_download(office, lw):
    post(office, "public")
    task = Task.objects.get(source_kind="public")
    assert office.get(reverse("ledger:source_attachment", args=[task.pk])).status_code == 404


def test_an_unknown_unit_is_answered_with_the_closest_units_and_nothing_is_written(office, lw):
    units, tasks, audits = Unit.objects.count(), Task.objects.count(), AuditLog.objects.count()
    response = post(office, "public", lead_units="市卫健体育委")
    assert response.status_code == 200
    page = response.content.decode()
    assert "机构名录中没有“市卫健体育委”" in page and "是否为：市卫生健康体育委员会" in page
    assert (Unit.objects.count(), Task.objects.count(), AuditLog.objects.count()) == (units, tasks, audits)


def test_a_refusal_of_the_service_lands_on_the_kinds_field(office, lw):
    response = post(office, "meeting", meeting_date="")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["meeting_date"] == ["请填写会议日期"]
    assert not Task.objects.filter(source_kind="meeting").exists()


def test_missing_title_and_units_are_named(office, lw):
    response = post(office, "npc", title="", lead_units="", responsible_units="")
    errors = response.context["form"].errors
    assert errors["title"] == ["请填写任务名称"]


def test_no_units_are_named(office, lw):
    errors = post(office, "npc", lead_units="", responsible_units="").context["form"].errors
    assert errors["lead_units"] == ["请至少指定一个牵头单位或责任单位"]


def test_a_bad_deadline_line_is_named(office, lw):
    errors = post(office, "npc", deadlines="年底前").context["form"].errors
    assert "开头不是有效日期" in errors["deadlines"][0]


def test_the_ledger_offers_the_source_filter_and_the_office_the_button(office, lw, client):
    page = office.get(reverse("ledger:tasks")).content.decode()
    assert 'name="source"' in page and reverse("ledger:task_open") in page
    for code, kind in SOURCE_KINDS.items():
        assert f'value="{code}"' in page and kind.label in page
    client.force_login(lw.users["liaison_a"])
    assert reverse("ledger:task_open") not in client.get(reverse("ledger:tasks")).content.decode()


def test_a_bad_source_filter_shows_everything(office, lw):
    page = office.get(reverse("ledger:tasks"), {"source": "rumour"}).content.decode()
    assert lw.task_a.title in page
