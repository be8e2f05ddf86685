"""Builders of the tests' worlds: plain functions and dataclasses, written through the services.

The fixtures that wrap them live in tests/conftest.py; a suite's own world (the ledger's `lw`, the
accountability cast) lives in its own conftest and builds on these where it is the same world.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from duban.accountability.models import Decision, Matter
from duban.accountability.services import decision_create, matter_create
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.services import (
    jurisdiction_create,
    person_create,
    person_link_user,
    unit_create,
    user_create,
)

# --- the city, its county, logins --------------------------------------------------------------


def city_create(actor=None) -> Jurisdiction:
    """驻马店市, the city every suite's world is set in."""
    return jurisdiction_create(actor=actor, code="zhumadian", name="驻马店市")


def county_create(city: Jurisdiction, actor=None, **extra) -> Jurisdiction:
    """驿城区, a county of the city (``rulebook_code="yicheng"`` for its own 第八条 chain)."""
    return jurisdiction_create(actor=actor, code="yicheng", name="驿城区", level="county", parent=city, **extra)


def login_create(
    username: str, person: Person | None = None, *, password: str, groups: Iterable[str] = (), first_name: str = ""
):
    """A login (straight through the user manager, as an administrator would), linked to ``person``
    (which gives it the group of the person's function) and added to ``groups``."""
    user = get_user_model().objects.create_user(username, password=password, first_name=first_name)
    if person is not None:
        person_link_user(actor=None, person=person, user=user)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


# --- the world of the spec's examples (accounts, accountability, scoring, db) ------------------


@dataclass
class World:
    actor: object
    city: Jurisdiction
    chief: Person  # 一级督查 (S1 in the spec's examples)
    liaison: Person  # 二级督查 (S2)
    cgj: Unit  # 市城管局, a city-level 文明单位 with both supervisors
    jyj: Unit  # 市教育局
    wjw: Unit  # 市卫健体委
    handler: Person  # 承办人员 of 市城管局 (P1)
    section_head: Person  # 科室负责人 (P2)
    leader: Person  # 分管领导 (P3)
    principal: Person  # 单位主要领导 (P4)
    m1: Matter
    m2: Matter

    @property
    def roles(self) -> dict[str, list[Person]]:
        return {
            "承办人员": [self.handler],
            "科室负责人": [self.section_head],
            "分管领导": [self.leader],
            "单位主要领导": [self.principal],
        }


def build_world() -> World:
    """A small jurisdiction shaped like the spec's examples, recorded by the clerk ``duchashi``."""
    actor = user_create(actor=None, username="duchashi", password="test-pass-1234", is_staff=True)
    city = city_create(actor)
    chief = person_create(actor=actor, jurisdiction=city, name="一级督查甲", role="一级督查", cadre_level="处级")
    liaison = person_create(actor=actor, jurisdiction=city, name="二级督查乙", role="二级督查", cadre_level="处级")
    cgj = unit_create(
        actor=actor,
        jurisdiction=city,
        name="市城市管理局",
        short_name="市城管局",
        aliases=["市城管局"],
        civilized="city",
        liaison_supervisor=liaison,
        first_level_supervisor=chief,
    )
    jyj = unit_create(actor=actor, jurisdiction=city, name="市教育局", liaison_supervisor=liaison)
    wjw = unit_create(actor=actor, jurisdiction=city, name="市卫健体委", aliases=["市卫健委"], civilized="province")

    def staff(name: str, role: str) -> Person:
        return person_create(actor=actor, jurisdiction=city, unit=cgj, name=name, role=role)

    return World(
        actor=actor,
        city=city,
        chief=chief,
        liaison=liaison,
        cgj=cgj,
        jyj=jyj,
        wjw=wjw,
        handler=staff("承办人丙", "承办人员"),
        section_head=staff("科长丁", "科室负责人"),
        leader=staff("副局长戊", "分管领导"),
        principal=staff("局长己", "单位主要领导"),
        m1=matter_create(actor=actor, jurisdiction=city, code="M1", title="城区道路破损修复", unit=cgj),
        m2=matter_create(actor=actor, jurisdiction=city, code="M2", title="背街小巷环境整治", unit=cgj),
    )


def decide(
    w: World, day: str, methods: list[str], *, unit: Unit | None = None, matter: Matter | None = None, **extra
) -> Decision:
    """A decision on 市城管局 / M1 by default, with the four roles of the spec's examples."""
    unit = unit or w.cgj
    return decision_create(
        actor=w.actor,
        jurisdiction=w.city,
        matter=matter or w.m1,
        unit=unit,
        date=dt.date.fromisoformat(day),
        situation_number=extra.pop("situation_number", 11),
        methods=methods,
        responsible=extra.pop("responsible", w.roles if unit == w.cgj else {}),
        **extra,
    )
