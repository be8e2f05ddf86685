"""Progress attachments: the whole file is opened by the library that reads its type; a name the
file system cannot hold and a body over the limit are refused with a Chinese message, nothing written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from duban.accounts.models import AuditLog
from duban.ledger import services
from duban.ledger.models import ProgressAttachment, ProgressReport
from tests.factories import sample_file

D = dt.date
ALLOWED = [".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg", ".txt", ".doc", ".xls"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(lw, attachments):
    return services.progress_report_create(
        actor=lw.users["liaison_a"],
        task=lw.task_a,
        unit=lw.unit_a,
        text="开展健康科普活动",
        percent=40,
        attachments=attachments,
        reported_on=D(2020, 6, 10),
        today=D(2020, 6, 10),
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused(lw, attachment, *words):
    before = (AuditLog.objects.count(), ProgressReport.objects.count(), ProgressAttachment.objects.count())
    with pytest.raises(ValidationError) as caught:
        report(lw, [attachment])
    text = "；".join(caught.value.messages)
    for word in words:
        assert word in text, text
    assert before == (AuditLog.objects.count(), ProgressReport.objects.count(), ProgressAttachment.objects.count())


@pytest.mark.parametrize("suffix", ALLOWED)
def test_a_whole_file_of_each_allowed_type_is_kept(lw, suffix):
    content = sample_file(suffix)
    made = report(lw, [upload(f"进展材料{suffix}", content)])
    kept = made.attachments.get()
    assert kept.name == f"进展材料{suffix}" and kept.file.read() == content


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _corrupt_crc(data: bytes) -> bytes:
    """A ZIP whose first member's bytes no longer match its checksum."""
    at = data.index(b"word/document.xml") + len(b"word/document.xml")
    return data[: at + 40] + bytes([data[at + 40] ^ 0xFF]) + data[at + 41 :]


HTML = b"<html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    "name, content",
    [
        ("scan.pdf", b"%PDF-1.4\n" + HTML),
        ("scan.pdf", sample_file(".pdf")[:200]),
        ("plan.docx", b"PK\x03\x04" + HTML),
        ("plan.docx", _zip({"word/document.xml": HTML})),
        ("plan.docx", sample_file(".xlsx")),
        ("plan.docx", _corrupt_crc(sample_file(".docx"))),
        ("table.xlsx", sample_file(".docx")),
        ("table.xlsx", _zip({"xl/workbook.xml": HTML})),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + HTML),
        ("photo.png", sample_file(".png")[:40]),
        ("photo.png", sample_file(".jpg")),
        ("photo.jpg", b"\xff\xd8\xff" + HTML),
        ("notes.txt", b"\x00\x01\x02\x03" * 100),
        ("notes.txt", "进展情况".encode("gb18030")),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + HTML),
        ("old.doc", sample_file(".xls")),
        ("old.xls", sample_file(".doc")),
    ],
)
def test_a_file_its_library_cannot_open_is_refused(lw, name, content):
    refused(lw, upload(name, content), name)


@pytest.mark.parametrize("stem", ["进" * 85, "a" * 252, "进展" * 100])
def test_a_name_longer_than_the_file_system_holds_is_refused(lw, stem):
    name = f"{stem}.pdf"
    assert len(name.encode()) > 255
    refused(lw, upload(name, sample_file(".pdf")), "文件名过长")


def test_a_name_the_file_system_holds_is_kept_whole(lw):
    name = "进" * 83 + ".pdf"  # 253 bytes
    assert report(lw, [upload(name, sample_file(".pdf"))]).attachments.get().name == name


def test_the_report_page_says_so_for_a_long_name_and_writes_nothing(lw, client):
    client.force_login(lw.users["liaison_a"])
    before = AuditLog.objects.count()
    response = client.post(
        f"/ledger/tasks/{lw.task_a.pk}/report/",
        {"text": "开展健康科普活动", "percent": "40", "attachments": upload("进" * 90 + ".pdf", sample_file(".pdf"))},
    )
    assert response.status_code == 200 and "文件名过长" in response.content.decode()
    assert AuditLog.objects.count() == before


def test_a_body_over_the_limit_is_refused_before_it_is_read(settings):
    from duban.web.middleware import RequestSizeLimit

    settings.DUBAN_MAX_REQUEST_BYTES = 1024

    class Unread(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    request = RequestFactory().post(
        "/ledger/tasks/1/report/", data=b"x" * 2048, content_type="application/octet-stream"
    )
    request.META["wsgi.input"] = Unread()
    response = RequestSizeLimit(lambda request: pytest.fail("the view ran"))(request)
    assert response.status_code == 413
    assert "超过" in response.content.decode() and "MB" in response.content.decode()


def test_a_body_over_the_limit_gets_a_chinese_page_from_the_site(lw, client, settings):
    settings.DUBAN_MAX_REQUEST_BYTES = 4096
    client.force_login(lw.users["liaison_a"])
    before = AuditLog.objects.count()
    response = client.post(
        f"/ledger/tasks/{lw.task_a.pk}/report/",
        {"text": "进展" * 4000, "percent": "40"},
    )
    assert response.status_code == 413 and "请求过大" in response.content.decode()
    assert AuditLog.objects.count() == before


def test_the_too_large_page_links_back_to_the_form_it_came_from_and_nowhere_else(lw, client, settings):
    settings.DUBAN_MAX_REQUEST_BYTES = 4096
    client.force_login(lw.users["liaison_a"])
    url = f"/ledger/tasks/{lw.task_a.pk}/report/"
    body = {"text": "进展" * 4000, "percent": "40"}
    ours = client.post(url, body, HTTP_REFERER=f"http://testserver{url}").content.decode()
    assert f'href="http://testserver{url}"' in ours and "javascript:" not in ours
    theirs = client.post(url, body, HTTP_REFERER="http://evil.example/phish").content.decode()
    assert "evil.example" not in theirs and 'href="/"' in theirs


def test_uploads_are_capped_in_the_settings(settings):
    from django.conf import settings as django_settings

    limit = django_settings.DUBAN_MAX_REQUEST_BYTES
    assert limit <= 20 * 1024 * 1024
    assert limit >= django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert limit >= django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit >= services.ATTACHMENT_MAX_BYTES
