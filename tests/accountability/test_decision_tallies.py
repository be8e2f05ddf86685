"""The decisions counted by day and by month (duban.accountability.tallies) follow every door a decision is
written through: the services, a save of any fields, a queryset's update, a bulk create and a delete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.accountability.models import Decision, DecisionDayTally, DecisionMonthTally
from duban.accountability.services import decision_appeal, decision_exempt, decision_revoke
from duban.accountability.services.decisions import decision_correct
from duban.accountability.tallies import decision_tallies_differences, decision_tallies_rebuild, methods_key
from duban.scoring.models import ExposureDayTally, PublicExposure
from duban.scoring.tallies import exposure_tally_differences
from tests.factories import decide

pytestmark = pytest.mark.django_db

CRITICISM = ["通报批评"]
TALK = ["工作约谈"]


def in_force_on(w, day: str, methods) -> int:
    rows = DecisionDayTally.objects.filter(jurisdiction=w.city, date=day, methods_key=methods_key(methods))
    return sum(rows.values_list("n", flat=True))


def in_month(w, month: str, situation: int, methods) -> int:
    rows = DecisionMonthTally.objects.filter(
        jurisdiction=w.city, month=f"{month}-01", situation_number=situation, methods_key=methods_key(methods)
    )
    return sum(rows.values_list("n", flat=True))


def test_a_decision_counts_on_its_day_while_in_force_and_in_its_month_whatever_becomes_of_it(world):
    decision = decide(world, "2020-05-06", CRITICISM)
    decide(world, "2020-05-06", CRITICISM)
    assert in_force_on(world, "2020-05-06", CRITICISM) == 2
    assert in_month(world, "2020-05", 11, CRITICISM) == 2

    decision_appeal(actor=world.actor, decision=decision, filed_on=dt.date(2020, 5, 8))
    assert in_force_on(world, "2020-05-06", CRITICISM) == 2  # 申诉期间不停止执行
    decision_revoke(actor=world.actor, decision=decision)
    assert in_force_on(world, "2020-05-06", CRITICISM) == 1
    assert in_month(world, "2020-05", 11, CRITICISM) == 2
    assert decision_tallies_differences() == []


def test_an_exempted_decision_leaves_the_day_it_was_in_force_on(world):
    decision = decide(world, "2020-06-01", TALK)
    decision_exempt(actor=world.actor, decision=decision, ground=1)
    assert in_force_on(world, "2020-06-01", TALK) == 0
    assert in_month(world, "2020-06", 11, TALK) == 1
    assert decision_tallies_differences() == []


def test_a_corrected_decision_moves_to_its_new_day_month_and_methods(world):
    decision = decide(world, "2020-05-31", CRITICISM)
    decision_correct(actor=world.actor, decision=decision, data={"date": dt.date(2020, 6, 2), "methods": TALK})
    assert in_force_on(world, "2020-05-31", CRITICISM) == 0
    assert in_force_on(world, "2020-06-02", TALK) == 1
    assert in_month(world, "2020-05", 11, CRITICISM) == 0
    assert in_month(world, "2020-06", 11, TALK) == 1
    assert decision_tallies_differences() == []


def test_a_save_of_some_fields_counts_what_the_row_holds(world):
    decision = decide(world, "2020-05-06", CRITICISM)
    decision.situation_number = 12  # changed in memory only
    decision.note = "备注"
    decision.save(update_fields=["note"])
    assert in_month(world, "2020-05", 11, CRITICISM) == 1
    assert decision_tallies_differences() == []


def test_a_queryset_update_bulk_create_and_delete_keep_the_tallies(world):
    first = decide(world, "2020-05-06", CRITICISM)
    Decision.objects.filter(pk=first.pk).update(date=dt.date(2020, 7, 1), situation_number=3)
    assert in_force_on(world, "2020-07-01", CRITICISM) == 1
    assert in_month(world, "2020-07", 3, CRITICISM) == 1
    assert in_month(world, "2020-05", 11, CRITICISM) == 0

    copies = Decision.objects.bulk_create(
        [
            Decision(
                jurisdiction=world.city,
                matter=world.m1,
                unit=world.cgj,
                date=dt.date(2020, 8, day),
                situation_number=5,
                methods=TALK,
            )
            for day in (3, 3, 4)
        ]
    )
    assert in_force_on(world, "2020-08-03", TALK) == 2
    assert in_month(world, "2020-08", 5, TALK) == 3
    assert decision_tallies_differences() == []

    copies[0].delete()
    Decision.objects.filter(pk=copies[1].pk).delete()
    assert in_force_on(world, "2020-08-03", TALK) == 0
    assert in_month(world, "2020-08", 5, TALK) == 1
    assert decision_tallies_differences() == []


def test_the_register_of_exposures_counted_by_day_follows_corrections_and_deletes(world):
    exposed = decide(world, "2020-05-06", ["公开曝光"])
    decide(world, "2020-05-06", ["公开曝光", "通报批评"])
    assert ExposureDayTally.objects.filter(jurisdiction=world.city, date="2020-05-06").count() == 2
    decision_correct(actor=world.actor, decision=exposed, data={"date": dt.date(2020, 5, 9)})
    assert exposure_tally_differences() == []
    decision_revoke_after_appeal = decide(world, "2020-05-10", ["公开曝光"])
    decision_appeal(actor=world.actor, decision=decision_revoke_after_appeal, filed_on=dt.date(2020, 5, 11))
    decision_revoke(actor=world.actor, decision=decision_revoke_after_appeal)
    assert not ExposureDayTally.objects.filter(jurisdiction=world.city, date="2020-05-10").exclude(n=0).exists()
    PublicExposure.objects.filter(decision=exposed).delete()  # a delete, whatever the door
    assert exposure_tally_differences() == []


def test_an_update_of_fields_no_tally_reads_writes_no_tally(world):
    decision = decide(world, "2020-05-06", CRITICISM)
    with CaptureQueriesContext(connection) as queries:
        Decision.objects.filter(pk=decision.pk).update(note="备注")
    assert len(queries) == 1


def test_the_tallies_counted_again_are_the_tallies_kept(world):
    decide(world, "2020-05-06", CRITICISM)
    decide(world, "2020-05-07", TALK)
    DecisionDayTally.objects.all().delete()
    assert decision_tallies_differences()  # a lost row is found
    decision_tallies_rebuild(jurisdiction_ids=[world.city.pk])
    assert decision_tallies_differences() == []
    assert in_force_on(world, "2020-05-07", TALK) == 1
