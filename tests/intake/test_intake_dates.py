from datetime import date

from duban.intake.dates import is_date_line, month_end, parse_date


def test_date_forms():
    assert parse_date("二〇二〇年四月二十三日") == date(2020, 4, 23)
    assert parse_date("二〇二〇年四月十六日") == date(2020, 4, 16)
    assert parse_date("2020年4月16日") == date(2020, 4, 16)
    assert parse_date("（2020 年 4 月 16 日）") == date(2020, 4, 16)
    assert parse_date("2020.4.16") == date(2020, 4, 16)
    assert parse_date("2020年2月30日") is None


def test_date_lines():
    assert is_date_line("（2020年4月3日，根据录音整理）")
    assert is_date_line("二〇二〇年四月二十日")
    assert not is_date_line("2020年4月3日召开全市会议，部署工作。")


def test_month_end():
    assert month_end(2020, 2) == date(2020, 2, 29)
    assert month_end(2021, 6) == date(2021, 6, 30)
