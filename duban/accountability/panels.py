"""Accountability's panels on pages of earlier stages (duban.panels), registered in AccountabilityConfig.ready():
the workbench (cases awaiting my step, appeals awaiting the committee, my decisions, rectification), and on a ledger task the 立案问责
button (第八条: an overdue task becomes a case in one click) and the cases opened on it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from duban import clock
from duban.accountability import access, selectors
from duban.accountability.models import Case, Decision, RectificationItem
from duban.accountability.procedure import case_chain
from duban.accounts.access import person_of

WORKBENCH_CASES = 8


def task_actions(request: HttpRequest, *, task: Any, standing: Any) -> dict | None:
    """立案问责 on an overdue task, for the 督查室 of its jurisdiction."""
    if not standing.is_overdue:
        return None
    if not access.access_case_open(request.user, task.jurisdiction):
        return None
    from duban.ledger.lights import task_missed_reports

    # the missed periodic reports are offered as evidence on the 立案 page (the office picks them)
    return {"task": task, "missed": len(task_missed_reports(task))}


def task_cases(request: HttpRequest, *, task: Any, standing: Any) -> dict | None:
    """The accountability cases opened on the task that the user may read."""
    cases = Case.objects.filter(matter__task=task).select_related("unit", "jurisdiction").order_by("-pk")
    readable = [case for case in cases if access.access_case_read(request.user, case)]
    return {"cases": readable} if readable else None


def workbench_panel(request: HttpRequest) -> dict | None:
    """Cases awaiting my step; my decisions and their appeal deadlines; my unit's rectification items."""
    user = request.user
    if not user.is_authenticated:
        return None
    today = clock.today()
    awaiting_query = selectors.cases_awaiting_query(user).order_by("-opened_on", "-id")
    awaiting_count = awaiting_query.count()
    awaiting = list(awaiting_query[:WORKBENCH_CASES])  # the rest on /cases/?mine=1, which the count links to
    mine = selectors.decisions_open_to_party(user, today)
    # The open items (the office's of the jurisdiction, a 联络员's of their unit): the first few by due date
    # and how many in all, the rest on /cases/rectification/ — not every item of the jurisdiction.
    open_items = (
        selectors.rectifications_for(user).exclude(state=RectificationItem.State.ACCEPTED).order_by("due_on", "pk")
    )
    items_count = open_items.count()
    items = [
        item
        for item in open_items[:WORKBENCH_CASES]
        if access.access_rectification_report(user, item) or access.access_rectification_review(user, item)
    ]
    for item in items:
        item.overdue = item.state == RectificationItem.State.PENDING and item.due_on < today
    appeals, appeals_count = _appeals_to_decide(user)
    if not (awaiting or mine or items or appeals):
        return None
    for case in awaiting:
        case.step_obj = next((s for s in case_chain(case) if s.code == case.step), None)
    return {
        "awaiting": awaiting,
        "awaiting_count": awaiting_count,
        "appeals": appeals,
        "appeals_count": appeals_count,
        "my_decisions": mine,
        "rectification_items": items,
        "rectification_count": items_count,
    }


def _appeals_to_decide(user) -> tuple[list[Decision], int]:
    """The committee's pending appeals (oldest decision first), a page of them and how many in all."""
    person = person_of(user)
    if person is None or not access.access_appeals_to_decide(user, person.jurisdiction):
        return [], 0
    pending, _decided = selectors.appeals_for(person.jurisdiction)
    return selectors.appeals_pending_rows(pending[:WORKBENCH_CASES]), pending.count()
