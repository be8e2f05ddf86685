"""The standing cast of the YAML rule scenarios, so each scenario file states only what matters.

One unit, 市城管局 (U1, a city-level 文明单位), its four accountable people (P1 承办人员,
P2 科室负责人, P3 分管领导, P4 单位主要领导), its 二级督查 S2 and 一级督查 S1. A scenario may add
units or people or override any field.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

CAST_UNITS = [
    {"id": "U1", "name": "市城管局", "civilized": "city", "liaison_supervisor": "S2", "first_level_supervisor": "S1"},
]
CAST_PEOPLE = [
    {"id": "S1", "name": "一级督查甲", "role": "一级督查"},
    {"id": "S2", "name": "二级督查乙", "role": "二级督查"},
    {"id": "P1", "name": "承办人丙", "unit": "U1", "role": "承办人员"},
    {"id": "P2", "name": "科长丁", "unit": "U1", "role": "科室负责人"},
    {"id": "P3", "name": "副局长戊", "unit": "U1", "role": "分管领导"},
    {"id": "P4", "name": "局长己", "unit": "U1", "role": "单位主要领导"},
]
ROLE_OF = {"P1": "承办人员", "P2": "科室负责人", "P3": "分管领导", "P4": "单位主要领导"}
DEFAULT_RESPONSIBLE = {"承办人员": ["P1"], "科室负责人": ["P2"], "分管领导": ["P3"], "单位主要领导": ["P4"]}


def scenario_json(spec: dict[str, Any]) -> dict[str, Any]:
    """Turn a scenario file's ``units``/``people``/``decisions`` into the contract's scenario JSON."""
    units = _merge_by_id(CAST_UNITS, spec.get("units", []))
    people = _merge_by_id(CAST_PEOPLE, spec.get("people", []))
    decisions = []
    for index, given in enumerate(spec["decisions"]):
        decision = {
            "id": f"D{index + 1}",
            "matter": "M1",
            "unit": "U1",
            "subject": "unit",
            "person": None,
            "responsible": copy.deepcopy(DEFAULT_RESPONSIBLE),
            "status": "effective",
            "sanctioned_after_referral": False,
        }
        decision.update(copy.deepcopy(given))
        if isinstance(decision.get("date"), dt.date):
            decision["date"] = decision["date"].isoformat()
        if decision["subject"] == "person" and "person" not in given:
            raise ValueError(f"decision {decision['id']}: subject person needs `person`")
        decisions.append(decision)
    return {"units": units, "people": people, "decisions": decisions}


def _merge_by_id(base: list[dict], extra: list[dict]) -> list[dict]:
    merged = {item["id"]: dict(item) for item in copy.deepcopy(base)}
    for item in extra:
        merged.setdefault(item["id"], {}).update(item)
    return list(merged.values())


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def build_scenario():
    return scenario_json
