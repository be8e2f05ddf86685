"""督查事项 (matters): what a case or decision is about, often a ledger task."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban.accountability.models import Matter
from duban.accounts.inputs import required_text
from duban.accounts.models import AuditAction, Jurisdiction, Unit
from duban.accounts.services import audit_record, snapshot


@transaction.atomic
def matter_create(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    code: str,
    title: str,
    unit: Unit | None = None,
    source: str = "",
    task: Any = None,
) -> Matter:
    code = required_text("code", code, "请填写督查事项编号")
    title = required_text("title", title, "请填写督查事项名称")
    if unit is not None and unit.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"unit": f"责任单位{unit.name}不属于{jurisdiction.name}"})
    if task is not None and task.jurisdiction_id != jurisdiction.pk:
        raise ValidationError({"task": f"台账任务{task.ref}不属于{jurisdiction.name}"})
    matter = Matter(jurisdiction=jurisdiction, code=code, title=title, unit=unit, source=source, task=task)
    matter.full_clean()
    matter.save()
    audit_record(actor=actor, action=AuditAction.MATTER_CREATE, instance=matter, after=snapshot(matter))
    return matter


MATTER_UPDATABLE_FIELDS = ("code", "title", "unit", "source")


@transaction.atomic
def matter_update(*, actor: AbstractBaseUser | None, matter: Matter, data: Mapping[str, Any]) -> Matter:
    unknown = sorted(set(data) - set(MATTER_UPDATABLE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"不能修改字段：{'、'.join(unknown)}"})
    data = dict(data)
    for field, message in (("code", "请填写督查事项编号"), ("title", "请填写督查事项名称")):
        if field in data:
            data[field] = required_text(field, data[field], message)
    matter = Matter.objects.select_for_update(no_key=True).get(pk=matter.pk)
    before = snapshot(matter)
    for field, value in data.items():
        setattr(matter, field, value)
    if matter.unit is not None and matter.unit.jurisdiction_id != matter.jurisdiction_id:
        raise ValidationError({"unit": f"责任单位{matter.unit.name}不属于{matter.jurisdiction.name}"})
    matter.full_clean()
    matter.save()
    audit_record(actor=actor, action=AuditAction.MATTER_UPDATE, instance=matter, before=before, after=snapshot(matter))
    return matter
