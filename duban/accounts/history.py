"""The audit history of a page's objects, in words: one selector and one template partial
(accounts/_history.html) for every page that shows 操作记录 (a ledger task, an accountability case).

Labels come from the one list of actions (AuditAction) and from the models' own field names and
choices; foreign keys are shown by the name of what they point at, resolved in one query per model.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model, Q

from duban.accounts.models import AuditAction, AuditLog, Person

NOT_SHOWN = {"id", "created", "created_at", "opened_at", "opinion", "reason"}
TEXT_LIMIT = 60

Formatter = Callable[[Any], Any]


@dataclass
class HistoryRow:
    at: dt.datetime
    who: str
    action: str
    what: str
    changes: list[tuple[str, Any, Any]]  # (field label, before, after); after only for a created row's facts
    note: str

    @property
    def created(self) -> bool:
        return all(before is None for _, before, _ in self.changes)


def audit_history(
    objects: Iterable[tuple[type[Model], Iterable[Any]]],
    *,
    labels: Mapping[str, str] | None = None,
    formatters: Mapping[str, Formatter] | None = None,
    summary_keys: Iterable[str] = (),
    newest_first: bool = False,
    limit: int | None = None,
) -> list[HistoryRow]:
    """The audit rows of the given objects ((model, ids) pairs), each with what changed.

    ``labels`` names keys the models do not have (snapshot keys such as 牵头单位); ``formatters``
    show a key's values in words (a step code as its name); ``summary_keys`` are shown for a row that
    created its object (which has no "before").
    """
    condition = Q(pk__in=[])
    for model, ids in objects:
        keys = [str(pk) for pk in ids if pk is not None]
        if keys:
            condition |= Q(object_type=model._meta.label, object_id__in=keys)
    logs = AuditLog.objects.filter(condition).order_by(*(("-at", "-id") if newest_first else ("at", "id")))
    logs = list(logs[:limit] if limit is not None else logs)
    names = dict(
        Person.objects.filter(user__username__in={log.actor_label for log in logs}).values_list(
            "user__username", "name"
        )
    )
    shown = _Values(logs, formatters or {})
    summary = tuple(summary_keys)
    rows = []
    for log in logs:
        model = _model(log.object_type)
        field_labels = {**_field_labels(model), **(labels or {})}
        before, after = log.before or {}, log.after or {}
        if before:
            keys = [k for k in sorted(set(before) | set(after)) if k not in NOT_SHOWN and before.get(k) != after.get(k)]
            changes = [
                (field_labels.get(k, k), shown(model, k, before.get(k)), shown(model, k, after.get(k))) for k in keys
            ]
        else:
            changes = [(field_labels.get(k, k), None, shown(model, k, after[k])) for k in summary if k in after]
        opinion = after.get("opinion") or {}
        note = opinion.get("text") or after.get("reason", "")
        who = f"{names[log.actor_label]}（{log.actor_label}）" if log.actor_label in names else log.actor_label
        what = f"{model._meta.verbose_name} #{log.object_id}" if model is not None else log.object_type
        rows.append(HistoryRow(log.at, who, _action_label(log.action), what, changes, str(note)))
    return rows


def _action_label(action: str) -> str:
    return str(AuditAction(action).label) if action in AuditAction.values else action


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_labels(model: type[Model] | None) -> dict[str, str]:
    if model is None:
        return {}
    labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
    labels.update({f.name: str(f.verbose_name) for f in model._meta.concrete_fields})
    return labels


class _Values:
    """Shows stored values in words; the objects foreign keys point at are read once per model."""

    def __init__(self, logs: list[AuditLog], formatters: Mapping[str, Formatter]):
        self.formatters = formatters
        wanted: dict[type[Model], set[Any]] = defaultdict(set)
        for log in logs:
            model = _model(log.object_type)
            for data in (log.before or {}, log.after or {}):
                for key, value in data.items():
                    related = _related_model(model, key)
                    if related is not None and value not in (None, ""):
                        wanted[related].add(value)
                    for person_id in _people_in(value):
                        wanted[Person].add(person_id)
        self.objects = {
            related: {str(pk): _name(obj) for pk, obj in related._default_manager.in_bulk(list(ids)).items()}
            for related, ids in wanted.items()
        }

    def __call__(self, model: type[Model] | None, key: str, value: Any) -> Any:
        if key in self.formatters:
            return self.formatters[key](value)
        related = _related_model(model, key)
        if related is not None and value not in (None, ""):
            return self.objects.get(related, {}).get(str(value), value)
        choices = _choices(model, key)
        if choices and isinstance(value, str):
            return choices.get(value, value)
        if _people_in(value):  # [{"role": 科室负责人, "person_id": 7}, …]: 责任人 by role
            people = self.objects.get(Person, {})
            return "；".join(
                f"{row.get('role')}：{people.get(str(row['person_id']), row['person_id'])}" for row in value
            )
        return _plain(value)


def _people_in(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        return []
    if not all(isinstance(row, dict) and "person_id" in row for row in value):
        return []
    return [row["person_id"] for row in value]


def _name(obj: Model) -> str:
    return str(getattr(obj, "display_name", None) or getattr(obj, "name", None) or obj)


def _related_model(model: type[Model] | None, key: str) -> type[Model] | None:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if field.is_relation and field.attname == key:
            return field.related_model
    return None


def _choices(model: type[Model] | None, key: str) -> dict[str, str]:
    if model is None:
        return {}
    for field in model._meta.concrete_fields:
        if field.attname == key and field.choices:
            return {str(k): str(v) for k, v in field.flatchoices}
    return {}


def _plain(value: Any) -> Any:
    if value in (None, "", []):
        return None
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "、".join(value)
        return f"{len(value)} 项"
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"
