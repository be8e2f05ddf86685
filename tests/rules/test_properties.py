"""Properties of the consequence engine over random scenarios (hypothesis).

Random casts (1–3 units with random 文明单位 levels and optional supervisors, their four role
holders and a few bystanders) and 1–30 random decisions (methods, dates in 2020–2021, statuses,
unit or person subjects, a handful of matters). Whatever the mix, the engine must:

- deduct positive points only (第九条: points are deductions; the output and the trail hold
  only periods and bookings above zero);
- never deduct more than "每次扣除" alone would, and per unit and matter deduct exactly
  max over methods of (times applied × value) — 第九条第（七）项 with interpretation 2;
- ignore exempted and revoked decisions entirely (interpretation 3), and treat a decision under
  appeal exactly like an effective one (第八条第（三）项: 申诉期间不停止执行);
- not depend on the order decisions are given in (interpretation 2: date, then id).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.rules.engine import evaluate
from duban.rules.loader import load_rulebooks
from duban.rules.report import contract_output
from duban.rules.scenario import check_against_rulebooks, parse_scenario

RULEBOOKS = load_rulebooks("zhumadian")
RULEBOOK = RULEBOOKS.latest()
METHODS = list(RULEBOOK.method_names)
ROLES = ("承办人员", "科室负责人", "分管领导", "单位主要领导")
COUNTED = ("effective", "under_appeal")
FIRST_DAY = dt.date(2020, 4, 22)  # 第十一条
LAST_DAY = dt.date(2021, 12, 31)
SUPERVISORS = ("S1", "S2", "S3")

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def points(kind: str, method: str) -> int:
    return RULEBOOK.value(f"consequences.unit_points.{kind}.{method}")


# --- strategies --------------------------------------------------------------------------------


@st.composite
def casts(draw):
    count = draw(st.integers(1, 3))
    units, people = [], [{"id": s, "name": s, "role": "督查"} for s in SUPERVISORS]
    for index in range(1, count + 1):
        unit_id = f"U{index}"
        units.append(
            {
                "id": unit_id,
                "name": unit_id,
                "civilized": draw(st.sampled_from([None, "city", "province", "national"])),
                "liaison_supervisor": draw(st.sampled_from([None, "S2", "S3"])),
                "first_level_supervisor": draw(st.sampled_from([None, "S1"])),
            }
        )
        for k, role in enumerate(ROLES, start=1):
            people.append({"id": f"{unit_id}P{k}", "name": f"{unit_id}{role}", "unit": unit_id, "role": role})
        people.append({"id": f"{unit_id}X", "name": f"{unit_id}科员", "unit": unit_id, "role": "科员"})
    return units, people


@st.composite
def decision(draw, units, people, index):
    unit = draw(st.sampled_from(units))["id"]
    staff = [p["id"] for p in people if p.get("unit") == unit]  # the four role holders, then a 科员
    subject = draw(st.sampled_from(["unit", "person"]))
    return {
        "id": f"D{index:02d}",
        "matter": draw(st.sampled_from(["M1", "M2", "M3"])),
        "date": draw(st.dates(FIRST_DAY, LAST_DAY)).isoformat(),
        "unit": unit,
        "subject": subject,
        "person": draw(st.sampled_from(staff)) if subject == "person" else None,
        # Each role: nobody, its holder, the 科员, or both (so a subject person may be listed in any role).
        "responsible": {
            role: draw(st.sampled_from([[], [staff[k]], [staff[-1]], [staff[k], staff[-1]]]))
            for k, role in enumerate(ROLES)
        },
        "methods": draw(st.lists(st.sampled_from(METHODS), min_size=1, max_size=3, unique=True)),
        "status": draw(st.sampled_from(["effective", "effective", "under_appeal", "exempted", "revoked"])),
        "sanctioned_after_referral": draw(st.booleans()),
    }


@st.composite
def scenarios(draw, min_decisions=1, max_decisions=30):
    units, people = draw(casts())
    count = draw(st.integers(min_decisions, max_decisions))
    decisions = [draw(decision(units, people, i)) for i in range(1, count + 1)]
    return {"units": units, "people": people, "decisions": decisions}


def evaluate_json(raw: dict) -> dict:
    scenario = parse_scenario(json.loads(json.dumps(raw)))
    check_against_rulebooks(scenario, RULEBOOKS)
    return contract_output(scenario, evaluate(scenario, RULEBOOKS))


def without_trail(output: dict) -> dict:
    return {key: value for key, value in output.items() if key != "trail"}


def trail_multiset(output: dict) -> Counter:
    return Counter(json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in output["trail"])


# --- properties --------------------------------------------------------------------------------


@SETTINGS
@given(scenarios())
def test_deductions_are_never_negative(raw):
    output = evaluate_json(raw)
    assert set(output["units"]) == {u["id"] for u in raw["units"]}
    assert set(output["people"]) == {p["id"] for p in raw["people"]}
    for unit in output["units"].values():
        for kind in ("monthly", "annual"):
            assert all(value > 0 for value in unit[kind].values()), unit
    for entry in output["trail"]:
        if entry["effect"] in ("monthly", "annual"):
            assert entry["value"] > 0, entry


@SETTINGS
@given(scenarios())
def test_the_max_rule_never_exceeds_the_sum_and_is_the_max_of_times_value(raw):
    output = evaluate_json(raw)
    counted = [d for d in raw["decisions"] if d["status"] in COUNTED]
    where = {d["id"]: (d["unit"], d["matter"]) for d in raw["decisions"]}
    for kind in ("monthly", "annual"):
        plain = defaultdict(int)  # (unit, matter) -> "每次扣除" summed over decisions and methods
        times = defaultdict(Counter)  # (unit, matter) -> method -> times applied
        for d in counted:
            key = (d["unit"], d["matter"])
            for method in set(d["methods"]):
                plain[key] += points(kind, method)
                times[key][method] += 1
        booked = defaultdict(int)
        for entry in output["trail"]:
            if entry["effect"] == kind:
                assert where[entry["decision"]][0] == entry["who"], entry
                booked[where[entry["decision"]]] += entry["value"]
        for key in set(plain) | set(booked):
            assert booked[key] <= plain[key], (kind, key)
            expected = max((n * points(kind, m) for m, n in times[key].items()), default=0)
            assert booked[key] == expected, (kind, key, dict(times[key]))
        for unit in raw["units"]:
            total = sum(output["units"][unit["id"]][kind].values())
            assert total == sum(v for (u, _), v in booked.items() if u == unit["id"])
            assert total <= sum(v for (u, _), v in plain.items() if u == unit["id"])


@SETTINGS
@given(scenarios(), st.data())
def test_an_exempted_or_revoked_decision_changes_nothing(raw, data):
    before = evaluate_json(raw)
    extra = data.draw(decision(raw["units"], raw["people"], 99))
    extra["status"] = data.draw(st.sampled_from(["exempted", "revoked"]))
    position = data.draw(st.integers(0, len(raw["decisions"])))
    decisions = list(raw["decisions"])
    decisions.insert(position, extra)
    after = evaluate_json({**raw, "decisions": decisions})
    assert without_trail(after) == without_trail(before)
    assert after["trail"] == before["trail"]


@SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_order_of_input_does_not_change_the_result(raw, random):
    before = evaluate_json(raw)
    decisions = list(raw["decisions"])
    random.shuffle(decisions)
    after = evaluate_json({**raw, "decisions": decisions})
    assert without_trail(after) == without_trail(before)
    assert trail_multiset(after) == trail_multiset(before)


@SETTINGS
@given(scenarios())
def test_every_decision_exempted_gives_an_empty_output(raw):
    exempted = {**raw, "decisions": [{**d, "status": "exempted"} for d in raw["decisions"]]}
    output = evaluate_json(exempted)
    for unit in output["units"].values():
        assert unit == {
            "monthly": {},
            "annual": {},
            "award_ineligible": [],
            "public_exposure": [],
            "rectification": [],
            "civilized_title": None,
        }
    for person in output["people"].values():
        assert person == {"bonus": [], "excellent_barred": []}
    assert output["supervisor_interviews"] == [] and output["written_explanations"] == []
    assert output["trail"] == []


@SETTINGS
@given(scenarios())
def test_under_appeal_is_the_same_as_effective(raw):
    swap = {"effective": "under_appeal", "under_appeal": "effective"}
    swapped = {**raw, "decisions": [{**d, "status": swap.get(d["status"], d["status"])} for d in raw["decisions"]]}
    all_effective = {
        **raw,
        "decisions": [
            {**d, "status": "effective" if d["status"] in COUNTED else d["status"]} for d in raw["decisions"]
        ],
    }
    output = evaluate_json(raw)
    assert evaluate_json(swapped) == output
    assert evaluate_json(all_effective) == output
