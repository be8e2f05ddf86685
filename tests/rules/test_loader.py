"""Loading rulebooks: broken ones are refused naming file, key and problem; good ones load.

Broken rulebooks are fixtures under ``broken/<case>/<jurisdiction>/<version>…``; most start with
``extends: zhumadian/2020-04-22`` and override one thing. ``fixtures/xiping`` is a valid county
rulebook in two versions (西平县 adopting the city's 办法, then changing 通报批评 to 8/4 points).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from duban import RULEBOOKS_DIR
from duban.cli import main
from duban.rules.engine import evaluate
from duban.rules.loader import RulebookError, load_rulebooks
from duban.rules.report import contract_output
from duban.rules.scenario import check_against_rulebooks, parse_scenario

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
FIXTURES = HERE / "fixtures"

# case: (jurisdiction, the file to blame relative to the case folder, key, words of the problem)
BROKEN_CASES = {
    "missing-value": ("zhumadian", "zhumadian/2020-04-22.yaml", "appeal.window_days.value", "missing value"),
    "value-without-reference": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "scoring.quarterly_base_points.reference",
        "missing article reference",
    ),
    "unknown-method-in-unit-points": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.unit_points.monthly.通报表扬",
        "unknown method '通报表扬'",
    ),
    "unknown-method-in-rule": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].methods",
        "unknown method '通报表扬'",
    ),
    "unknown-rule-kind": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].rule",
        "unknown rule 'deduct_salary'",
    ),
    "unknown-role-in-rule": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].roles.科员",
        "unknown role '科员'",
    ),
    "undeclared-effect": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].roles.承办人员",
        "unknown effect 'salary_cut' (not in effects)",
    ),
    "effect-on-the-wrong-subject": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].roles.单位主要领导",
        "effect 'award_ineligible' falls on unit and carries none: this rule books effects on person carrying none",
    ),
    "effect-with-unknown-period": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "effects[0].period",
        "unknown period 'week'",
    ),
    "unknown-role-for-subject-person": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.person_subject_role.value",
        "unknown role '科员'",
    ),
    "bad-date": ("zhumadian", "zhumadian/2020-04-22.yaml", "effective_until.value", "bad date '2020-02-30'"),
    "ends-before-it-starts": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "effective_until.value",
        "ends before it starts",
    ),
    "unknown-key": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "appeal.window_day",
        "unknown keys appeal.window_day, bonus_rules",
    ),
    "extends-cycle": ("loop", "loop/2020-06-01.yaml", "extends", "extends back to itself"),
    "overlapping-versions": (
        "xiping",
        "xiping/2021-01-01.yaml",
        "effective_from",
        "overlaps version xiping/2020-04-22",
    ),
    "version-name-mismatch": (
        "zhumadian",
        "zhumadian/2020-05-01/rulebook.yaml",
        "effective_from.value",
        "does not match the version name '2020-05-01'",
    ),
    "missing-situation-text": ("zhumadian", "zhumadian/2020-04-22.yaml", "situations[1].text", "missing value"),
    "negative-points": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.unit_points.annual.工作约谈.value",
        "must be a number ≥ 0, not '-15'",
    ),
    "fractional-threshold": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].threshold.value",
        "whole number ≥ 1, not '1.5'",
    ),
    "boolean-threshold": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "consequences.rules[0].threshold.value",
        "whole number ≥ 1, not 'True'",
    ),
    "invalid-yaml": ("zhumadian", "zhumadian/2020-04-22.yaml", "", "not valid YAML"),
    "step-actor-no-role-can-be": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "procedure.steps[1].actor.role",
        "no role can be '市长'",
    ),
    "step-actor-of-unit-without-unit-field": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "procedure.steps[1].actor.of",
        "a unit names no '总督查' of its own",
    ),
    "unknown-referral-route": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "referral.routes.press",
        "unknown route 'press'",
    ),
    "case-hidden-from-the-office": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "procedure.visible_to.opinions.value",
        "'office' must read every part of a case",
    ),
    "appeal-suspends-but-still-counted": (
        "zhumadian",
        "zhumadian/2020-04-22.yaml",
        "appeal.suspends_decision.value",
        "counts 'under_appeal'",
    ),
    "duplicate-key-across-files": (
        "zhumadian",
        "zhumadian/2020-04-22/b-appeal-again.yaml",
        "appeal",
        "already defined in",
    ),
}


def test_every_broken_fixture_has_a_case():
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(BROKEN_CASES)


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_broken_rulebook_is_refused_naming_file_key_and_problem(case):
    jurisdiction, blamed, key, problem = BROKEN_CASES[case]
    root = BROKEN / case
    with pytest.raises(RulebookError) as refused:
        load_rulebooks(jurisdiction, root=root, search=(RULEBOOKS_DIR,))
    error = refused.value
    assert Path(error.file).resolve() == (root / blamed).resolve(), str(error)
    assert error.key == key, str(error)
    assert problem in error.problem, str(error)
    message = str(error)
    assert error.file in message and key in message and problem in message, message


def test_invalid_yaml_says_where_in_the_file():
    with pytest.raises(RulebookError) as refused:
        load_rulebooks("zhumadian", root=BROKEN / "invalid-yaml", search=(RULEBOOKS_DIR,))
    assert "line 3" in str(refused.value) or "line 4" in str(refused.value)


def test_duplicate_key_names_both_files():
    with pytest.raises(RulebookError) as refused:
        load_rulebooks("zhumadian", root=BROKEN / "duplicate-key-across-files", search=(RULEBOOKS_DIR,))
    assert "a-appeal.yaml" in refused.value.problem


def test_broken_check_exits_2(capsys):
    assert main(["rules", "check", "--rulebooks", str(BROKEN / "negative-points"), "zhumadian"]) == 2
    err = capsys.readouterr().err
    assert "negative-points" in err and "consequences.unit_points.annual.工作约谈.value" in err


# --- the real rulebook --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zhumadian():
    return load_rulebooks("zhumadian")


def test_the_real_rulebook_loads_with_the_办法s_structure(zhumadian):
    assert [v.id for v in zhumadian.versions] == ["zhumadian/2020-04-22"]
    rulebook = zhumadian.latest()
    assert rulebook.effective_from == dt.date(2020, 4, 22) and rulebook.effective_until is None  # 第十一条
    # 第五条: seven methods, in the article's order.
    assert list(rulebook.method_names) == [
        "问题通报",
        "通报批评",
        "责令作出书面检查",
        "公开曝光",
        "工作约谈",
        "建议组织部门处理",
        "建议纪检监察机关处理",
    ]
    # 第三条: four roles.
    assert list(rulebook.role_names) == ["承办人员", "科室负责人", "分管领导", "单位主要领导"]
    # 第六条: 22 situations in four groups (7 不作为, 6 慢作为, 5 乱作为, 4 其他), numbered 1–22.
    situations = rulebook.situations
    assert [s["number"] for s in situations] == list(range(1, 23))
    assert [g["number"] for g in rulebook.data["groups"]] == [1, 2, 3, 4]
    per_group = {g: sum(1 for s in situations if s["group"] == g) for g in (1, 2, 3, 4)}
    assert per_group == {1: 7, 2: 6, 3: 5, 4: 4}
    assert all(s["text"] for s in situations)
    # 第七条: four exemption grounds; 第八条第（三）项: 15 days to appeal, not suspending the decision.
    assert len(rulebook.exemptions) == 4
    assert rulebook.value("appeal.window_days") == 15
    assert rulebook.value("appeal.suspends_decision") is False


def _values(node: Any, path: str = ""):
    if isinstance(node, dict):
        if "value" in node:
            yield path, node
        for key, child in node.items():
            yield from _values(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _values(child, f"{path}[{index}]")


def test_every_value_of_the_real_rulebook_cites_an_article(zhumadian):
    values = list(_values(zhumadian.latest().data))
    assert len(values) > 30
    for path, node in values:
        reference = node.get("reference")
        assert isinstance(reference, str) and reference.startswith("第"), f"{path}: {reference!r}"


def test_every_file_of_the_real_rulebook_is_used():
    folder = RULEBOOKS_DIR / "zhumadian" / "2020-04-22"
    rulebook = load_rulebooks("zhumadian").latest()
    used = {Path(source).name for source in rulebook.sources.values()}
    assert used == {p.name for p in folder.glob("*.yaml")}


def test_the_real_rulebook_is_in_force_from_2020_04_22_only(zhumadian):
    assert zhumadian.in_force(dt.date(2020, 4, 22)).id == "zhumadian/2020-04-22"
    assert zhumadian.in_force(dt.date(2031, 1, 1)).id == "zhumadian/2020-04-22"
    with pytest.raises(RulebookError, match="no version in force on 2020-04-21"):
        zhumadian.in_force(dt.date(2020, 4, 21))


# --- a valid jurisdiction in two versions -------------------------------------------------------


@pytest.fixture(scope="module")
def xiping():
    return load_rulebooks("xiping", root=FIXTURES, search=(RULEBOOKS_DIR,))


def test_two_versions_each_in_force_in_its_own_period(xiping):
    assert [v.id for v in xiping.versions] == ["xiping/2020-04-22", "xiping/2021-01-01"]
    assert xiping.in_force(dt.date(2020, 4, 22)).id == "xiping/2020-04-22"
    assert xiping.in_force(dt.date(2020, 12, 31)).id == "xiping/2020-04-22"
    assert xiping.in_force(dt.date(2021, 1, 1)).id == "xiping/2021-01-01"
    assert xiping.in_force(dt.date(2025, 6, 1)).id == "xiping/2021-01-01"
    with pytest.raises(RulebookError):
        xiping.in_force(dt.date(2020, 4, 21))
    first, second = xiping.versions
    assert first.value("consequences.unit_points.monthly.通报批评") == 10
    assert second.value("consequences.unit_points.monthly.通报批评") == 8
    assert second.value("consequences.unit_points.annual.通报批评") == 4
    # Mappings merge key by key: the rest of the city's table and rules are inherited.
    assert second.value("consequences.unit_points.monthly.工作约谈") == 30
    assert second.param("consequences.unit_points.monthly.通报批评").reference == "第九条第（二）项"
    assert len(second.rules) == len(first.rules) == len(load_rulebooks("zhumadian").latest().rules)
    assert second.data["jurisdiction"]["code"] == "xiping"


def _evaluate(rulebooks, build_scenario, decisions: list[dict]) -> dict:
    raw = build_scenario({"decisions": decisions})
    raw["jurisdiction"] = rulebooks.jurisdiction
    scenario = parse_scenario(raw)
    check_against_rulebooks(scenario, rulebooks)
    return contract_output(scenario, evaluate(scenario, rulebooks))


def test_the_engine_applies_the_version_in_force_on_each_decisions_date(xiping, build_scenario):
    output = _evaluate(
        xiping,
        build_scenario,
        [
            {"date": "2020-12-31", "methods": ["通报批评"], "matter": "M1"},
            {"date": "2021-01-01", "methods": ["通报批评"], "matter": "M2"},
            {"date": "2021-02-01", "methods": ["工作约谈"], "matter": "M3"},
        ],
    )
    assert output["units"]["U1"]["monthly"] == {"2020-12": 10, "2021-01": 8, "2021-02": 30}
    assert output["units"]["U1"]["annual"] == {"2020": 5, "2021": 19}
    by_decision = {(t["decision"], t["effect"]): t for t in output["trail"]}
    assert by_decision[("D1", "monthly")]["rulebook"] == "xiping/2020-04-22"
    assert by_decision[("D2", "monthly")]["rulebook"] == "xiping/2021-01-01"
    assert by_decision[("D2", "monthly")]["parameter"] == "consequences.unit_points.monthly.通报批评"


def test_a_matter_spanning_two_versions_counts_its_history(xiping, build_scenario):
    # Same matter: 10 under the first version, then 8 more under the second ("每次扣除", max of
    # the accumulated points); the unit's 2nd 通报批评 still charges the 科室负责人.
    output = _evaluate(
        xiping,
        build_scenario,
        [
            {"date": "2020-11-10", "methods": ["通报批评"]},
            {"date": "2021-03-10", "methods": ["通报批评"]},
        ],
    )
    assert output["units"]["U1"]["monthly"] == {"2020-11": 10, "2021-03": 8}
    assert output["units"]["U1"]["annual"] == {"2020": 5, "2021": 4}
    assert output["people"]["P2"]["bonus"] == ["2021-03"]


def test_the_same_decisions_under_the_city_rulebook_cost_10(zhumadian, build_scenario):
    output = _evaluate(zhumadian, build_scenario, [{"date": "2021-01-01", "methods": ["通报批评"]}])
    assert output["units"]["U1"]["monthly"] == {"2021-01": 10}


def test_check_lists_both_versions(capsys):
    assert main(["rules", "check", "--rulebooks", str(FIXTURES), "xiping"]) == 0
    out = capsys.readouterr().out
    assert "xiping/2020-04-22" in out and "2020-12-31" in out and "xiping/2021-01-01" in out


def test_the_cli_evaluates_a_scenario_against_the_county_versions(tmp_path, capsys, build_scenario):
    raw = build_scenario({"decisions": [{"date": "2021-05-05", "methods": ["通报批评"]}]})
    raw["jurisdiction"] = "xiping"
    path = tmp_path / "county.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert main(["rules", "evaluate", "--rulebooks", str(FIXTURES), str(path)]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["units"]["U1"]["monthly"] == {"2021-05": 8}


def test_broken_fixtures_are_broken_for_their_stated_reason_only():
    """Every fixture but invalid-yaml is well-formed YAML, so each fails for its own reason."""
    for path in BROKEN.rglob("*"):
        if path.is_file():
            assert path.suffix == ".yaml", path
            if "invalid-yaml" not in path.parts:
                yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_extends_follows_a_chain_down_to_the_city():
    """A county's second version extends its first, which extends the city's 办法."""
    rulebooks = load_rulebooks("chain", HERE / "fixtures-chain")
    first, second = rulebooks.versions
    assert first.value("consequences.unit_points.monthly.通报批评") == 10
    assert second.value("consequences.unit_points.monthly.通报批评") == 6
    assert second.value("consequences.unit_points.annual.通报批评") == 5  # inherited from the city
    assert len(second.situations) == 22 and second.value("appeal.window_days") == 15
    assert rulebooks.in_force(dt.date(2021, 3, 1)) is second
