"""上传公文: the office uploads a file, the worker reads it (here at once: huey's immediate mode, tests/settings.py),
the job shows its progress and lands on 公文审核; a bad file gets a Chinese message and nothing is stored."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.accounts.models import AuditLog
from duban.accounts.services import person_create, unit_directory_load
from duban.ledger.ingest import issue_ingest
from duban.ledger.models import Document, GazetteIssue, Target, Task, TaskUnit, UploadJob
from duban.ledger.uploads import upload_job_create, upload_job_run
from tests.factories import county_create, login_create, minimal_pdf

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "zhumadian-gazette-2020-04.txt"
NOTICE = """驻马店市人民政府办公室关于做好殡葬改革工作的通知
驻政办〔2020〕30号

各县区人民政府，市人民政府各部门：
为深入推进殡葬改革，现将有关事项通知如下：
一、开展公墓清理整治。对全市经营性公墓进行全面排查，2020年6月30日前完成整治。（牵头单位：市民政局；责任单位：市卫健体委、市自然资源和规划局）
二、推行节地生态安葬。到2022年，全市节地生态安葬率达到50%以上。（牵头单位：驻马店市卫生健康体育委员会；责任单位：各县区政府）

驻马店市人民政府办公室
2020年5月10日
"""


def docx_of(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def office(city):
    unit_directory_load(actor=None, jurisdiction=city)
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    return login_create("office", person, password="pw-12345678")


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def stored() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (GazetteIssue, Document, Task, TaskUnit, Target))


def upload(client, name: str, content: bytes, jurisdiction):
    return client.post(
        reverse("ledger:upload"),
        {"jurisdiction": jurisdiction.pk, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


# --- the service ---------------------------------------------------------------------------------------


def test_a_job_reads_the_file_through_ingest_and_counts_each_stage(city, office):
    job = upload_job_create(actor=office, jurisdiction=city, file_name="通知.txt", content=NOTICE.encode())
    job.refresh_from_db()
    assert job.state == UploadJob.State.DONE and job.progress == 100 and job.stage == UploadJob.Stage.DONE
    assert (job.documents, job.tasks) == (1, 2)
    assert job.units_printed == 5 and job.units_resolved == 5  # 市民政局 … 各县区政府, all in the 机构名录
    assert job.content == b"" and job.finished is not None
    assert job.issue.documents.get().doc_no == "驻政办〔2020〕30号"
    assert job.message == "读取公文 1 件，待审核任务 2 项。"
    actions = list(AuditLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["upload_job_create", "ingest"]
    ingest_row = AuditLog.objects.get(action="ingest")
    assert ingest_row.actor_id == office.pk and ingest_row.object_id == str(job.issue_id)


def test_a_job_runs_once(city, office):
    job = upload_job_create(actor=office, jurisdiction=city, file_name="通知.txt", content=NOTICE.encode())
    before = stored()
    again = upload_job_run(job_id=job.pk)
    assert again.state == UploadJob.State.DONE and stored() == before


def test_a_failure_while_storing_leaves_nothing_half_written(city, office, monkeypatch):
    from duban.ledger import ingest

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "_store_targets_and_deadlines", broken)  # after the issue and documents are made
    job = upload_job_create(actor=office, jurisdiction=city, file_name="通知.txt", content=NOTICE.encode())
    job.refresh_from_db()
    assert job.state == UploadJob.State.FAILED
    assert "系统出错" in job.message and "未保存任何内容" in job.message
    assert stored() == (0, 0, 0, 0, 0) and job.content == b""
    assert not AuditLog.objects.filter(action="ingest").exists()


# --- the pages -------------------------------------------------------------------------------------------


def test_the_office_uploads_and_lands_on_the_progress_then_the_review(office_client, city):
    response = upload(office_client, "通知.docx", docx_of(NOTICE), city)
    job = UploadJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("ledger:upload_job", args=[job.pk])
    page = response.content.decode()
    assert "<progress" in page and "已完成" in page and "前往公文审核" in page
    status = office_client.get(reverse("ledger:upload_job_status", args=[job.pk])).json()
    first = job.issue.documents.order_by("position").first()
    assert status["state"] == "done" and status["progress"] == 100
    assert status["next_url"] == reverse("ledger:review") + f"#doc-{first.pk}"
    assert [s["done"] for s in status["stages"]] == [True, True, True, True]
    review = office_client.get(status["next_url"]).content.decode()
    assert f'id="doc-{first.pk}"' in review and "开展公墓清理整治" in review


def test_the_seed_gazette_uploads_in_the_browser_s_way(office_client, city):
    upload(office_client, SEED.name, SEED.read_bytes(), city)
    job = UploadJob.objects.get()
    assert job.state == UploadJob.State.DONE, job.message
    assert job.tasks == 66 and Task.objects.filter(status=Task.Status.DRAFT).count() == 66
    assert job.units_printed > 0 and job.units_resolved <= job.units_printed


def _refused(response, *words: str) -> str:
    job = UploadJob.objects.order_by("-pk").first()
    assert job is not None and job.state == UploadJob.State.FAILED, job and job.message
    page = response.content.decode()
    for word in words:
        assert word in job.message and word in page
    assert "未保存任何内容" in job.message
    assert stored() == (0, 0, 0, 0, 0) and job.content == b""
    return job.message


def test_a_file_that_is_not_a_document_is_refused_in_chinese(office_client, city):
    text = "会议室预订表\n周一上午 张三\n周二下午 李四\n周三全天 王五\n周四上午 赵六\n周五下午 钱七\n".encode()
    _refused(upload(office_client, "预订表.txt", text, city), "预订表.txt", "文件中没有公文")


def test_a_damaged_pdf_is_refused_in_chinese(office_client, city):
    damaged = minimal_pdf("notice")[:120]
    _refused(upload(office_client, "通知.pdf", damaged, city), "PDF 文件已损坏")


def test_a_damaged_docx_is_refused_in_chinese(office_client, city):
    damaged = docx_of(NOTICE)[:400]
    _refused(upload(office_client, "通知.docx", damaged, city), "Word 文档（DOCX）已损坏")


def test_a_spreadsheet_a_damaged_doc_and_an_image_without_text_are_refused_in_chinese(office_client, city):
    from tests.factories import sample_file

    _refused(upload(office_client, "旧.xls", sample_file(".xls"), city), "旧版 Excel 表格（.xls），不是公文")
    _refused(upload(office_client, "旧.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 600, city), "旧版 Word/WPS 文件", "已损坏")
    _refused(upload(office_client, "图.png", sample_file(".png"), city), "没有识别出中文文字")


def test_a_document_already_read_is_refused_even_in_another_encoding(office_client, city, office):
    issue_ingest(actor=office, jurisdiction=city, source_name="通知.txt", content=NOTICE.encode())
    before = stored()
    response = upload(office_client, "通知（GB18030）.txt", NOTICE.replace("\n", "\r\n").encode("gb18030"), city)
    job = UploadJob.objects.get()
    assert job.state == UploadJob.State.FAILED and "该公文已读取过" in job.message
    assert "该公文已读取过" in response.content.decode()
    assert stored() == before and AuditLog.objects.filter(action="ingest").count() == 1


def test_the_same_bytes_again_are_refused_on_the_form(office_client, city, office):
    issue_ingest(actor=office, jurisdiction=city, source_name="通知.txt", content=NOTICE.encode())
    response = upload(office_client, "通知.txt", NOTICE.encode(), city)
    page = response.content.decode()
    assert "该文件已读取过" in page and not UploadJob.objects.exists()


def test_an_empty_file_or_none_is_refused_on_the_form(office_client, city):
    assert "文件是空的" in upload(office_client, "空.txt", b"", city).content.decode()
    page = office_client.post(reverse("ledger:upload"), {"jurisdiction": city.pk}).content.decode()
    assert "请选择要上传的文件" in page
    assert not UploadJob.objects.exists() and not AuditLog.objects.filter(action="upload_job_create").exists()


def test_the_office_may_upload_only_for_its_own_jurisdiction(office_client, city):
    county = county_create(city)
    response = upload(office_client, "通知.txt", NOTICE.encode(), county)
    assert "所选辖区无效或无权上传" in response.content.decode()
    assert not UploadJob.objects.exists()


def test_the_administrator_chooses_the_jurisdiction(client, city):
    county = county_create(city)
    admin = login_create("root", None, password="pw-12345678")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    form = client.get(reverse("ledger:upload")).content.decode()
    assert "驻马店市" in form and "驿城区" in form
    upload(client, "通知.txt", NOTICE.encode(), county)
    assert UploadJob.objects.get().issue.jurisdiction == county


def test_the_status_is_json_for_the_script(office_client, city, office):
    job = upload_job_create(actor=office, jurisdiction=city, file_name="通知.txt", content=b"not a document at all")
    response = office_client.get(reverse("ledger:upload_job_status", args=[job.pk]))
    assert response["Content-Type"].startswith("application/json")
    state = json.loads(response.content)
    assert state["state"] == "failed" and state["finished"] and "未保存任何内容" in state["message"]
    assert state["next_url"] == ""


# --- scans (OCR) and legacy Word files --------------------------------------------------------------------


def test_a_scanned_pdf_is_read_by_ocr_and_every_page_a_reviewer_sees_says_so(office_client, city):
    from tests.scans import require, scanned_pdf

    require("tesseract", "pdftoppm")
    notice = "本文件经文字识别（OCR）读取，请对照原件核对"
    response = upload(office_client, "扫描件.pdf", scanned_pdf(), city)
    job = UploadJob.objects.get()
    assert job.state == UploadJob.State.DONE, job.message
    assert notice in job.message and notice in response.content.decode()
    document = job.issue.documents.get()
    assert document.ocr and document.doc_no == "某政办〔2025〕36号" and job.tasks == 2
    review = office_client.get(reverse("ledger:review")).content.decode()
    assert notice in review and "全面排查桥梁隐患" in review
    assert notice in office_client.get(reverse("ledger:library_document", args=[document.pk])).content.decode()
    assert notice in office_client.get(reverse("ledger:library_issue", args=[job.issue_id])).content.decode()
    task = document.tasks.first()
    assert notice in office_client.get(reverse("ledger:task_edit", args=[task.pk])).content.decode()


def test_a_text_document_carries_no_ocr_notice(office_client, city):
    upload(office_client, "通知.txt", NOTICE.encode(), city)
    document = Document.objects.get()
    assert not document.ocr
    assert "文字识别（OCR）读取" not in office_client.get(reverse("ledger:review")).content.decode()
    assert "文字识别（OCR）读取" not in UploadJob.objects.get().message


def test_the_form_offers_scans_images_and_legacy_word_files(office_client):
    page = office_client.get(reverse("ledger:upload")).content.decode()
    assert 'accept=".txt,.pdf,.docx,.doc,.wps,.png,.jpg,.jpeg,.tif,.tiff,.bmp"' in page
    assert "扫描件和图片经文字识别（OCR）读取" in page


def test_missing_ocr_and_libreoffice_are_named_in_chinese(office_client, city, monkeypatch):
    from duban.intake import legacy, ocr
    from tests.scans import page_png

    monkeypatch.setattr(ocr, "find_tool", lambda name: None)
    monkeypatch.setattr(legacy, "find_tool", lambda name: None)
    _refused(
        upload(office_client, "照片.png", page_png(), city),
        "文字识别（OCR）程序，服务器未安装",
        "tesseract-ocr-chi-sim",
    )
    UploadJob.objects.all().delete()
    doc = (Path(__file__).resolve().parents[1] / "fixtures" / "legacy" / "forest-fire-notice.doc").read_bytes()
    _refused(upload(office_client, "通知.doc", doc, city), "需要 LibreOffice", "libreoffice-writer-nogui")
