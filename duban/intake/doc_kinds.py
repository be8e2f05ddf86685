"""The 文种 (kind) of a document, read from the end of its title, as printed.

A kind is a base word (the 《党政机关公文处理工作条例》 kinds and the forms plans and measures
print: 方案, 计划, 要点, 措施, 办法, 细则 …), for some bases with the word before it that
makes the kind (extraction.md: 实施方案, 工作方案, 行动计划, 工作要点, 政策措施 stay whole; a
quantifier such as 若干 or a subject such as 专项 is not part of it). 意见 stays 意见 whatever
stands before it (实施意见, 指导意见), as 细则 and 办法 do.
"""

from __future__ import annotations

import re

# Base words ending a title, longest first within a family (政策解读 before 解读), with the kind
# reported for each. Ordered: the first that ends the title wins.
KIND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("政策解读", "政策解读"),
    ("解读", "政策解读"),
    ("讲话", "讲话"),
    ("致辞", "讲话"),
    ("意见", "意见"),
    ("通知", "通知"),
    ("通报", "通报"),
    ("决定", "决定"),
    ("决议", "决议"),
    ("命令", "命令"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("报告", "报告"),
    ("请示", "请示"),
    ("批复", "批复"),
    ("议案", "议案"),
    ("纪要", "纪要"),
    ("细则", "细则"),
    ("办法", "办法"),
    ("规定", "规定"),
    ("规则", "规则"),
    ("条例", "条例"),
    ("规划", "规划"),
    ("方案", "方案"),
    ("计划", "计划"),
    ("要点", "要点"),
    ("措施", "措施"),
    ("清单", "清单"),
    ("分工", "分工"),
    ("函", "函"),
)
# Bases that keep the word before them (工作方案, 行动计划, 政策措施, 任务清单 …), and those words.
_QUALIFIED = {
    "方案": ("实施", "工作", "行动", "分工"),
    "计划": ("实施", "工作", "行动"),
    "要点": ("工作",),
    "措施": ("政策", "工作", "实施", "保障"),
    "清单": ("任务", "责任", "问题", "负面"),
    "分工": ("任务",),
}
# A table a document attaches: 任务分解表, 责任分工表, 评分表, 一览表 … (the last word as printed).
_TABLE = re.compile(r"(?:任务分解|任务分工|责任分工|分工|分解|评分|评价|考核|汇总|一览|统计|清单|明细)表$")


def kind_of(title: str) -> str | None:
    """The kind a title ends with, as printed, or None."""
    # A trailing period or status in brackets ("…行动方案（2021—2023年）", "…办法（试行）") is not the kind.
    stripped = re.sub(r"[（(][^（）()]{1,20}[）)]\s*$", "", title.strip())
    stripped = stripped.rstrip("”’\"'）)】》 ")
    table = _TABLE.search(stripped)
    if table:
        return table.group(0)
    for ending, kind in KIND_ENDINGS:
        if stripped.endswith(ending):
            # 函 is a single character and ends many words (公函 is fine, but 信函 rarely
            # titles a document): accept it only as "…的函".
            if ending == "函" and not stripped.endswith("的函"):
                continue
            before = stripped[: -len(ending)]
            for qualifier in _QUALIFIED.get(ending, ()):
                if before.endswith(qualifier):
                    return qualifier + kind
            return kind
    return None


# What an attachment may be besides a 文种, after its 附件 mark: 附件2 / 江临市…评价指标体系.
_ATTACHED = re.compile(r"(?:指标体系|标准|目录|名单|名录|指南|导则|模板|范本|说明|一览表|表)$")


def attachment_kind(title: str) -> str | None:
    """The kind of a title printed under a 附件 mark: a 文种, or the word for what is attached (指标体系,
    名单, …表) as printed; None when it ends in neither."""
    kind = kind_of(title)
    if kind is not None:
        return kind
    stripped = re.sub(r"[（(][^（）()]{1,20}[）)]\s*$", "", title.strip()).rstrip("”’\"'）)】》 ")
    found = _ATTACHED.search(stripped)
    return found.group(0) if found else None


def ends_with_kind(text: str) -> bool:
    return kind_of(text) is not None
