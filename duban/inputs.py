"""What every door checks of what a user types: visible text, integers, plausible dates.

Pure Python (no Django), so the pages, the services, the command line and the pure cores share it.
The services raise their own ``ValidationError`` with the message these functions give.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# --- text ------------------------------------------------------------------------------------------

# Letters that print as nothing (Hangul fillers, the braille blank); every other letter, digit,
# punctuation mark or symbol is visible. Spaces (U+3000 too), controls, format characters
# (U+200B zero width space, U+200D joiner, U+2060 word joiner, U+FEFF BOM) and combining marks
# on their own are not.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS


def has_visible_text(text: str | None) -> bool:
    """Whether ``text`` holds at least one character a reader can see."""
    return text is not None and any(_visible(char) for char in text)


def visible_text(text: str | None) -> str:
    """``text`` without the invisible characters around it (whitespace, zero-width characters);
    "" when it has no visible text."""
    if not text:
        return ""
    start = next((i for i, char in enumerate(text) if _visible(char)), None)
    if start is None:
        return ""
    end = next(i for i in range(len(text) - 1, -1, -1) if _visible(text[i]))
    return text[start : end + 1]


# --- integers --------------------------------------------------------------------------------------

_ASCII_INTEGER = re.compile(r"[0-9]{1,18}")


def parse_int(text: str | None) -> int | None:
    """``text`` as a non-negative integer when it is one written in ASCII digits (at most 18 of them,
    which every database integer holds), else None. ``str.isdigit()`` is no such check: it accepts
    '²' and '١', which ``int()`` then refuses or reads as another number."""
    if text is None or not _ASCII_INTEGER.fullmatch(text):
        return None
    return int(text)


# --- dates -----------------------------------------------------------------------------------------

# The dates a user may give: from 1949, the year the governments whose documents duban reads
# begin, to 2100, past any plan they set (the gazette's targets run to 2030 and 2035). A fixed
# bound, not one counted from today: the demo runs on a date of 2020 and the tests on any date,
# and a deadline that is valid today stays valid tomorrow. Each service checks its own finer
# rules (not in the past, not before the decision) on top of this.
EARLIEST_YEAR = 1949
LATEST_YEAR = 2100
EARLIEST_DATE = dt.date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = dt.date(LATEST_YEAR, 12, 31)


def year_problem(year: int, what: str = "年份") -> str:
    """What is wrong with ``year`` ("" when nothing is)."""
    if EARLIEST_YEAR <= year <= LATEST_YEAR:
        return ""
    return f"{what}{year}不在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 年之间，请检查"


def date_problem(day: dt.date | None, what: str = "日期") -> str:
    """What is wrong with ``day`` ("" when nothing is, or when no date is given)."""
    if day is None or EARLIEST_DATE <= day <= LATEST_DATE:
        return ""
    return f"{what} {day.isoformat()} 不在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 年之间，请检查"


def dates_problems(dates: dict[str, tuple[dt.date | None, str]]) -> dict[str, str]:
    """``{field: (day, what)}`` → ``{field: problem}`` for the fields whose day is implausible."""
    problems = {field: date_problem(day, what) for field, (day, what) in dates.items()}
    return {field: problem for field, problem in problems.items() if problem}


_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def parse_month(text: str | None) -> str | None:
    """``text`` when it is a month YYYY-MM of a plausible year, else None."""
    match = _MONTH.fullmatch(text or "")
    if match is None or year_problem(int(match.group(1))):
        return None
    return match.group(0)


def parse_year(text: str | None) -> int | None:
    """``text`` as a plausible year, else None."""
    year = parse_int(text)
    return year if year is not None and len(text or "") == 4 and not year_problem(year) else None


def parse_date(text: str | None) -> dt.date | None:
    """``text`` as a plausible date YYYY-MM-DD, else None."""
    if not text or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None if date_problem(day) else day
