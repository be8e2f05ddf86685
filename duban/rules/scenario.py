"""Read a `duban rules evaluate` scenario (../shared/spec/accountability-rules.md) strictly.

Every problem names the offending field, e.g. ``decisions[1].methods[0]: unknown method '通报表扬'``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from duban.errors import InputError
from duban.inputs import EARLIEST_DATE, EARLIEST_YEAR, LATEST_DATE, LATEST_YEAR
from duban.rules.loader import RulebookError, RulebookSet
from duban.rules.model import (
    CIVILIZED_LEVELS,
    STATUSES,
    SUBJECT_PERSON,
    SUBJECT_UNIT,
    Decision,
    Person,
    Scenario,
    Unit,
)


class ScenarioError(InputError):
    def __init__(self, field: str, problem: str):
        self.field = field
        super().__init__(f"{field}: {problem}")


def parse_scenario(raw: Any, *, default_jurisdiction: str = "zhumadian") -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError("scenario", "must be a JSON object with units, people and decisions")
    units = tuple(_unit(item, f"units[{i}]") for i, item in enumerate(_list(raw, "units")))
    people = tuple(_person(item, f"people[{i}]") for i, item in enumerate(_list(raw, "people")))
    decisions = tuple(_decision(item, f"decisions[{i}]") for i, item in enumerate(_list(raw, "decisions")))
    jurisdiction = raw.get("jurisdiction", default_jurisdiction)
    if not isinstance(jurisdiction, str) or not jurisdiction:
        raise ScenarioError("jurisdiction", "must be a jurisdiction code such as 'zhumadian'")
    scenario = Scenario(units=units, people=people, decisions=decisions, jurisdiction=jurisdiction)
    _check_references(scenario)
    return scenario


def check_against_rulebooks(scenario: Scenario, rulebooks: RulebookSet) -> None:
    """Methods and roles must be the ones of the rulebook in force on each decision's date."""
    for index, decision in enumerate(scenario.decisions):
        where = f"decisions[{index}]"
        try:
            rulebook = rulebooks.in_force(decision.date)
        except RulebookError:
            raise ScenarioError(
                f"{where}.date", f"no rulebook of '{rulebooks.jurisdiction}' in force on {decision.date}"
            ) from None
        for m_index, method in enumerate(decision.methods):
            if method not in rulebook.method_names:
                raise ScenarioError(
                    f"{where}.methods[{m_index}]", f"unknown method '{method}' (rulebook {rulebook.id})"
                )
        for role in decision.responsible:
            if role not in rulebook.role_names:
                raise ScenarioError(f"{where}.responsible.{role}", f"unknown role '{role}' (rulebook {rulebook.id})")


# --- pieces -------------------------------------------------------------------------------------


def _list(raw: Mapping[str, Any], key: str) -> list[Any]:
    if key not in raw:
        raise ScenarioError(key, "missing")
    items = raw[key]
    if not isinstance(items, list):
        raise ScenarioError(key, "must be a list")
    return items


def _obj(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ScenarioError(where, "must be an object")
    return item


def _id(item: Mapping[str, Any], where: str, key: str = "id") -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise ScenarioError(f"{where}.{key}", "missing or not a string id")
    return value


def _optional_id(item: Mapping[str, Any], where: str, key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ScenarioError(f"{where}.{key}", "must be an id or null")
    return value


def _unit(item: Any, where: str) -> Unit:
    item = _obj(item, where)
    civilized = item.get("civilized")
    if civilized not in CIVILIZED_LEVELS:
        raise ScenarioError(f"{where}.civilized", f"must be null, 'city', 'province' or 'national', not {civilized!r}")
    return Unit(
        id=_id(item, where),
        name=str(item.get("name") or ""),
        civilized=civilized,
        liaison_supervisor=_optional_id(item, where, "liaison_supervisor"),
        first_level_supervisor=_optional_id(item, where, "first_level_supervisor"),
    )


def _person(item: Any, where: str) -> Person:
    item = _obj(item, where)
    role = item.get("role")
    if role is not None and not isinstance(role, str):
        raise ScenarioError(f"{where}.role", "must be a string")
    return Person(
        id=_id(item, where), name=str(item.get("name") or ""), unit=_optional_id(item, where, "unit"), role=role
    )


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise ScenarioError(where, f"bad date {value!r} (expected YYYY-MM-DD)")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(where, f"bad date {value!r} (expected YYYY-MM-DD)") from None
    if len(value) != 10:
        raise ScenarioError(where, f"bad date {value!r} (expected YYYY-MM-DD)")
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise ScenarioError(where, f"date {value} is not in the years {EARLIEST_YEAR}..{LATEST_YEAR}")
    return parsed


def _decision(item: Any, where: str) -> Decision:
    item = _obj(item, where)
    subject = item.get("subject")
    if subject not in (SUBJECT_UNIT, SUBJECT_PERSON):
        raise ScenarioError(f"{where}.subject", f"must be 'unit' or 'person', not {subject!r}")
    person = _optional_id(item, where, "person")
    if subject == SUBJECT_PERSON and person is None:
        raise ScenarioError(f"{where}.person", "missing: the subject is a person")
    status = item.get("status", "effective")
    if status not in STATUSES:
        raise ScenarioError(f"{where}.status", f"must be one of {', '.join(STATUSES)}, not {status!r}")
    methods = item.get("methods")
    if not isinstance(methods, list) or not methods or not all(isinstance(m, str) for m in methods):
        raise ScenarioError(f"{where}.methods", "must be a non-empty list of method names")
    sanctioned = item.get("sanctioned_after_referral", False)
    if not isinstance(sanctioned, bool):
        raise ScenarioError(f"{where}.sanctioned_after_referral", "must be true or false")
    matter = item.get("matter")
    if not isinstance(matter, (str, int)) or isinstance(matter, bool) or matter == "":
        raise ScenarioError(f"{where}.matter", "missing matter id")
    return Decision(
        id=_id(item, where),
        matter=str(matter),
        date=_date(item.get("date"), f"{where}.date"),
        unit=_id(item, where, "unit"),
        subject=subject,
        person=person,
        responsible=_responsible(item.get("responsible", {}), f"{where}.responsible"),
        methods=tuple(methods),
        status=status,
        sanctioned_after_referral=sanctioned,
    )


def _responsible(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError(where, "must be an object of role → person ids")
    result: dict[str, tuple[str, ...]] = {}
    for role, ids in raw.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ScenarioError(f"{where}.{role}", "must be a list of person ids")
        result[role] = tuple(ids)
    return result


def _check_references(scenario: Scenario) -> None:
    unit_ids = _unique([u.id for u in scenario.units], "units")
    person_ids = _unique([p.id for p in scenario.people], "people")
    for i, person in enumerate(scenario.people):
        if person.unit is not None and person.unit not in unit_ids:
            raise ScenarioError(f"people[{i}].unit", f"undefined unit '{person.unit}'")
    for i, unit in enumerate(scenario.units):
        for key in ("liaison_supervisor", "first_level_supervisor"):
            ref = getattr(unit, key)
            if ref is not None and ref not in person_ids:
                raise ScenarioError(f"units[{i}].{key}", f"undefined person '{ref}'")
    _unique([d.id for d in scenario.decisions], "decisions")
    for i, decision in enumerate(scenario.decisions):
        if decision.unit not in unit_ids:
            raise ScenarioError(f"decisions[{i}].unit", f"undefined unit '{decision.unit}'")
        if decision.person is not None and decision.person not in person_ids:
            raise ScenarioError(f"decisions[{i}].person", f"undefined person '{decision.person}'")
        for role, ids in decision.responsible.items():
            for k, pid in enumerate(ids):
                if pid not in person_ids:
                    raise ScenarioError(f"decisions[{i}].responsible.{role}[{k}]", f"undefined person '{pid}'")


def _unique(ids: list[str], key: str) -> set[str]:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            raise ScenarioError(f"{key}[{index}].id", f"duplicate id '{value}'")
        seen.add(value)
    return seen
