"""The regulation's facts the case pages act on come from the rulebook, not from code: who acts at a
step, where a return goes, which methods oblige rectification or hand a decision on and to whom,
whether methods combine — a city whose rulebook says otherwise gets other behaviour, no code changed."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from accountability_cast import open_ready_case, run_chain
from django.core.exceptions import ValidationError

from duban import RULEBOOKS_DIR
from duban.accountability import selectors
from duban.accountability.procedure import case_chain
from duban.accountability.rulebooks import check_rulebook_actors, rulebooks_recheck
from duban.accountability.services import case_return, decision_create
from tests.factories import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def rulebooks(settings, tmp_path):
    """A copy of the real rulebooks the test may change (the site reads DUBAN_RULEBOOKS_DIR)."""
    root = tmp_path / "rulebooks"
    shutil.copytree(RULEBOOKS_DIR, root)
    settings.DUBAN_RULEBOOKS_DIR = str(root)

    def amend(jurisdiction: str, version: str, file: str, old: str, new: str) -> None:
        path = root / jurisdiction / version / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        rulebooks_recheck()  # read back at once, not within the second a running site takes to see it

    return amend


def test_the_unit_names_its_own_supervisor_for_the_steps_of_its_supervisors(cast):
    chain = case_chain(open_ready_case(cast))
    assert [(s.role, s.unit_field) for s in chain] == [
        ("督查室", ""),
        ("二级督查", "liaison_supervisor"),
        ("一级督查", "first_level_supervisor"),
        ("副总督查", ""),
        ("总督查", ""),
        ("督查落实委员会", ""),
    ]


def test_where_the_rulebook_says_so_a_return_goes_back_to_the_first_step(cast, rulebooks):
    rulebooks(
        "zhumadian", "2020-04-22", "procedure.yaml",
        "rejection_returns_to_previous_step:\n    value: true", "rejection_returns_to_previous_step:\n    value: false",
    )  # fmt: skip
    case = run_chain(cast, open_ready_case(cast), until=3)  # at 副总督查
    case = case_return(actor=cast.users["fuzong"], case=case, step="deputy_chief_opinion", reason="请补充调查")
    assert case.step == "investigate"


def test_the_receiving_body_is_the_jurisdictions_own(cast):
    city_decision = decide(cast.world, "2020-06-10", ["建议组织部门处理"], unit=cast.world.jyj, responsible={})
    assert selectors.referral_routes(city_decision) == ["organization"]
    assert selectors.referral_body(city_decision, "organization") == "市委组织部"
    from duban.accountability.services import matter_create

    matter = matter_create(actor=None, jurisdiction=cast.county, code="YC9", title="危房改造", unit=cast.county_unit)
    county_decision = decision_create(
        actor=None, jurisdiction=cast.county, matter=matter, unit=cast.county_unit, date=dt.date(2020, 6, 10),
        situation_number=11, methods=["建议纪检监察机关处理"],
    )  # fmt: skip
    assert selectors.referral_body(county_decision, "discipline") == "区纪委监委"


def test_a_rulebook_that_routes_a_method_elsewhere_routes_it_there(cast, rulebooks):
    rulebooks(
        "zhumadian",
        "2020-04-22",
        "procedure.yaml",
        "methods: [建议组织部门处理]",
        "methods: [建议组织部门处理, 工作约谈]",
    )
    talk = decide(cast.world, "2020-06-10", ["工作约谈"], unit=cast.world.jyj, responsible={})
    assert selectors.referral_routes(talk) == ["organization"]


def test_the_methods_that_oblige_rectification_are_those_the_rule_of_9_1_names(cast, rulebooks):
    notice = decide(cast.world, "2020-06-10", ["问题通报"], unit=cast.world.jyj, responsible={})
    assert selectors.rectification_methods(notice) == ("问题通报",)
    rulebooks(
        "zhumadian", "2020-04-22", "consequences.yaml", "methods: [问题通报]\n", "methods: [问题通报, 通报批评]\n"
    )
    assert selectors.rectification_methods(notice) == ("问题通报", "通报批评")


def test_methods_are_not_combined_where_the_rulebook_forbids_it(cast, rulebooks):
    decide(cast.world, "2020-06-10", ["通报批评", "工作约谈"], unit=cast.world.jyj, responsible={})
    rulebooks("zhumadian", "2020-04-22", "methods.yaml", "combinable:\n  value: true", "combinable:\n  value: false")
    with pytest.raises(ValidationError, match="不允许合并使用问责方式"):
        decide(cast.world, "2020-06-11", ["通报批评", "工作约谈"], unit=cast.world.jyj, responsible={})


def test_the_site_refuses_to_start_with_a_step_no_login_can_take(rulebooks):
    assert check_rulebook_actors() == []
    rulebooks("zhumadian", "2020-04-22", "procedure.yaml", "- {name: 副总督查,", "- {name: 市长助理,")
    rulebooks("zhumadian", "2020-04-22", "procedure.yaml", "actor: {role: 副总督查}", "actor: {role: 市长助理}")
    problems = check_rulebook_actors()  # the city's version, and the county's that extends it
    assert [p.id for p in problems] == ["duban.E002", "duban.E002"]
    assert "yicheng/2020-05-01" in problems[0].msg and "zhumadian/2020-04-22" in problems[1].msg
    assert all("“市长助理”不是任何账号可以担任的角色" in p.msg for p in problems)
