"""发文字号: 驻政〔2020〕23号, also printed with [ ] 【】 ( ) （） ［］ and stray spaces."""

from __future__ import annotations

import re

_OPEN = r"[〔\[【(（［{｛]"
_CLOSE = r"[〕\]】)）］}｝]"

# Issuer abbreviation (汉字, sometimes with a trailing letter group), year in brackets, number, 号.
DOC_NO = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12})\s*" + _OPEN + r"\s*(?P<year>\d{4})\s*" + _CLOSE + r"\s*第?\s*(?P<num>\d{1,5})\s*号"
)
# A line holding only a document number, maybe in brackets.
DOC_NO_LINE = re.compile(r"^[（(]?\s*" + DOC_NO.pattern + r"\s*[）)]?$")


def normalise_doc_no(text: str) -> str | None:
    """ "驻政〔2020〕23 号" → "驻政〔2020〕23号"; None if `text` holds no document number."""
    match = DOC_NO.search(text)
    if not match:
        return None
    return f"{match.group('org')}〔{match.group('year')}〕{int(match.group('num'))}号"


def is_doc_no_line(line: str) -> bool:
    return bool(DOC_NO_LINE.match(line.strip()))
