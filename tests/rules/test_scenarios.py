"""YAML rule scenarios: one file per article or clause, each named as a sentence.

A file gives ``decisions`` (on the standing cast of conftest.py) and ``expect``: for each
unit or person named, the listed fields must equal the engine's output exactly; a person or unit
listed under ``expect.untouched`` must have no consequence at all. Every consequence must carry
a trail entry citing an article.

Optional, for what the output alone cannot show:

- ``expect.trail``: entries that must each match some trail entry on the fields they give
  (e.g. ``{decision: D2, who: P2, effect: bonus, basis: 第九条第（二）项}``);
- ``expect.no_trail_for``: decision ids that must leave no trail at all (容错免责, revoked, …);
- ``expect.refused``: the scenario must be refused (exit 2 for the CLI) with a message naming
  this field, e.g. ``decisions[0].date``; nothing else is then checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from duban.errors import InputError
from duban.rules.engine import evaluate
from duban.rules.loader import load_rulebooks
from duban.rules.report import contract_output
from duban.rules.scenario import check_against_rulebooks, parse_scenario

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
EMPTY_UNIT = {
    "monthly": {},
    "annual": {},
    "award_ineligible": [],
    "public_exposure": [],
    "rectification": [],
    "civilized_title": None,
}
EMPTY_PERSON = {"bonus": [], "excellent_barred": []}
EXPECT_KEYS = {
    "units",
    "people",
    "supervisor_interviews",
    "written_explanations",
    "untouched",
    "trail",
    "no_trail_for",
    "refused",
}


@pytest.fixture(scope="module")
def rulebooks():
    return load_rulebooks("zhumadian")


def run(spec: dict, rulebooks, build_scenario) -> dict:
    scenario = parse_scenario(build_scenario(spec))
    check_against_rulebooks(scenario, rulebooks)
    return contract_output(scenario, evaluate(scenario, rulebooks))


def _stringify(value):
    """YAML reads 2020 as a number and 2020-05 as a string; the contract's periods are strings."""
    if isinstance(value, dict):
        return {str(k): _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value > 1900:
        return str(value)
    return value


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path, rulebooks, build_scenario):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert spec.get("article"), f"{path.name}: say which article the scenario tests"
    expect = spec["expect"]
    assert not set(expect) - EXPECT_KEYS, f"{path.name}: unknown expect keys {sorted(set(expect) - EXPECT_KEYS)}"
    if "refused" in expect:
        with pytest.raises(InputError) as refused:
            run(spec, rulebooks, build_scenario)
        assert expect["refused"] in str(refused.value), str(refused.value)
        return
    output = run(spec, rulebooks, build_scenario)
    for unit_id, fields in (expect.get("units") or {}).items():
        for key, value in fields.items():
            expected = value if key in ("monthly", "annual") else _stringify(value)
            if key in ("monthly", "annual"):
                expected = {str(k): v for k, v in value.items()}
            assert output["units"][unit_id][key] == expected, f"{unit_id}.{key}"
    for person_id, fields in (expect.get("people") or {}).items():
        for key, value in fields.items():
            assert output["people"][person_id][key] == _stringify(value), f"{person_id}.{key}"
    for key in ("supervisor_interviews", "written_explanations"):
        if key in expect:
            assert output[key] == expect[key], key
    for who in expect.get("untouched", []):
        table = output["units"] if who in output["units"] else output["people"]
        assert table[who] == (EMPTY_UNIT if table is output["units"] else EMPTY_PERSON), f"{who} should be untouched"
    for wanted in expect.get("trail", []):
        wanted = {key: (str(value) if key == "period" else value) for key, value in wanted.items()}
        assert any(all(entry.get(k) == v for k, v in wanted.items()) for entry in output["trail"]), (
            f"no trail entry matches {wanted}"
        )
    for decision_id in expect.get("no_trail_for", []):
        assert not [entry for entry in output["trail"] if entry["decision"] == decision_id], (
            f"{decision_id} left a trail"
        )
    for entry in output["trail"]:
        assert entry["basis"].startswith("第") and "条" in entry["basis"], entry
        assert entry["parameter"], entry
        if entry["effect"] in ("monthly", "annual"):
            assert entry["value"] > 0, entry
