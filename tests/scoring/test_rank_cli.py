"""`duban rank` and `duban assessment` through duban.cli.main."""

from __future__ import annotations

import json

import pytest

from duban.cli import main
from duban.scoring.cli import display_width, render_table
from tests.factories import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-06-03", ["通报批评"])
    decide(world, "2020-07-20", ["工作约谈"])
    return world


def test_rank_prints_the_table(booked, capsys):
    assert main(["rank", "--month", "2020-07"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "驻马店市 2020-07 督查事项月排名积分"
    assert lines[1].split() == ["名次", "单位", "基础分", "扣分", "得分"]
    assert [line.split() for line in lines[3:]] == [
        ["1", "市卫健体委", "100", "0", "100"],
        ["1", "市教育局", "100", "0", "100"],
        ["3", "市城管局", "100", "10", "90"],
    ]
    # Columns line up on screen: every line has the same display width up to the score column.
    assert len({display_width(line) for line in lines[1:]}) == 1


def test_rank_json(booked, capsys):
    assert main(["rank", "--month", "2020-06", "--jurisdiction", "zhumadian", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["month"] == "2020-06"
    assert data["rows"][-1] == {"rank": 3, "unit": "市城市管理局", "base": 100, "deducted": 10, "score": 90}


def test_rank_as_of_a_day_before_anything_was_recorded(booked, capsys):
    assert main(["rank", "--month", "2020-07", "--as-of", "2020-06-30", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    # The ledger was written today, so on 2020-06-30 it held nothing yet.
    assert {row["deducted"] for row in rows} == {0}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rank", "--month", "2020-5"], "duban: --month 应为 YYYY-MM 格式，收到：2020-5\n"),
        (["rank", "--month", "2020-13"], "duban: --month 应为 YYYY-MM 格式，收到：2020-13\n"),
        (["rank", "--month", "2020-05", "--jurisdiction", "nowhere"], "duban: 未知的辖区：nowhere\n"),
        (
            ["rank", "--month", "2020-05", "--as-of", "30/06/2020"],
            "duban: --as-of 应为 YYYY-MM-DD 格式，收到：30/06/2020\n",
        ),
        (["assessment", "--year", "20"], "duban: --year 应为四位年份，收到：20\n"),
    ],
)
def test_bad_input_exits_2_with_one_line(world, capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == message
    assert captured.out == ""


def test_no_jurisdiction_at_all(db, capsys):
    assert main(["rank", "--month", "2020-05"]) == 2
    assert capsys.readouterr().err == "duban: 请用 --jurisdiction 指定辖区（数据库中没有唯一的市级辖区）\n"


def test_assessment_table_and_json(booked, capsys):
    assert main(["assessment", "--year", "2020"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "驻马店市 2020年 年度综合目标考核（加减分事项）"
    assert lines[1].split() == [
        "名次",
        "单位",
        "基础分",
        "扣分",
        "得分",
        "评先资格",
        "文明单位",
        "升级曝光",
        "限期整改",
    ]
    assert lines[5].split() == ["3", "市城管局", "100", "15", "85", "保留", "—", "0", "0"]
    section_head = next(line for line in lines if line.startswith("科长丁"))
    assert section_head.split() == ["科长丁", "市城管局", "科室负责人", "2020-06、2020-07", "是", "0", "0"]

    assert main(["assessment", "--year", "2020", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    people = {p["person"]: p for p in data["people"]}
    assert people["二级督查乙"] == {
        "person": "二级督查乙",
        "unit": None,
        "role": "二级督查",
        "bonus_months": ["2020-07"],
        "excellent_barred": False,
        "supervisor_interviews": 1,
        "written_explanations": 0,
    }


def test_render_table_aligns_cjk():
    text = render_table(["单位", "扣分"], [["市教育局", 5], ["市城市管理局", 30]])
    assert text.splitlines() == ["单位          扣分", "------------  ----", "市教育局         5", "市城市管理局    30"]


@pytest.mark.parametrize(
    "argv",
    [
        ["rank", "--month", "0000-01"],
        ["rank", "--month", "9999-12"],
        ["rank", "--month", "١٢٣٤-01"],
        ["rank", "--month", "2020-07", "--as-of", "0001-01-01"],
        ["rank", "--month", "2020-07", "--as-of", "9999-12-31"],
        ["assessment", "--year", "0000"],
        ["assessment", "--year", "²⁰²⁰"],
        ["assessment", "--year", "2020", "--as-of", "²⁰²⁰-01-01"],
    ],
)
def test_an_implausible_month_year_or_day_exits_2_with_one_line(booked, capsys, argv):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("duban: --")


def test_ledger_sync_books_what_no_decision_write_announced(world, capsys):
    """A unit's 文明单位 level changes outside the decisions: `duban ledger-sync` books the difference."""
    from duban.accounts.services import unit_update
    from duban.scoring.models import ConsequenceEntry

    decide(world, "2020-05-12", ["建议组织部门处理"], sanctioned_after_referral=True)
    assert main(["ledger-sync"]) == 0
    assert capsys.readouterr().out == "驻马店市：积分台账与全部问责决定一致，无需补记\n"
    titled = ConsequenceEntry.objects.filter(unit=world.cgj, effect="civilized_title")
    assert sum(titled.values_list("value", flat=True)) == 1  # 市城管局 is a 市级文明单位 (第九条第（六）项)
    unit_update(actor=world.actor, unit=world.cgj, data={"civilized": "none"})
    assert main(["ledger-sync", "--jurisdiction", "zhumadian"]) == 0
    assert capsys.readouterr().out == "驻马店市：积分台账补记 1 行（其中冲销 1 行）\n"
    assert sum(titled.values_list("value", flat=True)) == 0
    assert main(["ledger-sync"]) == 0
    assert "无需补记" in capsys.readouterr().out
