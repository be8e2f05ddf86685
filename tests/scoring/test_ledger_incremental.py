"""Property: the incremental sync a decision write runs (ledger_sync_units, its unit's decisions only)
books exactly what the full sync of the jurisdiction (ledger_sync, the oracle) would.

For any sequence of decision writes across three units sharing one 二级督查 — created, appealed,
upheld, changed or revoked on appeal, exempted, sanctioned, redated, re-methoded, moved to another
unit or matter — a full sync after each write finds nothing left to book, and the rows appended are
the very rows (values, reversal pointers, notes, in order) that the same writes append when each one
runs the full sync instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.accountability import services
from duban.accountability.models import Appeal, Decision
from duban.accountability.signals import decisions_changed
from duban.rules.loader import load_rulebooks
from duban.scoring.models import ConsequenceEntry
from duban.scoring.services import (
    exposures_from_decisions,
    exposures_stored,
    ledger_sync,
    ledger_sync_units,
    tallies_from_ledger,
    tallies_stored,
)
from tests.factories import decide

pytestmark = pytest.mark.django_db

METHODS = list(load_rulebooks("zhumadian").latest().method_names)  # 第五条, as the rulebook states it
DAYS = st.dates(dt.date(2020, 5, 1), dt.date(2021, 12, 31))  # two years: the 年内 windows and the 同一事项 ones

create = st.tuples(
    st.just("create"),
    DAYS,
    st.integers(0, 2),  # unit: 市城管局 and 市教育局 share a 二级督查; 市卫健体委 is a 省级文明单位
    st.integers(0, 1),  # matter
    st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True),
    st.booleans(),  # a person (the 承办人员 of 市城管局) is the subject
)
change = st.tuples(
    st.sampled_from(
        ["appeal", "uphold", "revoke", "exempt", "sanction", "redate", "remethod", "move", "rematter", "changed"]
    ),
    st.integers(0, 20),  # which decision (modulo how many exist)
    DAYS,
    st.integers(0, 2),  # the unit or matter a move names
    st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True),
)


class Rollback(Exception):
    pass


def apply(world, operation) -> None:
    units, matters = [world.cgj, world.jyj, world.wjw], [world.m1, world.m2]
    actor = world.actor
    if operation[0] == "create":
        _, day, unit, matter, methods, by_person = operation
        person = {"subject": "person", "person": world.handler} if by_person and unit == 0 else {}
        decide(world, day.isoformat(), methods, unit=units[unit], matter=matters[matter], **person)
        return
    action, index, day, which, methods = operation
    decisions = list(Decision.objects.order_by("pk"))
    if not decisions:
        return
    decision = decisions[index % len(decisions)]
    calls = {
        "appeal": lambda: services.appeal_file(actor=actor, decision=decision, reason="不服", filed_on=decision.date),
        "uphold": lambda: services.appeal_decide(
            actor=actor, decision=decision, outcome=Appeal.Outcome.UPHELD, reason="维持"
        ),
        "revoke": lambda: services.appeal_decide(
            actor=actor, decision=decision, outcome=Appeal.Outcome.REVOKED, reason="撤销"
        ),
        "changed": lambda: services.appeal_decide(
            actor=actor, decision=decision, outcome=Appeal.Outcome.CHANGED, reason="变更", changes={"methods": methods}
        ),
        "exempt": lambda: services.decision_exempt(actor=actor, decision=decision, ground=4),
        "sanction": lambda: services.decision_set_sanction(
            actor=actor, decision=decision, sanctioned=not decision.sanctioned_after_referral
        ),
        "redate": lambda: services.decision_correct(actor=actor, decision=decision, data={"date": day}),
        "remethod": lambda: services.decision_correct(actor=actor, decision=decision, data={"methods": methods}),
        "move": lambda: services.decision_correct(actor=actor, decision=decision, data={"unit": units[which]}),
        "rematter": lambda: services.decision_correct(
            actor=actor, decision=decision, data={"matter": matters[which % 2]}
        ),
    }
    # A transition not allowed from this status, a sanction without referral, a person moved out of
    # their unit: refused, nothing written.
    with contextlib.suppress(ValidationError):
        calls[action]()


@contextlib.contextmanager
def full_sync_on_every_write() -> Iterator[None]:
    """Decision writes run the jurisdiction's full sync instead of their unit's (the oracle)."""

    def full(sender, *, jurisdiction, actor, **kwargs) -> None:
        ledger_sync(jurisdiction=jurisdiction, actor=actor)

    assert decisions_changed.disconnect(dispatch_uid="scoring.ledger_sync")
    decisions_changed.connect(full, dispatch_uid="test.full_sync")
    try:
        yield
    finally:
        decisions_changed.disconnect(dispatch_uid="test.full_sync")
        from duban.scoring.apps import _sync_on_decisions_changed

        decisions_changed.connect(_sync_on_decisions_changed, dispatch_uid="scoring.ledger_sync")


def rows() -> list[tuple]:
    """The whole ledger in booking order, the primary keys of decisions and rows as their rank (the two
    runs roll back, and a database need not hand out the same keys again)."""
    decision_rank = {pk: n for n, pk in enumerate(Decision.objects.order_by("pk").values_list("pk", flat=True))}
    entries = list(
        ConsequenceEntry.objects.order_by("pk").values_list(
            "pk",
            "decision_id",
            "who_kind",
            "unit_id",
            "person_id",
            "effect",
            "period",
            "value",
            "label",
            "basis",
            "parameter",
            "rulebook",
            "note",
            "reverses_id",
        )
    )
    entry_rank = {entry[0]: n for n, entry in enumerate(entries)}
    label = lambda text: f"decision:{decision_rank[int(text[9:])]}" if text.startswith("decision:") else text  # noqa: E731
    return [
        (decision_rank[e[1]], *e[2:8], label(e[8]), *e[9:13], entry_rank.get(e[13]) if e[13] else None) for e in entries
    ]


def run(world, operations, *, check_each: bool) -> list[tuple]:
    try:
        with transaction.atomic():
            for operation in operations:
                before = rows()
                apply(world, operation)
                after = rows()
                assert after[: len(before)] == before  # append-only: the old rows are untouched
                if check_each:
                    # The balances the pages read moved with the rows (a redate across years included)…
                    assert tallies_stored(world.city) == tallies_from_ledger(world.city)
                    assert exposures_stored(world.city) == exposures_from_decisions(world.city)  # the 公开曝光 too
                    assert ledger_sync(jurisdiction=world.city, actor=None) == []  # …and nothing is left to book
            booked = rows()
            raise Rollback
    except Rollback:
        pass
    return booked


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.one_of(create, create, change), min_size=1, max_size=10))
def test_incremental_syncs_book_what_the_full_sync_books(world, operations):
    incremental = run(world, operations, check_each=True)
    with full_sync_on_every_write():
        full = run(world, operations, check_each=False)
    assert incremental == full


def test_a_decision_write_reads_only_its_unit(world):
    """The sync of one write reads the unit's decisions and ledger rows, not the jurisdiction's: its
    queries stay the same however many decisions other units have."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    decide(world, "2020-05-12", ["通报批评"], unit=world.jyj)

    def one_write() -> tuple[int, int]:
        # The same write on the same unit's history each time (rolled back after it is counted).
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                decide(world, "2020-06-12", ["通报批评"], unit=world.jyj)
            transaction.set_rollback(True)
        return len(queries), sum("scoring_consequenceentry" in q["sql"] for q in queries.captured_queries)

    first = one_write()
    for n in range(30):
        decide(world, f"2020-07-{n % 28 + 1:02d}", [METHODS[n % len(METHODS)]], unit=world.cgj)
    assert one_write() == first


def test_moving_a_decision_to_another_unit_rebooks_both(world):
    first = decide(world, "2020-05-12", ["工作约谈"])
    second = decide(world, "2020-06-03", ["通报批评"])
    # 第九条第（七）项: after 工作约谈's 30, a 通报批评 (10) of 市城管局 on M1 adds nothing to the maximum.
    assert not ConsequenceEntry.objects.filter(decision=second, effect="monthly").exists()
    services.decision_correct(actor=world.actor, decision=first, data={"unit": world.jyj})
    # Now each unit has its own: the first's points move to 市教育局, the second books its 10.
    net = lambda **f: sum(ConsequenceEntry.objects.filter(**f).values_list("value", flat=True))  # noqa: E731
    assert net(decision=first, unit=world.cgj) == 0
    assert net(decision=first, unit=world.jyj, effect="monthly") == 30
    assert net(decision=second, unit=world.cgj, effect="monthly") == 10
    assert ledger_sync(jurisdiction=world.city, actor=None) == []


def test_sync_of_units_is_idempotent_and_names_them_in_the_audit(world):
    from duban.accounts.models import AuditLog

    decide(world, "2020-05-12", ["通报批评"], unit=world.jyj)
    log = AuditLog.objects.filter(action="ledger_sync").latest("pk")
    assert log.after["units"] == [world.jyj.pk]
    assert ledger_sync_units(jurisdiction=world.city, units=[world.jyj, world.cgj.pk], actor=None) == []
