from decimal import Decimal

import pytest

from duban.intake.numbers import arabize, parse_cn_decimal, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("一千二百六十四点六六", Decimal("1264.66")),
        ("一千二百六十四点六六万", Decimal("12646600")),  # cn2an rejects this form
        ("二〇二〇", Decimal(2020)),
        ("十", Decimal(10)),
        ("十二", Decimal(12)),
        ("二十三", Decimal(23)),
        ("一百零五", Decimal(105)),
        ("一万二千", Decimal(12000)),
        ("三亿五千万", Decimal(350000000)),
        ("两千", Decimal(2000)),
        ("零点五", Decimal("0.5")),
    ],
)
def test_chinese_numerals(text, value):
    assert parse_cn_decimal(text) == value


def test_parse_number_gives_ints_for_whole_values():
    assert parse_number("22") == 22 and isinstance(parse_number("22"), int)
    assert parse_number("1,264.66") == 1264.66
    assert parse_number("七十八点五") == 78.5


def test_bad_numerals_raise():
    with pytest.raises(ValueError):
        parse_cn_decimal("点六")
    with pytest.raises(ValueError):
        parse_cn_decimal("")


def test_arabize_rewrites_quantities_but_not_words():
    text = "耕地保有量稳定在一千二百六十四点六六万亩以上，达到百分之二十，建成二十三个，统一建设一批"
    assert arabize(text) == "耕地保有量稳定在1264.66万亩以上，达到20%，建成23个，统一建设一批"
