"""The charts' monthly places (selectors.month_ranks) are the ranking's own (scoring.selectors.monthly_ranking),
month by month: the units with a balance at their places, every other ranked unit at the base's place."""

from __future__ import annotations

from duban.accounts.services import unit_create
from duban.dashboards import selectors
from duban.scoring.selectors import monthly_ranking
from tests.dashboards.conftest import AS_OF
from tests.factories import decide

MONTHS = selectors.months_of(2020, AS_OF)


def _agree(city) -> None:
    ranked = selectors.month_ranks(city, MONTHS)
    for index, month in enumerate(MONTHS):
        ranking = monthly_ranking(city, month)
        assert ranked.ranked == len(ranking), month
        for row in ranking:
            place = ranked.ranks.get(row.unit.pk, ranked.unbooked)[index]
            score = ranked.scores.get(row.unit.pk, ranked.bases)[index]
            assert (place, score) == (row.rank, row.score), (month, row.unit.name)


def test_the_places_are_the_rankings_month_by_month(cw):
    _agree(cw.w.city)  # cgj −10 in May (third of three), jyj −30 in June


def test_ties_share_a_place_and_the_units_with_nothing_booked_share_the_first(cw):
    for n in range(3):
        unit_create(actor=None, jurisdiction=cw.w.city, name=f"市测试局{n}")
    decide(cw.w, "2020-05-20", ["通报批评"], unit=cw.w.wjw, situation_number=2)  # −10 like cgj's in May
    _agree(cw.w.city)
    ranked = selectors.month_ranks(cw.w.city, MONTHS)
    may = MONTHS.index("2020-05")
    assert ranked.unbooked[may] == 1
    assert ranked.ranks[cw.w.cgj.pk][may] == ranked.ranks[cw.w.wjw.pk][may] == 5  # 4 units before them


def test_a_unit_no_ranking_lists_has_no_place(cw):
    from duban.accounts.models import Unit

    Unit.objects.filter(pk=cw.w.jyj.pk).update(ranked=False)  # outside 第二条's scope
    _agree(cw.w.city)
    ranked = selectors.month_ranks(cw.w.city, MONTHS)
    assert cw.w.jyj.pk not in ranked.ranks
    assert selectors.unit_rank_trend(cw.w.jyj, MONTHS)[5] == ("2020-06", None, None, 2)


def test_a_past_month_with_no_deduction_at_all(cw):
    ranked = selectors.month_ranks(cw.w.city, ["2019-12"])
    assert ranked.ranks == {} and ranked.unbooked == [1] and ranked.ranked == 3
