"""How a reminder reaches its person: one notifier interface, four notifiers.

- in-app: the Reminder row itself (the 提醒 page, the header's count); made in the write's transaction;
- e-mail (DUBAN_EMAIL_REMINDERS, the recipient's address), with absolute links to DUBAN_SITE_URL;
- 钉钉 and 企业微信 group robots: the NotificationChannel rows of the recipient's jurisdiction — of their
  unit, or for a person of no unit (the office, the supervisors) those of no unit — one post per robot
  and event, however many of the group's people the event reminds.

``_remind`` (duban/ledger/reminders.py) makes one Delivery row per sending in the same transaction as the
reminder and queues them after commit (``tasks.send_delivery``, a huey task with retries). A sending
that fails is logged, counted and kept in Delivery.error, and tried again later; after the last try the
Delivery is 发送失败. Nothing here can fail the write that made the reminder: by the time anything is
sent, that write is committed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from duban import clock
from duban.accounts.models import Person
from duban.ledger.models import Delivery, NotificationChannel, Reminder

logger = logging.getLogger("duban.notify")

ROBOT_MARK = "【督办提醒】"  # every message starts with it: a robot's 自定义关键词 may be set to 督办提醒


class DeliveryError(Exception):
    """A notifier could not send; the message says why (kept in Delivery.error)."""


@dataclass(frozen=True)
class Target:
    address: str
    channel: NotificationChannel | None = None


def absolute_url(link: str) -> str:
    """A site link as an address that works outside the site (DUBAN_SITE_URL in front of the path)."""
    if not link or urllib.parse.urlsplit(link).scheme:
        return link
    return f"{settings.DUBAN_SITE_URL}/{link.lstrip('/')}"


def _message_lines(reminder: Reminder) -> list[str]:
    lines = [reminder.text]
    if reminder.due:
        lines.append(f"办理期限：{reminder.due:%Y年%m月%d日}")
    return lines


class Notifier:
    """One way of telling a person. ``targets`` says where a reminder goes by this way (none: not at all);
    ``send`` sends it there, raising DeliveryError (or any error of the transport) when it cannot."""

    name = ""
    label = ""
    queued = True  # False: the reminder row is itself the delivery, nothing is sent afterwards

    def targets(self, reminder: Reminder, *, group: bool) -> list[Target]:
        raise NotImplementedError

    def send(self, reminder: Reminder, target: Target) -> None:
        raise NotImplementedError


class InAppNotifier(Notifier):
    """The Reminder row, listed on 提醒 and counted in the header: made in the write's own transaction."""

    name = "in_app"
    label = "站内提醒"
    queued = False

    def targets(self, reminder: Reminder, *, group: bool) -> list[Target]:
        return []

    def send(self, reminder: Reminder, target: Target) -> None:
        return None


class EmailNotifier(Notifier):
    name = "email"
    label = "电子邮件"

    def targets(self, reminder: Reminder, *, group: bool) -> list[Target]:
        email = (reminder.recipient.email or "").strip()
        if not getattr(settings, "DUBAN_EMAIL_REMINDERS", False) or not email:
            return []
        return [Target(address=email)]

    def send(self, reminder: Reminder, target: Target) -> None:
        body = [*_message_lines(reminder)]
        if reminder.link:
            body.append(f"办理地址：{absolute_url(reminder.link)}")
        body.append("")
        body.append("本邮件由督办系统发出，请登录系统办理。")
        send_mail(
            subject=f"{ROBOT_MARK}{reminder.text[:60]}",
            message="\n".join(body),
            from_email=None,
            recipient_list=[target.address],
            fail_silently=False,
        )


def channels_for(reminder: Reminder, kind: str) -> list[NotificationChannel]:
    """The active robots of ``kind`` that the recipient's group reads: their unit's, or for a person of
    no unit the jurisdiction's robots of no unit (read once per reminder, for every robot notifier)."""
    cached = getattr(reminder, "_recipient_channels", None)
    if cached is None:
        person = Person.objects.filter(user_id=reminder.recipient_id).only("jurisdiction_id", "unit_id").first()
        cached = []
        if person is not None:
            cached = list(
                NotificationChannel.objects.filter(
                    jurisdiction_id=person.jurisdiction_id, unit_id=person.unit_id, active=True
                ).order_by("pk")
            )
        reminder._recipient_channels = cached
    return [channel for channel in cached if channel.kind == kind]


class RobotNotifier(Notifier):
    """A group robot: an HTTP POST of JSON to the channel's webhook; it answers ``{"errcode": 0, …}``."""

    kind = ""

    def targets(self, reminder: Reminder, *, group: bool) -> list[Target]:
        if not group:
            return []
        channels = channels_for(reminder, self.kind)
        if not channels:
            return []
        # One post per robot and event: the group's other people reminded of it read the same post.
        posted = set(
            Delivery.objects.filter(channel__in=channels, reminder__key=reminder.key).values_list(
                "channel_id", flat=True
            )
        )
        return [Target(address=masked_url(c.url), channel=c) for c in channels if c.pk not in posted]

    def payload(self, reminder: Reminder) -> dict:
        raise NotImplementedError

    def url(self, channel: NotificationChannel) -> str:
        return channel.url

    def send(self, reminder: Reminder, target: Target) -> None:
        channel = target.channel
        if channel is None:
            raise DeliveryError("没有通知渠道")
        if not channel.active:
            raise DeliveryError(f"通知渠道“{channel.name}”已停用")
        body = json.dumps(self.payload(reminder), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url(channel),
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.DUBAN_WEBHOOK_TIMEOUT) as response:
                answer = response.read(64 * 1024)
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"机器人返回 HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise DeliveryError(f"无法连接机器人：{reason}") from None
        try:
            data = json.loads(answer.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise DeliveryError(f"机器人的回答不是 JSON：{answer[:200]!r}") from None
        if not isinstance(data, dict) or data.get("errcode") != 0:
            if isinstance(data, dict):
                raise DeliveryError(f"机器人拒绝：errcode={data.get('errcode')} {data.get('errmsg', '')}".strip())
            raise DeliveryError(f"机器人的回答无法识别：{str(data)[:200]}")

    def _markdown(self, reminder: Reminder) -> str:
        lines = [f"**{ROBOT_MARK}**", "", *_message_lines(reminder)]
        if reminder.link:
            lines.append(f"[点击办理]({absolute_url(reminder.link)})")
        return "\n\n".join(lines)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, Base64, then URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode("ascii"))


def wall_clock_ms() -> int:
    """The real time in milliseconds. Not duban.clock: 钉钉 refuses a signature whose timestamp is more than
    an hour from its own clock, whatever date the site runs on (DUBAN_TODAY)."""
    return int(time.time() * 1000)


class DingTalkNotifier(RobotNotifier):
    name = "dingtalk"
    label = "钉钉群机器人"
    kind = NotificationChannel.Kind.DINGTALK

    def url(self, channel: NotificationChannel) -> str:
        if not channel.secret:
            return channel.url
        timestamp = wall_clock_ms()
        separator = "&" if urllib.parse.urlsplit(channel.url).query else "?"
        return f"{channel.url}{separator}timestamp={timestamp}&sign={dingtalk_sign(channel.secret, timestamp)}"

    def payload(self, reminder: Reminder) -> dict:
        return {"msgtype": "markdown", "markdown": {"title": ROBOT_MARK, "text": self._markdown(reminder)}}


class WeComNotifier(RobotNotifier):
    name = "wecom"
    label = "企业微信群机器人"
    kind = NotificationChannel.Kind.WECOM

    def payload(self, reminder: Reminder) -> dict:
        return {"msgtype": "markdown", "markdown": {"content": self._markdown(reminder)}}


NOTIFIERS: tuple[Notifier, ...] = (InAppNotifier(), EmailNotifier(), DingTalkNotifier(), WeComNotifier())
NOTIFIER_BY_NAME = {notifier.name: notifier for notifier in NOTIFIERS}


def masked_url(url: str) -> str:
    """A webhook address for the record: its token (access_token, key) is the credential, so it is cut."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    shown = "&".join(f"{name}={value[:4]}…" if value else name for name, value in query)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, shown, ""))[:500]


# --- the deliveries of a reminder ---------------------------------------------------------------------


def deliveries_create(reminder: Reminder, *, group: bool = True) -> list[Delivery]:
    """One pending Delivery per sending of ``reminder`` (in the caller's transaction), queued after commit.
    ``group``: whether it may be posted to a group robot (a confidential matter goes to the person only)."""
    deliveries = [
        Delivery.objects.create(
            reminder=reminder, notifier=notifier.name, channel=target.channel, address=target.address
        )
        for notifier in NOTIFIERS
        if notifier.queued
        for target in notifier.targets(reminder, group=group)
    ]
    if deliveries:
        ids = [delivery.pk for delivery in deliveries]
        # robust: a queue that cannot be reached is logged; the write that made the reminder stands.
        transaction.on_commit(lambda: deliveries_queue(ids), robust=True)
    return deliveries


def deliveries_queue(ids: list[int]) -> None:
    from duban.ledger.tasks import send_delivery

    for delivery_id in ids:
        send_delivery(delivery_id)


def delivery_attempt(delivery_id: int, *, final: bool) -> bool:
    """Try one pending delivery once; record the outcome. True when sent (or no longer pending). A failure
    is logged and kept in ``error``; ``final``: no try follows, so the delivery is 发送失败."""
    delivery = Delivery.objects.select_related("reminder__recipient", "channel").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != Delivery.State.PENDING:
        return True
    notifier = NOTIFIER_BY_NAME.get(delivery.notifier)
    attempt = delivery.attempts + 1
    try:
        if notifier is None:
            raise DeliveryError(f"未知的通知方式：{delivery.notifier}")
        notifier.send(delivery.reminder, Target(address=delivery.address, channel=delivery.channel))
    except Exception as error:
        reason = str(error) or error.__class__.__name__
        line = f"{clock.now():%Y-%m-%d %H:%M:%S} 第{attempt}次：{reason}"
        state = Delivery.State.FAILED if final else Delivery.State.PENDING
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING).update(
            attempts=attempt, state=state, error=(f"{delivery.error}\n{line}" if delivery.error else line)[-4000:]
        )
        logger.warning(
            "delivery %s (%s, reminder %s) failed, attempt %s%s: %s",
            delivery.pk,
            delivery.notifier,
            delivery.reminder_id,
            attempt,
            ", giving up" if final else ", will retry",
            reason,
        )
        return False
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING).update(
        attempts=attempt, state=Delivery.State.SENT, sent_at=clock.now()
    )
    return True
