"""`duban rules evaluate` reproduces every worked example in ../shared/spec/examples/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duban.cli import main

EXAMPLES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "examples"
EXAMPLES = sorted(p for p in EXAMPLES_DIR.glob("*.json") if not p.name.endswith(".expected.json"))


def test_the_shared_examples_are_there():
    assert len(EXAMPLES) >= 3, f"expected the shared examples in {EXAMPLES_DIR}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example(example: Path, capsys):
    assert main(["rules", "evaluate", str(example)]) == 0
    output = json.loads(capsys.readouterr().out)
    trail = output.pop("trail")
    expected = json.loads(example.with_name(example.stem + ".expected.json").read_text(encoding="utf-8"))
    assert output == expected
    # Every consequence in the output is explained by a trail entry citing an article.
    explained = {(t["who"], t["effect"]) for t in trail}
    for unit_id, unit in output["units"].items():
        for effect in ("monthly", "annual", "award_ineligible", "public_exposure", "rectification"):
            if unit[effect]:
                assert (unit_id, effect) in explained
    for person_id, person in output["people"].items():
        for effect in ("bonus", "excellent_barred"):
            if person[effect]:
                assert (person_id, effect) in explained
    assert all(t["basis"].startswith("第") for t in trail)


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda s: s["decisions"][0]["methods"].append("通报表扬"), "decisions[0].methods[1]"),
        (lambda s: s["decisions"][1].update(unit="U9"), "decisions[1].unit"),
        (lambda s: s["decisions"][0]["responsible"]["承办人员"].append("P9"), "decisions[0].responsible.承办人员[1]"),
        (lambda s: s["decisions"][0].update(date="2020-02-30"), "decisions[0].date"),
        (lambda s: s["decisions"][0].update(date="2019-01-01"), "decisions[0].date"),
        (lambda s: s["decisions"][0].update(status="pending"), "decisions[0].status"),
        (lambda s: s["decisions"][0].update(subject="person", person=None), "decisions[0].person"),
        (lambda s: s["units"][0].update(civilized="county"), "units[0].civilized"),
        (lambda s: s.pop("people"), "people"),
    ],
)
def test_bad_scenario_exits_2_naming_the_field(tmp_path, capsys, mutate, field):
    scenario = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    mutate(scenario)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and field in captured.err, captured.err


def test_unreadable_scenario_exits_2(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["rules", "evaluate", str(tmp_path / "missing.json")]) == 2


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_an_expected_output_file_checks_its_scenario(example: Path, capsys):
    expected = example.with_name(example.stem + ".expected.json")
    assert main(["rules", "evaluate", str(expected)]) == 0
    output = json.loads(capsys.readouterr().out)
    output.pop("trail")
    assert output == json.loads(expected.read_text(encoding="utf-8"))


def test_an_expected_output_that_differs_exits_1(tmp_path, capsys):
    scenario = EXAMPLES[0]
    (tmp_path / scenario.name).write_text(scenario.read_text(encoding="utf-8"), encoding="utf-8")
    wrong = json.loads(scenario.with_name(scenario.stem + ".expected.json").read_text(encoding="utf-8"))
    wrong["units"]["U1"]["annual"] = {"2020": 99}
    path = tmp_path / (scenario.stem + ".expected.json")
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 1
    assert "units differ" in capsys.readouterr().err


def test_an_expected_output_without_its_scenario_exits_2(tmp_path, capsys):
    path = tmp_path / "lonely.expected.json"
    path.write_text(json.dumps({"units": {}, "people": {}}), encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 2
    assert "lonely.json" in capsys.readouterr().err
