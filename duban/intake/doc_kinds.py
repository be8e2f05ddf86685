"""The 文种 (kind) of a document, read from the end of its title.

The list follows the 《党政机关公文处理工作条例》 kinds plus the forms gazettes print
(实施方案, 办法, 细则, 讲话, 政策解读 …). Longer endings come first so that 实施方案 wins
over 方案 and 政策解读 over 解读.
"""

from __future__ import annotations

import re

# (ending of the title, kind reported). Ordered: first match wins.
KIND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("政策解读", "政策解读"),
    ("解读", "政策解读"),
    ("讲话", "讲话"),
    ("致辞", "讲话"),
    ("实施方案", "实施方案"),
    ("工作方案", "方案"),
    ("行动方案", "方案"),
    ("方案", "方案"),
    ("实施意见", "意见"),
    ("指导意见", "意见"),
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
    ("实施细则", "细则"),
    ("细则", "细则"),
    ("办法", "办法"),
    ("规定", "规定"),
    ("规则", "规则"),
    ("条例", "条例"),
    ("规划", "规划"),
    ("计划", "计划"),
    ("要点", "要点"),
    ("任务清单", "清单"),
    ("清单", "清单"),
    ("任务分工", "分工"),
    ("分工表", "分工"),
    ("措施", "措施"),
    ("函", "函"),
)


def kind_of(title: str) -> str | None:
    """The kind a title ends with, or None."""
    # A trailing period or status in brackets ("…行动方案（2021—2023年）", "…办法（试行）") is not the kind.
    stripped = re.sub(r"[（(][^（）()]{1,20}[）)]\s*$", "", title.strip())
    stripped = stripped.rstrip("”’\"'）)】 ")
    for ending, kind in KIND_ENDINGS:
        if stripped.endswith(ending):
            # 函 is a single character and ends many words (公函 is fine, but 信函 rarely
            # titles a document): accept it only as "…的函".
            if ending == "函" and not stripped.endswith("的函"):
                continue
            return kind
    return None


def ends_with_kind(text: str) -> bool:
    return kind_of(text) is not None
