"""render_docx: the shipped 公文 templates, the jurisdiction's own folder first, a broken template named."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from duban.reports import gbt9704
from duban.reports.docx import chinese_date, issuer_of, reference_text, render_docx, template_path
from duban.reports.exports import ExportError

CITY = SimpleNamespace(code="zhumadian", name="驻马店市")
ELSEWHERE = SimpleNamespace(code="nowhere", name="某某县")


def notice_context(**extra):
    context = {
        "mark": "驻马店市人民政府督查室",
        "reference": "驻督责〔2020〕1号",
        "title": "关于对市城市管理局予以通报批评的通报",
        "recipient": "各县区人民政府，市政府各部门：",
        "body": [{"level": 1, "text": "一、基本情况"}, {"level": 0, "text": "正文<第一段>&"}],
        "issuer": "驻马店市人民政府督查室",
        "date": "2020年12月10日",
        "printer": "驻马店市人民政府督查室",
        "printed_on": "2020年12月10日",
    }
    return {**context, **extra}


@pytest.fixture
def templates_dir(tmp_path, settings):
    settings.DUBAN_DOCUMENT_TEMPLATES_DIR = str(tmp_path)
    (tmp_path / "zhumadian").mkdir()
    return tmp_path


def test_the_shipped_notice_renders_with_its_layout():
    document = Document(io.BytesIO(render_docx(jurisdiction=CITY, template="notice.docx", context=notice_context())))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [
        37,
        35,
        28,
        26,
    ]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:4] == [
        "驻马店市人民政府督查室",
        "驻督责〔2020〕1号",
        "关于对市城市管理局予以通报批评的通报",
        "各县区人民政府，市政府各部门：",
    ]
    assert "正文<第一段>&" in texts  # plain text, escaped for Word's XML
    styles = {p.text: p.style for p in reversed(document.paragraphs) if p.text}  # the first of a text wins
    mark = styles["驻马店市人民政府督查室"]
    assert mark.font.color.rgb == gbt9704.RED
    assert mark.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert styles["关于对市城市管理局予以通报批评的通报"].font.size.pt == 22
    assert styles["一、基本情况"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = styles["正文<第一段>&"]
    assert (body.font.size.pt, body.element.rPr.rFonts.get(qn("w:eastAsia"))) == (16, "仿宋_GB2312")
    red_line = styles["驻督责〔2020〕1号"].element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert red_line.get(qn("w:color")) == "FF0000"
    assert document.settings.odd_and_even_pages_header_footer
    assert section.footer.paragraphs[0].text.startswith("— ")
    assert section.even_page_footer.paragraphs[0].alignment == 0  # left on even pages


def test_the_landscape_page_turns_its_margins():
    section = gbt9704.new_document(landscape=True).sections[0]
    assert (round(section.page_width.mm), round(section.left_margin.mm), round(section.top_margin.mm)) == (297, 37, 28)


def test_the_jurisdiction_folder_comes_before_the_shipped_set(templates_dir):
    own = templates_dir / "zhumadian" / "notice.docx"
    document = Document()
    document.add_paragraph("本辖区模板 {{ title }}")
    document.save(own)
    assert template_path(CITY, "notice.docx") == own
    content = render_docx(jurisdiction=CITY, template="notice.docx", context={"title": "标题"})
    assert [p.text for p in Document(io.BytesIO(content)).paragraphs] == ["本辖区模板 标题"]
    assert template_path(ELSEWHERE, "notice.docx").parent == gbt9704.DEFAULT_FOLDER


def _broken(folder, text: str) -> None:
    document = Document()
    document.add_paragraph(text)
    document.save(folder / "zhumadian" / "notice.docx")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ title ", "语法错误"),
        ("{% for x in %}", "语法错误"),
        ("{{ no_such_field }}", "未知的字段：'no_such_field'"),
    ],
)
def test_a_broken_template_is_named_with_its_problem(templates_dir, text, problem):
    _broken(templates_dir, text)
    with pytest.raises(ExportError) as raised:
        render_docx(jurisdiction=CITY, template="notice.docx", context={"title": "标题"})
    assert "zhumadian/notice.docx" in str(raised.value)
    assert problem in str(raised.value)


def test_a_file_that_is_not_a_word_document_is_named(templates_dir):
    (templates_dir / "zhumadian" / "notice.docx").write_bytes(b"not a zip at all")
    with pytest.raises(ExportError, match=r"zhumadian/notice\.docx 有误：不是有效的 Word"):
        render_docx(jurisdiction=CITY, template="notice.docx", context={})


def test_unknown_or_unsafe_template_names_are_refused():
    with pytest.raises(ExportError, match=r"找不到公文模板 nothing\.docx"):
        template_path(CITY, "nothing.docx")
    with pytest.raises(ExportError, match="名称不正确"):
        template_path(CITY, "../secrets.docx")


def test_the_shipped_templates_are_what_the_builder_writes(tmp_path):
    """The committed .docx files are built by gbt9704 (python -m duban.reports.gbt9704): same tags, same styles."""
    for path in gbt9704.build_all(tmp_path):
        shipped = gbt9704.DEFAULT_FOLDER / path.name
        assert shipped.is_file(), path.name
        assert (
            DocxTemplate(str(path)).get_undeclared_template_variables()
            == DocxTemplate(str(shipped)).get_undeclared_template_variables()
        )
        built, kept = Document(str(path)), Document(str(shipped))
        assert [p.text for p in built.paragraphs] == [p.text for p in kept.paragraphs]
        assert [s.name for s in built.styles] == [s.name for s in kept.styles]


def test_issuers_and_prefixes_come_from_the_jurisdictions_documents_yaml(templates_dir):
    (templates_dir / "zhumadian" / "documents.yaml").write_text(
        "issuer: 驻马店市人民政府督查室\nkinds:\n  criticism-notice: {prefix: 驻督责, issuer: 驻马店市督查落实委员会}\n",
        encoding="utf-8",
    )
    issuer = issuer_of(CITY, "criticism-notice")
    assert (issuer.issuer, issuer.mark, issuer.prefix) == ("驻马店市督查落实委员会", "驻马店市督查落实委员会", "驻督责")
    with pytest.raises(ExportError, match="没有 order 的发文字号前缀"):
        issuer_of(CITY, "order")
    default = issuer_of(ELSEWHERE, "order")
    assert (default.issuer, default.prefix) == ("某某县人民政府督查室", "督办")


def test_a_kind_signed_by_another_organ_carries_its_red_mark_over_the_offices(templates_dir):
    """The 意见书 is the committee's: with the office's mark set for the jurisdiction, its own issuer wins."""
    (templates_dir / "zhumadian" / "documents.yaml").write_text(
        "issuer: 驻马店市人民政府督查室\nmark: 驻马店市人民政府督查室\nkinds:\n"
        "  opinion-letter: {prefix: 驻督问, issuer: 驻马店市人民政府督查落实委员会}\n"
        "  order: {prefix: 驻督办}\n",
        encoding="utf-8",
    )
    letter, order = issuer_of(CITY, "opinion-letter"), issuer_of(CITY, "order")
    assert (letter.issuer, letter.mark) == ("驻马店市人民政府督查落实委员会", "驻马店市人民政府督查落实委员会")
    assert (order.issuer, order.mark) == ("驻马店市人民政府督查室", "驻马店市人民政府督查室")


def test_a_broken_documents_yaml_is_named(templates_dir):
    (templates_dir / "zhumadian" / "documents.yaml").write_text("kinds: [oops", encoding="utf-8")
    with pytest.raises(ExportError, match=r"公文设置 zhumadian/documents\.yaml 无法读取"):
        issuer_of(CITY, "order")


def test_the_repository_folders_name_every_document_kind():
    for code, name in (("zhumadian", "驻马店市"), ("yicheng", "驿城区")):
        jurisdiction = SimpleNamespace(code=code, name=name)
        for kind in ("ranking-notice", "assessment", "tongbao", "criticism-notice", "order"):
            assert issuer_of(jurisdiction, kind).issuer == f"{name}人民政府督查室"
        letter = issuer_of(jurisdiction, "opinion-letter")
        assert (letter.issuer, letter.printer) == (f"{name}人民政府督查落实委员会", f"{name}人民政府督查室")
    default = issuer_of(ELSEWHERE, "opinion-letter")
    assert (default.issuer, default.mark) == ("某某县人民政府督查落实委员会", "某某县人民政府督查落实委员会")


def test_numbers_and_dates_are_written_as_the_standard_has_them():
    import datetime as dt

    assert reference_text("驻督排", 2020, 3) == "驻督排〔2020〕3号"
    assert chinese_date(dt.date(2020, 4, 1)) == "2020年4月1日"


def test_the_shipped_templates_keep_wordprocessingmls_element_order():
    """Word refuses a file whose paragraph or run properties are out of the schema's order."""
    import zipfile

    from lxml import etree

    for path in sorted(gbt9704.DEFAULT_FOLDER.glob("*.docx")):
        with zipfile.ZipFile(path) as package:
            for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
                if part not in package.namelist():
                    continue
                root = etree.fromstring(package.read(part))
                for tag, order in (("w:pPr", gbt9704.PPR_ORDER), ("w:rPr", gbt9704.RPR_ORDER)):
                    positions = {qn(name): index for index, name in enumerate(order)}
                    for properties in root.iter(qn(tag)):
                        seen = [positions[child.tag] for child in properties if child.tag in positions]
                        assert seen == sorted(seen), (path.name, part, tag, [c.tag for c in properties])
