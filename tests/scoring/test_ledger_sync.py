"""ledger_sync: the engine's consequences of stored decisions, booked as append-only differences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from duban.accountability.services import decision_appeal, decision_correct, decision_exempt, decision_revoke
from duban.accounts.append_only import AppendOnlyError
from duban.scoring.models import ConsequenceEntry
from duban.scoring.services import ledger_sync
from tests.factories import decide

pytestmark = pytest.mark.django_db


def net(**filters) -> dict[str, int]:
    rows = ConsequenceEntry.objects.filter(**filters).values("period").annotate(total=Sum("value")).order_by("period")
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


def test_sync_is_idempotent(world):
    decide(world, "2020-05-12", ["通报批评"])
    decide(world, "2020-07-20", ["工作约谈"])
    booked = list(ConsequenceEntry.objects.values_list("pk", "value"))
    assert ledger_sync(jurisdiction=world.city, actor=world.actor) == []
    assert ledger_sync(jurisdiction=world.city, actor=None) == []
    assert list(ConsequenceEntry.objects.values_list("pk", "value")) == booked


def test_revocation_appends_reversals_pointing_at_what_they_reverse(world):
    decide(world, "2020-05-12", ["通报批评"], matter=world.m2)
    talk = decide(world, "2020-07-20", ["工作约谈"])
    originals = {e.pk: e.value for e in ConsequenceEntry.objects.filter(decision=talk)}
    assert len(originals) == 2 + 7 + 2  # unit points; 7 role effects; the 二级督查's interview and bonus

    talk = decision_appeal(actor=world.actor, decision=talk, filed_on=dt.date(2020, 7, 25))
    talk = decision_revoke(actor=world.actor, decision=talk, reason="复核撤销")

    reversals = ConsequenceEntry.objects.filter(decision=talk, value__lt=0)
    assert {r.reverses_id for r in reversals} == set(originals)
    for reversal in reversals:
        assert reversal.value == -originals[reversal.reverses_id]
        assert reversal.note == "冲销：问责决定经申诉复核撤销（第八条第（三）项）"
    # Nothing was edited: the original rows are as they were.
    assert {e.pk: e.value for e in ConsequenceEntry.objects.filter(pk__in=originals)} == originals
    assert net(decision=talk) == {}
    assert net(unit=world.cgj, effect="monthly") == {"2020-05": 10}


def test_exemption_reverses_everything_of_that_decision_only(world):
    first = decide(world, "2020-05-12", ["责令作出书面检查"])
    second = decide(world, "2020-09-01", ["责令作出书面检查"], matter=world.m2)
    # 第九条第（三）项: the 2nd 书面检查 of the year escalates to 公开曝光.
    assert ConsequenceEntry.objects.filter(decision=second, effect="public_exposure").count() == 1
    decision_exempt(actor=world.actor, decision=first, ground=1)
    # 第七条 (interpretation 3): the exempted decision counts for nothing, so the second is a
    # first 书面检查 again and its exposure is reversed as well.
    assert net(decision=first) == {}
    assert (
        ConsequenceEntry.objects.filter(decision=second, effect="public_exposure").aggregate(n=Sum("value"))["n"] == 0
    )
    assert net(unit=world.cgj, effect="monthly") == {"2020-09": 20}
    reversal = ConsequenceEntry.objects.get(decision=second, effect="public_exposure", value=-1)
    assert reversal.reverses.decision == second
    assert reversal.note == "冲销：按全部问责决定重新计算后不再产生该后果"


def test_an_earlier_decision_entered_later_reorders_the_max_rule(world):
    talk = decide(world, "2020-07-20", ["工作约谈"])
    assert net(unit=world.cgj, effect="monthly") == {"2020-07": 30}
    decide(world, "2020-05-12", ["通报批评"])  # recorded late, dated earlier
    # Taken in date order: May books 10, July only the increase to 30 (第九条第（七）项).
    assert net(unit=world.cgj, effect="monthly") == {"2020-05": 10, "2020-07": 20}
    july = ConsequenceEntry.objects.filter(decision=talk, effect="monthly").order_by("pk")
    assert [(e.value, e.reverses_id) for e in july] == [(30, None), (-30, july[0].pk), (20, None)]
    assert july[2].basis == "第九条第（五）项；第九条第（七）项"


def test_correcting_a_decision_books_the_difference(world):
    decision = decide(world, "2020-05-12", ["通报批评"])
    first_rows = list(ConsequenceEntry.objects.values_list("pk", "effect", "value"))
    decision_correct(actor=world.actor, decision=decision, data={"methods": ["责令作出书面检查"]})
    assert (
        list(ConsequenceEntry.objects.filter(pk__in=[pk for pk, *_ in first_rows]).values_list("pk", "effect", "value"))
        == first_rows
    )
    assert net(unit=world.cgj, effect="monthly") == {"2020-05": 20}
    assert net(unit=world.cgj, effect="annual") == {"2020": 10}


def test_ledger_rows_cannot_be_changed_or_removed(world):
    decide(world, "2020-05-12", ["通报批评"])
    entry = ConsequenceEntry.objects.get(effect="monthly")
    entry.value = 0
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ConsequenceEntry.objects.filter(pk=entry.pk).update(value=0)
    with pytest.raises(AppendOnlyError):
        ConsequenceEntry.objects.all().delete()
    assert ConsequenceEntry.objects.get(pk=entry.pk).value == 10


def test_person_subject_counts_as_handler_and_is_booked_to_their_unit(world):
    decide(world, "2020-11-11", ["通报批评"], subject="person", person=world.handler, responsible={})
    assert net(unit=world.cgj, effect="monthly") == {"2020-11": 10}
    assert net(person=world.handler, effect="bonus") == {"2020-11": 1}


def test_the_score_ledger_listens_to_accountability_and_fails_with_it(world, monkeypatch):
    """Accountability never imports scoring: it announces decisions_changed, and scoring books there, in
    the same transaction — so a failing sync leaves no decision behind either."""
    from duban.accountability.models import Decision
    from duban.accountability.signals import decisions_changed

    assert decisions_changed.has_listeners(Decision)
    decide(world, "2020-05-12", ["通报批评"])
    assert net(unit=world.cgj, effect="monthly") == {"2020-05": 10}

    def broken(**kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr("duban.scoring.services.ledger_sync_units", broken)  # the door a decision write takes
    with pytest.raises(RuntimeError, match="ledger down"):
        decide(world, "2020-06-03", ["通报批评"])
    assert Decision.objects.count() == 1
    assert net(unit=world.cgj, effect="monthly") == {"2020-05": 10}


def test_an_engine_id_is_read_in_ascii_digits_only():
    from duban.scoring.scenario import parse_id

    assert parse_id("U12") == ("unit", 12)
    for bad in ("U١", "U²", "U", "U-1"):
        with pytest.raises(ValueError):
            parse_id(bad)
