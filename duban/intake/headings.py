"""Heading markers of official documents and the `ref` tokens they become.

Levels, outermost first: 第X章, 第X条, 一、, （一）, 1., （1）, ①. Documents skip levels
freely (a 实施意见 may go 一、 → （一） → unnumbered paragraphs), so the tree is built
by rank: a marker closes every open heading of the same or a deeper rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十百零〇"

# (kind, rank, pattern). The pattern captures the number; the marker ends at match.end().
_MARKERS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("chapter", 0, re.compile(rf"^第([{CN_NUM}\d]+)章\s*")),
    ("article", 1, re.compile(rf"^第([{CN_NUM}\d]+)条\s*")),
    ("cn", 2, re.compile(rf"^([{CN_NUM}]+)\s*[、，,．.]\s*")),
    ("cn_paren", 3, re.compile(rf"^[（(]\s*([{CN_NUM}]+)\s*[）)]\s*[、，,．.]?\s*")),
    ("arabic", 4, re.compile(r"^(\d{1,3})\s*(?:[.．、](?!\d)|\s(?=[\u4e00-\u9fff]))\s*")),
    ("arabic_paren", 5, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("circled", 6, re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
)


@dataclass(frozen=True)
class Marker:
    kind: str
    rank: float  # a unit heading line (市财政局：) sits half a rank below the heading it is under
    number: str  # as printed: "三", "一", "1", "①"
    end: int  # index in the line where the heading text starts

    @property
    def ref(self) -> str:
        """The token this marker contributes to a task's `ref` ("三", "(一)", "1", "(1)", "①")."""
        if self.kind in ("cn_paren", "arabic_paren"):
            return f"({self.number})"
        if self.kind == "chapter":
            return f"第{self.number}章"
        if self.kind == "article":
            return f"第{self.number}条"
        return self.number


def marker_of(line: str) -> Marker | None:
    """The heading marker a line starts with, if any."""
    for kind, rank, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            if kind == "arabic" and _looks_like_quantity(line, match):
                continue
            if kind == "cn" and len(match.group(1)) > 3:
                continue
            return Marker(kind, rank, match.group(1), match.end())
    return None


_DIGIT_TITLE = re.compile(r"^(\d{1,3})[.．](?=\d)")


def digit_title_marker(line: str) -> Marker | None:
    """ "2.5G网络深度覆盖工程。" read as item 2 whose title starts with a digit; the caller decides
    (it is one when the item before was number 1), since alone it reads as a decimal."""
    match = _DIGIT_TITLE.match(line)
    if match is None:
        return None
    return Marker("arabic", 4, match.group(1), match.end())


def _looks_like_quantity(line: str, match: re.Match[str]) -> bool:
    # "5%。（…" or "2019年…" are not headings; "12 万亩" neither. The arabic pattern already
    # requires a dot/、 or a space before a Chinese character; a following measure word
    # after a space ("12 万亩") is the remaining ambiguity.
    rest = line[match.end() : match.end() + 2]
    return bool(re.match(r"^(?:万|亿|个|家|年|月|日|%|元|亩)", rest))


def heading_title(text: str, limit: int = 60) -> str:
    """The title of a numbered item: its first sentence ("实施健康知识普及行动。向社会…" → "实施健康知识普及行动")."""
    text = text.strip()
    for stop in ("。", "；", "！", "？"):
        index = text.find(stop)
        if index > 0:
            text = text[:index]
    text = text.rstrip("：:，, ")
    if len(text) > limit:
        text = text[:limit]
    return text


def is_pure_heading(line: str) -> bool:
    """A short numbered line without a sentence in it ("（一）全方位干预健康影响因素")."""
    marker = marker_of(line)
    if marker is None:
        return False
    rest = line[marker.end :]
    # Speech headings carry commas ("一、提升政治站位，充分认识…的重大意义"); a sentence ends in 。
    return len(rest) <= 45 and not re.search("[。；！？]", rest)
