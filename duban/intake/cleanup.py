"""Undo what PDF extraction does to an official document's text.

Input: the raw text of a file. Output: logical lines (paragraphs), each as `Line(text, raw)`:
`text` is normalised for parsing (no layout spaces, full-width Chinese punctuation, half-width
digits, simplified characters); `raw` keeps single spaces between words, which tell an issuer
from a title ("驻马店市人民政府 关于…") and a post from a name ("市政府市长 朱是西").

What is repaired, and why:
- page numbers and running headers (repeated short lines, found by counting, not by name);
- sentences and numbers broken by page breaks and blank lines ("7%和" / "5%");
- mixed full/half-width punctuation and full-width digits;
- stray Latin words that PDF converters drop into Chinese text ("思想 and 党的");
- traditional-character variants OCR leaves behind ("辦法").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from duban.intake.annotations import is_unit_label_line
from duban.intake.dates import is_date_line
from duban.intake.doc_kinds import ends_with_kind
from duban.intake.doc_numbers import is_doc_no_line
from duban.intake.headings import is_pure_heading, marker_of
from duban.intake.unitnames import looks_like_unit

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese punctuation (CJK symbols block and full-width forms) counts as "Chinese" for spacing.
CJK_PUNCT = (
    "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
)

# Traditional (or variant) characters OCR and converters leave in simplified text. Only
# characters that never occur in simplified official text are listed, so replacing them
# everywhere is safe.
TRADITIONAL_VARIANTS = str.maketrans(
    {
        "辦": "办",
        "與": "与",
        "關": "关",
        "於": "于",
        "進": "进",
        "實": "实",
        "會": "会",
        "發": "发",
        "東": "东",
        "機": "机",
        "為": "为",
        "爲": "为",
        "體": "体",
        "務": "务",
        "號": "号",
        "區": "区",
        "縣": "县",
        "國": "国",
        "門": "门",
        "員": "员",
        "單": "单",
        "責": "责",
        "業": "业",
        "劃": "划",
        "設": "设",
        "計": "计",
        "經": "经",
        "濟": "济",
        "廳": "厅",
        "強": "强",
        "應": "应",
        "們": "们",
        "個": "个",
        "這": "这",
        "時": "时",
        "對": "对",
        "開": "开",
        "學": "学",
        "動": "动",
        "產": "产",
        "農": "农",
        "鄉": "乡",
        "鎮": "镇",
        "園": "园",
        "場": "场",
        "規": "规",
        "範": "范",
        "標": "标",
        "準": "准",
        "質": "质",
        "環": "环",
        "護": "护",
        "衛": "卫",
        "醫": "医",
        "藥": "药",
        "療": "疗",
        "險": "险",
        "養": "养",
        "稅": "税",
        "財": "财",
        "費": "费",
        "價": "价",
        "資": "资",
        "總": "总",
        "組": "组",
        "織": "织",
        "領": "领",
        "導": "导",
        "幹": "干",
        "黨": "党",
        "辭": "辞",
        "議": "议",
        "認": "认",
        "識": "识",
        "調": "调",
        "檢": "检",
        "驗": "验",
        "測": "测",
        "監": "监",
        "係": "系",
        "統": "统",
        "轉": "转",
        "輸": "输",
        "鐵": "铁",
        "車": "车",
        "運": "运",
        "電": "电",
        "話": "话",
        "講": "讲",
        "傳": "传",
        "廣": "广",
        "報": "报",
        "紙": "纸",
        "網": "网",
        "絡": "络",
        "數": "数",
        "據": "据",
        "創": "创",
        "親": "亲",
        "愛": "爱",
        "興": "兴",
        "變": "变",
        "歲": "岁",
        "嬰": "婴",
        "兒": "儿",
        "婦": "妇",
        "聯": "联",
        "團": "团",
        "協": "协",
        "長": "长",
        "書": "书",
        "記": "记",
        "緊": "紧",
        "災": "灾",
        "糧": "粮",
        "儲": "储",
        "備": "备",
        "億": "亿",
        "萬": "万",
        "條": "条",
        "處": "处",
        "構": "构",
        "權": "权",
        "歸": "归",
        "點": "点",
    }
)

# Full-width ASCII (Ａ-Ｚ, ａ-ｚ, ０-９ and some symbols) → half-width.
_FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULLWIDTH_TO_ASCII.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULLWIDTH_TO_ASCII.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULLWIDTH_TO_ASCII.update(
    {
        ord("％"): ord("%"),
        ord("／"): ord("/"),
        ord("＋"): ord("+"),
        ord("\u3000"): ord(" "),
        ord("\xa0"): ord(" "),
        ord("\t"): ord(" "),
    }
)

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BULLET = re.compile(r"^\s*(?:[-•·▪●◆■□◇※*]|\d+\))\s+(?=\S)")
# Stray lower-case Latin words between Chinese characters. A small translation table keeps the
# meaning of the common ones; others are dropped. Upper-case words (GDP, 5G, JGJ39) are content.
_STRAY_LATIN = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])\s*\b([a-z]{{1,5}})\b\s*(?=[{CJK}])")
_STRAY_TRANSLATION = {"and": "和", "or": "或", "with": "与", "of": "的", "to": "至"}

_PAGE_NUMBER = re.compile(r"^[-—–·•\s]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*[/共]\s*\d{1,3}\s*页?)?[-—–·•\s]*$")
_TOC_PAGE_REF = re.compile(r"(?:/\s*\d{1,3}|[…\.·]{2,}\s*\d{1,3})$")

# A line ends a paragraph if it ends with one of these.
_TERMINAL = set("。！？；：）)】〕］]!?;:…")
_SENTENCE_PUNCT = re.compile("[。，；！？]")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》")


@dataclass
class Line:
    text: str
    raw: str

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return self.text


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(re.match(f"[{CJK}]", ch))


def normalise_chars(line: str) -> str:
    """Character-level normalisation of one line; layout spaces are kept (collapsed to one)."""
    line = unicodedata.normalize("NFC", line)
    line = _ZERO_WIDTH.sub("", line)
    line = line.translate(_FULLWIDTH_TO_ASCII).translate(TRADITIONAL_VARIANTS)
    line = line.replace("．", ".") if re.search(r"\d．", line) else line
    line = _BULLET.sub("", line)
    line = re.sub(r" {2,}", " ", line).strip()
    line = _fix_parentheses(line)
    line = _fix_punctuation(line)
    line = _STRAY_LATIN.sub(lambda m: _STRAY_TRANSLATION.get(m.group(1), ""), line)
    return line


def _fix_parentheses(line: str) -> str:
    """Half-width brackets around or next to Chinese text become full-width; mixed pairs match."""
    if "(" not in line and ")" not in line:
        return line  # only full-width brackets or none: nothing to turn (most lines)
    chars = list(line)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for index, ch in enumerate(chars):
        if ch in "(（":
            stack.append(index)
        elif ch in ")）" and stack:
            pairs.append((stack.pop(), index))
    for start, end in pairs:
        inner = line[start + 1 : end]
        before = line[start - 1] if start > 0 else ""
        if (
            re.search(f"[{CJK}]", inner)
            or (chars[start] == "（")
            or (chars[end] == "）")
            or (_is_cjk(before) and not re.fullmatch(r"[\dA-Za-z\s\-]*", inner))
        ):
            chars[start], chars[end] = "（", "）"
    matched = {i for pair in pairs for i in pair}
    for index, ch in enumerate(chars):
        if index in matched:
            continue
        before = chars[index - 1] if index > 0 else ""
        after = chars[index + 1] if index + 1 < len(chars) else ""
        if ch == ")" and (_is_cjk(before) or before in "。；，"):
            chars[index] = "）"
        elif ch == "(" and _is_cjk(after):
            chars[index] = "（"
    return "".join(chars)


def _fix_punctuation(line: str) -> str:
    """`,;:!?` in Chinese context become `，；：！？`; number separators (1,000 / 10:30) stay."""
    cjk_or_punct = f"[{CJK}{CJK_PUNCT}%]"
    line = re.sub(rf"(?<={cjk_or_punct}|\d)\s*,\s*(?={CJK_CLASS})|(?<={cjk_or_punct})\s*,\s*", "，", line)
    line = re.sub(rf"(?<={cjk_or_punct})\s*;\s*|\s*;\s*(?={CJK_CLASS})", "；", line)
    line = re.sub(rf"(?<=[{CJK}])\s*:\s*", "：", line)
    line = re.sub(rf"(?<={cjk_or_punct})!", "！", line)
    line = re.sub(rf"(?<={cjk_or_punct})\?", "？", line)
    # Straight quotes around Chinese text become curly ones.
    line = re.sub(rf'"([^"]*[{CJK}][^"]*)"', "“\\1”", line)
    return line


CJK_CLASS = f"[{CJK}]"


def squeeze_spaces(line: str) -> str:
    """Remove layout spaces: between Chinese characters, Chinese punctuation and digits."""
    zone = f"[{CJK}{CJK_PUNCT}〔〕]"
    line = re.sub(rf"(?<={zone})\s+(?={zone}|\d|[A-Za-z])", "", line)
    line = re.sub(rf"(?<=[\dA-Za-z%])\s+(?={zone})", "", line)
    # "12 . 5" / "20 %" / "10 / 10万"
    line = re.sub(r"(?<=\d)\s+(?=[%‰.])|(?<=[.])\s+(?=\d)", "", line)
    return line


def split_raw_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return text.split("\n")


def _running_header_keys(lines: list[str]) -> set[str]:
    """Keys of lines that repeat like page headers or footers.

    A short line is a running header when it recurs and, at least twice and once in four times, sits in
    the middle of a sentence (the line before it does not end a paragraph): signatures and
    title fragments also recur, but always after a finished sentence or a date. A line naming
    the gazette itself (…公报) needs only two occurrences.
    """
    keys = [_header_key(line) for line in lines]
    counts = Counter(key for key in keys if key)
    candidates = {key for key, count in counts.items() if count >= 2}
    if not candidates:
        return set()
    # Occurrences that interrupt a sentence: the line before is prose cut short (commas, no final
    # punctuation) and the line after continues it. Tables of contents and title pages repeat
    # too, but their neighbours are not prose.
    mid_sentence: Counter[str] = Counter()
    content = [
        (index, squeeze_spaces(line.strip()))
        for index, line in enumerate(lines)
        if line.strip() and keys[index] not in candidates
    ]
    positions = [index for index, _ in content]
    for index, key in enumerate(keys):
        if key not in candidates:
            continue
        at = bisect.bisect_left(positions, index)
        previous = content[at - 1][1] if at > 0 else ""
        following = content[at][1] if at < len(content) else ""
        if (
            previous
            and following
            and not _ends_paragraph(previous)
            and not _starts_paragraph(following)
            and re.search("[，、；]", previous)
        ):
            mid_sentence[key] += 1
    headers = set()
    for key in candidates:
        count = counts[key]
        if "公报" in key or (count >= 3 and mid_sentence[key] >= 2 and mid_sentence[key] * 4 >= count):
            headers.add(key)
    return headers


def _header_key(line: str) -> str:
    """Comparison key for header detection: spaces, digits and dashes removed; '' if not a candidate."""
    stripped = line.strip()
    if not stripped or len(stripped) > 40 or _SENTENCE_PUNCT.search(stripped):
        return ""
    # Structure repeats too (every document has a number and a date); it is never a header.
    squeezed = squeeze_spaces(stripped)
    if is_doc_no_line(squeezed) or is_date_line(squeezed) or marker_of(squeezed) is not None:
        return ""
    key = re.sub(r"[\s\d\-—–·•/第页期号()（）]", "", stripped)
    if "公报" in key:
        # "驻马店市人民政府公报 2020年第4期" and "驻马店市人民政府公报" are the same header.
        key = key[: key.index("公报") + 2]
    return key if 2 <= len(key) <= 30 else ""


# What a website prints around a document: its navigation (首页 > 政务公开 > …, 您的位置：…), links (a URL or a
# site path such as /col/col123/index.html, a teaser ending in an arrow: …一图看懂→), and a line of page widgets
# only (打印 收藏 分享, 【字体：大 中 小】, PDF格式下载). Such a line stands on its own: never joined to the line
# before or after it, and never part of a title.
_WIDGET = (
    r"(?:取消收藏|收藏|打印本页|打印|分享到|分享|关闭窗口|关闭|返回顶部|返回|字号|字体|默认|大|中|小|下载|"
    r"文字版|图片版|全真版|格式|PDF|纠错|扫一扫|微信|微博|QQ空间|浏览次数)"
)
PAGE_CHROME = re.compile(
    r"\s[>›»]\s|^首页\s*[>›»]|^[>›»]|://|^(?:您的|当前)位置|www\.|/[A-Za-z][\w.-]*/|\.s?html?(?![A-Za-z])"
    r"|(?:[→➜➔►▶]|>>|》》)\s*$"
    rf"|^(?:[【\[\s：:|]*{_WIDGET}[】\]\s：:|]*)+$"
)


def _ends_paragraph(text: str) -> bool:
    text = text.strip()
    if not text:
        return True
    if PAGE_CHROME.search(text):
        return True
    if text[-1] in _TERMINAL:
        return True
    if _TOC_PAGE_REF.search(text):
        return True
    if is_date_line(text) or is_doc_no_line(text) or is_pure_heading(text):
        return True
    if is_unit_label_line(text):
        return True
    if ends_with_kind(text) and not _SENTENCE_PUNCT.search(_QUOTED.sub("", text)):
        return True
    if len(text) < 12 and not re.search("[，、。]", text):
        return True
    return False


_LABEL_START = re.compile(
    r"^[（(【]?(?:牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|完成时限|完成时间|时间节点)[：:】]"
)


def _starts_paragraph(text: str) -> bool:
    text = text.strip()
    if PAGE_CHROME.search(text):
        return True
    if marker_of(text) is not None:
        return True
    if text.startswith(("——", "—", "同志们", "附件")):
        return True
    if is_date_line(text) or is_doc_no_line(text):
        return True
    return bool(_LABEL_START.match(text))


SIGNATURE_ROWS = 12  # a joint document's signing bodies above its date, one or two to a line


def _signature_rows(texts: list[str], raws: list[str]) -> set[int]:
    """Lines that sign a document: rows of bodies' names only (江临市财政局    江临市教育局) directly above a
    date line. Each stays a line of its own, so that every signing body can be read."""
    rows: set[int] = set()
    for index, text in enumerate(texts):
        if not is_date_line(text):
            continue
        back = index - 1
        while back >= 0 and index - back <= SIGNATURE_ROWS and _is_name_row(raws[back]):
            rows.add(back)
            back -= 1
    return rows


def _is_name_row(raw: str) -> bool:
    parts = raw.split()
    return (
        bool(parts) and all(looks_like_unit(part) for part in parts) and (len(parts) == 1 or min(map(len, parts)) >= 3)
    )


def clean_lines(text: str) -> list[Line]:
    """The logical lines of a document's text, repaired (see module docstring)."""
    raw_lines = [normalise_chars(line) for line in split_raw_lines(text)]
    header_keys = _running_header_keys(raw_lines)
    kept: list[tuple[str, str]] = []
    for raw in raw_lines:
        if not raw:
            continue
        if _PAGE_NUMBER.match(raw):
            continue
        if header_keys and _header_key(raw) in header_keys:
            continue
        kept.append((squeeze_spaces(raw), raw))

    signature = _signature_rows([clean for clean, _ in kept], [raw for _, raw in kept])
    lines: list[Line] = []
    for index, (clean, raw) in enumerate(kept):
        if (
            lines
            and not _ends_paragraph(lines[-1].text)
            and not _starts_paragraph(clean)
            and index not in signature
            and index - 1 not in signature
        ):
            previous = lines[-1]
            glue = " " if re.search(r"[A-Za-z]$", previous.text) and re.match(r"[A-Za-z]", clean) else ""
            previous.text = squeeze_spaces(previous.text + glue + clean)
            previous.raw = previous.raw + glue + raw
        else:
            lines.append(Line(clean, raw))
    for line in lines:
        line.text = _fix_parentheses(line.text)
    return lines


def clean_text(text: str) -> str:
    """Cleaned text, one logical line per line (for tests and debugging)."""
    return "\n".join(line.text for line in clean_lines(text))
