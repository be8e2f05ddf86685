"""Dates as official documents print them: 2020年4月16日, 二〇二〇年四月二十三日, 2020.4.16."""

from __future__ import annotations

import calendar
import re
from datetime import date

from duban.intake.numbers import CN_DIGITS, parse_cn_decimal

_CN_YEAR = "[〇○零一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"

ARABIC_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
CHINESE_DATE = re.compile(f"({_CN_YEAR})\\s*年\\s*({_CN_SMALL})\\s*月\\s*({_CN_SMALL})\\s*日")
DOTTED_DATE = re.compile(r"(?<!\d)(\d{4})[.\-/．](\d{1,2})[.\-/．](\d{1,2})(?!\d)")

# A line that is nothing but a date, possibly in brackets and with a note
# ("（2020年4月3日，根据录音整理）"): the 成文日期 of a document or the date of a speech.
DATE_LINE = re.compile(
    r"^[（(]?\s*(?:"
    + ARABIC_DATE.pattern
    + "|"
    + CHINESE_DATE.pattern
    + "|"
    + DOTTED_DATE.pattern
    + r")\s*(?:[，,、]\s*[^（）()]{0,20})?[）)]?$"
)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _cn_int(text: str) -> int:
    return int(parse_cn_decimal(text))


def parse_date(text: str) -> date | None:
    """The first full date in `text`, or None."""
    found = find_dates(text)
    return found[0][1] if found else None


def find_dates(text: str) -> list[tuple[re.Match[str], date]]:
    """All full dates (year, month, day) in `text`, in order."""
    hits: list[tuple[re.Match[str], date]] = []
    for match in ARABIC_DATE.finditer(text):
        parsed = safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if parsed:
            hits.append((match, parsed))
    for match in CHINESE_DATE.finditer(text):
        year = int("".join(str(CN_DIGITS[ch]) for ch in match.group(1)))
        parsed = safe_date(year, _cn_int(match.group(2)), _cn_int(match.group(3)))
        if parsed:
            hits.append((match, parsed))
    for match in DOTTED_DATE.finditer(text):
        parsed = safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if parsed:
            hits.append((match, parsed))
    hits.sort(key=lambda hit: hit[0].start())
    return hits


def is_date_line(line: str) -> bool:
    return bool(DATE_LINE.match(line.strip())) and parse_date(line) is not None
