"""What the service modules share: the actor's name on records, the responsible persons of 第三条, dates in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from duban.accounts.models import Jurisdiction, Person
from duban.accounts.services import snapshot
from duban.rules.loader import Rulebook

Responsible = Mapping[str, Iterable[Person]]  # accountable role (第三条) -> people


def _actor_name(actor: AbstractBaseUser | None) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return "系统"
    person = Person.objects.filter(user=actor).first()
    return person.name if person is not None else (actor.get_full_name() or actor.get_username())


def _user_or_none(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


def _responsible_rows(
    jurisdiction: Jurisdiction, responsible: Responsible, *, rulebook: Rulebook
) -> list[tuple[str, Person]]:
    """The (role, person) rows of ``responsible``, each role one of the rulebook's (roles[].name)."""
    rows: list[tuple[str, Person]] = []
    for role, people in responsible.items():
        if role not in rulebook.role_names:
            raise ValidationError(
                {"responsible": f"未知的责任类型：{role}（问责办法规定的责任类型：{'、'.join(rulebook.role_names)}）"}
            )
        for person in people:
            if person.jurisdiction_id != jurisdiction.pk:
                raise ValidationError({"responsible": f"责任人{person.name}不属于{jurisdiction.name}"})
            if (role, person) not in rows:
                rows.append((role, person))
    return rows


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def snapshot_with_responsibles(instance: Any, responsibles: Any) -> dict[str, Any]:
    """A case's or decision's audit snapshot with its 第三条 responsible persons (role, person id)."""
    data = snapshot(instance) or {}
    rows = responsibles.order_by("role", "person_id") if instance.pk else []
    data["responsible"] = [{"role": row.role, "person_id": row.person_id} for row in rows]
    return data


def methods_problem(methods: list[str], rulebook: Rulebook) -> str:
    """What is wrong with a list of 第五条 methods under ``rulebook`` (unknown, repeated, combined where
    the rulebook forbids it), or "" when nothing is. An empty list is for the caller to judge."""
    unknown = [m for m in methods if m not in rulebook.method_names]
    if unknown:
        return f"未知的问责方式：{'、'.join(unknown)}（第五条规定的方式：{'、'.join(rulebook.method_names)}）"
    if len(set(methods)) != len(methods):
        return "问责方式重复"
    if len(methods) > 1 and not rulebook.value("combinable"):
        return f"问责规则 {rulebook.id} 不允许合并使用问责方式（{rulebook.param('combinable').reference}）"
    return ""
