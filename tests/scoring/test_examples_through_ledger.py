"""The spec's worked examples, stored through the services and booked by ledger_sync, give the same
consequences as `duban rules evaluate` promises (../shared/spec/examples/*.expected.json)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.db.models import Sum

from duban.accountability import services as decisions
from duban.accounts.services import jurisdiction_create, person_create, unit_create, user_create
from duban.scoring.models import ConsequenceEntry

EXAMPLES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "examples"
EXAMPLES = sorted(p for p in EXAMPLES_DIR.glob("*.json") if not p.name.endswith(".expected.json"))

pytestmark = pytest.mark.django_db


def test_the_examples_are_there():
    assert len(EXAMPLES) >= 3, f"expected the shared examples in {EXAMPLES_DIR}"


def store(scenario: dict) -> dict[str, dict]:
    """Create the scenario's units, people and decisions through the services; map ids to rows."""
    actor = user_create(actor=None, username="loader", password="loader-pass-123")
    city = jurisdiction_create(actor=actor, code="zhumadian", name="驻马店市")
    people, units, matters, made = {}, {}, {}, {}
    for p in scenario["people"]:
        if "unit" not in p:  # supervisors first: units point at them
            people[p["id"]] = person_create(actor=actor, jurisdiction=city, name=p["name"], role=p["role"])
    for u in scenario["units"]:
        units[u["id"]] = unit_create(
            actor=actor,
            jurisdiction=city,
            name=u["name"],
            civilized=u.get("civilized") or "none",
            liaison_supervisor=people.get(u.get("liaison_supervisor")),
            first_level_supervisor=people.get(u.get("first_level_supervisor")),
        )
    for p in scenario["people"]:
        if "unit" in p:
            people[p["id"]] = person_create(
                actor=actor, jurisdiction=city, name=p["name"], role=p["role"], unit=units[p["unit"]]
            )
    for d in scenario["decisions"]:
        if d["matter"] not in matters:
            matters[d["matter"]] = decisions.matter_create(
                actor=actor, jurisdiction=city, code=d["matter"], title=f"事项{d['matter']}"
            )
        decision = decisions.decision_create(
            actor=actor,
            jurisdiction=city,
            matter=matters[d["matter"]],
            unit=units[d["unit"]],
            date=dt.date.fromisoformat(d["date"]),
            situation_number=11,
            methods=d["methods"],
            subject=d["subject"],
            person=people.get(d["person"]),
            responsible={role: [people[i] for i in ids] for role, ids in d["responsible"].items()},
        )
        if d["sanctioned_after_referral"]:
            decision = decisions.decision_set_sanction(actor=actor, decision=decision, sanctioned=True)
        if d["status"] in ("under_appeal", "revoked"):
            decision = decisions.decision_appeal(actor=actor, decision=decision, filed_on=decision.date)
        if d["status"] == "revoked":
            decision = decisions.decision_revoke(actor=actor, decision=decision)
        if d["status"] == "exempted":
            decision = decisions.decision_exempt(actor=actor, decision=decision, ground=4)
        made[d["id"]] = decision
    return {"units": units, "people": people, "decisions": made}


def ledger_as_contract(rows: dict[str, dict]) -> dict:
    """The ledger's net consequences, in the shape of the contract output (without the trail)."""
    unit_ids = {u.pk: i for i, u in rows["units"].items()}
    person_ids = {p.pk: i for i, p in rows["people"].items()}
    decision_ids = {d.pk: i for i, d in rows["decisions"].items()}
    units = {
        i: {
            "monthly": {},
            "annual": {},
            "award_ineligible": [],
            "public_exposure": [],
            "rectification": [],
            "civilized_title": None,
        }
        for i in rows["units"]
    }
    people = {i: {"bonus": [], "excellent_barred": []} for i in rows["people"]}
    supervisors = defaultdict(list)
    net = (
        ConsequenceEntry.objects.values("decision_id", "unit_id", "person_id", "effect", "period", "label", "basis")
        .annotate(total=Sum("value"))
        .filter(total__gt=0)
    )
    for row in net:
        effect = row["effect"]
        if row["unit_id"]:
            unit = units[unit_ids[row["unit_id"]]]
            if effect in ("monthly", "annual"):
                unit[effect][row["period"]] = unit[effect].get(row["period"], 0) + row["total"]
            elif effect == "award_ineligible":
                unit[effect].append(row["period"])
            elif effect in ("public_exposure", "rectification"):
                _kind, pk = row["label"].split(":")
                unit[effect].append(decision_ids[int(pk)])
            elif effect == "civilized_title":
                unit[effect] = row["label"]
        elif effect in ("bonus", "excellent_barred"):
            people[person_ids[row["person_id"]]][effect].append(row["period"])
        else:
            key = "supervisor_interviews" if effect == "supervisor_interview" else "written_explanations"
            supervisors[key].append(
                {"person": person_ids[row["person_id"]], "decision": decision_ids[row["decision_id"]]}
            )
    for unit in units.values():
        for field in ("award_ineligible", "public_exposure", "rectification"):
            unit[field] = sorted(set(unit[field]))
    for person in people.values():
        for field in ("bonus", "excellent_barred"):
            person[field] = sorted(set(person[field]))
    return {
        "units": units,
        "people": people,
        "supervisor_interviews": sorted(
            supervisors["supervisor_interviews"], key=lambda x: (x["person"], x["decision"])
        ),
        "written_explanations": sorted(supervisors["written_explanations"], key=lambda x: (x["person"], x["decision"])),
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_through_the_database(example: Path):
    scenario = json.loads(example.read_text(encoding="utf-8"))
    expected = json.loads(example.with_name(example.stem + ".expected.json").read_text(encoding="utf-8"))
    rows = store(scenario)
    assert ledger_as_contract(rows) == expected
