"""The one access layer every app builds on: who the user is, where, in which role, and which
jurisdiction a request is in.

Each app keeps its own access_* helpers (ledger/access.py, accountability/access.py, scoring/access.py)
written from these, one condition per line, so that a permission is read in one place. Who acts
for the 督查室 is stated here once:

- ``access_office``: the user works in this jurisdiction's 督查室.
- ``access_office_or_administrator``: the same, or the system administrator (a superuser), who may
  set up and run the ledger of any jurisdiction. Accountability cases do not use it: there the
  administrator only reads (第八条 names the actors of each step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from duban.accounts import roles
from duban.accounts.models import Jurisdiction, Person, Unit
from duban.accounts.selectors import jurisdiction_default, jurisdiction_get

M = TypeVar("M", bound=Model)
REFUSED = "无权访问该页面或执行该操作"


def signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_administrator(user) -> bool:
    """The system administrator (系统管理员): an active superuser."""
    if not signed_in(user):
        return False
    return bool(user.is_superuser)


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


def access_office(user, jurisdiction: Jurisdiction) -> bool:
    """The user works in this jurisdiction's 督查室 (督查落实委员会办公室)."""
    return access_role_in(user, roles.OFFICE, jurisdiction)


def access_office_or_administrator(user, jurisdiction: Jurisdiction) -> bool:
    """The ledger's office work: this jurisdiction's 督查室, or the system administrator."""
    if is_administrator(user):
        return True
    return access_office(user, jurisdiction)


def access_unit_member(user, unit: Unit) -> bool:
    """The user works in ``unit`` (its 联络员 or one of its people)."""
    person = person_of(user)
    if person is None:
        return False
    return person.unit_id == unit.pk


def request_jurisdiction(request: HttpRequest, *, public: bool = False) -> Jurisdiction | None:
    """The jurisdiction a page shows.

    A signed-in person works in their own. The system administrator, and on a public page anyone,
    may choose one with ``?j=<code>``; otherwise they see the default (the one top-level jurisdiction).
    Anyone else sees none (the page then refuses).
    """
    code = request.GET.get("j", "")
    chosen = jurisdiction_get(code=code) if code else None
    if public and chosen is not None:
        return chosen
    person = person_of(request.user)
    if person is not None:
        return person.jurisdiction
    if not (public or is_administrator(request.user)):
        return None
    return chosen or jurisdiction_default() or Jurisdiction.objects.order_by("pk").first()


def require(allowed: bool) -> None:
    """A page's or an action's check: 403 with a Chinese message when it fails."""
    if not allowed:
        raise PermissionDenied(REFUSED)


def access_by_id(queryset: QuerySet[M], pk: int, allowed: Callable[[M], bool]) -> M:
    """Fetch and check in one step (Zulip's access_stream_by_id): the object, or 404 when it does not
    exist, or 403 when ``allowed`` refuses it. Every fetch of an object a page acts on goes through this."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"{queryset.model._meta.verbose_name}不存在")
    if not allowed(obj):
        raise PermissionDenied(REFUSED)
    return obj
