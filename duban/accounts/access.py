"""The primitives every access_* helper is built from: who the user is, where, in which role.

Each app keeps its own access_* helpers (ledger/access.py, accountability/access.py) written from
these, one condition per line, so that a permission is read in one place.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from duban.accounts.models import Jurisdiction, Person, Unit


def person_of(user: AbstractBaseUser | AnonymousUser | None) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_duban_person", False)
    if cached is False:
        cached = Person.objects.select_related("unit", "jurisdiction").filter(user=user).first()
        user._duban_person = cached
    return cached


def role_names(user: AbstractBaseUser | AnonymousUser | None) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_duban_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._duban_roles = cached
    return cached


def in_role(user, role: str) -> bool:
    return role in role_names(user)


def jurisdiction_of(user) -> Jurisdiction | None:
    person = person_of(user)
    return person.jurisdiction if person is not None else None


def access_jurisdiction(user, jurisdiction: Jurisdiction) -> bool:
    """第八条, last paragraph: city staff work in the city, a county's staff in their county."""
    person = person_of(user)
    if person is None:
        return False
    return person.jurisdiction_id == jurisdiction.pk


def access_role_in(user, role: str, jurisdiction: Jurisdiction) -> bool:
    if not in_role(user, role):
        return False
    return access_jurisdiction(user, jurisdiction)


def access_unit_member(user, unit: Unit) -> bool:
    """The user works in ``unit`` (its 联络员 or one of its people)."""
    person = person_of(user)
    if person is None:
        return False
    return person.unit_id == unit.pk
