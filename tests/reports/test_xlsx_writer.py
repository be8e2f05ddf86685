"""The Excel writer every export uses: frozen Chinese headers, widths, dates as dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from duban.reports.xlsx import Column, Sheet, workbook_bytes


def test_headers_frozen_dates_as_dates_and_widths_that_fit_chinese():
    content = workbook_bytes(
        [
            Sheet(
                "月排名",
                [Column("单位"), Column("扣分"), Column("决定日期")],
                [["驻马店市城市管理局", 10, dt.date(2020, 5, 12)]],
                heading="2020年5月 督查事项月排名积分",
                notes=["来源：积分台账"],
            ),
            Sheet("明细:2020/05", [Column("依据", width=30)], [["第九条第（二）项"]]),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    first, second = book.worksheets
    assert first["A1"].value == "2020年5月 督查事项月排名积分"
    assert [c.value for c in first[2]] == ["单位", "扣分", "决定日期"]
    assert first.freeze_panes == "A3"
    assert first["C3"].value == dt.datetime(2020, 5, 12) and first["C3"].number_format == "yyyy-mm-dd"
    assert first["B3"].value == 10
    assert first.column_dimensions["A"].width >= 18  # nine Chinese characters are 18 columns wide
    assert first["A5"].value == "来源：积分台账"
    assert second.title == "明细_2020_05" and second.freeze_panes == "A2"
    assert second.column_dimensions["A"].width == 30


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        workbook_bytes([Sheet("x", [Column("a")], [[1, 2]])])
