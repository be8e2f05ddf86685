"""`duban export`: the arguments it refuses (exit 2, one line, no file) and the 台账 it writes."""

from __future__ import annotations

import os

import pytest
from openpyxl import load_workbook

from duban.cli import main

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "argv, message",
    [
        (["nope"], "未知的导出类型：nope（可用：ranking-notice、"),
        (["ledger"], "督查台账（ledger）不能导出为 .docx，可用：.xlsx"),
        (["order", "--year", "2020"], "order 需要且只需要 --order，不接受 --year"),
        (["order"], "order 需要且只需要 --order"),
        (["order", "--order", "x7"], "--order 应为正整数编号，收到：x7"),
        (["ranking-notice", "--month", "2020-13"], "--month 应为 YYYY-MM 格式，收到：2020-13"),
        (["assessment", "--year", "20"], "--year 应为四位年份，收到：20"),
        (
            ["tongbao", "--period", "2020-Q5"],
            "--period 应为 2020-W16、2020-04、2020-Q2、2020-H1 或 2020，收到：2020-Q5",
        ),
        (["tongbao", "--month", "2020-04", "--year", "2020"], "tongbao 需要且只需要 --period"),
        (["ledger", "--year", "2020"], "ledger 不需要 --year"),
    ],
)
def test_a_bad_argument_exits_2_with_one_line_and_writes_nothing(argv, message, tmp_path, capsys):
    out = tmp_path / ("f.xlsx" if (argv[0] in ("nope", "ledger") and len(argv) > 1) or argv[0] == "nope" else "f.docx")
    assert main(["export", *argv, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("duban: " + message)
    assert captured.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_out_in_a_folder_that_does_not_exist(tmp_path, capsys):
    assert main(["export", "ledger", "--out", str(tmp_path / "no" / "f.xlsx")]) == 2
    assert "--out 的目录不存在" in capsys.readouterr().err


def test_an_unknown_jurisdiction(world, tmp_path, capsys):
    assert main(["export", "ledger", "--jurisdiction", "nowhere", "--out", str(tmp_path / "f.xlsx")]) == 2
    assert capsys.readouterr().err == "duban: 未知的辖区：nowhere\n"
    assert list(tmp_path.iterdir()) == []


def test_the_ledger_as_a_workbook(world, tmp_path, capsys):
    out = tmp_path / "台账.xlsx"
    assert main(["export", "ledger", "--jurisdiction", "zhumadian", "--out", str(out)]) == 0
    assert "已导出 督查台账" in capsys.readouterr().out
    sheet = load_workbook(out).active
    assert sheet.max_row >= 2
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]  # no temporary file left beside it
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable as any file the user writes
