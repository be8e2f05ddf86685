"""Reminders: made by the services in their own transaction, settled when what they asked for is done.

A reminder is the in-app notice (the 提醒 page); ``_remind`` also makes its deliveries — e-mail and the IM
group robots (duban/ledger/notify.py) — sent by the worker once the write commits, so a notifier that
fails never fails the write. Callers keep importing these from ``duban.ledger.services``.
"""

from __future__ import annotations

import datetime as dt

from duban import clock
from duban.accounts.models import AuditAction
from duban.accounts.services import audit_record, snapshot
from duban.ledger.models import Reminder, Task
from duban.ledger.notify import deliveries_create


def _remind(
    *,
    actor,
    recipient,
    kind: str,
    text: str,
    link: str,
    key: str,
    task: Task | None = None,
    due: dt.date | None = None,
    group: bool = True,
) -> Reminder | None:
    """One reminder per recipient and key, with its deliveries queued after commit. ``group``: whether it
    may also be posted to the recipient's IM group robot (False for what only the person may read)."""
    if Reminder.objects.filter(recipient=recipient, key=key[:120]).exists():
        return None
    reminder = Reminder.objects.create(
        recipient=recipient, kind=kind, text=text[:300], link=link, key=key[:120], task=task, due=due
    )
    audit_record(
        actor=actor, action=AuditAction.REMINDER_CREATE, instance=reminder, before=None, after=snapshot(reminder)
    )
    deliveries_create(reminder, group=group)
    return reminder


def _settle(*, actor, key: str) -> None:
    """What a reminder asked for is done: it is read for everyone it went to."""
    for reminder in Reminder.objects.select_for_update(no_key=True).filter(key=key[:120], read_at__isnull=True):
        before = snapshot(reminder)
        reminder.read_at = clock.now()
        reminder.save(update_fields=["read_at"])
        audit_record(
            actor=actor, action=AuditAction.REMINDER_SETTLED, instance=reminder, before=before, after=snapshot(reminder)
        )
