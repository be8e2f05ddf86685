"""The score ledger's aggregate behind a unit's page and the workbooks (duban.scoring.selectors.consequence_lines:
GROUP BY with filtered SUM / MAX and the case number as a subquery) on each database."""

from __future__ import annotations

import pytest

from duban.rules import model as rules
from duban.scoring.selectors import consequence_lines, unit_month_score, unit_year_score
from tests.accountability.accountability_cast import build_cast
from tests.scoring.score_story import june_story

pytestmark = pytest.mark.django_db


def test_each_deduction_net_of_its_reversal_with_its_case_number(database):
    cast = build_cast()
    june = june_story(cast)
    w = cast.world
    month = unit_month_score(w.cgj, "2020-06")
    assert [(line.decision.pk, line.points, line.case_number) for line in month.deductions] == [
        (decision.pk, points, june.cases[decision.pk].number)
        for decision, points in ((june.criticised, 10), (june.talked_to, 20), (june.written, 20))
    ]
    assert month.deducted == month.row.deducted == 50
    assert [(line.points, line.booked, line.reversal_note[:2]) for line in month.reversed] == [(0, 10, "冲销")]
    assert unit_year_score(w.cgj, 2020).deducted == 25
    people = consequence_lines(w.city, effects=(rules.BONUS,), person=w.handler)
    assert {(line.period, line.points) for line in people} >= {("2020-06", 1)}
