"""The only writes to the score ledger: a sync appends what the engine says has changed.

Two doors, one booking. ``ledger_sync_units`` is what a decision write calls: it re-derives only the
written decision's unit (or, for a decision moved between units, both), locking only their rows.
``ledger_sync`` re-derives the whole jurisdiction, locking every unit of it: the repair
(``duban ledger-sync``) and the oracle the incremental door is tested against.

Why a unit is the right scope: every count the engine carries from one decision to the next (the
rules' Tally) is keyed by the decision's unit — the 第九条第（七）项 max/sum rule per unit × matter ×
kind, the "同一事项 / 年内 N 次以上" repetitions per unit × window (a matter, or a year across the unit's
matters). An escalation counted over a year adds 公开曝光 to a decision, which moves that decision's
matter's points in every year, so a write can reach any decision of its unit, but never another
unit's. Persons' and supervisors' consequences are per decision (no count across decisions), and
every ledger row names its decision, so the rows of a unit's decisions are exactly what the unit's
decisions derive. What a sync does not see is a change outside decisions (a unit's 文明单位 level or
its 二级督查, a new rulebook version): ``duban ledger-sync`` books those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from duban.accountability.models import Decision
from duban.accountability.rulebooks import rulebooks_for
from duban.accounts.models import AuditAction, Jurisdiction, Unit
from duban.accounts.services import audit_record
from duban.rules import engine
from duban.rules import model as rules
from duban.rules.loader import RulebookError
from duban.scoring import scenario as ids
from duban.scoring.models import ConsequenceEntry

POINT_EFFECTS = (rules.UNIT_MONTHLY, rules.UNIT_ANNUAL)

# (decision pk, who_kind, unit or person pk, effect, period, label, basis)
LedgerKey = tuple[int, str, int, str, str, str, str]


@dataclass
class Booking:
    """What the engine says one key should amount to now."""

    value: int = 0
    parameter: str = ""
    rulebook: str = ""
    note: str = ""


@transaction.atomic
def ledger_sync(*, jurisdiction: Jurisdiction, actor: AbstractBaseUser | None) -> list[ConsequenceEntry]:
    """Bring the jurisdiction's ledger to what the engine derives from all its stored decisions.

    Appends only differences: a new consequence is a positive row; one that vanished or shrank
    (revoked, exempted, re-ordered under the 第九条第（七）项 max rule, a corrected decision) is a
    negative row pointing at the row it reverses. Running it twice appends nothing.
    """
    # Every unit's row, in primary-key order as ledger_sync_units takes them: no sync of any unit of
    # the jurisdiction runs meanwhile (two would both append the same difference).
    _lock_units(Unit.objects.filter(jurisdiction=jurisdiction))
    return _sync(Jurisdiction.objects.get(pk=jurisdiction.pk), None, actor)


@transaction.atomic
def ledger_sync_units(
    *, jurisdiction: Jurisdiction, units: Iterable[Unit | int], actor: AbstractBaseUser | None
) -> list[ConsequenceEntry]:
    """ledger_sync for the decisions of ``units`` only: what one decision write calls, with the
    written decision's unit (a corrected decision moved to another unit: both). Appends exactly the
    rows ledger_sync would (see the module docstring for why), locking only these units' rows."""
    pks = sorted({unit if isinstance(unit, int) else unit.pk for unit in units})
    _lock_units(Unit.objects.filter(pk__in=pks))
    return _sync(jurisdiction, pks, actor)


def _lock_units(units) -> None:
    # One order for every sync (primary key), so two syncs over overlapping units cannot deadlock.
    list(units.select_for_update().order_by("pk").values_list("pk", flat=True))


def _sync(
    jurisdiction: Jurisdiction, unit_pks: list[int] | None, actor: AbstractBaseUser | None
) -> list[ConsequenceEntry]:
    decisions = Decision.objects.filter(jurisdiction=jurisdiction)
    if unit_pks is not None:
        decisions = decisions.filter(unit_id__in=unit_pks)
    desired = _desired(jurisdiction, unit_pks)
    current = _current(jurisdiction, unit_pks)
    appended: list[ConsequenceEntry] = []
    statuses = dict(decisions.values_list("pk", "status"))
    for key in sorted(set(desired) | set(current), key=_order):
        booking = desired.get(key, Booking())
        difference = booking.value - current.get(key, 0)
        if difference == 0:
            continue
        entry = _entry(jurisdiction, key, difference, booking)
        if difference < 0:
            entry.reverses = _last_positive(jurisdiction, key)
            if entry.reverses is not None:
                entry.parameter = entry.parameter or entry.reverses.parameter
                entry.rulebook = entry.rulebook or entry.reverses.rulebook
            entry.note = _reversal_note(statuses.get(key[0]), booking)
        entry.save()
        appended.append(entry)
    if appended:
        after: dict = {"appended": [entry.pk for entry in appended], "count": len(appended)}
        if unit_pks is not None:
            after["units"] = unit_pks
        audit_record(
            actor=actor,
            action=AuditAction.LEDGER_SYNC,
            object_type=ConsequenceEntry._meta.label,
            object_id=jurisdiction.code,
            after=after,
        )
    return appended


def _desired(jurisdiction: Jurisdiction, unit_pks: list[int] | None = None) -> dict[LedgerKey, Booking]:
    scenario = ids.scenario_for(jurisdiction, units=unit_pks)
    if not scenario.decisions:
        return {}
    try:
        result = engine.evaluate(scenario, rulebooks_for(jurisdiction))
    except RulebookError as exc:
        raise ValidationError(f"{jurisdiction.name}的问责规则无法适用：{exc}") from exc
    desired: dict[LedgerKey, Booking] = defaultdict(Booking)
    for consequence in result.consequences:
        key = _key(consequence)
        booking = desired[key]
        booking.value += _points(consequence)
        booking.parameter = booking.parameter or consequence.parameter
        booking.rulebook = booking.rulebook or consequence.rulebook
        booking.note = booking.note or getattr(consequence, "note", "")
    return dict(desired)


def _current(jurisdiction: Jurisdiction, unit_pks: list[int] | None = None) -> dict[LedgerKey, int]:
    if unit_pks is None:
        rows = ConsequenceEntry.objects.filter(jurisdiction=jurisdiction)
    else:
        # The rows of the units' decisions, whoever they name (the unit, its people, its supervisors),
        # found by decision (every row has its decision's jurisdiction; naming it would only tempt the
        # database into reading the jurisdiction's whole ledger).
        decisions = Decision.objects.filter(jurisdiction=jurisdiction, unit_id__in=unit_pks)
        rows = ConsequenceEntry.objects.filter(decision__in=decisions.values("pk"))
    rows = rows.values(
        "decision_id", "who_kind", "unit_id", "person_id", "effect", "period", "label", "basis"
    ).annotate(net=Sum("value"))
    return {
        (
            row["decision_id"],
            row["who_kind"],
            row["unit_id"] or row["person_id"],
            row["effect"],
            row["period"],
            row["label"],
            row["basis"],
        ): row["net"]
        for row in rows
    }


def _key(consequence: rules.Consequence) -> LedgerKey:
    _, decision_pk = ids.parse_id(consequence.decision)
    who_kind, who_pk = ids.parse_id(consequence.who)
    return (
        decision_pk,
        who_kind,
        who_pk,
        consequence.effect,
        consequence.period or "",
        _label(consequence),
        consequence.basis,
    )


def _points(consequence: rules.Consequence) -> int:
    # Monthly and annual deductions carry points; every other effect counts once.
    return int(consequence.value) if consequence.effect in POINT_EFFECTS else 1


def _label(consequence: rules.Consequence) -> str:
    if consequence.effect in POINT_EFFECTS or consequence.value is None:
        return ""
    value = str(consequence.value)
    try:
        kind, pk = ids.parse_id(value)
    except ValueError:
        return value  # e.g. the civilized-title action "rectify_or_revoke"
    # public_exposure / rectification name a decision: store it as its primary key.
    return f"{kind}:{pk}"


def _order(key: LedgerKey) -> tuple:
    decision_pk, who_kind, who_pk, effect, period, label, basis = key
    return (decision_pk, who_kind != "unit", who_pk, rules.EFFECTS.index(effect), period, label, basis)


def _entry(jurisdiction: Jurisdiction, key: LedgerKey, value: int, booking: Booking) -> ConsequenceEntry:
    decision_pk, who_kind, who_pk, effect, period, label, basis = key
    return ConsequenceEntry(
        jurisdiction=jurisdiction,
        decision_id=decision_pk,
        who_kind=who_kind,
        unit_id=who_pk if who_kind == ConsequenceEntry.WhoKind.UNIT else None,
        person_id=who_pk if who_kind == ConsequenceEntry.WhoKind.PERSON else None,
        effect=effect,
        period=period,
        value=value,
        label=label,
        basis=basis,
        parameter=booking.parameter,
        rulebook=booking.rulebook,
        note=booking.note[:200],
    )


def _last_positive(jurisdiction: Jurisdiction, key: LedgerKey) -> ConsequenceEntry | None:
    decision_pk, who_kind, who_pk, effect, period, label, basis = key
    who = {"unit_id": who_pk} if who_kind == ConsequenceEntry.WhoKind.UNIT else {"person_id": who_pk}
    return (
        ConsequenceEntry.objects.filter(
            jurisdiction=jurisdiction,
            decision_id=decision_pk,
            who_kind=who_kind,
            effect=effect,
            period=period,
            label=label,
            basis=basis,
            value__gt=0,
            **who,
        )
        .order_by("-pk")
        .first()
    )


def _reversal_note(status: str | None, booking: Booking) -> str:
    if status == Decision.Status.REVOKED:
        return "冲销：问责决定经申诉复核撤销（第八条第（三）项）"
    if status == Decision.Status.EXEMPTED:
        return "冲销：容错免责（第七条）"
    # Otherwise another decision changed (corrected, revoked, exempted, entered late with an
    # earlier date) and the counts this one depended on moved.
    if booking.value > 0:
        return "冲销差额：按全部问责决定重新计算后减少"
    return "冲销：按全部问责决定重新计算后不再产生该后果"
