"""monthly_ranking, annual_assessment, person_consequences: read from the ledger, as of any date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from duban.accountability.services import decision_appeal, decision_revoke, decision_set_sanction
from duban.accounts.services import unit_create, unit_update
from duban.scoring.selectors import (
    annual_assessment,
    monthly_ranking,
    person_consequences,
    unit_month_score,
    unit_standing,
    unit_year_score,
)
from tests.factories import decide

pytestmark = pytest.mark.django_db


def table(rows):
    return [(r.rank, r.unit.name, r.base, r.deducted, r.score) for r in rows]


def test_every_active_unit_ranked_with_shared_ranks(world):
    decide(world, "2020-05-12", ["通报批评"])
    assert table(monthly_ranking(world.city, "2020-05")) == [
        (1, "市卫健体委", 100, 0, 100),
        (1, "市教育局", 100, 0, 100),
        (3, "市城市管理局", 100, 10, 90),
    ]
    # Another month is untouched; an inactive unit is not ranked.
    unit_update(actor=world.actor, unit=world.wjw, data={"active": False})
    assert table(monthly_ranking(world.city, "2020-06")) == [
        (1, "市城市管理局", 100, 0, 100),
        (1, "市教育局", 100, 0, 100),
    ]


def test_ties_below_the_top(world):
    unit_create(actor=world.actor, jurisdiction=world.city, name="市公安局")
    decide(world, "2020-07-20", ["工作约谈"])
    decide(world, "2020-07-02", ["通报批评"], unit=world.jyj)
    decide(world, "2020-07-03", ["通报批评"], unit=world.wjw)
    assert table(monthly_ranking(world.city, "2020-07")) == [
        (1, "市公安局", 100, 0, 100),
        (2, "市卫健体委", 100, 10, 90),
        (2, "市教育局", 100, 10, 90),
        (4, "市城市管理局", 100, 30, 70),
    ]


def test_a_units_standing_on_its_workbench_is_its_row_of_the_latest_ranking(world):
    unit_create(actor=world.actor, jurisdiction=world.city, name="市公安局")
    decide(world, "2020-07-20", ["工作约谈"])
    decide(world, "2020-07-02", ["通报批评"], unit=world.jyj)
    rows = monthly_ranking(world.city, "2020-07")
    for row in rows:
        standing = unit_standing(row.unit)
        assert (standing.month, standing.of) == ("2020-07", len(rows))
        assert (standing.row.rank, standing.row.deducted, standing.row.score) == (row.rank, row.deducted, row.score)
    unit_update(actor=world.actor, unit=world.wjw, data={"ranked": False})
    assert unit_standing(world.wjw.__class__.objects.get(pk=world.wjw.pk)) is None


def test_a_units_score_page_shows_its_row_of_the_ranking_and_of_the_assessment(world):
    # 单位得分明细 reads the unit's own row and place, not every unit's: the same row as the whole table.
    unit_create(actor=world.actor, jurisdiction=world.city, name="市公安局")
    decide(world, "2020-07-20", ["工作约谈"])
    decide(world, "2020-07-02", ["通报批评"], unit=world.jyj)
    decide(world, "2020-07-03", ["通报批评"], unit=world.wjw)
    ranking, assessment = monthly_ranking(world.city, "2020-07"), annual_assessment(world.city, 2020)
    for row in ranking:
        score = unit_month_score(row.unit, "2020-07")
        assert score.of == len(ranking)
        assert (score.row.rank, score.row.deducted, score.row.score) == (row.rank, row.deducted, row.score)
    for row in assessment:
        score = unit_year_score(row.unit, 2020)
        assert score.of == len(assessment)
        assert (score.row.rank, score.row.deducted, score.row.score, score.row.award_ineligible) == (
            row.rank,
            row.deducted,
            row.score,
            row.award_ineligible,
        )
    assert {r.rank for r in ranking} == {1, 2, 4} and {r.rank for r in assessment} != {1}
    unit_update(actor=world.actor, unit=world.wjw, data={"ranked": False})
    wjw = world.wjw.__class__.objects.get(pk=world.wjw.pk)
    assert unit_month_score(wjw, "2020-07").row is None and unit_year_score(wjw, 2020).row is None


def test_base_points_come_from_the_rulebook(world, settings, tmp_path):
    # A jurisdiction that starts its monthly score from 120 changes its rulebook, not the code.
    (tmp_path / "zhumadian").mkdir()
    (tmp_path / "zhumadian" / "2020-04-22.yaml").write_text(
        "extends: zhumadian/2020-04-22\nscoring:\n  monthly_base_points: {value: 120, reference: 第九条第（二）项}\n",
        encoding="utf-8",
    )
    decide(world, "2020-05-12", ["通报批评"])
    settings.DUBAN_RULEBOOKS_DIR = str(tmp_path)
    assert [(r.unit.name, r.base, r.score) for r in monthly_ranking(world.city, "2020-05")][-1] == (
        "市城市管理局",
        120,
        110,
    )


def test_before_the_rulebook_the_base_defaults_to_100(world):
    assert {r.base for r in monthly_ranking(world.city, "2020-03")} == {100}


def test_revocation_restores_the_score_and_the_past_stays_reproducible(world):
    decide(world, "2020-05-12", ["通报批评"])
    before_talk = timezone.now()
    talk = decide(world, "2020-05-20", ["工作约谈"], matter=world.m2)
    assert table(monthly_ranking(world.city, "2020-05"))[-1] == (3, "市城市管理局", 100, 40, 60)
    published = timezone.now()

    talk = decision_appeal(actor=world.actor, decision=talk, filed_on=dt.date(2020, 5, 25))
    decision_revoke(actor=world.actor, decision=talk)

    assert table(monthly_ranking(world.city, "2020-05"))[-1] == (3, "市城市管理局", 100, 10, 90)
    # The ranking as published before the revocation, and before the talk, reproduced exactly.
    assert table(monthly_ranking(world.city, "2020-05", as_of=published))[-1] == (3, "市城市管理局", 100, 40, 60)
    assert table(monthly_ranking(world.city, "2020-05", as_of=before_talk))[-1] == (3, "市城市管理局", 100, 10, 90)


def test_month_must_be_yyyy_mm(world):
    with pytest.raises(ValueError):
        monthly_ranking(world.city, "2020-13")


def test_annual_assessment_and_people(world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-06-03", ["通报批评"])
    decide(world, "2020-07-20", ["工作约谈"])
    referral = decide(world, "2020-10-10", ["建议纪检监察机关处理"], matter=world.m2)
    decision_set_sanction(actor=world.actor, decision=referral, sanctioned=True)

    rows = {r.unit.name: r for r in annual_assessment(world.city, 2020)}
    cgj = rows["市城市管理局"]
    assert (cgj.rank, cgj.base, cgj.deducted, cgj.score) == (3, 100, 15, 85)
    assert cgj.award_ineligible is True
    assert cgj.civilized_title == "rectify_or_revoke"
    assert (rows["市教育局"].award_ineligible, rows["市教育局"].civilized_title, rows["市教育局"].score) == (
        False,
        "",
        100,
    )
    assert annual_assessment(world.city, 2021)[0].deducted == 0

    people = {p.person.name: p for p in person_consequences(world.city, 2020)}
    assert people["科长丁"].bonus_months == ["2020-06", "2020-07"]
    assert people["科长丁"].excellent_barred is True
    assert (people["局长己"].bonus_months, people["局长己"].excellent_barred) == (["2020-07"], True)
    assert (people["二级督查乙"].bonus_months, people["二级督查乙"].interviews) == (["2020-07"], 1)
    assert people["一级督查甲"].written_explanations == 1
    assert person_consequences(world.city, 2021) == []
