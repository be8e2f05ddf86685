"""The accountable roles are the rulebook's (roles[]), not a list of the code's: a regulation that calls the
person who did the work 经办人员 rather than 承办人员 has its cases ask for 经办人员, its decisions hold them to
account under that name and its 意见书 name them with the responsibility its rulebook gives; a role the rulebook
does not have is refused, naming the ones it has."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from duban.accountability.forms import InvestigationForm
from duban.accountability.procedure import case_rulebook
from duban.accountability.rulebooks import rulebooks_recheck
from duban.accountability.services import case_open
from duban.scoring.selectors import person_consequence_lines
from tests.accountability.accountability_cast import build_cast
from tests.scoring.score_story import decided


@pytest.fixture
def renamed(db, settings, tmp_path):
    root = tmp_path / "rulebooks"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rulebooks", root)
    for path in (root / "zhumadian").rglob("*.yaml"):
        path.write_text(path.read_text("utf-8").replace("承办人员", "经办人员"), "utf-8")
    settings.DUBAN_RULEBOOKS_DIR = str(root)
    rulebooks_recheck()
    yield build_cast()
    rulebooks_recheck()


def test_a_role_the_rulebook_does_not_have_is_refused_naming_those_it_has(renamed):
    w = renamed.world
    with pytest.raises(ValidationError) as refused:
        case_open(
            actor=renamed.users["office"],
            jurisdiction=w.city,
            matter=w.m1,
            unit=w.cgj,
            opened_on=dt.date(2020, 6, 1),
            responsible={"承办人员": [w.handler]},
        )
    assert "未知的责任类型：承办人员" in str(refused.value) and "经办人员、科室负责人、分管领导、单位主要领导" in str(
        refused.value
    )


def test_the_case_asks_for_the_rulebooks_roles_and_the_decision_and_its_letter_name_them(renamed, client):
    w = renamed.world
    roles = {"经办人员": [w.handler], "科室负责人": [w.section_head]}
    case = decided(renamed, w.m1, ["工作约谈"], dt.date(2020, 6, 10), responsible=roles)
    form = InvestigationForm(case=case, rulebook=case_rulebook(case))
    assert [field.label for field in form.responsible_fields()] == [
        "经办人员",
        "科室负责人",
        "分管领导",
        "单位主要领导",
    ]
    assert InvestigationForm.initial_for(case)["responsible_0"] == [w.handler]
    decision = case.decision
    assert sorted((r.role, r.role_label) for r in decision.responsibles.all()) == [
        ("科室负责人", "科室负责人（关键责任）"),
        ("经办人员", "经办人员（直接责任）"),
    ]
    # the engine holds the 经办人员 to account by the rule that names them (第九条第（五）项)
    effects = {line.effect for line in person_consequence_lines(w.handler)}
    assert {"bonus", "excellent_barred"} <= effects
    client.force_login(renamed.users["office"])
    letter = client.get(f"/cases/decisions/{decision.pk}/letter/")
    assert letter.status_code == 200
    assert f"经办人员（直接责任）{w.handler.name}" in letter.content.decode()
