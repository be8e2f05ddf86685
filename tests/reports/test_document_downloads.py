"""The Word buttons on the pages documents come from: shown to whom may download, one GET each, the
page's access check behind it, and a document that cannot be written told in Chinese on the page."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from docx import Document

from duban.accountability.access import access_letter_read
from duban.accountability.models import Decision
from duban.ledger.access import access_order_view
from duban.ledger.models import SupervisionOrder
from duban.reports.xlsx import DOCX_CONTENT_TYPE

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))


def criticism_decision() -> Decision:
    return next(
        d
        for d in Decision.objects.filter(jurisdiction__code="zhumadian", status="effective")
        if "通报批评" in d.methods
    )


def assert_docx(response, name_part: str) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and "filename*=utf-8''" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert name_part in text
    return text


def test_the_order_page_offers_its_word_file_to_its_readers(client, demo):
    order = SupervisionOrder.objects.filter(jurisdiction__code="zhumadian").first()
    login(client, "duchashi")
    page = client.get(f"/ledger/orders/{order.pk}/").content.decode()
    assert f'href="/documents/orders/{order.pk}/"' in page and "下载督办单（Word）" in page
    assert_docx(client.get(f"/documents/orders/{order.pk}/"), order.number)


def test_the_order_is_refused_to_who_cannot_read_its_page(client, demo):
    order = SupervisionOrder.objects.filter(jurisdiction__code="zhumadian").first()
    outsider = next(u for u in ("lianluoyuan", "beiwenze", "quduchashi") if not access_order_view(user(u), order))
    login(client, outsider)
    assert client.get(f"/documents/orders/{order.pk}/").status_code in (403, 404)
    client.logout()
    response = client.get(f"/documents/orders/{order.pk}/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_letter_page_offers_the_letter_and_to_the_office_the_notice(client, demo):
    decision = criticism_decision()
    login(client, "duchashi")
    page = client.get(f"/cases/decisions/{decision.pk}/letter/").content.decode()
    assert "下载意见书（Word）" in page and "下载通报批评通报（Word）" in page
    assert_docx(client.get(f"/documents/decisions/{decision.pk}/opinion-letter/"), "督查问责意见书")
    text = assert_docx(client.get(f"/documents/decisions/{decision.pk}/notice/"), "予以通报批评的通报")
    assert "驻督责〔" in text


def test_the_accountable_party_gets_the_letter_but_not_the_offices_notice(client, demo):
    decision = next(
        d for d in Decision.objects.filter(jurisdiction__code="zhumadian") if access_letter_read(user("beiwenze"), d)
    )
    login(client, "beiwenze")
    page = client.get(f"/cases/decisions/{decision.pk}/letter/").content.decode()
    assert "下载意见书（Word）" in page and "通报（Word）" not in page
    assert client.get(f"/documents/decisions/{decision.pk}/opinion-letter/").status_code == 200
    assert client.get(f"/documents/decisions/{decision.pk}/notice/").status_code == 403


def test_the_ranking_notice_is_the_offices(client, demo):
    page = client.get("/?month=2020-07").content.decode()
    assert "下载排名通报（Word）" not in page  # the ranking is public, its notice is not
    login(client, "lianluoyuan")
    assert "下载排名通报" not in client.get("/?month=2020-07").content.decode()
    assert client.get("/documents/ranking/?month=2020-07").status_code == 403
    login(client, "duchashi")
    page = client.get("/?month=2020-07").content.decode()
    assert 'href="/documents/ranking/?j=zhumadian&amp;month=2020-07"' in page
    assert_docx(client.get("/documents/ranking/?j=zhumadian&month=2020-07"), "关于2020年7月份督查事项排名情况的通报")


def test_the_assessment_table_is_the_offices_among_the_assessments_readers(client, demo):
    login(client, "erji")
    assert "下载考核情况表" not in client.get("/assessment/?year=2020").content.decode()
    assert client.get("/documents/assessment/?year=2020").status_code == 403
    login(client, "duchashi")
    assert "下载考核情况表（Word）" in client.get("/assessment/?year=2020").content.decode()
    assert_docx(client.get("/documents/assessment/?year=2020"), "2020年度综合目标考核")


def test_a_bad_month_or_year_goes_back_with_a_message(client, demo):
    login(client, "duchashi")
    response = client.get("/documents/ranking/?month=2020-13", follow=True)
    assert response.status_code == 200 and "月份“2020-13”无效" in response.content.decode()
    response = client.get("/documents/assessment/?year=20x0", follow=True)
    assert response.status_code == 200 and "年份“20x0”无效" in response.content.decode()


def test_a_broken_template_is_a_message_on_the_page_not_a_500(client, demo, tmp_path, settings):
    settings.DUBAN_DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    (tmp_path / "zhumadian").mkdir()
    broken = Document()
    broken.add_paragraph("{% if %}")
    broken.save(tmp_path / "zhumadian" / "ranking-notice.docx")
    (tmp_path / "zhumadian" / "documents.yaml").write_text(
        "kinds:\n  ranking-notice: {prefix: 驻督排}\n", encoding="utf-8"
    )
    login(client, "duchashi")
    response = client.get("/documents/ranking/?j=zhumadian&month=2020-07")
    assert response.status_code == 302 and response.url == "/?j=zhumadian&month=2020-07"
    page = client.get(response.url).content.decode()
    assert "无法生成督查事项月排名通报：公文模板 zhumadian/ranking-notice.docx 有误：模板标记有语法错误" in page
