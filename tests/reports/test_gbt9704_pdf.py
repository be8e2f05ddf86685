"""The shipped notice printed as LibreOffice prints it: A4, the GB/T 9704 版心, 22 lines of 28 characters, Chinese
drawn in Noto CJK, page numbers "— N —" outside at the foot; its pages kept as PNGs in artifacts/documents/."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from duban.reports.docx import render_docx
from tests.reports.pdf import docx_to_pdf, pdf_facts, pdf_to_pngs, soffice_available

pytestmark = pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) and pdftoppm are needed")

LONG = "为深入贯彻落实市委、市政府决策部署，进一步转变工作作风，提升工作效能，现将有关情况通报如下。"
FULL_LINE = "督查" * 60  # no punctuation: each line holds exactly what the grid allows


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    body = [{"level": 1, "text": "一、基本情况"}, {"level": 0, "text": LONG}, {"level": 2, "text": "（一）存在的问题"}]
    body += [{"level": 0, "text": FULL_LINE} for _ in range(12)]
    context = {
        "mark": "驻马店市人民政府督查室",
        "reference": "驻督责〔2020〕1号",
        "title": "关于对市城市管理局予以通报批评的通报",
        "recipient": "各县区人民政府，市政府各部门：",
        "body": body,
        "issuer": "驻马店市人民政府督查室",
        "date": "2020年12月10日",
        "printer": "驻马店市人民政府督查室",
        "printed_on": "2020年12月10日",
    }
    content = render_docx(
        jurisdiction=SimpleNamespace(code="zhumadian", name="驻马店市"), template="notice.docx", context=context
    )
    pdf = docx_to_pdf(content, tmp_path_factory.mktemp("gbt9704"), name="gbt9704-notice")
    return pdf, pdf_facts(pdf)


def test_the_pages_are_a4_with_the_standards_margins(rendered):
    _, facts = rendered
    assert facts.page_count == 4
    for page in facts.pages:
        assert (round(page.width), round(page.height)) == (210, 297)
    second = facts.pages[1]  # a full page of body text: its text box is the 版心 (156 × 225 mm at 28/37 mm)
    assert 27.5 <= second.text_left <= 29.5
    assert 183 <= second.text_right <= 184.5  # 210 − 26 mm
    assert 37 <= second.text_top <= 40  # the first line's glyphs sit inside its 28.95 pt line


def test_a_full_page_holds_22_lines_of_28_characters(rendered):
    _, facts = rendered
    lines = facts.lines[1]
    body, page_number = lines[:-1], lines[-1]
    assert len(body) == 22
    # Each 120-character paragraph: 26 after the two-character indent, 28, 28, 28, and the 10 left over.
    assert {len(line) for line in body} == {26, 28, 10}
    assert sum(len(line) == 28 for line in body) >= 12
    assert page_number == "—2—"


def test_page_numbers_are_outside_odd_right_even_left(rendered):
    pdf, _facts = rendered
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            digits = [c for c in page.chars if c["text"] == str(number)]
            assert digits, number
            x = digits[-1]["x0"] * 25.4 / 72
            assert (x > 150) if number % 2 else (x < 60)
            assert digits[-1]["top"] * 25.4 / 72 > 262  # under the 版心 (297 − 35 mm)


def test_chinese_is_drawn_in_the_noto_substitutes(rendered):
    _, facts = rendered
    assert "驻马店市人民政府督查室" in facts.text
    assert any(font.startswith("NotoSerifCJK") for font in facts.fonts)  # 仿宋 / 小标宋
    assert any(font.startswith("NotoSansCJK") for font in facts.fonts)  # 黑体
    assert any(font.startswith("NotoSerifCJK") and "Bold" in font for font in facts.fonts)  # 小标宋, a heavy face


def test_the_pages_are_kept_as_pictures(rendered):
    pdf, _ = rendered
    pngs = pdf_to_pngs(pdf)
    assert [p.name for p in pngs] == ["gbt9704-notice-1.png", "gbt9704-notice-2.png", "gbt9704-notice-3.png"]
    assert all(p.stat().st_size > 5000 for p in pngs)
