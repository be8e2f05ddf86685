"""公文模板: the office downloads its jurisdiction's templates and replaces one; a replacement that does not
render is refused with the reason and leaves the old one in place; each replacement has its audit row."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from duban.accounts.models import AuditAction, AuditLog
from duban.accounts.services import person_create
from duban.reports import gbt9704
from tests.factories import login_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path, settings):
    settings.DUBAN_DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def office(city):
    return login_create(
        "office",
        person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员"),
        password="pw-12345678",
    )


@pytest.fixture
def supervisor(city):
    return login_create(
        "erji", person_create(actor=None, jurisdiction=city, name="陈志强", role="二级督查"), password="pw-12345678"
    )


def _docx(*lines: str) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client, name: str, content: bytes):
    return client.post(
        f"/documents/templates/{name}/replace/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_the_office_lists_and_downloads_the_templates(client, folder, office):
    client.force_login(office)
    page = client.get("/documents/templates/").content.decode()
    assert "驻马店市 公文模板" in page and "督查事项月排名通报" in page and "默认模板" in page
    response = client.get("/documents/templates/order.docx/")
    assert response.status_code == 200
    assert response.content == (gbt9704.DEFAULT_FOLDER / "order.docx").read_bytes()


def test_every_shipped_template_is_on_the_page_and_its_sample_renders_it(client, folder, office, city):
    """The office can replace each template duban ships (the 督查通报's too): each has its sample context."""
    from duban.reports.docx import render_docx
    from duban.reports.samples import SAMPLES

    shipped = {path.name for path in gbt9704.DEFAULT_FOLDER.glob("*.docx")} - {"notice.docx"}
    assert shipped <= set(SAMPLES)
    client.force_login(office)
    page = client.get("/documents/templates/").content.decode()
    for name in shipped:
        label, context = SAMPLES[name]
        assert label in page
        assert render_docx(jurisdiction=city, template=name, context=context)


def test_a_replacement_that_renders_is_saved_with_its_audit_row(client, folder, office):
    client.force_login(office)
    content = _docx(
        "{{ mark }}", "{{ reference }}", "{{ title }}", "{%p for item in body %}", "{{ item.text }}", "{%p endfor %}"
    )
    page = _upload(client, "order.docx", content).content.decode()
    assert "已替换驻马店市的公文模板 order.docx" in page and "本辖区模板" in page
    assert (folder / "zhumadian" / "order.docx").read_bytes() == content
    row = AuditLog.objects.get(action=AuditAction.DOCUMENT_TEMPLATE_REPLACE)
    assert row.object_id == "zhumadian/order.docx" and row.after["bytes"] == len(content)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not a word file", "不是有效的 Word"),
        (_docx("{{ title "), "语法错误"),
        (_docx("{{ no_such_field }}"), "未知的字段"),
        (b"", "空文件"),
    ],
)
def test_a_replacement_that_does_not_render_is_refused_and_the_old_one_stays(client, folder, office, content, problem):
    client.force_login(office)
    own = folder / "zhumadian"
    own.mkdir()
    (own / "order.docx").write_bytes(b"old")
    response = _upload(client, "order.docx", content)
    assert response.status_code == 200 and "未替换模板" in response.content.decode()
    assert problem in response.content.decode()
    assert (own / "order.docx").read_bytes() == b"old"
    assert sorted(p.name for p in own.iterdir()) == ["order.docx"]  # no temporary file left behind
    assert not AuditLog.objects.filter(action=AuditAction.DOCUMENT_TEMPLATE_REPLACE).exists()


def test_others_may_not_see_or_replace_templates(client, folder, supervisor):
    client.force_login(supervisor)
    assert client.get("/documents/templates/").status_code == 403
    assert client.get("/documents/templates/order.docx/").status_code == 403
    response = client.post(
        "/documents/templates/order.docx/replace/", {"file": SimpleUploadedFile("x.docx", _docx("x"))}
    )
    assert response.status_code == 403
    assert not (folder / "zhumadian").exists()


def test_an_unknown_template_name_is_refused(client, folder, office):
    client.force_login(office)
    assert client.get("/documents/templates/secret.docx/").status_code == 404
    assert "没有可替换的公文模板" in _upload(client, "secret.docx", _docx("x")).content.decode()
