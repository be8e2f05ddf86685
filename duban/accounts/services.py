"""The only writes to accounts' tables, and the audit helper every app's services call."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction

from duban.accounts.models import AuditAction, AuditLog, Jurisdiction, Person, Unit
from duban.inputs import has_visible_text

SYSTEM_ACTOR_LABEL = "系统"


def snapshot(instance: models.Model | None, *, exclude: Iterable[str] = ()) -> dict[str, Any] | None:
    """The stored state of a row as JSON-safe data (foreign keys by id), for the audit log."""
    if instance is None:
        return None
    skipped = set(exclude)
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in skipped:
            continue
        data[field.attname] = _json_safe(field.value_from_object(instance))
    return data


def _json_safe(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    actor_label: str = "",
) -> AuditLog:
    """Append one audit row. Call it inside the service's transaction, after the write it records,
    so the row and the change commit or roll back together."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action '{action}': add it to AuditAction (duban/accounts/models.py)")
    if instance is not None:
        object_type = object_type or instance._meta.label
        object_id = object_id or str(instance.pk)
    known_actor = actor if actor is not None and actor.pk else None  # not AnonymousUser
    if not actor_label:
        actor_label = known_actor.get_username() if known_actor is not None else SYSTEM_ACTOR_LABEL
    return AuditLog.objects.create(
        actor=known_actor,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=_json_safe(dict(before)) if before is not None else None,
        after=_json_safe(dict(after)) if after is not None else None,
    )


def _save_validated(instance: models.Model) -> None:
    # full_clean refuses "" only: a required name of spaces or zero-width characters is refused too.
    for field in instance._meta.get_fields():
        value = getattr(instance, field.attname, None) if isinstance(field, models.CharField) else None
        if isinstance(value, str) and not field.blank and not has_visible_text(value):
            raise ValidationError({field.name: f"{field.verbose_name}不能为空"})
    instance.full_clean()
    instance.save()


@transaction.atomic
def jurisdiction_create(
    *,
    actor: AbstractBaseUser | None,
    code: str,
    name: str,
    level: str = Jurisdiction.Level.CITY,
    parent: Jurisdiction | None = None,
    rulebook_code: str = "",
) -> Jurisdiction:
    if level == Jurisdiction.Level.COUNTY and parent is None:
        raise ValidationError({"parent": "县区级辖区必须指定上级辖区"})
    jurisdiction = Jurisdiction(code=code, name=name, level=level, parent=parent, rulebook_code=rulebook_code or code)
    _save_validated(jurisdiction)
    audit_record(
        actor=actor, action=AuditAction.JURISDICTION_CREATE, instance=jurisdiction, after=snapshot(jurisdiction)
    )
    return jurisdiction


@transaction.atomic
def unit_create(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    name: str,
    short_name: str = "",
    aliases: Iterable[str] = (),
    liaison_supervisor: Person | None = None,
    first_level_supervisor: Person | None = None,
    civilized: str = Unit.Civilized.NONE,
    vertically_managed: bool = False,
    ranked: bool = True,
    active: bool = True,
) -> Unit:
    unit = Unit(
        jurisdiction=jurisdiction,
        name=name,
        short_name=short_name,
        aliases=list(aliases),
        liaison_supervisor=liaison_supervisor,
        first_level_supervisor=first_level_supervisor,
        civilized=civilized,
        vertically_managed=vertically_managed,
        ranked=ranked,
        active=active,
    )
    _check_supervisors(unit)
    _save_validated(unit)
    audit_record(actor=actor, action=AuditAction.UNIT_CREATE, instance=unit, after=snapshot(unit))
    return unit


JURISDICTION_UPDATABLE_FIELDS = ("name", "level", "parent", "rulebook_code")


@transaction.atomic
def jurisdiction_update(
    *, actor: AbstractBaseUser | None, jurisdiction: Jurisdiction, data: Mapping[str, Any]
) -> Jurisdiction:
    _refuse_unknown(data, JURISDICTION_UPDATABLE_FIELDS)
    jurisdiction = Jurisdiction.objects.select_for_update(no_key=True).get(pk=jurisdiction.pk)
    before = snapshot(jurisdiction)
    for field, value in data.items():
        setattr(jurisdiction, field, value)
    if jurisdiction.level == Jurisdiction.Level.COUNTY and jurisdiction.parent_id is None:
        raise ValidationError({"parent": "县区级辖区必须指定上级辖区"})
    if jurisdiction.parent_id == jurisdiction.pk:
        raise ValidationError({"parent": "上级辖区不能是自己"})
    _save_validated(jurisdiction)
    audit_record(
        actor=actor,
        action=AuditAction.JURISDICTION_UPDATE,
        instance=jurisdiction,
        before=before,
        after=snapshot(jurisdiction),
    )
    return jurisdiction


def _refuse_unknown(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({unknown[0]: f"不能修改字段：{'、'.join(unknown)}"})


UNIT_UPDATABLE_FIELDS = (
    "name",
    "short_name",
    "aliases",
    "liaison_supervisor",
    "first_level_supervisor",
    "civilized",
    "vertically_managed",
    "ranked",
    "active",
)


@transaction.atomic
def unit_update(*, actor: AbstractBaseUser | None, unit: Unit, data: Mapping[str, Any]) -> Unit:
    _refuse_unknown(data, UNIT_UPDATABLE_FIELDS)
    unit = Unit.objects.select_for_update(no_key=True).get(pk=unit.pk)
    before = snapshot(unit)
    for field, value in data.items():
        setattr(unit, field, list(value) if field == "aliases" else value)
    _check_supervisors(unit)
    _save_validated(unit)
    audit_record(actor=actor, action=AuditAction.UNIT_UPDATE, instance=unit, before=before, after=snapshot(unit))
    return unit


def _check_supervisors(unit: Unit) -> None:
    # 第九条第（五）项 and 第（六）项 name the 二级督查 who liaises with the unit and the 一级督查 in charge.
    expected = {
        "liaison_supervisor": (unit.liaison_supervisor, Person.Role.SECOND_LEVEL_SUPERVISOR),
        "first_level_supervisor": (unit.first_level_supervisor, Person.Role.FIRST_LEVEL_SUPERVISOR),
    }
    for field, (person, role) in expected.items():
        if person is not None and person.role != role:
            raise ValidationError({field: f"{person.name}的角色是{person.role}，不是{role}"})
        if person is not None and person.jurisdiction_id != unit.jurisdiction_id:
            # 第八条: a county's cases are acted on by its own people; a city person would leave them stuck.
            raise ValidationError({field: f"{person.name}不属于{unit.jurisdiction.name}，不能担任该单位的{role}"})


@transaction.atomic
def person_create(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    name: str,
    role: str,
    unit: Unit | None = None,
    position: str = "",
    cadre_level: str = Person.CadreLevel.SECTION_AND_BELOW,
    user: AbstractBaseUser | None = None,
) -> Person:
    person = Person(
        jurisdiction=jurisdiction,
        name=name,
        role=role,
        unit=unit,
        position=position,
        cadre_level=cadre_level,
        user=user,
    )
    _save_validated(person)
    audit_record(actor=actor, action=AuditAction.PERSON_CREATE, instance=person, after=snapshot(person))
    return person


PERSON_UPDATABLE_FIELDS = ("name", "unit", "position", "role", "cadre_level", "user")


@transaction.atomic
def person_update(*, actor: AbstractBaseUser | None, person: Person, data: Mapping[str, Any]) -> Person:
    _refuse_unknown(data, PERSON_UPDATABLE_FIELDS)
    person = Person.objects.select_for_update(no_key=True).get(pk=person.pk)
    before = snapshot(person)
    for field, value in data.items():
        setattr(person, field, value)
    _save_validated(person)
    audit_record(actor=actor, action=AuditAction.PERSON_UPDATE, instance=person, before=before, after=snapshot(person))
    return person


@transaction.atomic
def user_create(
    *,
    actor: AbstractBaseUser | None,
    username: str,
    password: str,
    is_staff: bool = False,
    is_superuser: bool = False,
    first_name: str = "",
) -> AbstractBaseUser:
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名已存在：{username}"})
    user = User(username=username, is_staff=is_staff or is_superuser, is_superuser=is_superuser, first_name=first_name)
    user.set_password(password)
    user.save()
    # Never the password hash in the log.
    audit_record(
        actor=actor, action=AuditAction.USER_CREATE, instance=user, after=snapshot(user, exclude=("password",))
    )
    return user


@transaction.atomic
def user_password_change(*, actor: AbstractBaseUser | None, user: AbstractBaseUser, password: str) -> AbstractBaseUser:
    """Give ``user`` a new password, checked against the site's rules (AUTH_PASSWORD_VALIDATORS). The audit
    row says that it changed and who changed it: no password, no hash."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action=AuditAction.PASSWORD_CHANGE, instance=user)
    return user


@transaction.atomic
def user_grant(
    *, actor: AbstractBaseUser | None, user: AbstractBaseUser, permissions: Iterable[str]
) -> AbstractBaseUser:
    """Give `user` admin permissions named "app_label.codename" (unknown names are refused)."""
    from django.contrib.auth.models import Permission

    wanted = sorted(set(permissions))
    found = {}
    for name in wanted:
        app_label, _, codename = name.partition(".")
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            raise ValidationError({"permissions": f"未知的权限：{name}"})
        found[name] = permission
    before = sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.select_related("content_type")
    )
    user.user_permissions.add(*found.values())
    after = sorted(set(before) | set(wanted))
    if after != before:
        audit_record(
            actor=actor,
            action=AuditAction.USER_GRANT,
            instance=user,
            before={"permissions": before},
            after={"permissions": after},
        )
    return user


@transaction.atomic
def unit_directory_load(
    *, actor: AbstractBaseUser | None, jurisdiction: Jurisdiction, path: Any = None
) -> tuple[int, int]:
    """Bring the jurisdiction's units in line with its 机构名录 (``directories/<code>/units.yaml``).

    The directory is the jurisdiction's own data: a canonical name per unit, the other ways
    documents print it, and whether it is vertically managed or ranked. A unit already known by
    its name or one of its aliases gets the directory's aliases added; an unknown one is created
    with the directory's settings. Nothing is removed or renamed, so the units' supervisors and
    文明单位 levels set since stay. Returns (created, updated).
    """
    from pathlib import Path

    from duban import DIRECTORIES_DIR

    path = Path(path) if path is not None else DIRECTORIES_DIR / jurisdiction.code / "units.yaml"
    entries = _directory_entries(path)
    existing = list(Unit.objects.filter(jurisdiction=jurisdiction))
    created = updated = 0
    for name, aliases, settings in entries:
        spellings = {name, *aliases}
        unit = next((u for u in existing if spellings & {u.name, u.short_name, *u.aliases}), None)
        if unit is None:
            unit = unit_create(actor=actor, jurisdiction=jurisdiction, name=name, aliases=aliases, **settings)
            existing.append(unit)
            created += 1
            continue
        missing = [a for a in (name, *aliases) if a not in {unit.name, unit.short_name, *unit.aliases}]
        if missing:
            unit_update(actor=actor, unit=unit, data={"aliases": [*unit.aliases, *missing]})
            updated += 1
    return created, updated


def _directory_entries(path: Any) -> list[tuple[str, list[str], dict[str, bool]]]:
    import yaml

    from duban.errors import InputError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError:
        raise InputError(f"机构名录 {path} 不是 UTF-8 文本文件") from None
    except RecursionError:
        raise InputError(f"机构名录 {path} 嵌套过深，不是机构名录") from None
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"机构名录 {path} 无法读取：{exc}") from None
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, list):
        raise InputError(f"机构名录 {path} 缺少 units 列表")
    entries = []
    for index, entry in enumerate(units):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise InputError(f"机构名录 {path}: units[{index}] 缺少 name")
        settings = {key: bool(entry[key]) for key in ("vertically_managed", "ranked") if key in entry}
        entries.append((str(entry["name"]), [str(a) for a in entry.get("aliases") or []], settings))
    return entries


def _role_group(role: str):
    from django.contrib.auth.models import Group

    from duban.accounts.roles import ROLES

    if role not in ROLES:
        raise ValidationError({"role": f"未知的角色：{role}"})
    group, _ = Group.objects.get_or_create(name=role)
    return group


@transaction.atomic
def user_add_role(*, actor: AbstractBaseUser | None, user: AbstractBaseUser, role: str) -> AbstractBaseUser:
    """Put ``user`` in the group of ``role`` (duban.accounts.roles.ROLES)."""
    group = _role_group(role)
    before = sorted(user.groups.values_list("name", flat=True))
    if role not in before:
        user.groups.add(group)
        audit_record(
            actor=actor,
            action=AuditAction.USER_ADD_ROLE,
            instance=user,
            before={"roles": before},
            after={"roles": sorted([*before, role])},
        )
    return user


@transaction.atomic
def person_link_user(*, actor: AbstractBaseUser | None, person: Person, user: AbstractBaseUser) -> Person:
    """Give ``person`` the login ``user``; the login gets the group of the person's function."""
    from duban.accounts.roles import GROUP_FOR_PERSON_ROLE

    other = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if other is not None:
        raise ValidationError({"user": f"该账号已关联人员：{other}"})
    before = snapshot(person)
    person.user = user
    person.save(update_fields=["user"])
    audit_record(
        actor=actor, action=AuditAction.PERSON_LINK_USER, instance=person, before=before, after=snapshot(person)
    )
    role = GROUP_FOR_PERSON_ROLE.get(person.role)
    if role is not None:
        user_add_role(actor=actor, user=user, role=role)
    return person


# --- logins: only the system administrator changes them (the admin's user pages) ------------------------

USER_UPDATABLE_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


def _user_access(user: AbstractBaseUser) -> dict[str, Any]:
    return {field: getattr(user, field) for field in USER_UPDATABLE_FIELDS}


@transaction.atomic
def user_update(*, actor: AbstractBaseUser | None, user: AbstractBaseUser, data: Mapping[str, Any]) -> AbstractBaseUser:
    """Change a login's name, state or standing (superuser, staff): audited before and after."""
    _refuse_unknown(data, USER_UPDATABLE_FIELDS)
    User = get_user_model()
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    before = _user_access(user)
    for field, value in data.items():
        setattr(user, field, value)
    if user.is_superuser and not user.is_staff:
        user.is_staff = True  # the administrator works in the admin
    if User.objects.exclude(pk=user.pk).filter(username=user.username).exists():
        raise ValidationError({"username": f"用户名已存在：{user.username}"})
    user.save()
    after = _user_access(user)
    if after != before:
        audit_record(actor=actor, action=AuditAction.USER_UPDATE, instance=user, before=before, after=after)
    return user


@transaction.atomic
def user_set_groups(
    *, actor: AbstractBaseUser | None, user: AbstractBaseUser, groups: Iterable[Any]
) -> AbstractBaseUser:
    """A login's role groups (duban.accounts.roles): who acts for the 督查室, a supervisor, a unit."""
    from duban.accounts.roles import ROLES

    wanted = sorted({group.name for group in groups})
    unknown = [name for name in wanted if name not in ROLES]
    if unknown:
        raise ValidationError({"groups": f"未知的角色：{'、'.join(unknown)}"})
    before = sorted(user.groups.values_list("name", flat=True))
    if wanted != before:
        user.groups.set(list(groups))
        audit_record(
            actor=actor,
            action=AuditAction.USER_SET_GROUPS,
            instance=user,
            before={"roles": before},
            after={"roles": wanted},
        )
    return user


@transaction.atomic
def user_set_permissions(
    *, actor: AbstractBaseUser | None, user: AbstractBaseUser, permissions: Iterable[Any]
) -> AbstractBaseUser:
    """A login's admin permissions, set as a whole (user_grant adds)."""
    wanted = sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)
    before = sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.select_related("content_type")
    )
    if wanted != before:
        user.user_permissions.set(list(permissions))
        audit_record(
            actor=actor,
            action=AuditAction.USER_SET_PERMISSIONS,
            instance=user,
            before={"permissions": before},
            after={"permissions": wanted},
        )
    return user


@transaction.atomic
def user_set_password(*, actor: AbstractBaseUser | None, user: AbstractBaseUser, password: str) -> AbstractBaseUser:
    """The administrator sets a login's password (the audit row says so; it holds no password material)."""
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor, action=AuditAction.USER_SET_PASSWORD, instance=user, after={"username": user.get_username()}
    )
    return user
