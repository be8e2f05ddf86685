"""Chinese numerals and amounts.

Written by hand because the usual libraries reject forms that gazettes print, e.g.
"一千二百六十四点六六万" (a decimal followed by a multiplier). Values are computed with
Decimal so that "1264.66" stays 1264.66 and not 1264.6599999.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "洞": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_POINT = "点點"
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS) + CN_POINT

# A run of Chinese numeral characters (no decimal point at either end).
CN_NUMBER_RUN = re.compile(
    f"[{''.join(CN_DIGITS)}{''.join(CN_SMALL_UNITS)}{''.join(CN_BIG_UNITS)}]"
    f"(?:[{CN_NUMERAL_CHARS}]*[{''.join(CN_DIGITS)}{''.join(CN_SMALL_UNITS)}{''.join(CN_BIG_UNITS)}])?"
)


def _integer_part(text: str) -> int:
    """Parse the integer part of a Chinese numeral ("一千二百六十四", "十二", "二〇二〇", "三亿五千万")."""
    if not text:
        return 0
    if all(ch in CN_DIGITS for ch in text):
        # Digit by digit, as years are written: 二〇二〇 → 2020.
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = 0  # everything above the current 万/亿 section
    section = 0  # the current section below 万
    number = 0  # the last digit seen
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            # "十" alone means 10; "一十" too.
            section += (number if number else 1) * CN_SMALL_UNITS[ch]
            number = 0
        elif ch in CN_BIG_UNITS:
            factor = CN_BIG_UNITS[ch]
            section += number
            if factor == 10**8:
                total = (total + section) * factor
            else:
                total += section * factor
            section = 0
            number = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + number


def parse_cn_decimal(text: str) -> Decimal:
    """Parse a Chinese numeral, decimals and trailing multipliers included.

    "一千二百六十四点六六" → 1264.66; "一千二百六十四点六六万" → 12646600;
    "二〇二〇" → 2020; "十" → 10; "三亿五千万" → 350000000.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    multiplier = Decimal(1)
    # A multiplier after a decimal ("…点六六万") applies to the whole number.
    if any(p in text for p in CN_POINT):
        while text and text[-1] in CN_BIG_UNITS:
            multiplier *= CN_BIG_UNITS[text[-1]]
            text = text[:-1]
        point = next(i for i, ch in enumerate(text) if ch in CN_POINT)
        integer_text, fraction_text = text[:point], text[point + 1 :]
        if not integer_text or not fraction_text or any(ch not in CN_DIGITS for ch in fraction_text):
            raise ValueError(f"bad decimal part in {text!r}")
        fraction = "".join(str(CN_DIGITS[ch]) for ch in fraction_text)
        value = Decimal(f"{_integer_part(integer_text)}.{fraction}")
    else:
        value = Decimal(_integer_part(text))
    return value * multiplier


def to_number(value: Decimal | float | int | str) -> int | float:
    """Return an int when the value is whole, a float otherwise (JSON-friendly)."""
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if dec == dec.to_integral_value():
        return int(dec)
    return float(dec.normalize())


def parse_number(text: str) -> int | float:
    """Parse an arabic ("1264.66", "1,264.66") or Chinese numeral into int/float."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return to_number(Decimal(cleaned))
    return to_number(parse_cn_decimal(cleaned))


_PERCENT_CN = re.compile(r"百分之([" + CN_NUMERAL_CHARS + r"]+)")
_CN_RUN_WITH_POINT = re.compile(
    r"[" + CN_NUMERAL_CHARS.replace("点", "").replace("點", "") + r"]+[点點][" + "".join(CN_DIGITS) + r"]+[万亿]*"
)
_CN_RUN_WITH_UNITS = re.compile(r"[" + CN_NUMERAL_CHARS.replace("点", "").replace("點", "") + r"]{2,}")


def arabize(text: str) -> str:
    """Rewrite Chinese quantities as arabic numerals, leaving words such as 一批, 统一 alone.

    Only unambiguous runs are rewritten: 百分之二十 → 20%, decimals (一千二百六十四点六六万 →
    1264.66万), and runs of two or more numeral characters that contain a 十/百/千 unit
    (二十三, 一千二百). A multiplier 万/亿 at the end stays as a word so "万亩" survives.
    """

    def percent(match: re.Match[str]) -> str:
        try:
            return f"{_fmt(parse_cn_decimal(match.group(1)))}%"
        except ValueError:
            return match.group(0)

    def decimal_run(match: re.Match[str]) -> str:
        run = match.group(0)
        tail = ""
        while run and run[-1] in CN_BIG_UNITS:
            tail = run[-1] + tail
            run = run[:-1]
        try:
            return _fmt(parse_cn_decimal(run)) + tail
        except ValueError:
            return match.group(0)

    def unit_run(match: re.Match[str]) -> str:
        run = match.group(0)
        if not any(ch in CN_SMALL_UNITS for ch in run):
            return run
        tail = ""
        while run and run[-1] in CN_BIG_UNITS:
            tail = run[-1] + tail
            run = run[:-1]
        # "一百多" style approximations and words like "十九大" are not quantities we trust;
        # the caller only uses the result for number+unit patterns, so a conversion is harmless.
        try:
            return _fmt(parse_cn_decimal(run)) + tail
        except ValueError:
            return match.group(0)

    text = _PERCENT_CN.sub(percent, text)
    text = _CN_RUN_WITH_POINT.sub(decimal_run, text)
    text = _CN_RUN_WITH_UNITS.sub(unit_run, text)
    return text


def _fmt(value: Decimal) -> str:
    number = to_number(value)
    return str(number)
