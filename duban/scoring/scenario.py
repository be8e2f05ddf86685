"""Stored decisions as the engine's Scenario, and the engine's ids back to primary keys.

Engine ids are the primary keys with a kind prefix, zero-padded: "U7", "P12", "M3",
"D000000042". The prefix keeps unit and person ids apart (both tables count from 1). The padding
matters for decisions: the engine takes decisions "in order of date, then id" (interpretation 2
of accountability-rules.md) comparing ids as strings, and "D10" < "D9" as strings but
"D000000009" < "D000000010".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from duban.accountability.models import Decision, DecisionResponsible
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.inputs import parse_int
from duban.rules import model as rules

# What the engine reads of a decision (_decision): the notes and the 历史导入 texts stay in the database.
ENGINE_FIELDS = (
    "pk",
    "matter_id",
    "date",
    "unit_id",
    "subject",
    "person_id",
    "methods",
    "status",
    "sanctioned_after_referral",
)

UNIT_PREFIX, PERSON_PREFIX, MATTER_PREFIX, DECISION_PREFIX = "U", "P", "M", "D"


def unit_id(pk: int) -> str:
    return f"{UNIT_PREFIX}{pk}"


def person_id(pk: int) -> str:
    return f"{PERSON_PREFIX}{pk}"


def matter_id(pk: int) -> str:
    return f"{MATTER_PREFIX}{pk}"


def decision_id(pk: int) -> str:
    return f"{DECISION_PREFIX}{pk:09d}"


def parse_id(engine_id: str) -> tuple[str, int]:
    """("unit" | "person" | "matter" | "decision", pk) for an engine id."""
    kinds = {UNIT_PREFIX: "unit", PERSON_PREFIX: "person", MATTER_PREFIX: "matter", DECISION_PREFIX: "decision"}
    kind = kinds.get(engine_id[:1])
    pk = parse_int(engine_id[1:])
    if kind is None or pk is None:
        raise ValueError(f"not an engine id: {engine_id!r}")
    return kind, pk


def scenario_for(jurisdiction: Jurisdiction, *, units: Iterable[int] | None = None) -> rules.Scenario:
    """Every decision of the jurisdiction (whatever its status: the engine skips the ones that
    do not count), with every unit and person they can reach.

    ``units`` (primary keys) narrows it to those units' decisions, the units themselves and the people
    their decisions and supervisors name: what an incremental ledger sync evaluates."""
    decisions_of = Decision.objects.filter(jurisdiction=jurisdiction)
    if units is not None:
        units = list(units)
        decisions_of = decisions_of.filter(unit_id__in=units)
    decisions = list(decisions_of.only(*ENGINE_FIELDS).order_by("date", "pk"))
    responsible: dict[int, dict[str, list[str]]] = defaultdict(dict)
    rows = DecisionResponsible.objects.filter(decision__in=decisions_of.order_by().values("pk")).order_by("pk")
    for row in rows.values("decision_id", "role", "person_id"):
        responsible[row["decision_id"]].setdefault(row["role"], []).append(person_id(row["person_id"]))

    if units is None:
        scope = list(Unit.objects.filter(jurisdiction=jurisdiction))
        person_pks = set(Person.objects.filter(jurisdiction=jurisdiction).values_list("pk", flat=True))
    else:
        scope = list(Unit.objects.filter(pk__in=units))
        person_pks = set()
    unit_pks = {unit.pk for unit in scope}
    scope += list(Unit.objects.filter(pk__in={d.unit_id for d in decisions} - unit_pks))

    for unit in scope:
        person_pks.update(pk for pk in (unit.liaison_supervisor_id, unit.first_level_supervisor_id) if pk)
    person_pks.update(d.person_id for d in decisions if d.person_id)
    for roles in responsible.values():
        person_pks.update(parse_id(pid)[1] for ids in roles.values() for pid in ids)
    people = Person.objects.filter(pk__in=person_pks).order_by("pk")

    return rules.Scenario(
        jurisdiction=jurisdiction.rulebook_code or jurisdiction.code,
        units=tuple(_unit(unit) for unit in scope),
        people=tuple(_person(person) for person in people),
        decisions=tuple(_decision(d, responsible[d.pk]) for d in decisions),
    )


def _unit(unit: Unit) -> rules.Unit:
    return rules.Unit(
        id=unit_id(unit.pk),
        name=unit.name,
        civilized=None if unit.civilized == Unit.Civilized.NONE else unit.civilized,
        liaison_supervisor=person_id(unit.liaison_supervisor_id) if unit.liaison_supervisor_id else None,
        first_level_supervisor=person_id(unit.first_level_supervisor_id) if unit.first_level_supervisor_id else None,
    )


def _person(person: Person) -> rules.Person:
    return rules.Person(
        id=person_id(person.pk),
        name=person.name,
        unit=unit_id(person.unit_id) if person.unit_id else None,
        role=person.role,
    )


def _decision(decision: Decision, responsible: dict[str, list[str]]) -> rules.Decision:
    return rules.Decision(
        id=decision_id(decision.pk),
        matter=matter_id(decision.matter_id),
        date=decision.date,
        unit=unit_id(decision.unit_id),
        subject=decision.subject,
        person=person_id(decision.person_id) if decision.person_id else None,
        responsible={role: tuple(ids) for role, ids in responsible.items()},
        methods=tuple(decision.methods),
        status=decision.status,
        sanctioned_after_referral=decision.sanctioned_after_referral,
    )
