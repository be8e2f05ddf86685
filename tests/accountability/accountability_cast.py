"""The people of 第八条 for the case tests: one login per role of the access matrix, and chain helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from duban.accountability.models import Case
from duban.accountability.services import case_agree, case_open, case_update_investigation
from duban.accounts import roles
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.services import (
    person_create,
    person_link_user,
    person_update,
    unit_create,
    user_add_role,
    user_create,
)
from tests.factories import World, build_world, county_create

PASSWORD = "test-pass-1234"


@dataclass
class Cast:
    """A world and one login for every role of the access matrix (issue 4)."""

    world: World
    county: Jurisdiction
    county_unit: Unit
    users: dict  # role key -> user (None for anonymous)
    other_liaison_supervisor: Person
    deputy: Person
    party: Person  # the accountable party: 承办人员 of 市城管局
    unit_liaison: Person


def _login(username: str, person: Person | None = None, *, role: str | None = None, superuser: bool = False):
    user = user_create(actor=None, username=username, password=PASSWORD, is_superuser=superuser)
    if person is not None and role is None:
        person_link_user(actor=None, person=person, user=user)
    elif person is not None:
        person_update(actor=None, person=person, data={"user": user})
        user_add_role(actor=None, user=user, role=role)
    return user


def build_cast() -> Cast:
    w = build_world()
    city = w.city
    county = county_create(city, rulebook_code="yicheng")
    county_super = person_create(actor=None, jurisdiction=county, name="区二级督查", role="二级督查")
    county_unit = unit_create(actor=None, jurisdiction=county, name="驿城区住建局", liaison_supervisor=county_super)

    def person(name, role, unit=None, jurisdiction=city, **extra):
        return person_create(actor=None, jurisdiction=jurisdiction, name=name, role=role, unit=unit, **extra)

    other_liaison_supervisor = person("二级督查庚", "二级督查")
    deputy = person("副总督查辛", "副总督查", cadre_level="处级")
    chief_supervisor = person("总督查壬", "总督查", cadre_level="厅级")
    committee = person("委员会秘书癸", "督查室工作人员")
    unit_liaison = person("联络员子", "联络员", unit=w.cgj)
    other_liaison = person("联络员丑", "联络员", unit=w.jyj)
    other_staff = person("承办人寅", "承办人员", unit=w.jyj)
    office = person("督查室卯", "督查室工作人员")
    county_office = person("区督查室辰", "督查室工作人员", jurisdiction=county)
    users = {
        "anonymous": None,
        "office": _login("office", office),
        "county_office": _login("county_office", county_office),
        "erji_unit": _login("erji_unit", w.liaison),
        "erji_other": _login("erji_other", other_liaison_supervisor),
        "yiji": _login("yiji", w.chief),
        "fuzong": _login("fuzong", deputy),
        "zongducha": _login("zongducha", chief_supervisor),
        "committee": _login("committee", committee, role=roles.COMMITTEE),
        "liaison_unit": _login("liaison_unit", unit_liaison),
        "liaison_other": _login("liaison_other", other_liaison),
        "party": _login("party", w.handler),
        "other_staff": _login("other_staff", other_staff),
        "admin": _login("admin", superuser=True),
    }
    return Cast(w, county, county_unit, users, other_liaison_supervisor, deputy, w.handler, unit_liaison)


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


# Every login of the cast, and the anonymous visitor: the rows of the access and confidentiality matrices.
CAST_ROLES = [
    "anonymous",
    "office",
    "county_office",
    "erji_unit",
    "erji_other",
    "yiji",
    "fuzong",
    "zongducha",
    "committee",
    "liaison_unit",
    "liaison_other",
    "party",
    "other_staff",
    "admin",
]
STEP_USERS = ["office", "erji_unit", "yiji", "fuzong", "zongducha", "committee"]  # the city's six steps, in order


def open_ready_case(cast: Cast, *, methods=("通报批评",), subject="unit", person=None, opened_on=None, **extra) -> Case:
    """A case on 市城管局 / M1, investigated and ready to leave the first step."""
    w = cast.world
    case = case_open(
        actor=cast.users["office"],
        jurisdiction=w.city,
        matter=w.m1,
        unit=w.cgj,
        opened_on=opened_on or dt.date(2020, 6, 1),
    )
    return case_update_investigation(
        actor=cast.users["office"],
        case=case,
        data={
            "investigation": "经调查核实，道路破损修复任务逾期30日未完成。",
            "situation_number": 11,
            "methods": list(methods),
            "subject": subject,
            "person": person,
            "responsible": {"承办人员": [w.handler], "科室负责人": [w.section_head]},
            **extra,
        },
    )


def run_chain(cast: Cast, case: Case, *, until: int | None = None, decided_on=dt.date(2020, 6, 20)) -> Case:
    """Agree at each step in turn (stopping before step index ``until``)."""
    from duban.accountability.procedure import case_chain

    chain = case_chain(case)
    stop = len(chain) if until is None else until
    for index in range(stop):
        step = chain[index]
        case = case_agree(
            actor=cast.users[STEP_USERS[index]],
            case=case,
            step=step.code,
            opinion=f"{step.name}：同意",
            decided_on=decided_on,
        )
    return case
