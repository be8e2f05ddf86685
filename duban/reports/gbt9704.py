"""The 公文 layout of GB/T 9704-2012《党政机关公文格式》 as python-docx writes it, for building the shipped
default templates (duban/reports/document_templates/*.docx: `python -m duban.reports.gbt9704`).

What the standard fixes, and where it is set here:
- A4 (210 × 297 mm); 天头 37 mm, 订口 (left) 28 mm, bottom 35 mm, right 26 mm: a 版心 of 156 × 225 mm
  (`page_setup`).
- 22 lines of 28 characters in 3号 (16 pt): a line pitch of 225 mm / 22 = 28.95 pt (the section's line grid
  and every paragraph's exact spacing) and a character pitch of 156 mm / 28 (the body's character spacing
  closes 16 pt up to it).
- 发文机关标志 in red 小标宋, 35 mm below the top of the 版心; 发文字号 two lines below it, centred; the red
  separator line 4 mm under the 发文字号 (a red bottom border as wide as the 版心).
- 标题 in 2号 (22 pt) 方正小标宋简体, centred, two lines under the red line; 主送机关 one line below it.
- 正文 in 3号 仿宋_GB2312, two characters' first-line indent; headings by level: 一、黑体, （一）楷体_GB2312,
  1. 仿宋 bold, (1) 仿宋.
- 发文机关署名 centred over the 成文日期, the date four characters from the right, the 印章 pressing on
  both: the signature begins two lines under the body, where the seal's top reaches.
- page numbers "— 1 —" in 4号 宋体 under the 版心, odd pages right and even pages left, one character in.
- 版记 (印发机关, 印发日期) between black lines at the end.

Fonts are named as offices' PCs have them, the East Asian name set on every run's properties (w:eastAsia)
so Word uses them for Chinese text; a server without them renders the PDF with Noto CJK through the
fontconfig aliases in duban/reports/fonts/duban-cjk.conf.

The templates hold docxtpl (Jinja) tags: `body_block` writes the loop that renders a list of headings and
paragraphs (each item {"level": 0–4, "text": ...}), `table_block` a table whose rows repeat with {%tr %}.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

RED = RGBColor(0xFF, 0x00, 0x00)

# The fonts of the standard, as offices have them.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES, CHARACTERS = 22, 28
TEXT_WIDTH = Mm(210 - 28 - 26)  # 156 mm
TEXT_HEIGHT = Mm(297 - 37 - 35)  # 225 mm
LINE_PITCH = Twips(int(TEXT_HEIGHT.twips / LINES))  # 579 twips = 28.95 pt
CHARACTER_PITCH_TWIPS = TEXT_WIDTH.twips / CHARACTERS  # 315.9 twips
# 3号 is 320 twips wide: closing each character up by 5 twips puts 28 of them on a line of the 版心.
BODY_CHARACTER_SPACING = int(CHARACTER_PITCH_TWIPS) - SIZE_3.twips  # -5

# Styles of the shipped templates (the names an office sees in Word's style list).
MARK = "发文机关标志"
NUMBER = "发文字号"
TITLE = "公文标题"
RECIPIENT = "主送机关"
BODY = "公文正文"
HEADING_1 = "一级标题"
HEADING_2 = "二级标题"
HEADING_3 = "三级标题"
HEADING_4 = "四级标题"
SIGNATURE = "发文机关署名"
DATE = "成文日期"
TABLE_TEXT = "表格文字"
TABLE_HEADER = "表头文字"
COLOPHON = "版记"
PAGE_NUMBER = "页码"
NOTE = "附注"

LEVEL_STYLES = {0: BODY, 1: HEADING_1, 2: HEADING_2, 3: HEADING_3, 4: HEADING_4}


# The order of a paragraph's and a run's properties in WordprocessingML (ECMA-376 CT_PPrBase, CT_RPr): Word
# refuses a file whose elements are out of this order, so each one is put in its place.
PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
RPR_ORDER = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]


def put_in_order(parent, child, order: Sequence[str]) -> None:
    """Add `child` to `parent` (replacing one of its tag) where `order` puts it."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    name = next(n for n in order if qn(n) == tag)
    parent.insert_element_before(child, *order[order.index(name) + 1 :])


def _no_grid_snap(style) -> None:
    """Lines of this style keep their own spacing instead of the page's 28.95 pt grid (tables, the mark)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    put_in_order(style.element.get_or_add_pPr(), snap, PPR_ORDER)


def set_fonts(element, east_asian: str, latin: str = LATIN) -> None:
    """Set a run's or style's fonts on its rPr: Latin for digits and letters, East Asian for Chinese."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _character_spacing(style, twips: int) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    put_in_order(style.element.get_or_add_rPr(), spacing, RPR_ORDER)


def _first_line_chars(style, chars: int) -> None:
    """First-line indent in characters (Word's firstLineChars, hundredths), with its length for others."""
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * SIZE_3.twips))


def _bottom_border(paragraph_format_element, *, color: str, size_eighths: int, space_pt: int) -> None:
    ppr = paragraph_format_element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), str(space_pt))
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    put_in_order(ppr, borders, PPR_ORDER)


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    *,
    font: str,
    size: Pt,
    bold: bool = False,
    color: RGBColor | None = None,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    line: Twips | Pt = LINE_PITCH,
    first_line_chars: int = 0,
    left: Twips | Pt | None = None,
    right: Twips | Pt | None = None,
    before: Twips | Pt | int = 0,
    character_spacing: int = 0,
    snap: bool = True,
):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = size
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = before
    fmt.space_after = 0
    fmt.widow_control = False
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right
    if first_line_chars:
        _first_line_chars(style, first_line_chars)
    if character_spacing:
        _character_spacing(style, character_spacing)
    if not snap:
        _no_grid_snap(style)
    return style


def _chars(n: float) -> Twips:
    return Twips(int(n * CHARACTER_PITCH_TWIPS))


def _styles(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = SIZE_3
    set_fonts(normal.element, FANGSONG)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_after = 0
    normal.paragraph_format.space_before = 0
    # Language East Asian: zh-CN, so Word applies Chinese line breaking and punctuation rules.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    put_in_order(rpr, lang, RPR_ORDER)

    line = LINE_PITCH.twips
    _paragraph_style(
        doc,
        MARK,
        font=XIAOBIAOSONG,
        size=Pt(36),
        color=RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(48),
        snap=False,
        # 35 mm from the top of the 版心 to the top of the mark (the mark's line is 48 pt for 36 pt type).
        before=Twips(Mm(35).twips - Pt(6).twips),
    )
    number = _paragraph_style(
        doc, NUMBER, font=FANGSONG, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, before=Twips(2 * line)
    )
    # The red separator line, 4 mm (11 pt) under the 发文字号, as wide as the 版心 (1 pt).
    _bottom_border(number.element, color="FF0000", size_eighths=8, space_pt=11)
    _paragraph_style(
        doc,
        TITLE,
        font=XIAOBIAOSONG,
        size=SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(35),
        before=Twips(line),
        snap=False,
    )
    _paragraph_style(
        doc,
        RECIPIENT,
        font=FANGSONG,
        size=SIZE_3,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        before=Twips(line),
        character_spacing=BODY_CHARACTER_SPACING,
    )
    body = {"first_line_chars": 2, "character_spacing": BODY_CHARACTER_SPACING}
    _paragraph_style(doc, BODY, font=FANGSONG, size=SIZE_3, **body)
    _paragraph_style(doc, HEADING_1, font=HEITI, size=SIZE_3, **body)
    _paragraph_style(doc, HEADING_2, font=KAITI, size=SIZE_3, **body)
    _paragraph_style(doc, HEADING_3, font=FANGSONG, size=SIZE_3, bold=True, **body)
    _paragraph_style(doc, HEADING_4, font=FANGSONG, size=SIZE_3, **body)
    _paragraph_style(
        doc,
        NOTE,
        font=FANGSONG,
        size=SIZE_3,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first_line_chars=2,
        character_spacing=BODY_CHARACTER_SPACING,
    )
    # The signature is centred over the date: both are centred on the same point, 4 characters plus half
    # a date (about 7 characters wide) from the right edge of the 版心.
    _paragraph_style(
        doc,
        SIGNATURE,
        font=FANGSONG,
        size=SIZE_3,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        left=_chars(12.5),
        right=_chars(0),
        before=Twips(2 * line),
    )
    _paragraph_style(doc, DATE, font=FANGSONG, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT, right=_chars(4))
    _paragraph_style(
        doc, TABLE_TEXT, font=FANGSONG, size=SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(18), snap=False
    )
    _paragraph_style(
        doc, TABLE_HEADER, font=HEITI, size=SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(18), snap=False
    )
    colophon = _paragraph_style(
        doc,
        COLOPHON,
        font=FANGSONG,
        size=SIZE_4,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        left=_chars(0.5),
        right=_chars(0.5),
        before=Twips(2 * line),
        snap=False,
    )
    ppr = colophon.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "bottom"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "8")
        border.set(qn("w:space"), "4")
        border.set(qn("w:color"), "000000")
        borders.append(border)
    put_in_order(ppr, borders, PPR_ORDER)
    page_number = _paragraph_style(doc, PAGE_NUMBER, font=SONGTI, size=SIZE_4, line=Pt(16), snap=False)
    set_fonts(page_number.element, SONGTI, latin=SONGTI)


def _page_number_paragraph(doc: DocumentObject, footer, *, odd: bool) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles[PAGE_NUMBER]
    fmt = paragraph.paragraph_format
    if odd:
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = _chars(1)
    else:
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = _chars(1)
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            value = OxmlElement("w:t")
            value.text = text
            run._r.append(value)
    paragraph.add_run(" —")


def page_setup(doc: DocumentObject, *, landscape: bool = False) -> None:
    section = doc.sections[0]
    if landscape:
        # A wide table: A4 turned, the margins turning with the paper (the binding edge stays 28 mm).
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        section.top_margin, section.bottom_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.left_margin, section.right_margin = MARGIN_TOP, MARGIN_BOTTOM
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    # The page number's line 7 mm under the 版心: its 16 pt line ends about 23 mm above the bottom edge.
    section.footer_distance = Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_paragraph(doc, section.footer, odd=True)
    _page_number_paragraph(doc, section.even_page_footer, odd=False)


def new_document(*, landscape: bool = False) -> DocumentObject:
    doc = Document()
    _styles(doc)
    page_setup(doc, landscape=landscape)
    properties = doc.core_properties
    properties.author = properties.last_modified_by = properties.title = ""
    properties.comments = "GB/T 9704-2012 公文格式模板（duban）"
    properties.language = "zh-CN"
    return doc


def paragraph(doc: DocumentObject, text: str, style: str):
    # The first paragraph of a new document is python-docx's empty one: reuse it.
    body = doc.element.body
    first = body[0] if len(body) else None
    if len(doc.paragraphs) == 1 and not doc.paragraphs[0].text and first is doc.paragraphs[0]._p:
        par = doc.paragraphs[0]
        par.style = doc.styles[style]
        par.add_run(text)
        return par
    return doc.add_paragraph(text, style=style)


def red_header(doc: DocumentObject) -> None:
    """发文机关标志 (red), 发文字号, the red separator line."""
    paragraph(doc, "{{ mark }}", MARK)
    paragraph(doc, "{{ reference }}", NUMBER)


def body_block(doc: DocumentObject, name: str = "body") -> None:
    """The loop over `name`: items {"level": 0 (正文) … 4, "text": …}, each in the style of its level."""
    paragraph(doc, f"{{%p for item in {name} %}}", BODY)
    for level, style in LEVEL_STYLES.items():
        keyword = "if" if level == 0 else "elif"
        paragraph(doc, f"{{%p {keyword} item.level == {level} %}}", BODY)
        paragraph(doc, "{{ item.text }}", style)
    paragraph(doc, "{%p endif %}", BODY)
    paragraph(doc, "{%p endfor %}", BODY)


def signature_block(doc: DocumentObject) -> None:
    """发文机关署名 over 成文日期 (the 印章 presses on both), then the 版记."""
    paragraph(doc, "{{ issuer }}", SIGNATURE)
    paragraph(doc, "{{ date }}", DATE)


def colophon(doc: DocumentObject) -> None:
    par = paragraph(doc, "{{ printer }}\t{{ printed_on }}印发", COLOPHON)
    section = doc.sections[-1]
    width = Twips(section.page_width.twips - section.left_margin.twips - section.right_margin.twips)
    par.paragraph_format.tab_stops.add_tab_stop(Twips(width.twips - 2 * _chars(0.5).twips), WD_TAB_ALIGNMENT.RIGHT)


def _cell_text(cell, text: str, style: str) -> None:
    par = cell.paragraphs[0]
    par.style = cell.part.document.styles[style]
    par.add_run(text)


def table_block(
    doc: DocumentObject, *, rows: str, columns: Sequence[tuple[str, str, float]], header_repeat: bool = True
) -> None:
    """A bordered table: a header row, then one row per item of `rows` ({%tr for %}). columns: (header,
    the item's field, width in mm)."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header, loop_start, data, loop_end = table.rows
    for index, (title, field, width) in enumerate(columns):
        table.columns[index].width = Mm(width)  # the grid LibreOffice reads
        for row in table.rows:
            row.cells[index].width = Mm(width)  # the cells' widths Word reads
        _cell_text(header.cells[index], title, TABLE_HEADER)
        _cell_text(data.cells[index], f"{{{{ r.{field} }}}}", TABLE_TEXT)
    _cell_text(loop_start.cells[0], f"{{%tr for r in {rows} %}}", TABLE_TEXT)
    _cell_text(loop_end.cells[0], "{%tr endfor %}", TABLE_TEXT)
    if header_repeat:
        trpr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        trpr.append(repeat)


# The shipped default set ------------------------------------------------------------------------------


def fields_table(doc: DocumentObject, rows: Sequence[tuple[str, str]], *, label_width: float = 32) -> None:
    """A two-column table of fixed rows: a label (黑体) and its value (a tag)."""
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.columns[0].width = Mm(label_width)
    table.columns[1].width = Mm(156 - label_width)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].width = Mm(label_width)
        row.cells[1].width = Mm(156 - label_width)
        _cell_text(row.cells[0], label, TABLE_HEADER)
        _cell_text(row.cells[1], value, TABLE_TEXT)
        row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT


def _opening(doc: DocumentObject) -> None:
    red_header(doc)
    paragraph(doc, "{{ title }}", TITLE)
    paragraph(doc, "{{ recipient }}", RECIPIENT)


def _closing(doc: DocumentObject) -> None:
    signature_block(doc)
    colophon(doc)


def build_notice() -> DocumentObject:
    """A notice: red header, title, 主送机关, body, signature and date, 版记 (通报批评 / 公开曝光 …)."""
    doc = new_document()
    _opening(doc)
    body_block(doc)
    _closing(doc)
    return doc


def build_order() -> DocumentObject:
    """督办单: the notice's frame with the order's facts in a table under the body."""
    doc = new_document()
    _opening(doc)
    body_block(doc)
    fields_table(
        doc,
        [
            ("督办事项", "{{ task }}"),
            ("任务来源", "{{ source }}"),
            ("完成时限", "{{ deadline }}"),
            ("回复期限", "{{ reply_by }}"),
            ("办理状态", "{{ status }}"),
        ],
    )
    _closing(doc)
    return doc


def build_opinion_letter() -> DocumentObject:
    """督查问责意见书: body, then the 第九条 consequences (quoted articles), the appeal paragraph."""
    doc = new_document()
    _opening(doc)
    body_block(doc)
    body_block(doc, "articles")
    body_block(doc, "closing")
    _closing(doc)
    return doc


def build_ranking_notice() -> DocumentObject:
    """督查事项月排名通报: the body, the ranking table, what follows it."""
    doc = new_document()
    _opening(doc)
    body_block(doc)
    table_block(
        doc,
        rows="rows",
        columns=[
            ("名次", "rank", 16),
            ("单位", "unit", 76),
            ("基础分", "base", 20),
            ("扣分", "deducted", 20),
            ("得分", "score", 24),
        ],
    )
    body_block(doc, "after")
    _closing(doc)
    return doc


def build_assessment() -> DocumentObject:
    """年度综合目标考核（加减分事项） table: landscape, one row per unit with the year's flags."""
    doc = new_document(landscape=True)
    _opening(doc)
    # On a turned page the mark stands at the top of the 版心, leaving the page to the table.
    doc.paragraphs[0].paragraph_format.space_before = Pt(0)
    body_block(doc)
    table_block(
        doc,
        rows="rows",
        columns=[
            # 225 mm, the turned page's 版心: each heading and a unit's full name (up to 16 characters) on one line.
            ("名次", "rank", 14),
            ("单位", "unit", 70),
            ("基础分", "base", 18),
            ("扣减分", "deducted", 18),
            ("得分", "score", 14),
            ("评先评优", "award", 22),
            ("公开曝光", "exposures", 23),
            ("整改事项", "rectifications", 23),
            ("文明单位称号", "civilized", 23),
        ],
    )
    body_block(doc, "after")
    _closing(doc)
    return doc


TEMPLATES = {
    "notice.docx": build_notice,
    "criticism-notice.docx": build_notice,
    "order.docx": build_order,
    "opinion-letter.docx": build_opinion_letter,
    "ranking-notice.docx": build_ranking_notice,
    "assessment.docx": build_assessment,
}


def build_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATES.items():
        path = folder / name
        build().save(str(path))
        written.append(path)
    return written


DEFAULT_FOLDER = Path(__file__).resolve().parent / "document_templates"

if __name__ == "__main__":  # pragma: no cover - the maintainers' command that writes the shipped set
    for written_path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER):
        print(written_path)
