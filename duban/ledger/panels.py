"""The ledger's panels on pages of the site's frame (duban.panels), registered in LedgerConfig.ready()."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from duban import clock
from duban.accounts.access import person_of, request_jurisdiction
from duban.ledger import access, lights, selectors
from duban.ledger.models import SupervisionOrder, Task


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def workbench_panel(request: HttpRequest) -> dict | None:
    """The ledger's panel on the workbench: what this user has to do in the ledger today."""
    user = request.user
    person = person_of(user)
    jurisdiction = request_jurisdiction(request)
    unread = selectors.reminders_of(user, unread_only=True)
    panel: dict = {"unread_count": unread.count(), "unread": list(unread[:5]), "cards": [], "rows": []}
    if jurisdiction is None:
        return panel
    today = clock.today()
    tasks = lights.with_lights(
        selectors.ledger_query(access.tasks_visible(user, jurisdiction), today=today), today, jurisdiction=jurisdiction
    )
    counts, light_counts = lights.ledger_counts(tasks)
    panel["lights"] = _light_cards(light_counts)
    pressing = tasks.filter(ledger_standing__in=("overdue", "due_soon"))
    if access.access_office_or_administrator(user, jurisdiction):
        awaiting = selectors.orders_for(jurisdiction=jurisdiction, status=SupervisionOrder.Status.ISSUED)
        drafts = Task.objects.filter(jurisdiction=jurisdiction, status=Task.Status.DRAFT).count()
        panel["cards"] = _cards(
            {"label": "待审核任务", "count": drafts, "url": _url("ledger:review")}, "已逾期任务", counts, awaiting
        )
        panel["rows"] = selectors.ledger_page_rows(pressing[:8])
        panel["rows_title"] = "逾期和即将到期的任务"
    elif person is not None and person.unit_id is not None:
        awaiting = selectors.orders_for(
            jurisdiction=jurisdiction, unit=person.unit, status=SupervisionOrder.Status.ISSUED
        )
        mine = {
            "label": f"{person.unit.display_name}的任务",
            "count": sum(counts.values()),
            "url": _url("ledger:tasks"),
        }
        panel["cards"] = _cards(mine, "已逾期", counts, awaiting)
        panel["rows"] = selectors.ledger_page_rows(pressing[:8])
        panel["rows_title"] = "本单位逾期和即将到期的任务"
        panel["orders"] = list(awaiting[:5])
    else:
        if not sum(counts.values()):
            panel["lights"] = []
        else:
            panel["cards"] = [
                {"label": "可查看的台账任务", "count": sum(counts.values()), "url": _url("ledger:tasks")},
                {"label": "已逾期", "count": counts["overdue"], "url": _url("ledger:tasks") + "?standing=overdue"},
            ]
    return panel


def _light_cards(counts: dict[str, int]) -> list[dict]:
    """亮灯 on the workbench: red and yellow (what needs attention), each linking to the 台账 filtered by it."""
    tasks = _url("ledger:tasks")
    return [
        {"code": code, "label": lights.LIGHT_LABELS[code], "count": counts[code], "url": f"{tasks}?light={code}"}
        for code in ("red", "yellow", "green")
    ]


def _cards(first: dict, overdue_label: str, counts: dict[str, int], awaiting) -> list[dict]:
    """The workbench's cards: what is the user's, then overdue, due soon, and 督办单 awaiting an answer."""
    tasks = _url("ledger:tasks")
    return [
        first,
        {"label": overdue_label, "count": counts["overdue"], "url": tasks + "?standing=overdue"},
        {"label": selectors.DUE_SOON_LABEL, "count": counts["due_soon"], "url": tasks + "?standing=due_soon"},
        {"label": "督办单待回复", "count": awaiting.count(), "url": _url("ledger:orders") + "?status=issued"},
    ]
