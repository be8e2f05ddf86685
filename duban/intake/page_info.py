"""公开信息栏: the label/value panel a government website prints above a document it publishes.

    [发文字号] 京政办发〔2025〕13号        文件编号:            发文字号
    [成文日期] 2025-07-23                 大政办发〔2021〕31号   自然资办函〔2021〕1432号
    [发文机构] 北京市人民政府办公厅       成文日期:            生成日期
                                          2021-08-13           2021年08月06日

A label stands in brackets before its value, or with a colon, or alone on its line with the value on the
next (an empty value when the next line is itself a label). Only a run of at least ``MIN_LABELS`` labels
near the top counts as a panel, so a body sentence that happens to start with 主题 is left alone. The
panel's lines are not the document's (they would run into its title); its values fill the fields the
document itself does not print (extraction.md: the 文号 and date as the page states them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duban.intake.doc_kinds import kind_of
from duban.intake.doc_numbers import is_doc_no_line

# Label → the contract field it gives (None: a label of the panel that gives no field of the contract).
LABELS: dict[str, str | None] = {
    **dict.fromkeys(("文件编号", "发文字号", "文号", "发文文号", "文件字号"), "doc_no"),
    **dict.fromkeys(("成文日期", "生成日期", "发文日期", "印发日期", "成文时间"), "date"),
    **dict.fromkeys(("发布机构", "发文机关", "发文机构", "发文单位", "制发机关"), "issuer"),
    **dict.fromkeys(("名称", "标题", "文件名称"), "title"),
    **dict.fromkeys(("体裁", "文种", "公文种类"), "kind"),
    **dict.fromkeys(
        (
            "索引号",
            "主题分类",
            "主题",
            "分类",
            "组配分类",
            "发布日期",
            "发布时间",
            "公开日期",
            "有效性",
            "效力状态",
            "时效状态",
            "实施日期",
            "废止日期",
            "有效期",
            "联合发文单位",
            "文件来源",
            "信息来源",
            "主题词",
            "公开方式",
            "公开范围",
        ),
        None,
    ),
}
# Labels whose value is a date: a lone one takes the next line only when it holds a digit.
DATE_LABELS = frozenset(
    (
        "成文日期",
        "生成日期",
        "发文日期",
        "印发日期",
        "成文时间",
        "发布日期",
        "发布时间",
        "公开日期",
        "实施日期",
        "废止日期",
        "有效期",
    )
)
MIN_LABELS = 3
SEARCH_LINES = 200  # the panel stands above the document, after site navigation of any length
# A label may be spaced out to fill its column (索 引 号：, 标    题：).
_LABEL = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(LABELS, key=len, reverse=True))
_BRACKETED = re.compile(rf"^[\[【]\s*({_LABEL})\s*[\]】]\s*[:：]?\s*(.*)$")
_COLON = re.compile(rf"^({_LABEL})\s*[:：]\s*(.*)$")
_ALONE = re.compile(rf"^({_LABEL})$")
# Panels in two columns print several labels on a line: 发文字号：江政发〔2024〕7号        成文日期：2024-05-06.
_IN_ROW = re.compile(rf"(?:^|(?<=\s))({_LABEL})\s*[:：]")
# A status printed before a title on such pages: [已废止]大连市人民政府办公室关于…
STATUS_MARK = re.compile(r"^[\[【](?:已废止|已失效|失效|废止|有效|现行有效|已修订|部分失效)[\]】]\s*")


@dataclass(frozen=True)
class PageInfo:
    fields: dict[str, str]  # contract field → the value the panel gives
    lines: frozenset[int]  # indices of the panel's lines


def _label(text: str) -> tuple[str, str | None] | None:
    """(label, value on the same line or None) when ``text`` is a label line."""
    text = text.replace("\u200b", "").strip()
    for pattern in (_BRACKETED, _COLON):
        found = pattern.match(text)
        if found:
            return _unspaced(found.group(1)), found.group(2).strip() or None
    found = _ALONE.match(text)
    return (_unspaced(found.group(1)), None) if found else None


def _row(text: str) -> list[tuple[str, str]]:
    """The (label, value) pairs of a line that holds two labels or more with a colon each, else []."""
    text = text.replace("\u200b", "").strip()
    found = list(_IN_ROW.finditer(text))
    if len(found) < 2 or found[0].start() != 0:
        return []
    ends = [match.start() for match in found[1:]] + [len(text)]
    return [
        (_unspaced(match.group(1)), text[match.end() : end].strip()) for match, end in zip(found, ends, strict=True)
    ]


def _unspaced(label: str) -> str:
    return re.sub(r"\s", "", label)


def _is_value_of(label: str, line: str) -> bool:
    """Whether ``line`` (after a label alone on its line) is that label's value rather than what follows
    an empty one: a date for a date, a 文号 for a 文号, a title only for 名称; else a short line that is
    no label and no title."""
    if _label(line) is not None:
        return False
    if label in DATE_LABELS:
        return bool(re.search(r"\d", line)) and len(line) <= 30
    if LABELS[label] == "doc_no":
        return is_doc_no_line(line)
    if LABELS[label] == "title":
        return True
    if LABELS[label] == "kind":
        return len(line) <= 8
    return len(line) <= 40 and kind_of(line) is None


def read_page_info(lines: list[str]) -> PageInfo:
    """The panel of label/value lines near the top of ``lines`` (the text's lines as printed, before
    cleanup joins broken lines), or an empty one."""
    used: set[int] = set()
    values: dict[str, str] = {}
    labels = 0
    index = 0
    limit = min(len(lines), SEARCH_LINES)
    while index < limit:
        row = _row(lines[index])
        if row:
            labels += len(row)
            used.add(index)
            for row_label, row_value in row:
                field = LABELS[row_label]
                if field is not None and row_value and field not in values:
                    values[field] = row_value
            index += 1
            continue
        read = _label(lines[index])
        if read is None:
            index += 1
            continue
        label, value = read
        taken = {index}
        if value is None:
            following = lines[index + 1].replace("\u200b", "").strip() if index + 1 < len(lines) else ""
            if following and index + 1 < limit and _is_value_of(label, following):
                value = following
                taken.add(index + 1)
            else:
                value = ""
        labels += 1
        used |= taken
        target = LABELS[label]
        if target is not None and value and target not in values:
            values[target] = value.replace("\u200b", "")
        index = max(taken) + 1
    if labels < MIN_LABELS:
        return PageInfo({}, frozenset())
    return PageInfo(values, frozenset(used))


# The page's own title as a browser shows it: the document's title, then the site's name
# (关于…的通知_中国政府采购网, …的通知 - 江临市人民政府, …的通知|江临市人民政府门户网站).
_SITE_SUFFIX = re.compile(r"^(?P<title>.{4,}?)\s*(?:_|\||｜|\s[-–—]\s)\s*(?P<site>[^，。；：_|｜]{2,30})$")


def without_status_mark(text: str) -> str:
    """The line without a status printed before a title, or a site's name after one."""
    text = STATUS_MARK.sub("", text)
    found = _SITE_SUFFIX.match(text)
    if found and kind_of(found.group("title")) is not None and kind_of(found.group("site")) is None:
        return found.group("title")
    return text


def page_text(text: str) -> tuple[str, PageInfo]:
    """``text`` with the panel's lines emptied and no status mark before a title, and the panel."""
    lines = text.splitlines()
    info = read_page_info(lines)
    kept = [without_status_mark(line.strip()) if index < SEARCH_LINES else line for index, line in enumerate(lines)]
    # A panel line becomes an empty line: what stood above the panel (site navigation) stays apart from the title.
    return "\n".join("" if index in info.lines else line for index, line in enumerate(kept)), info
