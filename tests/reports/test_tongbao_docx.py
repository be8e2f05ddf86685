"""The Word 督查通报 (tongbao_docx): the shipped template rendered for June 2020 on the small ledger of
tests/reports/tongbao_world.py, numbered once per period, printed to PDF by LibreOffice (A4, the 版心 of
GB/T 9704, the four sections with their figures) and turned into PNG pages under artifacts/documents/."""

from __future__ import annotations

import io

import pytest
from docx import Document

from duban.reports import exports
from duban.reports.docx import DEFAULT_TEMPLATES_DIR
from duban.reports.models import IssuedDocument
from duban.reports.tongbao_template import TEMPLATE, build_tongbao
from tests.reports.pdf import ARTIFACTS_DIR, docx_to_pdf, pdf_facts, pdf_to_pngs, soffice_available
from tests.reports.tongbao_world import build_tongbao_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def tw(settings):
    settings.DUBAN_TODAY = "2020-07-10"
    return build_tongbao_world()


def _docx(tw, period: str = "2020-06") -> bytes:
    request = exports.ExportRequest(kind=exports.kind_named("tongbao"), jurisdiction=tw.w.city, period=period)
    return exports.export_bytes(request, exports.DOCX)


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_shipped_template_is_the_one_the_builder_writes():
    shipped = Document(str(DEFAULT_TEMPLATES_DIR / TEMPLATE))
    built = build_tongbao()
    assert [p.text for p in shipped.paragraphs] == [p.text for p in built.paragraphs]
    assert [p.style.name for p in shipped.paragraphs] == [p.style.name for p in built.paragraphs]


def test_the_four_sections_with_the_periods_figures(tw):
    text = _text(_docx(tw))
    assert "驻马店市人民政府督查室" in text
    assert "驻督通〔2020〕1号" in text
    assert "关于2020年6月督查工作情况的通报" in text
    for heading in ("一、总体情况", "二、存在的问题", "三、问责情况", "四、下步工作"):
        assert heading in text
    assert "在账任务7项（较上期增加1项）" in text
    assert "已逾期（红灯）2项（较上期增加1项）" in text
    assert "共有2项任务逾期未完成（较上期增加1项），涉及2个牵头单位，其中逾期30天以上的1项" in text
    assert "（一）市城市管理局：逾期任务1项，最长逾期41天。" in text
    assert "1.“任务T1”，完成时限2020年5月20日，已逾期41天，已下发督办单1份。" in text
    assert "对2个单位作出通报批评1次（与上期持平）、公开曝光2次（较上期增加2次）" in text
    assert "市教育局：校园周边交通整治，属第六条第（十一）项情形，2020年6月22日决定责令作出书面检查；" in text
    assert "（一）压实工作责任。" in text  # 四、下步工作: the template's own words
    assert "《驻马店市人民政府关于政府系统“不作为、慢作为、乱作为”的处理办法》" in text
    assert "{{" not in text and "{%" not in text


def test_the_same_period_keeps_its_number_and_the_next_takes_the_next(tw):
    _docx(tw)
    _docx(tw)
    assert "驻督通〔2020〕2号" in _text(_docx(tw, "2020-05"))
    assert set(IssuedDocument.objects.filter(kind="tongbao").values_list("subject_key", "reference")) == {
        ("2020-06", "驻督通〔2020〕1号"),
        ("2020-05", "驻督通〔2020〕2号"),
    }


@pytest.mark.skipif(not soffice_available(), reason="LibreOffice (soffice) and pdftoppm are not installed")
def test_the_tongbao_prints_on_a4_in_the_gbt9704_layout(tw, tmp_path):
    pdf = docx_to_pdf(_docx(tw), tmp_path, "tongbao-2020-06")
    facts = pdf_facts(pdf)
    first = facts.pages[0]
    assert round(first.width) == 210 and round(first.height) == 297
    assert 1 <= facts.page_count <= 4
    # The text stays inside the 版心 (left 28 mm, right 26 mm; the page number sits under it).
    for page in facts.pages:
        assert page.text_left >= 27 and page.text_right <= 210 - 25
    printed = "".join(facts.text.split())  # the PDF's text puts spaces between digits and Chinese
    assert "四、下步工作" in printed and "驻督通〔2020〕1号" in printed
    pngs = pdf_to_pngs(pdf, ARTIFACTS_DIR / "tongbao")
    assert pngs and all(png.stat().st_size > 10_000 for png in pngs)


def test_the_command_line_writes_the_same_word_file(tw, tmp_path, capsys):
    from duban.cli import main

    out = tmp_path / "通报.docx"
    assert main(["export", "tongbao", "--jurisdiction", "zhumadian", "--month", "2020-06", "--out", str(out)]) == 0
    assert "驻督通〔2020〕1号" in _text(out.read_bytes())
    assert "关于2020年6月督查工作情况的通报" in _text(out.read_bytes())


def test_a_long_task_title_is_quoted_by_its_first_words():
    from duban.reports.tongbao import TITLE_IN_TEXT, _short

    long = "汝南县、平舆县耕地保有量低于耕地保护目标红线，目前尚未整改到位，务必要在6月15日前，通过违法用地拆除复耕、实施补充耕地项目。"
    assert _short(long).endswith("……") and len(_short(long)) <= TITLE_IN_TEXT + 1
    assert _short("推进体育馆运营管理改革。") == "推进体育馆运营管理改革"


def test_a_countys_tongbao_is_addressed_to_its_townships_and_says_when_nothing_is_late(tw):
    from tests.factories import county_create

    county = county_create(tw.w.city)
    request = exports.ExportRequest(kind=exports.kind_named("tongbao"), jurisdiction=county, period="2020-06")
    text = _text(exports.export_bytes(request, exports.DOCX))
    assert "各乡镇人民政府、街道办事处，区人民政府各部门：" in text
    assert "驿督通〔2020〕1号" in text  # 驿城区's own sequence (document-templates/yicheng/documents.yaml)
    assert "台账任务均在时限内推进，没有逾期未完成的任务。" in text
    assert "未作出通报批评、公开曝光的督查问责决定。" in text


def test_the_sample_context_renders_the_shipped_template_and_names_what_the_writer_passes(tw):
    """tongbao_template.SAMPLE is what the 公文模板 page would test-render a replacement with: every name the
    writer passes, and enough for the shipped template (StrictUndefined refuses a missing one)."""
    from duban.reports.docx import issuer_of, render_docx
    from duban.reports.periods import parse_period
    from duban.reports.tongbao import tongbao_context, tongbao_report
    from duban.reports.tongbao_template import SAMPLE

    _, sample = SAMPLE
    assert "示督通〔2020〕1号" in _text(render_docx(jurisdiction=tw.w.city, template=TEMPLATE, context=sample))
    report = tongbao_report(tw.w.city, parse_period("2020-06"))
    written = tongbao_context(report, reference="x", issuer=issuer_of(tw.w.city, "tongbao"))
    assert set(written) == set(sample)
