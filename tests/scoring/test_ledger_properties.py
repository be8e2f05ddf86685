"""Property: after any sequence of decision writes, the ledger's net sums are exactly what the
engine derives from the stored decisions, earlier rows are never changed, and a further sync
appends nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.accountability import services
from duban.accountability.models import Decision
from duban.accountability.rulebooks import rulebooks_for
from duban.rules import engine
from duban.rules.loader import load_rulebooks
from duban.scoring.models import ConsequenceEntry
from duban.scoring.scenario import scenario_for
from duban.scoring.services import _key, _points, ledger_sync
from tests.factories import decide

pytestmark = pytest.mark.django_db

METHODS = list(load_rulebooks("zhumadian").latest().method_names)  # 第五条, as the rulebook states it

create = st.tuples(
    st.just("create"),
    st.dates(dt.date(2020, 5, 1), dt.date(2020, 12, 31)),
    st.integers(0, 1),  # unit
    st.integers(0, 1),  # matter
    st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True),
)
change = st.tuples(
    st.sampled_from(["appeal", "uphold", "revoke", "exempt", "sanction", "redate"]),
    st.integers(0, 20),  # which decision (modulo how many exist)
    st.dates(dt.date(2020, 5, 1), dt.date(2020, 12, 31)),
)


class Rollback(Exception):
    pass


def engine_net(jurisdiction) -> Counter:
    result = engine.evaluate(scenario_for(jurisdiction), rulebooks_for(jurisdiction))
    net = Counter()
    for consequence in result.consequences:
        net[_key(consequence)] += _points(consequence)
    return +net


def ledger_net() -> Counter:
    rows = ConsequenceEntry.objects.values(
        "decision_id", "who_kind", "unit_id", "person_id", "effect", "period", "label", "basis"
    ).annotate(total=Sum("value"))
    net = Counter()
    for r in rows:
        key = (
            r["decision_id"],
            r["who_kind"],
            r["unit_id"] or r["person_id"],
            r["effect"],
            r["period"],
            r["label"],
            r["basis"],
        )
        net[key] += r["total"]
    return +net


def apply(world, operation) -> None:
    if operation[0] == "create":
        _, day, unit, matter, methods = operation
        decide(world, day.isoformat(), methods, unit=[world.cgj, world.jyj][unit], matter=[world.m1, world.m2][matter])
        return
    action, index, day = operation
    decisions = list(Decision.objects.order_by("pk"))
    if not decisions:
        return
    decision = decisions[index % len(decisions)]
    actor = world.actor
    calls = {
        "appeal": lambda: services.decision_appeal(actor=actor, decision=decision, filed_on=decision.date),
        "uphold": lambda: services.decision_uphold(actor=actor, decision=decision),
        "revoke": lambda: services.decision_revoke(actor=actor, decision=decision),
        "exempt": lambda: services.decision_exempt(actor=actor, decision=decision, ground=4),
        "sanction": lambda: services.decision_set_sanction(
            actor=actor, decision=decision, sanctioned=not decision.sanctioned_after_referral
        ),
        "redate": lambda: services.decision_correct(actor=actor, decision=decision, data={"date": day}),
    }
    # A transition not allowed from this status, a sanction without referral: refused, nothing written.
    with contextlib.suppress(ValidationError):
        calls[action]()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.one_of(create, change), min_size=1, max_size=8))
def test_ledger_always_equals_the_engine(world, operations):
    try:
        with transaction.atomic():
            for operation in operations:
                before = list(
                    ConsequenceEntry.objects.order_by("pk").values_list("pk", "value", "reverses_id", "basis")
                )
                apply(world, operation)
                after = list(ConsequenceEntry.objects.order_by("pk").values_list("pk", "value", "reverses_id", "basis"))
                assert after[: len(before)] == before  # append-only: the old rows are untouched
                assert ledger_net() == engine_net(world.city)
                assert all(v > 0 for v in ledger_net().values())
            assert ledger_sync(jurisdiction=world.city, actor=None) == []
            raise Rollback
    except Rollback:
        pass
