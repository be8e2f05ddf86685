"""ledger_sync: the engine's consequences of stored decisions, booked as append-only differences."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from duban.accountability.services import decision_appeal, decision_correct, decision_exempt, decision_revoke
from duban.scoring.models import ConsequenceEntry
from duban.scoring.services import ledger_sync
from duban.scoring.testing import decide

pytestmark = pytest.mark.django_db


def net(**filters) -> dict[str, int]:
    rows = (
        ConsequenceEntry.objects.filter(**filters)
        .values("period")
        .annotate(total=Sum("value"))
        .order_by("period")
    )
    return {row["period"]: row["total"] for row in rows if row["total"]}


def test_spec_example_02_max_rule_books_10_10_10_monthly_and_15_annual(world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-06-03", ["通报批评"])
    decide(world, "2020-07-20", ["工作约谈"])
    decide(world, "2020-07-21", ["问题通报"], matter=world.m2)

    assert net(unit=world.cgj, effect="monthly") == {"2020-05": 10, "2020-06": 10, "2020-07": 10}
    assert net(unit=world.cgj, effect="annual") == {"2020": 15}
    assert net(person=world.section_head, effect="bonus") == {"2020-06": 1, "2020-07": 1}
    assert net(person=world.liaison, effect="bonus") == {"2020-07": 1}
    assert net(person=world.principal, effect="excellent_barred") == {}
    assert net(person=world.handler, effect="excellent_barred") == {"2020": 1}
    assert ConsequenceEntry.objects.filter(effect="supervisor_interview", person=world.liaison).count() == 1
    assert ConsequenceEntry.objects.filter(effect="rectification", unit=world.cgj).count() == 1
