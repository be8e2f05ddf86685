"""通知渠道: the IM group robots (钉钉, 企业微信) a jurisdiction's reminders are also posted to.

Written only here (the admin's forms call these), each write with an audit row. The webhook's token
and the 加签 secret are credentials: the audit rows keep the address with its token cut and only
whether a secret is set, never the secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from duban.accounts.models import AuditAction, Jurisdiction, Unit
from duban.accounts.services import audit_record
from duban.inputs import visible_text
from duban.ledger.models import NotificationChannel
from duban.ledger.notify import masked_url

CHANNEL_UPDATABLE_FIELDS = ("unit", "kind", "name", "url", "secret", "active")


def channel_snapshot(channel: NotificationChannel) -> dict[str, Any]:
    return {
        "jurisdiction_id": channel.jurisdiction_id,
        "unit_id": channel.unit_id,
        "kind": channel.kind,
        "name": channel.name,
        "url": masked_url(channel.url),
        "secret_set": bool(channel.secret),
        "active": channel.active,
    }


def _validate(channel: NotificationChannel) -> None:
    errors: dict[str, str] = {}
    if channel.kind not in NotificationChannel.Kind.values:
        errors["kind"] = f"渠道类型应为钉钉群机器人或企业微信群机器人，收到：{channel.kind}"
    if not channel.name:
        errors["name"] = "请填写渠道名称"
    if channel.unit is not None and channel.unit.jurisdiction_id != channel.jurisdiction_id:
        errors["unit"] = f"单位{channel.unit.name}不属于{channel.jurisdiction.name}"
    parts = urlsplit(channel.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors["url"] = "Webhook 地址应以 https:// 开头（机器人设置页面复制的完整地址）"
    elif len(channel.url) > 500:
        errors["url"] = "Webhook 地址过长（最多500个字符）"
    if channel.kind == NotificationChannel.Kind.WECOM and channel.secret:
        errors["secret"] = "企业微信群机器人没有加签密钥，请留空"
    elif channel.secret and not channel.secret.startswith("SEC"):
        errors["secret"] = "钉钉机器人的加签密钥以 SEC 开头（机器人安全设置页面“加签”一栏）"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def channel_create(
    *,
    actor: AbstractBaseUser | None,
    jurisdiction: Jurisdiction,
    kind: str,
    name: str,
    url: str,
    unit: Unit | None = None,
    secret: str = "",
    active: bool = True,
) -> NotificationChannel:
    """A group robot of ``jurisdiction``: of ``unit`` (its people's reminders), or with no unit the
    reminders of the jurisdiction's people of no unit (the office, the supervisors)."""
    channel = NotificationChannel(
        jurisdiction=jurisdiction,
        unit=unit,
        kind=kind,
        name=visible_text(name or "")[:60],
        url=(url or "").strip(),
        secret=(secret or "").strip(),
        active=bool(active),
    )
    _validate(channel)
    channel.save()
    audit_record(actor=actor, action=AuditAction.CHANNEL_CREATE, instance=channel, after=channel_snapshot(channel))
    return channel


@transaction.atomic
def channel_update(
    *, actor: AbstractBaseUser | None, channel: NotificationChannel, data: Mapping[str, Any]
) -> NotificationChannel:
    """Change a channel's fields (CHANNEL_UPDATABLE_FIELDS); its jurisdiction stays. Nothing changed,
    nothing is logged."""
    unknown = sorted(set(data) - set(CHANNEL_UPDATABLE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: f"不能修改字段：{'、'.join(unknown)}"})
    channel = (
        NotificationChannel.objects.select_for_update(no_key=True, of=("self",))
        .select_related("jurisdiction")
        .get(pk=channel.pk)
    )
    before = channel_snapshot(channel)
    stored = (channel.unit_id, channel.kind, channel.name, channel.url, channel.secret, channel.active)
    for field, value in data.items():
        if field == "name":
            value = visible_text(value or "")[:60]
        elif field in ("url", "secret"):
            value = (value or "").strip()
        elif field == "active":
            value = bool(value)
        setattr(channel, field, value)
    _validate(channel)
    if (channel.unit_id, channel.kind, channel.name, channel.url, channel.secret, channel.active) == stored:
        return channel
    channel.save()
    after = channel_snapshot(channel)
    if after == before:  # only the secret or the token changed: say so without saying what
        after["credentials_changed"] = True
    audit_record(actor=actor, action=AuditAction.CHANNEL_UPDATE, instance=channel, before=before, after=after)
    return channel
