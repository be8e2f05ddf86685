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
from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from duban.accountability.models import Decision
from duban.accountability.rulebooks import rulebooks_for
from duban.accountability.tallies import methods_key
from duban.accounts.models import AuditAction, Jurisdiction, Unit
from duban.accounts.services import audit_record
from duban.rules import engine
from duban.rules import model as rules
from duban.rules.loader import RulebookError
from duban.scoring import scenario as ids
from duban.scoring.models import ConsequenceEntry, ConsequenceTally, PublicExposure
from duban.scoring.tallies import exposure_key, exposure_tally_apply

POINT_EFFECTS = (rules.UNIT_MONTHLY, rules.UNIT_ANNUAL)

# (decision pk, who_kind, unit or person pk, effect, period, label, basis)
LedgerKey = tuple[int, str, int, str, str, str, str]
# (decision year, who_kind, unit or person pk, effect, period): one ConsequenceTally row
TallyKey = tuple[int, str, int, str, str]


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
    jurisdiction = Jurisdiction.objects.get(pk=jurisdiction.pk)
    appended = _sync(jurisdiction, None, actor)
    # The repair door also recomputes the balances from the ledger, whatever put them out of step.
    tally_rebuild(jurisdiction=jurisdiction)
    return appended


@transaction.atomic
def ledger_sync_units(
    *,
    jurisdiction: Jurisdiction,
    units: Iterable[Unit | int],
    actor: AbstractBaseUser | None,
    moved_years: dict[int, int] | None = None,
) -> list[ConsequenceEntry]:
    """ledger_sync for the decisions of ``units`` only: what one decision write calls, with the
    written decision's unit (a corrected decision moved to another unit: both). Appends exactly the
    rows ledger_sync would (see the module docstring for why), locking only these units' rows, and
    moves the balances with them. ``moved_years`` (decision pk → the year it was dated before a
    correction moved it to another year) carries the decision's balances over to its new year."""
    pks = sorted({unit if isinstance(unit, int) else unit.pk for unit in units})
    _lock_units(Unit.objects.filter(pk__in=pks))
    return _sync(jurisdiction, pks, actor, moved_years or {})


def _lock_units(units) -> None:
    # One order for every sync (primary key), so two syncs over overlapping units cannot deadlock.
    list(units.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))


def _sync(
    jurisdiction: Jurisdiction,
    unit_pks: list[int] | None,
    actor: AbstractBaseUser | None,
    moved_years: dict[int, int] | None = None,
) -> list[ConsequenceEntry]:
    decisions = Decision.objects.filter(jurisdiction=jurisdiction)
    if unit_pks is not None:
        decisions = decisions.filter(unit_id__in=unit_pks)
    desired = _desired(jurisdiction, unit_pks)
    current = _current(jurisdiction, unit_pks)
    appended: list[ConsequenceEntry] = []
    statuses, years = {}, {}
    facts = list(decisions.values_list("pk", "status", "date", "methods"))
    for pk, status, date, _methods in facts:
        statuses[pk], years[pk] = status, date.year
    tallies = _moved_balances(current, years, moved_years or {})
    for key in sorted(set(desired) | set(current), key=_order):
        booking = desired.get(key, Booking())
        before = current.get(key, 0)
        difference = booking.value - before
        if difference == 0:
            continue
        _tally_add(tallies, _tally_key(key, years[key[0]]), difference, (booking.value > 0) - (before > 0))
        entry = _entry(jurisdiction, key, difference, booking)
        if difference < 0:
            entry.reverses = _last_positive(jurisdiction, key)
            if entry.reverses is not None:
                entry.parameter = entry.parameter or entry.reverses.parameter
                entry.rulebook = entry.rulebook or entry.reverses.rulebook
            entry.note = _reversal_note(statuses.get(key[0]), booking)
        entry.save()
        appended.append(entry)
    _tally_apply(jurisdiction, tallies)
    escalated = {key[0] for key, booking in desired.items() if key[3] == rules.PUBLIC_EXPOSURE and booking.value > 0}
    _exposures_apply(jurisdiction, _exposures_wanted(jurisdiction, facts, escalated), decisions.values("pk"))
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
    # the engine's own effects in their order, then those a rulebook declares of its own, by code
    known = rules.EFFECTS.index(effect) if effect in rules.EFFECTS else len(rules.EFFECTS)
    return (decision_pk, who_kind != "unit", who_pk, known, effect, period, label, basis)


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


# --- the balances (ConsequenceTally), kept in step with the rows ------------------------------------


def _tally_key(key: LedgerKey, year: int) -> TallyKey:
    _decision, who_kind, who_pk, effect, period, _label, _basis = key
    return (year, who_kind, who_pk, effect, period)


def _tally_add(tallies: dict[TallyKey, list[int]], key: TallyKey, net: int, keys: int) -> None:
    change = tallies.setdefault(key, [0, 0])
    change[0] += net
    change[1] += keys


def _moved_balances(
    current: dict[LedgerKey, int], years: dict[int, int], moved_years: dict[int, int]
) -> dict[TallyKey, list[int]]:
    """A decision corrected into another year takes its balances from the old year to the new one."""
    tallies: dict[TallyKey, list[int]] = {}
    for key, net in current.items():
        old_year = moved_years.get(key[0])
        if old_year is None or old_year == years[key[0]] or net == 0:
            continue
        _tally_add(tallies, _tally_key(key, old_year), -net, -(net > 0))
        _tally_add(tallies, _tally_key(key, years[key[0]]), net, int(net > 0))
    return tallies


def _tally_apply(jurisdiction: Jurisdiction, tallies: dict[TallyKey, list[int]]) -> None:
    for (year, who_kind, who_pk, effect, period), (net, keys) in sorted(tallies.items()):
        if net == 0 and keys == 0:
            continue
        row = {"jurisdiction": jurisdiction, "year": year, "who_kind": who_kind, "effect": effect, "period": period}
        row["unit_id" if who_kind == ConsequenceEntry.WhoKind.UNIT else "person_id"] = who_pk
        if ConsequenceTally.objects.filter(**row).update(net=F("net") + net, keys=F("keys") + keys):
            continue
        try:  # a first balance; two syncs naming one supervisor may both create it
            with transaction.atomic():
                ConsequenceTally.objects.create(**row, net=net, keys=keys)
        except IntegrityError:
            ConsequenceTally.objects.filter(**row).update(net=F("net") + net, keys=F("keys") + keys)


def tallies_from_ledger(jurisdiction: Jurisdiction) -> dict[TallyKey, tuple[int, int]]:
    """What the balances should be: the ledger's rows summed per key, then per party × effect × period ×
    the decision's year (net, and the keys in force)."""
    rows = (
        ConsequenceEntry.objects.filter(jurisdiction=jurisdiction)
        .values(
            "decision_id", "decision__date", "who_kind", "unit_id", "person_id", "effect", "period", "label", "basis"
        )
        .annotate(net=Sum("value"))
    )
    tallies: dict[TallyKey, list[int]] = {}
    for row in rows.iterator(chunk_size=5000):
        key = (
            row["decision__date"].year,
            row["who_kind"],
            row["unit_id"] or row["person_id"],
            row["effect"],
            row["period"],
        )
        _tally_add(tallies, key, row["net"], int(row["net"] > 0))
    return {key: (net, keys) for key, (net, keys) in tallies.items() if net or keys}


def tallies_stored(jurisdiction: Jurisdiction) -> dict[TallyKey, tuple[int, int]]:
    rows = ConsequenceTally.objects.filter(jurisdiction=jurisdiction).values_list(
        "year", "who_kind", "unit_id", "person_id", "effect", "period", "net", "keys"
    )
    return {
        (year, who_kind, unit or person, effect, period): (net, keys)
        for year, who_kind, unit, person, effect, period, net, keys in rows
        if net or keys
    }


@transaction.atomic
def tally_rebuild(*, jurisdiction: Jurisdiction) -> int:
    """Recompute the jurisdiction's balances from its ledger (the generator's bulk rows, the repair)."""
    ConsequenceTally.objects.filter(jurisdiction=jurisdiction).delete()
    rows = [
        ConsequenceTally(
            jurisdiction=jurisdiction,
            year=year,
            who_kind=who_kind,
            unit_id=who_pk if who_kind == ConsequenceEntry.WhoKind.UNIT else None,
            person_id=who_pk if who_kind == ConsequenceEntry.WhoKind.PERSON else None,
            effect=effect,
            period=period,
            net=net,
            keys=keys,
        )
        for (year, who_kind, who_pk, effect, period), (net, keys) in sorted(tallies_from_ledger(jurisdiction).items())
    ]
    ConsequenceTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- the register of 公开曝光 (PublicExposure), kept in step with the decisions and the rows ------------

IN_FORCE = (Decision.Status.EFFECTIVE, Decision.Status.UNDER_APPEAL)


def _exposing_methods(jurisdiction: Jurisdiction) -> set[str]:
    """The method the rulebook codes public_exposure, in any of its versions."""
    try:
        versions = rulebooks_for(jurisdiction).versions
    except ValidationError:
        return set()
    return {name for version in versions if (name := version.method_with_code(rules.METHOD_PUBLIC_EXPOSURE))}


def _exposures_wanted(
    jurisdiction: Jurisdiction, facts: Iterable[tuple], escalated: set[int]
) -> dict[int, tuple[object, bool, str]]:
    """decision pk → (date, by escalation, methods) for the decisions in force that expose their unit."""
    exposing = _exposing_methods(jurisdiction)
    return {
        pk: (date, pk in escalated, methods_key(methods))
        for pk, status, date, methods in facts
        if status in IN_FORCE and (pk in escalated or exposing.intersection(methods or ()))
    }


def _exposures_apply(jurisdiction: Jurisdiction, wanted: dict[int, tuple[object, bool, str]], scope) -> None:
    """The register's rows of the ``scope`` decisions (a query of their keys) become ``wanted``: rows gone,
    new and changed; its count by day (ExposureDayTally) follows them (scoring.tallies: a delete by its signal)."""
    stored = {
        row.decision_id: row
        for row in PublicExposure.objects.filter(decision__in=scope).only(
            "decision", "jurisdiction", "date", "by_escalation", "methods_key"
        )
    }
    gone = [pk for pk in stored if pk not in wanted]
    for start in range(0, len(gone), 2000):
        PublicExposure.objects.filter(decision__in=gone[start : start + 2000]).delete()
    new = [
        PublicExposure(
            decision_id=pk, jurisdiction=jurisdiction, date=date, by_escalation=by_escalation, methods_key=methods
        )
        for pk, (date, by_escalation, methods) in sorted(wanted.items())
        if pk not in stored
    ]
    PublicExposure.objects.bulk_create(new, batch_size=2000)
    changed, moved_from = [], []
    for pk, (date, by_escalation, methods) in wanted.items():
        row = stored.get(pk)
        if row is not None and (row.date, row.by_escalation, row.methods_key) != (date, by_escalation, methods):
            moved_from.append(exposure_key(row))
            row.date, row.by_escalation, row.methods_key = date, by_escalation, methods
            changed.append(row)
    PublicExposure.objects.bulk_update(changed, ["date", "by_escalation", "methods_key"], batch_size=2000)
    exposure_tally_apply(removed=moved_from, added=[exposure_key(row) for row in (*new, *changed)])


def exposures_from_decisions(jurisdiction: Jurisdiction) -> dict[int, tuple[object, bool, str]]:
    """What the register should hold: every decision of the jurisdiction, the ledger's escalations."""
    escalated = set(
        ConsequenceEntry.objects.filter(jurisdiction=jurisdiction, effect=rules.PUBLIC_EXPOSURE)
        .values("decision_id")
        .annotate(net=Sum("value"))
        .filter(net__gt=0)
        .values_list("decision_id", flat=True)
    )
    facts = Decision.objects.filter(jurisdiction=jurisdiction).values_list("pk", "status", "date", "methods")
    return _exposures_wanted(jurisdiction, facts.iterator(chunk_size=5000), escalated)


def exposures_stored(jurisdiction: Jurisdiction) -> dict[int, tuple[object, bool, str]]:
    rows = PublicExposure.objects.filter(jurisdiction=jurisdiction).values_list(
        "decision_id", "date", "by_escalation", "methods_key"
    )
    return {pk: (date, by_escalation, methods) for pk, date, by_escalation, methods in rows}


@transaction.atomic
def exposures_rebuild(*, jurisdiction: Jurisdiction) -> int:
    """The register from every decision and the ledger (the generator's bulk rows)."""
    PublicExposure.objects.filter(jurisdiction=jurisdiction).delete()
    wanted = exposures_from_decisions(jurisdiction)
    _exposures_apply(jurisdiction, wanted, Decision.objects.none().values("pk"))
    return len(wanted)
