"""The escalation ladder (督办升级阶梯), run daily: each rung of the jurisdiction's 督办设置 (``ladder.rungs``)
is a reminder or a proposal to people, never a sanction.

A rung counted from the deadline is due ``days`` after (negative: before) a task's earliest deadline and
reaches it on every run from that day while it still applies: the task is not done, and a rung before the
deadline only until the deadline has passed. A rung counted from a 督办单's reply date likewise, while the
督办单 is unanswered. Each rung reaches each recipient once per task (or 督办单) and date (the reminder's key
names the rung, the task and the date it counts from, so a deadline that moves starts the rung again).

- ``remind``: a reminder linking to the task (for a 督办单's unit: to its answer page);
- ``propose_order``: 建议下发督办单, linking to the 督办单 form (not proposed once the task has a 督办单
  issued on or after its deadline);
- ``propose_case``: 建议立案问责, linking to 立案 from the task (accountability plugs its page in with
  ``register_link``; without it, the task page). The office decides; duban opens no case itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse

from duban import clock
from duban.accounts.models import Jurisdiction
from duban.ledger import daily, selectors, services
from duban.ledger.models import SupervisionOrder, Task
from duban.ledger.supervision import Rung, settings_for

_LINKS: dict[str, Callable[[Task], str]] = {}


def register_link(action: str, link: Callable[[Task], str]) -> None:
    """A later stage names the page a proposal leads to (accountability: ``propose_case`` → 立案 from the task)."""
    _LINKS[action] = link


def _link(action: str, task: Task) -> str:
    if action in _LINKS:
        return _LINKS[action](task)
    if action == "propose_order":
        return reverse("ledger:order_issue", args=[task.pk])
    return reverse("ledger:task", args=[task.pk])


def _recipients(rung: Rung, task: Task, *, units=None) -> list:
    """The logins a rung reaches: ``units`` (the task's units, or the 督办单's), ``lead_units``, ``owner``
    (the task's 经办人), ``office`` (the jurisdiction's 督查室)."""
    found: dict[int, object] = {}
    for who in rung.to:
        if who == "units":
            for unit in units if units is not None else services._task_units(task):
                found.update((u.pk, u) for u in services.unit_liaison_users(unit))
        elif who == "lead_units":
            assigned = {a.unit_id: a.unit for a in task.assignments.all() if a.unit_id}
            for unit_id in selectors.task_lead_unit_ids(task):
                found.update((u.pk, u) for u in services.unit_liaison_users(assigned[unit_id]))
        elif who == "owner":
            if task.owner_id and task.owner.user_id and task.owner.user.is_active:
                found[task.owner.user_id] = task.owner.user
        elif who == "office":
            found.update((u.pk, u) for u in services.office_users(task.jurisdiction))
    return list(found.values())


def _deadline_text(rung: Rung, task: Task, deadline: dt.date, today: dt.date) -> tuple[str, str]:
    """(kind, text) of a deadline rung's reminder."""
    late = (today - deadline).days
    if rung.action == "propose_order":
        return "propose_order", f"建议下发督办单：任务已逾期 {late} 天（完成时限 {deadline:%Y-%m-%d}）：{task.title}"
    if rung.action == "propose_case":
        return "propose_case", (
            f"建议研究是否立案问责：任务已逾期 {late} 天（完成时限 {deadline:%Y-%m-%d}），由督查室决定：{task.title}"
        )
    if late < 0:
        return "deadline_near", f"任务将于 {deadline:%Y-%m-%d} 到期：{task.title}"
    if late == 0:
        return "deadline_near", f"任务今天到期（{deadline:%Y-%m-%d}）：{task.title}"
    return "task_overdue", f"任务已逾期 {late} 天（完成时限 {deadline:%Y-%m-%d}），请抓紧办理：{task.title}"


def _deadline_rung(rung: Rung, tasks, today: dt.date) -> int:
    due = tasks.filter(ledger_deadline__lte=today - dt.timedelta(days=rung.days))
    if rung.days < 0:
        due = due.filter(ledger_deadline__gte=today)
    made = 0
    for task in due.select_related("owner__user", "jurisdiction").prefetch_related("assignments__unit"):
        deadline = task.ledger_deadline
        if (
            rung.action == "propose_order"
            and task.supervision_orders.filter(issued_on__gte=deadline, issued_on__lte=today).exists()
        ):
            continue
        kind, text = _deadline_text(rung, task, deadline, today)
        for user in _recipients(rung, task):
            made += bool(
                services._remind(
                    actor=None,
                    recipient=user,
                    kind=kind,
                    task=task,
                    due=deadline,
                    key=f"ladder:{rung.name}:{task.pk}:{deadline.isoformat()}",
                    link=_link(rung.action, task),
                    text=text,
                )
            )
    return made


def _order_rung(rung: Rung, jurisdiction: Jurisdiction, open_tasks, today: dt.date) -> int:
    orders = SupervisionOrder.objects.filter(
        jurisdiction=jurisdiction,
        status=SupervisionOrder.Status.ISSUED,
        issued_on__lte=today,
        reply_by__lte=today - dt.timedelta(days=rung.days),
        task__in=open_tasks.values("pk"),
    )
    if rung.days < 0:
        orders = orders.filter(reply_by__gte=today)
    made = 0
    for order in orders.select_related("task__owner__user", "task__jurisdiction", "unit"):
        task = order.task
        late = (today - order.reply_by).days
        if late < 0:
            kind, text = "order_reply_due", f"{order.number}请于 {order.reply_by:%Y-%m-%d} 前回复：{task.title}"
        elif late == 0:
            kind, text = "order_reply_due", f"{order.number}今天到回复期限（{order.reply_by:%Y-%m-%d}）：{task.title}"
        else:
            kind = "order_overdue"
            text = f"{order.number}逾期 {late} 天未回复（{order.unit.display_name}）：{task.title}"
        if rung.action == "propose_case":
            kind, text = "propose_case", f"建议研究是否立案问责：{text}，由督查室决定"
        for user in _recipients(rung, task, units=[order.unit]):
            unit_side = (
                rung.action == "remind" and "units" in rung.to and user in services.unit_liaison_users(order.unit)
            )
            link = (
                reverse("ledger:order_answer", args=[order.pk])
                if unit_side
                else reverse("ledger:order", args=[order.pk])
            )
            if rung.action != "remind":
                link = _link(rung.action, task)
            made += bool(
                services._remind(
                    actor=None,
                    recipient=user,
                    kind=kind,
                    task=task,
                    due=order.reply_by,
                    key=f"ladder:{rung.name}:order:{order.pk}:{order.reply_by.isoformat()}",
                    link=link,
                    text=text,
                )
            )
    return made


def ladder_run(*, jurisdiction: Jurisdiction, today: dt.date | None = None) -> int:
    """Climb every rung of ``jurisdiction``'s ladder on ``today``; returns how many reminders were made."""
    today = today or clock.today()
    settings = settings_for(jurisdiction)
    open_tasks = selectors.with_standing(
        Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.CONFIRMED), today
    ).exclude(ledger_standing="done")
    dated = open_tasks.filter(ledger_deadline__isnull=False)
    made = 0
    for rung in settings.ladder:
        if rung.counted_from == "deadline":
            made += _deadline_rung(rung, dated, today)
        else:
            made += _order_rung(rung, jurisdiction, open_tasks, today)
    return made


daily.register("ledger.ladder", ladder_run)
