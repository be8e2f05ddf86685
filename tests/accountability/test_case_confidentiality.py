"""Cases are confidential until decided (procedure.visible_to): who reads which part of a case, role by
role, for an open case and a decided one. Until the committee decides, the investigated unit is told
only that the case exists; afterwards it reads the decision and the 意见书; the chain reads everything."""

from __future__ import annotations

import shutil

import pytest
from accountability_cast import CAST_ROLES, STEP_USERS, build_cast, open_ready_case
from django.db import transaction

from duban import RULEBOOKS_DIR
from duban.accountability.services import case_agree

pytestmark = pytest.mark.django_db

SECRET_INVESTIGATION = "经调查核实，道路破损修复任务逾期30日未完成。"
SECRET_OPINION = "提请审核：建议从严问责"
# What each part shows on the case page (a word only that part prints).
MARKERS = {
    "existence": "督查问责案件",
    "investigation": SECRET_INVESTIGATION,
    "proposal": "拟问责方式",
    "opinions": SECRET_OPINION,
    "history": "操作记录",
    "decision": "督查问责意见书",
}
CHAIN = {"office", "erji_unit", "yiji", "fuzong", "zongducha", "committee", "admin"}
EVERY_PART = set(MARKERS)
# role → the parts it reads (an empty set: the page answers 403, or the login page for the anonymous)
OPEN_CASE = {**{role: EVERY_PART - {"decision"} for role in CHAIN}, "liaison_unit": {"existence"}}
DECIDED_CASE = {**dict.fromkeys(CHAIN, EVERY_PART), "liaison_unit": {"existence", "decision"}}
ROLES = CAST_ROLES


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    from tests.once import built_once

    def build():
        cast = build_cast()
        opened = open_ready_case(cast)
        opened = case_agree(actor=cast.users["office"], case=opened, step="investigate", opinion=SECRET_OPINION)
        decided = open_ready_case(cast)
        decided = case_agree(actor=cast.users["office"], case=decided, step="investigate", opinion=SECRET_OPINION)
        decided = _finish(cast, decided)
        return cast, opened, decided

    yield from built_once(django_db_blocker, build)


def _finish(cast, case):

    from duban.accountability.procedure import case_chain

    for index, step in enumerate(case_chain(case)[1:], start=1):
        case = case_agree(actor=cast.users[STEP_USERS[index]], case=case, step=step.code, opinion="同意")
    return case


def read(client, cast, role, case):
    user = cast.users[role]
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        return client.get(f"/cases/{case.pk}/")


def parts_seen(response) -> set[str]:
    if response.status_code != 200:
        return set()
    page = response.content.decode()
    return {part for part, marker in MARKERS.items() if marker in page}


@pytest.mark.parametrize("role", ROLES)
def test_an_open_case_shows_each_role_only_its_parts(client, scene, role):
    cast, opened, _ = scene
    assert parts_seen(read(client, cast, role, opened)) == OPEN_CASE.get(role, set())


@pytest.mark.parametrize("role", ROLES)
def test_a_decided_case_shows_the_unit_its_decision(client, scene, role):
    cast, _, decided = scene
    assert parts_seen(read(client, cast, role, decided)) == DECIDED_CASE.get(role, set())


def test_the_units_list_and_the_task_page_name_the_case_but_show_no_opinion(client, scene):
    cast, opened, _ = scene
    client.force_login(cast.users["liaison_unit"])
    page = client.get("/cases/").content.decode()
    assert opened.number in page and SECRET_OPINION not in page and SECRET_INVESTIGATION not in page


def test_a_rulebook_that_does_not_tell_the_unit_hides_the_case_from_it(client, scene, settings, tmp_path):
    cast, opened, decided = scene
    root = tmp_path / "rulebooks"
    shutil.copytree(RULEBOOKS_DIR, root)
    procedure = root / "zhumadian" / "2020-04-22" / "procedure.yaml"
    text = procedure.read_text(encoding="utf-8")
    told = "existence: {value: [office, supervisors, unit], reference: 第八条}"
    assert told in text
    procedure.write_text(text.replace(told, "existence: {value: [office, supervisors], reference: 第八条}"), "utf-8")
    settings.DUBAN_RULEBOOKS_DIR = str(root)
    client.force_login(cast.users["liaison_unit"])
    assert client.get(f"/cases/{opened.pk}/").status_code == 403
    assert opened.number not in client.get("/cases/").content.decode()
    # After the decision the unit still reads it: the decision part is told to the unit.
    assert client.get(f"/cases/decisions/{decided.decision_id}/letter/").status_code == 200
