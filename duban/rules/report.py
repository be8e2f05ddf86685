"""The consequences as the `duban rules evaluate` contract prints them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from duban.rules.model import (
    AWARD_INELIGIBLE,
    BONUS,
    CIVILIZED_TITLE,
    EXCELLENT_BARRED,
    PUBLIC_EXPOSURE,
    RECTIFICATION,
    SUPERVISOR_INTERVIEW,
    UNIT_ANNUAL,
    UNIT_MONTHLY,
    WRITTEN_EXPLANATION,
    Result,
    Scenario,
)

# Where one 文明单位 unit gets several actions, the stronger one stands. Looked up by a
# civilized_title consequence's value (typed as Consequence.value), which is one of these labels.
CIVILIZED_SEVERITY: dict[int | str | None, int] = {"rectify_or_revoke": 1, "refer_to_superior": 2}
TRAIL_FIELDS = ("decision", "who", "effect", "period", "value", "basis", "parameter", "rulebook", "note")


def contract_output(scenario: Scenario, result: Result) -> dict[str, Any]:
    # The contract's JSON objects, built in place: a field holds a table or a set while the
    # consequences add up, then what the contract prints (sorted lists); its type changes on the way.
    units: dict[str, dict[str, Any]] = {
        unit.id: {
            "monthly": {},
            "annual": {},
            "award_ineligible": set(),
            "public_exposure": set(),
            "rectification": set(),
            "civilized_title": None,
        }
        for unit in scenario.units
    }
    people: dict[str, dict[str, Any]] = {
        person.id: {"bonus": set(), "excellent_barred": set()} for person in scenario.people
    }
    interviews: set[tuple[str, str]] = set()
    explanations: set[tuple[str, str]] = set()
    for c in result.consequences:
        if c.effect in (UNIT_MONTHLY, UNIT_ANNUAL):
            table = units[c.who][c.effect]
            table[c.period] = table.get(c.period, 0) + c.value
        elif c.effect == AWARD_INELIGIBLE:
            units[c.who]["award_ineligible"].add(c.period)
        elif c.effect in (PUBLIC_EXPOSURE, RECTIFICATION):
            units[c.who][c.effect].add(c.value)
        elif c.effect == CIVILIZED_TITLE:
            current = units[c.who]["civilized_title"]
            if current is None or CIVILIZED_SEVERITY[c.value] > CIVILIZED_SEVERITY[current]:
                units[c.who]["civilized_title"] = c.value
        elif c.effect in (BONUS, EXCELLENT_BARRED):
            people[c.who][c.effect].add(c.period)
        elif c.effect == SUPERVISOR_INTERVIEW:
            interviews.add((c.who, c.decision))
        elif c.effect == WRITTEN_EXPLANATION:
            explanations.add((c.who, c.decision))
    for unit in units.values():
        for kind in ("monthly", "annual"):
            unit[kind] = {period: _number(points) for period, points in sorted(unit[kind].items()) if points > 0}
        for key in ("award_ineligible", "public_exposure", "rectification"):
            unit[key] = sorted(unit[key])
    for person in people.values():
        for key in ("bonus", "excellent_barred"):
            person[key] = sorted(person[key])
    return {
        "units": units,
        "people": people,
        "supervisor_interviews": [{"person": p, "decision": d} for p, d in sorted(interviews)],
        "written_explanations": [{"person": p, "decision": d} for p, d in sorted(explanations)],
        "trail": [{key: asdict(c)[key] for key in TRAIL_FIELDS} for c in result.consequences],
    }


def _number(points: float) -> int | float:
    return int(points) if float(points).is_integer() else points
