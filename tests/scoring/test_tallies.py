"""The balances (ConsequenceTally) the score pages read say what the ledger's rows say.

For any sequence of decision writes (test_ledger_incremental's), the month's ranking, the year's
assessment and its people read from the balances equal the same reads from the rows (``as_of``, which
always reads the rows); the migration's and the repair's rebuild give the balances the writes kept.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban import clock
from duban.scoring.models import ConsequenceTally
from duban.scoring.selectors import (
    annual_assessment,
    monthly_ranking,
    people_with_consequences,
    person_consequences,
    person_consequences_of,
)
from duban.scoring.services import ledger_sync, tallies_from_ledger, tallies_stored, tally_rebuild
from tests.factories import decide
from tests.scoring.test_ledger_incremental import Rollback, apply, change, create

pytestmark = pytest.mark.django_db

MONTHS = [f"{year}-{month:02d}" for year in (2020, 2021) for month in range(1, 13)]


def reads(world, *, as_of) -> tuple:
    city = world.city
    return (
        [monthly_ranking(city, month, as_of=as_of) for month in MONTHS],
        [annual_assessment(city, year, as_of=as_of) for year in (2020, 2021)],
        [person_consequences(city, year, as_of=as_of) for year in (2020, 2021)],
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.one_of(create, create, change), min_size=1, max_size=10))
def test_the_pages_read_from_the_balances_what_the_rows_say(world, operations):
    try:
        with transaction.atomic():
            for operation in operations:
                apply(world, operation)
            later = clock.now() + dt.timedelta(days=1)
            assert reads(world, as_of=None) == reads(world, as_of=later)
            raise Rollback
    except Rollback:
        pass


def test_a_rebuild_gives_the_balances_the_writes_kept(world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-06-03", ["通报批评"], unit=world.jyj)
    decide(world, "2020-07-03", ["工作约谈"], subject="person", person=world.handler)
    kept = tallies_stored(world.city)
    assert kept and kept == tallies_from_ledger(world.city)
    ConsequenceTally.objects.all().delete()
    assert tally_rebuild(jurisdiction=world.city) == len(kept)
    assert tallies_stored(world.city) == kept


def test_the_repair_puts_balances_out_of_step_right(world):
    decide(world, "2020-05-12", ["通报批评"])
    ConsequenceTally.objects.update(net=0, keys=0)
    assert ledger_sync(jurisdiction=world.city, actor=None) == []  # nothing to book…
    assert tallies_stored(world.city) == tallies_from_ledger(world.city)  # …but the balances are mended


def test_a_page_of_people_reads_the_rows_of_those_people_only(world):
    decide(world, "2020-07-03", ["工作约谈"], subject="person", person=world.handler)
    decide(world, "2020-08-03", ["通报批评"])
    people = people_with_consequences(world.city, 2020)
    everyone = person_consequences(world.city, 2020)
    assert [row.person for row in everyone] == list(people)
    first_page = person_consequences_of(world.city, 2020, people[:1])
    assert first_page == everyone[:1]
