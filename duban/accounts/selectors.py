"""Reads of accounts' tables."""

from __future__ import annotations

from django.db.models import QuerySet

from duban.accounts.models import Jurisdiction, Person, Unit


def jurisdiction_get(*, code: str) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(code=code).first()


def jurisdiction_default() -> Jurisdiction | None:
    """The jurisdiction a page or command means when none is named: the only top-level one."""
    roots = list(Jurisdiction.objects.filter(parent__isnull=True).order_by("pk")[:2])
    return roots[0] if len(roots) == 1 else None


def unit_find(*, jurisdiction: Jurisdiction, name: str) -> Unit | None:
    """A unit by its full name, short name or one of its aliases (公文 spell units many ways)."""
    units = Unit.objects.filter(jurisdiction=jurisdiction)
    exact = units.filter(name=name).first() or units.filter(short_name=name).first()
    if exact is not None:
        return exact
    return next((unit for unit in units if name in unit.aliases), None)


def units_ranked(*, jurisdiction: Jurisdiction) -> QuerySet[Unit]:
    """The units a ranking lists: active, and inside the 办法's scope (第二条)."""
    return units_active(jurisdiction=jurisdiction).filter(ranked=True)


def units_active(*, jurisdiction: Jurisdiction) -> QuerySet[Unit]:
    return Unit.objects.filter(jurisdiction=jurisdiction, active=True).order_by("name")


def person_find(*, jurisdiction: Jurisdiction, name: str, unit: Unit | None = None) -> Person | None:
    people = Person.objects.filter(jurisdiction=jurisdiction, name=name)
    if unit is not None:
        people = people.filter(unit=unit)
    return people.order_by("pk").first()


def jurisdiction_for_command(code: str | None) -> Jurisdiction:
    """The jurisdiction a command line names with ``--jurisdiction``, else the default one.

    Bad input becomes an InputError in Chinese (the command exits 2 with one line)."""
    from django.db import DatabaseError

    from duban.errors import InputError

    try:
        if code:
            jurisdiction = jurisdiction_get(code=code)
            if jurisdiction is None:
                raise InputError(f"未知的辖区：{code}")
            return jurisdiction
        jurisdiction = jurisdiction_default()
    except DatabaseError as exc:
        raise InputError(f"无法读取数据库（是否已运行 make migrate？）：{exc}") from None
    if jurisdiction is None:
        raise InputError("请用 --jurisdiction 指定辖区（数据库中没有唯一的市级辖区）")
    return jurisdiction
