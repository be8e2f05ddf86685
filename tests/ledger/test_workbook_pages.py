"""The 任务分解表 pages: upload, preview with every row's problems, the mapping step, 导入 (refused while
any row has an error), and the 台账 exported with the filters on screen and imported back."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from duban.accounts.models import AuditLog
from duban.accounts.services import person_create
from duban.ledger.models import Task
from duban.ledger.workbook_import import STAGING_DIR, workbook_stage
from tests.factories import login_create, sheet_units_create
from tests.workbooks import twenty_rows, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]


@pytest.fixture
def on_the_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(DUBAN_TODAY="2021-01-05"):
        yield


@pytest.fixture
def office(city):
    sheet_units_create(city)
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    client = Client()
    client.force_login(login_create("office", person, password="pw-12345678"))
    return client


def _upload(client, content, name="分解表.xlsx"):
    return client.post(reverse("ledger:workbook_upload"), {"file": SimpleUploadedFile(name, content)}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _staged_files(settings) -> list:
    folder = settings.MEDIA_ROOT / STAGING_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_sheet_with_two_bad_rows_is_previewed_with_both_rows_named_and_refused(office, settings):
    response = _upload(office, xlsx(twenty_rows(bad=True)))
    page = response.content.decode()
    assert response.status_code == 200 and response.templates[0].name == "ledger/workbook_preview.html"
    assert "第7行：牵头单位“市卫建委”不在机构名录中（是否为：驻马店市卫生健康体育委员会）" in page
    assert "第16行：完成时限“尽快完成”无法识别为日期" in page
    assert "有错误 2 行" in page
    assert '<button type="submit" id="workbook-import" disabled>' in page
    before = (Task.objects.count(), AuditLog.objects.count())
    token = response.context["staged"].token
    refused = office.post(reverse("ledger:workbook_import", args=[token]))
    assert refused.status_code == 200
    (message,) = _messages(refused)
    assert message.startswith("未导入：有 2 处错误") and "第7行" in message and "第16行" in message
    assert (Task.objects.count(), AuditLog.objects.count()) == before


def test_the_fixed_sheet_imports_all_twenty_rows(office, settings):
    response = _upload(office, xlsx(twenty_rows(bad=False)))
    page = response.content.decode()
    assert "新任务 20 项" in page and "disabled" not in page.split('id="workbook-import"')[1].split(">")[0]
    done = office.post(reverse("ledger:workbook_import", args=[response.context["staged"].token]), follow=True)
    assert done.redirect_chain[-1][0] == reverse("ledger:tasks")
    assert _messages(done)[-1] == "已导入“分解表.xlsx”：新任务 20 项，已在台账 0 项（未重复导入）。"
    assert Task.objects.count() == 20
    assert _staged_files(settings) == []  # the kept upload is gone once imported
    # The same token again: the sheet is no longer there.
    assert office.post(reverse("ledger:workbook_import", args=[response.context["staged"].token])).status_code == 404


def test_the_export_keeps_the_filters_on_screen_and_imports_back_to_nothing_new(office, city):
    _upload_and_import(office, xlsx(twenty_rows(bad=False)))
    ledger = office.get(reverse("ledger:tasks"), {"standing": "open"}).content.decode()
    assert f'href="{reverse("ledger:workbook_export")}?standing=open"' in ledger
    unit = Task.objects.get(title="2021年重点任务第1项").assignments.get(role="lead").unit
    response = office.get(reverse("ledger:workbook_export"), {"unit": unit.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.getvalue())).worksheets[0]  # sent from a file: streamed
    titles = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    expected = Task.objects.filter(assignments__unit=unit).distinct().count()
    assert len(titles) == expected < 20
    assert f"单位：{unit.name}" in sheet["A1"].value
    everything = office.get(reverse("ledger:workbook_export")).getvalue()
    before = Task.objects.count()
    preview = _upload(office, everything, name="台账导出.xlsx")
    assert "已在台账 20 项" in preview.content.decode() and "新任务 0 项" in preview.content.decode()
    office.post(reverse("ledger:workbook_import", args=[preview.context["staged"].token]))
    assert Task.objects.count() == before


def test_the_export_holds_the_rows_the_screen_shows_for_search_and_source_too(office, city):
    _upload_and_import(office, xlsx(twenty_rows(bad=False)))
    query = {"q": "第1项", "source": "workbook"}
    shown = office.get(reverse("ledger:tasks"), query).context["page"].paginator.count
    sheet = load_workbook(BytesIO(office.get(reverse("ledger:workbook_export"), query).getvalue())).worksheets[0]
    exported = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[2]]
    assert 0 < len(exported) == shown < 20
    assert all("第1项" in title for title in exported)
    assert "搜索：第1项" in sheet["A1"].value and "来源：任务分解表" in sheet["A1"].value


def _upload_and_import(client, content):
    response = _upload(client, content)
    client.post(reverse("ledger:workbook_import", args=[response.context["staged"].token]))


def test_unrecognised_headers_get_a_mapping_step_and_import_with_it(office):
    rows = [["编", "事", "谁", "何时"], ["1", "殡葬改革", "市民政局", "2021年6月底前"]]
    response = _upload(office, xlsx(rows, title=None))
    page = response.content.decode()
    assert "未能识别" in page and "指定各列的内容" in page and 'name="col_2"' in page
    token = response.context["staged"].token
    wrong = office.post(reverse("ledger:workbook_preview", args=[token]), {"header_row": "1", "col_3": "lead"})
    assert "请至少指定“任务”或“具体内容”所在的列" in wrong.content.decode()
    twice = {"header_row": "1", "col_2": "title", "col_3": "lead", "col_4": "lead"}
    assert "每项只能对应一列" in office.post(reverse("ledger:workbook_preview", args=[token]), twice).content.decode()
    mapping = {"header_row": "1", "col_1": "seq", "col_2": "title", "col_3": "lead", "col_4": "deadline"}
    mapped = office.post(reverse("ledger:workbook_preview", args=[token]), mapping)
    page = mapped.content.decode()
    assert "按所选的列读取" in page and "驻马店市民政局" in page and "新任务 1 项" in page
    assert '<input type="hidden" name="col_3" value="lead"' in page
    office.post(reverse("ledger:workbook_import", args=[token]), mapping)
    task = Task.objects.get()
    assert (task.title, task.ref, task.deadlines.get().date.isoformat()) == ("殡葬改革", "1", "2021-06-30")


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("a.xlsx", b"not a workbook", "不是可读取的 Excel"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        ("notes.txt", b"hello", "不是 .xlsx 文件"),
        ("a.xlsx", b"", "上传的文件是空的"),
    ],
)
def test_a_file_that_is_no_sheet_is_refused_with_a_message_and_nothing_kept(office, settings, name, content, said):
    response = _upload(office, content, name=name)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert _staged_files(settings) == []


def test_a_token_is_its_uploader_s(office, city):
    other = Client()
    person = person_create(actor=None, jurisdiction=city, name="宋佳", role="督查室工作人员")
    other.force_login(login_create("office2", person, password="pw-12345678"))
    response = _upload(office, xlsx(twenty_rows(bad=False)))
    token = response.context["staged"].token
    assert other.get(reverse("ledger:workbook_preview", args=[token])).status_code == 403
    assert other.post(reverse("ledger:workbook_import", args=[token])).status_code == 403
    assert office.get(reverse("ledger:workbook_preview", args=[token + "x"])).status_code == 404
    assert office.get(reverse("ledger:workbook_preview", args=["forged"])).status_code == 404
    assert Task.objects.count() == 0


def test_staging_refuses_a_file_that_is_no_workbook(city):
    from duban.errors import InputError

    with pytest.raises(InputError):
        workbook_stage(actor=None, jurisdiction=city, content=b"x", file_name="a.xlsx")


def test_a_sheet_the_reader_refuses_whole_sends_the_clerk_back_with_the_reason(office, monkeypatch):
    response = _upload(office, xlsx(twenty_rows(bad=False)))
    token = response.context["staged"].token
    monkeypatch.setattr("duban.intake.workbook.MAX_ROWS", 10)
    for answer in (
        office.get(reverse("ledger:workbook_preview", args=[token]), follow=True),
        office.post(reverse("ledger:workbook_import", args=[token]), follow=True),
    ):
        assert answer.redirect_chain[-1][0] == reverse("ledger:workbook_upload")
        assert any("超过 10 行" in message for message in _messages(answer))
    assert Task.objects.count() == 0
