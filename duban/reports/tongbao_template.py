"""The shipped 督查通报 template (duban/reports/document_templates/tongbao.docx), built in the GB/T 9704-2012
layout of duban.reports.gbt9704: `python -m duban.reports.tongbao_template` writes it.

The writer (duban.reports.tongbao.tongbao_docx) fills sections 一 to 三 from the period's figures:

    一、总体情况   `overall` (paragraphs) and the table of figures `figures` (本期, 上期, 增减)
    二、存在的问题 `problems` (paragraphs, a 楷体 heading per lead unit with its overdue tasks)
    三、问责情况   `accountability` (the 通报批评 and 公开曝光 decided in the period)

Section 四、下步工作 is the template's own text, which the office edits in Word (its jurisdiction's copy,
duban.reports.docx): it stays as written whatever the period.
"""

from __future__ import annotations

import sys
from pathlib import Path

from duban.reports import gbt9704 as layout

TEMPLATE = "tongbao.docx"

# 四、下步工作: the office's own words, kept in the template (an office changes them in its copy):
# (heading, text) per paragraph.
NEXT_STEPS = (
    (
        "（一）压实工作责任。",
        "各牵头单位要对照督查台账逐项梳理任务进展，对逾期未完成的任务认真分析原因，"
        "制定整改措施，明确完成时限，于本通报印发之日起5个工作日内将整改情况书面报送{{ issuer }}。",
    ),
    (
        "（二）加强跟踪督办。",
        "{{ issuer }}将对逾期任务实行挂牌督办，逐项跟踪问效，"
        "按照周通报、月调度、季分析、半年考评、年度考核的要求，持续通报各单位任务推进情况。",
    ),
    (
        "（三）严格督查问责。",
        "对工作措施不力、导致任务进展缓慢的相关责任单位和责任人，"
        "依照{{ regulation }}点名道姓通报批评，并向社会公开曝光，切实达到奖优罚劣的目的。",
    ),
)


def build_tongbao():
    """A 督查通报: red header, title, 主送机关, sections 一–三 from the figures, 四 as written, signature."""
    doc = layout.new_document()
    layout.red_header(doc)
    layout.paragraph(doc, "{{ title }}", layout.TITLE)
    layout.paragraph(doc, "{{ recipient }}", layout.RECIPIENT)
    layout.body_block(doc, "opening")
    layout.paragraph(doc, "一、总体情况", layout.HEADING_1)
    layout.body_block(doc, "overall")
    layout.paragraph(doc, "{{ figures_caption }}", layout.TABLE_HEADER)
    layout.table_block(
        doc,
        rows="figures",
        columns=[("指标", "label", 64), ("本期", "value", 28), ("上期", "previous", 28), ("较上期", "change", 36)],
    )
    layout.paragraph(doc, "二、存在的问题", layout.HEADING_1)
    layout.body_block(doc, "problems")
    layout.paragraph(doc, "三、问责情况", layout.HEADING_1)
    layout.body_block(doc, "accountability")
    layout.paragraph(doc, "四、下步工作", layout.HEADING_1)
    for heading, text in NEXT_STEPS:
        # The （一） heading in 楷体_GB2312, its paragraph running on in 仿宋_GB2312 (GB/T 9704 7.3.3).
        par = doc.add_paragraph(style=layout.BODY)
        layout.set_fonts(par.add_run(heading)._r, layout.KAITI)
        par.add_run(text)
    layout.signature_block(doc)
    layout.colophon(doc)
    return doc


def build(folder: Path = layout.DEFAULT_FOLDER) -> Path:
    path = folder / TEMPLATE
    build_tongbao().save(str(path))
    return path


if __name__ == "__main__":  # pragma: no cover - the maintainers' command that writes the shipped template
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else layout.DEFAULT_FOLDER))


def _sample_items(*texts: str) -> list[dict]:
    return [{"level": 0, "text": text} for text in texts]


# The names tongbao_docx passes, with made-up values: the 公文模板 page's test-render of a replacement
# (duban.reports.samples.SAMPLES lists it).
SAMPLE = (
    "督查通报",
    {
        "mark": "示例市人民政府督查室",
        "reference": "示督通〔2020〕1号",
        "title": "关于2020年6月督查工作情况的通报",
        "recipient": "各县区人民政府，市人民政府各部门：",
        "opening": _sample_items("现将2020年6月示例市督查工作情况通报如下："),
        "overall": _sample_items("截至2020年6月30日，示例市督查台账在账任务7项（较上期增加1项）。"),
        "figures_caption": "表1  主要指标对比表（本期2020年6月，上期2020年5月）",
        "figures": [{"label": "在账任务", "value": "7项", "previous": "6项", "change": "增加1项"}],
        "problems": [
            {"level": 0, "text": "截至2020年6月30日，共有1项任务逾期未完成。具体如下："},
            {"level": 2, "text": "（一）示例局：逾期任务1项，最长逾期10天。"},
            {"level": 0, "text": "1.“示例任务”，完成时限2020年6月20日，已逾期10天。"},
        ],
        "accountability": _sample_items("2020年6月，未作出通报批评、公开曝光的督查问责决定。"),
        "regulation": "《示例市问责办法》",
        "issuer": "示例市人民政府督查室",
        "date": "2020年7月10日",
        "printer": "示例市人民政府督查室",
        "printed_on": "2020年7月10日",
        "period": "2020年6月",
        "cycle": "月调度",
    },
)
