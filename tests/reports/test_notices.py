"""The five notices of duban/reports/notices.py on the demo, rendered once to PDF by LibreOffice: page size,
margins, page count and what each says; their first pages kept as PNGs in artifacts/documents/."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from django.test import override_settings
from docx import Document

from duban.accountability.models import Decision
from duban.accounts.models import Jurisdiction
from duban.ledger.models import SupervisionOrder
from duban.reports.exports import KINDS, ExportError, ExportRequest, export_bytes
from duban.reports.models import IssuedDocument
from tests.reports.pdf import docxs_to_pdfs, pdf_facts, pdf_to_pngs, soffice_available

pytestmark = pytest.mark.django_db
DEMO_DAY = dt.date(2020, 12, 10)


def _request(kind: str, **subject) -> ExportRequest:
    return ExportRequest(kind=KINDS[kind], jurisdiction=Jurisdiction.objects.get(code="zhumadian"), **subject)


def _decision_with(method: str) -> Decision:
    return next(
        d for d in Decision.objects.filter(jurisdiction__code="zhumadian", status="effective") if method in d.methods
    )


@pytest.fixture(scope="module")
def subjects(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            "order": SupervisionOrder.objects.filter(jurisdiction__code="zhumadian", status="answered").first(),
            "criticism": _decision_with("通报批评"),
            "exposure": _decision_with("公开曝光"),
        }


@pytest.fixture(scope="module")
def documents(subjects, django_db_blocker):
    """Each notice's .docx, written as a page's download writes it, on the demo's day."""
    with django_db_blocker.unblock(), override_settings(DUBAN_TODAY=DEMO_DAY):
        return {
            "order": export_bytes(_request("order", order_id=subjects["order"].pk), ".docx"),
            "opinion-letter": export_bytes(_request("opinion-letter", decision_id=subjects["criticism"].pk), ".docx"),
            "criticism-notice": export_bytes(
                _request("criticism-notice", decision_id=subjects["criticism"].pk), ".docx"
            ),
            "exposure-notice": export_bytes(_request("criticism-notice", decision_id=subjects["exposure"].pk), ".docx"),
            "ranking-notice": export_bytes(_request("ranking-notice", month="2020-07"), ".docx"),
            "assessment": export_bytes(_request("assessment", year=2020), ".docx"),
        }


@pytest.fixture(scope="module")
def pdfs(documents, tmp_path_factory):
    if not soffice_available():
        pytest.skip("LibreOffice (soffice) and pdftoppm are needed")
    rendered = docxs_to_pdfs(
        {f"notice-{name}": content for name, content in documents.items()}, tmp_path_factory.mktemp("notices")
    )
    return {name.removeprefix("notice-"): (pdf, pdf_facts(pdf)) for name, pdf in rendered.items()}


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


EXPECTED_PAGES = {
    "order": 2,
    "opinion-letter": 2,
    "criticism-notice": 2,
    "exposure-notice": 2,
    "ranking-notice": 3,
    "assessment": 4,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_each_notice_prints_on_a4_in_the_standards_frame(pdfs, name):
    pdf, facts = pdfs[name]
    landscape = name == "assessment"
    assert facts.page_count == EXPECTED_PAGES[name], facts.lines
    first = facts.pages[0]
    assert (round(first.width), round(first.height)) == ((297, 210) if landscape else (210, 297))
    left, right = (37, 297 - 35) if landscape else (28, 210 - 26)
    for page in facts.pages:
        assert page.text_left >= left - 1.5 and page.text_right <= right + 1.5, page
    assert facts.lines[0][-1] == "—1—" and facts.lines[1][-1] == "—2—"
    assert "NotoSerifCJKjp-Regular-VKana" in facts.fonts
    pngs = pdf_to_pngs(pdf, last=2)
    assert len(pngs) == 2


def test_the_order_says_what_the_order_page_says(documents, subjects):
    text = _text(documents["order"])
    order = subjects["order"]
    assert order.number in text and f"{order.unit.name}：" in text
    assert order.task.title in text and "已回复" in text
    assert "驻马店市人民政府督查室" in text


def test_the_opinion_letter_quotes_the_decision_and_the_appeal_right(documents, subjects):
    text = _text(documents["opinion-letter"])
    decision = subjects["criticism"]
    assert "督查问责意见书" in text and decision.matter.title in text
    assert f"第六条第{decision.situation_number}项" in text and "提出申诉复核" in text
    assert "驻马店市人民政府督查落实委员会" in text


def test_criticism_and_exposure_notices_are_numbered_in_their_sequence(documents, subjects):
    criticism, exposure = _text(documents["criticism-notice"]), _text(documents["exposure-notice"])
    assert "予以通报批评的通报" in criticism and subjects["criticism"].unit.name in criticism
    assert "公开曝光" in exposure
    numbers = set(IssuedDocument.objects.filter(kind="criticism-notice").values_list("reference", flat=True))
    assert numbers == {"驻督责〔2020〕1号", "驻督责〔2020〕2号"}
    assert any(number in criticism for number in numbers) and any(number in exposure for number in numbers)


def test_the_ranking_notice_has_every_ranked_unit_in_its_table(documents):
    from duban.scoring.selectors import monthly_ranking

    text = _text(documents["ranking-notice"])
    rows = monthly_ranking(Jurisdiction.objects.get(code="zhumadian"), "2020-07")
    assert "关于2020年7月份督查事项排名情况的通报" in text and "驻督排〔2020〕1号" in text
    assert all(row.unit.name in text for row in rows)
    assert any(row.deducted for row in rows) and "扣" in text


def test_the_assessment_table_is_landscape_with_the_years_flags(documents):
    document = Document(io.BytesIO(documents["assessment"]))
    assert document.sections[0].orientation == 1
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header[:5] == ["名次", "单位", "基础分", "扣减分", "得分"] and "文明单位称号" in header


def test_downloading_again_keeps_the_number(subjects, documents):
    with override_settings(DUBAN_TODAY=DEMO_DAY):
        again = _text(export_bytes(_request("ranking-notice", month="2020-07"), ".docx"))
    assert "驻督排〔2020〕1号" in again
    assert IssuedDocument.objects.filter(kind="ranking-notice").count() == 1


def test_what_cannot_be_written_is_named(subjects):
    written = IssuedDocument.objects.count()
    no_criticism = next(
        d
        for d in Decision.objects.filter(jurisdiction__code="zhumadian")
        if not {"通报批评", "公开曝光"} & set(d.methods)
    )
    with pytest.raises(ExportError, match="不含通报批评或公开曝光"):
        export_bytes(_request("criticism-notice", decision_id=no_criticism.pk), ".docx")
    with pytest.raises(ExportError, match="没有编号为 999999 的督办单"):
        export_bytes(_request("order", order_id=999999), ".docx")
    with pytest.raises(ExportError, match="没有编号为 999999 的问责决定"):
        export_bytes(_request("opinion-letter", decision_id=999999), ".docx")
    assert IssuedDocument.objects.count() == written


def test_a_broken_template_takes_no_number(subjects, tmp_path, settings):
    settings.DUBAN_DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    (tmp_path / "zhumadian").mkdir()
    broken = Document()
    broken.add_paragraph("{{ title ")
    broken.save(tmp_path / "zhumadian" / "ranking-notice.docx")
    (tmp_path / "zhumadian" / "documents.yaml").write_text(
        "kinds:\n  ranking-notice: {prefix: 驻督排}\n", encoding="utf-8"
    )
    with pytest.raises(ExportError, match=r"zhumadian/ranking-notice\.docx 有误"):
        export_bytes(_request("ranking-notice", month="2020-08"), ".docx")
    assert not IssuedDocument.objects.filter(subject_key="2020-08").exists()


def test_the_pngs_show_the_red_header(pdfs):
    pdf, _ = pdfs["criticism-notice"]
    with pdfplumber.open(pdf) as document:
        reds = [
            c for c in document.pages[0].chars if c.get("non_stroking_color") in ((1, 0, 0), [1, 0, 0], (1.0, 0.0, 0.0))
        ]
    assert "".join(c["text"] for c in reds) == "驻马店市人民政府督查室"
